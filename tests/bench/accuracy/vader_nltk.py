#!/usr/bin/env python3
"""VADER's Python reference (NLTK's port of vaderSentiment) on stdin lines.

Usage: vader_nltk.py LEXICON_FILE [--bench N] < lines
Prints one compound score per line, or with --bench N scores every line N
times and reports sentences/s on stderr. LEXICON_FILE is vader_lexicon.txt
(e.g. from the npm package vader-sentiment); NLTK comes from Debian's
python3-nltk, run with /usr/bin/python3 ($UT_PYTHON).
"""
import os, sys, tempfile

import vader_run
from nltk.sentiment.vader import SentimentIntensityAnalyzer

# NLTK splits the file on newlines and fails on blank lines (including the
# final newline), so hand it a copy without them.
with open(sys.argv[1], encoding='utf-8') as f:
    rows = [l.rstrip('\n') for l in f if '\t' in l]
tmp = tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False, encoding='utf-8')
tmp.write('\n'.join(rows))
tmp.close()
try:
    sia = SentimentIntensityAnalyzer(lexicon_file='file:' + tmp.name)
finally:
    os.unlink(tmp.name)
rounds = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == '--bench' else None
vader_run.run(sia, "vader-python (nltk)", rounds)
