#!/bin/sh
# Side-by-side throughput of undertone's scorer and the VADER references on
# the same sentences, in one run (on demand, never a timed assertion):
#   [UT_VADER_PY=DIR] [UT_BENCH_TRIALS=N] \
#   tests/bench/score_bench.sh [SENTENCES_FILE] [VADER_NODE_MODULES]
# Default sentences: tests/data/support_utterances.tsv (text column).
# References, each run only when present:
#   - VADER's own reference implementation, C.J. Hutto's vaderSentiment
#     (Python), when $UT_VADER_PY names a directory holding vaderSentiment.py
#     with its vader_lexicon.txt and emoji_utf8_lexicon.txt (not shipped here:
#     fetch it outside the tree), run by accuracy/vader_ref.py;
#   - VADER's Python port in NLTK (Debian python3-nltk), with the npm
#     package's vader_lexicon.txt;
#   - VADER in node (npm vader-sentiment) from VADER_NODE_MODULES.
# Python is $UT_PYTHON (default /usr/bin/python3).
# Method: a calibration run of each side sizes its runs (engine about 1 s,
# each reference about 1.5 s); then N trials ($UT_BENCH_TRIALS, default 7),
# interleaved: in each trial every reference run directly follows an engine
# run (bench_score: in-process, no I/O) and the two form a pair, so both see
# the same machine load.
# Reports, per reference: best of N for each side and their ratio, and the
# median (and range) of the N per-pair ratios, each by wall clock and by
# process CPU time (the machine is shared); then the score command end to
# end (JSON out) and startup (process start + lexicon index) of the command.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
nm=${2:-/tmp/vader/node_modules}
trials=${UT_BENCH_TRIALS:-7}
case $trials in
''|*[!0-9]*|0) echo "score_bench.sh: UT_BENCH_TRIALS must be a positive whole number" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ $# -ge 1 ] && [ -n "$1" ]; then
	cp "$1" "$tmp/s.txt"
else
	grep -v '^#' "$top_srcdir/tests/data/support_utterances.tsv" | cut -f2 > "$tmp/s.txt"
fi
n=$(wc -l < "$tmp/s.txt")
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sentences: $n from ${1:-support_utterances.tsv}"

py=${UT_PYTHON:-/usr/bin/python3}
lex="$nm/vader-sentiment/vader_lexicon.txt"
acc="$top_srcdir/tests/bench/accuracy"
refs=
if [ -n "${UT_VADER_PY:-}" ]; then
	if [ -f "$UT_VADER_PY/vaderSentiment.py" ]; then
		refs="$refs orig"
	else
		echo "UT_VADER_PY=$UT_VADER_PY holds no vaderSentiment.py: original reference skipped"
	fi
fi
[ -f "$lex" ] && "$py" -c 'import nltk.sentiment.vader' 2>/dev/null && refs="$refs nltk"
[ -f "$nm/vader-sentiment/package.json" ] && command -v node > /dev/null 2>&1 && refs="$refs node"
[ -n "$refs" ] || echo "no VADER reference found: engine only"

