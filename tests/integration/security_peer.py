"""Security integration tests (issue 8): the real analyzer, feed and console
in secure mode (CURVE + ZAP allow-list) on ipc:// endpoints in a temporary
directory, with pyzmq peers playing unlisted, plaintext and hostile parties.
Usage: security_peer.py CASE. Every wait is bounded; everything started is
killed on the way out.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq
import zmq.auth

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon_peer import Fail, check, now_ms, run_case  # noqa: E402

BUILD = os.environ.get("top_builddir", ".")
ANALYZER = os.path.join(BUILD, "undertone-analyzer")
FEED = os.path.join(BUILD, "undertone-feed")
CONSOLE = os.path.join(BUILD, "undertone")
KEYGEN = os.path.join(BUILD, "undertone-keygen")
WAIT = 10.0
QUIET = 1.5     # how long a refused party listens to prove it gets nothing


class Rig:
    """Keys for server, console, feed and mallory; the analyzer in secure mode."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ut-sec-")
        self.ep = {k: "ipc://%s/%s" % (self.dir, k) for k in ("ingest", "feed", "req")}
        self.ctx = zmq.Context()
        self.procs = []
        self.allow = os.path.join(self.dir, "allow")
        os.mkdir(self.allow, 0o700)
        for name in ("server", "console", "feed", "mallory"):
            self.keygen(name)
        # Roles: the feed's key may only push, the console's only read and ask.
        for name, sub in (("console", "consoles"), ("feed", "feeds")):
            os.mkdir(os.path.join(self.allow, sub), 0o700)
            shutil.copy(self.key(name), os.path.join(self.allow, sub, name + ".key"))
        self.log_path = os.path.join(self.dir, "analyzer.log")
        self.log = open(self.log_path, "w")
        self.analyzer = self.spawn([ANALYZER, "run", "--ingest", self.ep["ingest"],
                                    "--publish", self.ep["feed"], "--requests", self.ep["req"],
                                    "--pub-id", "sec-analyzer",
                                    "--secret-key", self.key("server") + "_secret",
                                    "--client-keys", self.allow], stderr=self.log)
        self.wait_log(r"allow-list .*: 2 keys", "the allow-list loaded")

    def key(self, name):
        return os.path.join(self.dir, name + ".key")

    def keygen(self, name):
        p = subprocess.run([KEYGEN, "--name", name, self.key(name)], capture_output=True,
                           timeout=WAIT)
        check(p.returncode == 0, "keygen %s: %s" % (name, p.stderr))
        mode = os.stat(self.key(name) + "_secret").st_mode & 0o777
        check(mode == 0o600, "secret key file mode %o" % mode)

    def spawn(self, argv, **kw):
        p = subprocess.Popen(argv, **kw)
        self.procs.append(p)
        return p

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def wait_log(self, pattern, what, between=lambda: time.sleep(0.05)):
        """Wait for pattern in the analyzer's log; between() runs between looks."""
        end = time.time() + WAIT
        while time.time() < end:
            if re.search(pattern, self.log_text()):
                return
            check(self.analyzer.poll() is None, "analyzer died: " + self.log_text())
            between()
        raise Fail("timed out waiting for the analyzer log: " + what)

    def plaintext_try(self):
        """A plaintext client that connects for a second, then goes."""
        s = self.sock(zmq.SUB, None, None)
        time.sleep(1.1)
        s.close()

    def sock(self, kind, ep, as_name):
        """A socket as client as_name (None: plaintext)."""
        s = self.ctx.socket(kind)
        s.setsockopt(zmq.LINGER, 0)
        if as_name is not None:
            pub, sec = zmq.auth.load_certificate(self.key(as_name) + "_secret")
            server, _ = zmq.auth.load_certificate(self.key("server"))
            s.curve_secretkey = sec
            s.curve_publickey = pub
            s.curve_serverkey = server
        if kind == zmq.SUB:
            s.setsockopt(zmq.SUBSCRIBE, b"")
        s.connect(self.ep[{zmq.SUB: "feed", zmq.DEALER: "req", zmq.PUSH: "ingest"}[kind]])
        return s

    def feed_events(self, events, as_name="feed"):
        path = os.path.join(self.dir, "events.ndjson")
        with open(path, "w") as f:
            for e in events:
                f.write(encode_json(e) + "\n")
        p = subprocess.run([FEED, "replay", path, "--max", "--connect", self.ep["ingest"],
                            "--server-key", self.key("server"),
                            "--client-key", self.key(as_name) + "_secret"],
                           capture_output=True, timeout=2 * WAIT)  # a refused feed waits 3 s + 2 s linger by design
        if as_name == "feed":
            check(p.returncode == 0, "secure feed replay: %s" % p.stderr)
        return p.returncode, p.stderr.decode()

    def console_batch(self, as_name="console", extra=()):
        argv = [CONSOLE, "--batch", "--frames", "1", "--feed", self.ep["feed"],
                "--requests", self.ep["req"]]
        if as_name is not None:
            argv += ["--server-key", self.key("server"),
                     "--client-key", self.key(as_name) + "_secret"]
        env = dict(os.environ, COLUMNS="160", LANG="C.UTF-8", XDG_CONFIG_HOME=self.dir,
                   XDG_DATA_HOME=self.dir, HOME=self.dir)
        env.pop("UNDERTONE_CONFIG", None)
        p = subprocess.run(argv + list(extra), capture_output=True, timeout=WAIT, env=env)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode()

    def stop(self):
        self.analyzer.send_signal(signal.SIGTERM)
        try:
            rc = self.analyzer.wait(timeout=5)
        except subprocess.TimeoutExpired:
            raise Fail("analyzer did not stop on SIGTERM")
        check(rc == 0, "analyzer exit status %s" % rc)
        return self.log_text()

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        self.ctx.destroy(linger=0)
        self.log.close()
        text = self.log_text()
        shutil.rmtree(self.dir, ignore_errors=True)
        return text


