#!/bin/sh
# The benchmark suite (issue 9): every figure the project claims, in one run
# of under ten minutes on the 2-core development machine. On demand only
# (`make bench`); asserts nothing. Each figure is printed as
#     bench.<name>.<figure> = <value> <unit>
# and the whole set is kept in tests/bench/results/latest.txt (the previous
# run moves to previous.txt, for `make bench-compare`); the measured section
# of doc/performance.md is then regenerated from it.
# Environment: top_srcdir, top_builddir (the harness sets them), UT_PYTHON,
# UT_VADER_MODULES (a node_modules directory holding vader-sentiment; the
# VADER comparison is skipped without it: `npm install vader-sentiment` in a
# scratch directory), UT_BENCH_CACHE (where the 1,000,000-record decision
# log is kept between runs; default ~/.cache/undertone-bench),
# UT_BENCH_NO_DOC=1 (do not touch doc/performance.md).
set -u
S=${top_srcdir:?}
B=${top_builddir:?}
PY=${UT_PYTHON:-}
T=$(mktemp -d "${TMPDIR:-/tmp}/ut-benchall.XXXXXX")
OUT="$T/results.txt"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
start=$(date +%s)

emit() { echo "$*" | tee -a "$OUT"; }
# section NAME: a header on the terminal only
section() { echo; echo "== $1 ($(( $(date +%s) - start )) s, load $(cut -d' ' -f1 /proc/loadavg))"; }
# keep FILE: raw output to the terminal, bench lines to the results
keep() { cat "$1"; grep '^bench\.' "$1" >>"$OUT"; }

section machine
emit "bench.machine.uname = $(uname -srmv | tr ' ' '_') text"
emit "bench.machine.cpu = $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' | tr ' ' '_') text"
emit "bench.machine.cores = $(nproc) cores"
emit "bench.machine.date = $(date -u +%Y-%m-%dT%H:%MZ) text"
emit "bench.machine.load_start = $(cut -d' ' -f1 /proc/loadavg) load"

# ---- scale-out first: it also measures the feed's mean message size ----
section "scale-out: 1, 2, 4 analyzers behind one proxy"
"$B/undertone-feed" simulate --calls 2000 --seed 3 --duration 600 --start 1700000000000 \
	--scenarios "$S/data/scenarios" --output "$T/events.ndjson" 2>/dev/null
if [ -n "$PY" ]; then
	"$PY" "$S/tests/bench/scale_bench.py" "$B" "$T/events.ndjson" 1 2 4 >"$T/scale" 2>&1
	keep "$T/scale"
else
	echo "scale-out: skipped (no UT_PYTHON)"
fi
size=$(sed -n 's/^bench\.scale\.1\.feed_msg_bytes = \([0-9]*\).*/\1/p' "$OUT")
size=${size:-700}

section "ZeroMQ raw PUB/SUB (the ceiling)"
emit "bench.zmq_raw.feed_msg_size = $size bytes"
# The body is the feed's mean message minus the topic frame it adds.
"$B/tests/bench/bench_zmq_raw" tcp://127.0.0.1:17599 $((size - 12)) 1000000 >"$T/raw" 2>&1
keep "$T/raw"
"$B/tests/bench/bench_zmq_raw" "ipc://$T/raw" $((size - 12)) 1000000 |
	sed 's/^bench\.zmq_raw\./bench.zmq_raw_ipc./' >"$T/rawipc" 2>&1
keep "$T/rawipc"

# ---- analyzer: ingest to publish, memory, latency (direct and via proxy) ----
section "analyzer: ingest to publish on one core"
taskset -c 0 "$B/tests/bench/bench_engine" throughput 2000 400000 >"$T/eng" 2>/dev/null ||
	"$B/tests/bench/bench_engine" throughput 2000 400000 >"$T/eng"
