#!/bin/sh
# make check: every fuzz target's seed corpus and regression inputs replayed
# through the target (tests/fuzz/replay_NAME, no libFuzzer needed).
set -u
fail=0
for name in utf8 codec jsonio sentiment theme config policy; do
	bin=$top_builddir/tests/fuzz/replay_$name
	[ -x "$bin" ] || { echo "missing $bin"; exit 1; }
	dirs=$top_srcdir/tests/fuzz/corpus/$name
	[ -d "$top_srcdir/tests/fuzz/regressions/$name" ] && dirs="$dirs $top_srcdir/tests/fuzz/regressions/$name"
	# shellcheck disable=SC2086
	if out=$("$bin" $dirs 2>&1); then
		echo "ok $name: $out"
	else
		echo "FAIL $name: $out"
		fail=1
	fi
done
exit $fail
