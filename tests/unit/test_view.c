/* Unit tests for the console view-model: rows, sort, filter, selection,
 * layout by width, cell text and glyph mapping. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/console/view.h"
#include "undertone/textsafe.h"
#include "ut_check.h"

static struct view_call *add(struct view *v, const char *id, const char *agent,
	const char *queue, float sent, float frust, int sev)
{
	struct view_call *c = view_call_get(v, id, true);
	ck_assert_ptr_nonnull(c);
	snprintf(c->agent, sizeof c->agent, "%s", agent);
	snprintf(c->queue, sizeof c->queue, "%s", queue);
	c->sentiment = sent;
	c->frustration = frust;
	c->severity = sev;
	c->state = UT_CS_ACTIVE;
	view_call_touched(v, c);
	return c;
}

static const char *row_id(struct view *v, size_t r)
{
	const struct view_call *c = view_row(v, r);
	return c ? c->id : "(none)";
}

START_TEST(sort_by_risk_and_cycle)
{
	struct view *v = view_new();
	add(v, "c1", "Ann", "billing", 0.5f, 0.1f, 0);
	add(v, "c2", "Bob", "billing", -0.8f, 0.9f, 2);
	add(v, "c3", "Cy", "tech", -0.2f, 0.5f, 3);
	add(v, "c4", "Di", "tech", -0.9f, 0.6f, 0);
	view_refresh(v, 100000, true);
	ck_assert_uint_eq(view_rows(v), 4);
	ck_assert_str_eq(row_id(v, 0), "c3"); /* severity first */
	ck_assert_str_eq(row_id(v, 1), "c2");
	ck_assert_str_eq(row_id(v, 2), "c4"); /* then frustration */
	ck_assert_str_eq(row_id(v, 3), "c1");
	view_set_sort(v, VIEW_SORT_SENT);
	ck_assert_str_eq(row_id(v, 0), "c4");
	ck_assert_str_eq(row_id(v, 3), "c1");
	view_set_sort(v, VIEW_SORT_AGENT);
	ck_assert_str_eq(row_id(v, 0), "c1");
	ck_assert_str_eq(view_sort_name(VIEW_SORT_RISK), "risk");
	view_free(v);
}
END_TEST

START_TEST(pending_suggestion_ranks_above_unflagged)
{
	struct view *v = view_new();
	add(v, "a", "Ann", "q", 0, 0.9f, 0);
	add(v, "b", "Bob", "q", 0, 0.1f, 0);
	struct view_sugg *s = view_sugg_get(v, "s1", true);
	strcpy(s->call_id, "b");
	view_refresh(v, 0, true);
	ck_assert_str_eq(row_id(v, 0), "b");
	ck_assert_int_eq(view_row(v, 0)->pending, 1);
	s->decided = true;
	view_refresh(v, 0, true);
	ck_assert_str_eq(row_id(v, 0), "a");
	view_free(v);
}
END_TEST

START_TEST(filter_and_flagged_only)
{
	struct view *v = view_new();
	add(v, "call-001", "Ann Lee", "billing", 0, 0, 0);
	add(v, "call-002", "Bob", "Tech", 0, 0, 1);
	add(v, "call-003", "Cy", "sales", 0, 0, 0);
	view_set_filter(v, "TECH");
	ck_assert_uint_eq(view_rows(v), 1);
	ck_assert_str_eq(row_id(v, 0), "call-002");
	view_set_filter(v, "ann");
	ck_assert_str_eq(row_id(v, 0), "call-001");
	view_set_filter(v, "003");
	ck_assert_str_eq(row_id(v, 0), "call-003");
	view_set_filter(v, "nomatch");
	ck_assert_uint_eq(view_rows(v), 0);
	ck_assert_int_eq(view_selected_row(v), -1);
	ck_assert_ptr_null(view_selected(v));
	view_set_filter(v, "");
	view_set_flagged_only(v, true);
	ck_assert_uint_eq(view_rows(v), 1);
	ck_assert_str_eq(row_id(v, 0), "call-002");
	view_free(v);
}
END_TEST

