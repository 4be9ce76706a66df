/* draw_views: detail view, review screen, status line, prompt and help. */
#include "draw_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *act_key_name(const struct app *a, int act, char *buf, size_t sz)
{
	int32_t k = a->cfg->keys[act][0];
	if (!k)
		return "-";
	return config_key_format(k, buf, sz);
}

static int chart_row(float v, int ch)
{
	if (!(v == v))
		v = 0;
	if (v > 1) v = 1;
	if (v < -1) v = -1;
	return (int)lroundf((1.0f - v) / 2.0f * (float)(ch - 1));
}

static void draw_chart(struct app *a, const struct view_call *c, int y0, int ch)
{
	float pts[VIEW_TREND_MAX];
	int64_t ts[VIEW_TREND_MAX];
	int n = view_call_trend(c, pts, ts, VIEW_TREND_MAX);
	int lw = 6, pw = COLS - lw - 27; /* room on the right for threshold names */
	attr_t axis = draw_attr(THEME_SPARK_AXIS), muted = draw_attr(THEME_MUTED);
	const char *hline = a->ascii ? "-" : "\xe2\x94\x80";
	const char *dot = a->ascii ? "." : "\xe2\x94\x84";
	const char *mark = a->ascii ? "*" : "\xe2\x97\x8f";
	/* The policy's levels on the sentiment scale, from the analyzer's
	 * call_detail (none drawn until it answers). */
	float thr[PROTO_THRESHOLDS_MAX];
	char thr_name[PROTO_THRESHOLDS_MAX][40];
	int nthr = 0;
	const struct app_detail *det = &a->detail;
	if (det->have && strcmp(det->call_id, c->id) == 0)
		for (size_t i = 0; i < det->d.n_thresholds && nthr < PROTO_THRESHOLDS_MAX; i++) {
			const struct proto_threshold *t = &det->d.thresholds[i];
			if (!text_threshold_on_chart(t))
				continue;
			thr[nthr] = (float)t->value;
			snprintf(thr_name[nthr++], sizeof thr_name[0], "%s%s%.2f", t->rule,
				a->ascii ? "<=" : "\xe2\x89\xa4", t->value);
		}
	char lab[16];
	for (int r = 0; r < ch; r++) {
		float v = 1.0f - 2.0f * (float)r / (float)(ch - 1);
		if (r == 0 || r == ch - 1 || r == chart_row(0, ch)) {
			snprintf(lab, sizeof lab, "%+.1f", (double)v);
			draw_text(y0 + r, 0, lw - 1, lab, muted, true);
		}
		draw_text(y0 + r, lw - 1, 1, a->ascii ? "|" : "\xe2\x94\x82", axis, a->ascii);
	}
	int base = chart_row(0, ch);
	attrset(axis);
	for (int x = 0; x < pw; x++)
		mvaddstr(y0 + base, lw + x, hline);
	for (int t = 0; t < nthr; t++) {
		int r = chart_row(thr[t], ch);
		if (r == base)
			continue;
		attrset(muted);
		for (int x = 0; x < pw; x += 2)
			mvaddstr(y0 + r, lw + x, dot);
	}
	/* The whole call across the width: a line through the points (linear
	 * between them), each point itself marked. */
	const char *line = a->ascii ? "." : "\xc2\xb7";
	for (int x = 0; x < pw && n > 0; x++) {
		double pos = n > 1 && pw > 1 ? (double)x * (n - 1) / (pw - 1) : 0;
		int i = (int)pos;
		double frac = pos - i;
		float v = i + 1 < n ? (float)(pts[i] * (1 - frac) + pts[i + 1] * frac) : pts[n - 1];
		bool at_point = n > 1 && pw > 1 ?
			(int)lround((double)i * (pw - 1) / (n - 1)) == x || (i + 1 < n &&
			(int)lround((double)(i + 1) * (pw - 1) / (n - 1)) == x) : x == 0;
		if (n > pw)
			at_point = false; /* denser than the screen: the line is the data */
		attrset(draw_attr(v < -0.1f ? THEME_SPARK_NEG : v > 0.1f ? THEME_SPARK_POS : THEME_SPARK_AXIS));
		mvaddstr(y0 + chart_row(v, ch), lw + x, at_point || n > pw ? mark : line);
	}
	for (int t = 0; t < nthr; t++) /* labels last, so the line never hides them */
		if (chart_row(thr[t], ch) != base)
			draw_text(y0 + chart_row(thr[t], ch), COLS - 26, 26, thr_name[t], muted, a->ascii);
	attrset(A_NORMAL);
	/* Time axis: offsets from the call start. */
	draw_fill(y0 + ch, 0, COLS, A_NORMAL);
	if (n > 0) {
		for (int k = 0; k <= 4; k++) {
			int x = k * (pw - 1) / 4;
			int i = n > 1 && pw > 1 ? (int)lround((double)x * (n - 1) / (pw - 1)) : 0;
			if (i >= n)
				i = n - 1;
			char dur[24];
			view_fmt_dur(ts[i], dur, sizeof dur);
			int lx = lw + x - (k == 4 ? (int)strlen(dur) - 1 : k ? (int)strlen(dur) / 2 : 0);
			draw_text(y0 + ch, lx, (int)strlen(dur), dur, muted, true);
		}
	} else {
		draw_text(y0 + ch, lw, pw, "no trend points yet", muted, a->ascii);
	}
}

