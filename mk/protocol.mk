# protocol: wire protocol v1 structs (proto), the MessagePack codec and the
# JSON/NDJSON forms (jsonio), their unit tests and the Python conformance test.
libundertone_a_SOURCES += \
	include/undertone/proto.h src/core/proto.c \
	include/undertone/codec.h \
	include/undertone/jsonio.h