START_TEST(selection_follows_call_and_order_freezes)
{
	struct view *v = view_new();
	struct view_call *a = add(v, "a", "A", "q", 0, 0.9f, 0);
	add(v, "b", "B", "q", 0, 0.5f, 0);
	add(v, "c", "C", "q", 0, 0.1f, 0);
	view_refresh(v, 0, true);
	view_move(v, 1);
	ck_assert_str_eq(view_selected(v)->id, "b");
	/* The user pressed a key at t=10000; a change arrives right after. */
	view_key_activity(v, 10000);
	a->frustration = 0.0f;
	view_call_touched(v, a);
	add(v, "d", "D", "q", 0, 1.0f, 0);
	view_refresh(v, 10500, false);
	ck_assert_str_eq(row_id(v, 0), "a");  /* frozen, no jump */
	ck_assert_str_eq(row_id(v, 3), "d");  /* new call appended */
	ck_assert_str_eq(view_selected(v)->id, "b");
	/* After the hold time the re-sort happens; selection keeps its call. */
	view_refresh(v, 10000 + VIEW_HOLD_MS, false);
	ck_assert_str_eq(row_id(v, 0), "d");
	ck_assert_str_eq(row_id(v, 3), "a");
	ck_assert_str_eq(view_selected(v)->id, "b");
	ck_assert_int_eq(view_selected_row(v), 1);
	/* Removing the selected call keeps the row position. */
	view_call_remove(v, "b");
	view_refresh(v, 99999, true);
	ck_assert_int_eq(view_selected_row(v), 1);
	ck_assert_str_eq(view_selected(v)->id, "c");
	view_free(v);
}
END_TEST

START_TEST(move_clamps_and_scrolls)
{
	struct view *v = view_new();
	char id[16];
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof id, "c%02d", i);
		add(v, id, "A", "q", 0, (float)i / 100.0f, 0);
	}
	view_set_sort(v, VIEW_SORT_ID);
	view_move(v, -5);
	ck_assert_int_eq(view_selected_row(v), 0);
	view_move(v, LONG_MAX);
	ck_assert_int_eq(view_selected_row(v), 49);
	ck_assert_uint_eq(view_scroll(v, 10), 40);
	view_move(v, LONG_MIN);
	ck_assert_uint_eq(view_scroll(v, 10), 0);
	view_move(v, 15);
	ck_assert_uint_eq(view_scroll(v, 10), 6);
	view_move(v, 1000);
	ck_assert_int_eq(view_selected_row(v), 49);
	view_free(v);
}
END_TEST

START_TEST(many_calls_and_index_removal)
{
	struct view *v = view_new();
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "call-%d", i);
		ck_assert_ptr_nonnull(view_call_get(v, id, true));
	}
	for (int i = 0; i < 5000; i += 2) {
		snprintf(id, sizeof id, "call-%d", i);
		view_call_remove(v, id);
	}
	ck_assert_uint_eq(view_call_count(v), 2500);
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof id, "call-%d", i);
		struct view_call *c = view_call_get(v, id, false);
		if (i % 2)
			ck_assert_ptr_nonnull(c);
		else
			ck_assert_ptr_null(c);
	}
	view_refresh(v, 0, true);
	ck_assert_uint_eq(view_rows(v), 2500);
	view_clear(v);
	ck_assert_uint_eq(view_call_count(v), 0);
	ck_assert_ptr_null(view_call_get(v, "call-1", false));
	view_free(v);
}
END_TEST

START_TEST(layout_by_width)
{
	struct view_layout l;
	view_layout(&l, 200, NULL, 0);
	ck_assert_int_eq(l.n, VC__COUNT);
	int sum = l.n - 1;
	for (int i = 0; i < l.n; i++)
		sum += l.width[i];
	ck_assert_int_eq(sum, 200);
	ck_assert_int_eq(l.col[l.n - 1], VC_REASON);
	ck_assert_int_eq(l.x[1], l.width[0] + 1);

	view_layout(&l, 80, NULL, 0);
	sum = l.n - 1;
	for (int i = 0; i < l.n; i++)
		sum += l.width[i];
	ck_assert_int_le(sum, 80);
	/* channel is the first to go */
	for (int i = 0; i < l.n; i++)
		ck_assert_int_ne(l.col[i], VC_CHANNEL);

	view_layout(&l, 30, NULL, 0);
	ck_assert_int_ge(l.n, 3);
	ck_assert_int_eq(l.col[0], VC_FLAG);
	ck_assert_int_eq(l.col[1], VC_ID);
	for (int i = 0; i < l.n; i++)
		ck_assert_int_ne(l.col[i], VC_TREND);

	enum view_col mine[] = { VC_ID, VC_SENT, VC_ID, VC_FLAG };
	view_layout(&l, 100, mine, 4);
	ck_assert_int_eq(l.n, 3);
	ck_assert_int_eq(l.col[0], VC_ID);
	ck_assert_int_eq(l.col[2], VC_FLAG);
	ck_assert_int_eq(view_col_parse("trend"), VC_TREND);
	ck_assert_int_eq(view_col_parse("bogus"), -1);
}
END_TEST

