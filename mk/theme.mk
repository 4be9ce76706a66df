# theme: themes, configuration and terminal-safe text (issue 7, core half).
libundertone_a_SOURCES += \
	include/undertone/textsafe.h src/core/textsafe.c

check_PROGRAMS += tests/unit/test_textsafe
tests_unit_test_textsafe_SOURCES = tests/unit/test_textsafe.c
tests_unit_test_textsafe_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_textsafe_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_textsafe
