#!/bin/sh
# undertone-log: every subcommand, exit codes, CSV quoting, terminal safety,
# and tampering with the sqlite3 shell (edit, delete, reorder, insert).
set -u
LOG="$top_builddir/undertone-log"
W="$top_builddir/tests/integration/dstore_writer"
T=$(mktemp -d /tmp/ut-logcli.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
DB="$T/d.db"
fail() { echo "FAIL: $*"; exit 1; }
expect() { want=$1; shift; "$@" >"$T/out" 2>"$T/err"; got=$?
	[ "$got" -eq "$want" ] || { cat "$T/out" "$T/err"; fail "exit $got, wanted $want: $*"; }; }

"$W" "$DB" 20 alice >/dev/null || fail "writer"

# help fits one screen
[ "$("$LOG" --help | wc -l)" -le 24 ] || fail "--help longer than 24 lines"
expect 2 "$LOG" --db "$DB" nosuch
expect 2 "$LOG" --db "$DB" list --decision maybe
expect 2 "$LOG" --db "$DB" list --since yesterday-ish
expect 2 "$LOG" --db "$DB" export --format xml
expect 4 "$LOG" --db "$T/missing.db" list
[ ! -e "$T/missing.db" ] || fail "read-only list created a database"

# list and filters
expect 0 "$LOG" --db "$DB" list
[ "$(wc -l <"$T/out")" -eq 21 ] || fail "list rows"
expect 0 "$LOG" list --db "$DB" --limit 3
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "--db after the command"
expect 2 "$LOG" list --db
expect 0 "$LOG" --db "$DB" list --decision accept
[ "$(wc -l <"$T/out")" -eq 4 ] || fail "list --decision accept: $(cat "$T/out")"
expect 0 "$LOG" --db "$DB" list --queue q1 --call call-1
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "list --queue --call"
expect 0 "$LOG" --db "$DB" list --since 1h --kind assist --reason coaching --supervisor "$(id -un)"
[ "$(wc -l <"$T/out")" -eq 21 ] || fail "list --since 1h"
expect 0 "$LOG" --db "$DB" list --until 2000-01-01
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "list --until"
for cols in 60 80 132; do
	expect 0 env COLUMNS=$cols "$LOG" --db "$DB" list
	sed 's/\xe2\x80\xa6/./g' "$T/out" | LC_ALL=C awk -v c=$cols 'length($0) > c { exit 1 }' ||
		fail "table wider than COLUMNS=$cols"
done
expect 0 env COLUMNS=200 "$LOG" --db "$DB" list
grep -q "writer alice decision 3" "$T/out" || fail "note column at 200 columns"

# show
expect 0 "$LOG" --db "$DB" show 3
grep -q "Frustration   0.50" "$T/out" || fail "show signals"
grep -q "reason      repetition 0.4" "$T/out" || fail "show reasons"
uuid=$(sed -n 's/^Record *#3 //p' "$T/out")
expect 0 "$LOG" --db "$DB" show "$uuid"
expect 3 "$LOG" --db "$DB" show 999
expect 3 "$LOG" --db "$DB" show 00000000-0000-4000-8000-000000000000

# export: NDJSON lines parse; CSV quoting of commas, quotes and newlines
expect 0 "$LOG" --db "$DB" export --format ndjson --decision dismiss
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "ndjson rows"
if [ -n "${UT_PYTHON:-}" ]; then
	"$UT_PYTHON" -c 'import json,sys
for l in open(sys.argv[1]): json.loads(l)' "$T/out" || fail "ndjson parse"
fi
CSVDB="$T/csv.db"
nl='
'
text1="hello, \"world\"${nl}line two caf\303\251"
text1=$(printf "$text1")
"$W" "$CSVDB" 1 csv "$text1" >/dev/null || fail "writer csv"
"$W" "$CSVDB" 1 csv "=HYPERLINK(1)" >/dev/null || fail "writer csv"
expect 0 "$LOG" --db "$CSVDB" export --format csv
head -c 3 "$T/out" | od -An -tx1 | grep -q "ef bb bf" || fail "csv BOM"
grep -q "\"hello, \"\"world\"\"" "$T/out" || fail "csv quoting"
[ "$(tr -cd '\r' <"$T/out" | wc -c)" -eq 3 ] || fail "csv CRLF records"
if [ -n "${UT_PYTHON:-}" ]; then
	"$UT_PYTHON" - "$T/out" "$text1" <<'PY' || fail "csv structure"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
h = rows[0]
assert h[0] == "seq", h
assert len(rows) == 3 and all(len(r) == len(h) for r in rows), "ragged rows"
ft = h.index("free_text")
assert rows[1][ft] == sys.argv[2], repr(rows[1][ft])
assert rows[2][ft] == "'=HYPERLINK(1)", repr(rows[2][ft])
PY
fi
expect 0 "$LOG" --db "$CSVDB" export --format csv --no-bom
[ "$(head -c 3 "$T/out")" = "seq" ] || fail "--no-bom"

# terminal safety: escape sequences never reach the output of list/show
"$W" "$CSVDB" 1 esc "$(printf 'red \033[31mALERT\033]0;title\007 done')" >/dev/null
expect 0 "$LOG" --db "$CSVDB" list
if grep -q "$(printf '\033')" "$T/out"; then fail "ESC in list output"; fi
expect 0 "$LOG" --db "$CSVDB" show 3
if grep -q "$(printf '\033')" "$T/out"; then fail "ESC in show output"; fi
grep -q "red ALERT done" "$T/out" || fail "show lost the text"

# stats
expect 0 "$LOG" --db "$DB" stats --since 1d
grep -q "^Decisions: 20" "$T/out" || fail "stats total"
grep -q "frustration_high" "$T/out" || fail "stats by rule"
expect 0 "$LOG" --db "$DB" stats --queue nosuch
grep -q "^Decisions: 0" "$T/out" || fail "stats filter"

# verify, keygen, checkpoint
expect 0 "$LOG" --db "$DB" verify
grep -q "^ok: 20 records" "$T/out" || fail "verify output"
expect 0 "$LOG" keygen --key "$T/k"
[ "$(stat -c %a "$T/k")" = 600 ] || fail "secret key mode"
expect 5 "$LOG" keygen --key "$T/k"
expect 0 "$LOG" --db "$DB" checkpoint --key "$T/k" --out "$T/cp"
expect 0 "$LOG" --db "$DB" verify --checkpoint "$T/cp" --pubkey "$T/k.pub"
"$W" "$DB" 3 bob >/dev/null
expect 0 "$LOG" --db "$DB" verify --checkpoint "$T/cp" --pubkey "$T/k.pub"
sed 's/^seq 20/seq 19/' "$T/cp" >"$T/cp2"
expect 1 "$LOG" --db "$DB" verify --checkpoint "$T/cp2"
expect 1 "$LOG" --db "$CSVDB" verify --checkpoint "$T/cp"
expect 5 "$LOG" --db "$DB" checkpoint --key "$T/nokey"

# merge: duplicates skipped, origin recorded, output verifies
"$W" "$T/b.db" 5 carol >/dev/null
expect 0 "$LOG" merge "$T/m.db" "$DB" "$T/b.db"
grep -q "merged 28 records: 28 written" "$T/out" || fail "merge counts: $(cat "$T/out")"
expect 0 "$LOG" merge "$T/m.db" "$DB"
grep -q "0 written, 23 duplicates" "$T/out" || fail "merge dedup"
expect 0 "$LOG" --db "$T/m.db" verify
expect 0 "$LOG" --db "$T/m.db" show 1
grep -q "^Origin .*d.db#" "$T/out" || fail "merge origin"
expect 2 "$LOG" merge "$T/m.db"

# prune: dry run writes nothing, real run keeps the chain verifiable
expect 0 "$LOG" --db "$DB" prune --older-than 365d --dry-run
expect 0 "$LOG" --db "$DB" prune --older-than 365d
grep -q "nothing older" "$T/out" || fail "prune of a fresh log"
expect 2 "$LOG" --db "$DB" prune --older-than 1h
expect 0 "$LOG" --db "$DB" verify
OLD="$T/old.db"
"$W" "$OLD" 5 old "" 400 >/dev/null || fail "back-dated writer"
"$W" "$OLD" 3 new >/dev/null || fail "writer"
expect 0 "$LOG" --db "$OLD" prune --older-than 365d --dry-run
grep -q "up to 5 decisions" "$T/out" || fail "prune dry run: $(cat "$T/out")"
expect 0 "$LOG" --db "$OLD" list
[ "$(wc -l <"$T/out")" -eq 9 ] || fail "dry run removed records"
expect 0 "$LOG" --db "$OLD" prune --older-than 365d
grep -q "pruned 5 records .* summary record #9" "$T/out" || fail "prune: $(cat "$T/out")"
expect 0 "$LOG" --db "$OLD" verify
grep -q "^ok: 4 records (#6..#9)" "$T/out" || fail "verify after prune: $(cat "$T/out")"
expect 0 "$LOG" --db "$OLD" list --all
grep -q "(prune)" "$T/out" || fail "list --all shows the retention record"
expect 0 "$LOG" --db "$OLD" show 9
grep -q '"removed":5' "$T/out" || fail "retention summary"
echo ok
