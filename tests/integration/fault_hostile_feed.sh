#!/bin/sh
# Fault test: the real analyzer (and console) under a fault, driven by a
# Python peer on ipc sockets; the case is named by this script (fault_CASE.sh).
[ -n "${UT_PYTHON:-}" ] || exit 77
case_name=$(basename "$0" .sh)
exec "$UT_PYTHON" "$top_srcdir/tests/integration/fault_peer.py" "${case_name#fault_}"
