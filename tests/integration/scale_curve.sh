#!/bin/sh
# Scale-out in secure mode (issue 9): two CURVE analyzers (--shard i/2) that
# admit only the proxy's key, an undertone-proxy that is a CURVE server to
# consoles and the feed (allow-list with roles) and a CURVE client of the
# analyzers. A console with an allowed key sees every call; a console whose
# key is not listed, and a plaintext console, see none.
set -u
[ -n "${UT_PYTHON:-}" ] || { echo "SKIP: UT_PYTHON not set"; exit 77; }
"$UT_PYTHON" -c 'import zmq, sys; sys.exit(0 if zmq.has("curve") else 1)' || exit 77
B=${top_builddir:?}
S=${top_srcdir:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/ut-scurve.XXXXXX")
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail() { echo "FAIL: $*"; head -3 "$T/good.out"; for f in "$T"/*.log; do echo "== $f"; grep -v "^proxy.re" "$f" | tail -12; done; exit 1; }

mkdir -p "$T/keys" "$T/an-allow" "$T/px-allow/consoles" "$T/px-allow/feeds"
for k in analyzer proxy console stranger feed; do
	"$B/undertone-keygen" "$T/keys/$k" >/dev/null 2>&1 || fail "keygen $k"
done
cp "$T/keys/proxy" "$T/an-allow/proxy"            # top level: every analyzer socket
cp "$T/keys/console" "$T/px-allow/consoles/console"
cp "$T/keys/feed" "$T/px-allow/feeds/feed"

for i in 0 1; do
	"$B/undertone-analyzer" run --shard $i/2 --pub-id an$i \
		--secret-key "$T/keys/analyzer_secret" --client-keys "$T/an-allow" \
		--ingest "ipc://$T/in$i" --publish "ipc://$T/pub$i" --requests "ipc://$T/req$i" \
		2>"$T/an$i.log" &
	pids="$pids $!"
done
"$B/undertone-proxy" --stats 0 --secret-key "$T/keys/proxy_secret" --client-keys "$T/px-allow" \
	--analyzer-key "$T/keys/analyzer" \
	--ingest "ipc://$T/in" --publish "ipc://$T/pub" --requests "ipc://$T/req" \
	--analyzer "ipc://$T/pub0,ipc://$T/req0,ipc://$T/in0" \
	--analyzer "ipc://$T/pub1,ipc://$T/req1,ipc://$T/in1" 2>"$T/proxy.log" &
pids="$pids $!"
proxy=$!
sleep 0.5

console() { # NAME ARGS...
	name=$1; shift
	env HOME="$T" XDG_DATA_HOME="$T/data-$name" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 \
		"$B/undertone" --batch --list-calls --frames 6 --interval 1 \
		--feed "ipc://$T/pub" --requests "ipc://$T/req" "$@" >"$T/$name.out" 2>"$T/$name.log" &
	pids="$pids $!"
}
console good --server-key "$T/keys/proxy" --client-key "$T/keys/console_secret"
console stranger --server-key "$T/keys/proxy" --client-key "$T/keys/stranger_secret"
console plain
sleep 1.5
"$B/undertone-feed" simulate --calls 300 --seed 4 --duration 30 --max \
	--server-key "$T/keys/proxy" --client-key "$T/keys/feed_secret" \
	--scenarios "$S/data/scenarios" --connect "ipc://$T/in" 2>"$T/feed.log" || fail "secure feed"
sleep 6

n=$(grep -c '^call ' "$T/good.out")
[ "$n" -eq 300 ] || fail "the allowed console lists $n calls, expected 300"
for p in an0 an1; do
	grep -q " $p live" "$T/good.out" || fail "no call from $p in the allowed console"
done
for c in stranger plain; do
	m=$(grep -c '^call ' "$T/$c.out")
	[ "$m" -eq 0 ] || fail "console '$c' (not admitted) lists $m calls"
	# (a refused console may stop before its list: no line is fine, a count is not)
	if grep '^feed.received = ' "$T/$c.out" | grep -qv ' = 0$'; then
		fail "console $c received feed messages"
	fi
done
kill "$proxy"; wait "$proxy" || fail "proxy exited with $?"
grep -q 'refused' "$T/proxy.log" || fail "the proxy did not log the refused key"
echo "ok: CURVE through the proxy: 300 calls from 2 shards for the allowed key; none for a stranger or plaintext"
