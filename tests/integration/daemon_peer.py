"""Integration tests for undertone-analyzer and undertone-feed.

Starts the real programs on ipc:// endpoints in a temporary directory and
plays the console's part with pyzmq + msgpack: SUB to the feed, DEALER to
the request socket, PUSH to ingest. Usage: daemon_peer.py CASE.
Every wait is bounded and every process is killed on the way out.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

BUILD = os.environ.get("top_builddir", ".")
SRC = os.environ.get("top_srcdir", ".")
ANALYZER = os.path.join(BUILD, "undertone-analyzer")
FEED = os.path.join(BUILD, "undertone-feed")
WAIT = 10.0


def now_ms():
    return int(time.time() * 1000)


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


class Rig:
    """The analyzer on ipc endpoints, plus the test's own sockets."""

    def __init__(self, *extra):
        self.dir = tempfile.mkdtemp(prefix="ut-it-")
        self.ep = {k: "ipc://%s/%s" % (self.dir, k) for k in ("ingest", "feed", "req")}
        self.ctx = zmq.Context()
        self.procs = []
        self.log = open(os.path.join(self.dir, "analyzer.log"), "w+")
        self.analyzer = self.spawn([ANALYZER, "run", "--ingest", self.ep["ingest"],
                                    "--publish", self.ep["feed"], "--requests",
                                    self.ep["req"], "--pub-id", "it-analyzer"] + list(extra),
                                   stderr=self.log)
        self.push = self.ctx.socket(zmq.PUSH)
        self.push.setsockopt(zmq.LINGER, 0)
        self.push.connect(self.ep["ingest"])

    def spawn(self, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def sub(self):
        s = self.ctx.socket(zmq.SUB)
        s.setsockopt(zmq.LINGER, 0)
        s.setsockopt(zmq.SUBSCRIBE, b"")
        s.connect(self.ep["feed"])
        return s

    def dealer(self):
        d = self.ctx.socket(zmq.DEALER)
        d.setsockopt(zmq.LINGER, 0)
        d.connect(self.ep["req"])
        return d

    def wait_ready(self, sub):
        """Heartbeats come every second: the first one proves SUB is joined."""
        recv_until(sub, lambda t, m: m["type"] == "heartbeat", "first heartbeat")

    def send(self, ev, fmt="msgpack"):
        if fmt == "json":
            self.push.send(json.dumps(ev).encode())
        else:
            self.push.send(msgpack.packb(ev, use_bin_type=False))

    def stop(self):
        """SIGTERM the analyzer; it must exit 0 promptly."""
        self.analyzer.send_signal(signal.SIGTERM)
        try:
            rc = self.analyzer.wait(timeout=5)
        except subprocess.TimeoutExpired:
            raise Fail("analyzer did not stop on SIGTERM")
        check(rc == 0, "analyzer exit status %s" % rc)

    def close(self):
        if self.ctx is None:
            return ""
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.ctx.destroy(linger=0)
        self.ctx = None
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return text


def decode(frames):
    check(len(frames) == 2, "feed message has %d frames" % len(frames))
    m = msgpack.unpackb(frames[1], raw=False)
    prefix = {"call_update": "upd.", "heartbeat": "hb.", "decision_recorded": "dec."}.get(
        m["type"], "sug.")
    check(frames[0].decode().startswith(prefix), "topic %r for %s" % (frames[0], m["type"]))
    for k in ("v", "type", "pub", "seq", "ts"):
        check(k in m, "feed message without %s" % k)
    return frames[0], m


def recv_until(sock, pred, what, timeout=WAIT, seen=None):
    end = time.time() + timeout
    while time.time() < end:
        if sock.poll(int(max(1, (end - time.time()) * 1000))):
            t, m = decode(sock.recv_multipart())
            if seen is not None:
                seen.append(m)
            if pred(t, m):
                return m
    raise Fail("timed out waiting for " + what)


def request(dealer, msg, timeout=WAIT):
    """Send one request; return the replies up to the final one."""
    dealer.send(msgpack.packb(msg, use_bin_type=False))   # one frame, no delimiter
    out = []
    end = time.time() + timeout
    while time.time() < end:
        if dealer.poll(int(max(1, (end - time.time()) * 1000))):
            frames = dealer.recv_multipart()
            check(len(frames) == 1, "a reply is one frame")
            m = msgpack.unpackb(frames[0], raw=False)
            out.append(m)
            if m["type"] in ("snapshot_end", "decision_ack", "error"):
                return out
    raise Fail("no reply to " + msg["type"])


def snapshot(dealer, req=1, queue=None):
    msg = {"v": 1, "type": "snapshot_request", "req": req}
    if queue:
        msg["queue"] = queue
    replies = request(dealer, msg)
    check(replies[0]["type"] == "snapshot_begin", "snapshot starts with snapshot_begin")
    check(replies[-1]["type"] == "snapshot_end", "snapshot ends with snapshot_end")
    seqs = {r["seq"] for r in replies}
    check(len(seqs) == 1, "snapshot items carry one seq: %s" % seqs)
    check(all(r.get("req") == req for r in replies), "snapshot echoes req")
    kinds = [r["type"] for r in replies[1:-1]]
    check(kinds == sorted(kinds, key=lambda k: k != "call_update"),
          "call updates come before suggestions")
    calls = [r for r in replies if r["type"] == "call_update"]
    sugs = [r for r in replies if r["type"] == "suggestion_raised"]
    check(replies[0]["calls"] == len(calls), "snapshot_begin counts calls")
    check(replies[0]["suggestions"] == len(sugs), "snapshot_begin counts suggestions")
    return replies[0]["seq"], {c["call"]: c for c in calls}, sugs


def start(call, ts, queue="billing", channel="voice", agent="agent-1"):
    return {"v": 1, "type": "call_start", "call": call, "ts": ts, "agent": agent,
            "agent_name": "Test Agent", "queue": queue, "channel": channel}


def utt(call, ts, t0, speaker, text, start_off=None, end_off=None):
    e = ts - t0 if end_off is None else end_off
    s = max(0, e - 1500) if start_off is None else start_off
    return {"v": 1, "type": "utterance", "call": call, "ts": ts, "speaker": speaker,
            "start_ms": s, "end_ms": e, "final": True, "text": text}


def end(call, ts):
    return {"v": 1, "type": "call_end", "call": call, "ts": ts}


# ---- cases ----

def case_snapshot(rig):
    """A late joiner gets the full state and the seq it is valid at."""
    early = rig.sub()
    rig.wait_ready(early)
    t0 = now_ms() - 60000
    for i in range(3):
        rig.send(start("c%d" % i, t0, queue="billing" if i < 2 else "tech"))
    lines = ["I was charged twice for my bill", "this is really annoying",
             "I was charged twice, this is the third time I call"]
    for k, text in enumerate(lines):
        rig.send(utt("c0", t0 + 10000 * (k + 1), t0, "customer", text))
        rig.send(utt("c0", t0 + 10000 * (k + 1) + 3000, t0, "agent", "I understand, let me check"))
    rig.send(utt("c1", t0 + 5000, t0, "customer", "thanks, that is great"), fmt="json")
    recv_until(early, lambda t, m: m["type"] == "call_update" and m["call"] == "c1"
               and m["utterances"] == 1, "c1's update")
    time.sleep(0.3)   # let coalesced updates for c0 go out

    late = rig.sub()
    dealer = rig.dealer()
    rig.wait_ready(late)
    seq, calls, _ = snapshot(dealer)
    check(set(calls) == {"c0", "c1", "c2"}, "snapshot has every call: %s" % list(calls))
    c0 = calls["c0"]
    check(c0["utterances"] == 6, "c0 has 6 utterances, got %d" % c0["utterances"])
    check(len(c0["trend"]) == 3, "trend holds one point per customer utterance (agent not scored)")
    check(c0["sentiment"]["latest"] < 0, "c0's latest customer sentiment is negative")
    check(len(c0["components"]) == 8, "every frustration component is present")
    check(calls["c1"]["sentiment"]["latest"] > 0, "c1's customer is positive")
    check(calls["c2"]["queue"] == "tech", "queue kept")
    # A queue-filtered snapshot.
    _, qcalls, _ = snapshot(dealer, req=2, queue="tech")
    check(set(qcalls) == {"c2"}, "queue filter")
    # Live messages continue after the snapshot's seq.
    rig.send(utt("c2", now_ms(), t0, "customer", "hello"))
    m = recv_until(late, lambda t, m: m["type"] == "call_update" and m["call"] == "c2",
                   "live update after the snapshot")
    check(m["seq"] > seq, "live seq %d after snapshot seq %d" % (m["seq"], seq))
    rig.stop()


def case_gap(rig):
    """A subscriber that loses a message notices the seq gap and re-snapshots."""
    sub = rig.sub()
    dealer = rig.dealer()
    rig.wait_ready(sub)
    seq0, state, _ = snapshot(dealer)
    t0 = now_ms() - 30000
    rig.send(start("g1", t0))
    rig.send(start("g2", t0))
    for k in range(6):
        rig.send(utt("g1" if k % 2 else "g2", t0 + 1000 * (k + 2), t0, "customer", "message %d" % k))
        time.sleep(0.3)   # past the coalescing interval: one update each
    last = seq0
    dropped = None
    gaps = 0
    end_at = time.time() + WAIT
    while time.time() < end_at:
        if not sub.poll(500):
            if dropped is not None and state.get("g1", {}).get("utterances") == 3 \
                    and state.get("g2", {}).get("utterances") == 3:
                break
            continue
        _, m = decode(sub.recv_multipart())
        if m["seq"] <= last:
            continue                 # already in the snapshot
        if dropped is None and m["type"] == "call_update":
            dropped = m["seq"]       # the forced loss: never applied
            continue
        if m["seq"] != last + 1:
            gaps += 1
            last, state, _ = snapshot(dealer, req=10 + gaps)
            check(last >= m["seq"] - 1, "re-snapshot is at least as new as the gap")
            if m["seq"] <= last:
                continue
        last = m["seq"]
        if m["type"] == "call_update":
            state[m["call"]] = m
    check(dropped is not None, "a message was dropped")
    check(gaps >= 1, "the gap was noticed")
    check(state["g1"]["utterances"] == 3 and state["g2"]["utterances"] == 3,
          "state after re-snapshot is complete: %s" %
          {k: v["utterances"] for k, v in state.items()})
    rig.stop()


def case_hwm_gap(_rig):
    """A real loss: a slow subscriber overflows the PUB high-water mark, sees
    the sequence gap and recovers the whole state with a snapshot."""
    d = tempfile.mkdtemp(prefix="ut-hwm-")
    conf = os.path.join(d, "a.conf")
    with open(conf, "w") as f:
        f.write("[analyzer]\nsend_hwm = 100\n")
    rig = Rig("--config", conf)
    try:
        sub = rig.ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 10)
        sub.setsockopt(zmq.RCVBUF, 4096)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect(rig.ep["feed"])
        dealer = rig.dealer()
        rig.wait_ready(sub)
        last = recv_until(sub, lambda t, m: m["type"] == "heartbeat", "heartbeat")["seq"]
        t0 = now_ms() - 60000
        n = 3000
        for i in range(n):          # not reading meanwhile: the PUB must drop
            rig.send(start("h%d" % i, t0))
        for i in range(n):
            rig.send(utt("h%d" % i, t0 + 5000, t0, "customer", "where is my parcel"))
        time.sleep(1.5)
        gap = None
        end_at = time.time() + WAIT
        while gap is None and time.time() < end_at:
            if sub.poll(500):
                _, m = decode(sub.recv_multipart())
                if m["seq"] != last + 1:
                    gap = (last, m["seq"])
                last = m["seq"]
        check(gap is not None, "messages were dropped at the high-water mark")
        seq, calls, _ = snapshot(dealer, req=99)
        check(seq >= gap[1] - 1, "snapshot is newer than the gap")
        check(len(calls) == n, "snapshot has all %d calls, got %d" % (n, len(calls)))
        check(all(c["utterances"] == 1 for c in calls.values()), "and every utterance")
        rig.stop()
    finally:
        rig.close()
        shutil.rmtree(d, ignore_errors=True)


