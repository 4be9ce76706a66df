#!/bin/sh
# The `undertone-analyzer score` command: JSON per line in order, error
# objects for bad lines, long-line handling, --explain, --lexicon modes,
# bad lexicon lines reported with line numbers, --help size.
set -u
bin="$top_builddir/undertone-analyzer"
tmp=$(mktemp -d) || exit 99
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. One object per line, in order, with the required keys.
printf 'This is unacceptable.\nThanks so much, that fixed it!\nMy account number is 1234.\n\n' > "$tmp/in"
"$bin" score < "$tmp/in" > "$tmp/out" 2> "$tmp/err" || fail "exit status $?"
[ "$(wc -l < "$tmp/out")" -eq 4 ] || fail "want 4 lines"
for k in compound pos neu neg label; do
	[ "$(grep -c "\"$k\":" "$tmp/out")" -eq 4 ] || fail "key $k missing"
done
sed -n 1p "$tmp/out" | grep -q '"label":"negative"' || fail "line 1 not negative"
sed -n 2p "$tmp/out" | grep -q '"label":"positive"' || fail "line 2 not positive"
sed -n 3p "$tmp/out" | grep -q '"label":"neutral"' || fail "line 3 not neutral"
sed -n 4p "$tmp/out" | grep -q '"compound":0' || fail "empty line not zero"

# 2. Invalid UTF-8 gets an error object; later lines go on; exit 1.
printf 'good\nbad \377 bytes\nthanks\n' > "$tmp/bad"
"$bin" score "$tmp/bad" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 1 ] || fail "invalid UTF-8: exit $rc, want 1"
sed -n 2p "$tmp/out" | grep -q '"error":"invalid UTF-8"' || fail "no error object"
sed -n 2p "$tmp/out" | grep -q '"line":2' || fail "error without line number"
sed -n 3p "$tmp/out" | grep -q '"label":"positive"' || fail "line after the error lost"
grep -q '1 invalid UTF-8' "$tmp/err" || fail "no summary on stderr"

# 3. Lines over 4096 bytes: an explicit error with the full length, never a
#    truncated score; exactly 4096 bytes is scored. CRLF is accepted.
awk 'BEGIN { s = ""; for (i = 0; i < 1000; i++) s = s "bad "; print s; \
	s = ""; for (i = 0; i < 1250; i++) s = s "ok, "; print s; \
	s = ""; for (i = 0; i < 4096; i++) s = s "a"; print s; printf "great\r\n" }' > "$tmp/long"
"$bin" score "$tmp/long" > "$tmp/out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "long line: exit $rc"
sed -n 1p "$tmp/out" | grep -q '"label":"negative"' || fail "4000 bytes not scored"
sed -n 2p "$tmp/out" | grep -q '"error":"line too long"' || fail "5000-byte line not reported"
sed -n 2p "$tmp/out" | grep -q '"bytes":5000' || fail "length misreported"
sed -n 3p "$tmp/out" | grep -q '"compound"' || fail "exactly 4096 bytes not scored"
sed -n 4p "$tmp/out" | grep -q '"label":"positive"' || fail "CRLF line"

# 4. --explain adds a readable explanation.
echo "I was charged twice, NOT happy" | "$bin" score --explain > "$tmp/out" || fail "explain"
grep -q '"explain":{"text":"' "$tmp/out" || fail "no explain text"
grep -q 'charged twice' "$tmp/out" || fail "phrase not explained"

# 5. --lexicon replace and extend; bad lines reported with line numbers.
printf 'zzyzx\t3.0\tignored\nno tab here\nword\tabc\n' > "$tmp/lex"
echo "zzyzx good" | "$bin" score --lexicon "$tmp/lex" > "$tmp/out" 2> "$tmp/err" || fail "replace"
grep -q "lex:2: no tab" "$tmp/err" || fail "line 2 not reported"
grep -q "lex:3: valence is not a number" "$tmp/err" || fail "line 3 not reported"
grep -q "1 entries, 2 bad lines" "$tmp/err" || fail "bad lines not counted"
grep -q '"neu":0.2,' "$tmp/out" || fail "replace mode kept built-in 'good'"
echo "good" | "$bin" score --lexicon "$tmp/lex" --lexicon-mode extend 2>/dev/null \
	| grep -q '"label":"positive"' || fail "extend mode lost built-in"
"$bin" score --lexicon "$tmp/lex" --lexicon-mode sideways < /dev/null 2>/dev/null
[ $? -eq 2 ] || fail "bad mode accepted"
"$bin" score --lexicon "$tmp/missing" < /dev/null 2> "$tmp/err"
[ $? -eq 2 ] || fail "missing lexicon accepted"
grep -q "No such file" "$tmp/err" || fail "missing lexicon not explained"

# 6. Missing input file: reported, the others still scored, exit 2.
echo good > "$tmp/ok"
"$bin" score "$tmp/nope" "$tmp/ok" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc -eq 2 ] || fail "missing input: exit $rc"
grep -q '"label":"positive"' "$tmp/out" || fail "later file not scored"

# 7. --help fits one screen.
"$bin" score --help > "$tmp/out" || fail "help exit"
[ "$(wc -l < "$tmp/out")" -le 24 ] || fail "help longer than a screen"
[ "$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' "$tmp/out")" -eq 0 ] || fail "help wider than 80"
# 8. Input is read in blocks: lines across block boundaries (a 6000-byte
#    one among them), CRLF, an empty line and a last line without newline
#    give the same output read from a file, from stdin, or from a pipe
#    that delivers small pieces; one object per line.
awk 'BEGIN { n = 0; while (n < 62000) { s = "this is fine number " NR++ " but slow"; \
	if (NR % 7 == 0) s = s "\r"; if (NR % 50 == 0) s = ""; print s; n += length(s) + 1 } \
	s = ""; for (i = 0; i < 1500; i++) s = s "bad "; print s; \
	for (i = 0; i < 400; i++) print "thanks, that fixed it " i; printf "great" }' > "$tmp/blocks"
lines=$(awk 'END { print NR }' "$tmp/blocks")
"$bin" score "$tmp/blocks" > "$tmp/b1" 2>/dev/null
"$bin" score < "$tmp/blocks" > "$tmp/b2" 2>/dev/null
dd if="$tmp/blocks" bs=997 2>/dev/null | "$bin" score > "$tmp/b3" 2>/dev/null
[ "$(wc -l < "$tmp/b1")" -eq "$lines" ] || fail "blocks: $(wc -l < "$tmp/b1") objects for $lines lines"
cmp -s "$tmp/b1" "$tmp/b2" || fail "blocks: file and stdin differ"
cmp -s "$tmp/b1" "$tmp/b3" || fail "blocks: file and pipe differ"
grep -q '"error":"line too long","line":[0-9]*,"bytes":6000' "$tmp/b1" || fail "blocks: long line"
tail -1 "$tmp/b1" | grep -q '"label":"positive"' || fail "blocks: last line without newline"

# 9. Interactive use: a line's score comes out before the input ends.
mkfifo "$tmp/fifo" || exit 99
: > "$tmp/live"  # exists before the background shell opens it (after the fifo)
"$bin" score < "$tmp/fifo" >> "$tmp/live" 2>/dev/null &
pid=$!
exec 3> "$tmp/fifo"
printf 'thanks so much\n' >&3
i=0
while [ "$(wc -l < "$tmp/live")" -lt 1 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
got=$(wc -l < "$tmp/live")
exec 3>&-
wait "$pid"
pid=
[ "$got" -eq 1 ] || fail "no score before the end of input"
exit 0
