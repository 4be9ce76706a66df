# console: rules for this area (see Makefile.am).
# The view-model and app logic are plain C; only src/console/draw*.c include curses.
UT_CONSOLE_VIEW = src/console/view.h src/console/view.c src/console/view_cells.c
UT_CONSOLE_APP = src/console/app.h src/console/apply.c src/console/keys.c \
	src/console/decide.c src/console/text.c src/console/recorder.h src/console/recorder.c

# The Clone-pattern feed client lives in libuttransport (it includes <zmq.h>).
libuttransport_a_SOURCES += include/undertone/feed_client.h src/transport/feed_client.c

bin_PROGRAMS += undertone
undertone_SOURCES = src/console/main.c $(UT_CONSOLE_VIEW) $(UT_CONSOLE_APP) \
	src/console/draw.h src/console/draw_int.h src/console/draw.c src/console/draw_views.c
undertone_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(NCURSES_CFLAGS)
undertone_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CORE_LIBS) $(NCURSES_LIBS)

check_PROGRAMS += tests/unit/test_view
tests_unit_test_view_SOURCES = tests/unit/test_view.c $(UT_CONSOLE_VIEW)
tests_unit_test_view_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_view_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_view

check_PROGRAMS += tests/unit/test_view_app
tests_unit_test_view_app_SOURCES = tests/unit/test_view_app.c $(UT_CONSOLE_VIEW) $(UT_CONSOLE_APP)
tests_unit_test_view_app_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_view_app_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CHECK_LIBS)
TESTS += tests/unit/test_view_app

check_PROGRAMS += tests/unit/test_feed_client
tests_unit_test_feed_client_SOURCES = tests/unit/test_feed_client.c
tests_unit_test_feed_client_CFLAGS = $(UT_CHECK_CFLAGS) $(ZMQ_CFLAGS)
tests_unit_test_feed_client_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CHECK_LIBS)
TESTS += tests/unit/test_feed_client

# Terminal tests: the real analyzer, feed and console in a private tmux.
EXTRA_DIST += tests/terminal/lib.sh tests/terminal/capture_screens.sh
dist_check_SCRIPTS += tests/terminal/console_flow.sh tests/terminal/console_terms.sh
TESTS += tests/terminal/console_flow.sh tests/terminal/console_terms.sh

# Benchmark (on demand: make tests/bench/bench_console_feed undertone, then
# run tests/bench/bench_console.sh); not part of make check.
noinst_PROGRAMS += tests/bench/bench_console_feed
tests_bench_bench_console_feed_SOURCES = tests/bench/bench_console_feed.c
tests_bench_bench_console_feed_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
tests_bench_bench_console_feed_LDADD = $(UT_CORE_LIBS) $(ZMQ_LIBS)
EXTRA_DIST += tests/bench/bench_console.sh
dist_man_MANS += doc/undertone.1
