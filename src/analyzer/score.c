/* score: batch sentiment scoring, one JSON object per input line. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
score_line(const struct lexicon *lex, const struct score_opts *o,
    const char *s, size_t len, unsigned long line, struct score_stats *st)
{
	struct sentiment_result r;
	struct sentiment_explain ex;
	json_t *j;
	int rc;

	rc = sentiment_score(lex, s, len, &r, o->explain ? &ex : NULL);
	if (rc == SENTIMENT_EUTF8) {
		st->bad_utf8++;
		return error_object(line, "invalid UTF-8", len);
	}
	if (rc != SENTIMENT_OK) {
		st->too_long++;
		return error_object(line, sentiment_status_message(rc), len);
	}
	st->scored++;
	j = json_pack("{s:f,s:f,s:f,s:f,s:s}", "compound", round4(r.compound),
	    "pos", round4(r.pos), "neu", round4(r.neu), "neg", round4(r.neg),
	    "label", sentiment_label_name(r.label));
	if (o->explain)
		json_object_set_new(j, "explain", explain_json(&ex));
	return j;
}

static void
emit(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));

	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	json_decref(j);
}

/* Read one line into buf (at most SENTIMENT_TEXT_MAX bytes kept). Returns
 * the full line length (which may exceed the bound), without a trailing
 * CR, or -1 at end of input. */
static long
read_line(FILE *in, char *buf)
{
	long n = 0;
	int c, last = 0;

	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		if (n < SENTIMENT_TEXT_MAX)
			buf[n] = (char)c;
		if (n < LONG_MAX)
			n++;
		last = c;
	}
	if (c == EOF && n == 0)
		return -1;
	return last == '\r' ? n - 1 : n;  /* CRLF input */
}

/* A line longer than the bound is reported with its full length, never
 * scored in part. NUL bytes are ordinary data. */
static void
score_stream(FILE *in, const struct lexicon *lex, const struct score_opts *o,
    struct score_stats *st)
{
	static char buf[SENTIMENT_TEXT_MAX];
	long n;
	size_t len;

	while ((n = read_line(in, buf)) >= 0) {
		st->lines++;
		len = (size_t)n;
		if (len > SENTIMENT_TEXT_MAX) {
			st->too_long++;
			emit(error_object(st->lines, "line too long", len));
			continue;
		}
		emit(score_line(lex, o, buf, len, st->lines, st));
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
    const struct score_opts *o, struct score_stats *st)
{
	int i, failed = 0;
	FILE *f;

	if (optind >= argc) {
		score_stream(stdin, lex, o, st);
		return 0;
	}
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			score_stream(stdin, lex, o, st);
			continue;
		}
		if (!(f = fopen(argv[i], "rb"))) {
			fprintf(stderr, "undertone-analyzer: %s: %s\n", argv[i], strerror(errno));
			failed = 1;
			continue;
		}
		score_stream(f, lex, o, st);
		fclose(f);
	}
	return failed;
}

int
score_main(int argc, char **argv)
{
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
	failed = score_files(argc, argv, lex, &o, &st);
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
