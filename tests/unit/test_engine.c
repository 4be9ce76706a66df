/* Unit tests for the analyzer engine: rejects, coalescing, caps, lifecycle,
 * decisions and snapshots, with timelines on explicit clocks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/codec.h"
#include "undertone/jsonio.h"
#include "engine.h"
#include "engine_fixture.h"
#include "ut_check.h"

#define OUT_MAX 16384

struct seen {
	enum proto_msg_type type;
	uint64_t seq;
	char call[UT_ID_MAX + 1];
	enum ut_call_state state;
	uint32_t utterances;
	size_t n_trend;
	double latest;
	enum ut_suggestion_kind kind;
	char claimed_by[UT_ID_MAX + 1];
	int flag;
};

static struct seen out[OUT_MAX];
static size_t nout;
static struct policy pol;
static struct engine *E;
static const int64_t T0 = 1700000000000;   /* event time origin */
static int64_t mono;                       /* the test's monotonic clock */

static int
collect(void *ud, const struct proto_msg *m)
{
	struct seen *s;
	struct codec_buf b = { 0 };

	(void)ud;
	/* Everything emitted must be encodable by the strict codec. */
	ck_assert_int_eq(codec_encode_msg(m, &b), CODEC_OK);
	codec_buf_free(&b);
	ck_assert_uint_lt(nout, OUT_MAX);
	s = &out[nout++];
	memset(s, 0, sizeof(*s));
	s->type = m->type;
	s->seq = m->h.seq;
	if (m->type == PROTO_MSG_CALL_UPDATE) {
		memcpy(s->call, m->u.upd.call, sizeof(s->call));
		s->state = m->u.upd.state;
		s->utterances = m->u.upd.utterances;
		s->n_trend = m->u.upd.n_trend;
		s->latest = m->u.upd.sentiment.latest;
		memcpy(s->claimed_by, m->u.upd.claimed_by, sizeof(s->claimed_by));
		s->flag = m->u.upd.flag;
	} else if (m->type >= PROTO_MSG_SUGGESTION_RAISED && m->type <= PROTO_MSG_SUGGESTION_CLEARED) {
		memcpy(s->call, m->u.sug.call, sizeof(s->call));
		s->kind = m->u.sug.kind;
	}
	return 0;
}

static bool live_clock;   /* make(): the daemon's live clock, not replay's */