static int detail_components(struct app *a, const struct view_call *c, int y, int ymax)
{
	char line[1024], bar[128];
	draw_text(y++, 0, COLS, "Frustration components (value, weight, contribution, evidence):",
		draw_attr(THEME_PANE_TITLE), a->ascii);
	if (!c->has_comp && y < ymax) {
		draw_text(y++, 2, COLS - 2, "(none reported yet)", draw_attr(THEME_MUTED), a->ascii);
		return y;
	}
	for (int i = 0; i < UT_FC__COUNT && y < ymax; i++, y++) {
		const struct view_component *k = &c->comp[i];
		view_bar(k->value, 10, a->ascii, bar, sizeof bar);
		snprintf(line, sizeof line, "%-12s %s %.2f x %.2f = %.2f  %s",
			model_component_name((enum ut_component)i), bar, (double)k->value, (double)k->weight,
			(double)k->contribution, k->evidence[0] ? k->evidence : "-");
		draw_text(y, 2, COLS - 2, line, draw_attr(THEME_TABLE), a->ascii);
		draw_text(y, 15, 10, bar, draw_attr((enum theme_role)(THEME_FRUST_LOW + view_frust_level(k->value))), a->ascii);
	}
	return y;
}

/* The policy's thresholds in words, wrapped after a "; " onto up to three
 * lines when the screen is narrow. */
static int detail_legend(struct app *a, int y, int ymax)
{
	char line[2048];
	text_detail_legend(a, false, line, sizeof line);   /* chart levels are labelled there */
	const char *p = line;
	for (int k = 0; k < 3 && *p && y < ymax; k++, y++) {
		size_t len = strlen(p), cut = len, room = (size_t)COLS - (k ? 2 : 0);
		if (k < 2 && len > room) {
			cut = 0;
			for (const char *q = strstr(p, "; "); q && (size_t)(q - p) + 1 <= room; q = strstr(q + 2, "; "))
				cut = (size_t)(q - p) + 1;
			if (!cut)
				cut = len;
		}
		char part[2048];
		snprintf(part, sizeof part, "%s%.*s", k ? "  " : "", (int)cut, p);
		draw_text(y, 0, COLS, part, draw_attr(THEME_MUTED), a->ascii);
		p += cut;
		while (*p == ' ')
			p++;
	}
	return y;
}

/* The scorer's explanations of the customer's recent utterances, newest
 * first (kept by the analyzer only while this view is open). */
static int detail_explained(struct app *a, const struct view_call *c, int y, int ymax)
{
	const struct app_detail *d = &a->detail;
	char line[512];
	if (y < ymax)
		draw_text(y++, 0, COLS, "Recent utterances (customer; sentiment and the words behind it):",
			draw_attr(THEME_PANE_TITLE), a->ascii);
	bool mine = d->have && strcmp(d->call_id, c->id) == 0;
	if (!mine || d->d.n_explained == 0) {
		if (y < ymax)
			draw_text(y++, 2, COLS - 2, d->unsupported ? "(this analyzer does not send explanations)" :
				!mine ? "(asking the analyzer...)" : "(none since this view opened)",
				draw_attr(THEME_MUTED), a->ascii);
		return y;
	}
	/* Newest first; leave room for the suggestion and decision history. */
	int room = ymax - y - 6;
	size_t shown = room < 1 ? 1 : (size_t)room, stop;
	stop = shown < d->d.n_explained ? d->d.n_explained - shown : 0;
	for (size_t i = d->d.n_explained; i-- > stop && y < ymax; y++) {
		const struct proto_explained *x = &d->d.explained[i];
		char score[8];
		text_explained(x, line, sizeof line);
		snprintf(score, sizeof score, "%+.2f", x->compound);
		draw_text(y, 2, COLS - 2, line, draw_attr(THEME_TABLE), a->ascii);
		draw_text(y, 12, 5, score, draw_attr(x->compound <= -0.05 ? THEME_SENT_NEG :
			x->compound >= 0.05 ? THEME_SENT_POS : THEME_SENT_NEUTRAL), a->ascii);
	}
	return y;
}

