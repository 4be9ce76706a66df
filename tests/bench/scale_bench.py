"""Scale-out benchmark (issue 9; on demand, asserts nothing).

  scale_bench.py BUILDDIR EVENTS.ndjson N [N...]

For each N: N analyzers (--shard i/N) behind one undertone-proxy that routes
ingest by call hash, a subscriber on the proxy's XPUB taking every topic (as
a console would), and undertone-feed replaying EVENTS at full speed into the
proxy. The run ends when the analyzers' heartbeats (every 100 ms) account
for every event (accepted + rejected). Prints `bench.scale.<N>.<figure>`
lines: aggregate events/s (wall), CPU seconds of the analyzers, the proxy
and the feed, events per analyzer CPU-second, the feed's mean message size
and the messages the subscriber received.
"""
import os
import subprocess
import sys
import tempfile
import time

import msgpack
import zmq

HZ = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        parts = f.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / HZ


def run(build, events_file, total, n, tmp):
    conf = os.path.join(tmp, "an.conf")
    with open(conf, "w") as f:
        f.write("[analyzer]\nheartbeat_interval = 100ms\n[limits]\nmax_calls = 200000\n")
    procs = []
    an = []
    try:
        for i in range(n):
            p = subprocess.Popen([build + "/undertone-analyzer", "run", "--quiet", "--config", conf,
                                  "--shard", "%d/%d" % (i, n), "--pub-id", "an%d" % i,
                                  "--ingest", "ipc://%s/in%d" % (tmp, i),
                                  "--publish", "ipc://%s/pub%d" % (tmp, i),
                                  "--requests", "ipc://%s/req%d" % (tmp, i)],
                                 stderr=subprocess.DEVNULL)
            procs.append(p)
            an.append(p)
        args = [build + "/undertone-proxy", "--stats", "0", "--ingest", "ipc://%s/in" % tmp,
                "--publish", "ipc://%s/pub" % tmp, "--requests", "ipc://%s/req" % tmp]
        for i in range(n):
            args += ["--analyzer", "ipc://%s/pub%d,ipc://%s/req%d,ipc://%s/in%d" % (tmp, i, tmp, i, tmp, i)]
        proxy = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        procs.append(proxy)
        ctx = zmq.Context()
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 1000000)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.connect("ipc://%s/pub" % tmp)
        time.sleep(0.8)
        c0 = {p.pid: cpu_s(p.pid) for p in procs}
        t0 = time.monotonic()
        feed = subprocess.Popen([build + "/undertone-feed", "replay", events_file, "--max",
                                 "--connect", "ipc://%s/in" % tmp], stderr=subprocess.DEVNULL)
        procs.append(feed)
        counts = {}
        msgs = nbytes = 0
        t_end = None
        deadline = t0 + 60
        while time.monotonic() < deadline:
            if not sub.poll(100):
                continue
            while True:
                try:
                    topic, body = sub.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                msgs += 1
                nbytes += len(topic) + len(body)
                if topic == b"hb.":
                    hb = msgpack.unpackb(body, raw=False)
                    counts[hb["pub"]] = hb["accepted"] + sum(hb["rejected"].values())
            if sum(counts.values()) >= total and len(counts) == n:
                t_end = time.monotonic()
                break
        _, _, ru = os.wait4(feed.pid, 0)   # reaped here, so its CPU time is known
        feed.returncode = 0
        feed_cpu = ru.ru_utime + ru.ru_stime
        c1 = {p.pid: cpu_s(p.pid) for p in procs if p is not feed}
        wall = (t_end or time.monotonic()) - t0
        an_cpu = sum(c1[p.pid] - c0[p.pid] for p in an)
        pr_cpu = c1[proxy.pid] - c0[proxy.pid]
        done = sum(counts.values())
        pre = "bench.scale.%d" % n
        print("%s.events = %d events" % (pre, done))
        print("%s.complete = %d %%" % (pre, 100 * done // total))
        print("%s.wall = %.2f s" % (pre, wall))
        print("%s.aggregate_rate = %.0f events/s" % (pre, done / wall))
        cores = min(n, os.cpu_count() or 1)
        print("%s.per_core_rate = %.0f events/s" % (pre, done / wall / cores))
        print("%s.analyzer_cpu = %.2f s" % (pre, an_cpu))
        print("%s.events_per_analyzer_cpu_s = %.0f events/s" % (pre, done / an_cpu if an_cpu else 0))
        print("%s.proxy_cpu = %.2f s" % (pre, pr_cpu))
        print("%s.events_per_proxy_cpu_s = %.0f events/s" % (pre, done / pr_cpu if pr_cpu else 0))
        print("%s.feed_cpu = %.2f s" % (pre, feed_cpu))
        print("%s.feed_msgs = %d msgs" % (pre, msgs))
        print("%s.feed_msg_bytes = %.0f bytes" % (pre, nbytes / msgs if msgs else 0))
        sys.stdout.flush()
        sub.close()
        ctx.term()
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def main(argv):
    build, events = argv[1], argv[2]
    with open(events) as f:
        total = sum(1 for line in f if line.strip() and not line.startswith("#"))
    print("bench.scale.input_events = %d events" % total)
    for n in argv[3:]:
        with tempfile.TemporaryDirectory(prefix="ut-scale-") as tmp:
            run(build, events, total, int(n), tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