static size_t width_of(const char *s) { return textsafe_width(s, strlen(s), 0); }

START_TEST(layout_every_width)
{
	struct view_layout l;
	for (int w = 1; w <= 400; w++) {
		view_layout(&l, w, NULL, 0);
		ck_assert_int_ge(l.n, 1);
		int end = 0;
		for (int i = 0; i < l.n; i++) {
			ck_assert_int_ge(l.width[i], 1);
			ck_assert_int_ge(l.x[i], end);       /* no overlap */
			end = l.x[i] + l.width[i];
		}
		if (w >= 30)
			ck_assert_int_le(end, w);            /* fits from the minimum on */
	}
}
END_TEST

START_TEST(hostile_cell_text_keeps_width)
{
	struct view_call c;
	memset(&c, 0, sizeof c);
	struct view_style st = { VIEW_GLYPH_BRAILLE, false, 0 };
	char out[1024];
	unsigned seed = 7;
	for (int round = 0; round < 500; round++) {
		for (size_t i = 0; i < sizeof c.agent - 1; i++) {
			seed = seed * 1103515245u + 12345u;
			c.agent[i] = (char)((seed >> 16) & 0xff);
			if (!c.agent[i])
				c.agent[i] = 'x';
		}
		c.agent[sizeof c.agent - 1] = '\0';
		snprintf(c.top_reason, sizeof c.top_reason, "%s",
			"\x1b[31mred\x1b]0;title\x07 \xe4\xb8\xad\xe6\x96\x87 e\xcc\x81");
		int w = 1 + round % 40;
		st.ascii = round % 2;
		view_cell(&c, VC_AGENT, w, &st, out, sizeof out);
		ck_assert_uint_eq(width_of(out), (size_t)w);
		ck_assert_ptr_null(strchr(out, '\x1b'));
		view_cell(&c, VC_REASON, w, &st, out, sizeof out);
		ck_assert_uint_eq(width_of(out), (size_t)w);
		ck_assert_ptr_null(strchr(out, '\x1b'));
		ck_assert_ptr_null(strchr(out, '\x07'));
	}
}
END_TEST

START_TEST(cell_text)
{
	struct view *v = view_new();
	struct view_call *c = add(v, "call-7", "Zoë 李小龍", "billing", -0.42f, 0.73f, 3);
	c->channel = UT_CH_VOICE;
	c->duration_ms = 65000;
	c->updated_local_ms = 1000;
	strcpy(c->top_reason, "repeated 'charged twice' x3");
	struct view_style st = { VIEW_GLYPH_BLOCKS, false, 6000 };
	char out[512];
	ck_assert_str_eq(view_cell(c, VC_FLAG, 4, &st, out, sizeof out), " !!!");
	c->human_flag = true;
	ck_assert_str_eq(view_cell(c, VC_FLAG, 4, &st, out, sizeof out), "H!!!");
	ck_assert_str_eq(view_cell(c, VC_SENT, 6, &st, out, sizeof out), " -0.42");
	ck_assert_str_eq(view_cell(c, VC_DUR, 6, &st, out, sizeof out), "  1:10");
	ck_assert_str_eq(view_cell(c, VC_CHANNEL, 6, &st, out, sizeof out), "voice ");
	view_cell(c, VC_AGENT, 8, &st, out, sizeof out);
	ck_assert_uint_eq(width_of(out), 8);
	ck_assert_ptr_nonnull(strstr(out, "Zo"));
	view_cell(c, VC_REASON, 12, &st, out, sizeof out);
	ck_assert_uint_eq(width_of(out), 12);
	ck_assert(strncmp(out, "repeated 'c", 11) == 0);
	view_cell(c, VC_FRUST, 10, &st, out, sizeof out);
	ck_assert_uint_eq(width_of(out), 10);
	ck_assert_ptr_nonnull(strstr(out, " 73"));
	/* ASCII: every cell is pure ASCII */
	st.ascii = true;
	for (int i = 0; i < 20; i++)
		view_call_push_trend(c, (float)(i - 10) / 10.0f, i * 1000);
	for (int col = 0; col < VC__COUNT; col++) {
		view_cell(c, (enum view_col)col, 9, &st, out, sizeof out);
		ck_assert_uint_eq(strlen(out), 9);
		for (const char *p = out; *p; p++)
			ck_assert_int_lt((unsigned char)*p, 0x80);
	}
	view_cell(c, VC_AGENT, 9, &st, out, sizeof out);
	ck_assert_str_eq(out, "Zoe ???  ");
	view_cell(c, VC_AGENT, 6, &st, out, sizeof out);
	ck_assert_str_eq(out, "Zoe ?~");
	view_free(v);
}
END_TEST