static void
make(uint32_t max_calls, uint32_t max_sugs)
{
	struct engine_config c;
	char err[128];

	engine_fixture_config(&c, &pol, max_calls, max_sugs);
	c.event_clock = !live_clock;
	nout = 0;
	mono = 1000;
	E = engine_new(&c, collect, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(E);
}

static void
teardown(void)
{
	engine_free(E);
	E = NULL;
	live_clock = false;
}

static void
ev_start(const char *call, int64_t ts)
{
	struct proto_event ev;

	proto_event_init(&ev, PROTO_EV_CALL_START);
	snprintf(ev.call, sizeof(ev.call), "%s", call);
	ev.ts_ms = ts;
	snprintf(ev.u.start.agent, sizeof(ev.u.start.agent), "agent-1");
	snprintf(ev.u.start.queue, sizeof(ev.u.start.queue), "billing");
	ev.u.start.channel = UT_CH_VOICE;
	engine_event(E, &ev, ts, mono);
}

static void
ev_say(const char *call, int64_t ts, enum ut_speaker who, const char *text)
{
	static struct proto_event ev;

	proto_event_init(&ev, PROTO_EV_UTTERANCE);
	snprintf(ev.call, sizeof(ev.call), "%s", call);
	ev.ts_ms = ts;
	ev.u.utt.speaker = who;
	ev.u.utt.end_ms = ts - T0;
	ev.u.utt.start_ms = ev.u.utt.end_ms > 1000 ? ev.u.utt.end_ms - 1000 : 0;
	ev.u.utt.final = true;
	ev.u.utt.text_len = strlen(text);
	memcpy(ev.u.utt.text, text, ev.u.utt.text_len + 1);
	engine_event(E, &ev, ts, mono);
}

static void
ev_simple(const char *call, enum proto_event_type t, int64_t ts, bool on)
{
	struct proto_event ev;

	proto_event_init(&ev, t);
	snprintf(ev.call, sizeof(ev.call), "%s", call);
	ev.ts_ms = ts;
	if (t == PROTO_EV_HOLD)
		ev.u.hold.on = on;
	else if (t == PROTO_EV_CALL_END)
		ev.u.end.state = UT_CS_ENDED;
	engine_event(E, &ev, ts, mono);
}

static const struct seen *
last_update(const char *call)
{
	size_t i = nout;

	while (i-- > 0)
		if (out[i].type == PROTO_MSG_CALL_UPDATE && strcmp(out[i].call, call) == 0)
			return &out[i];
	return NULL;
}

static size_t
count_type(enum proto_msg_type t)
{
	size_t i, n = 0;

	for (i = 0; i < nout; i++)
		n += out[i].type == t;
	return n;
}

#define REJ(r) (engine_counters(E)->rejected[(r)])

START_TEST(rejects_are_counted_by_reason_and_skipped)
{
	make(100, 100);
	ev_start("a", T0);
	ev_start("b", T0);
	ev_start("a", T0 + 5);                                        /* duplicate */
	ev_say("ghost", T0 + 10, UT_SP_CUSTOMER, "hello");            /* unknown call */
	ev_say("a", T0 + 5000, UT_SP_CUSTOMER, "fine thanks");
	ev_say("a", T0 + 4000, UT_SP_CUSTOMER, "earlier");            /* backwards */
	ev_simple("a", PROTO_EV_HOLD, T0 + 6000, false);              /* off while not on hold */
	ev_simple("b", PROTO_EV_CALL_END, T0 + 7000, false);
	ev_say("b", T0 + 8000, UT_SP_CUSTOMER, "hello?");             /* after end */
	engine_frame(E, "\x85\xa1v", 3, T0, mono);                    /* malformed */
	engine_frame(E, "{\"v\":1}", 7, T0, mono);                    /* missing fields */
	ck_assert_uint_eq(REJ(ENGINE_R_DUPLICATE_START), 1);
	ck_assert_uint_eq(REJ(ENGINE_R_UNKNOWN_CALL), 1);
	ck_assert_uint_eq(REJ(ENGINE_R_BACKWARDS), 1);
	ck_assert_uint_eq(REJ(ENGINE_R_BAD_HOLD), 1);
	ck_assert_uint_eq(REJ(ENGINE_R_AFTER_END), 1);
	ck_assert_uint_eq(REJ(CODEC_E_COUNT_EXCEEDS) + REJ(CODEC_E_TRUNCATED), 1);
	ck_assert_uint_eq(REJ(CODEC_E_MISSING), 1);
	ck_assert_uint_eq(engine_counters(E)->rejected_total, 7);
	/* The good call went on. */
	ev_say("a", T0 + 9000, UT_SP_CUSTOMER, "thank you");
	mono += 1000;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(last_update("a")->utterances, 2);
	ck_assert_str_eq(engine_reason_name(ENGINE_R_AFTER_END), "after_end");
	ck_assert_str_eq(engine_reason_name(CODEC_E_MISSING), "missing");
}
END_TEST

START_TEST(updates_are_coalesced_per_call)
{
	int i;
	size_t before;

	make(100, 100);
	ev_start("a", T0);
	ck_assert_uint_eq(count_type(PROTO_MSG_CALL_UPDATE), 1);   /* start goes out at once */
	before = nout;
	for (i = 1; i <= 10; i++)
		ev_say("a", T0 + i * 1000, UT_SP_CUSTOMER, "ok");   /* all within 250 ms of mono */
	ck_assert_uint_eq(count_type(PROTO_MSG_CALL_UPDATE), 1);
	mono += 100;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(count_type(PROTO_MSG_CALL_UPDATE), 1);   /* not due yet */
	mono += 150;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(count_type(PROTO_MSG_CALL_UPDATE), 2);
	ck_assert_uint_eq(last_update("a")->utterances, 10);
	ck_assert_uint_eq(last_update("a")->n_trend, 10);          /* every new point carried */
	(void)before;
}
END_TEST

START_TEST(agent_speech_is_never_scored)
{
	make(100, 100);
	ev_start("a", T0);
	ev_say("a", T0 + 2000, UT_SP_AGENT, "This is terrible, awful, I hate this horrible job!");
	mono += 1000;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(last_update("a")->utterances, 1);
	ck_assert_uint_eq(last_update("a")->n_trend, 0);
	ck_assert(last_update("a")->latest == 0);
	ev_say("a", T0 + 4000, UT_SP_CUSTOMER, "This is terrible and awful.");
	mono += 1000;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(last_update("a")->n_trend, 1);
	ck_assert(last_update("a")->latest < 0);
}
END_TEST

START_TEST(call_cap_and_removal)
{
	make(2, 100);
	ev_start("a", T0);
	ev_start("b", T0);
	ev_start("c", T0);
	ck_assert_uint_eq(REJ(ENGINE_R_CALL_CAP), 1);
	ev_simple("a", PROTO_EV_CALL_END, T0 + 1000, false);
	ck_assert_uint_eq(engine_counters(E)->calls_live, 1);
	ck_assert_uint_eq(engine_counters(E)->calls_tracked, 2);
	/* The ended call is kept for retain_ms, then forgotten. */
	mono += 11000;
	for (int i = 0; i < 60; i++) {   /* one full sweep of the table */
		mono += 20;
		engine_tick(E, T0 + 2000, mono);
	}
	ck_assert_uint_eq(engine_counters(E)->calls_tracked, 1);
	ev_start("c", T0 + 3000);
	ck_assert_uint_eq(engine_counters(E)->calls_tracked, 2);
	ev_say("a", T0 + 4000, UT_SP_CUSTOMER, "hello");
	ck_assert_uint_eq(REJ(ENGINE_R_UNKNOWN_CALL), 1);
}
END_TEST

START_TEST(silent_call_is_abandoned)
{
	int i;

	make(100, 100);
	ev_start("quiet", T0);
	ev_start("busy", T0);
	for (i = 1; i <= 70; i++) {
		ev_say("busy", T0 + i * 1000, UT_SP_CUSTOMER, "still talking");
		mono += 100;
		engine_tick(E, T0, mono);
	}
	ck_assert_uint_eq(engine_counters(E)->calls_abandoned, 1);
	ck_assert_int_eq(last_update("quiet")->state, UT_CS_ABANDONED);
	ck_assert_int_eq(last_update("busy")->state, UT_CS_ACTIVE);
}
END_TEST

/* Live, a call's time runs on its own events plus our monotonic clock: a
 * feed two hours behind our wall clock does not abandon its calls, and a
 * silent call is still abandoned after abandon_ms of real (monotonic) time. */
START_TEST(feed_clock_skew_does_not_abandon)
{
	const int64_t wall = T0 + 2 * 3600 * 1000;   /* our clock, 2 h ahead */
	int i;

	live_clock = true;
	make(100, 100);
	ev_start("talk", T0);
	ev_start("quiet", T0);
	for (i = 1; i <= 50; i++) {
		mono += 1000;
		ev_say("talk", T0 + i * 1000, UT_SP_CUSTOMER, "still talking");
		engine_tick(E, wall + i * 1000, mono);
	}
	ck_assert_uint_eq(engine_counters(E)->calls_abandoned, 0);
	for (i = 0; i < 15; i++) {   /* 15 s more of silence from "quiet" */
		mono += 1000;
		ev_say("talk", T0 + (51 + i) * 1000, UT_SP_CUSTOMER, "and talking");
		engine_tick(E, wall + (51 + i) * 1000, mono);
	}
	ck_assert_uint_eq(engine_counters(E)->calls_abandoned, 1);
	ck_assert_int_eq(last_update("quiet")->state, UT_CS_ABANDONED);
	ck_assert_int_eq(last_update("talk")->state, UT_CS_ACTIVE);
}
END_TEST

START_TEST(many_calls_survive_deletions)
{
	char id[32];
	int i;

	make(4000, 100);
	for (i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "call-%d", i);
		ev_start(id, T0);
	}
	for (i = 0; i < 3000; i += 2) {
		snprintf(id, sizeof(id), "call-%d", i);
		ev_simple(id, PROTO_EV_CALL_END, T0 + 1000, false);
	}
	mono += 20000;
	for (i = 0; i < 60; i++) {   /* one full sweep of the table */
		mono += 20;
		engine_tick(E, T0 + 1000, mono);
	}
	ck_assert_uint_eq(engine_counters(E)->calls_tracked, 1500);
	for (i = 1; i < 3000; i += 2) {
		snprintf(id, sizeof(id), "call-%d", i);
		ev_say(id, T0 + 2000, UT_SP_CUSTOMER, "hi");
	}
	ck_assert_uint_eq(REJ(ENGINE_R_UNKNOWN_CALL), 0);
}
END_TEST