def case_malformed(rig):
    """Malformed and out-of-order events are counted by reason and skipped."""
    sub = rig.sub()
    rig.wait_ready(sub)
    t0 = now_ms() - 60000
    rig.send(start("ok1", t0))
    rig.send(start("ended", t0))
    rig.send(end("ended", t0 + 1000))
    bad = [
        b"\x85\xa1v\x01",                                  # map of 5, truncated
        b"{\"v\":1, \"type\": \"call_start\"",             # JSON cut short
        msgpack.packb(utt("ok1", t0 + 3000, t0, "customer", "x" * 5000)),   # over-long text
        msgpack.packb({"v": 1, "type": "utterance", "call": "ok1", "ts": t0 + 3000,
                       "speaker": "customer", "start_ms": 0, "end_ms": 1, "final": True,
                       "text": b"caf\xc3"}, use_bin_type=False),  # invalid UTF-8
        msgpack.packb({"v": 1, "type": "utterance", "call": "ok1"}),       # missing fields
        msgpack.packb({"v": 2, "type": "call_start", "call": "z", "ts": 1, "agent": "a",
                       "queue": "q", "channel": "voice"}),                 # wrong version
        msgpack.packb(utt("ghost", t0 + 3000, t0, "customer", "who am I")),  # unknown call
        msgpack.packb(start("ok1", t0 + 10)),                              # duplicate start
        msgpack.packb(utt("ended", t0 + 5000, t0, "customer", "hello?")),  # after call_end
    ]
    good = 0
    for k, frame in enumerate(bad):
        rig.push.send(frame)
        rig.send(utt("ok1", t0 + 10000 * (k + 1), t0, "customer", "still here %d" % k))
        good += 1
    rig.push.send_multipart([b"frame one", b"frame two"])               # two frames
    rig.send(utt("ok1", t0 + 2000, t0, "customer", "back in time"))     # backwards
    want = {"count_exceeds": 1, "truncated": 1, "too_long": 1, "bad_utf8": 1, "missing": 1,
            "bad_version": 1, "unknown_call": 1, "duplicate_start": 1, "after_end": 1,
            "frames": 1, "backwards": 1}

    def counted(t, m):
        return m["type"] == "heartbeat" and all(m["rejected"].get(k) == v for k, v in want.items())
    seen = []
    hb = recv_until(sub, counted, "heartbeat with every reject counted", timeout=8, seen=seen)
    check(sum(hb["rejected"].values()) == sum(want.values()),
          "nothing else rejected: %s" % hb["rejected"])
    hbs = [m["tseq"] for m in seen if m["type"] == "heartbeat"]
    check(hbs == list(range(hbs[0], hbs[0] + len(hbs))), "heartbeat tseq counts its topic: %s" % hbs)
    ups = [m for m in seen if m["type"] == "call_update" and m["call"] == "ok1"]
    tseqs = [m["tseq"] for m in ups]
    check(tseqs == sorted(set(tseqs)), "tseq rises on topic upd.billing.")
    m = ups[-1] if ups and ups[-1]["utterances"] == good else recv_until(
        sub, lambda t, m: m["type"] == "call_update" and m["call"] == "ok1"
        and m["utterances"] == good, "the good call was not disturbed")
    check(m["state"] == "active", "good call still active")
    rig.stop()
    log = rig.close()
    check("rejected" in log, "rejects are logged")


