#!/bin/sh
# Run each libFuzzer target for FUZZ_SECONDS from its seed corpus plus the
# regression inputs; new inputs go to a scratch dir, never the tree.
# Usage (from the fuzz build dir): smoke.sh TOP_SRCDIR NAME...
# Prints "fuzz-smoke: NAME ok|FAILED ..." per target, then
# "fuzz-smoke: N passed, N failed"; exits 1 if any target failed.
top=$1; shift
secs=${FUZZ_SECONDS:-30}
pass=0 fail=0
for name in "$@"; do
	t=tests/fuzz/fuzz_$name
	seeds=$top/tests/fuzz/corpus/$name
	work=$(mktemp -d)
	regs=
	[ -d "$top/tests/fuzz/regressions/$name" ] && regs=$top/tests/fuzz/regressions/$name
	# Replay the regressions first: each must run clean.
	if [ -n "$regs" ] && ! ./$t -runs=1 "$regs"/* >"$work/replay" 2>&1; then
		echo "fuzz-smoke: $name FAILED replaying tests/fuzz/regressions/$name"
		tail -40 "$work/replay"
		fail=$((fail + 1)); rm -rf "$work"; continue
	fi
	# shellcheck disable=SC2086
	if ./$t -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix="$work/" "$work" "$seeds" $regs >"$work/log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
		cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1)
		echo "fuzz-smoke: $name ok ($execs runs, $cov)"
		pass=$((pass + 1))
	else
		echo "fuzz-smoke: $name FAILED"
		tail -40 "$work/log"
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -f "$a" ] || continue
			echo "artifact $(basename "$a"): $(od -An -c "$a" | head -5 | tr -s ' ')"
		done
		fail=$((fail + 1))
	fi
	rm -rf "$work"
done
echo "fuzz-smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
