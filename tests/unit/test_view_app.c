/* Unit tests for the console's app logic without a terminal or sockets:
 * feed messages into the view (sanitized), keys, the decision flow writing
 * to a real decision log in a temporary directory, and its states. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/console/app.h"
#include "ut_check.h"

#define NK(k) (CONFIG_KEY_NAMED + CONFIG_NK_##k)

static struct config_console cfg;
static struct app a;
static struct view *v;
static struct proto_msg *m;
static char dir[64], dbpath[128];

static void setup(void)
{
	config_console_init(&cfg, NULL, NULL);
	v = view_new();
	app_init(&a, &cfg, v);
	a.now_ms = 100000;
	a.wall_ms = 1700000000000;
	strcpy(a.user, "lead");
	m = malloc(sizeof *m);
	strcpy(dir, "/tmp/ut-app-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dbpath, sizeof dbpath, "%s/sub/decisions.db", dir);
}

static void teardown(void)
{
	recorder_close(a.rec);
	app_free(&a);
	view_free(v);
	free(m);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void open_log(void)
{
	char err[256];
	a.rec = recorder_open(dbpath, err, sizeof err);
	ck_assert_msg(a.rec != NULL, "%s", err);
}

static void feed_update(const char *call, const char *agent, double sent, double frust, int flag)
{
	proto_msg_init(m, PROTO_MSG_CALL_UPDATE);
	snprintf(m->u.upd.call, sizeof m->u.upd.call, "%s", call);
	snprintf(m->u.upd.agent, sizeof m->u.upd.agent, "a-%s", call);
	snprintf(m->u.upd.agent_name, sizeof m->u.upd.agent_name, "%s", agent);
	strcpy(m->u.upd.queue, "billing");
	m->u.upd.state = UT_CS_ACTIVE;
	m->u.upd.sentiment.latest = sent;
	m->u.upd.frustration = frust;
	m->u.upd.flag = flag;
	m->u.upd.n_trend = 2;
	m->u.upd.trend[0].t_ms = 1000;
	m->u.upd.trend[0].sentiment = -0.2;
	m->u.upd.trend[1].t_ms = 2000;
	m->u.upd.trend[1].sentiment = sent;
	m->u.upd.n_components = 1;
	m->u.upd.components[0].name = UT_FC_REPETITION;
	m->u.upd.components[0].value = 0.6;
	strcpy(m->u.upd.components[0].evidence, "repeated 'charged twice' x3");
	strcpy(m->u.upd.reason, "repeated 'charged twice' x3");
	app_feed_event(&a, FEED_EV_MSG, m);
}

static void feed_sugg(const char *id, const char *call, int sev, int64_t raised)
{
	proto_msg_init(m, PROTO_MSG_SUGGESTION_RAISED);
	snprintf(m->u.sug.id, sizeof m->u.sug.id, "%s", id);
	snprintf(m->u.sug.call, sizeof m->u.sug.call, "%s", call);
	strcpy(m->u.sug.queue, "billing");
	strcpy(m->u.sug.rule, "escalation_request");
	m->u.sug.kind = UT_SK_ESCALATE;
	m->u.sug.severity = sev;
	m->u.sug.n_reasons = 1;
	strcpy(m->u.sug.reasons[0].signal, "escalation");
	strcpy(m->u.sug.reasons[0].phrase, "'get me your manager'");
	m->u.sug.raised_ms = raised;
	strcpy(m->u.sug.policy, "policy-1");
	app_feed_event(&a, FEED_EV_MSG, m);
}

static void type(const char *s)
{
	for (; *s; s++)
		app_key(&a, (unsigned char)*s);
}

static size_t log_count(void)
{
	struct dstore_record *r = NULL;
	size_t n = 0;
	ck_assert_int_eq(recorder_recent(a.rec, 0, NULL, 100, &r, &n), DSTORE_OK);
	free(r);
	return n;
}

START_TEST(feed_text_is_sanitized)
{
	feed_update("c1", "Evil\x1b[2J\x1b]0;pwned\x07Name\r\n", -0.5, 0.4, 0);
	struct view_call *c = view_call_get(v, "c1", false);
	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_null(strchr(c->agent, '\x1b'));
	ck_assert_ptr_null(strchr(c->agent, '\r'));
	ck_assert(strncmp(c->agent, "EvilName", 8) == 0);
	ck_assert_int_eq(c->trend_len, 2);
	/* The same trend points again are not duplicated. */
	feed_update("c1", "Ann", -0.5, 0.4, 0);
	ck_assert_int_eq(c->trend_len, 2);
	ck_assert_str_eq(c->comp[UT_FC_REPETITION].evidence, "repeated 'charged twice' x3");
}
END_TEST

