#!/bin/sh
# Fault test: signal storms at the console in tmux, started from a shell.
# SIGWINCH storms (with real resizes) and SIGPIPE leave it running and
# drawing; SIGINT, SIGTERM and SIGHUP each end it cleanly (exit 0) with the
# terminal restored: the shell prompt is back and usable, `stty -a` shows the
# sane modes, the alternate screen and mouse reporting are off. A fatal error
# (SIGSEGV, SIGABRT) also restores the terminal before the console dies.
set -u
. "$top_srcdir/tests/terminal/lib.sh"
. "$top_srcdir/tests/integration/fault_term.sh"

start_analyzer
start_feed 6 5 10
start_shell 120 36

run_console() {
	text "$(console_cmd); echo EXIT=\$?"
	keys Enter
	wait_for 10 "feed: live"
	wait_re 10 "calls [1-9]"
	pid=$(console_pid)
	[ -n "$pid" ] || fail "console not running"
}

# The terminal after the console ended: modes restored, no alternate screen,
# no mouse reporting, prompt usable without `reset`.
check_restored() {
	wait_for 5 "$1"
	echo "console ended: $(screen | grep -o 'EXIT=[0-9]*' | tail -1)"
	flags=$(tmux -L "$SOCK" display-message -p '#{alternate_on} #{mouse_any_flag}')
	[ "$flags" = "0 0" ] || fail "alternate screen / mouse left on: $flags"
	check_shell_usable
	text "clear"
	keys Enter
	sleep 0.2
}

# SIGWINCH storm with real resizes, and SIGPIPE: still running and drawing.
run_console
i=0
while [ $i -lt 40 ]; do
	tmux -L "$SOCK" resize-window -x $((60 + i % 5 * 20)) -y $((20 + i % 3 * 8))
	kill -WINCH "$pid"; kill -WINCH "$pid"; kill -PIPE "$pid"
	i=$((i + 1))
done
tmux -L "$SOCK" resize-window -x 120 -y 36
kill -0 "$pid" 2>/dev/null || fail "console died in a SIGWINCH/SIGPIPE storm"
wait_for 5 "feed: live"
screen | grep -q "Suggestions awaiting" || fail "console not redrawn at 120x36 after the storm"

# Each stop signal, in a storm: a clean exit and a restored terminal.
for sig in INT TERM HUP; do
	[ "$sig" = INT ] || run_console
	for k in 1 2 3 4 5 6 7 8 9 10; do kill -"$sig" "$pid" 2>/dev/null || break; done
	wait_gone 5 "$pid" || fail "console did not stop on SIG$sig"
	check_restored "EXIT=0"
done

# A fatal error: the terminal is restored, then the console dies of it.
for sig in SEGV ABRT; do
	run_console
	kill -"$sig" "$pid"
	wait_gone 5 "$pid" || fail "console survived SIG$sig"
	check_restored "EXIT="
done
echo "PASS"
