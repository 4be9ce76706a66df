/* text: the header, suggestion lines and whole batch frames as plain text.
 * Shared by the curses screen and --batch so both say the same thing. */
#include "app.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "undertone/textsafe.h"

void text_clock(int64_t wall_ms, char *out, size_t outsz)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	if (!localtime_r(&t, &tm)) {
		snprintf(out, outsz, "--:--:--");
		return;
	}
	strftime(out, outsz, "%H:%M:%S", &tm);
}

char *text_age(int64_t ms, char *out, size_t outsz)
{
	if (ms < 0)
		ms = 0;
	long long s = (long long)(ms / 1000);
	if (s < 60)
		snprintf(out, outsz, "%llds", s);
	else if (s < 3600)
		snprintf(out, outsz, "%lldm", s / 60);
	else
		snprintf(out, outsz, "%lldh", s / 3600);
	return out;
}

const char *text_decision_state(enum view_dec_state s)
{
	switch (s) {
	case VIEW_DEC_UNRECORDED: return "NOT YET RECORDED";
	case VIEW_DEC_RECORDED: return "recorded locally";
	case VIEW_DEC_SHARED: return "recorded, shared";
	case VIEW_DEC_REMOTE: return "by another lead";
	}
	return "?";
}

void text_feed_status(const struct app *a, char *out, size_t outsz, bool *bad)
{
	const struct feed_status *fs = &a->fs;
	char age[16];
	*bad = true;
	if (fs->state == FEED_CONNECTING && !fs->ever_live && fs->auth == FEED_AUTH_REFUSED)
		snprintf(out, outsz, "feed: REFUSED: the analyzer does not accept this console's key"
			" (ask for it on its allow-list)");
	else if (fs->state == FEED_CONNECTING && !fs->ever_live && fs->auth == FEED_AUTH_FAILED)
		snprintf(out, outsz, "feed: HANDSHAKE FAILED: check the analyzer's public key"
			" (server_key) and that it runs with CURVE");
	else if (fs->state == FEED_CONNECTING && !fs->ever_live)
		snprintf(out, outsz, "feed: CONNECTING");
	else if (fs->stale)
		snprintf(out, outsz, "feed: STALE %s (no heartbeat)%s",
			fs->hb_age_ms >= 0 ? text_age(fs->hb_age_ms, age, sizeof age) : "",
			fs->auth == FEED_AUTH_REFUSED ? ", reconnecting: key REFUSED" :
			fs->auth == FEED_AUTH_FAILED ? ", reconnecting: handshake FAILED" :
			fs->state != FEED_LIVE ? ", reconnecting" : "");
	else if (fs->state != FEED_LIVE)
		snprintf(out, outsz, "feed: RECONNECTING (resyncing)");
	else if (fs->stale_pubs > 0) {
		/* Behind a proxy: one shard is lost, its calls are marked '?'. */
		snprintf(out, outsz, "feed: live, %u of %u analyzers STALE (their calls marked ?)",
			fs->stale_pubs, fs->npubs);
	} else {
		*bad = false;
		if (fs->latency_ms >= 0)
			snprintf(out, outsz, "feed: live, latency %lld ms, gaps healed %llu",
				(long long)fs->latency_ms, (unsigned long long)fs->gaps_healed);
		else
			snprintf(out, outsz, "feed: live, gaps healed %llu",
				(unsigned long long)fs->gaps_healed);
	}
}

void text_header(const struct app *a, char *line1, size_t sz1, char *line2, size_t sz2)
{
	struct view_floor f;
	view_floor(a->view, &f);
	char clock[16], feed[128];
	bool bad;
	text_clock(a->wall_ms, clock, sizeof clock);
	text_feed_status(a, feed, sizeof feed, &bad);
	const char *name = a->cfg->display_name;
	snprintf(line1, sz1, "undertone  calls %zu  flagged %zu  awaiting %zu  negative %zu%%  "
		"avg frustration %.2f   %s  %s%s%s%s", f.active, f.flagged, f.awaiting, f.negative_pct,
		(double)f.avg_frustration, clock, a->user, name[0] ? " (" : "", name, name[0] ? ")" : "");
	const char *filt = view_get_filter(a->view);
	snprintf(line2, sz2, "%s   sort: %s%s%s%s%s", feed, view_sort_name(view_get_sort(a->view)),
		filt[0] ? "  filter: " : "", filt, view_get_flagged_only(a->view) ? "  [flagged only]" : "",
		a->paused ? "  [PAUSED]" : "");
}

void text_headings(const struct view_layout *l, bool ascii, char *out, size_t outsz)
{
	size_t pos = 0;
	out[0] = '\0';
	for (int i = 0; i < l->n && pos < outsz; i++) {
		char cell[256];
		view_fit(view_col_title(l->col[i]), l->width[i], ascii, cell, sizeof cell);
		pos += (size_t)snprintf(out + pos, outsz - pos, "%s%s", cell, i + 1 < l->n ? " " : "");
	}
}

void text_row(const struct app *a, const struct view_layout *l, const struct view_call *c,
	char *out, size_t outsz)
{
	struct view_style st = { a->glyphs, a->ascii, a->now_ms };
	size_t pos = 0;
	out[0] = '\0';
	for (int i = 0; i < l->n && pos < outsz; i++) {
		char cell[2048];
		view_cell(c, l->col[i], l->width[i], &st, cell, sizeof cell);
		pos += (size_t)snprintf(out + pos, outsz - pos, "%s%s", cell, i + 1 < l->n ? " " : "");
	}
}

