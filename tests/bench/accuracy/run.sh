#!/bin/sh
# Accuracy benchmark (on demand, not part of make check):
#   tests/bench/accuracy/run.sh DATA_DIR [VADER_NODE_MODULES]
# DATA_DIR: the labelled sets (see accuracy.py and doc/sentiment.md).
# VADER_NODE_MODULES: a node_modules holding vader-sentiment, e.g. after
#   mkdir -p /tmp/vader && cd /tmp/vader && npm install vader-sentiment
# The analyzer is taken from $top_builddir (default: the current directory);
# Python is $UT_PYTHON (default /usr/bin/python3, which has NLTK).
set -eu
[ $# -ge 1 ] || { echo "usage: $0 DATA_DIR [VADER_NODE_MODULES]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
exec "${UT_PYTHON:-/usr/bin/python3}" "$here/accuracy.py" "$1" \
	"${top_builddir:-.}/undertone-analyzer" "${2:-/tmp/vader/node_modules}"
