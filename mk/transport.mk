# transport: libuttransport.a, the ZeroMQ sockets with their limits.
libuttransport_a_SOURCES += include/undertone/transport.h src/transport/transport.c

check_PROGRAMS += tests/unit/test_transport
tests_unit_test_transport_SOURCES = tests/unit/test_transport.c
tests_unit_test_transport_CFLAGS = $(UT_CHECK_CFLAGS) $(ZMQ_CFLAGS)
tests_unit_test_transport_LDADD = $(UT_TRANSPORT_LIBS) $(UT_CHECK_LIBS)
TESTS += tests/unit/test_transport

