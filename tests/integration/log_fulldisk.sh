#!/bin/sh
# Full disk: on a small loop-mounted filesystem (tmpfs with a size limit if
# loop devices are unavailable), appends fail with the distinct "disk full"
# error (writer exit 13 = 10 + 3), nothing half-written remains, and after
# space is freed the same log accepts decisions again and verifies.
# Also: a read-only mount gives the distinct read-only error (exit 14).
set -u
LOG="$top_builddir/undertone-log"
W="$top_builddir/tests/integration/dstore_writer"
[ "$(id -u)" -eq 0 ] || { echo "needs root for mount"; exit 77; }
T=$(mktemp -d /tmp/ut-full.XXXXXX)
M="$T/mnt"
mkdir "$M"
trap 'umount "$M" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

how=
if command -v mkfs.ext2 >/dev/null 2>&1 && dd if=/dev/zero of="$T/img" bs=1024 count=2048 2>/dev/null &&
    mkfs.ext2 -q -F "$T/img" >/dev/null 2>&1 && mount -o loop "$T/img" "$M" 2>/dev/null; then
	how=loop
elif mount -t tmpfs -o size=2m tmpfs "$M" 2>/dev/null; then
	how=tmpfs
else
	echo "cannot mount a small filesystem here"; exit 77
fi
DB="$M/d.db"
"$W" "$DB" 5 before >/dev/null || fail "first writes"
# Fill the rest of the filesystem.
dd if=/dev/zero of="$M/filler" bs=4096 2>/dev/null
"$W" "$DB" 2000 full >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" -eq 13 ] || { cat "$T/err"; fail "expected disk-full exit 13, got $rc ($how)"; }
grep -q "disk full" "$T/err" || fail "error text: $(cat "$T/err")"
n=$(grep -c '^ok ' "$T/out")
rm -f "$M/filler"
"$LOG" --db "$DB" verify >"$T/v" 2>&1 || { cat "$T/v"; fail "verify after disk full"; }
grep -q "^ok: $((5 + n)) records" "$T/v" || fail "count after disk full: $(cat "$T/v") (reported $n)"
"$W" "$DB" 3 after >/dev/null || fail "writes after space was freed"
"$LOG" --db "$DB" verify >/dev/null || fail "verify after recovery"
# Read-only filesystem.
"$LOG" --db "$DB" list >/dev/null || fail list
mount -o remount,ro "$M" 2>/dev/null || { echo "ok ($how; read-only remount unsupported)"; exit 0; }
"$W" "$DB" 1 ro >/dev/null 2>"$T/err"; rc=$?
[ "$rc" -eq 14 ] || { cat "$T/err"; fail "expected read-only exit 14, got $rc"; }
"$LOG" --db "$DB" verify >/dev/null || fail "read-only verify beside a read-only mount"
echo "ok ($how)"
