#!/bin/sh
# Tampering with the sqlite3 shell: edit, delete, reorder and insert rows;
# verify must fail (exit 1) and name the first bad record.
set -u
LOG="$top_builddir/undertone-log"
W="$top_builddir/tests/integration/dstore_writer"
B="$top_builddir/tests/bench/bench_dstore"
command -v sqlite3 >/dev/null 2>&1 || { echo "no sqlite3 shell"; exit 77; }
T=$(mktemp -d /tmp/ut-tamper.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }
fresh() { rm -f "$T/d.db"*; "$W" "$T/d.db" 10 >/dev/null || fail writer; }
bad_at() {
	"$LOG" --db "$T/d.db" verify >"$T/out" 2>&1; rc=$?
	[ "$rc" -eq 1 ] || { cat "$T/out"; fail "$1: verify exit $rc"; }
	grep -q "^FAILED at record #$2:" "$T/out" || { cat "$T/out"; fail "$1: wrong record"; }
}
UNGUARD="DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;"

fresh
sqlite3 "$T/d.db" "UPDATE decisions SET free_text='x' WHERE seq=4" 2>/dev/null && fail "trigger let an UPDATE through"
sqlite3 "$T/d.db" "DELETE FROM decisions WHERE seq=4" 2>/dev/null && fail "trigger let a DELETE through"
"$LOG" --db "$T/d.db" verify >/dev/null || fail "clean log"

fresh; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET decision='accept' WHERE seq=4"
bad_at edit 4
fresh; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET signals=replace(signals,'0.5','0.1') WHERE seq=7"
bad_at edit-signals 7
fresh; sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=5"
bad_at delete 6
fresh; sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=10"
"$LOG" --db "$T/d.db" verify >/dev/null 2>&1 && echo "note: removing the head is only caught by a checkpoint"
fresh; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET seq=100 WHERE seq=3; UPDATE decisions SET seq=3 WHERE seq=4; UPDATE decisions SET seq=4 WHERE seq=100"
bad_at reorder 3
fresh; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET time_ms=time_ms+1 WHERE seq=2"
bad_at time 2
fresh; sqlite3 "$T/d.db" "INSERT INTO decisions SELECT 11,type,'11111111-2222-4333-8444-555555555555',time_ms,supervisor,display_name,host,call_id,agent,queue,sug_id,sug_rule,sug_kind,sug_severity,sug_raised_ms,sug_reasons,decision,severity,until_ms,tag,reason_code,'forged',signals,policy_version,lexicon_version,origin,(SELECT hash FROM decisions WHERE seq=10),hash FROM decisions WHERE seq=10"
bad_at insert-end 11
fresh; sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=6; INSERT INTO decisions SELECT 6,type,'11111111-2222-4333-8444-555555555556',time_ms,supervisor,display_name,host,call_id,agent,queue,sug_id,sug_rule,sug_kind,sug_severity,sug_raised_ms,sug_reasons,decision,severity,until_ms,tag,reason_code,'forged',signals,policy_version,lexicon_version,origin,prev_hash,hash FROM decisions WHERE seq=5"
bad_at insert-middle 6

# A log large enough for verify to split it over threads: 20,000 records
# make 4 ranges, from 1, 5000, 9999 and 14998. Tampering at the boundaries
# and in the last range names the same record as a sequential walk.
"$B" gen "$T/big.db" 20000 >/dev/null || fail "bench_dstore gen"
big() { rm -f "$T/d.db"*; cp "$T/big.db" "$T/d.db"; }
big; "$LOG" --db "$T/d.db" verify >"$T/out" 2>&1 || { cat "$T/out"; fail "clean big log"; }
grep -q "^ok: 20000 records" "$T/out" || { cat "$T/out"; fail "big log count"; }
big; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET free_text='x' WHERE seq=9999"
bad_at big-edit-first-of-range 9999
big; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET free_text='x' WHERE seq=9998"
bad_at big-edit-last-of-range 9998
big; sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=5000"
bad_at big-delete-boundary 5001
big; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET seq=100000 WHERE seq=14997; UPDATE decisions SET seq=14997 WHERE seq=14998; UPDATE decisions SET seq=14998 WHERE seq=100000"
bad_at big-reorder-across-boundary 14997
big; sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=14998; INSERT INTO decisions SELECT 14998,type,'11111111-2222-4333-8444-555555555557',time_ms,supervisor,display_name,host,call_id,agent,queue,sug_id,sug_rule,sug_kind,sug_severity,sug_raised_ms,sug_reasons,decision,severity,until_ms,tag,reason_code,'forged',signals,policy_version,lexicon_version,origin,prev_hash,hash FROM decisions WHERE seq=14997"
bad_at big-insert-boundary 14998
big; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET free_text='x' WHERE seq=17000; UPDATE decisions SET free_text='y' WHERE seq=6000"
bad_at big-two-edits 6000
big; sqlite3 "$T/d.db" "$UNGUARD UPDATE decisions SET time_ms=time_ms+1 WHERE seq=20000"
bad_at big-edit-head 20000

# Removing the head is caught against a signed checkpoint.
fresh
"$LOG" keygen --key "$T/k" >/dev/null
"$LOG" --db "$T/d.db" checkpoint --key "$T/k" --out "$T/cp" >/dev/null
sqlite3 "$T/d.db" "$UNGUARD DELETE FROM decisions WHERE seq=10"
"$LOG" --db "$T/d.db" verify --checkpoint "$T/cp" --pubkey "$T/k.pub" >"$T/out" 2>&1
[ $? -eq 1 ] || fail "checkpoint did not catch a removed head"

# A corrupt file: verify fails, nothing is recreated.
fresh
printf 'garbage' | dd of="$T/d.db" bs=1 seek=100 conv=notrunc 2>/dev/null
dd if=/dev/urandom of="$T/d.db" bs=4096 seek=1 count=2 conv=notrunc 2>/dev/null
size=$(stat -c %s "$T/d.db")
"$LOG" --db "$T/d.db" verify >"$T/out" 2>&1
[ $? -eq 1 ] || { cat "$T/out"; fail "corrupt file not reported by verify"; }
[ "$(stat -c %s "$T/d.db")" = "$size" ] || fail "corrupt file was rewritten"
echo ok
