#!/bin/sh
# Scale-out (issue 9): three analyzers (--shard i/3), one undertone-proxy that
# routes ingest by call hash, fans out feed and snapshots and routes
# decisions, two consoles in batch mode, one feed of 3,000 calls. Every call
# appears once in each console, from the analyzer that owns it; tag decisions
# reach the owner and echo to both consoles; killing one analyzer marks only
# its calls stale.
set -u
[ -n "${UT_PYTHON:-}" ] || { echo "SKIP: UT_PYTHON not set"; exit 77; }
B=${top_builddir:?}
S=${top_srcdir:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/ut-scale.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; for f in "$T"/*.log; do echo "== $f"; tail -20 "$f"; done; exit 1; }

for i in 0 1 2; do
	"$B/undertone-analyzer" run --shard $i/3 --pub-id an$i --ingest "ipc://$T/in$i" \
		--publish "ipc://$T/pub$i" --requests "ipc://$T/req$i" 2>"$T/an$i.log" &
	eval "an$i=$!"
	pids="$pids $!"
done
"$B/undertone-proxy" --stats 0 --ingest "ipc://$T/in" --publish "ipc://$T/pub" \
	--requests "ipc://$T/req" --control "ipc://$T/ctl" \
	--analyzer "ipc://$T/pub0,ipc://$T/req0,ipc://$T/in0" \
	--analyzer "ipc://$T/pub1,ipc://$T/req1,ipc://$T/in1" \
	--analyzer "ipc://$T/pub2,ipc://$T/req2,ipc://$T/in2" 2>"$T/proxy.log" &
pids="$pids $!"
proxy=$!
sleep 0.5

# Two consoles (one frame a second, then the call list) and a third that
# subscribes to two queues only.
for c in a b q; do
	extra=
	[ $c = q ] && extra="--queues billing,tech_support"
	env HOME="$T" XDG_DATA_HOME="$T/data-$c" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 \
		"$B/undertone" --batch --list-calls --frames 14 --interval 1 $extra \
		--feed "ipc://$T/pub" --requests "ipc://$T/req" >"$T/console-$c.out" 2>"$T/console-$c.log" &
	pids="$pids $!"
	eval "console_$c=$!"
done
sleep 1.5

"$B/undertone-feed" simulate --calls 3000 --seed 9 --duration 30 --max \
	--scenarios "$S/data/scenarios" --connect "ipc://$T/in" 2>"$T/feed.log" ||
	fail "feed"
sleep 2

# Tag nine calls through the proxy: each ack must come from the call's owner.
tagged="sim-9-1 sim-9-2 sim-9-3 sim-9-4 sim-9-5 sim-9-6 sim-9-7 sim-9-8 sim-9-9"
"$UT_PYTHON" "$S/tests/integration/scale_peer.py" decide "ipc://$T/req" 3 scale-test $tagged \
	>"$T/acks.log" 2>&1 || fail "decisions not all acknowledged"
while read -r word call pub code own; do
	[ "$word" = ack ] && [ "$code" = ok ] && [ "owner=$pub" = "$own" ] ||
		fail "decision on $call answered by $pub ($code), $own"
done <"$T/acks.log"
[ "$(grep -c '^ack ' "$T/acks.log")" -eq 9 ] || fail "expected 9 acks"

# Kill shard 1: its calls (and only those) must turn stale in both consoles.
sleep 1
kill "$an1"
for c in a b q; do
	eval "p=\$console_$c"
	wait "$p" || fail "console $c exited with $?"
done
for c in a b; do
	"$UT_PYTHON" "$S/tests/integration/scale_peer.py" check "$T/console-$c.out" 3 an1 $tagged ||
		fail "console $c"
done

# The queue-filtered console: only its queues' calls, and not one message of
# another queue reached it (the analyzers' PUBs filtered).
grep -q '^feed.other_queues = 0$' "$T/console-q.out" || fail "other queues reached the --queues console"
n=$(grep -c '^call ' "$T/console-q.out")
[ "$n" -gt 100 ] || fail "--queues console lists only $n calls"
if grep '^call ' "$T/console-q.out" | grep -v -e ' billing ' -e ' tech_support ' | head -3 | grep .; then
	fail "--queues console lists other queues"
fi
# The proxy's counters on request, then clean exits (under the sanitizers a
# leak or error would make these non-zero).
"$UT_PYTHON" -c '
import sys, zmq
s = zmq.Context().socket(zmq.REQ); s.setsockopt(zmq.LINGER, 0); s.connect(sys.argv[1])
s.send(b"STATISTICS")
sys.exit(0 if s.poll(3000) and b"proxy.requests.decisions = 9" in s.recv() else 1)
' "ipc://$T/ctl" || fail "STATISTICS on the control socket"
for p in "$proxy" "$an0" "$an2"; do
	kill "$p"; wait "$p" || fail "process $p exited with $?"
done
echo "ok: 3,000 calls in both consoles from their owners, 9 decisions routed, shard 1 stale alone, $n calls in the filtered console"
