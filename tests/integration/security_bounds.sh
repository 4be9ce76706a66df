#!/bin/sh
# Security integration test (issue 8): CURVE + ZAP allow-list end to end
# (allowed console, unlisted key, plaintext client, SIGHUP reload) and the
# [security] configuration; the case is named by this script (security_CASE.sh).
[ -n "${UT_PYTHON:-}" ] || exit 77
"$UT_PYTHON" -c 'import zmq, sys; sys.exit(0 if zmq.has("curve") else 1)' || exit 77
case_name=$(basename "$0" .sh)
exec "$UT_PYTHON" "$top_srcdir/tests/integration/security_peer.py" "${case_name#security_}"
