/* score: batch sentiment scoring, one JSON object per input line. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "undertone/lexicon.h"
#include "undertone/sentiment.h"
#include "undertone/utf8.h"
#include "commands.h"

/* A line may be at most SENTIMENT_TEXT_MAX bytes (newline excluded); a
 * longer one gets an error object, never a silently truncated score. */
struct score_opts {
	const char *lexicon_path;
	enum lexicon_mode mode;
	int explain;
};

struct score_stats {
	unsigned long lines, scored, bad_utf8, too_long;
};

static void
score_usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-analyzer score [OPTIONS] [FILE...]\n"
	    "Score UTF-8 text, one utterance per line, from the FILEs or stdin ('-').\n"
	    "Writes one JSON object per input line, in order:\n"
	    "  {\"compound\":..,\"pos\":..,\"neu\":..,\"neg\":..,\"label\":\"negative|neutral|positive\"}\n"
	    "A line that is not UTF-8 or longer than %u bytes gets {\"error\":..,\"line\":N}.\n"
	    "\n"
	    "  --lexicon FILE       token<TAB>valence lexicon (VADER's format); bad lines\n"
	    "                       are reported on stderr with their line numbers\n"
	    "  --lexicon-mode MODE  replace (default with --lexicon) or extend the built-in\n"
	    "  --explain            add \"explain\": which words and rules moved the score\n"
	    "  --version-lexicon    print the lexicon version and entry count, then exit\n"
	    "  -h, --help           this help\n"
	    "Exit: 0 ok, 1 some lines had errors, 2 usage or lexicon error.\n"
	    "See undertone-analyzer(1) and doc/sentiment.md.\n",
	    (unsigned)SENTIMENT_TEXT_MAX);
}

static double
round4(double x)
{
	return round(x * 10000.0) / 10000.0;
}

static json_t *
explain_json(const struct sentiment_explain *ex)
{
	char buf[1024];
	json_t *items = json_array(), *o;
	size_t i;
	unsigned r;

	sentiment_explain_format(ex, buf, sizeof(buf));
	for (i = 0; i < ex->nitems; i++) {
		json_t *rules = json_array();

		for (r = 1; r <= SENTIMENT_R_PHRASE; r <<= 1)
			if (ex->items[i].rules & r)
				json_array_append_new(rules,
				    json_string(sentiment_rule_name((enum sentiment_rule)r)));
		json_array_append_new(items, json_pack("{s:s,s:f,s:f,s:o}",
		    "text", ex->items[i].text, "base", round4(ex->items[i].base),
		    "value", round4(ex->items[i].value), "rules", rules));
	}
	o = json_pack("{s:s,s:o,s:f,s:f}", "text", buf, "items", items,
	    "punct", round4(ex->punct), "sum", round4(ex->sum));
	if (ex->nomitted)
		json_object_set_new(o, "omitted", json_integer((json_int_t)ex->nomitted));
	return o;
}

static json_t *
error_object(unsigned long line, const char *error, size_t bytes)
{
	return json_pack("{s:s,s:I,s:I}", "error", error, "line", (json_int_t)line,
	    "bytes", (json_int_t)bytes);
}

static json_t *
result_json(const struct sentiment_result *r)
{
	return json_pack("{s:f,s:f,s:f,s:f,s:s}", "compound", round4(r->compound),
	    "pos", round4(r->pos), "neu", round4(r->neu), "neg", round4(r->neg),
	    "label", sentiment_label_name(r->label));
}

/*
 * Output: lines are gathered in one buffer and written in large blocks.
 * The common line, a score without explanation, is formatted here rather
 * than through jansson: building and dumping a JSON object per line cost
 * more than scoring it. The bytes are exactly jansson's (see put_num).
 */
struct out {
	FILE *f;
	size_t len;
	char buf[1 << 16];
};

static void
out_flush(struct out *o)
{
	if (o->len)
		fwrite(o->buf, 1, o->len, o->f);
	o->len = 0;
}

static void
out_put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > sizeof(o->buf))
		out_flush(o);
	if (n > sizeof(o->buf)) {
		fwrite(s, 1, n, o->f);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

/* j as compact JSON, without a newline; consumes j. */
static void
emit_raw(struct out *o, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));

	if (s) {
		out_put(o, s, strlen(s));
		free(s);
	}
	json_decref(j);
}

/* j and a newline; consumes j. */
static void
emit(struct out *o, json_t *j)
{
	emit_raw(o, j);
	out_put(o, "\n", 1);
}

/*
 * round4(x) as jansson writes it with JSON_REAL_PRECISION(6): "%.6g", and
 * ".0" added when that has no '.'. For k = round(x * 10^4) with |k| <=
 * 10^4 (every score and proportion: [-1, 1]) "%.6g" prints k / 10^4
 * exactly (at most five significant digits), trailing zeros dropped, with
 * the sign of a negative zero kept ("-0.0"). Returns the bytes written to
 * p, or 0 for anything else, which then goes through jansson.
 */
