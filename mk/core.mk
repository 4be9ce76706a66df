# Core utilities shared by every module.
libundertone_a_SOURCES += \
	include/undertone/utf8.h src/core/utf8.c \
	include/undertone/model.h src/core/model.c \
	include/undertone/timing.h src/core/timing.c

check_PROGRAMS += tests/unit/test_utf8
tests_unit_test_utf8_SOURCES = tests/unit/test_utf8.c
tests_unit_test_utf8_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_utf8_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_utf8

check_PROGRAMS += tests/unit/test_model
tests_unit_test_model_SOURCES = tests/unit/test_model.c
tests_unit_test_model_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_model_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_model
