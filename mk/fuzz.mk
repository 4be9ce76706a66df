# libFuzzer targets. Build with: ./configure CC=clang --enable-fuzzing
# `make fuzz-smoke` runs every target for FUZZ_SECONDS from its seed corpus in
# tests/fuzz/corpus/<name>; new inputs go to a scratch dir, never the tree.
# FUZZ_JOBS targets run at a time. A failing target does not stop the others; the last line is
# "fuzz-smoke: N passed, N failed" and the exit status is non-zero on a failure.
FUZZ_SECONDS = 30
FUZZ_JOBS = 1
FUZZ_NAMES = utf8 codec jsonio sentiment theme config policy
FUZZ_TARGETS = tests/fuzz/fuzz_utf8 tests/fuzz/fuzz_codec tests/fuzz/fuzz_jsonio \
	tests/fuzz/fuzz_sentiment tests/fuzz/fuzz_theme tests/fuzz/fuzz_config tests/fuzz/fuzz_policy
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/regressions $(FUZZ_TARGETS:=.c) \
	tests/fuzz/smoke.sh

if FUZZING
noinst_PROGRAMS += $(FUZZ_TARGETS)
tests_fuzz_fuzz_utf8_SOURCES = tests/fuzz/fuzz_utf8.c
tests_fuzz_fuzz_utf8_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_utf8_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_codec_SOURCES = tests/fuzz/fuzz_codec.c
tests_fuzz_fuzz_codec_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_codec_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_jsonio_SOURCES = tests/fuzz/fuzz_jsonio.c
tests_fuzz_fuzz_jsonio_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_jsonio_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_sentiment_SOURCES = tests/fuzz/fuzz_sentiment.c
tests_fuzz_fuzz_sentiment_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_sentiment_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_theme_SOURCES = tests/fuzz/fuzz_theme.c
tests_fuzz_fuzz_theme_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_theme_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_policy_SOURCES = tests/fuzz/fuzz_policy.c
tests_fuzz_fuzz_policy_LDADD = $(UT_CORE_LIBS)
tests_fuzz_fuzz_policy_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)

fuzz-smoke: $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) $(SHELL) $(top_srcdir)/tests/fuzz/smoke.sh \
	  $(top_srcdir) $(FUZZ_NAMES)
else
fuzz-smoke:
	@echo "fuzz-smoke: configure with CC=clang --enable-fuzzing first" >&2; exit 1
endif
.PHONY: fuzz-smoke

# Every build replays the seed corpora and regression inputs through the
# targets' checks (tests/fuzz/replay.sh), so a fixed crash stays fixed.
UT_REPLAY_BINS = tests/fuzz/replay_utf8 tests/fuzz/replay_codec tests/fuzz/replay_jsonio \
	tests/fuzz/replay_sentiment tests/fuzz/replay_theme tests/fuzz/replay_config \
	tests/fuzz/replay_policy
check_PROGRAMS += $(UT_REPLAY_BINS)
tests_fuzz_replay_utf8_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_utf8.c
tests_fuzz_replay_utf8_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_codec_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_codec.c
tests_fuzz_replay_codec_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_jsonio_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_jsonio.c
tests_fuzz_replay_jsonio_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_sentiment_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_sentiment.c
tests_fuzz_replay_sentiment_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_theme_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_theme.c
tests_fuzz_replay_theme_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_config_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_config.c
tests_fuzz_replay_config_LDADD = $(UT_CORE_LIBS)
tests_fuzz_replay_policy_SOURCES = tests/fuzz/replay_main.c tests/fuzz/fuzz_policy.c
tests_fuzz_replay_policy_LDADD = $(UT_CORE_LIBS)
dist_check_SCRIPTS += tests/fuzz/replay.sh
TESTS += tests/fuzz/replay.sh
EXTRA_DIST += tests/fuzz/replay_main.c
dist_doc_DATA += doc/fuzzing.md

# Fault tests (issue 8): the real programs under faults, each under a minute.
EXTRA_DIST += tests/integration/fault_peer.py tests/integration/fault_term.sh
UT_FAULT_TESTS = tests/integration/fault_garbage.sh tests/integration/fault_overload.sh \
	tests/integration/fault_clock.sh tests/integration/fault_signals.sh \
	tests/integration/fault_analyzer_kill.sh tests/integration/fault_console_kill.sh \
	tests/integration/fault_console_signals.sh tests/integration/fault_hostile_feed.sh
dist_check_SCRIPTS += $(UT_FAULT_TESTS)
TESTS += $(UT_FAULT_TESTS)