def encode_json(e):
    import json
    return json.dumps(e)


def start(call, ts, agent_name="Ann"):
    return {"v": 1, "type": "call_start", "call": call, "ts": ts, "agent": "a1",
            "agent_name": agent_name, "queue": "billing", "channel": "voice"}


def utt(call, ts, t0, text):
    return {"v": 1, "type": "utterance", "call": call, "ts": ts, "speaker": "customer",
            "start_ms": max(0, ts - t0 - 1500), "end_ms": ts - t0, "final": True, "text": text}


def snapshot_reply(dealer, timeout):
    """Ask for a snapshot; return the first reply, or None if none comes."""
    dealer.send(msgpack.packb({"v": 1, "type": "snapshot_request", "req": 7},
                              use_bin_type=False), zmq.NOBLOCK)
    if dealer.poll(int(timeout * 1000)):
        return msgpack.unpackb(dealer.recv_multipart()[-1], raw=False)
    return None


def hears_anything(sub, timeout):
    return sub.poll(int(timeout * 1000)) != 0


def case_curve(rig):
    t0 = now_ms() - 5000
    rig.feed_events([start("sec-1", t0), utt("sec-1", t0 + 1000, t0, "this is the third time")])
    # 1. An allowed console (batch mode) receives data.
    rc, out, err = rig.console_batch()
    check(rc == 0, "allowed console exits 0: %s" % err)
    check("feed: live" in out and "sec-1" in out, "allowed console sees the call:\n" + out)
    # 2. An unlisted key gets nothing: no feed, no snapshot; refusal logged.
    sub = rig.sock(zmq.SUB, None, "mallory")
    dealer = rig.sock(zmq.DEALER, None, "mallory")
    check(snapshot_reply(dealer, QUIET) is None, "unlisted key got a snapshot reply")
    check(not hears_anything(sub, QUIET), "unlisted key hears the feed")
    rig.wait_log(r"zap: refused CURVE client .*key not in the allow-list", "refusal logged")
    # A feed's key is listed, but only for ingest: it cannot read the feed.
    fsub = rig.sock(zmq.SUB, None, "feed")
    check(not hears_anything(fsub, QUIET), "a feed key reads the feed")
    rig.wait_log(r"key not allowed on this socket", "role refusal logged")
    fsub.close()
    rc, out, err = rig.console_batch("mallory")
    check("sec-1" not in out and "feed: live" not in out,
          "the console with an unlisted key shows data:\n" + out)
    check("feed: REFUSED" in out, "the refused console does not say so:\n" + out)
    # A console pinned to the wrong analyzer key fails the handshake and says so.
    rc, out, err = rig.console_batch("console", ("--server-key", rig.key("mallory")))
    check("sec-1" not in out and "feed: HANDSHAKE FAILED" in out,
          "a console with the wrong analyzer key:\n" + out)
    # Refused clients retry; close them so the refusal log (10 lines/s) is free.
    sub.close()
    dealer.close()
    time.sleep(1.1)
    # 3. A plaintext client gets nothing, and a plaintext feed is not heard.
    psub = rig.sock(zmq.SUB, None, None)
    pdealer = rig.sock(zmq.DEALER, None, None)
    ppush = rig.sock(zmq.PUSH, None, None)
    ppush.send(msgpack.packb(start("plain-intruder", now_ms()), use_bin_type=False), zmq.NOBLOCK)
    check(snapshot_reply(pdealer, QUIET) is None, "plaintext client got a snapshot reply")
    check(not hears_anything(psub, QUIET), "plaintext client hears the feed")
    # libzmq does not retry after a protocol error, so each plaintext socket
    # is refused once; if that one refusal fell in a second whose log budget
    # was spent (the analyzer then logs only a count), a fresh one tries again.
    rig.wait_log(r"zap: refused a client on .*handshake failed \(not CURVE", "plaintext refusal logged",
                 rig.plaintext_try)
    rc, out, err = rig.console_batch(None)
    check("sec-1" not in out and "feed: live" not in out, "plaintext console shows data:\n" + out)
    # A feed with an unlisted key, or with a console's key, is refused and says so.
    for who in ("mallory", "console"):
        rc, err = rig.feed_events([start("intruder-" + who, now_ms())], who)
        check(rc != 0 and "refused this feed's key" in err, "%s as a feed: %s" % (who, err))
    rc, out, err = rig.console_batch()
    check("sec-1" in out and "plain-intruder" not in out and "intruder-" not in out,
          "a refused feed's call reached the analyzer:\n" + out)
    # 4. SIGHUP reload admits a newly listed key (the same sockets retry).
    shutil.copy(rig.key("mallory"), os.path.join(rig.allow, "mallory.key"))
    rig.analyzer.send_signal(signal.SIGHUP)
    rig.wait_log(r"allow-list: added mallory.key", "reload logged the added key")
    dealer = rig.sock(zmq.DEALER, None, "mallory")
    sub = rig.sock(zmq.SUB, None, "mallory")
    m = snapshot_reply(dealer, WAIT)
    check(m is not None and m["type"] == "snapshot_begin", "newly listed key gets a snapshot")
    check(hears_anything(sub, 3.0), "newly listed key hears the feed (heartbeats)")
    # Keys leave the list too.
    os.unlink(os.path.join(rig.allow, "mallory.key"))
    rig.analyzer.send_signal(signal.SIGHUP)
    rig.wait_log(r"allow-list: removed mallory.key", "reload logged the removed key")
    late = rig.sock(zmq.DEALER, None, "mallory")
    check(snapshot_reply(late, QUIET) is None, "a removed key is refused again")
    log = rig.stop()
    z = re.search(r"zap: admitted (\d+), refused key (\d+), refused mechanism \d+, "
                  r"handshakes failed (\d+)", log)
    check(z is not None and int(z.group(1)) >= 3 and int(z.group(2)) >= 2 and int(z.group(3)) >= 3,
          "the analyzer counts admissions and refusals: %s" % (z.group(0) if z else log))