static int detail_history(struct app *a, const struct view_call *c, int y, int ymax)
{
	const struct view_sugg *list[32];
	char line[1024], age[16], clock[16];
	size_t n = view_sugg_for_call(a->view, c->id, list, 32);
	if (y < ymax)
		draw_text(y++, 0, COLS, "Suggestions on this call:", draw_attr(THEME_PANE_TITLE), a->ascii);
	for (size_t i = 0; i < n && y < ymax; i++, y++) {
		const struct view_sugg *s = list[i];
		int64_t raised = s->seen_ms && s->seen_ms < s->raised_ms ? s->seen_ms : s->raised_ms;
		snprintf(line, sizeof line, "%s ago %s %-9s %s: %s%s%s%s", text_age(a->wall_ms - raised, age, sizeof age),
			view_sev_marker(s->severity), model_suggestion_kind_name((enum ut_suggestion_kind)s->kind),
			s->rule, s->n_reasons ? (s->reasons[0].phrase[0] ? s->reasons[0].phrase : s->reasons[0].signal) : "",
			s->decided ? "  [decided]" : s->cleared ? "  [cleared]" : "  [awaiting]",
			s->claimed_by[0] ? "  claimed by " : "", s->claimed_by);
		draw_text(y, 2, COLS - 2, line, draw_attr(THEME_TABLE), a->ascii);
		if (s->tip[0] && y + 1 < ymax) {
			snprintf(line, sizeof line, "tip: %s", s->tip);
			draw_text(++y, 4, COLS - 4, line, draw_attr(THEME_MUTED), a->ascii);
		}
	}
	if (!n && y < ymax)
		draw_text(y++, 2, COLS - 2, "(none)", draw_attr(THEME_MUTED), a->ascii);
	if (y < ymax)
		draw_text(y++, 0, COLS, "Decisions on this call:", draw_attr(THEME_PANE_TITLE), a->ascii);
	int shown = 0;
	for (size_t i = 0; i < view_dec_count(a->view) && y < ymax; i++) {
		const struct view_decision *d = view_dec_at(a->view, i);
		if (strcmp(d->call_id, c->id) != 0)
			continue;
		text_clock(d->at_ms, clock, sizeof clock);
		snprintf(line, sizeof line, "%s %-11s by %s  reason %s  %s  [%s]", clock,
			model_decision_name((enum ut_decision)d->decision), d->supervisor,
			d->reason[0] ? d->reason : "-", d->text, text_decision_state(d->state));
		draw_text(y++, 2, COLS - 2, line, draw_attr(d->state == VIEW_DEC_UNRECORDED ? THEME_ERROR : THEME_TABLE), a->ascii);
		shown++;
	}
	if (!shown && y < ymax)
		draw_text(y++, 2, COLS - 2, "(none)", draw_attr(THEME_MUTED), a->ascii);
	return y;
}

