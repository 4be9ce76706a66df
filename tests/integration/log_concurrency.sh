#!/bin/sh
# Several processes append at once: nothing is lost and the chain is valid.
set -u
LOG="$top_builddir/undertone-log"
W="$top_builddir/tests/integration/dstore_writer"
T=$(mktemp -d /tmp/ut-conc.XXXXXX)
pids=
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

"$W" "$T/d.db" 1 init >/dev/null || fail init
for w in 1 2 3 4 5 6; do
	"$W" "$T/d.db" 50 "w$w" >"$T/w$w" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait $p || fail "writer $p failed"; done
pids=
"$LOG" --db "$T/d.db" verify >"$T/out" || { cat "$T/out"; fail verify; }
grep -q "^ok: 301 records" "$T/out" || fail "$(cat "$T/out")"
for w in 1 2 3 4 5 6; do
	n=$("$LOG" --db "$T/d.db" export --format ndjson | grep -c "\"agent\":\"w$w\"")
	[ "$n" -eq 50 ] || fail "writer w$w: $n of 50 present"
done
echo ok
