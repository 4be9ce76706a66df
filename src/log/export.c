/*
 * undertone-log export: CSV (RFC 4180: CRLF, every field quoted when it holds
 * a comma, quote, CR or LF; quotes doubled; UTF-8 with a BOM so spreadsheet
 * programs detect the encoding) or NDJSON (one JSON object per line).
 * Text fields that a spreadsheet would run as a formula (= + - @ TAB CR at
 * the start) get a leading apostrophe. On a terminal, fields are sanitized.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "undertone/textsafe.h"

struct exp {
	struct log_opts *o;
	bool csv;
	size_t rows;
};

static const char *const csv_head[] = {
	"seq", "uuid", "time_utc", "time_ms", "supervisor", "display_name", "host", "call_id",
	"agent", "queue", "suggestion_id", "rule", "kind", "suggestion_severity",
	"suggestion_raised_ms", "reasons", "decision", "severity", "until_ms", "tag",
	"reason_code", "free_text", "sentiment_latest", "frustration", "signals",
	"policy_version", "lexicon_version", "forwarded_ms", "origin", "hash",
};

/* Writes one field; text fields may need the formula guard. */
static void
field(struct exp *e, const char *s, bool text, bool last)
{
	char *safe = NULL;
	const char *p;
	size_t len = strlen(s);

	if (e->o->tty) {
		safe = malloc(len * 3 + 1);
		if (safe != NULL) {
			textsafe_sanitize(s, len, safe, len * 3 + 1, e->o->ts_flags, NULL);
			s = safe;
		}
	}
	if (s[strcspn(s, ",\"\r\n")] != '\0' || (text && strchr("=+-@\t\r", s[0]) && s[0])) {
		fputc('"', stdout);
		if (text && s[0] && strchr("=+-@\t\r", s[0]))
			fputc('\'', stdout);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', stdout);
			fputc(*p, stdout);
		}
		fputc('"', stdout);
	} else
		fputs(s, stdout);
	fputs(last ? "\r\n" : ",", stdout);
	free(safe);
}

static void
num(struct exp *e, long long v, bool present)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	field(e, present ? b : "", false, false);
}

static void
real(struct exp *e, double v, bool present)
{
	char b[40];

	snprintf(b, sizeof(b), "%.4f", v);
	field(e, present ? b : "", false, false);
}

static void
reasons(struct exp *e, const struct dstore_suggestion *g)
{
	char buf[UT_REASONS_MAX * (UT_PHRASE_MAX + 3) + 1];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < g->reasons_n && i < UT_REASONS_MAX; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " | " : "", g->reasons[i]);
	field(e, buf, true, false);
}

static int
csv_row(struct exp *e, const struct dstore_record *r)
{
	const struct dstore_suggestion *g = &r->sug;
	char tm[40], h[2 * DSTORE_HASH_LEN + 1], *sig;

	log_fmt_time(r->time_ms, true, tm, sizeof(tm));
	num(e, r->seq, true);
	field(e, r->uuid, false, false);
	field(e, tm, false, false);
	num(e, r->time_ms, true);
	field(e, r->supervisor, true, false);
	field(e, r->display_name, true, false);
	field(e, r->host, true, false);
	field(e, r->call_id, true, false);
	field(e, r->agent, true, false);
	field(e, r->queue, true, false);
	field(e, g->present ? g->id : "", true, false);
	field(e, g->present ? g->rule : "", true, false);
	field(e, g->present ? model_suggestion_kind_name(g->kind) : "", false, false);
	num(e, g->severity, g->present);
	num(e, g->raised_ms, g->present);
	reasons(e, g);
	field(e, r->decision >= 0 ? model_decision_name((enum ut_decision)r->decision) : "", false, false);
	num(e, r->severity, r->severity != 0);
	num(e, r->until_ms, r->until_ms != 0);
	field(e, r->tag, true, false);
	field(e, r->reason_code, true, false);
	field(e, r->free_text, true, false);
	real(e, r->signals.sent_latest, r->signals.has_sentiment);
	real(e, r->signals.frustration, r->signals.has_frustration);
	sig = dstore_signals_json(&r->signals);
	field(e, sig != NULL ? sig : "", true, false);
	free(sig);
	field(e, r->policy_version, true, false);
	field(e, r->lexicon_version, true, false);
	num(e, r->forwarded_ms, r->forwarded);
	field(e, r->origin, true, false);
	dstore_hex(r->hash, DSTORE_HASH_LEN, h);
	field(e, h, false, true);
	return 0;
}

static int
ndjson_row(struct exp *e, const struct dstore_record *r)
{
	char *txt = dstore_record_json(r);

	if (txt == NULL) {
		log_err("export: record #%lld cannot be encoded (invalid text?)", (long long)r->seq);
		return DSTORE_EINVAL;
	}
	if (e->o->tty)
		log_puts_safe(e->o, stdout, txt);
	else
		fputs(txt, stdout);
	fputc('\n', stdout);
	free(txt);
	return 0;
}

static int
row(const struct dstore_record *r, void *ctx)
{
	struct exp *e = ctx;
	int rc = e->csv ? csv_row(e, r) : ndjson_row(e, r);

	e->rows++;
	return rc != 0 ? rc : ferror(stdout) ? DSTORE_EIO : 0;
}

static int
usage(FILE *f)
{
	fprintf(f, "usage: undertone-log export --format csv|ndjson [--no-bom] [--all] [filters]\n%s",
	    log_filter_help);
	return f == stdout ? LOG_EXIT_OK : LOG_EXIT_USAGE;
}

int
log_cmd_export(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { LOG_FILTER_LONGOPTS, { "format", 1, NULL, 'f' },
		{ "no-bom", 0, NULL, 'B' }, { "all", 0, NULL, 'a' }, { "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct dstore_filter f;
	struct dstore *st;
	struct exp e = { o, false, 0 };
	const char *fmt = NULL;
	bool bom = true;
	size_t i;
	int c, rc;

	dstore_filter_init(&f);
	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (c == 'h')
			return usage(stdout);
		if (c == 'f')
			fmt = optarg;
		else if (c == 'B')
			bom = false;
		else if (c == 'a')
			f.include_prune = 1;
		else if (log_filter_opt(c, optarg, &f) != 1)
			return LOG_EXIT_USAGE;
	}
	if (optind != argc || fmt == NULL || (strcmp(fmt, "csv") != 0 && strcmp(fmt, "ndjson") != 0))
		return usage(stderr);
	e.csv = strcmp(fmt, "csv") == 0;
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	if (e.csv) {
		if (bom && !o->tty)
			fputs("\xEF\xBB\xBF", stdout);
		for (i = 0; i < sizeof(csv_head) / sizeof(csv_head[0]); i++)
			field(&e, csv_head[i], false, i + 1 == sizeof(csv_head) / sizeof(csv_head[0]));
	}
	rc = dstore_query(st, &f, row, &e);
	if (rc != DSTORE_OK && rc != DSTORE_EINVAL)
		log_err("export: %s", dstore_errmsg(st));
	dstore_close(st);
	if (fflush(stdout) != 0)
		return LOG_EXIT_DB;
	return rc == DSTORE_EINVAL ? LOG_EXIT_DB : log_exit_for(rc);
}
