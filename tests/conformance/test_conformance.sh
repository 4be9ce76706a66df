#!/bin/sh
# Cross-language conformance of wire protocol v1: conformance.py (pyzmq +
# msgpack, written from doc/protocol.md) against conformance_peer (the C
# codec). conformance.py starts the peer and always stops it; the peer also
# exits by itself when orphaned or after 60 s.
[ -n "${UT_PYTHON:-}" ] || { echo "UT_PYTHON is empty: skipping"; exit 77; }
"$UT_PYTHON" -c 'import zmq, msgpack' 2>/dev/null || {
	echo "$UT_PYTHON cannot import zmq and msgpack: skipping"; exit 77; }
exec "$UT_PYTHON" "$top_srcdir/tests/conformance/conformance.py" \
	"$top_builddir/tests/conformance/conformance_peer" "$top_srcdir/doc/protocol.md"
