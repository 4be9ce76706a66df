"""Fault tests for undertone-analyzer (and the console's feed client).

Reuses the rig of daemon_peer.py: the real analyzer on ipc:// endpoints in a
temporary directory, with pyzmq + msgpack peers. Usage: fault_peer.py CASE.
Every wait is bounded and every process is killed on the way out.
"""
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import msgpack  # noqa: E402
import zmq  # noqa: E402

from daemon_peer import (BUILD, Fail, Rig, check, decode, end, now_ms,  # noqa: E402
                         recv_until, request, run_case, snapshot, start, utt)

CONSOLE = os.path.join(BUILD, "undertone")


def pack(obj):
    return msgpack.packb(obj, use_bin_type=False)


def heartbeat(sub, what="heartbeat", timeout=5):
    return recv_until(sub, lambda t, m: m["type"] == "heartbeat", what, timeout=timeout)


def rejected_total(hb):
    return sum(hb.get("rejected", {}).values())


def hostile_frames(seed):
    """Bodies a hostile or broken peer may send, one frame each."""
    rnd = random.Random(seed)
    good = pack(start("x1", now_ms()))
    out = [bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 300))) for _ in range(150)]
    out += [good[:k] for k in range(1, len(good), 7)]                # truncated
    out += [b"",                                                    # empty frame
            b"\xdb\xff\xff\xff\xff", b"\xc6\xff\xff\xff\xff",        # str32 / bin32 4 GiB
            b"\xdd\xff\xff\xff\xff", b"\xdf\xff\xff\xff\xff",        # array32 / map32 4 Gi items
            b"\xc9\xff\xff\xff\xff\x01",                            # ext32 4 GiB
            b"\x83\xa1v\x01\xa4type\xaacall_start\xa4call\xdb\x7f\xff\xff\xff",
            b"\x91" * 20000 + b"\xc0",                              # 20000 nested arrays
            b"\x81\xa1a" * 5000 + b"\xc0",                          # 5000 nested maps
            b"[" * 20000 + b"]" * 20000,                            # JSON, not an object
            b'{"v":1,"a":' + b"[" * 20000 + b"]" * 20000 + b"}",      # deep JSON
            b'{"v":1,"type":"call_start"' + b' ' * 30000,           # unterminated JSON
            pack([1, 2, 3]), pack(42), pack("call_start"), pack(None),
            pack({"v": "1", "type": "call_start", "call": "w", "ts": 1}),
            pack({"v": 1, "type": 7, "call": "w", "ts": 1}),
            pack({"v": 1, "type": "call_start", "call": ["w"], "ts": 1}),
            pack({"v": 1, "type": "call_start", "call": "w", "ts": 1.5, "agent": "a",
                  "queue": "q", "channel": "voice"}),
            pack({"v": 1, "type": "utterance", "call": "w", "ts": 1, "text": 7}),
            pack({"v": 1, "type": "snapshot_request", "req": "one"}),
            pack({"v": 1, "type": "decision_submit", "req": 1, "decision": {"x": 1}}),
            pack({b"\xff\xfe": 1}), pack({1: 2})]
    return out