static void
decide(const char *uuid, const char *call, enum ut_decision kind, const char *sug, struct proto_ack *ack)
{
	struct proto_decision d;

	memset(&d, 0, sizeof(d));
	snprintf(d.uuid, sizeof(d.uuid), "%s", uuid);
	snprintf(d.call, sizeof(d.call), "%s", call);
	snprintf(d.queue, sizeof(d.queue), "billing");
	snprintf(d.supervisor, sizeof(d.supervisor), "lead-1");
	snprintf(d.suggestion, sizeof(d.suggestion), "%s", sug ? sug : "");
	d.kind = kind;
	d.at_ms = T0;
	d.severity = kind == UT_DE_RAISE ? 3 : 0;
	engine_decision(E, &d, T0, mono, ack);
}

START_TEST(suggestion_cap_and_decisions)
{
	struct proto_ack ack;

	make(100, 1);
	ev_start("a", T0);
	ev_start("b", T0);
	ev_say("a", T0 + 3000, UT_SP_CUSTOMER, "I want to speak to a manager now.");
	ev_say("b", T0 + 3000, UT_SP_CUSTOMER, "I want to speak to a manager now.");
	/* The cap holds however many rules the policy fires on these words. */
	ck_assert_uint_eq(count_type(PROTO_MSG_SUGGESTION_RAISED), 1);
	ck_assert_uint_ge(REJ(ENGINE_R_SUGGESTION_CAP), 1);
	ck_assert_uint_eq(engine_counters(E)->suggestions_open, 1);

	decide("u1", "a", UT_DE_ACKNOWLEDGE, NULL, &ack);
	ck_assert(ack.ok);
	ck_assert_str_eq(ack.code, "ok");
	ck_assert_uint_eq(count_type(PROTO_MSG_DECISION_RECORDED), 1);
	ck_assert_str_eq(last_update("a")->claimed_by, "lead-1");
	decide("u1", "a", UT_DE_ACKNOWLEDGE, NULL, &ack);
	ck_assert_str_eq(ack.code, "duplicate");
	ck_assert_uint_eq(count_type(PROTO_MSG_DECISION_RECORDED), 1);
	/* A call we do not track (e.g. decided while we were down): the
	 * human record is echoed all the same, once. */
	decide("u2", "nope", UT_DE_ACKNOWLEDGE, NULL, &ack);
	ck_assert(ack.ok);
	ck_assert_str_eq(ack.code, "untracked");
	ck_assert_uint_eq(count_type(PROTO_MSG_DECISION_RECORDED), 2);
	decide("u2", "nope", UT_DE_ACKNOWLEDGE, NULL, &ack);
	ck_assert_str_eq(ack.code, "duplicate");
	ck_assert_uint_eq(count_type(PROTO_MSG_DECISION_RECORDED), 2);
	decide("u3", "a", UT_DE_DISMISS, "sg-0000", &ack);
	ck_assert(!ack.ok);
	ck_assert_str_eq(ack.code, "unknown_suggestion");
	decide("u4", "b", UT_DE_RAISE, NULL, &ack);
	ck_assert(ack.ok);
	ck_assert_int_eq(last_update("b")->flag, 3);
	decide("u5", "b", UT_DE_CLEAR, NULL, &ack);
	ck_assert(ack.ok);
	ck_assert_int_eq(last_update("b")->flag, 0);
}
END_TEST

