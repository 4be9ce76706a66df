# undertone-analyzer: the live daemon (run.c and friends) and batch scoring
# (score.c, whose extra sources come from mk/sentiment.mk).
bin_PROGRAMS += undertone-analyzer
undertone_analyzer_SOURCES = src/analyzer/main.c src/analyzer/commands.h \
	src/analyzer/run.c src/analyzer/score.c
undertone_analyzer_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
undertone_analyzer_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CORE_LIBS)
undertone_analyzer_SOURCES += src/analyzer/engine.h src/analyzer/engine.c \
	src/analyzer/roster.h src/analyzer/roster.c src/analyzer/private_file.h

# Integration tests: the real daemon and feed with a Python console peer.
EXTRA_DIST += tests/integration/daemon_peer.py
dist_check_SCRIPTS += tests/integration/test_daemon_snapshot.sh \
	tests/integration/test_daemon_gap.sh tests/integration/test_daemon_malformed.sh \
	tests/integration/test_daemon_decisions.sh tests/integration/test_daemon_scenarios.sh \
	tests/integration/test_daemon_live_feed.sh tests/integration/test_daemon_replay.sh \
	tests/integration/test_daemon_hwm_gap.sh
TESTS += tests/integration/test_daemon_snapshot.sh \
	tests/integration/test_daemon_gap.sh tests/integration/test_daemon_malformed.sh \
	tests/integration/test_daemon_decisions.sh tests/integration/test_daemon_scenarios.sh \
	tests/integration/test_daemon_live_feed.sh tests/integration/test_daemon_replay.sh \
	tests/integration/test_daemon_hwm_gap.sh

check_PROGRAMS += tests/unit/test_engine
tests_unit_test_engine_SOURCES = tests/unit/test_engine.c tests/unit/engine_fixture.h \
	src/analyzer/engine.c
tests_unit_test_engine_CFLAGS = $(UT_CHECK_CFLAGS) -I$(top_srcdir)/src/analyzer
tests_unit_test_engine_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_engine

# Benchmarks (tests/bench): built with the tests but never run by `make check`;
# `make bench` runs them and prints the figures for doc/performance.md.
UT_BENCH_BINS = tests/bench/bench_engine tests/bench/bench_latency
check_PROGRAMS += $(UT_BENCH_BINS)
tests_bench_bench_engine_SOURCES = tests/bench/bench_engine.c src/analyzer/engine.c \
	src/feed/scenario.c src/feed/floor.c
tests_bench_bench_engine_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) \
	-I$(top_srcdir)/src/analyzer -I$(top_srcdir)/src/feed
tests_bench_bench_engine_LDADD = $(UT_CORE_LIBS)
tests_bench_bench_latency_SOURCES = tests/bench/bench_latency.c
tests_bench_bench_latency_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
tests_bench_bench_latency_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CORE_LIBS)
EXTRA_DIST += tests/bench/run-bench.sh tests/bench/detection.py
# The analyzer's own detail run (per-scenario detection); `make bench` is the suite.
bench-analyzer: $(UT_BENCH_BINS) undertone-analyzer undertone-feed
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	UT_PYTHON='$(UT_PYTHON)' $(SHELL) $(top_srcdir)/tests/bench/run-bench.sh
.PHONY: bench-analyzer

dist_doc_DATA += doc/responsible-use.md doc/performance.md

check_PROGRAMS += tests/unit/test_roster
tests_unit_test_roster_SOURCES = tests/unit/test_roster.c tests/unit/engine_fixture.h src/analyzer/engine.c \
	src/analyzer/roster.c src/analyzer/private_file.h
tests_unit_test_roster_CFLAGS = $(UT_CHECK_CFLAGS) -I$(top_srcdir)/src/analyzer
tests_unit_test_roster_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_roster
