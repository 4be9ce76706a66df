# Helpers for the fault tests that drive the console in tmux (sourced by
# /bin/sh scripts after tests/terminal/lib.sh, whose EXIT trap stops the
# analyzer, the floor and every tmux server started here).

# start_shell COLS ROWS: a tmux pane running a plain /bin/sh with a fixed
# prompt, so a test can type commands, start the console from it, and see
# what the terminal is like after the console is gone.
start_shell() {
	NSOCK=$((NSOCK + 1))
	SOCK=ut-term-$$-$NSOCK
	SOCKS="$SOCKS $SOCK"
	tmux -L "$SOCK" -f /dev/null new-session -d -x "$1" -y "$2" \
		"env -i PATH=/usr/bin:/bin HOME=$T TERM=xterm-256color LANG=C.UTF-8 PS1='PROMPT\$ ' /bin/sh"
	tmux -L "$SOCK" set-option -g status off >/dev/null
	wait_for 5 'PROMPT$'
}

# The console command line for start_shell panes (decision log under $T).
console_cmd() {
	printf 'XDG_DATA_HOME=%s XDG_CONFIG_HOME=%s UNDERTONE_THEME_DIR=%s %s --feed %s --requests %s' \
		"$T/data" "$T/config" "$top_srcdir/themes" "$B/undertone" "$EP/feed" "$EP/req"
}

# Pid of the undertone console started from the pane (the shell's child).
console_pid() {
	pgrep -f "^$B/undertone --feed $EP/feed" | head -1
}

# now in milliseconds (monotonic enough for test timing)
now_ms() { date +%s%3N; }

# wait_gone SECONDS PID
wait_gone() {
	n=$(( $1 * 10 ))
	while kill -0 "$2" 2>/dev/null && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	! kill -0 "$2" 2>/dev/null
}

# Check the pane's terminal is sane: typed text echoes and a command runs.
# Prints `stty -a` of the pane's tty into $T/stty.txt.
check_shell_usable() {
	tty=$(tmux -L "$SOCK" display-message -p '#{pane_tty}')
	stty -a <"$tty" >"$T/stty.txt" 2>&1 || fail "cannot read the pane's tty modes"
	for bit in icanon echo icrnl opost isig; do
		grep -qE "(^| )$bit( |$)" "$T/stty.txt" || fail "tty left without $bit: $(cat "$T/stty.txt")"
	done
	text "echo usable-\$((40+2))"
	keys Enter
	wait_for 5 "usable-42"
}