void draw_detail(struct app *a, int y0, int h)
{
	const struct view_call *c = view_selected(a->view);
	int ymax = y0 + h;
	if (!c) {
		draw_text(y0, 0, COLS, "The call has ended and left the floor. Esc goes back.",
			draw_attr(THEME_MUTED), a->ascii);
		return;
	}
	char line[1024], dur[24];
	struct view_style st = { a->glyphs, a->ascii, a->now_ms };
	view_cell(c, VC_DUR, 9, &st, dur, sizeof dur);
	snprintf(line, sizeof line, " Call %s  agent %s  queue %s  %s  %s  %s  flag %s%s%s%s%s",
		c->id, c->agent, c->queue, c->channel >= 0 ? model_channel_name((enum ut_channel)c->channel) : "?",
		model_call_state_name((enum ut_call_state)c->state), dur,
		view_call_severity(c) ? view_sev_marker(view_call_severity(c)) : "none",
		c->human_flag ? " (raised by a lead)" : "", c->claimed_by[0] ? "  claimed by " : "",
		c->claimed_by, c->tag[0] ? "  tag " : "");
	if (c->tag[0])
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s", c->tag);
	draw_fill(y0, 0, COLS, draw_attr(THEME_PANE_TITLE));
	draw_text(y0, 0, COLS, line, draw_attr(THEME_PANE_TITLE), a->ascii);
	int ch = h / 3;
	if (ch > 11) ch = 11;
	if (ch < 5) ch = 5;
	draw_chart(a, c, y0 + 1, ch);
	int y = y0 + ch + 2;
	y = detail_legend(a, y, ymax);
	snprintf(line, sizeof line, "Sentiment latest %+.2f  smoothed %+.2f  mean %+.2f  slope %+.2f/min"
		"   Frustration %.2f   Top reason: %s", (double)c->sentiment, (double)c->sent_ewma,
		(double)c->sent_mean, (double)c->sent_slope, (double)c->frustration,
		c->top_reason[0] ? c->top_reason : "-");
	if (y < ymax)
		draw_text(y++, 0, COLS, line, draw_attr(THEME_TABLE), a->ascii);
	if (y < ymax)
		draw_text(y++, 0, COLS, "Signals are hints for a human to weigh, not verdicts.",
			draw_attr(THEME_MUTED), a->ascii);
	y = detail_components(a, c, y, ymax);
	y = detail_explained(a, c, y, ymax);
	detail_history(a, c, y, ymax);
}

void draw_review(struct app *a, int y0, int h)
{
	char line[UT_FREETEXT_MAX + 512], clock[16];
	snprintf(line, sizeof line, " Decisions in the last hour: %zu%s%s   (/ filter, R or Esc back)",
		a->nreview, a->review_filter[0] ? "   filter: " : "", a->review_filter);
	draw_fill(y0, 0, COLS, draw_attr(THEME_PANE_TITLE));
	draw_text(y0, 0, COLS, line, draw_attr(THEME_PANE_TITLE), a->ascii);
	draw_text(y0 + 1, 0, COLS, "TIME     SUPERVISOR   DECISION    CALL           QUEUE      REASON         SHARED  NOTE",
		draw_attr(THEME_COLUMN_HEADING), a->ascii);
	if (!a->rec) {
		draw_text(y0 + 2, 1, COLS - 1, a->rec_open_err, draw_attr(THEME_ERROR), a->ascii);
		return;
	}
	if (!a->nreview)
		draw_text(y0 + 2, 1, COLS - 1, "No decisions in the last hour.", draw_attr(THEME_MUTED), a->ascii);
	long rows = h - 2;
	long top = a->review_sel >= rows ? a->review_sel - rows + 1 : 0;
	for (long r = 0; r < rows && (size_t)(top + r) < a->nreview; r++) {
		const struct dstore_record *d = &a->review[top + r];
		text_clock(d->time_ms, clock, sizeof clock);
		snprintf(line, sizeof line, "%-8s %-12.12s %-11s %-14.14s %-10.10s %-14.14s %-7s %s", clock,
			d->display_name[0] ? d->display_name : d->supervisor,
			d->decision >= 0 ? model_decision_name((enum ut_decision)d->decision) : "prune",
			d->call_id, d->queue, d->reason_code[0] ? d->reason_code : d->tag,
			d->forwarded ? "yes" : "not yet", d->free_text);
		bool sel = top + r == a->review_sel;
		draw_text(y0 + 2 + (int)r, 0, COLS, line, draw_attr(sel ? THEME_SELECTED : THEME_TABLE), a->ascii);
	}
}

