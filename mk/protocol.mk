# protocol: wire protocol v1 structs (proto), the MessagePack codec and the
# JSON/NDJSON forms (jsonio), their unit tests and the Python conformance test.
libundertone_a_SOURCES += \
	include/undertone/proto.h src/core/proto.c \
	include/undertone/codec.h src/core/codec_internal.h \
	src/core/codec.c src/core/codec_walk.c src/core/codec_tables.c \
	include/undertone/jsonio.h src/core/jsonio.c

check_PROGRAMS += tests/unit/test_codec
tests_unit_test_codec_SOURCES = tests/unit/test_codec.c \
	tests/unit/test_codec_samples.c tests/unit/test_codec_samples.h
tests_unit_test_codec_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_codec_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_codec

check_PROGRAMS += tests/unit/test_jsonio
tests_unit_test_jsonio_SOURCES = tests/unit/test_jsonio.c \
	tests/unit/test_codec_samples.c tests/unit/test_codec_samples.h
tests_unit_test_jsonio_CFLAGS = $(UT_CHECK_CFLAGS)
tests_unit_test_jsonio_LDADD = $(UT_CHECK_LIBS)
TESTS += tests/unit/test_jsonio

# Cross-language conformance: Python (zmq + msgpack) against the C codec.
check_PROGRAMS += tests/conformance/conformance_peer
tests_conformance_conformance_peer_SOURCES = tests/conformance/conformance_peer.c \
	tests/unit/test_codec_samples.c tests/unit/test_codec_samples.h
tests_conformance_conformance_peer_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS) $(ZMQ_CFLAGS)
tests_conformance_conformance_peer_LDADD = $(UT_CORE_LIBS) $(ZMQ_LIBS)
EXTRA_DIST += tests/conformance/conformance.py tests/data/protocol
dist_check_SCRIPTS += tests/conformance/test_conformance.sh
TESTS += tests/conformance/test_conformance.sh

dist_doc_DATA += doc/protocol.md

# On-demand benchmark of the codec's hot paths (built by make check, not run).
check_PROGRAMS += tests/unit/test_codec_bench
tests_unit_test_codec_bench_SOURCES = tests/unit/test_codec_bench.c \
	tests/unit/test_codec_samples.c tests/unit/test_codec_samples.h
tests_unit_test_codec_bench_CFLAGS = $(AM_CFLAGS) $(UT_DEP_CFLAGS)
tests_unit_test_codec_bench_LDADD = $(UT_CORE_LIBS)
