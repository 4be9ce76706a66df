#!/bin/sh
# capture_screens: screenshots of the console on a simulated floor, one per
# shipped theme plus the detail view, as text (.txt), ANSI (.ans) and, when
# aha and chromium are installed, PNG. Run on demand (not part of make check):
#   top_srcdir=. top_builddir=BUILD sh tests/terminal/capture_screens.sh OUTDIR
set -u
OUT=${1:?usage: capture_screens.sh OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
. "$top_srcdir/tests/terminal/lib.sh"

png() { # name cols rows
	command -v aha >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || return 0
	html="$T/$1.html"
	# A light theme is made for a light terminal: render it on one.
	bg='#000' fg='#ddd' black=--black
	case $1 in *light*) bg='#fff' fg='#111' black= ;; esac
	{ echo "<html><head><meta charset=\"utf-8\"><style>body{background:$bg;margin:0}"
	  echo "pre{font-family:\"DejaVu Sans Mono\",monospace;font-size:14px;line-height:1.15;color:$fg;margin:4px}</style></head><body><pre>"
	  aha --no-header $black <"$OUT/$1.ans"
	  echo '</pre></body></html>'; } >"$html"
	chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
		--user-data-dir="$T/chromium" --window-size="$(($2 * 9 + 12)),$(($3 * 17 + 12))" \
		--screenshot="$OUT/$1.png" "file://$html" >/dev/null 2>&1 || true
}

shot() { # name cols rows
	sleep 1.5
	tmux -L "$SOCK" capture-pane -p >"$OUT/$1.txt"
	tmux -L "$SOCK" capture-pane -p -e >"$OUT/$1.ans"
	png "$1" "$2" "$3"
	echo "$OUT/$1"
}

start_analyzer
start_feed 40 42 3
sleep 20
for f in "$top_srcdir"/themes/*.theme; do
	name=$(basename "$f" .theme)
	start_console 140 40 COLORTERM=truecolor -- --theme "$name"
	wait_re 10 "calls [1-9]"
	shot "wallboard-$name" 140 40
	if [ "$name" = default ]; then
		keys Enter
		shot "detail-$name" 140 40
	fi
	keys q
done