cat "$T/eng"
sed -n 's/^throughput: \([0-9]*\) utterances per CPU-second (\([0-9]*\) per wall second), \([0-9]*\) events\/CPU-s$/bench.analyzer.utterances_per_cpu_s = \1 utt\/s\nbench.analyzer.utterances_per_wall_s = \2 utt\/s\nbench.analyzer.events_per_cpu_s = \3 events\/s/p' \
	"$T/eng" | tee -a "$OUT"

section "analyzer: memory at 100,000 calls"
"$B/tests/bench/bench_engine" memory 100000 >"$T/mem"
cat "$T/mem"
sed -n 's/^memory: .* RSS \([0-9]*\) -> \([0-9]*\) KiB$/bench.analyzer.rss_100k_calls = \2 KiB/p;
	s/^memory: \([0-9]*\) bytes per active call.*/bench.analyzer.bytes_per_call = \1 bytes/p' "$T/mem" | tee -a "$OUT"

latency() { # NAME SUB-ENDPOINT (the analyzer's ingest is fixed)
	"$B/tests/bench/bench_latency" tcp://127.0.0.1:17511 "$2" 10000 5 5000 >"$T/lat" 2>&1
	cat "$T/lat"
	sed -n "s/^latency: p50 \([0-9.]*\) ms, p99 \([0-9.]*\) ms, max \([0-9.]*\) ms$/bench.latency.$1.p50 = \1 ms\nbench.latency.$1.p99 = \2 ms\nbench.latency.$1.max = \3 ms/p" \
		"$T/lat" | tee -a "$OUT"
}
section "latency: analyzer ingest -> subscriber at 10,000 events/s"
# A fresh analyzer for each path: the bench's calls must be new to it.
for path in direct proxy; do
	"$B/undertone-analyzer" run --quiet --ingest tcp://127.0.0.1:17511 \
		--publish tcp://127.0.0.1:17512 --requests tcp://127.0.0.1:17513 &
	an=$!; pids="$an"
	sub=tcp://127.0.0.1:17512
	if [ $path = proxy ]; then
		"$B/undertone-proxy" --stats 0 --publish tcp://127.0.0.1:17522 \
			--requests tcp://127.0.0.1:17523 \
			--analyzer tcp://127.0.0.1:17512,tcp://127.0.0.1:17513 2>/dev/null &
		pids="$pids $!"
		sub=tcp://127.0.0.1:17522
	fi
	sleep 0.5
	latency $path $sub
	for p in $pids; do kill "$p"; wait "$p" 2>/dev/null; done; pids=
done

# ---- detection (the analyzer area's run-bench.sh, sections 4 and 5) ----
section "detection on simulated calls with ground truth"
"$B/undertone-feed" simulate --calls 100 --seed 1 --duration 3600 --start 1700000000000 \
	--scenarios "$S/data/scenarios" --output "$T/floor.ndjson" 2>/dev/null
"$B/undertone-analyzer" run --quiet --replay "$T/floor.ndjson" --output "$T/feed.ndjson" \
	--publish "ipc://$T/p" --requests "ipc://$T/r" 2>/dev/null
if [ -n "$PY" ]; then
	"$PY" "$S/tests/bench/detection.py" "$T/floor.ndjson" "$T/feed.ndjson" >"$T/det" 2>&1
	cat "$T/det"
	sed -n 's/^detection: [0-9]* frustrated calls, [0-9]* detected (\([0-9.]*\)%).*/bench.detection.detected = \1 %/p;
		s/^detection: delay onset -> suggestion: median \([0-9.]*\) s.*/bench.detection.median_delay = \1 s/p;
		s/^detection: [0-9]* calm calls, false live suggestions on [0-9]* (\([0-9.]*\)%).*/bench.detection.false_live = \1 %/p' \
		"$T/det" | tee -a "$OUT"
fi

