#!/bin/sh
# Run each libFuzzer target for FUZZ_SECONDS from its seed corpus plus the
# regression inputs; new inputs go to a scratch dir, never the tree.
# FUZZ_JOBS targets run at a time (default 1).
# Usage (from the fuzz build dir): smoke.sh TOP_SRCDIR NAME...
# Prints "fuzz-smoke: NAME ok|FAILED ..." per target, then
# "fuzz-smoke: N passed, N failed"; exits 1 if any target failed.
top=$1; shift
secs=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-1}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# run_one NAME: writes $out/NAME.res ("ok" or "fail") and $out/NAME.txt.
run_one() {
	name=$1
	t=tests/fuzz/fuzz_$name
	seeds=$top/tests/fuzz/corpus/$name
	work=$out/$name.d
	mkdir -p "$work/new"
	regs=
	[ -d "$top/tests/fuzz/regressions/$name" ] && regs=$top/tests/fuzz/regressions/$name
	# The regressions first: each must run clean.
	if [ -n "$regs" ] && ! ./$t -runs=1 "$regs"/* >"$work/replay" 2>&1; then
		{ echo "fuzz-smoke: $name FAILED replaying tests/fuzz/regressions/$name"
		  tail -40 "$work/replay"; } >"$out/$name.txt"
		echo fail >"$out/$name.res"
		return
	fi
	# shellcheck disable=SC2086
	if ./$t -max_total_time="$secs" -print_final_stats=1 -timeout=10 -rss_limit_mb=1024 \
	    -artifact_prefix="$work/" "$work/new" "$seeds" $regs >"$work/log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
		cov=$(grep -ao 'cov: [0-9]*' "$work/log" | tail -1)
		echo "fuzz-smoke: $name ok ($execs runs, $cov)" >"$out/$name.txt"
		echo ok >"$out/$name.res"
	else
		{ echo "fuzz-smoke: $name FAILED"
		  tail -40 "$work/log"
		  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -f "$a" ] || continue
			echo "artifact $(basename "$a"): $(od -An -c "$a" | head -5 | tr -s ' ')"
		  done; } >"$out/$name.txt"
		echo fail >"$out/$name.res"
	fi
	rm -rf "$work"
}

pass=0 fail=0
set -- "$@"
while [ $# -gt 0 ]; do
	batch=
	i=0
	while [ $# -gt 0 ] && [ $i -lt "$jobs" ]; do
		batch="$batch $1"
		run_one "$1" &
		shift
		i=$((i + 1))
	done
	wait
	for name in $batch; do
		cat "$out/$name.txt" 2>/dev/null || echo "fuzz-smoke: $name FAILED (no result)"
		if [ "$(cat "$out/$name.res" 2>/dev/null)" = ok ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
		fi
	done
done
echo "fuzz-smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