static int
count_out(void *ud, const struct proto_msg *m)
{
	uint64_t *seq = ud;

	if (m->type == PROTO_MSG_SNAPSHOT_BEGIN)
		seq[0] = m->h.seq;
	ck_assert_uint_eq(m->h.seq, seq[0]);
	seq[1]++;
	return 0;
}

START_TEST(snapshot_is_stamped_with_current_seq)
{
	uint64_t st[2] = { 0, 0 };
	uint64_t seq;
	uint32_t open;

	make(100, 100);
	ev_start("a", T0);
	ev_start("b", T0);
	ev_say("a", T0 + 3000, UT_SP_CUSTOMER, "I want to speak to a manager now.");
	seq = engine_seq(E);
	open = engine_counters(E)->suggestions_open;
	ck_assert_uint_ge(open, 1);
	/* begin, 2 calls, the open suggestions, end */
	ck_assert_int_eq(engine_snapshot(E, NULL, 5, T0, count_out, st), 4 + (long)open);
	ck_assert_uint_eq(st[0], seq);
	ck_assert_uint_eq(st[1], 4 + open);
	ck_assert_uint_eq(engine_seq(E), seq);   /* a snapshot publishes nothing */
	st[1] = 0;
	ck_assert_int_eq(engine_snapshot(E, "other", 6, T0, count_out, st), 2);
}
END_TEST

