#!/bin/sh
# Benchmarks for the analyzer and the feed (on demand: `make bench`).
# Prints figures; asserts nothing. Background processes are always killed.
set -eu
b=${top_builddir:?}
s=${top_srcdir:?}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ut-bench.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

# 1. Ingest -> publish on one core, full signals.
taskset -c 0 "$b/tests/bench/bench_engine" throughput 2000 400000 2>/dev/null ||
	"$b/tests/bench/bench_engine" throughput 2000 400000

# 2. Memory per active call, 100,000 calls.
"$b/tests/bench/bench_engine" memory 100000

# 3. Latency event -> subscriber on loopback at 10,000 events/s.
"$b/undertone-analyzer" run --quiet --ingest tcp://127.0.0.1:17411 \
	--publish tcp://127.0.0.1:17412 --requests tcp://127.0.0.1:17413 &
pid=$!
sleep 0.5
"$b/tests/bench/bench_latency" tcp://127.0.0.1:17411 tcp://127.0.0.1:17412 10000 5 5000
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# 4. Detection with ground truth: every scenario, one simulated hour.
"$b/undertone-feed" simulate --calls 100 --seed 1 --duration 3600 --start 1700000000000 \
	--scenarios "$s/data/scenarios" --output "$tmp/floor.ndjson"
"$b/undertone-analyzer" run --quiet --replay "$tmp/floor.ndjson" --output "$tmp/feed.ndjson" \
	--publish "ipc://$tmp/p" --requests "ipc://$tmp/r"
if [ -n "${UT_PYTHON:-}" ]; then
	"$UT_PYTHON" "$s/tests/bench/detection.py" "$tmp/floor.ndjson" "$tmp/feed.ndjson"
else
	echo "detection: skipped (no UT_PYTHON)"
fi

# 5. Detection per scenario (ten seats, half an hour each).
[ -n "${UT_PYTHON:-}" ] || exit 0
echo "detection per scenario:"
for f in "$s"/data/scenarios/*.json; do
	name=$(basename "$f" .json)
	[ "$name" = floor ] && continue
	"$b/undertone-feed" simulate --only "$name" --calls 10 --seed 2 --duration 1800 \
		--start 1700000000000 --scenarios "$s/data/scenarios" --output "$tmp/s.ndjson" 2>/dev/null
	"$b/undertone-analyzer" run --quiet --replay "$tmp/s.ndjson" --output "$tmp/s.out" \
		--publish "ipc://$tmp/p" --requests "ipc://$tmp/r" 2>/dev/null
	"$UT_PYTHON" "$s/tests/bench/detection.py" "$tmp/s.ndjson" "$tmp/s.out" "$name"
done
