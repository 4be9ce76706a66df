# benchmarks: see below
# The benchmark suite (issue 9): `make bench-suite` runs every benchmark of
# the project (tests/bench/run-all.sh) in under ten minutes, prints stable
# `bench.<name>.<figure> = <value> <unit>` lines, keeps them in
# tests/bench/results/latest.txt (the previous run in previous.txt) and
# regenerates the measured section of doc/performance.md.
# `make bench-compare` flags figures more than 20% worse than the previous
# run, each taken as a ratio to the raw ZeroMQ baseline of its own run.
# Neither is part of `make check`.
noinst_PROGRAMS += tests/bench/bench_zmq_raw
tests_bench_bench_zmq_raw_SOURCES = tests/bench/bench_zmq_raw.c
tests_bench_bench_zmq_raw_CFLAGS = $(AM_CFLAGS) $(ZMQ_CFLAGS)
tests_bench_bench_zmq_raw_LDADD = $(ZMQ_LIBS) -lpthread
EXTRA_DIST += tests/bench/run-all.sh tests/bench/scale_bench.py tests/bench/bench_compare.py \
	tests/bench/results/latest.txt

UT_SUITE_BINS = $(UT_BENCH_BINS) tests/bench/bench_zmq_raw tests/bench/bench_console_feed \
	tests/bench/bench_dstore tests/bench/bench_score undertone undertone-analyzer \
	undertone-feed undertone-proxy undertone-log
bench-suite: $(UT_SUITE_BINS)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	UT_PYTHON='$(UT_PYTHON)' $(SHELL) $(top_srcdir)/tests/bench/run-all.sh
bench-compare:
	-$(UT_PYTHON) $(top_srcdir)/tests/bench/bench_compare.py \
	    $(top_srcdir)/tests/bench/results/previous.txt $(top_srcdir)/tests/bench/results/latest.txt
.PHONY: bench-suite bench-compare
# `make bench` is the suite; `make bench-analyzer` adds the analyzer's
# per-scenario detection detail (tests/bench/run-bench.sh).
bench: bench-suite