/* The detail reply: the policy's thresholds by signal, and explanations of
 * the customer utterances said while the view is open (only those; agent
 * speech never), bounded, expiring with the watch. */
static const struct proto_threshold *
threshold_of(const struct proto_call_detail *d, const char *rule, const char *signal)
{
	size_t i;

	for (i = 0; i < d->n_thresholds; i++)
		if (strcmp(d->thresholds[i].rule, rule) == 0 && strcmp(d->thresholds[i].signal, signal) == 0)
			return &d->thresholds[i];
	return NULL;
}

START_TEST(detail_reply_has_thresholds_and_explanations)
{
	static struct proto_msg m;
	struct codec_buf b = { 0 };
	const struct proto_call_detail *d = &m.u.detail;
	const struct proto_threshold *t;
	uint64_t seq;
	int i, r;

	make(100, 100);
	ev_start("a", T0);
	ev_say("a", T0 + 2000, UT_SP_CUSTOMER, "Before the view opened: terrible.");
	ck_assert_int_eq(engine_detail(E, "nope", 9, T0, mono, &m), -1);
	seq = engine_seq(E);
	ck_assert_int_eq(engine_detail(E, "a", 9, T0 + 2500, mono, &m), 0);
	ck_assert_int_eq(m.type, PROTO_MSG_CALL_DETAIL);
	ck_assert_uint_eq(m.h.req, 9);
	ck_assert_uint_eq(m.h.seq, seq);
	ck_assert_uint_eq(engine_seq(E), seq);   /* a reply is not a feed message */
	ck_assert_str_eq(d->call, "a");
	ck_assert_str_eq(d->policy, pol.version);
	ck_assert_uint_eq(d->n_explained, 0);    /* words before the view are not kept */
	/* Every enabled rule is there with the policy's own values. */
	r = policy_rule_find(&pol, "frustrated");
	ck_assert_int_ge(r, 0);
	t = threshold_of(d, "frustrated", "frustration");
	ck_assert_ptr_nonnull(t);
	ck_assert_double_eq_tol(t->value, pol.rule[r].threshold, 1e-6);
	ck_assert_int_eq(t->window_ms, (int64_t)(pol.rule[r].window_s * 1000));
	r = policy_rule_find(&pol, "ended_negative");
	t = threshold_of(d, "ended_negative", "sentiment_end");
	ck_assert_ptr_nonnull(t);
	ck_assert_double_eq_tol(t->value, pol.rule[r].threshold, 1e-6);
	ck_assert_ptr_nonnull(threshold_of(d, "sentiment_drop", "sentiment_drop"));
	ck_assert_ptr_nonnull(threshold_of(d, "long_negative_call", "sentiment_ewma"));
	ck_assert_int_eq(codec_encode_msg(&m, &b), CODEC_OK);
	/* A disabled rule is left out. */
	pol.rule[policy_rule_find(&pol, "frustrated")].enabled = false;
	ck_assert_int_eq(engine_detail(E, "a", 10, T0 + 2500, mono, &m), 0);
	ck_assert_ptr_null(threshold_of(d, "frustrated", "frustration"));
	pol.rule[policy_rule_find(&pol, "frustrated")].enabled = true;

	ev_say("a", T0 + 3000, UT_SP_AGENT, "I am terribly sorry, awful news.");
	ev_say("a", T0 + 4000, UT_SP_CUSTOMER, "This is UNACCEPTABLE, not working!");
	ck_assert_int_eq(engine_detail(E, "a", 11, T0 + 4000, mono, &m), 0);
	ck_assert_uint_eq(d->n_explained, 1);
	ck_assert_int_eq(d->explained[0].t_ms, 4000);
	ck_assert_double_lt(d->explained[0].compound, -0.3);
	ck_assert_msg(strstr(d->explained[0].text, "UNACCEPTABLE") != NULL, "%s", d->explained[0].text);
	/* Bounded: the last PROTO_EXPLAINED_MAX, oldest first, each clipped. */
	for (i = 0; i < PROTO_EXPLAINED_MAX + 3; i++)
		ev_say("a", T0 + 5000 + 1000 * i, UT_SP_CUSTOMER, i % 2 ? "great, thanks" :
		    "awful awful awful terrible horrible dreadful bad worse worst useless "
		    "hopeless rubbish pathetic disgusting appalling atrocious abysmal");
	ck_assert_int_eq(engine_detail(E, "a", 12, T0 + 20000, mono, &m), 0);
	ck_assert_uint_eq(d->n_explained, PROTO_EXPLAINED_MAX);
	for (i = 0; i < PROTO_EXPLAINED_MAX; i++) {
		ck_assert_int_eq(d->explained[i].t_ms, 5000 + 1000 * (i + 3));
		ck_assert_uint_le(strlen(d->explained[i].text), UT_PHRASE_MAX);
	}
	ck_assert_int_eq(codec_encode_msg(&m, &b), CODEC_OK);
	codec_buf_free(&b);
	/* The watch lapses without requests: the words are dropped. */
	mono += ENGINE_WATCH_MS;
	engine_tick(E, T0 + 30000, mono);
	ev_say("a", T0 + 31000, UT_SP_CUSTOMER, "still terrible");
	mono += ENGINE_WATCH_MS;
	engine_tick(E, T0 + 41000, mono);
	ck_assert_int_eq(engine_detail(E, "a", 13, T0 + 41000, mono, &m), 0);
	ck_assert_uint_eq(d->n_explained, 0);
}
END_TEST