void draw_status(struct app *a, int y)
{
	char line[1024], k[12][CONFIG_KEY_NAME_MAX + 1];
	attr_t at = draw_attr(THEME_STATUS);
	if (a->quit_asked) {
		snprintf(line, sizeof line, "A decision is half-entered. Quit anyway? (y/n)");
		at = draw_attr(THEME_PROMPT);
	} else if (a->filter_editing) {
		snprintf(line, sizeof line, "Filter (agent, queue, call id): %s_   Enter keeps, Esc clears",
			a->mode == APP_REVIEW ? a->review_filter : view_get_filter(a->view));
		at = draw_attr(THEME_PROMPT);
	} else if (a->persist_err[0]) {
		snprintf(line, sizeof line, "%s", a->persist_err);
		at = draw_attr(THEME_ERROR);
	} else if (a->msg[0] && a->now_ms < a->msg_until) {
		snprintf(line, sizeof line, "%s", a->msg);
		at = draw_attr(a->msg_error ? THEME_ERROR : THEME_OK);
	} else if (a->mode == APP_DETAIL) {
		snprintf(line, sizeof line, "%s back  %s ack  %s accept  %s dismiss  %s snooze  %s tag  %s raise  %s clear  %s help",
			act_key_name(a, CONFIG_ACT_BACK, k[0], sizeof k[0]), act_key_name(a, CONFIG_ACT_ACKNOWLEDGE, k[1], sizeof k[1]),
			act_key_name(a, CONFIG_ACT_ACCEPT, k[2], sizeof k[2]), act_key_name(a, CONFIG_ACT_DISMISS, k[3], sizeof k[3]),
			act_key_name(a, CONFIG_ACT_SNOOZE, k[4], sizeof k[4]), act_key_name(a, CONFIG_ACT_TAG, k[5], sizeof k[5]),
			act_key_name(a, CONFIG_ACT_RAISE, k[6], sizeof k[6]), act_key_name(a, CONFIG_ACT_CLEAR, k[7], sizeof k[7]),
			act_key_name(a, CONFIG_ACT_HELP, k[8], sizeof k[8]));
	} else if (a->mode == APP_REVIEW) {
		snprintf(line, sizeof line, "%s back  %s filter  arrows move  %s help  %s quit",
			act_key_name(a, CONFIG_ACT_BACK, k[0], sizeof k[0]), act_key_name(a, CONFIG_ACT_FILTER, k[1], sizeof k[1]),
			act_key_name(a, CONFIG_ACT_HELP, k[2], sizeof k[2]), act_key_name(a, CONFIG_ACT_QUIT, k[3], sizeof k[3]));
	} else {
		snprintf(line, sizeof line, "%s help  %s detail  %s pane  %s filter  %s sort  %s flagged  %s pause  %s ack  %s accept  %s dismiss  %s review  %s quit",
			act_key_name(a, CONFIG_ACT_HELP, k[0], sizeof k[0]), act_key_name(a, CONFIG_ACT_DETAIL, k[1], sizeof k[1]),
			act_key_name(a, CONFIG_ACT_FOCUS, k[2], sizeof k[2]), act_key_name(a, CONFIG_ACT_FILTER, k[3], sizeof k[3]),
			act_key_name(a, CONFIG_ACT_SORT, k[4], sizeof k[4]), act_key_name(a, CONFIG_ACT_FLAGGED, k[5], sizeof k[5]),
			act_key_name(a, CONFIG_ACT_PAUSE, k[6], sizeof k[6]), act_key_name(a, CONFIG_ACT_ACKNOWLEDGE, k[7], sizeof k[7]),
			act_key_name(a, CONFIG_ACT_ACCEPT, k[8], sizeof k[8]), act_key_name(a, CONFIG_ACT_DISMISS, k[9], sizeof k[9]),
			act_key_name(a, CONFIG_ACT_REVIEW, k[10], sizeof k[10]), act_key_name(a, CONFIG_ACT_QUIT, k[11], sizeof k[11]));
	}
	draw_fill(y, 0, COLS, at);
	draw_text(y, 0, COLS, line, at, a->ascii);
}

static void fill_box(int y, int x, int h, int w, attr_t at)
{
	for (int r = 0; r < h; r++)
		draw_fill(y + r, x, w, at);
}

void draw_prompt(struct app *a)
{
	const char *labels[DECIDE_CHOICES_MAX];
	int n = decide_choices(a, labels, DECIDE_CHOICES_MAX);
	int w = COLS - 4 < 72 ? COLS - 4 : 72;
	int h = (a->flow.step == DECIDE_TEXT ? 3 : n) + 4;
	if (h > LINES - 2)
		h = LINES - 2;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	attr_t at = draw_attr(THEME_PROMPT);
	char title[256], line[UT_FREETEXT_MAX + 64];
	fill_box(y, x, h, w, at);
	decide_title(a, title, sizeof title);
	draw_text(y, x + 1, w - 2, title, at | A_BOLD, a->ascii);
	draw_text(y + 1, x + 1, w - 2, decide_question(a), at, a->ascii);
	if (a->flow.step == DECIDE_TEXT) {
		size_t len = strlen(a->flow.text);
		/* Show the end of long text so the cursor stays visible. */
		size_t start = len > (size_t)(w - 6) ? len - (size_t)(w - 6) : 0;
		while (start < len && ((unsigned char)a->flow.text[start] & 0xC0) == 0x80)
			start++;
		snprintf(line, sizeof line, "> %s_", a->flow.text + start);
		draw_text(y + 3, x + 1, w - 2, line, at | A_UNDERLINE, a->ascii);
	} else {
		for (int i = 0; i < n && y + 2 + i < y + h - 1; i++) {
			snprintf(line, sizeof line, "%c %d  %s", i == a->flow.choice ? '>' : ' ', i + 1, labels[i]);
			draw_text(y + 2 + i, x + 1, w - 2, line, i == a->flow.choice ? draw_attr(THEME_SELECTED) : at, a->ascii);
		}
	}
	draw_text(y + h - 1, x + 1, w - 2, "Enter confirms, Esc cancels; 1-9 picks", at | A_DIM, a->ascii);
}

