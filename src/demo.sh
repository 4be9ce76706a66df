#!/bin/sh
# demo: start the analyzer and a simulated floor in the background, the
# console in the foreground, and stop everything when the console exits.
# Usage: src/demo.sh BUILD_DIR
set -eu
build=${1:?usage: demo.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
for p in undertone-analyzer undertone-feed undertone; do
	if [ ! -x "$build/$p" ]; then
		echo "demo: $p is not built yet. The demo will run:"
		echo "  $build/undertone-analyzer run &"
		echo "  $build/undertone-feed simulate --calls 40 --seed 1 &"
		echo "  $build/undertone"
		exit 0
	fi
done
run=$(mktemp -d "${TMPDIR:-/tmp}/undertone-demo.XXXXXX")
pids=
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
	for pid in $pids; do wait "$pid" 2>/dev/null || true; done
	rm -rf "$run"
}
trap cleanup EXIT INT TERM HUP
ep="ipc://$run"
"$build/undertone-analyzer" run --ingest "$ep/ingest" --publish "$ep/feed" \
	--requests "$ep/req" >"$run/analyzer.log" 2>&1 &
pids="$pids $!"
"$build/undertone-feed" simulate --calls 40 --seed "$(date +%s)" --connect "$ep/ingest" \
	>"$run/feed.log" 2>&1 &
pids="$pids $!"
UNDERTONE_THEME_DIR="$top/themes" "$build/undertone" --feed "$ep/feed" --requests "$ep/req"