START_TEST(snapshot_mark_and_sweep)
{
	feed_update("keep", "Ann", 0, 0, 0);
	feed_update("gone", "Bob", 0, 0, 0);
	feed_sugg("s-gone", "gone", 2, 1);
	app_feed_event(&a, FEED_EV_SNAPSHOT_BEGIN, m);
	feed_update("keep", "Ann", 0, 0, 0);
	app_feed_event(&a, FEED_EV_SNAPSHOT_END, m);
	ck_assert_ptr_nonnull(view_call_get(v, "keep", false));
	ck_assert_ptr_null(view_call_get(v, "gone", false));
	ck_assert_ptr_null(view_sugg_get(v, "s-gone", false));
}
END_TEST

START_TEST(acknowledge_records_before_anything_else)
{
	open_log();
	feed_update("c1", "Ann", -0.7, 0.8, 0);
	feed_sugg("s1", "c1", 3, a.wall_ms - 5000);
	view_refresh(v, a.now_ms, true);
	app_key(&a, NK(TAB));
	ck_assert_int_eq(a.focus, APP_FOCUS_SUGG);
	app_key(&a, 'a');
	ck_assert_int_eq(a.flow.step, DECIDE_REASON);
	const char *labels[DECIDE_CHOICES_MAX];
	ck_assert_int_eq(decide_choices(&a, labels, DECIDE_CHOICES_MAX), (int)cfg.nreasons);
	app_key(&a, '2');
	ck_assert_int_eq(a.flow.step, DECIDE_TEXT);
	type("on it");
	app_key(&a, NK(BACKSPACE));
	app_key(&a, NK(ENTER));
	ck_assert(!decide_active(&a));
	ck_assert_uint_eq(log_count(), 1);
	const struct view_decision *d = view_dec_at(v, 0);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->state, VIEW_DEC_RECORDED);   /* recorded, not shared */
	ck_assert_str_eq(d->text, "on i");
	ck_assert_str_eq(d->reason, cfg.reasons[1].code);
	ck_assert_str_eq(view_sugg_get(v, "s1", false)->claimed_by, a.user[0] ? d->supervisor : "");
	/* The log holds the whole context. */
	struct dstore_record *r = NULL;
	size_t n = 0;
	ck_assert_int_eq(recorder_unforwarded(a.rec, 10, &r, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].call_id, "c1");
	ck_assert_str_eq(r[0].sug.id, "s1");
	ck_assert_int_eq(r[0].sug.kind, UT_SK_ESCALATE);
	ck_assert_str_eq(r[0].policy_version, "policy-1");
	ck_assert_int_eq(r[0].decision, UT_DE_ACKNOWLEDGE);
	ck_assert(r[0].signals.has_frustration);
	ck_assert_uint_eq(r[0].signals.trend_n, 2);
	char uuid[DSTORE_UUID_LEN + 1];
	strcpy(uuid, r[0].uuid);
	free(r);
	/* The analyzer echoes it: shared, and forwarded in the log. */
	proto_msg_init(m, PROTO_MSG_DECISION_RECORDED);
	strcpy(m->u.dec.uuid, uuid);
	strcpy(m->u.dec.call, "c1");
	strcpy(m->u.dec.suggestion, "s1");
	strcpy(m->u.dec.supervisor, "lead");
	m->u.dec.kind = UT_DE_ACKNOWLEDGE;
	app_feed_event(&a, FEED_EV_MSG, m);
	ck_assert_int_eq(view_dec_find(v, uuid)->state, VIEW_DEC_SHARED);
	ck_assert_int_eq(recorder_unforwarded(a.rec, 10, &r, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 0);
	free(r);
}
END_TEST