# ---- scorer against VADER ----
section "scorer throughput (and VADER, when installed)"
grep -v '^#' "$S/tests/data/support_utterances.tsv" | cut -f2 >"$T/s.txt"
"$B/tests/bench/bench_score" "$T/s.txt" $(( 2000000 / $(wc -l <"$T/s.txt") + 1 )) >"$T/score"
cat "$T/score"
ut=$(sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$T/score")
emit "bench.scorer.sentences_per_s = $ut sentences/s"
nm=${UT_VADER_MODULES:-/tmp/vader/node_modules}
if [ -n "$nm" ] && [ -f "$nm/vader-sentiment/package.json" ] && command -v node >/dev/null; then
	NODE_PATH="$nm" node "$S/tests/bench/accuracy/vader_score.js" --bench $(( 10000 / $(wc -l <"$T/s.txt") + 1 )) \
		<"$T/s.txt" 2>"$T/vader" >/dev/null
	vd=$(sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$T/vader" | tail -1)
	emit "bench.scorer.vader_node_sentences_per_s = $vd sentences/s"
	emit "bench.scorer.ratio_vs_vader_node = $(awk -v a="$ut" -v b="$vd" 'BEGIN{printf "%.0f", a / b}') x"
else
	echo "VADER comparison skipped: set UT_VADER_MODULES to a node_modules holding vader-sentiment"
	echo "(mkdir /tmp/vader && cd /tmp/vader && npm install vader-sentiment)"
fi
if [ -n "$PY" ] && "$PY" -c 'import nltk.sentiment.vader' 2>/dev/null && [ -n "$nm" ] &&
    [ -f "$nm/vader-sentiment/vader_lexicon.txt" ]; then
	"$PY" "$S/tests/bench/accuracy/vader_nltk.py" "$nm/vader-sentiment/vader_lexicon.txt" --bench \
		$(( 20000 / $(wc -l <"$T/s.txt") + 1 )) <"$T/s.txt" 2>"$T/py" >/dev/null
	pv=$(sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$T/py" | tail -1)
	emit "bench.scorer.vader_python_sentences_per_s = $pv sentences/s"
	emit "bench.scorer.ratio_vs_vader_python = $(awk -v a="$ut" -v b="$pv" 'BEGIN{printf "%.0f", a / b}') x"
fi
# VADER's own reference implementation (C.J. Hutto's vaderSentiment 3.3.x,
# not installable from Debian; UT_VADER_PY names a directory holding it).
if [ -n "$PY" ] && [ -n "${UT_VADER_PY:-}" ] && [ -f "$UT_VADER_PY/vaderSentiment.py" ]; then
	"$PY" "$S/tests/bench/accuracy/vader_ref.py" "$UT_VADER_PY" --bench \
		$(( 40000 / $(wc -l <"$T/s.txt") + 1 )) <"$T/s.txt" 2>"$T/ref" >/dev/null
	rv=$(sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$T/ref" | tail -1)
	emit "bench.scorer.vader_original_sentences_per_s = $rv sentences/s"
	emit "bench.scorer.ratio_vs_vader_original = $(awk -v a="$ut" -v b="$rv" 'BEGIN{printf "%.0f", a / b}') x"
fi
t0=$(date +%s%N)
i=0; while [ $i -lt 50 ]; do "$B/undertone-analyzer" score --version-lexicon >/dev/null; i=$((i + 1)); done
t1=$(date +%s%N)
emit "bench.scorer.startup = $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", (b - a) / 50e6}') ms"

# ---- console ----
section "console: load, keypress, idle"
if command -v tmux >/dev/null; then
	top_srcdir="$S" top_builddir="$B" sh "$S/tests/bench/bench_console.sh" >"$T/con" 2>&1
	cat "$T/con"
	sed -n 's/^load: .* console CPU \([0-9.]*\)% of one core.*/bench.console.load_cpu = \1 %/p;
		s/^load: keypress to screen.*mean \([0-9]*\) ms, worst \([0-9]*\) ms/bench.console.keypress_mean = \1 ms\nbench.console.keypress_worst = \2 ms/p;
		s/^idle: console CPU \([0-9.]*\)% .*, \([0-9]*\) wakeups\/s.*/bench.console.idle_cpu = \1 %\nbench.console.idle_wakeups = \2 \/s/p' \
		"$T/con" | tee -a "$OUT"
else
	echo "console: skipped (no tmux)"
fi

# ---- decision log ----
section "decision log: 1,000,000 records (cached), 4 writers"
cache=${UT_BENCH_CACHE:-${HOME:-/tmp}/.cache/undertone-bench}
mkdir -p "$cache"
db="$cache/dstore-1M.db"
if [ ! -s "$db" ]; then
	"$B/tests/bench/bench_dstore" gen "$db.tmp" 1000000 && mv "$db.tmp" "$db"
fi
"$B/tests/bench/bench_dstore" query "$db" >"$T/dq" 2>&1
cat "$T/dq"
awk '/^list / { if ($NF == "ms") { v = $(NF-1); if (v > lm) lm = v } }
	/^stats / { if ($NF == "ms") { v = $(NF-1); if (v > sm) sm = v } }
	END { printf "bench.dstore.list_worst = %s ms\nbench.dstore.stats_worst = %s ms\n", lm, sm }' "$T/dq" | tee -a "$OUT"
sed -n 's/^verify: \([0-9]*\) records in \([0-9.]*\) s = \([0-9]*\) records\/s.*/bench.dstore.verify_rate = \3 records\/s/p' \
	"$T/dq" | tee -a "$OUT"
rm -f "$T/busy.db"
for w in 1 2 3 4; do
	"$B/tests/bench/bench_dstore" commit "$T/busy.db" 500 20 >"$T/c$w" &
	pids="$pids $!"
done
for p in $pids; do wait "$p"; done; pids=
cat "$T"/c1 "$T"/c2 "$T"/c3 "$T"/c4
cat "$T"/c1 "$T"/c2 "$T"/c3 "$T"/c4 | awk '{ for (i = 1; i < NF; i++) if ($i == "p99") { v = $(i+1); if (v > m) m = v } }
	END { printf "bench.dstore.commit_p99_4writers = %s ms\n", m }' | tee -a "$OUT"

# ---- derived figures ----
section "derived"
raw=$(sed -n 's/^bench\.zmq_raw\.pubsub_rate = \([0-9]*\).*/\1/p' "$OUT")
for k in 1 2 4; do
	r=$(sed -n "s/^bench\.scale\.$k\.aggregate_rate = \([0-9]*\).*/\1/p" "$OUT")
	[ -n "$r" ] && [ -n "$raw" ] &&
		emit "bench.scale.$k.fraction_of_zmq_raw = $(awk -v a="$r" -v b="$raw" 'BEGIN{printf "%.3f", a / b}') ratio"
done
e=$(sed -n 's/^bench\.analyzer\.events_per_cpu_s = \([0-9]*\).*/\1/p' "$OUT")
[ -n "$e" ] && [ -n "$raw" ] &&
	emit "bench.analyzer.fraction_of_zmq_raw = $(awk -v a="$e" -v b="$raw" 'BEGIN{printf "%.3f", a / b}') ratio"
emit "bench.machine.load_end = $(cut -d' ' -f1 /proc/loadavg) load"
emit "bench.suite.duration = $(( $(date +%s) - start )) s"

# ---- keep the results, regenerate the document ----
R="$S/tests/bench/results"
mkdir -p "$R"
[ -f "$R/latest.txt" ] && cp "$R/latest.txt" "$R/previous.txt"
cp "$OUT" "$R/latest.txt"
echo "results: $R/latest.txt"
if [ -n "$PY" ] && [ "${UT_BENCH_NO_DOC:-0}" != 1 ]; then
	"$PY" "$S/tests/bench/bench_compare.py" --report "$R/latest.txt" "$S/doc/performance.md"
fi