/* More calls watched than slots: the one closest to lapsing gives way, and a
 * call that leaves the table takes its watch with it. */
START_TEST(detail_watches_are_bounded)
{
	static struct proto_msg m;
	char id[16];
	int i;

	make(1000, 100);
	for (i = 0; i < ENGINE_WATCH_MAX + 1; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		ev_start(id, T0);
		mono += 1;
		ck_assert_int_eq(engine_detail(E, id, 1, T0, mono, &m), 0);
		ev_say(id, T0 + 1000, UT_SP_CUSTOMER, "terrible");
	}
	/* c0 lapsed first and was evicted by the last one: nothing kept. */
	ck_assert_int_eq(engine_detail(E, "c0", 2, T0, mono, &m), 0);
	ck_assert_uint_eq(m.u.detail.n_explained, 0);
	ck_assert_int_eq(engine_detail(E, "c64", 2, T0, mono, &m), 0);
	ck_assert_uint_eq(m.u.detail.n_explained, 1);
	/* Ended calls leave after retain_ms; their watches go with them. */
	for (i = 0; i < ENGINE_WATCH_MAX + 1; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		ev_simple(id, PROTO_EV_CALL_END, T0 + 2000, false);
	}
	mono += 20000;
	engine_tick(E, T0 + 30000, mono);
	mono += 1000;
	engine_tick(E, T0 + 31000, mono);
	ck_assert_uint_eq(engine_counters(E)->calls_tracked, 0);
	ck_assert_int_eq(engine_detail(E, "c64", 3, T0, mono, &m), -1);
}
END_TEST

