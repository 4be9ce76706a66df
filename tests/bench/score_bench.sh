#!/bin/sh
# Side-by-side throughput of undertone's scorer and the VADER reference on
# the same sentences, in one run (on demand, never a timed assertion):
#   tests/bench/score_bench.sh [SENTENCES_FILE] [VADER_NODE_MODULES]
# Default sentences: tests/data/support_utterances.tsv (text column).
# References: VADER in node (npm vader-sentiment) and, when Debian's
# python3-nltk is installed, VADER's Python port in NLTK run with the same
# vader_lexicon.txt ($UT_PYTHON, default /usr/bin/python3).
# Reports: engine sentences/s (bench_score, in-process, no I/O), each
# reference in-process, the ratios by wall clock and by process CPU time, the score command end to end (JSON out)
# and startup (process start + lexicon index) of the command.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-.}
nm=${2:-/tmp/vader/node_modules}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
if [ $# -ge 1 ] && [ -n "$1" ]; then
	cp "$1" "$tmp/s.txt"
else
	grep -v '^#' "$top_srcdir/tests/data/support_utterances.tsv" | cut -f2 > "$tmp/s.txt"
fi
n=$(wc -l < "$tmp/s.txt")
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1 /proc/loadavg)"
echo "sentences: $n from ${1:-support_utterances.tsv}"

# Each side runs about 2 s per trial, three trials interleaved so both see
# the same machine load; the best trial of each side is compared.
best() { sed -n 's/.* = \([0-9]*\) sentences\/s.*/\1/p' "$1" | sort -n | tail -1; }
# The same from process CPU time (work done, whatever the machine's load).
bestcpu() { sed -n 's/.*, \([0-9]*\) per cpu-second.*/\1/p' "$1" | sort -n | tail -1; }
py=${UT_PYTHON:-/usr/bin/python3}
lex="$nm/vader-sentiment/vader_lexicon.txt"
havepy=0
"$py" -c 'import nltk.sentiment.vader' 2>/dev/null && havepy=1
rounds=$(( 500000 / n + 1 ))
vrounds=$(( 10000 / n + 1 ))
prounds=$(( 20000 / n + 1 ))
: > "$tmp/ut"; : > "$tmp/vader"; : > "$tmp/py"
for trial in 1 2 3; do
	"$top_builddir/tests/bench/bench_score" "$tmp/s.txt" "$rounds" | tee -a "$tmp/ut"
	NODE_PATH="$nm" node "$top_srcdir/tests/bench/accuracy/vader_score.js" --bench "$vrounds" \
		< "$tmp/s.txt" 2>> "$tmp/vader"
	tail -1 "$tmp/vader"
	if [ $havepy = 1 ]; then
		"$py" "$top_srcdir/tests/bench/accuracy/vader_nltk.py" "$lex" --bench "$prounds" \
			< "$tmp/s.txt" 2>> "$tmp/py"
		tail -1 "$tmp/py"
	fi
done
ut=$(best "$tmp/ut"); vd=$(best "$tmp/vader")
uc=$(bestcpu "$tmp/ut"); vc=$(bestcpu "$tmp/vader")
echo "best of 3 (wall clock): undertone engine $ut sentences/s, VADER node $vd sentences/s"
echo "$ut $vd" | awk '{ printf "ratio engine/VADER node (wall clock): %.0fx\n", $1 / $2 }'
echo "best of 3 (CPU time): undertone engine $uc, VADER node $vc sentences per CPU-second"
echo "$uc $vc" | awk '{ printf "ratio engine/VADER node (CPU time): %.0fx\n", $1 / $2 }'
if [ $havepy = 1 ]; then
	pv=$(best "$tmp/py"); pc=$(bestcpu "$tmp/py")
	echo "best of 3: VADER Python (NLTK) $pv sentences/s (wall clock), $pc per CPU-second"
	echo "$ut $pv" | awk '{ printf "ratio engine/VADER Python (wall clock): %.0fx\n", $1 / $2 }'
	echo "$uc $pc" | awk '{ printf "ratio engine/VADER Python (CPU time): %.0fx\n", $1 / $2 }'
fi

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
