#!/bin/sh
# The console on every kind of terminal and with every shipped theme:
# it draws, the help and a decision prompt are readable; LANG=C is pure
# ASCII; NO_COLOR sends no colour; TERM=dumb is refused with a hint.
set -u
. "$top_srcdir/tests/terminal/lib.sh"

# dumb: refused before curses starts, pointing at --batch.
out=$(TERM=dumb "$B/undertone" --feed "$EP/feed" --requests "$EP/req" 2>&1 </dev/null)
[ $? -ne 0 ] || fail "TERM=dumb was not refused"
echo "$out" | grep -q -- "--batch" || fail "TERM=dumb: no hint about --batch: $out"

start_analyzer
start_feed 8 5 4

# check_console LABEL [ENV...] -- [ARGS...]: draws, help, prompt, quit.
check_console() {
	label=$1
	shift
	start_console 100 30 "$@"
	wait_for 10 "feed: live" || true
	wait_re 10 "calls [1-9]"
	screen | grep -q "^FLAG CALL" || fail "$label: no column headings"
	keys '?'
	wait_for 3 "responsible-use.md"
	screen | grep -q "acknowledge" || fail "$label: help does not list the keys"
	keys x
	wait_for 3 "Suggestions awaiting"
	keys r
	wait_for 3 "Severity of the flag:"
	screen | grep -q "severity 3 - act now" || fail "$label: prompt choices not readable"
	keys Escape
	wait_for 3 "Decision cancelled"
	screen >"$T/last.txt"
	quit_console
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	echo "ok: $label"
}

for term in xterm-256color screen tmux-256color linux vt100; do
	check_console "TERM=$term" TERM=$term
	if [ "$term" = linux ] || [ "$term" = vt100 ]; then
		LC_ALL=C grep -q '[^ -~]' "$T/last.txt" && fail "TERM=$term: non-ASCII on screen"
	fi
done

for f in "$top_srcdir"/themes/*.theme; do
	name=$(basename "$f" .theme)
	check_console "theme $name" -- --theme "$name"
done

# LANG=C: everything ASCII, sparklines and bars included.
check_console "LANG=C" LANG=C
LC_ALL=C grep -q '[^ -~]' "$T/last.txt" && { cat "$T/last.txt"; fail "LANG=C: non-ASCII on screen"; }

# NO_COLOR: attributes only, no colour escapes.
start_console 100 30 NO_COLOR=1
wait_re 10 "calls [1-9]"
esc=$(printf '\033')
tmux -L "$SOCK" capture-pane -p -e | grep -qE "$esc\[([0-9]+;)*(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9]+)*m" &&
	fail "NO_COLOR: colour escapes on screen"
tmux -L "$SOCK" capture-pane -p -e | grep -qE "$esc\[([0-9]+;)*[17](;[0-9]+)*m" ||
	fail "NO_COLOR: no bold/reverse attributes either"
echo "ok: NO_COLOR"
echo "PASS"