def case_garbage(rig):
    """Hostile bytes on the ingest PULL and the request ROUTER are counted;
    the analyzer stays up and serves a well-behaved client normally."""
    sub = rig.sub()
    rig.wait_ready(sub)
    before = rejected_total(heartbeat(sub))
    bodies = hostile_frames(8)
    for b in bodies:
        rig.push.send(b)
    for n in (2, 3, 50, 1000):                       # many frames in one message
        rig.push.send_multipart([b"\x80"] * n)
    bad = rig.dealer()
    for b in bodies:
        bad.send(b)
    for n in (3, 50, 1000):
        bad.send_multipart([b"\x80"] * n)
    sent = 2 * len(bodies) + 7
    # One more socket sends a body over the receive limit: libzmq drops the
    # connection, the analyzer never sees it (so it is not counted).
    big = rig.ctx.socket(zmq.PUSH)
    big.setsockopt(zmq.LINGER, 0)
    big.connect(rig.ep["ingest"])
    big.send(b"\x00" * (4 << 20))

    def counted(t, m):
        return m["type"] == "heartbeat" and rejected_total(m) - before >= sent
    hb = recv_until(sub, counted, "heartbeat counting %d rejects" % sent, timeout=10)
    check(rejected_total(hb) - before == sent,
          "every hostile message counted once: %d, sent %d: %s" %
          (rejected_total(hb) - before, sent, hb["rejected"]))
    check(rig.analyzer.poll() is None, "analyzer still running")
    # The bad client got error replies (or nothing), never a crash; a good
    # client is served as usual.
    dealer = rig.dealer()
    t0 = now_ms() - 20000
    rig.send(start("ok-after", t0))
    rig.send(utt("ok-after", t0 + 5000, t0, "customer", "I was charged twice"))
    recv_until(sub, lambda t, m: m["type"] == "call_update" and m["call"] == "ok-after"
               and m["utterances"] == 1, "update for a good call after the garbage")
    _, calls, _ = snapshot(dealer, req=7)
    check("ok-after" in calls, "snapshot serves the good call")
    replies = 0
    while bad.poll(200):
        frames = bad.recv_multipart()
        m = msgpack.unpackb(frames[-1], raw=False)
        check(m["type"] == "error", "a bad request gets an error reply, got %s" % m["type"])
        replies += 1
    check(replies > 0, "bad requests answered with errors")
    rig.stop()


def read_frames(proc, frames):
    """Collect the console's batch frames as (arrival time, text)."""
    cur = []
    for line in iter(proc.stdout.readline, b""):
        line = line.decode("utf-8", "replace")
        if line.strip() == "----":
            frames.append((time.time(), "".join(cur)))
            cur = []
        else:
            cur.append(line)


def console_batch(rig, frames, n=400, interval=0.1):
    env = dict(os.environ, COLUMNS="120", HOME=rig.dir, XDG_CONFIG_HOME=rig.dir,
               XDG_DATA_HOME=rig.dir)
    p = rig.spawn([CONSOLE, "--batch", "--frames", str(n), "--interval", str(interval),
                   "--feed", rig.ep["feed"], "--requests", rig.ep["req"]],
                  stdout=subprocess.PIPE, stderr=rig.log, env=env)
    threading.Thread(target=read_frames, args=(p, frames), daemon=True).start()
    return p


def wait_frame(frames, pred, what, timeout, since=0.0):
    end_at = time.time() + timeout
    while time.time() < end_at:
        for t, f in list(frames):
            if t >= since and pred(f):
                return t, f
        time.sleep(0.05)
    raise Fail("console: timed out waiting for %s; last frame:\n%s" %
               (what, frames[-1][1] if frames else "(none)"))


def header(f):
    """The summary and feed-status lines of a batch frame."""
    return " | ".join(f.splitlines()[:2])


