# security (issue 8): CURVE keys and the ZAP handler in libuttransport,
# the undertone-keygen program and its tests. Included from mk/transport.mk.
libuttransport_a_SOURCES += src/transport/curve.c src/transport/zap.c src/transport/curve_watch.c

bin_PROGRAMS += undertone-keygen
undertone_keygen_SOURCES = src/keygen/main.c
undertone_keygen_CFLAGS = $(AM_CFLAGS)
undertone_keygen_LDADD = $(UT_TRANSPORT_LIBS)
dist_man_MANS += doc/undertone-keygen.1

check_PROGRAMS += tests/unit/test_curve
tests_unit_test_curve_SOURCES = tests/unit/test_curve.c
tests_unit_test_curve_CFLAGS = $(UT_CHECK_CFLAGS) $(ZMQ_CFLAGS)
tests_unit_test_curve_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CHECK_LIBS)
TESTS += tests/unit/test_curve

# Integration: the real analyzer/feed/console in secure mode with pyzmq peers.
EXTRA_DIST += tests/integration/security_peer.py
dist_check_SCRIPTS += tests/integration/security_curve.sh tests/integration/security_config.sh \
	tests/integration/security_hostile_feed.sh tests/integration/security_bounds.sh
TESTS += tests/integration/security_curve.sh tests/integration/security_config.sh \
	tests/integration/security_hostile_feed.sh tests/integration/security_bounds.sh

# Threat model, secure set-up, bounds and least privilege.
dist_doc_DATA += doc/security.md