START_TEST(ack_reply_marks_shared_refusal_does_not)
{
	open_log();
	feed_update("c1", "Ann", -0.7, 0.8, 0);
	feed_sugg("s1", "c1", 2, a.wall_ms - 5000);
	feed_sugg("s2", "c1", 2, a.wall_ms - 4000);
	view_refresh(v, a.now_ms, true);
	app_key(&a, 'd');           /* on the call: its oldest suggestion */
	ck_assert_str_eq(a.flow.sugg_id, "s1");
	app_key(&a, NK(ENTER));     /* first reason */
	app_key(&a, NK(ENTER));     /* no note */
	ck_assert(view_sugg_get(v, "s1", false)->decided);
	const struct view_decision *d = view_dec_at(v, 0);
	proto_msg_init(m, PROTO_MSG_DECISION_ACK);
	m->u.ack.ok = true;
	strcpy(m->u.ack.uuid, d->uuid);
	app_feed_event(&a, FEED_EV_REPLY, m);
	ck_assert_int_eq(view_dec_at(v, 0)->state, VIEW_DEC_SHARED);

	app_key(&a, 'z');
	ck_assert_str_eq(a.flow.sugg_id, "s2");
	app_key(&a, '1');
	ck_assert_int_eq(a.flow.step, DECIDE_DURATION);
	app_key(&a, '2');
	app_key(&a, NK(ENTER));
	d = view_dec_at(v, 0);
	ck_assert_int_eq(d->decision, UT_DE_SNOOZE);
	proto_msg_init(m, PROTO_MSG_DECISION_ACK);
	m->u.ack.ok = false;
	strcpy(m->u.ack.code, "invalid");
	strcpy(m->u.ack.uuid, d->uuid);
	app_feed_event(&a, FEED_EV_REPLY, m);
	ck_assert_int_eq(view_dec_at(v, 0)->state, VIEW_DEC_RECORDED);
	ck_assert(a.msg_error);
	/* Snoozed: back in the pane when the time is up. */
	const struct view_sugg *list[4];
	ck_assert_uint_eq(view_sugg_pending(v, list, 4), 0);
	a.wall_ms += (int64_t)cfg.snooze[1] * 1000 + 1;
	app_housekeep(&a);
	ck_assert_uint_eq(view_sugg_pending(v, list, 4), 1);
}
END_TEST

START_TEST(unrecorded_kept_in_memory_and_retried)
{
	strcpy(a.rec_open_err, "disk full");
	feed_update("c1", "Ann", -0.7, 0.8, 0);
	view_refresh(v, a.now_ms, true);
	app_key(&a, 'r');
	ck_assert_int_eq(a.flow.step, DECIDE_SEVERITY);
	app_key(&a, '3');
	app_key(&a, '1');
	type("customer shouting");
	app_key(&a, NK(ENTER));
	ck_assert_uint_eq(a.nunrec, 1);
	ck_assert_int_eq(view_dec_at(v, 0)->state, VIEW_DEC_UNRECORDED);
	ck_assert_ptr_nonnull(strstr(a.persist_err, "NOT YET RECORDED"));
	struct view_call *c = view_call_get(v, "c1", false);
	ck_assert(c->human_flag);
	ck_assert_int_eq(view_call_severity(c), 3);
	/* The log becomes available: the kept decision is written. */
	open_log();
	a.now_ms += APP_RECORD_RETRY_MS;
	decide_housekeep(&a);
	ck_assert_uint_eq(a.nunrec, 0);
	ck_assert_str_eq(a.persist_err, "");
	ck_assert_int_eq(view_dec_at(v, 0)->state, VIEW_DEC_RECORDED);
	ck_assert_uint_eq(log_count(), 1);
}
END_TEST

