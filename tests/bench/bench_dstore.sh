#!/bin/sh
# Decision-store benchmark (on demand; prints figures, asserts nothing).
#   tests/bench/bench_dstore.sh [BUILDDIR] [N]      default N = 1000000
# 1. bulk-generates N decisions (bench-only path, one transaction),
# 2. times filtered list/stats and the verify rate on them (and the CLI),
#    then verify alone three times with the load average before each run,
# 3. measures commit latency with 4 writer processes appending at once.
set -eu
B=${1:-${top_builddir:-.}}
N=${2:-1000000}
BENCH="$B/tests/bench/bench_dstore"
LOG="$B/undertone-log"
T=$(mktemp -d /tmp/ut-bench.XXXXXX)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT INT TERM

"$BENCH" gen "$T/big.db" "$N"
ls -l "$T/big.db" | awk '{ printf "size: %.0f MB\n", $5 / 1048576 }'
"$BENCH" query "$T/big.db"
# verify is wall-clock over every online CPU: other work on the machine shows.
for i in 1 2 3; do
	printf 'load %s  ' "$(cut -d' ' -f1 /proc/loadavg)"
	"$BENCH" verify "$T/big.db"
done
for args in "list --supervisor lead07 --since 30d" "list --queue queue-3 --since 7d" \
    "stats --since 7d" "stats --queue queue-3 --since 30d"; do
	s=$(date +%s%N)
	# shellcheck disable=SC2086
	"$LOG" --db "$T/big.db" $args >/dev/null
	e=$(date +%s%N)
	echo "undertone-log $args: $(( (e - s) / 1000000 )) ms (whole process)"
done
s=$(date +%s%N)
"$LOG" --db "$T/big.db" verify --quick >/dev/null
e=$(date +%s%N)
echo "undertone-log verify --quick: $(( (e - s) / 1000000 )) ms for $N records (chain + quick_check)"

# Commit latency: 4 processes appending to one file at once, back to back
# (worst case) and paced at 20 ms (50 decisions/s each, far above a lead).
for gap in 0 20; do
	for w in 1 2 3 4; do
		"$BENCH" commit "$T/busy.db" 500 $gap >"$T/c$w" &
		pids="$pids $!"
	done
	for p in $pids; do wait $p; done
	pids=
	cat "$T"/c1 "$T"/c2 "$T"/c3 "$T"/c4
done