START_TEST(sparkline_glyphs)
{
	char out[256];
	signed char sign[16];
	float vals[] = { -1.0f, -0.3f, 0.0f, 0.3f, 1.0f };
	view_sparkline(vals, 5, 5, VIEW_GLYPH_ASCII, out, sizeof out, sign);
	ck_assert_str_eq(out, "_.-~^");
	ck_assert_int_eq(sign[0], -1);
	ck_assert_int_eq(sign[2], 0);
	ck_assert_int_eq(sign[4], 1);
	view_sparkline(vals, 5, 5, VIEW_GLYPH_BLOCKS, out, sizeof out, sign);
	ck_assert_str_eq(out, "▁▃▄▆█");
	/* Braille: two points per cell, positive above the baseline. */
	float b[] = { 1.0f, 0.2f, -0.2f, -1.0f };
	view_sparkline(b, 4, 2, VIEW_GLYPH_BRAILLE, out, sizeof out, sign);
	/* cell 1: left rows 1+2 (0x03), right row 2 (0x10) = U+2813;
	 * cell 2: left row 3 (0x04), right rows 3+4 (0xA0) = U+28A4 */
	ck_assert_str_eq(out, "\xe2\xa0\x93\xe2\xa2\xa4");
	ck_assert_int_eq(sign[0], 1);
	ck_assert_int_eq(sign[1], -1);
	/* Fewer points than cells: right-aligned, blanks on the left. */
	view_sparkline(vals + 4, 1, 3, VIEW_GLYPH_ASCII, out, sizeof out, NULL);
	ck_assert_str_eq(out, "  ^");
	view_sparkline(vals, 0, 3, VIEW_GLYPH_BRAILLE, out, sizeof out, NULL);
	ck_assert_str_eq(out, "   ");
	/* Out-of-range and NaN input is clamped, never indexes out of bounds. */
	float bad[] = { 5.0f, -7.0f, 0.0f / 0.0f };
	view_sparkline(bad, 3, 3, VIEW_GLYPH_ASCII, out, sizeof out, NULL);
	ck_assert_str_eq(out, "^_-");
}
END_TEST

START_TEST(bars_and_markers)
{
	char out[128];
	view_bar(0.5f, 4, true, out, sizeof out);
	ck_assert_str_eq(out, "##..");
	view_bar(1.5f, 3, true, out, sizeof out);
	ck_assert_str_eq(out, "###");
	view_bar(0.5f, 3, false, out, sizeof out);
	ck_assert_str_eq(out, "█▌ ");
	view_bar(0.0f, 2, false, out, sizeof out);
	ck_assert_str_eq(out, "  ");
	ck_assert_str_eq(view_sev_marker(3), "!!!");
	ck_assert_str_eq(view_sev_marker(0), "   ");
	ck_assert_int_eq(view_frust_level(0.1f), 0);
	ck_assert_int_eq(view_frust_level(0.5f), 1);
	ck_assert_int_eq(view_frust_level(0.9f), 2);
	ck_assert_int_eq(view_sent_class(-0.5f), -1);
	ck_assert_int_eq(view_sent_class(0.0f), 0);
	ck_assert_str_eq(view_fmt_dur(3723000, out, sizeof out), "1:02:03");
	ck_assert_str_eq(view_fmt_dur(-5, out, sizeof out), "0:00");
}
END_TEST