START_TEST(clear_downgrade_and_tag)
{
	open_log();
	feed_update("c1", "Ann", -0.7, 0.8, 3);
	view_refresh(v, a.now_ms, true);
	app_key(&a, 'c');
	const char *labels[DECIDE_CHOICES_MAX];
	ck_assert_int_eq(decide_choices(&a, labels, DECIDE_CHOICES_MAX), 3);
	ck_assert_str_eq(labels[0], "clear the flag");
	app_key(&a, '2');           /* downgrade to 1 */
	app_key(&a, '1');           /* reason */
	app_key(&a, '1');           /* suppress for the first duration */
	app_key(&a, NK(ENTER));
	struct view_call *c = view_call_get(v, "c1", false);
	ck_assert(c->suppressed);
	ck_assert_int_eq(view_call_severity(c), 1);
	/* The system keeps reporting flag 3; the lead's downgrade holds. */
	feed_update("c1", "Ann", -0.7, 0.8, 3);
	ck_assert_int_eq(view_call_severity(c), 1);
	/* ...until the suppression ends. */
	a.wall_ms += (int64_t)cfg.snooze[0] * 1000 + 1;
	app_housekeep(&a);
	ck_assert_int_eq(view_call_severity(c), 3);

	app_key(&a, 'T');
	ck_assert_int_eq(a.flow.step, DECIDE_LABEL);
	app_key(&a, '1');
	app_key(&a, NK(ENTER));
	ck_assert_str_eq(c->tag, cfg.tags[0].code);
	ck_assert_uint_eq(log_count(), 2);
	/* The review screen lists both, and filters incrementally. */
	app_key(&a, 'R');
	ck_assert_int_eq(a.mode, APP_REVIEW);
	ck_assert_uint_eq(a.nreview, 2);
	ck_assert_int_eq(a.review[0].decision, UT_DE_TAG);  /* newest first */
	app_key(&a, '/');
	type("nomatch");
	ck_assert_uint_eq(a.nreview, 0);
	app_key(&a, NK(ESC));
	ck_assert_uint_eq(a.nreview, 2);
	app_key(&a, '/');
	type("c1");
	app_key(&a, NK(ENTER));
	ck_assert_uint_eq(a.nreview, 2);
	app_key(&a, NK(ESC));
	ck_assert_int_eq(a.mode, APP_TABLE);
}
END_TEST