/* Partial (non-final) utterances are counted and never scored. */
START_TEST(partials_are_not_scored)
{
	static struct proto_event ev;

	make(100, 100);
	ev_start("a", T0);
	proto_event_init(&ev, PROTO_EV_UTTERANCE);
	snprintf(ev.call, sizeof(ev.call), "a");
	ev.ts_ms = T0 + 3000;
	ev.u.utt.speaker = UT_SP_CUSTOMER;
	ev.u.utt.start_ms = 1000;
	ev.u.utt.end_ms = 3000;
	ev.u.utt.final = false;
	ev.u.utt.text_len = (size_t)snprintf(ev.u.utt.text, sizeof(ev.u.utt.text), "this is awful");
	engine_event(E, &ev, T0, mono);
	ck_assert_uint_eq(engine_counters(E)->partials, 1);
	ev_say("a", T0 + 4000, UT_SP_CUSTOMER, "this is awful and terrible");
	mono += 1000;
	engine_tick(E, T0, mono);
	ck_assert_uint_eq(last_update("a")->utterances, 1);
	ck_assert_uint_eq(last_update("a")->n_trend, 1);
	ck_assert_uint_eq(engine_counters(E)->accepted, 2);   /* start + the final one */
}
END_TEST

START_TEST(heartbeat_counts)
{
	live_clock = true;   /* replaying, heartbeats are the caller's */
	make(100, 100);
	ev_start("a", T0);
	ev_say("zz", T0, UT_SP_CUSTOMER, "x");
	mono += 1000;
	engine_tick(E, T0, mono);
	ck_assert_uint_ge(count_type(PROTO_MSG_HEARTBEAT), 1);
	ck_assert_uint_eq(engine_counters(E)->accepted, 1);
}
END_TEST

/* Replaying, the caller's clock is event time: ticks between events let
 * time pass as it would live (here a silent call is abandoned with no
 * further event), and no heartbeat is published on that clock. */