def case_config(rig):
    """Secure mode from the [security] sections of both config files."""
    conf = os.path.join(rig.dir, "console.conf")
    with open(conf, "w") as f:
        f.write("[endpoints]\nfeed = %s\nrequests = %s\n[security]\n"
                "server_public_key = %s\nclient_secret_key = %s_secret\nclient_public_key = %s\n"
                % (rig.ep["feed"], rig.ep["req"], rig.key("server"), rig.key("console"),
                   rig.key("console")))
    t0 = now_ms() - 5000
    rig.feed_events([start("cfg-1", t0)])
    rc, out, err = rig.console_batch(None, ["--config", conf])
    check(rc == 0 and "cfg-1" in out, "console keys from [security]:\n%s%s" % (out, err))
    # A wrong public key for the console's own pair is refused at start.
    with open(conf, "a") as f:
        f.write("client_public_key = %s\n" % rig.key("mallory"))
    rc, out, err = rig.console_batch(None, ["--config", conf])
    check(rc != 0 and "does not match" in err, "mismatched key pair refused: %s" % err)
    # Half a configuration is an error, not a silent plaintext fallback.
    rc, out, err = rig.console_batch(None, ["--server-key", rig.key("server")])
    check(rc != 0 and "secure mode needs" in err, "half-configured console refused: %s" % err)
    # A secret key readable by others is refused.
    os.chmod(rig.key("console") + "_secret", 0o644)
    rc, out, err = rig.console_batch()
    check(rc != 0 and "too open" in err, "world-readable secret refused: %s" % err)
    os.chmod(rig.key("console") + "_secret", 0o600)
    # The analyzer from its own config file.
    aconf = os.path.join(rig.dir, "analyzer.conf")
    with open(aconf, "w") as f:
        f.write("[security]\nserver_secret_key = %s_secret\nserver_public_key = %s\n"
                % (rig.key("server"), rig.key("server")))
    p = subprocess.run([ANALYZER, "run", "--config", aconf, "--ingest", "ipc://%s/x1" % rig.dir,
                        "--publish", "ipc://%s/x2" % rig.dir, "--requests",
                        "ipc://%s/x3" % rig.dir], capture_output=True, timeout=WAIT)
    check(p.returncode != 0 and b"client_keys_dir" in p.stderr,
          "analyzer without an allow-list refuses to start: %s" % p.stderr)
    # The analyzer's --output (customer evidence) is created private.
    out = os.path.join(rig.dir, "feed.ndjson")
    p = subprocess.run([ANALYZER, "--replay", "-", "--output", out, "--quiet",
                        "--publish", "ipc://%s/y1" % rig.dir, "--requests",
                        "ipc://%s/y2" % rig.dir], input=b"",
                       capture_output=True, timeout=WAIT)
    check(p.returncode == 0, "replay: %s" % p.stderr)
    mode = os.stat(out).st_mode & 0o777
    check(mode == 0o600, "--output file mode %o" % mode)
    rig.stop()


