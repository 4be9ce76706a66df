# Helpers for the console's tmux tests (sourced by /bin/sh scripts).
# Starts the real analyzer and simulated floor on ipc:// endpoints in a
# temporary directory and the console in a private tmux server; everything
# started is stopped by the EXIT trap.

: "${top_srcdir:?}" "${top_builddir:?}"
B=$top_builddir
for p in undertone undertone-analyzer undertone-feed; do
	[ -x "$B/$p" ] || { echo "SKIP: $p not built"; exit 77; }
done
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }

T=$(mktemp -d "${TMPDIR:-/tmp}/ut-term.XXXXXX")
SOCK=ut-term-$$
NSOCK=0
SOCKS=
EP="ipc://$T"
AN_PID=
FEED_PID=
# A test killed with SIGKILL cannot run its trap: this watchdog outlives it
# and stops whatever it had started (the pids and tmux servers named in $T).
WATCH_PID=
watchdog() {
	while kill -0 "$1" 2>/dev/null; do sleep 1; done
	for s in $(cat "$T/socks" 2>/dev/null); do tmux -L "$s" kill-server 2>/dev/null; done
	for p in $(cat "$T/pids" 2>/dev/null); do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
remember() { echo "$2" >>"$T/$1"; }
cleanup() {
	[ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
	for s in $SOCKS; do tmux -L "$s" kill-server 2>/dev/null || true; done
	for p in $FEED_PID $AN_PID; do kill "$p" 2>/dev/null || true; done
	for p in $FEED_PID $AN_PID; do wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$T/data" "$T/config"
(trap '' INT TERM HUP; exec >/dev/null 2>&1; watchdog $$) &
WATCH_PID=$!

fail() {
	echo "FAIL: $*"
	echo "---- screen ----"
	tmux -L "$SOCK" capture-pane -p 2>/dev/null || true
	echo "---- analyzer log ----"
	tail -5 "$T/analyzer.log" 2>/dev/null || true
	echo "---- feed log ----"
	tail -5 "$T/feed.log" 2>/dev/null || true
	cat "$T/exit" "$T/console.err" 2>/dev/null || true
	exit 1
}

start_analyzer() {
	# shellcheck disable=SC2086
	"$B/undertone-analyzer" run --quiet --ingest "$EP/ingest" --publish "$EP/feed" \
		--requests "$EP/req" ${ANALYZER_ARGS:-} >>"$T/analyzer.log" 2>&1 &
	AN_PID=$!
	remember pids "$AN_PID"
}

stop_analyzer() {
	kill "$AN_PID" 2>/dev/null || true
	wait "$AN_PID" 2>/dev/null || true
	AN_PID=
}

# start_feed CALLS SEED SPEED
start_feed() {
	"$B/undertone-feed" simulate --calls "$1" --seed "$2" --speed "$3" \
		--scenarios "$top_srcdir/data/scenarios" --connect "$EP/ingest" >"$T/feed.log" 2>&1 &
	FEED_PID=$!
	remember pids "$FEED_PID"
}

# start_console COLS ROWS [ENV=VALUE...] -- [undertone args...]
start_console() {
	cols=$1 rows=$2
	shift 2
	envs=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs="$envs $1"; shift; done
	[ "${1:-}" = "--" ] && shift
	# A fresh server per console: reusing a name races with its shutdown.
	rm -f "$T/exit"
	NSOCK=$((NSOCK + 1))
	SOCK=ut-term-$$-$NSOCK
	SOCKS="$SOCKS $SOCK"
	remember socks "$SOCK"
	tmux -L "$SOCK" -f /dev/null new-session -d -x "$cols" -y "$rows" \
		"env XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/config HOME=$T UNDERTONE_THEME_DIR=$top_srcdir/themes LANG=C.UTF-8 TERM=xterm-256color $envs $B/undertone --feed $EP/feed --requests $EP/req $* 2>>$T/console.err; echo CONSOLE-EXIT=\$? >$T/exit; sleep 600"
	tmux -L "$SOCK" set-option -g status off >/dev/null
}

screen() { tmux -L "$SOCK" capture-pane -p; }
keys() { tmux -L "$SOCK" send-keys "$@"; }
text() { tmux -L "$SOCK" send-keys -l "$1"; }

# wait_for SECONDS FIXED-TEXT
wait_for() {
	n=$(( $1 * 10 ))
	while [ "$n" -gt 0 ]; do
		screen 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "did not see '$2' within $1 s"
}

# wait_re SECONDS EXTENDED-REGEX
wait_re() {
	n=$(( $1 * 10 ))
	while [ "$n" -gt 0 ]; do
		screen 2>/dev/null | grep -qE -- "$2" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "did not see /$2/ within $1 s"
}

# quit_console: q, then the console must exit with status 0 (under the
# sanitizers that includes no leak and no error report).
quit_console() {
	keys q
	n=50
	while [ ! -f "$T/exit" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	grep -q "CONSOLE-EXIT=0" "$T/exit" 2>/dev/null || fail "console did not quit cleanly"
}
