#!/bin/sh
# Crash: kill -9 a writer at random instants, many times. Every decision the
# writer reported as recorded ("ok UUID" is printed only after the commit
# returned) must still be there, and the chain must verify.
set -u
LOG="$top_builddir/undertone-log"
W="$top_builddir/tests/integration/dstore_writer"
T=$(mktemp -d /tmp/ut-crash.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

: >"$T/reported"
i=0
while [ $i -lt 25 ]; do
	"$W" "$T/d.db" 0 "crash$i" >>"$T/reported" 2>/dev/null &
	pid=$!
	# 20..180 ms: sometimes mid-transaction, sometimes between commits.
	sleep "0.$(( (i * 37) % 16 + 2 ))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	pid=
	# A kill can land inside the report's write: end a cut line so the next
	# writer's report starts on its own line, and count whole lines only.
	tail -c1 "$T/reported" | od -An -tx1 | grep -q 0a || echo >>"$T/reported"
	i=$((i + 1))
done
uuid_re='^ok [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
grep -E "$uuid_re" "$T/reported" >"$T/whole"
n=$(wc -l <"$T/whole")
[ "$n" -gt 0 ] || fail "the writer never reported a decision"
"$LOG" --db "$T/d.db" verify >"$T/out" 2>&1 || { cat "$T/out"; fail "verify after crashes"; }
"$LOG" --db "$T/d.db" export --format ndjson >"$T/all" || fail export
missing=0
for u in $(sed -n 's/^ok //p' "$T/whole"); do
	grep -q "\"uuid\":\"$u\"" "$T/all" || { echo "lost $u"; missing=$((missing + 1)); }
done
[ "$missing" -eq 0 ] || fail "$missing reported decisions lost"
total=$(wc -l <"$T/all")
echo "ok: $n reported, $total present after 25 kill -9 (present may exceed reported by at most 25)"
[ "$total" -ge "$n" ] && [ "$total" -le $((n + 25)) ] || fail "unexpected record count $total"