# ---- hostile feed: a fake analyzer sends escape sequences to the console ----

EVIL = ("Evil\x1b[2J\x1b[31mRed\x1b]0;pwned\x07Agent\x9b1;1H\u202eReversed\u200b"
        "\x1bP+q544e\x1b\\\r\x08\x7fEnd")


def hostile_messages(req, pub="fake-analyzer", seq=5):
    ts = now_ms()
    base = {"v": 1, "pub": pub, "seq": seq, "ts": ts, "req": req}
    comp = [{"name": n, "value": 0.5, "weight": 0.2, "contrib": 0.1, "evidence": EVIL}
            for n in ("negativity", "repetition", "escalation", "interruption", "pace",
                      "emphasis", "silence", "voice")]
    call = dict(base, type="call_update", tseq=2, call="h-1", queue="billing", channel="voice",
                agent="a1", agent_name=EVIL, state="active", started=ts - 8000,
                duration_ms=8000, hold_ms=0, silence_ms=0, utterances=3,
                sentiment={"latest": -0.5, "ewma": -0.5, "mean": -0.5, "end": -0.5,
                           "slope": -1.0},
                frustration=0.8, components=comp, trend=[[900, -0.4, 0.4], [1900, -0.5, 0.8]],
                reason=EVIL)
    sug = dict(base, type="suggestion_raised", tseq=2, id="sg-1", call="h-1", queue="billing",
               rule="escalation_request", kind="escalate", severity=3,
               reasons=[{"signal": "escalation", "value": 0.9, "phrase": EVIL}],
               raised=ts - 1000, updated=ts, policy="builtin-1", tip=EVIL)
    return ([dict(base, type="snapshot_begin", calls=1, suggestions=1), call, sug,
             dict(base, type="snapshot_end", calls=1, suggestions=1)])