def case_decisions(rig):
    """Decisions are acknowledged, applied, and echoed to every console."""
    a, b = rig.sub(), rig.sub()
    dealer = rig.dealer()
    rig.wait_ready(a)
    rig.wait_ready(b)
    t0 = now_ms() - 30000
    rig.send(start("d1", t0))
    rig.send(start("d2", t0, queue="tech"))
    rig.send(utt("d1", t0 + 5000, t0, "customer", "This is useless. I want to speak to a manager right now."))
    sug = recv_until(a, lambda t, m: m["type"] == "suggestion_raised" and m["call"] == "d1"
                     and m["kind"] == "escalate", "an escalate suggestion for the explicit request")
    check(sug["reasons"] and sug["policy"], "suggestion carries reasons and policy version")

    def decision(uuid, kind, call="d1", **kw):
        m = {"v": 1, "type": "decision_submit", "req": 7, "uuid": uuid, "call": call,
             "queue": "billing", "decision": kind, "supervisor": "lead-ana", "at": now_ms()}
        m.update(kw)
        return request(dealer, m)[-1]

    ack = decision("u-1", "acknowledge", suggestion=sug["id"])
    check(ack["type"] == "decision_ack" and ack["ok"] and ack["uuid"] == "u-1", "ack %s" % ack)
    for s in (a, b):
        rec = recv_until(s, lambda t, m: m["type"] == "decision_recorded" and m["uuid"] == "u-1",
                         "decision echoed to each console")
        check(rec["supervisor"] == "lead-ana" and rec["decision"] == "acknowledge", "echo content")
    recv_until(a, lambda t, m: m["type"] == "call_update" and m["call"] == "d1"
               and m.get("claimed_by") == "lead-ana", "the call shows who owns it")
    dup = decision("u-1", "acknowledge", suggestion=sug["id"])
    check(dup["ok"] and dup["code"] == "duplicate", "duplicate uuid: %s" % dup)
    ack = decision("u-2", "dismiss", suggestion=sug["id"])
    check(ack["ok"], "dismiss acknowledged")
    clr = recv_until(a, lambda t, m: m["type"] == "suggestion_cleared" and m["id"] == sug["id"],
                     "dismissed suggestion cleared")
    check(clr.get("why") == "dismissed", "cleared because dismissed: %s" % clr)
    bad = decision("u-3", "dismiss", suggestion="sg-nope")
    check(not bad["ok"] and bad["code"] == "unknown_suggestion", "unknown suggestion: %s" % bad)
    # A call the analyzer does not track (say, decided while it was down):
    # the human record is still echoed to every console.
    unt = decision("u-4", "acknowledge", call="nope")
    check(unt["ok"] and unt["code"] == "untracked", "untracked call: %s" % unt)
    for s in (a, b):
        recv_until(s, lambda t, m: m["type"] == "decision_recorded" and m["uuid"] == "u-4",
                   "untracked call's decision echoed to each console")
    ack = decision("u-5", "raise", call="d2", queue="tech", severity=3, reason="tone")
    check(ack["ok"], "human raise acknowledged")
    recv_until(b, lambda t, m: m["type"] == "call_update" and m["call"] == "d2"
               and m.get("flag") == 3, "human flag shown on the call")
    err = request(dealer, {"v": 1, "type": "heartbeat", "req": 9})[-1]
    check(err["type"] == "error", "a non-request gets an error reply")
    rig.stop()


