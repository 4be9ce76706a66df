# log: undertone-log, the auditor's tool over the decision log.
bin_PROGRAMS += undertone-log
undertone_log_SOURCES = src/log/log.h src/log/main.c src/log/common.c src/log/list.c \
	src/log/show.c src/log/export.c src/log/verify.c src/log/stats.c src/log/merge.c
undertone_log_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS)
undertone_log_LDADD = $(UT_CORE_LIBS)

# Integration tests (shell) and their helper program.
check_PROGRAMS += tests/integration/dstore_writer
tests_integration_dstore_writer_SOURCES = tests/integration/dstore_writer.c
tests_integration_dstore_writer_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS)
tests_integration_dstore_writer_LDADD = $(UT_CORE_LIBS)
dist_check_SCRIPTS += tests/integration/log_cli.sh tests/integration/log_tamper.sh
TESTS += tests/integration/log_cli.sh tests/integration/log_tamper.sh
dist_check_SCRIPTS += tests/integration/log_crash.sh tests/integration/log_concurrency.sh \
	tests/integration/log_fulldisk.sh
TESTS += tests/integration/log_crash.sh tests/integration/log_concurrency.sh \
	tests/integration/log_fulldisk.sh

dist_man_MANS += doc/undertone-log.1
EXTRA_DIST += doc/decision-log.md