def case_hostile_feed(_rig):
    """Escape sequences and controls in every string a console shows never
    reach its output: the batch frame holds the call, with no ESC, C1 or
    other control byte."""
    d = tempfile.mkdtemp(prefix="ut-hostile-")
    ctx = zmq.Context()
    try:
        pub = ctx.socket(zmq.PUB)
        router = ctx.socket(zmq.ROUTER)
        for s in (pub, router):
            s.setsockopt(zmq.LINGER, 0)
        pub.bind("ipc://%s/feed" % d)
        router.bind("ipc://%s/req" % d)
        env = dict(os.environ, COLUMNS="200", LANG="C.UTF-8", LC_ALL="C.UTF-8",
                   XDG_CONFIG_HOME=d, XDG_DATA_HOME=d, HOME=d)
        env.pop("UNDERTONE_CONFIG", None)
        con = subprocess.Popen([CONSOLE, "--batch", "--frames", "1", "--feed",
                                "ipc://%s/feed" % d, "--requests", "ipc://%s/req" % d],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        served = 0
        end = time.time() + WAIT
        while con.poll() is None and time.time() < end:
            if router.poll(100):
                frames = router.recv_multipart()
                m = msgpack.unpackb(frames[-1], raw=False)
                if m.get("type") == "snapshot_request":
                    for r in hostile_messages(m.get("req", 0)):
                        router.send_multipart([frames[0], msgpack.packb(r, use_bin_type=False)])
                    served += 1
        out, err = con.communicate(timeout=WAIT)
        check(served >= 1, "the console asked for a snapshot")
        text = out.decode("utf-8", "replace")
        check("h-1" in text and "feed: live" in text, "the hostile call is shown:\n" + text)
        check("Evil" in text, "the hostile agent name is shown (cleaned):\n" + text)
        bad = sorted({"%02x" % b for b in out if (b < 0x20 and b != 0x0a) or b == 0x7f})
        check(not bad, "control bytes reached the terminal: %s" % bad)
        check("\u202e" not in text and "\u200b" not in text and "\x9b" not in text,
              "bidi/invisible/C1 characters reached the terminal")
        check("pwned" not in text, "an OSC title string reached the terminal:\n" + text)
        hostile_ingest(d, ctx)
    finally:
        ctx.destroy(linger=0)
        shutil.rmtree(d, ignore_errors=True)


def hostile_ingest(d, ctx):
    """The analyzer's own log (stderr, often a terminal) quotes call ids and
    field names from rejected events: none of their escapes may reach it."""
    log_path = os.path.join(d, "an.log")
    with open(log_path, "w") as log:
        an = subprocess.Popen([ANALYZER, "run", "--ingest", "ipc://%s/in" % d, "--publish",
                               "ipc://%s/pub" % d, "--requests", "ipc://%s/rq" % d],
                              stderr=log)
    try:
        push = ctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 0)
        push.connect("ipc://%s/in" % d)
        evil_id = "\x1b]0;pwned\x07\x1b[2J\x9b31mcall"
        push.send(msgpack.packb(utt(evil_id, now_ms(), now_ms() - 1000, "hi"),
                                use_bin_type=False))
        push.send(('{"v":1,"type":"call_start","call":"%s","ts":1}' % "\\u001b[5mX").encode())
        end = time.time() + WAIT
        while time.time() < end and open(log_path, "rb").read().count(b"rejected") < 2:
            time.sleep(0.05)
    finally:
        an.terminate()
        an.wait(timeout=5)
    raw = open(log_path, "rb").read()
    check(raw.count(b"rejected") >= 2, "the analyzer logged the rejections: %r" % raw)
    bad = sorted({"%02x" % b for b in raw if (b < 0x20 and b != 0x0a) or b == 0x7f})
    check(not bad and b"\xc2\x9b" not in raw, "control bytes in the analyzer's log: %s %r" % (bad, raw))