label() {
	case $1 in
	orig) echo "VADER Python (original vaderSentiment)" ;;
	nltk) echo "VADER Python (NLTK)" ;;
	node) echo "VADER node" ;;
	esac
}
run_ref() {
	case $1 in
	orig) "$py" "$acc/vader_ref.py" "$UT_VADER_PY" --bench "$2" ;;
	nltk) "$py" "$acc/vader_nltk.py" "$lex" --bench "$2" ;;
	node) NODE_PATH="$nm" node "$acc/vader_score.js" --bench "$2" ;;
	esac < "$tmp/s.txt" 2> "$tmp/r" > /dev/null
}
run_engine() { "$top_builddir/tests/bench/bench_score" "$tmp/s.txt" "$1" > "$tmp/e"; }
# Sentences/s by wall clock and per CPU-second from one run's report line.
wall() { sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$1" | tail -1; }
cpu() { sed -n 's/.*, \([0-9]*\) per cpu-second.*/\1/p' "$1" | tail -1; }
# Column $2 of file $1: best (largest) value; median (printf format $3,
# default whole numbers); range of the ratios.
best() { cut -d' ' -f"$2" "$1" | sort -n | tail -1; }
median() {
	cut -d' ' -f"$2" "$1" | sort -g |
		awk -v f="${3:-%.0f}" '{ v[NR] = $1 }
			END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf f "\n", m }'
}
range() { cut -d' ' -f"$2" "$1" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1fx", lo, hi }'; }

# Calibration (also a warm-up): one short run of each side sets its rounds
# over the sentences so that a run takes about 1 s (engine) or 1.5 s (each
# reference) at this moment's rate, whatever the sentence lengths.
run_engine $(( 200000 / n + 1 ))
rounds=$(( $(wall "$tmp/e") / n + 1 ))
for r in $refs; do
	run_ref "$r" $(( 3000 / n + 1 ))
	eval "rounds_$r=$(( $(wall "$tmp/r") * 3 / 2 / n + 1 ))"
done

: > "$tmp/engine"
t=1
while [ "$t" -le "$trials" ]; do
	if [ -z "$refs" ]; then
		run_engine "$rounds"
		echo "$(wall "$tmp/e") $(cpu "$tmp/e")" >> "$tmp/engine"
		echo "trial $t/$trials: engine $(wall "$tmp/e")/s (cpu $(cpu "$tmp/e"))"
	fi
	for r in $refs; do
		run_engine "$rounds"
		eval "run_ref $r \"\$rounds_$r\""
		ew=$(wall "$tmp/e"); ec=$(cpu "$tmp/e"); rw=$(wall "$tmp/r"); rc=$(cpu "$tmp/r")
		echo "$ew $ec" >> "$tmp/engine"
		echo "$ew $ec $rw $rc" | awk '{ print $1, $2, $3, $4, $1 / $3, $2 / $4 }' >> "$tmp/pairs.$r"
		echo "$t $trials $ew $ec $rw $rc $(label "$r")" | awk '{
			name = $7; for (i = 8; i <= NF; i++) name = name " " $i
			printf "trial %d/%d: engine %d/s (cpu %d), %s %d/s (cpu %d): %.0fx wall, %.0fx cpu\n",
				$1, $2, $3, $4, name, $5, $6, $3 / $5, $4 / $6 }'
	done
	t=$((t + 1))
done

ut=$(best "$tmp/engine" 1); uc=$(best "$tmp/engine" 2)
echo "best of $trials: undertone engine $ut sentences/s (wall clock), $uc per CPU-second" \
	"(median $(median "$tmp/engine" 1), $(median "$tmp/engine" 2))"
for r in $refs; do
	p="$tmp/pairs.$r"; name=$(label "$r")
	vw=$(best "$p" 3); vc=$(best "$p" 4)
	echo "best of $trials: $name $vw sentences/s (wall clock), $vc per CPU-second" \
		"(median $(median "$p" 3), $(median "$p" 4))"
	echo "$ut $vw" | awk -v n="$name" -v k="$trials" '{ printf "ratio engine/%s, best of %d (wall clock): %.0fx\n", n, k, $1 / $2 }'
	echo "$uc $vc" | awk -v n="$name" -v k="$trials" '{ printf "ratio engine/%s, best of %d (CPU time): %.0fx\n", n, k, $1 / $2 }'
	echo "ratio engine/$name, median of $trials paired trials (wall clock):" \
		"$(median "$p" 5 %.1f)x (range $(range "$p" 5))"
	echo "ratio engine/$name, median of $trials paired trials (CPU time):" \
		"$(median "$p" 6 %.1f)x (range $(range "$p" 6))"
done

# The command end to end (read, score, JSON out), for comparison.
i=0; : > "$tmp/big"
while [ $i -lt 30 ]; do cat "$tmp/s.txt" >> "$tmp/big"; i=$((i + 1)); done
t0=$(date +%s.%N)
"$top_builddir/undertone-analyzer" score "$tmp/big" > /dev/null
t1=$(date +%s.%N)
echo "$t0 $t1 $(wc -l < "$tmp/big")" | awk '{ printf "undertone-analyzer score (JSON out): %d lines in %.3f s = %.0f lines/s\n", $3, $2 - $1, $3 / ($2 - $1) }'

# Startup: the whole process including building the lexicon index.
t0=$(date +%s.%N)
i=0; while [ $i -lt 50 ]; do "$top_builddir/undertone-analyzer" score --version-lexicon > /dev/null; i=$((i + 1)); done
t1=$(date +%s.%N)
echo "$t0 $t1" | awk '{ printf "startup (exec + lexicon index + exit), mean of 50: %.2f ms\n", ($2 - $1) * 1000 / 50 }'
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
