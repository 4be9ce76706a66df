#!/bin/sh
# Integration test: the real analyzer (and feed) driven by a Python console
# peer on ipc sockets; the case is named by this script (test_daemon_CASE.sh).
[ -n "${UT_PYTHON:-}" ] || exit 77
case_name=$(basename "$0" .sh)
exec "$UT_PYTHON" "$top_srcdir/tests/integration/daemon_peer.py" "${case_name#test_daemon_}"
