#!/bin/sh
# Several processes append at once: nothing is lost and the chain is valid.
# Meanwhile undertone-log (read-only) lists and verifies beside the writers.
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
readers=0
while kill -0 $pids 2>/dev/null; do
	"$LOG" --db "$T/d.db" verify --quick >"$T/r" 2>&1 || { cat "$T/r"; fail "verify beside writers"; }
	"$LOG" --db "$T/d.db" list --limit 5 >/dev/null 2>&1 || fail "list beside writers"
	readers=$((readers + 1))
done
for p in $pids; do wait $p || fail "writer $p failed"; done
pids=
[ "$readers" -gt 0 ] || echo "note: writers finished before a reader ran"
"$LOG" --db "$T/d.db" verify >"$T/out" || { cat "$T/out"; fail verify; }
grep -q "^ok: 301 records" "$T/out" || fail "$(cat "$T/out")"
for w in 1 2 3 4 5 6; do
	n=$("$LOG" --db "$T/d.db" export --format ndjson | grep -c "\"agent\":\"w$w\"")
	[ "$n" -eq 50 ] || fail "writer w$w: $n of 50 present"
done
echo ok