void text_sugg_line(const struct app *a, const struct view_sugg *s, char *out, size_t outsz)
{
	char age[16], reasons[UT_PHRASE_MAX * 2] = "";
	size_t pos = 0;
	for (int i = 0; i < s->n_reasons && i < 2 && pos < sizeof reasons; i++)
		pos += (size_t)snprintf(reasons + pos, sizeof reasons - pos, "%s%s", i ? "; " : "",
			s->reasons[i].phrase[0] ? s->reasons[i].phrase : s->reasons[i].signal);
	char claim[UT_NAME_MAX + 32] = "";
	if (s->claimed_by[0])
		snprintf(claim, sizeof claim, "[claimed by %s] ",
			strcmp(s->claimed_by, a->user) == 0 ? "you" : s->claimed_by);
	/* Age from the earlier of the analyzer's time and our first sight, so
	 * a clock ahead of ours never shows a suggestion as brand new. */
	int64_t raised = s->raised_ms ? s->raised_ms : a->wall_ms;
	if (s->seen_ms && s->seen_ms < raised)
		raised = s->seen_ms;
	snprintf(out, outsz, "%4s %s %-9s %-14s %s%s: %s", text_age(a->wall_ms - raised, age, sizeof age),
		view_sev_marker(s->severity), model_suggestion_kind_name((enum ut_suggestion_kind)s->kind),
		s->call_id, claim, s->rule, reasons);
}

static void put_line(FILE *out, const char *s, int width, bool ascii)
{
	char buf[8192];
	textsafe_fit(s, strlen(s), (size_t)width, ascii ? TEXTSAFE_ASCII : 0, buf, sizeof buf, NULL);
	size_t n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	fprintf(out, "%s\n", buf);
}

void text_frame(const struct app *a, int width, int max_rows, FILE *out)
{
	char l1[512], l2[512], line[8192];
	struct view_layout lay;
	const enum view_col *cols = (const enum view_col *)a->cfg->columns;
	view_layout(&lay, width, cols, (int)a->cfg->ncolumns);
	text_header(a, l1, sizeof l1, l2, sizeof l2);
	put_line(out, l1, width, a->ascii);
	put_line(out, l2, width, a->ascii);
	text_headings(&lay, a->ascii, line, sizeof line);
	put_line(out, line, width, a->ascii);
	size_t rows = view_rows(a->view);
	size_t shown = max_rows > 0 && (size_t)max_rows < rows ? (size_t)max_rows : rows;
	for (size_t r = 0; r < shown; r++) {
		text_row(a, &lay, view_row(a->view, r), line, sizeof line);
		put_line(out, line, width, a->ascii);
	}
	if (shown < rows)
		fprintf(out, "... %zu more calls\n", rows - shown);
	const struct view_sugg *list[64];
	size_t n = view_sugg_pending(a->view, list, 64);
	fprintf(out, "Suggestions awaiting a decision: %zu\n", n);
	for (size_t i = 0; i < n && i < 64; i++) {
		text_sugg_line(a, list[i], line, sizeof line);
		put_line(out, line, width, a->ascii);
	}
	fprintf(out, "----\n");
}

/* ---- the detail view's policy thresholds and explanations ---- */

bool text_threshold_on_chart(const struct proto_threshold *t)
{
	return (strcmp(t->signal, "sentiment_end") == 0 || strcmp(t->signal, "sentiment_ewma") == 0) &&
		t->value >= -1 && t->value <= 1;
}

bool text_threshold(const struct proto_threshold *t, char *out, size_t outsz)
{
	static const struct { const char *signal, *words, *cmp, *window; } known[] = {
		{ "sentiment_drop", "drop", ">=", " within " },
		{ "frustration", "frustration", ">=", " for " },
		{ "escalation", "phrase", ">=", NULL },
		{ "sentiment_ewma", "smoothed", "<=", " over " },
		{ "sentiment_slope", "slope", "<=", NULL },
		{ "sentiment_end", "end", "<=", NULL },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		if (strcmp(t->signal, known[i].signal) != 0)
			continue;
		char win[24] = "";
		if (known[i].window && t->window_ms > 0)
			text_age(t->window_ms, win, sizeof win);
		snprintf(out, outsz, "%s: %s %s %.2f%s%s%s", t->rule, known[i].words, known[i].cmp,
			t->value, strcmp(t->signal, "sentiment_slope") == 0 ? "/min" : "",
			win[0] ? known[i].window : "", win);
		return true;
	}
	return false;
}

void text_detail_legend(const struct app *a, bool on_chart_too, char *out, size_t outsz)
{
	const struct app_detail *d = &a->detail;
	if (d->unsupported) {
		snprintf(out, outsz, "Policy thresholds: this analyzer does not send them (no detail_request)");
		return;
	}
	if (!d->have) {
		snprintf(out, outsz, "Policy thresholds: %s", d->err[0] ? d->err : "asking the analyzer...");
		return;
	}
	size_t n = (size_t)snprintf(out, outsz, "Policy %s:", d->d.policy);
	char one[256];
	bool any = false;
	for (size_t i = 0; i < d->d.n_thresholds && n < outsz; i++) {
		if ((!on_chart_too && text_threshold_on_chart(&d->d.thresholds[i])) ||
		    !text_threshold(&d->d.thresholds[i], one, sizeof one))
			continue;
		n += (size_t)snprintf(out + n, outsz - n, "%s%s", any ? "; " : " ", one);
		any = true;
	}
	if (!any && n < outsz)
		snprintf(out + n, outsz - n, " none enabled");
}

void text_explained(const struct proto_explained *x, char *out, size_t outsz)
{
	char at[24];
	view_fmt_dur(x->t_ms, at, sizeof at);
	snprintf(out, outsz, "%8s  %+.2f  %s", at, x->compound, x->text[0] ? x->text : "no scoring words");
}
