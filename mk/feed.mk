# undertone-feed: replay NDJSON transcripts and simulate a floor of scripted
# calls (scenario scripts are data files in data/scenarios).
bin_PROGRAMS += undertone-feed
undertone_feed_SOURCES = src/feed/main.c src/feed/scenario.h src/feed/scenario.c \
	src/feed/floor.h src/feed/floor.c
undertone_feed_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
undertone_feed_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CORE_LIBS)

nobase_dist_pkgdata_DATA += \
	data/scenarios/floor.json \
	data/scenarios/abusive.json \
	data/scenarios/calm_address_change.json \
	data/scenarios/calm_billing.json \
	data/scenarios/calm_tech_setup.json \
	data/scenarios/cancel_retention.json \
	data/scenarios/chat_capitals.json \
	data/scenarios/double_charge_manager.json \
	data/scenarios/email_thread.json \
	data/scenarios/long_hold.json \
	data/scenarios/resolved_warm.json \
	data/scenarios/social_complaint.json \
	data/scenarios/third_time.json

check_PROGRAMS += tests/unit/test_feed_scenario
tests_unit_test_feed_scenario_SOURCES = tests/unit/test_feed_scenario.c \
	src/feed/scenario.c src/feed/floor.c
tests_unit_test_feed_scenario_CFLAGS = $(UT_CHECK_CFLAGS) -I$(top_srcdir)/src/feed
tests_unit_test_feed_scenario_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_feed_scenario

dist_man_MANS += doc/undertone-feed.1
