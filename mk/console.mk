# console: rules for this area (see Makefile.am).
# The view-model is plain C (no curses); only src/console/draw*.c include curses.
UT_CONSOLE_VIEW = src/console/view.h src/console/view.c src/console/view_cells.c

check_PROGRAMS += tests/unit/test_view
tests_unit_test_view_SOURCES = tests/unit/test_view.c $(UT_CONSOLE_VIEW)
tests_unit_test_view_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_view_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_view
