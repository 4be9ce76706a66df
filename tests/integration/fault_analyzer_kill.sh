#!/bin/sh
# Fault test: the analyzer killed with SIGKILL under a live console (tmux),
# twice. The console shows the feed stale within 3 s; a decision taken
# meanwhile is recorded locally, and forwarded to the restarted analyzer
# (the console marks it forwarded once the analyzer acknowledges it); a
# restarted analyzer is re-snapshotted and shown live within 2 s; with a
# roster (--roster) the restarted analyzer resumes the calls in progress.
set -u
. "$top_srcdir/tests/terminal/lib.sh"
. "$top_srcdir/tests/integration/fault_term.sh"
LOGDB=$T/data/undertone/decisions.db

start_analyzer
start_feed 6 3 10
start_console 120 36
wait_for 10 "feed: live"
wait_re 30 "Suggestions awaiting a decision: [1-9]"

kill -KILL "$AN_PID"
wait "$AN_PID" 2>/dev/null
AN_PID=
t0=$(now_ms)
wait_for 4 "feed: STALE"
dt=$(( $(now_ms) - t0 ))
echo "stale shown after $dt ms"
# 3 s, plus the 100 ms polling of capture-pane.
[ "$dt" -le "${STALE_LIMIT_MS:-3100}" ] || fail "stale shown only after $dt ms"

# A decision while the analyzer is down: recorded locally, not forwarded.
keys Tab
wait_for 3 "(Tab: back to calls)"
keys a
wait_for 3 "Reason:"
keys 2
wait_for 3 "Note (optional)"
text "taken while the analyzer was down"
keys Enter
wait_re 5 "Recorded acknowledge|recorded locally|will be shared"
"$B/undertone-log" --db "$LOGDB" export --format ndjson >"$T/before.ndjson" ||
	fail "undertone-log export failed"
[ "$(wc -l <"$T/before.ndjson")" -eq 1 ] || fail "expected 1 decision: $(cat "$T/before.ndjson")"
grep -q '"forwarded_ms":null\|"forwarded_ms":0' "$T/before.ndjson" ||
	fail "decision marked forwarded with no analyzer: $(cat "$T/before.ndjson")"

# The restarted analyzer starts empty and does not know the decided call;
# the console forwards the kept decision all the same, and the analyzer
# records and echoes it ("untracked", protocol 6.2).
start_analyzer
t0=$(now_ms)
wait_for 3 "feed: live"
echo "live after restart: $(( $(now_ms) - t0 )) ms"

# The kept decision is forwarded and echoed back.
n=100
while [ $n -gt 0 ]; do
	"$B/undertone-log" --db "$LOGDB" show 1 >"$T/show.txt" 2>&1
	grep -q "^Forwarded *yes" "$T/show.txt" && break
	sleep 0.1
	n=$((n - 1))
done
grep -q "^Forwarded *yes" "$T/show.txt" || fail "decision not forwarded: $(cat "$T/show.txt")"
"$B/undertone-log" --db "$LOGDB" verify >"$T/verify.txt" 2>&1 ||
	fail "log does not verify: $(cat "$T/verify.txt")"

# Once more with the console running throughout: stale within 3 s of the
# SIGKILL, live within 2 s of the restart (a new publisher: re-snapshot).
# This time the analyzer keeps a roster: the restarted one resumes the calls
# in progress, so they stay on the wallboard without being re-announced.
stop_analyzer
ANALYZER_ARGS="--roster $T/roster.ndjson"
start_analyzer
wait_for 5 "feed: live"
wait_re 10 "calls [1-9]"
sleep 3    # the roster is saved at most every 2 s
kill -KILL "$AN_PID"
wait "$AN_PID" 2>/dev/null
AN_PID=
t0=$(now_ms)
kept=$(grep -o '"call":"[^"]*"' "$T/roster.ndjson" | cut -d'"' -f4)
[ -n "$kept" ] || fail "no live call in the roster: $(cat "$T/roster.ndjson")"
wait_for 4 "feed: STALE"
dt=$(( $(now_ms) - t0 ))
echo "stale shown after $dt ms"
[ "$dt" -le "${STALE_LIMIT_MS:-3100}" ] || fail "stale shown only after $dt ms"
start_analyzer
t0=$(now_ms)
wait_for 3 "feed: live"
dt=$(( $(now_ms) - t0 ))
echo "live again after $dt ms"
[ "$dt" -le "${LIVE_LIMIT_MS:-2100}" ] || fail "live only after $dt ms"
wait_re 10 "calls [1-9]"
grep -q "roster: resumed [1-9][0-9]* live calls" "$T/analyzer.log" ||
	fail "the restarted analyzer resumed no call: $(grep roster "$T/analyzer.log")"
# A new console hears only the restarted analyzer: every call of the roster
# is there again (without it, a restarted analyzer knows none of them).
env XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config" HOME="$T" "$B/undertone" --batch \
	--list-calls --feed "$EP/feed" --requests "$EP/req" >"$T/batch.txt" 2>&1 ||
	fail "batch console failed: $(cat "$T/batch.txt")"
for id in $kept; do
	grep -q "^call $id " "$T/batch.txt" || fail "call $id not resumed: $(cat "$T/batch.txt")"
done
echo "$(grep -o 'resumed [0-9]* live calls' "$T/analyzer.log" | tail -1): $(echo $kept)"
quit_console
echo "PASS"
