# signals: per-call state, trend, frustration signals and the suggestion
# policy (core library), their data, docs and unit tests.
libundertone_a_SOURCES += \
	include/undertone/trend.h src/core/trend.c \
	include/undertone/signals.h src/core/signals_internal.h \
	src/core/signals.c src/core/signals_text.c src/core/signals_explain.c \
	include/undertone/call.h src/core/call.c \
	include/undertone/policy.h src/core/policy_internal.h \
	src/core/policy.c src/core/policy_load.c src/core/policy_suggest.c

EXTRA_DIST += tests/unit/signals_timeline.h

check_PROGRAMS += tests/unit/test_trend tests/unit/test_signals
tests_unit_test_trend_SOURCES = tests/unit/test_trend.c
tests_unit_test_trend_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_trend_LDADD = $(UT_CHECK_LIBS)
tests_unit_test_signals_SOURCES = tests/unit/test_signals.c
tests_unit_test_signals_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_signals_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_trend tests/unit/test_signals
check_PROGRAMS += tests/unit/test_policy
tests_unit_test_policy_SOURCES = tests/unit/test_policy.c
tests_unit_test_policy_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_policy_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_policy
check_PROGRAMS += tests/unit/test_call
tests_unit_test_call_SOURCES = tests/unit/test_call.c
tests_unit_test_call_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_call_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_call

# The built-in policy, written out (installed as $(pkgdatadir)/policy/default.ini).
nobase_dist_pkgdata_DATA += data/policy/default.ini
dist_man_MANS += doc/undertone-policy.5
EXTRA_DIST += doc/signals.md
