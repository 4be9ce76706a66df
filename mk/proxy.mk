# undertone-proxy: XSUB/XPUB fan-in/fan-out and request broker for sharded
# analyzers (issue 9), plus the stable call hash (shard.h) they share.
libundertone_a_SOURCES += include/undertone/shard.h src/core/shard.c

bin_PROGRAMS += undertone-proxy
undertone_proxy_SOURCES = src/proxy/proxy.h src/proxy/main.c src/proxy/pubsub.c \
	src/proxy/broker.c
undertone_proxy_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
undertone_proxy_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CORE_LIBS) -lpthread

# Integration: three shards, the proxy, three consoles, 3,000 calls.
EXTRA_DIST += tests/integration/scale_peer.py
dist_check_SCRIPTS += tests/integration/scale_shards.sh
TESTS += tests/integration/scale_shards.sh

dist_man_MANS += doc/undertone-proxy.1
dist_doc_DATA += doc/deployment.md

check_PROGRAMS += tests/unit/test_shard
tests_unit_test_shard_SOURCES = tests/unit/test_shard.c
tests_unit_test_shard_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_shard_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_shard
dist_check_SCRIPTS += tests/integration/scale_curve.sh
TESTS += tests/integration/scale_curve.sh

# feed_client with several publishers (shards) and --queues subscriptions.
check_PROGRAMS += tests/unit/test_feed_multi
tests_unit_test_feed_multi_SOURCES = tests/unit/test_feed_multi.c
tests_unit_test_feed_multi_CFLAGS = $(UT_CHECK_CFLAGS) $(ZMQ_CFLAGS)
tests_unit_test_feed_multi_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CHECK_LIBS)
TESTS += tests/unit/test_feed_multi