void draw_help(struct app *a)
{
	static const struct { int act; const char *what; } rows[] = {
		{ CONFIG_ACT_UP, "move up (also arrows, mouse, wheel)" }, { CONFIG_ACT_DOWN, "move down" },
		{ CONFIG_ACT_PAGE_UP, "page up" }, { CONFIG_ACT_PAGE_DOWN, "page down" },
		{ CONFIG_ACT_HOME, "first row" }, { CONFIG_ACT_END, "last row" },
		{ CONFIG_ACT_DETAIL, "detail view of the call" }, { CONFIG_ACT_BACK, "back" },
		{ CONFIG_ACT_FOCUS, "switch between calls and suggestions" },
		{ CONFIG_ACT_FILTER, "filter by agent, queue or call id" }, { CONFIG_ACT_SORT, "cycle the sort" },
		{ CONFIG_ACT_FLAGGED, "flagged calls only" }, { CONFIG_ACT_PAUSE, "pause the display" },
		{ CONFIG_ACT_ACKNOWLEDGE, "acknowledge (claims the suggestion)" },
		{ CONFIG_ACT_ACCEPT, "accept the suggestion" }, { CONFIG_ACT_DISMISS, "dismiss it" },
		{ CONFIG_ACT_SNOOZE, "snooze it" }, { CONFIG_ACT_TAG, "tag the call" },
		{ CONFIG_ACT_RAISE, "raise a flag on the call" }, { CONFIG_ACT_CLEAR, "clear or downgrade a flag" },
		{ CONFIG_ACT_REVIEW, "review decisions of the last hour" }, { CONFIG_ACT_THEME, "next theme" },
		{ CONFIG_ACT_REDRAW, "redraw" }, { CONFIG_ACT_HELP, "this help" }, { CONFIG_ACT_QUIT, "quit" },
	};
	int n = (int)(sizeof rows / sizeof rows[0]);
	int w = COLS - 2 < 76 ? COLS - 2 : 76;
	int h = n + 7 < LINES - 1 ? n + 7 : LINES - 1;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	attr_t at = draw_attr(THEME_HELP), kat = draw_attr(THEME_HELP_KEY);
	char line[256], k1[CONFIG_KEY_NAME_MAX + 1], k2[CONFIG_KEY_NAME_MAX + 1];
	fill_box(y, x, h, w, at);
	draw_text(y, x + 1, w - 2, "undertone keys (any key closes this help)", at | A_BOLD, a->ascii);
	int r = 1;
	for (int i = 0; i < n && r < h - 5; i++, r++) {
		int32_t a0 = a->cfg->keys[rows[i].act][0], a1 = a->cfg->keys[rows[i].act][1];
		snprintf(line, sizeof line, "%s%s%s", a0 ? config_key_format(a0, k1, sizeof k1) : "-",
			a1 ? " " : "", a1 ? config_key_format(a1, k2, sizeof k2) : "");
		draw_text(y + r, x + 2, 14, line, kat, a->ascii);
		draw_text(y + r, x + 16, w - 17, rows[i].what, at, a->ascii);
	}
	draw_text(y + h - 4, x + 2, w - 3, "Flags: !!! act now  !! act soon  ! watch", at, a->ascii);
	draw_text(y + h - 3, x + 2, w - 3, "H raised by a lead  * suggestion waiting  ~ cleared by a lead",
		at, a->ascii);
	draw_text(y + h - 2, x + 2, w - 3, "Signals are hints, not verdicts: read doc/responsible-use.md",
		at | A_BOLD, a->ascii);
}
