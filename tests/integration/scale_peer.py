"""Test peer for the scale-out tests (tests/integration/scale_*.sh).

  scale_peer.py owner CALL N             print the shard owning CALL among N
  scale_peer.py decide REQ_EP N LABEL CALL...
        send a `tag` decision_submit for each CALL through the proxy's ROUTER;
        print "ack CALL PUB CODE" per reply (PUB is the analyzer that answered)
  scale_peer.py check LIST N KILLED [TAGGED...]
        check a console's --list-calls output: 3,000 distinct calls, each from
        the analyzer that owns it (an<FNV-1a-64 mod N>), stale exactly when
        that analyzer is KILLED, tagged exactly when listed in TAGGED
"""
import sys
import time
import uuid

FNV_OFFSET = 0xcbf29ce484222325
FNV_PRIME = 0x100000001b3


def owner(call, n):
    h = FNV_OFFSET
    for b in call.encode():
        h ^= b
        h = (h * FNV_PRIME) & 0xffffffffffffffff
    return h % n


def decide(ep, n, label, calls):
    import msgpack
    import zmq
    ctx = zmq.Context()
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.connect(ep)
    now = int(time.time() * 1000)
    for i, call in enumerate(calls):
        s.send(msgpack.packb({
            "v": 1, "type": "decision_submit", "req": i + 1, "pub": "scale-peer",
            "uuid": str(uuid.uuid4()), "call": call, "queue": "billing",
            "decision": "tag", "label": label, "supervisor": "lead-1", "at": now}))
    got = 0
    poller = zmq.Poller()
    poller.register(s, zmq.POLLIN)
    while got < len(calls) and poller.poll(5000):
        m = msgpack.unpackb(s.recv(), raw=False)
        call = calls[m["req"] - 1]
        print("ack", call, m.get("pub"), m.get("code"), "owner=an%d" % owner(call, n))
        got += 1
    return 0 if got == len(calls) else 1


def check(path, n, killed, tagged):
    seen = {}
    errors = []
    for line in open(path):
        if not line.startswith("call "):
            continue
        _, call, queue, pub, state, tag = line.split()
        if call in seen:
            errors.append("listed twice: " + call)
        seen[call] = (pub, state, tag)
    if len(seen) != 3000:
        errors.append("%d calls, expected 3000" % len(seen))
    for call, (pub, state, tag) in seen.items():
        want = "an%d" % owner(call, n)
        if pub != want:
            errors.append("%s from %s, owner %s" % (call, pub, want))
        if (state == "stale") != (want == killed):
            errors.append("%s is %s (analyzer %s, killed %s)" % (call, state, want, killed))
        if (tag != "tag=-") != (call in tagged):
            errors.append("%s tag %s" % (call, tag))
    for e in errors[:20]:
        print("FAIL", path, e)
    print("%s: %d calls, %d problems" % (path, len(seen), len(errors)))
    return 1 if errors else 0


def main(argv):
    if argv[1] == "owner":
        print(owner(argv[2], int(argv[3])))
        return 0
    if argv[1] == "decide":
        return decide(argv[2], int(argv[3]), argv[4], argv[5:])
    if argv[1] == "check":
        return check(argv[2], int(argv[3]), argv[4], set(argv[5:]))
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
