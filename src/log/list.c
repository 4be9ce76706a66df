/* undertone-log list: a table of decisions sized to the terminal. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "undertone/textsafe.h"

enum { COL_SEQ, COL_TIME, COL_SUP, COL_CALL, COL_QUEUE, COL_KIND, COL_DEC, COL_REASON,
	COL_TEXT, COL__COUNT };

struct col { const char *title; int width; int min; };

struct table {
	struct log_opts *o;
	struct col cols[COL__COUNT];
	size_t rows;
};

/* Wide terminals get every column at its natural width and the note takes
 * the rest. When narrower, the free-form columns shrink (SOFT order) to
 * leave the note NOTE_MIN columns; if that is not enough the note goes, and
 * only then do kind, decision and time shrink. Clipped cells end with an
 * ellipsis. */
#define NOTE_MIN 16

static int
shrink(struct table *t, const int *order, size_t n, int used, int target)
{
	size_t i;
	int cut;

	for (i = 0; i < n && used > target; i++) {
		cut = t->cols[order[i]].width - t->cols[order[i]].min;
		if (cut > used - target)
			cut = used - target;
		t->cols[order[i]].width -= cut;
		used -= cut;
	}
	return used;
}

static void
layout(struct table *t, int width)
{
	static const struct col def[COL__COUNT] = {
		{ "SEQ", 6, 4 }, { "TIME (UTC)", 16, 10 }, { "SUPERVISOR", 12, 6 },
		{ "CALL", 14, 8 }, { "QUEUE", 10, 6 }, { "KIND", 9, 4 }, { "DECISION", 11, 6 },
		{ "REASON", 14, 8 }, { "NOTE", 0, 0 },
	};
	static const int soft[] = { COL_REASON, COL_CALL, COL_QUEUE, COL_SUP, COL_SEQ };
	static const int hard[] = { COL_KIND, COL_DEC, COL_TIME };
	int i, used = 0;

	memcpy(t->cols, def, sizeof(def));
	for (i = 0; i < COL_TEXT; i++)
		used += t->cols[i].width + 1;
	used = shrink(t, soft, sizeof(soft) / sizeof(soft[0]), used, width - NOTE_MIN);
	if (used > width - NOTE_MIN)
		used = shrink(t, hard, sizeof(hard) / sizeof(hard[0]), used, width);
	t->cols[COL_TEXT].width = width - used >= 8 ? width - used : 0;
}

static void
cell(struct table *t, int c, const char *s, bool last)
{
	char buf[1024];
	int w = t->cols[c].width;

	if (w <= 0)
		return;
	textsafe_fit(s, strlen(s), (size_t)w, t->o->ts_flags | TEXTSAFE_ELLIPSIS |
	    (last ? 0 : TEXTSAFE_PAD), buf, sizeof(buf), NULL);
	fputs(buf, stdout);
	if (!last)
		fputc(' ', stdout);
}

static void
header(struct table *t)
{
	int i;

	for (i = 0; i < COL__COUNT; i++)
		cell(t, i, t->cols[i].title, i == COL__COUNT - 1);
	fputc('\n', stdout);
}

static int
row(const struct dstore_record *r, void *ctx)
{
	struct table *t = ctx;
	char seq[24], tm[32];

	snprintf(seq, sizeof(seq), "%lld", (long long)r->seq);
	log_fmt_time(r->time_ms, false, tm, sizeof(tm));
	tm[16] = '\0';    /* to the minute; show has the milliseconds */
	cell(t, COL_SEQ, seq, false);
	cell(t, COL_TIME, tm, false);
	cell(t, COL_SUP, r->supervisor, false);
	cell(t, COL_CALL, r->call_id, false);
	cell(t, COL_QUEUE, r->queue, false);
	cell(t, COL_KIND, r->type == DSTORE_TYPE_PRUNE ? "(prune)" : r->sug.present ?
	    model_suggestion_kind_name(r->sug.kind) : "(human)", false);
	cell(t, COL_DEC, r->decision >= 0 ? model_decision_name((enum ut_decision)r->decision) : "-",
	    false);
	cell(t, COL_REASON, r->reason_code, false);
	cell(t, COL_TEXT, r->tag[0] && !r->free_text[0] ? r->tag : r->free_text, true);
	fputc('\n', stdout);
	t->rows++;
	return ferror(stdout) ? DSTORE_EIO : 0;
}

int
log_cmd_list(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { LOG_FILTER_LONGOPTS, { "newest-first", 0, NULL, 'n' },
		{ "all", 0, NULL, 'a' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct dstore_filter f;
	struct dstore *st;
	struct table t;
	int c, rc;

	dstore_filter_init(&f);
	f.skip_signals = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "nah", lo, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: undertone-log list [--newest-first] [--all] [filters]\n%s"
			    "  --all                 include retention (prune) records\n", log_filter_help);
			return LOG_EXIT_OK;
		}
		if (c == 'n')
			f.newest_first = 1;
		else if (c == 'a')
			f.include_prune = 1;
		else if (log_filter_opt(c, optarg, &f) != 1)
			return LOG_EXIT_USAGE;
	}
	if (optind != argc) {
		log_err("list: unexpected argument '%.40s'", argv[optind]);
		return LOG_EXIT_USAGE;
	}
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	memset(&t, 0, sizeof(t));
	t.o = o;
	layout(&t, log_term_width());
	header(&t);
	rc = dstore_query(st, &f, row, &t);
	if (rc != DSTORE_OK)
		log_err("list: %s", dstore_errmsg(st));
	dstore_close(st);
	return log_exit_for(rc);
}
