#!/bin/sh
# The console against the real analyzer and simulated floor, in tmux:
# startup, a flagged call, the decision flow with a reason, the filter, the
# detail view, resize to tiny and back, stale feed when the analyzer dies,
# recovery when it restarts, batch mode.
set -u
. "$top_srcdir/tests/terminal/lib.sh"

start_analyzer
start_feed 16 11 8
start_console 120 36

# Startup: header, live feed, rows.
wait_for 10 "feed: live"
wait_for 5 "CALL"
screen | grep -q "undertone  calls" || fail "no floor summary in the header"

# Mouse: with the display paused, a click selects the third row (screen
# line 6) and Enter opens that call; the wheel moves the selection.
wait_re 10 "calls [3-9]"
keys p
wait_for 3 "[PAUSED]"
third=$(screen | sed -n 6p | cut -c6- | awk '{print $1}')
keys -l "$(printf '\033[<0;20;6M')"
keys -l "$(printf '\033[<0;20;6m')"
keys Enter
wait_for 3 "Call $third "
# Live again, the detail view asks the analyzer for the call's detail: the
# customer's next utterance appears explained (unless the call ends first).
keys p
wait_for 5 "Recent utterances"
wait_re 20 "^ +[0-9]+:[0-9]{2}  [+-][01]\.[0-9]{2}  .|^ Call $third .*  (ended|abandoned)  "
keys Escape
wait_re 3 "sort: risk *$"

# A flagged call appears with a suggestion and its reason.
wait_re 40 "Suggestions awaiting a decision: [1-9]"
wait_re 5 "^ *[0-9]+[smh] !"
screen | grep -qE '^[ *H~]!' || fail "no severity marker in the table"

# The decision flow: suggestion pane, acknowledge, a reason, a note.
keys Tab
wait_for 3 "(Tab: back to calls)"
keys a
wait_for 3 "Reason:"
wait_for 3 "Already being handled"
keys 2
wait_for 3 "Note (optional)"
text "checked by test"
keys Enter
wait_re 5 "Recorded acknowledge|Decision shared with the floor"
wait_re 10 "claimed by you"
[ -f "$T/data/undertone/decisions.db" ] || fail "no decision log written"

# Detail view of the call the decision was on: components and the decision.
call=$(screen | grep "claimed by you" | head -1 | awk '{print $4}')
[ -n "$call" ] || fail "cannot find the claimed call"
keys Tab
keys /
text "$call"
keys Enter
wait_for 3 "filter: $call"
rows=$(screen | sed -n '4,/Suggestions awaiting/p' | grep -c "sim-")
[ "$rows" -eq 1 ] || fail "filter shows $rows rows, expected 1"
keys Enter
wait_for 3 "Frustration components"
wait_for 3 "Decisions on this call:"
# The policy's thresholds come from the analyzer (call_detail), not from
# constants: the default policy's names and values, on the chart and in words.
wait_re 5 "^Policy builtin-1: .*frustrated: frustration >= 0\.50 for 10s"
wait_re 3 "ended_negative(≤|<=)-0\.30"
wait_for 3 "Recent utterances (customer; sentiment and the words behind it):"
wait_re 10 "acknowledge +by .*reason escalated.*checked by test.*recorded"
keys Escape
wait_for 3 "Suggestions awaiting"
keys /
keys Escape
wait_re 3 "sort: risk *$"

# Review screen: the decision from the log, with its reason and note.
keys R
wait_for 3 "Decisions in the last hour: 1"
wait_re 3 "acknowledge +$call +.*escalated.*checked by test"
keys Escape
wait_for 3 "Suggestions awaiting"

# Help overlay, one key away.
keys '?'
wait_for 3 "responsible-use.md"
keys x
wait_for 3 "Suggestions awaiting"

# Resize to tiny and back.
tmux -L "$SOCK" resize-window -x 30 -y 8
wait_for 5 "Terminal too small"
tmux -L "$SOCK" resize-window -x 120 -y 36
wait_for 5 "Suggestions awaiting"

# Batch mode prints plain frames from the same feed.
COLUMNS=100 "$B/undertone" --batch --frames 2 --interval 0.5 --feed "$EP/feed" \
	--requests "$EP/req" >"$T/batch.txt" 2>&1 || fail "batch mode failed"
[ "$(grep -c '^----$' "$T/batch.txt")" -eq 2 ] || fail "batch: expected 2 frames"
grep -q "feed: live" "$T/batch.txt" || fail "batch: feed not live"
grep -q "^FLAG CALL" "$T/batch.txt" || fail "batch: no column headings"

# Stale feed when the analyzer dies; recovery when it comes back.
stop_analyzer
wait_for 8 "feed: STALE"
start_analyzer
wait_for 20 "feed: live"
wait_re 15 "calls [1-9]"

quit_console
echo "PASS"
