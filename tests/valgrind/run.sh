#!/bin/sh
# Run the main integration paths with every undertone program under valgrind
# (memcheck: --leak-check=full, definite and indirect leaks are errors).
#
# Usage: tests/valgrind/run.sh [BUILD_DIR] [TEST...]
#   BUILD_DIR  a plain (non-sanitizer) build, default ./_build
#   TEST       test scripts relative to the source tree (default: the list below)
# The programs are replaced by shims that exec valgrind, so the tests run
# unchanged; each process writes its own valgrind log. Timing assertions of
# a test may fail under valgrind's slowdown: the verdict here is valgrind's
# (errors, leaks), with each test's own result printed beside it.
# Exit status: 0 when valgrind found nothing, 1 otherwise, 77 when valgrind
# or a build is missing. Not part of `make check` (it takes minutes); the
# sanitizer build of the whole suite covers the same ground in CI.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$top/_build}" 2>/dev/null && pwd) || { echo "no build dir ${1:-}"; exit 77; }
[ $# -gt 0 ] && shift
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: valgrind not installed"; exit 77; }
[ -x "$build/undertone-analyzer" ] || { echo "SKIP: $build has no undertone-analyzer"; exit 77; }
if grep -q 'fsanitize' "$build/Makefile" 2>/dev/null && grep -q '^SAN_CFLAGS = -f' "$build/Makefile"; then
	echo "SKIP: $build is a sanitizer build (valgrind needs a plain one)"; exit 77
fi
PY=${UT_PYTHON:-/usr/bin/python3}

tests=${*:-"tests/integration/test_daemon_snapshot.sh tests/integration/test_daemon_gap.sh
tests/integration/test_daemon_malformed.sh tests/integration/test_daemon_decisions.sh
tests/integration/test_daemon_replay.sh tests/integration/test_daemon_live_feed.sh
tests/integration/fault_garbage.sh tests/integration/fault_clock.sh
tests/integration/fault_signals.sh tests/integration/fault_overload.sh tests/integration/fault_hostile_feed.sh
tests/integration/log_cli.sh tests/integration/log_tamper.sh tests/terminal/console_flow.sh
tests/integration/fault_analyzer_kill.sh tests/integration/security_curve.sh"}

W=$(mktemp -d "${TMPDIR:-/tmp}/ut-vg.XXXXXX")
trap 'rm -rf "$W"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$W/bin/tests/integration" "$W/bin/tests/bench" "$W/logs"
# Shims: same names as the build's programs, valgrind around the real one
# (bench_dstore makes log_tamper's large log).
for p in "$build"/undertone "$build"/undertone-* "$build"/tests/integration/dstore_writer \
    "$build"/tests/bench/bench_dstore; do
	[ -x "$p" ] && [ -f "$p" ] || continue
	rel=${p#"$build"/}
	cat >"$W/bin/$rel" <<SHIM
#!/bin/sh
exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \\
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \\
	--track-fds=no --log-file="$W/logs/$(basename "$rel").%p.log" "$p" "\$@"
SHIM
	chmod +x "$W/bin/$rel"
done

failed=0
for t in $tests; do
	name=$(basename "$t" .sh)
	start=$(date +%s)
	top_srcdir=$top top_builddir=$W/bin UT_PYTHON=$PY timeout 300 sh "$top/$t" >"$W/$name.out" 2>&1
	rc=$?
	case $rc in 0) res=pass ;; 77) res=skip ;; *) res="fail (rc $rc; timing under valgrind?)" ;; esac
	printf 'valgrind: %-28s test %s, %ss\n' "$name" "$res" "$(( $(date +%s) - start ))"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || tail -5 "$W/$name.out" | sed 's/^/    /'
	for l in "$W"/logs/*.log; do
		[ -f "$l" ] || continue
		if [ -s "$l" ]; then
			echo "valgrind: $name: $(basename "$l"):"
			sed 's/^/    /' "$l" | head -60
			failed=$((failed + 1))
		fi
		rm -f "$l"
	done
done
if [ "$failed" -eq 0 ]; then
	echo "valgrind: no errors and no definite/indirect leaks"
	exit 0
fi
echo "valgrind: $failed process logs with errors or leaks"
exit 1