def feed_floor(only, calls, seed, path, duration=900):
    subprocess.run([FEED, "simulate", "--only", only, "--calls", str(calls), "--seed", str(seed),
                    "--duration", str(duration), "--start", "1700000000000", "--output", path,
                    "--scenarios", os.path.join(SRC, "data", "scenarios")],
                   check=True, timeout=30, stderr=subprocess.DEVNULL)


def replay(path, out):
    subprocess.run([ANALYZER, "run", "--replay", path, "--output", out, "--quiet",
                    "--publish", "inproc://p", "--requests", "inproc://r"],
                   check=True, timeout=30, stderr=subprocess.DEVNULL)
    return [json.loads(line) for line in open(out)]


def case_scenarios(_rig):
    """An escalating floor raises escalate suggestions; a calm one raises none."""
    d = tempfile.mkdtemp(prefix="ut-sc-")
    try:
        feed_floor("double_charge_manager", 6, 11, os.path.join(d, "esc.ndjson"))
        msgs = replay(os.path.join(d, "esc.ndjson"), os.path.join(d, "esc.out"))
        calls = {m["call"] for m in msgs if m["type"] == "call_update"}
        esc = {m["call"] for m in msgs if m["type"] == "suggestion_raised" and m["kind"] == "escalate"}
        check(len(calls) >= 6, "several escalating calls ran")
        check(esc <= calls and len(esc) >= 0.8 * len(calls),
              "escalating calls got escalate suggestions: %d of %d" % (len(esc), len(calls)))
        feed_floor("calm_billing", 6, 12, os.path.join(d, "calm.ndjson"))
        msgs = replay(os.path.join(d, "calm.ndjson"), os.path.join(d, "calm.out"))
        check(len([m for m in msgs if m["type"] == "call_update"]) > 0, "calm calls ran")
        sugs = [m for m in msgs if m["type"].startswith("suggestion")]
        check(not sugs, "calm calls raise no suggestion: %s" % [s.get("rule") for s in sugs])
    finally:
        shutil.rmtree(d, ignore_errors=True)


