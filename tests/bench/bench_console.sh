#!/bin/sh
# bench_console: the console under load and at rest (run on demand; prints
# figures, asserts nothing about timing).
#   load: 10,000 calls, 10,000 updates/s from bench_console_feed, the real
#         console in tmux at 200x50: CPU share of one core over 10 s, and the
#         time from a keypress (s = cycle sort) to its effect on the screen.
#   idle: the real analyzer with no traffic (heartbeats only): CPU over 10 s.
# usage: top_srcdir=... top_builddir=... sh tests/bench/bench_console.sh [CALLS RATE]
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
B=$top_builddir
CALLS=${1:-10000}
RATE=${2:-10000}
for p in undertone undertone-analyzer tests/bench/bench_console_feed; do
	[ -x "$B/$p" ] || { echo "build $p first (make $p)"; exit 77; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/ut-bench.XXXXXX")
SOCK=ut-bench-$$
PIDS=
cleanup() {
	tmux -L "$SOCK" kill-server 2>/dev/null || true
	for p in $PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

console() { # feed-endpoint req-endpoint
	tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
		"env XDG_DATA_HOME=$T/data XDG_CONFIG_HOME=$T/cfg LANG=C.UTF-8 TERM=xterm-256color $B/undertone --feed $1 --requests $2; sleep 600"
	tmux -L "$SOCK" set-option -g status off >/dev/null
	sleep 0.5
	CPID=$(pgrep -n -f "undertone --feed $1") || { echo "console did not start"; exit 1; }
}

cpu_over() { # pid seconds -> percent of one core
	a=$(ticks "$1"); sleep "$2"; b=$(ticks "$1")
	awk -v a="$a" -v b="$b" -v s="$2" -v hz="$hz" 'BEGIN{printf "%.1f", (b - a) * 100 / (s * hz)}'
}

now_ms() { date +%s%3N; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"

# ---- load ----
"$B/tests/bench/bench_console_feed" "ipc://$T/lfeed" "ipc://$T/lreq" "$CALLS" "$RATE" 40 \
	2>"$T/feed.log" &
PIDS="$PIDS $!"
sleep 0.3
console "ipc://$T/lfeed" "ipc://$T/lreq"
n=100
until tmux -L "$SOCK" capture-pane -p | grep -q "calls $CALLS "; do
	n=$((n - 1)); [ $n -gt 0 ] || { echo "console never showed $CALLS calls"; tmux -L "$SOCK" capture-pane -p | head -3; exit 1; }
	sleep 0.1
done
sleep 2
cpu=$(cpu_over "$CPID" 10)
echo "load: $CALLS calls, $RATE updates/s: console CPU ${cpu}% of one core (10 s)"
worst=0 total=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	before=$(tmux -L "$SOCK" capture-pane -p | sed -n 2p | sed 's/.*sort: \([a-z ]*\).*/\1/')
	t0=$(now_ms)
	tmux -L "$SOCK" send-keys s
	while :; do
		cur=$(tmux -L "$SOCK" capture-pane -p | sed -n 2p | sed 's/.*sort: \([a-z ]*\).*/\1/')
		[ "$cur" != "$before" ] && break
		[ $(( $(now_ms) - t0 )) -gt 2000 ] && { echo "key had no effect in 2 s"; break; }
	done
	dt=$(( $(now_ms) - t0 ))
	total=$((total + dt)); [ $dt -gt $worst ] && worst=$dt
	sleep 0.3
done
echo "load: keypress to screen (s, via tmux capture-pane polling): mean $((total / 10)) ms, worst $worst ms"
tmux -L "$SOCK" capture-pane -p | sed -n 2p
tmux -L "$SOCK" kill-server
for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
PIDS=

# ---- idle ----
"$B/undertone-analyzer" run --quiet --ingest "ipc://$T/iin" --publish "ipc://$T/ifeed" \
	--requests "ipc://$T/ireq" >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.3
console "ipc://$T/ifeed" "ipc://$T/ireq"
sleep 2
a=$(ticks "$CPID")
sw0=$(awk '/^voluntary_ctxt_switches/{print $2}' "/proc/$CPID/status")
sleep 10
b=$(ticks "$CPID")
sw1=$(awk '/^voluntary_ctxt_switches/{print $2}' "/proc/$CPID/status")
echo "idle: console CPU $(awk -v a="$a" -v b="$b" -v hz="$hz" 'BEGIN{printf "%.2f", (b - a) * 100 / (10 * hz)}')% of one core over 10 s, $(( (sw1 - sw0) / 10 )) wakeups/s (heartbeat + clock)"
