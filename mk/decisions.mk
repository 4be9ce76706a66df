# decisions: the decision store (src/core/dstore*.c) and its tests.
libundertone_a_SOURCES += \
	include/undertone/dstore.h src/core/dstore_internal.h \
	src/core/dstore_schema.c src/core/dstore_canon.c src/core/dstore_record.c \
	src/core/dstore_append.c src/core/dstore_query.c src/core/dstore_verify.c \
	src/core/dstore_sign.c src/core/dstore_prune.c src/core/dstore_merge.c \
	src/core/dstore_stats.c

DSTORE_TEST_CFLAGS = $(UT_CHECK_CFLAGS) -I$(top_srcdir)/src/core
EXTRA_DIST += tests/unit/dstore_fixture.h tests/data/dstore/schema-v1.sql

check_PROGRAMS += tests/unit/test_dstore
tests_unit_test_dstore_SOURCES = tests/unit/test_dstore.c
tests_unit_test_dstore_CFLAGS = $(DSTORE_TEST_CFLAGS)
tests_unit_test_dstore_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_dstore

check_PROGRAMS += tests/unit/test_dstore_audit
tests_unit_test_dstore_audit_SOURCES = tests/unit/test_dstore_audit.c
tests_unit_test_dstore_audit_CFLAGS = $(DSTORE_TEST_CFLAGS)
tests_unit_test_dstore_audit_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_dstore_audit

check_PROGRAMS += tests/unit/test_dstore_faults
tests_unit_test_dstore_faults_SOURCES = tests/unit/test_dstore_faults.c
tests_unit_test_dstore_faults_CFLAGS = $(DSTORE_TEST_CFLAGS)
tests_unit_test_dstore_faults_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_dstore_faults

# Benchmark (run on demand: tests/bench/bench_dstore.sh BUILDDIR [N]).
check_PROGRAMS += tests/bench/bench_dstore
tests_bench_bench_dstore_SOURCES = tests/bench/bench_dstore.c
tests_bench_bench_dstore_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) -I$(top_srcdir)/src/core
tests_bench_bench_dstore_LDADD = $(UT_CORE_LIBS)
EXTRA_DIST += tests/bench/bench_dstore.sh