def case_overload(_rig):
    """A console that stops reading (SIGSTOP) while the analyzer publishes at
    full rate: the PUB drops, the console notices by sequence and heals by a
    snapshot; meanwhile a second subscriber keeps getting heartbeats."""
    d = os.path.join(os.environ.get("TMPDIR", "/tmp"), "ut-ovl-%d.conf" % os.getpid())
    with open(d, "w") as f:
        f.write("[analyzer]\nsend_hwm = 100\n")
    rig = Rig("--config", d)
    try:
        hb = rig.ctx.socket(zmq.SUB)
        hb.setsockopt(zmq.LINGER, 0)
        hb.setsockopt(zmq.SUBSCRIBE, b"hb.")
        hb.connect(rig.ep["feed"])
        rig.wait_ready(hb)
        frames = []
        con = console_batch(rig, frames, n=600, interval=0.1)
        wait_frame(frames, lambda f: "feed: live" in header(f), "feed live", 8)
        con.send_signal(signal.SIGSTOP)
        t0 = now_ms() - 60000
        n = 3000
        beats = []
        flood_start = time.time()
        for i in range(n):
            rig.send(start("o%d" % i, t0))
            if i % 200 == 0:
                while hb.poll(0):
                    beats.append((time.time(), decode(hb.recv_multipart())[1]))
        for i in range(n):
            rig.send(utt("o%d" % i, t0 + 5000, t0, "customer", "where is my parcel"))
            if i % 200 == 0:
                while hb.poll(0):
                    beats.append((time.time(), decode(hb.recv_multipart())[1]))
        flood_end = time.time()
        until = time.time() + 3
        while time.time() < until:
            if hb.poll(100):
                beats.append((time.time(), decode(hb.recv_multipart())[1]))
        times = [flood_start] + [t for t, _ in beats]
        worst = max(b - a for a, b in zip(times, times[1:]))
        check(len(beats) >= 3, "heartbeats kept coming during and after the flood (%d)" % len(beats))
        check(worst < 2.5, "no heartbeat gap over 2.5 s while a console is stopped: %.2f s "
              "(flood took %.2f s)" % (worst, flood_end - flood_start))
        check(beats[-1][1]["calls"] == n, "analyzer has all %d calls: %s" % (n, beats[-1][1]["calls"]))
        resumed = time.time()
        con.send_signal(signal.SIGCONT)
        t, f = wait_frame(frames, lambda f: "calls %d" % n in header(f) and "feed: live" in header(f)
                          and "gaps healed 0" not in header(f), "healed with all calls", 15,
                          since=resumed)
        check("gaps healed" in header(f), "console reports the healed gap: %s" % header(f))
        rig.stop()
    finally:
        rig.close()
        os.unlink(d)


def case_clock(rig):
    """Event timestamps that jump back and forward (a stepped feed clock):
    durations never go negative or backwards, trends stay finite and in
    range, a jumped call does not disturb other calls, and the analyzer's
    own timing (uptime, heartbeats) follows the monotonic clock."""
    sub = rig.sub()
    rig.wait_ready(sub)
    dealer = rig.dealer()
    t0 = now_ms() - 30000
    day = 86400 * 1000
    for c in ("steady", "jumpy", "ahead"):
        rig.send(start(c, t0))
    texts = ["I was charged twice", "this is annoying", "still waiting",
             "thank you, that helps", "no, that is wrong again"]
    # steady: normal timestamps; jumpy: back an hour, then forward a day,
    # then back to now; ahead: starts normally, then far in the future.
    plan = {"steady": [t0 + 2000 * (k + 1) for k in range(5)],
            "jumpy": [t0 + 2000, t0 - 3600 * 1000, t0 + day, t0 + 4000, t0 + day + 2000],
            "ahead": [t0 + 2000, t0 + 10 * day, t0 + 10 * day + 1000, t0 + 3000, t0 + 10 * day + 5000]}
    for k in range(5):
        for c, ts in plan.items():
            rig.send(utt(c, ts[k], t0, "customer", texts[k], start_off=0, end_off=1000))
        time.sleep(0.3)
    seen = []
    deadline = time.time() + 4
    while time.time() < deadline:
        if sub.poll(200):
            seen.append(decode(sub.recv_multipart())[1])
    _, calls, _ = snapshot(dealer, req=3)
    for c in plan:
        check(c in calls, "call %s still tracked" % c)
        ups = [m for m in seen if m["type"] == "call_update" and m["call"] == c] + [calls[c]]
        durs = [u["duration_ms"] for u in ups]
        check(all(x >= 0 for x in durs), "%s: no negative duration: %s" % (c, durs))
        for u in ups:
            for key in ("latest", "ewma", "mean", "end"):
                v = u["sentiment"][key]
                check(-1.0 <= v <= 1.0, "%s: sentiment %s in range: %s" % (c, key, v))
            check(0.0 <= u["frustration"] <= 1.0, "%s: frustration in range" % c)
            pts = u.get("trend") or []
            ts = [p[0] for p in pts]
            check(ts == sorted(ts) and all(t >= 0 for t in ts),
                  "%s: trend points in time order: %s" % (c, ts))
            for p in pts:
                check(-1.0 <= p[1] <= 1.0 and 0.0 <= p[2] <= 1.0, "%s: trend point in range %s" % (c, p))
        check(calls[c]["state"] == "active", "%s still active: %s" % (c, calls[c]["state"]))
    # The steady call took all five; the jumps are counted, not applied.
    check(calls["steady"]["utterances"] == 5, "steady call kept every utterance")
    hb = heartbeat(sub)
    check(hb["rejected"].get("backwards", 0) >= 2, "backward steps counted: %s" % hb["rejected"])
    check(calls["steady"]["duration_ms"] < 3600 * 1000,
          "a jump on one call does not stretch another: %s" % calls["steady"]["duration_ms"])
    # Analyzer-local timing is monotonic: uptime grows by about the real time.
    a = heartbeat(sub)
    t_a = time.time()
    b = recv_until(sub, lambda t, m: m["type"] == "heartbeat" and m["uptime_ms"] > a["uptime_ms"],
                   "next heartbeat")
    grew = b["uptime_ms"] - a["uptime_ms"]
    check(0 < grew <= (time.time() - t_a) * 1000 + 1500, "uptime follows real time: +%d ms" % grew)
    rig.stop()