START_TEST(replay_clock_lets_time_pass)
{
	int i;

	make(100, 100);
	ev_start("quiet", T0);
	for (i = 1; i <= 70; i++)
		engine_tick(E, T0, T0 + i * 1000);
	ck_assert_uint_eq(engine_counters(E)->calls_abandoned, 1);
	ck_assert_int_eq(last_update("quiet")->state, UT_CS_ABANDONED);
	ck_assert_uint_eq(count_type(PROTO_MSG_HEARTBEAT), 0);
}
END_TEST

/* Mutated frames: every one is accepted, ignored as partial, or rejected
 * by reason; none crashes or goes uncounted (run under ASan/UBSan too). */
START_TEST(mutated_frames_are_all_accounted_for)
{
	static struct proto_event ev;
	struct codec_buf seed[3] = { { 0 }, { 0 }, { 0 } };
	unsigned char frame[512];
	uint64_t x = 0x9e3779b97f4a7c15ull, frames = 0;
	const struct engine_counters *n;
	int i, k;

	make(1000, 1000);
	proto_event_init(&ev, PROTO_EV_CALL_START);
	snprintf(ev.call, sizeof(ev.call), "m1");
	ev.ts_ms = T0;
	snprintf(ev.u.start.agent, sizeof(ev.u.start.agent), "a");
	snprintf(ev.u.start.queue, sizeof(ev.u.start.queue), "q");
	ck_assert_int_eq(codec_encode_event(&ev, &seed[0]), CODEC_OK);
	proto_event_init(&ev, PROTO_EV_UTTERANCE);
	snprintf(ev.call, sizeof(ev.call), "m1");
	ev.ts_ms = T0 + 5000;
	ev.u.utt.end_ms = 5000;
	ev.u.utt.final = true;
	ev.u.utt.text_len = (size_t)snprintf(ev.u.utt.text, sizeof(ev.u.utt.text), "I want a manager NOW!!");
	ck_assert_int_eq(codec_encode_event(&ev, &seed[1]), CODEC_OK);
	ck_assert_int_eq(jsonio_encode_event(&ev, &seed[2]), CODEC_OK);
	for (i = 0; i < 30000; i++) {
		const struct codec_buf *b = &seed[i % 3];
		size_t len = b->len < sizeof(frame) ? b->len : sizeof(frame);
		memcpy(frame, b->data, len);
		for (k = 0; k < 1 + i % 4; k++) {   /* flip, overwrite or cut */
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			if (x % 5 == 0)
				len = (size_t)(x >> 8) % (len + 1);
			else if (len > 0)
				frame[(x >> 8) % len] ^= (unsigned char)(x >> 32);
		}
		engine_frame(E, frame, len, T0, mono);
		frames++;
		if (i % 1000 == 0) {
			mono += 50;
			engine_tick(E, T0, mono);
		}
	}
	n = engine_counters(E);
	ck_assert_uint_eq(n->accepted + n->partials + n->rejected_total, frames);
	ck_assert_uint_gt(n->rejected_total, 0);
	for (i = 0; i < 3; i++)
		codec_buf_free(&seed[i]);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, rejects_are_counted_by_reason_and_skipped);
	tcase_add_test(tc, updates_are_coalesced_per_call);
	tcase_add_test(tc, agent_speech_is_never_scored);
	tcase_add_test(tc, feed_clock_skew_does_not_abandon);
	tcase_add_test(tc, call_cap_and_removal);
	tcase_add_test(tc, silent_call_is_abandoned);
	tcase_add_test(tc, many_calls_survive_deletions);
	tcase_add_test(tc, suggestion_cap_and_decisions);
	tcase_add_test(tc, snapshot_is_stamped_with_current_seq);
	tcase_add_test(tc, heartbeat_counts);
	tcase_add_test(tc, replay_clock_lets_time_pass);
	tcase_add_test(tc, partials_are_not_scored);
	tcase_add_test(tc, detail_reply_has_thresholds_and_explanations);
	tcase_add_test(tc, detail_watches_are_bounded);
	tcase_add_test(tc, mutated_frames_are_all_accounted_for);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