def case_live_feed(rig):
    """undertone-feed simulate drives the analyzer over the ingest socket."""
    sub = rig.sub()
    rig.wait_ready(sub)
    feed = rig.spawn([FEED, "simulate", "--only", "double_charge_manager", "--calls", "2",
                      "--seed", "3", "--duration", "300", "--max", "--connect", rig.ep["ingest"],
                      "--start", str(now_ms() - 300000),
                      "--scenarios", os.path.join(SRC, "data", "scenarios")],
                     stderr=subprocess.DEVNULL)
    recv_until(sub, lambda t, m: m["type"] == "suggestion_raised" and m["kind"] == "escalate",
               "an escalate suggestion from the simulated floor")
    check(feed.wait(timeout=WAIT) == 0, "feed exits 0")
    hb = recv_until(sub, lambda t, m: m["type"] == "heartbeat" and m["accepted"] > 0, "heartbeat")
    check(not hb["rejected"], "the feed's events are all valid: %s" % hb["rejected"])
    rig.stop()


def case_replay(rig):
    """undertone-feed replay keeps the recorded pace (scaled) and skips bad lines."""
    sub = rig.sub()
    rig.wait_ready(sub)
    t0 = now_ms() - 10000
    events = [start("r1", t0), utt("r1", t0 + 1000, t0, "customer", "hello there"),
              utt("r1", t0 + 1600, t0, "agent", "hi, how can I help?"),
              utt("r1", t0 + 2000, t0, "customer", "I was charged twice"), end("r1", t0 + 2000)]
    path = os.path.join(rig.dir, "r.ndjson")
    with open(path, "w") as f:
        f.write("# a comment line\n")
        for k, e in enumerate(events):
            f.write(json.dumps(e) + "\n")
            if k == 1:
                f.write("{this is not json}\n\n")
    began = time.time()
    p = subprocess.run([FEED, "replay", path, "--speed", "4", "--connect", rig.ep["ingest"]],
                       stderr=subprocess.PIPE, timeout=WAIT)
    took = time.time() - began
    err = p.stderr.decode()
    check(p.returncode == 0, "replay exits 0: %s" % err)
    check(0.45 <= took < 3.0, "2 s of events at --speed 4 took %.2f s" % took)
    check("5 events sent, 1 bad lines skipped" in err, "replay counts: %s" % err)
    m = recv_until(sub, lambda t, m: m["type"] == "call_update" and m["call"] == "r1"
                   and m["state"] == "ended", "the replayed call ends")
    check(m["utterances"] == 3, "every utterance arrived")
    began = time.time()
    p = subprocess.run([FEED, "replay", "-", "--max", "--connect", rig.ep["ingest"], "--json"],
                       input=open(path, "rb").read(), stderr=subprocess.PIPE, timeout=WAIT)
    check(p.returncode == 0 and time.time() - began < 1.5, "--max does not wait")
    hb = recv_until(sub, lambda t, m: m["type"] == "heartbeat"
                    and m["rejected"].get("duplicate_start") == 1, "second replay's duplicate counted")
    check(hb["rejected"].get("after_end") == 4, "events after the end counted: %s" % hb["rejected"])
    rig.stop()


CASES = {"replay": case_replay, "hwm_gap": case_hwm_gap, "snapshot": case_snapshot, "gap": case_gap, "malformed": case_malformed,
         "decisions": case_decisions, "scenarios": case_scenarios, "live_feed": case_live_feed}


def run_case(cases, rigless, make_rig):
    """Run the case named by argv[1] (with a fresh rig unless it is in
    rigless): print "ok NAME" and return 0, or print the failure and the
    rig's log and return 1. Shared by the integration peers."""
    name = sys.argv[1]
    signal.alarm(55)
    rig = None if name in rigless else make_rig()
    try:
        cases[name](rig)
    except Fail as e:
        print("FAIL %s: %s" % (name, e))
        if rig is not None:
            print(rig.close())
            rig = None
        return 1
    finally:
        if rig is not None:
            rig.close()
    print("ok %s" % name)
    return 0


def main():
    return run_case(CASES, ("scenarios", "hwm_gap"), Rig)


if __name__ == "__main__":
    sys.exit(main())