START_TEST(call_leaving_mid_flow_still_recorded)
{
	open_log();
	feed_update("c1", "Ann", -0.7, 0.8, 0);
	view_refresh(v, a.now_ms, true);
	app_key(&a, 'r');
	app_key(&a, '2');
	view_call_remove(v, "c1");  /* the call ends and leaves the floor */
	app_key(&a, '1');
	app_key(&a, NK(ENTER));
	struct dstore_record *r = NULL;
	size_t n = 0;
	ck_assert_int_eq(recorder_recent(a.rec, 0, NULL, 10, &r, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(r[0].call_id, "c1");
	ck_assert_str_eq(r[0].queue, "billing");
	ck_assert_str_eq(r[0].agent, "Ann");
	ck_assert_int_eq(r[0].severity, 2);
	ck_assert(r[0].signals.has_sentiment);
	free(r);
}
END_TEST

START_TEST(quit_confirms_half_entered_decision)
{
	feed_update("c1", "Ann", 0, 0, 0);
	view_refresh(v, a.now_ms, true);
	app_key(&a, 'r');
	ck_assert(decide_active(&a));
	app_key(&a, 'q');
	ck_assert(a.quit_asked);
	ck_assert(!a.quit);
	app_key(&a, 'n');
	ck_assert(!a.quit);
	ck_assert(decide_active(&a));
	app_key(&a, NK(ESC));
	ck_assert(!decide_active(&a));
	app_key(&a, 'q');
	ck_assert(a.quit);
}
END_TEST

START_TEST(keys_filter_sort_focus_and_modes)
{
	feed_update("call-1", "Ann", 0, 0.1, 0);
	feed_update("call-2", "Bilal", 0, 0.9, 0);
	view_refresh(v, a.now_ms, true);
	app_key(&a, '/');
	ck_assert(a.filter_editing);
	type("lal");
	ck_assert_str_eq(view_get_filter(v), "lal");  /* incremental */
	ck_assert_uint_eq(view_rows(v), 1);
	app_key(&a, NK(ENTER));
	ck_assert(!a.filter_editing);
	app_key(&a, '/');
	app_key(&a, NK(ESC));
	ck_assert_str_eq(view_get_filter(v), "");
	app_key(&a, 's');
	ck_assert_int_eq(view_get_sort(v), VIEW_SORT_FRUST);
	app_key(&a, 'f');
	ck_assert(view_get_flagged_only(v));
	app_key(&a, 'f');
	app_key(&a, NK(ENTER));
	ck_assert_int_eq(a.mode, APP_DETAIL);
	app_key(&a, NK(ESC));
	ck_assert_int_eq(a.mode, APP_TABLE);
	app_key(&a, '?');
	ck_assert(a.help);
	app_key(&a, 'x');
	ck_assert(!a.help);
	app_key(&a, 'p');
	ck_assert(a.paused);
	app_key(&a, 'R');
	ck_assert_int_eq(a.mode, APP_REVIEW);
	app_key(&a, 't');
	ck_assert_int_eq(a.theme_step, 1);
	app_key(&a, 12);
	ck_assert(a.redraw_all);
	/* Mouse: a click selects the row, the wheel moves. */
	a.mode = APP_TABLE;
	app_mouse(&a, 1, false, false);
	ck_assert_int_eq(view_selected_row(v), 1);
	app_mouse(&a, -1, true, false);
	ck_assert_int_eq(view_selected_row(v), 0);
}
END_TEST

/* The detail view draws the policy's thresholds and the explanations from
 * the analyzer's call_detail, not from constants: the legend and chart
 * levels follow the reply, sanitized, and go when the view closes. */
static void feed_detail(const char *call, uint64_t req)
{
	proto_msg_init(m, PROTO_MSG_CALL_DETAIL);
	m->h.req = req;
	snprintf(m->u.detail.call, sizeof m->u.detail.call, "%s", call);
	strcpy(m->u.detail.policy, "floor-7");
	struct proto_threshold *t = m->u.detail.thresholds;
	strcpy(t[0].rule, "frustrated");
	strcpy(t[0].signal, "frustration");
	t[0].value = 0.55;
	t[0].window_ms = 12000;
	strcpy(t[1].rule, "ended_negative");
	strcpy(t[1].signal, "sentiment_end");
	t[1].value = -0.35;
	strcpy(t[2].rule, "future_rule");
	strcpy(t[2].signal, "not_yet_invented");
	t[2].value = 3;
	strcpy(t[3].rule, "bad\x1b[2Jrule");
	strcpy(t[3].signal, "escalation");
	t[3].value = 0.5;
	m->u.detail.n_thresholds = 4;
	m->u.detail.explained[0].t_ms = 83000;
	m->u.detail.explained[0].compound = -0.62;
	strcpy(m->u.detail.explained[0].text, "\"UNACCEPTABLE\" -3.2 (caps)\x1b]0;x\x07");
	m->u.detail.n_explained = 1;
	app_feed_event(&a, FEED_EV_REPLY, m);
}

START_TEST(detail_view_shows_thresholds_from_the_reply)
{
	char line[1024];
	feed_update("call-1", "Ann", -0.4, 0.6, 0);
	feed_update("call-2", "Bilal", 0, 0.1, 0);
	view_refresh(v, a.now_ms, true);
	text_detail_legend(&a, true, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "asking"));
	app_key(&a, NK(ENTER));
	ck_assert_int_eq(a.mode, APP_DETAIL);
	const char *shown = view_selected(v)->id;
	ck_assert_str_eq(a.detail.call_id, shown);
	ck_assert_int_ne(a.detail.sent_ms, 0);   /* asked at once (no socket here) */
	/* A reply for another call is not this view's. */
	feed_detail(strcmp(shown, "call-1") == 0 ? "call-2" : "call-1", 1);
	ck_assert(!a.detail.have);
	feed_detail(shown, 1);
	ck_assert(a.detail.have);
	text_detail_legend(&a, true, line, sizeof line);
	ck_assert_msg(strstr(line, "Policy floor-7:") == line, "%s", line);
	ck_assert_msg(strstr(line, "frustrated: frustration >= 0.55 for 12s") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "ended_negative: end <= -0.35") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "future_rule") == NULL, "%s", line);   /* unknown: ignored */
	ck_assert_msg(strchr(line, '\x1b') == NULL, "%s", line);
	text_detail_legend(&a, false, line, sizeof line);   /* as drawn beside the chart */
	ck_assert_msg(strstr(line, "frustrated: frustration >= 0.55 for 12s") != NULL, "%s", line);
	ck_assert_msg(strstr(line, "ended_negative") == NULL, "%s", line);
	/* Only sentiment levels go on the chart. */
	ck_assert(text_threshold_on_chart(&a.detail.d.thresholds[1]));
	ck_assert(!text_threshold_on_chart(&a.detail.d.thresholds[0]));
	text_explained(&a.detail.d.explained[0], line, sizeof line);
	ck_assert_msg(strstr(line, "-0.62  \"UNACCEPTABLE\" -3.2 (caps)") != NULL, "%s", line);
	ck_assert_msg(strchr(line, '\x1b') == NULL && strchr(line, '\x07') == NULL, "%s", line);
	/* Refreshed while open, not before. */
	int64_t sent = a.detail.sent_ms;
	a.now_ms += APP_DETAIL_REFRESH_MS - 1;
	app_housekeep(&a);
	ck_assert_int_eq(a.detail.sent_ms, sent);
	a.now_ms += 1;
	app_housekeep(&a);
	ck_assert_int_eq(a.detail.sent_ms, a.now_ms);
	/* An error to our request is shown instead; another's is not ours. */
	a.detail.req = 5;
	proto_msg_init(m, PROTO_MSG_ERROR);
	m->h.req = 4;
	strcpy(m->u.ack.code, "busy");
	ck_assert(!app_detail_reply(&a, m));
	m->h.req = 5;
	strcpy(m->u.ack.code, "unknown_call");
	ck_assert(app_detail_reply(&a, m));
	text_detail_legend(&a, true, line, sizeof line);
	ck_assert_msg(strstr(line, "no longer tracks") != NULL, "%s", line);
	/* An analyzer without detail_request: said once, not asked again. */
	m->h.req = 0;
	strcpy(m->u.ack.code, "unknown_type");
	ck_assert(app_detail_reply(&a, m));
	ck_assert(a.detail.unsupported);
	text_detail_legend(&a, true, line, sizeof line);
	ck_assert_msg(strstr(line, "does not send") != NULL, "%s", line);
	/* Not asked again while this view stays open; asked when it reopens. */
	sent = a.detail.sent_ms;
	a.now_ms += APP_DETAIL_REFRESH_MS;
	app_housekeep(&a);
	ck_assert_int_eq(a.detail.sent_ms, sent);
	app_key(&a, NK(ESC));
	ck_assert(!a.detail.unsupported);
	app_key(&a, NK(ENTER));
	ck_assert_int_eq(a.detail.sent_ms, a.now_ms);
	/* Closing the view drops the reply. */
	feed_detail(shown, 1);
	ck_assert(a.detail.have);
	app_key(&a, NK(ESC));
	ck_assert(!a.detail.have);
	ck_assert_str_eq(a.detail.call_id, "");
	ck_assert_uint_eq(a.detail.d.n_explained, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("view_app");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, feed_text_is_sanitized);
	tcase_add_test(tc, snapshot_mark_and_sweep);
	tcase_add_test(tc, acknowledge_records_before_anything_else);
	tcase_add_test(tc, ack_reply_marks_shared_refusal_does_not);
	tcase_add_test(tc, unrecorded_kept_in_memory_and_retried);
	tcase_add_test(tc, clear_downgrade_and_tag);
	tcase_add_test(tc, call_leaving_mid_flow_still_recorded);
	tcase_add_test(tc, quit_confirms_half_entered_decision);
	tcase_add_test(tc, keys_filter_sort_focus_and_modes);
	tcase_add_test(tc, detail_view_shows_thresholds_from_the_reply);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_check_run(suite());
}
