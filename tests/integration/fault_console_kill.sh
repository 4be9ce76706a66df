#!/bin/sh
# Fault test: the console killed with SIGKILL in the middle of a decision,
# started from a shell in tmux. SIGKILL cannot be caught, so the tty keeps
# the console's modes (raw, no echo, no CR->NL, alternate screen, mouse):
# the shell is recovered by typing `reset` and Ctrl-J (Enter sends CR, which
# the raw tty does not turn into a newline); after that it must be fully
# usable. The decision log holds the whole decision or none of it (verify).
set -u
. "$top_srcdir/tests/terminal/lib.sh"
. "$top_srcdir/tests/integration/fault_term.sh"
LOGDB=$T/data/undertone/decisions.db

start_analyzer
start_feed 6 3 10
start_shell 120 36

# run_console: start it from the shell and open the decision flow.
run_console() {
	text "$(console_cmd)"
	keys Enter
	wait_for 10 "feed: live"
	wait_re 30 "Suggestions awaiting a decision: [1-9]"
	keys Tab
	wait_for 3 "(Tab: back to calls)"
	keys a
	wait_for 3 "Reason:"
	keys 2
	wait_for 3 "Note (optional)"
	text "a note typed before the kill"
}

# kill_and_recover: SIGKILL the console, then `reset` + Ctrl-J in the shell.
kill_and_recover() {
	pid=$(console_pid)
	[ -n "$pid" ] || fail "console not running"
	kill -KILL "$pid"
	wait_gone 3 "$pid" || fail "console survived SIGKILL"
	text "reset"
	keys C-j
	wait_for 5 'PROMPT$'
	check_shell_usable
	text "clear"
	keys Enter
}

# count_decisions: verify the log and print how many decisions it holds.
count_decisions() {
	[ -f "$LOGDB" ] || { echo 0; return; }
	"$B/undertone-log" --db "$LOGDB" verify >"$T/verify.txt" 2>&1 ||
		fail "log does not verify after the kill: $(cat "$T/verify.txt")"
	"$B/undertone-log" --db "$LOGDB" export --format ndjson >"$T/all.ndjson" ||
		fail "export failed"
	wc -l <"$T/all.ndjson" | tr -d ' '
}

# 1. Killed while the note is being typed: nothing recorded.
run_console
kill_and_recover
n=$(count_decisions)
[ "$n" -eq 0 ] || fail "a decision not yet submitted was recorded: $n"

# 2. Killed right as the decision is submitted: the whole decision or none.
run_console
keys Enter
pid=$(console_pid)
kill -KILL "$pid"
wait_gone 3 "$pid" || fail "console survived SIGKILL"
text "reset"
keys C-j
wait_for 5 'PROMPT$'
check_shell_usable
n=$(count_decisions)
[ "$n" -le 1 ] || fail "one submit, $n decisions"
if [ "$n" -eq 1 ]; then
	grep -q '"free_text":"a note typed before the kill"' "$T/all.ndjson" ||
		fail "partial decision: $(cat "$T/all.ndjson")"
	grep -q '"decision":"acknowledge"' "$T/all.ndjson" ||
		fail "partial decision: $(cat "$T/all.ndjson")"
fi
echo "after a kill at submit the log holds $n decision(s)"
echo "PASS"