static size_t
put_num(char *p, double x)
{
	double k = round(x * 10000.0);
	unsigned long a, frac;
	size_t n = 0;
	int d;

	if (!(k >= -10000.0 && k <= 10000.0))
		return 0;  /* out of range or NaN */
	if (signbit(k))
		p[n++] = '-';
	a = (unsigned long)fabs(k);
	p[n++] = (char)('0' + a / 10000);
	p[n++] = '.';
	frac = a % 10000;
	if (frac == 0) {
		p[n++] = '0';
		return n;
	}
	for (d = 1000; frac != 0; d /= 10) {
		p[n++] = (char)('0' + frac / (unsigned long)d);
		frac %= (unsigned long)d;
	}
	return n;
}

/* {"compound":..,"pos":..,"neu":..,"neg":..,"label":".."} without the
 * closing brace; 0 if a number needs jansson. */
static size_t
format_result(char *p, const struct sentiment_result *r)
{
	static const char *const keys[4] = { "{\"compound\":", ",\"pos\":", ",\"neu\":", ",\"neg\":" };
	const double v[4] = { r->compound, r->pos, r->neu, r->neg };
	const char *label = sentiment_label_name(r->label);
	size_t n = 0, m, i;

	for (i = 0; i < 4; i++) {
		m = strlen(keys[i]);
		memcpy(p + n, keys[i], m);
		n += m;
		if ((m = put_num(p + n, v[i])) == 0)
			return 0;
		n += m;
	}
	memcpy(p + n, ",\"label\":\"", 10);
	n += 10;
	m = strlen(label);
	memcpy(p + n, label, m);
	n += m;
	p[n++] = '"';
	return n;
}

/* Input, read in large blocks; a line that lies whole in the block is
 * scored where it is, without a copy. */
struct in {
	FILE *f;
	struct out *out;  /* flushed before each read */
	size_t pos, end;
	char buf[1 << 16];
	char line[SENTIMENT_TEXT_MAX];  /* a line split across blocks */
};

/* Before waiting for more input, everything scored so far goes out: a
 * program that writes a line and waits for its score gets it at once.
 * read() rather than fread(), which would wait for a whole block. Returns
 * the bytes read, 0 at the end of the input or on a read error. */
static size_t
refill(struct in *r)
{
	ssize_t got;

	out_flush(r->out);
	fflush(r->out->f);
	do
		got = read(fileno(r->f), r->buf, sizeof(r->buf));
	while (got < 0 && errno == EINTR);
	r->pos = 0;
	r->end = got > 0 ? (size_t)got : 0;
	return r->end;
}

/* Next line (without '\n' and a final '\r') in *text: its full length,
 * which may exceed SENTIMENT_TEXT_MAX (only that many bytes are kept), or
 * -1 at the end of the input. NUL bytes are ordinary data. */
static long
read_line(struct in *r, const char **text)
{
	size_t n = 0, chunk, keep;
	const char *nl;
	int last = 0, got = 0;

	*text = r->line;
	for (;;) {
		if (r->pos == r->end && refill(r) == 0)
			break;
		got = 1;
		nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
		chunk = nl ? (size_t)(nl - (r->buf + r->pos)) : r->end - r->pos;
		if (chunk > 0)
			last = (unsigned char)r->buf[r->pos + chunk - 1];
		if (n == 0 && nl && chunk <= SENTIMENT_TEXT_MAX) {
			*text = r->buf + r->pos;  /* the common case: no copy */
			n = chunk;
		} else {
			keep = n < SENTIMENT_TEXT_MAX ? SENTIMENT_TEXT_MAX - n : 0;
			memcpy(r->line + n, r->buf + r->pos, chunk < keep ? chunk : keep);
			n = n + chunk < (size_t)LONG_MAX ? n + chunk : (size_t)LONG_MAX;
		}
		r->pos += chunk;
		if (nl) {
			r->pos++;
			return last == '\r' ? (long)n - 1 : (long)n;  /* CRLF input */
		}
	}
	if (!got || n == 0)
		return -1;
	return last == '\r' ? (long)n - 1 : (long)n;
}

static void
score_line(const struct lexicon *lex, const struct score_opts *o, struct out *out,
    const char *s, size_t len, struct score_stats *st)
{
	struct sentiment_result r;
	struct sentiment_explain ex;
	char line[256];
	size_t n;
	json_t *j;
	int rc;

	rc = sentiment_score(lex, s, len, &r, o->explain ? &ex : NULL);
	if (rc == SENTIMENT_EUTF8) {
		st->bad_utf8++;
		emit(out, error_object(st->lines, "invalid UTF-8", len));
		return;
	}
	if (rc != SENTIMENT_OK) {
		st->too_long++;
		emit(out, error_object(st->lines, sentiment_status_message(rc), len));
		return;
	}
	st->scored++;
	if ((n = format_result(line, &r)) == 0) {
		j = result_json(&r);
		if (o->explain)
			json_object_set_new(j, "explain", explain_json(&ex));
		emit(out, j);
		return;
	}
	out_put(out, line, n);
	if (o->explain) {
		/* The explanation as jansson writes a nested object. */
		out_put(out, ",\"explain\":", 11);
		emit_raw(out, explain_json(&ex));
	}
	out_put(out, "}\n", 2);
}

