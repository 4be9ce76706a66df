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

import vader_run


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
    rounds = None
    if len(sys.argv) == 4:
        rounds = int(sys.argv[3])
        if rounds < 1:
            sys.stderr.write("vader_ref.py: --bench needs N >= 1\n")
            return 2
    vader_run.run(sia, "vader-python (reference vaderSentiment)", rounds)
    return 0


if __name__ == '__main__':
    sys.exit(main())