# ---- input bounds: a flood of new call ids cannot exhaust memory ----

def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise Fail("no VmRSS")


def heartbeat(sub, pred, what):
    end = time.time() + WAIT
    while time.time() < end:
        if sub.poll(int(max(1, (end - time.time()) * 1000))):
            m = msgpack.unpackb(sub.recv_multipart()[-1], raw=False)
            if m["type"] == "heartbeat" and pred(m):
                return m
    raise Fail("timed out waiting for a heartbeat: " + what)


def no_quarantine():
    """Under ASan, freed memory is held in quarantine and would show as growth."""
    env = dict(os.environ)
    opts = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (opts + ":" if opts else "") + \
        "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
    return env


def case_bounds(_rig):
    """--max-calls caps the calls tracked: 20,000 new call ids after the cap
    are refused and counted, memory stays flat, and the analyzer still
    answers a snapshot with exactly the capped calls. Oversized frames are
    dropped by libzmq (ZMQ_MAXMSGSIZE) and the analyzer stays up."""
    d = tempfile.mkdtemp(prefix="ut-bounds-")
    ctx = zmq.Context()
    ep = {k: "ipc://%s/%s" % (d, k) for k in ("ingest", "feed", "req")}
    an = subprocess.Popen([ANALYZER, "run", "--ingest", ep["ingest"], "--publish", ep["feed"],
                           "--requests", ep["req"], "--max-calls", "200", "--quiet"],
                          stderr=subprocess.DEVNULL, env=no_quarantine())
    try:
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"hb.")
        sub.connect(ep["feed"])
        push = ctx.socket(zmq.PUSH)
        push.setsockopt(zmq.LINGER, 0)
        push.connect(ep["ingest"])
        heartbeat(sub, lambda m: True, "the analyzer is up")
        ts = now_ms()

        def flood(first, n):
            for i in range(first, first + n):
                push.send(msgpack.packb(start("flood-%06d" % i, ts), use_bin_type=False))

        flood(0, 2000)
        heartbeat(sub, lambda m: m["rejected"].get("call_cap", 0) >= 1800, "cap reached")
        before = rss_kb(an.pid)
        flood(2000, 20000)
        hb = heartbeat(sub, lambda m: m["rejected"].get("call_cap", 0) >= 21800,
                       "the flood refused and counted")
        check(hb["rejected"]["call_cap"] == 21800, "refused %s" % hb["rejected"])
        grown = rss_kb(an.pid) - before
        check(grown < 16 * 1024, "RSS grew %d kB during a refused flood" % grown)
        print("RSS %d kB at the cap, %+d kB after 20000 refused new call ids" % (before, grown))
        # A frame over max_message (1 MiB) is dropped by libzmq, not delivered.
        push.send(b"\x00" * (2 << 20))
        dealer = ctx.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.connect(ep["req"])
        m = snapshot_reply(dealer, WAIT)
        check(m is not None and m["type"] == "snapshot_begin" and m["calls"] == 200,
              "snapshot after the flood: %s" % m)
        check(an.poll() is None, "the analyzer is still up")
    finally:
        if an.poll() is None:
            an.kill()
            an.wait()
        ctx.destroy(linger=0)
        shutil.rmtree(d, ignore_errors=True)


CASES = {"curve": case_curve, "config": case_config, "hostile_feed": case_hostile_feed,
         "bounds": case_bounds}


def main():
    return run_case(CASES, ("hostile_feed", "bounds"), Rig)


if __name__ == "__main__":
    sys.exit(main())