/* A line longer than the bound is reported with its full length, never
 * scored in part. */
static void
score_stream(FILE *f, const struct lexicon *lex, const struct score_opts *o,
    struct out *out, struct score_stats *st)
{
	static struct in in;
	const char *text;
	long n;
	size_t len;

	in.f = f;
	in.out = out;
	in.pos = in.end = 0;
	while ((n = read_line(&in, &text)) >= 0) {
		st->lines++;
		len = (size_t)n;
		if (len > SENTIMENT_TEXT_MAX) {
			st->too_long++;
			emit(out, error_object(st->lines, "line too long", len));
			continue;
		}
		score_line(lex, o, out, text, len, st);
	}
}

static int
load_lexicon(const struct score_opts *o, const struct lexicon **lex,
    struct lexicon **owned)
{
	struct lexicon_report rep;
	size_t i;

	*owned = NULL;
	*lex = lexicon_builtin();
	if (!o->lexicon_path)
		return 0;
	*owned = lexicon_load_file(o->lexicon_path, o->mode, &rep);
	for (i = 0; i < rep.shown; i++)
		fprintf(stderr, "undertone-analyzer: %s:%zu: %s\n", o->lexicon_path,
		    rep.line[i], lexicon_line_error_name(rep.kind[i]));
	if (rep.nbad > rep.shown)
		fprintf(stderr, "undertone-analyzer: %s: %zu more bad lines\n",
		    o->lexicon_path, rep.nbad - rep.shown);
	if (!*owned) {
		fprintf(stderr, "undertone-analyzer: lexicon: %s\n", rep.error);
		return -1;
	}
	if (rep.nbad)
		fprintf(stderr, "undertone-analyzer: %s: %zu entries, %zu bad lines skipped\n",
		    o->lexicon_path, rep.entries, rep.nbad);
	*lex = *owned;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct score_opts *o, int *show_version)
{
	static const struct option longopts[] = {
		{ "lexicon", required_argument, NULL, 'l' },
		{ "lexicon-mode", required_argument, NULL, 'm' },
		{ "explain", no_argument, NULL, 'e' },
		{ "version-lexicon", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, mode_set = 0;

	memset(o, 0, sizeof(*o));
	o->mode = LEXICON_REPLACE;
	*show_version = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': o->lexicon_path = optarg; break;
		case 'e': o->explain = 1; break;
		case 'V': *show_version = 1; break;
		case 'h': score_usage(stdout); return 1;
		case 'm':
			mode_set = 1;
			if (strcmp(optarg, "replace") == 0)
				o->mode = LEXICON_REPLACE;
			else if (strcmp(optarg, "extend") == 0)
				o->mode = LEXICON_EXTEND;
			else {
				fprintf(stderr, "undertone-analyzer: --lexicon-mode must be replace or extend\n");
				return -1;
			}
			break;
		default:
			score_usage(stderr);
			return -1;
		}
	}
	if (mode_set && !o->lexicon_path) {
		fprintf(stderr, "undertone-analyzer: --lexicon-mode needs --lexicon\n");
		return -1;
	}
	return 0;
}

static int
score_files(int argc, char **argv, const struct lexicon *lex,
    const struct score_opts *o, struct out *out, struct score_stats *st)
{
	int i, failed = 0;
	FILE *f;

	if (optind >= argc) {
		score_stream(stdin, lex, o, out, st);
		return 0;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			score_stream(stdin, lex, o, out, st);
			continue;
		}
		if (!(f = fopen(argv[i], "rb"))) {
			fprintf(stderr, "undertone-analyzer: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		score_stream(f, lex, o, out, st);
		fclose(f);
	}
	return failed;
}

int
score_main(int argc, char **argv)
{
	static struct out out;  /* 64 KiB: not on the stack */
	struct score_opts o;
	struct score_stats st = { 0, 0, 0, 0 };
	const struct lexicon *lex;
	struct lexicon *owned;
	int rc, show_version, failed;

	rc = parse_opts(argc, argv, &o, &show_version);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	if (load_lexicon(&o, &lex, &owned) != 0)
		return 2;
	if (show_version) {
		printf("%s %zu\n", lexicon_version(lex), lexicon_size(lex));
		lexicon_free(owned);
		return 0;
	}
	out.f = stdout;
	out.len = 0;
	failed = score_files(argc, argv, lex, &o, &out, &st);
	out_flush(&out);
	lexicon_free(owned);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "undertone-analyzer: write error\n");
		return 2;
	}
	if (st.bad_utf8 || st.too_long)
		fprintf(stderr, "undertone-analyzer: %lu lines, %lu scored, %lu invalid UTF-8, %lu too long\n",
		    st.lines, st.scored, st.bad_utf8, st.too_long);
	return failed ? 2 : (st.bad_utf8 || st.too_long) ? 1 : 0;
}
