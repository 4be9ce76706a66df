#!/usr/bin/env python3
"""VADER's own reference implementation (C.J. Hutto's vaderSentiment) on stdin lines.

Usage: vader_ref.py VADER_PY_DIR [--bench N] < lines
Prints one compound score per line, or with --bench N scores every line N
times and reports sentences/s on stderr (same format as vader_nltk.py, so
score_bench.sh parses either). VADER_PY_DIR holds vaderSentiment.py with its
vader_lexicon.txt and emoji_utf8_lexicon.txt beside it (the module loads both
from its own directory). That code is public and never committed here: fetch
it outside the repository (github cjhutto/vaderSentiment, 3.3.x). Run with
/usr/bin/python3 ($UT_PYTHON).
"""
import os
import sys
import time


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != '--bench'):
        sys.stderr.write("usage: vader_ref.py VADER_PY_DIR [--bench N] < lines\n")
        return 2
    pydir = sys.argv[1]
    if not os.path.isfile(os.path.join(pydir, 'vaderSentiment.py')):
        sys.stderr.write(f"vader_ref.py: no vaderSentiment.py in {pydir}\n")
        return 2
    # The directory itself, not a package: the module is imported by name.
    sys.path.insert(0, os.path.abspath(pydir))
    from vaderSentiment import SentimentIntensityAnalyzer
    sia = SentimentIntensityAnalyzer()
    lines = sys.stdin.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if len(sys.argv) == 4:
        rounds = int(sys.argv[3])
        if rounds < 1:
            sys.stderr.write("vader_ref.py: --bench needs N >= 1\n")
            return 2
        t0 = time.perf_counter()
        c0 = time.process_time()
        sink = 0.0
        for _ in range(rounds):
            for l in lines:
                sink += sia.polarity_scores(l)['compound']
        dt = time.perf_counter() - t0
        ct = time.process_time() - c0
        n = rounds * len(lines)
        sys.stderr.write(f"vader-python (reference vaderSentiment): {n} sentences in {dt:.3f} s"
                         f" = {n / dt:.0f} sentences/s (checksum {sink:.2f});"
                         f" cpu {ct:.3f} s, {n / ct:.0f} per cpu-second\n")
    else:
        sys.stdout.write(''.join(f"{sia.polarity_scores(l)['compound']}\n" for l in lines))
    return 0


if __name__ == '__main__':
    sys.exit(main())