START_TEST(suggestions_oldest_first_and_floor)
{
	struct view *v = view_new();
	add(v, "a", "A", "q", -0.5f, 0.8f, 2);
	add(v, "b", "B", "q", 0.5f, 0.2f, 0);
	struct view_sugg *s1 = view_sugg_get(v, "s1", true), *s2 = view_sugg_get(v, "s2", true);
	strcpy(s1->call_id, "a");
	s1->raised_ms = 2000;
	strcpy(s2->call_id, "a");
	s2->raised_ms = 1000;
	const struct view_sugg *list[4];
	ck_assert_uint_eq(view_sugg_pending(v, list, 4), 2);
	ck_assert_str_eq(list[0]->id, "s2");
	ck_assert_uint_eq(view_sugg_pending(v, list, 1), 2);
	ck_assert_str_eq(list[0]->id, "s2");
	struct view_floor f;
	view_floor(v, &f);
	ck_assert_uint_eq(f.active, 2);
	ck_assert_uint_eq(f.flagged, 1);
	ck_assert_uint_eq(f.awaiting, 2);
	ck_assert_uint_eq(f.negative_pct, 50);
	ck_assert_float_eq_tol(f.avg_frustration, 0.5f, 1e-5f);
	view_sugg_remove(v, "s2");
	ck_assert_uint_eq(view_sugg_pending(v, list, 4), 1);
	view_free(v);
}
END_TEST

START_TEST(decision_ring)
{
	struct view *v = view_new();
	struct view_decision d;
	memset(&d, 0, sizeof d);
	for (int i = 0; i < VIEW_DEC_MAX + 10; i++) {
		snprintf(d.uuid, sizeof d.uuid, "u%d", i);
		d.state = VIEW_DEC_RECORDED;
		view_dec_add(v, &d);
	}
	ck_assert_uint_eq(view_dec_count(v), VIEW_DEC_MAX);
	char want[16];
	snprintf(want, sizeof want, "u%d", VIEW_DEC_MAX + 9);
	ck_assert_str_eq(view_dec_at(v, 0)->uuid, want);
	/* Our decision echoed by the analyzer becomes shared, not remote. */
	d.state = VIEW_DEC_REMOTE;
	view_dec_add(v, &d);
	ck_assert_int_eq(view_dec_find(v, want)->state, VIEW_DEC_SHARED);
	ck_assert_uint_eq(view_dec_count(v), VIEW_DEC_MAX);
	view_free(v);
}
END_TEST

START_TEST(trend_ring)
{
	struct view_call c;
	memset(&c, 0, sizeof c);
	for (int i = 0; i < VIEW_TREND_MAX + 5; i++)
		view_call_push_trend(&c, (float)i, i);
	float out[VIEW_TREND_MAX];
	int64_t t[VIEW_TREND_MAX];
	ck_assert_int_eq(view_call_trend(&c, out, t, VIEW_TREND_MAX), VIEW_TREND_MAX);
	ck_assert_float_eq(out[0], 5.0f);
	ck_assert_int_eq(t[VIEW_TREND_MAX - 1], VIEW_TREND_MAX + 4);
	ck_assert_int_eq(view_call_trend(&c, out, NULL, 3), 3);
	ck_assert_float_eq(out[2], (float)(VIEW_TREND_MAX + 4));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, sort_by_risk_and_cycle);
	tcase_add_test(tc, pending_suggestion_ranks_above_unflagged);
	tcase_add_test(tc, filter_and_flagged_only);
	tcase_add_test(tc, selection_follows_call_and_order_freezes);
	tcase_add_test(tc, move_clamps_and_scrolls);
	tcase_add_test(tc, many_calls_and_index_removal);
	tcase_add_test(tc, layout_by_width);
	tcase_add_test(tc, cell_text);
	tcase_add_test(tc, layout_every_width);
	tcase_add_test(tc, hostile_cell_text_keeps_width);
	tcase_add_test(tc, sparkline_glyphs);
	tcase_add_test(tc, bars_and_markers);
	tcase_add_test(tc, suggestions_oldest_first_and_floor);
	tcase_add_test(tc, decision_ring);
	tcase_add_test(tc, trend_ring);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_check_run(suite());
}