def case_signals(rig):
    """SIGHUP, SIGWINCH and SIGPIPE storms leave the analyzer serving; a
    SIGINT stops it cleanly (exit 0). SIGPIPE is ignored."""
    sub = rig.sub()
    rig.wait_ready(sub)
    dealer = rig.dealer()
    pid = rig.analyzer.pid
    for _ in range(200):
        for s in (signal.SIGWINCH, signal.SIGPIPE, signal.SIGHUP):
            os.kill(pid, s)
    time.sleep(0.2)
    check(rig.analyzer.poll() is None, "analyzer survives SIGHUP/SIGWINCH/SIGPIPE storms (rc %s)"
          % rig.analyzer.poll())
    t0 = now_ms() - 10000
    rig.send(start("sig1", t0))
    recv_until(sub, lambda t, m: m["type"] == "call_update" and m["call"] == "sig1", "update after storm")
    snapshot(dealer, req=5)
    heartbeat(sub)
    # A storm of SIGINT and SIGTERM: one clean exit, status 0.
    for _ in range(50):
        try:
            os.kill(pid, signal.SIGINT)
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            break
    try:
        rc = rig.analyzer.wait(timeout=5)
    except subprocess.TimeoutExpired:
        raise Fail("analyzer did not stop on a SIGINT/SIGTERM storm")
    check(rc == 0, "analyzer exit status after SIGINT/SIGTERM storm: %s" % rc)


HOSTILE = os.environ.get("XH", "\x1b[2J\x1b]0;pwned\x07\u009b31m\u202etxet\r\x08\x7f")


def hostile_update(pub, seq, tseq, call, now):
    return {"v": 1, "type": "call_update", "pub": pub, "seq": seq, "tseq": tseq, "ts": now,
            "call": call, "queue": "billing", "channel": "voice", "agent": "a-1",
            "agent_name": "Eve" + HOSTILE, "state": "active", "started": now - 60000,
            "duration_ms": 60000, "hold_ms": 0, "silence_ms": 0, "utterances": 3,
            "sentiment": {"latest": -0.6, "ewma": -0.5, "mean": -0.4, "end": -0.5, "slope": -0.1},
            "frustration": 0.7,
            "components": [{"name": "negativity", "value": 0.9, "weight": 0.4, "contrib": 0.36,
                            "evidence": "said" + HOSTILE}],
            "trend": [[50000, -0.5, 0.6]], "flag": 2, "reason": "why" + HOSTILE}


def case_hostile_feed(_rig):
    """The console's receiving sockets (SUB, DEALER) facing a hostile
    analyzer: garbage frames, wrong types, truncated and oversized bodies,
    garbage replies, and valid messages whose strings carry terminal escape
    sequences. The console keeps running, and its output carries no control
    byte from the network (escapes are shown, never sent to the terminal)."""
    rig = Rig()          # only for its temp dir, context and cleanup
    rig.analyzer.kill()
    rig.analyzer.wait()
    try:
        time.sleep(0.2)
        pub = rig.ctx.socket(zmq.PUB)
        pub.setsockopt(zmq.LINGER, 0)
        pub.bind(rig.ep["feed"])
        router = rig.ctx.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        router.bind(rig.ep["req"])
        frames = []
        con = console_batch(rig, frames, n=80, interval=0.1)
        call = "c-hostile"   # identifiers with control bytes are refused (bad_id)
        seq = 100
        garbage = hostile_frames(5)
        deadline = time.time() + 8
        snapped = False
        k = 0
        while time.time() < deadline and con.poll() is None:
            now = now_ms()
            if router.poll(50):
                req = router.recv_multipart()
                ident, body = req[0], req[-1]
                env = req[:-1]
                try:
                    r = msgpack.unpackb(body, raw=False)
                    rid = r.get("req", 0) if isinstance(r, dict) else 0
                except Exception:
                    rid = 0
                for g in garbage[:40]:                   # garbage replies first
                    router.send_multipart(env + [g])
                router.send_multipart([ident, b"x", b"y", b"z"])
                head = {"v": 1, "pub": "evil", "seq": seq, "ts": now, "req": rid}
                router.send_multipart(env + [pack(dict(head, type="snapshot_begin", calls=1,
                                                       suggestions=0))])
                item = hostile_update("evil", seq, 1, call, now)
                item["req"] = rid
                router.send_multipart(env + [pack(item)])
                router.send_multipart(env + [pack(dict(head, type="snapshot_end", calls=1,
                                                       suggestions=0))])
                snapped = True
            seq += 1
            pub.send_multipart([b"hb.", pack({"v": 1, "type": "heartbeat", "pub": "evil",
                                              "seq": seq, "ts": now, "calls": 1, "accepted": 1,
                                              "rejected": {"bad_id": 1}, "published": seq,
                                              "uptime_ms": 1000, "interval_ms": 1000})])
            g = garbage[k % len(garbage)]
            k += 1
            pub.send_multipart([b"upd.billing.", g])
            pub.send_multipart([g])
            pub.send_multipart([b"upd.billing.", g, g])
            if snapped:
                seq += 1
                pub.send_multipart([b"upd.billing.", pack(hostile_update("evil", seq, 2, call, now))])
        check(snapped, "the console asked for a snapshot")
        out = "".join(f for _, f in frames)
        check(con.poll() is None or con.returncode == 0,
              "console survived the hostile feed (rc %s)" % con.poll())
        check("c-hostile" in out and "Eve" in out, "the hostile call is shown: %s" % out[-800:])
        bad = sorted({"%04x" % ord(ch) for ch in out
                      if (ord(ch) < 0x20 and ch != "\n") or 0x7f <= ord(ch) < 0xa0
                      or ch in "\u202e"})
        check(not bad, "control characters from the network reached the output: %s" % bad)
        if os.environ.get("UT_FAULT_VERBOSE"):
            print(header(frames[-1][1]), [l for l in out.splitlines() if "Eve" in l][-1:])
        con.wait(timeout=15)
        check(con.returncode == 0, "console exit status %s" % con.returncode)
    finally:
        rig.close()


CASES = {"hostile_feed": case_hostile_feed, "garbage": case_garbage, "overload": case_overload, "clock": case_clock,
         "signals": case_signals}


def main():
    return run_case(CASES, ("overload", "hostile_feed"), Rig)


if __name__ == "__main__":
    sys.exit(main())
