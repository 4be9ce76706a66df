/* Unit tests for the feed's scenario library and floor generator. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario.h"
#include "floor.h"
#include "ut_check.h"

static char err[512];

#define PARSE(s) scenario_parse((s), strlen(s), "t", err, sizeof(err))

static const char *good =
    "{\"name\":\"t1\",\"channel\":\"voice\",\"queues\":[\"q1\"],\"frustrated\":true,"
    "\"vars\":{\"amount\":[\"9.99\",\"5\"]},"
    "\"turns\":[{\"who\":\"agent\",\"say\":[\"Hello, {agent} at {company}\"]},"
    "{\"who\":\"customer\",\"say\":[\"charged {amount} twice\"],\"onset\":true,\"interrupt\":true,\"arousal\":0.5},"
    "{\"hold\":[10,20]}]}";

START_TEST(parse_valid)
{
	struct scenario *sc = PARSE(good);

	ck_assert_msg(sc != NULL, "%s", err);
	ck_assert_str_eq(sc->name, "t1");
	ck_assert_int_eq(sc->channel, UT_CH_VOICE);
	ck_assert_uint_eq(sc->nturns, 3);
	ck_assert_int_eq(sc->onset_turn, 1);
	ck_assert(sc->turns[1].interrupt);
	ck_assert_int_eq(sc->turns[2].kind, SCEN_HOLD);
	ck_assert_uint_eq(sc->weight, 1);
	scenario_free(sc);
}
END_TEST

START_TEST(parse_errors_name_the_key)
{
	static const struct { const char *text, *key; } cases[] = {
		{ "{\"name\":\"x\",\"channel\":\"fax\",\"queues\":[\"q\"],\"turns\":[]}", "channel" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[],\"turns\":[]}", "queues" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[]}", "turns" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"who\":\"bot\",\"say\":[\"a\"]}]}", "who" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"who\":\"agent\",\"say\":[\"{nope}\"]}]}", "say" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"who\":\"agent\",\"say\":[\"{open\"]}]}", "say" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"frustrated\":true,\"turns\":[{\"who\":\"agent\",\"say\":[\"a\"]}]}", "onset" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"who\":\"agent\",\"say\":[\"a\"],\"interrupt\":true}]}", "interrupt" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"hold\":[5,1]}]}", "hold" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"weight\":0,\"turns\":[{\"hold\":[1,5]}]}", "weight" },
		{ "{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"who\":\"agent\",\"say\":[\"a\"],\"arousal\":2}]}", "arousal" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct scenario *sc = PARSE(cases[i].text);
		ck_assert_msg(sc == NULL, "case %zu parsed", i);
		ck_assert_msg(strstr(err, cases[i].key) != NULL, "case %zu: '%s' lacks '%s'", i, err, cases[i].key);
	}
	ck_assert_ptr_null(PARSE("{\"name\":\"x\",\"name\":\"y\"}"));   /* duplicate key */
	ck_assert_ptr_null(PARSE("[1,2"));
}
END_TEST

START_TEST(expand_fills_and_clips)
{
	struct scenario *sc = PARSE(good);
	struct scen_library lib;
	struct scen_choice ch;
	char a0[] = "Priya", c0[] = "Alex", co[] = "Acme";
	char out[16];
	int n;

	ck_assert_ptr_nonnull(sc);
	memset(&lib, 0, sizeof(lib));
	lib.agents.n = lib.customers.n = lib.company.n = 1;
	lib.agents.v[0] = a0;
	lib.customers.v[0] = c0;
	lib.company.v[0] = co;
	memset(&ch, 0, sizeof(ch));
	ch.sc = sc;
	ch.var[0] = 1;
	n = scenario_expand(&lib, &ch, "{customer}: {amount}!", out, sizeof(out));
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(out, "Alex: 5!");
	n = scenario_expand(&lib, &ch, "Hello, {agent} at {company} today", out, sizeof(out));
	ck_assert_int_eq(n, 15);
	ck_assert_str_eq(out, "Hello, Priya at");
	ck_assert_int_eq(scenario_expand(&lib, &ch, "{missing}", out, sizeof(out)), -1);
	scenario_free(sc);
}
END_TEST

static void
load(struct scen_library *lib)
{
	int rc = scenario_library_load(lib, UT_SRCDIR "/data/scenarios", err, sizeof(err));
	ck_assert_msg(rc == 0, "%s", err);
}

START_TEST(library_has_the_scenarios)
{
	struct scen_library lib;
	static const char *const need[] = {
		"calm_billing", "double_charge_manager", "third_time", "resolved_warm",
		"long_hold", "abusive", "chat_capitals", "email_thread"
	};
	size_t i;

	load(&lib);
	ck_assert_uint_ge(lib.n, 8);
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		ck_assert_msg(scenario_find(&lib, need[i]) != NULL, "missing %s", need[i]);
	ck_assert_ptr_null(scenario_find(&lib, "nope"));
	scenario_library_free(&lib);
}
END_TEST

struct callcheck {
	char id[UT_ID_MAX + 1];
	int64_t last_ts, start_ts;
	bool ended, onset;
};

/* Find or add the call's record. */
static struct callcheck *
rec(struct callcheck *c, size_t *n, size_t cap, const char *id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(c[i].id, id) == 0)
			return &c[i];
	ck_assert_uint_lt(*n, cap);
	memset(&c[*n], 0, sizeof(c[*n]));
	strcpy(c[*n].id, id);
	return &c[(*n)++];
}

START_TEST(floor_is_ordered_and_closed)
{
	enum { CAP = 4096 };
	struct scen_library lib;
	struct floor_opts o = { .calls = 20, .seed = 7, .base_ms = 1700000000000, .duration_ms = 900000 };
	struct floor *f;
	struct proto_event ev;
	static struct callcheck calls[CAP];
	size_t ncalls = 0, i;
	int64_t prev = 0;
	unsigned live = 0, maxlive = 0, interrupts = 0, voiced = 0;
	struct callcheck *c;

	load(&lib);
	f = floor_new(&lib, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	while (floor_next(f, &ev) == 1) {
		ck_assert_int_ge(ev.ts_ms, prev);
		ck_assert_int_le(ev.ts_ms, o.base_ms + o.duration_ms);
		prev = ev.ts_ms;
		c = rec(calls, &ncalls, CAP, ev.call);
		if (ev.type == PROTO_EV_CALL_START) {
			ck_assert_int_eq(c->start_ts, 0);
			c->start_ts = ev.ts_ms;
			live++;
			maxlive = live > maxlive ? live : maxlive;
		} else {
			ck_assert_msg(c->start_ts != 0 && !c->ended, "event outside its call %s", ev.call);
		}
		ck_assert_int_ge(ev.ts_ms, c->last_ts);
		c->last_ts = ev.ts_ms;
		if (ev.type == PROTO_EV_UTTERANCE) {
			ck_assert_int_le(ev.u.utt.start_ms, ev.u.utt.end_ms);
			ck_assert_int_eq(c->start_ts + ev.u.utt.end_ms, ev.ts_ms);
			ck_assert_int_ne(ev.u.utt.truth, PROTO_TRUTH_NONE);
			ck_assert_uint_gt(ev.u.utt.text_len, 0);
			ck_assert(strchr(ev.u.utt.text, '{') == NULL);
			if (ev.u.utt.truth == PROTO_TRUTH_ONSET)
				c->onset = true;
			if (ev.u.utt.voice.present) {
				voiced++;
				ck_assert_int_eq(ev.u.utt.speaker, UT_SP_CUSTOMER);
			}
		}
		if (ev.type == PROTO_EV_CALL_END) {
			c->ended = true;
			live--;
		}
	}
	ck_assert_uint_eq(maxlive, 20);
	ck_assert_uint_gt(ncalls, 40);           /* new calls start as old ones end */
	ck_assert_uint_gt(voiced, 0);
	for (i = 0; i < ncalls; i++)
		ck_assert_msg(calls[i].ended, "call %s never ended", calls[i].id);
	ck_assert_uint_eq(floor_stats(f)->calls_started, floor_stats(f)->calls_ended);
	(void)interrupts;
	floor_free(f);
	scenario_library_free(&lib);
}
END_TEST

/* The scripted interruption makes the customer start before the agent ends. */
START_TEST(interruptions_overlap)
{
	struct scen_library lib;
	struct floor_opts o = { .calls = 1, .seed = 3, .base_ms = 1000000, .only = "double_charge_manager" };
	struct floor *f;
	struct proto_event ev;
	int64_t agent_end = -1;
	unsigned overlaps = 0, n = 0;
	bool onset = false;

	load(&lib);
	f = floor_new(&lib, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	while (floor_next(f, &ev) == 1 && ev.type != PROTO_EV_CALL_END && n++ < 100) {
		if (ev.type != PROTO_EV_UTTERANCE)
			continue;
		if (ev.u.utt.speaker == UT_SP_AGENT)
			agent_end = ev.u.utt.end_ms;
		else if (ev.u.utt.start_ms < agent_end)
			overlaps++;
		onset = onset || ev.u.utt.truth == PROTO_TRUTH_ONSET;
	}
	ck_assert_uint_ge(overlaps, 2);
	ck_assert(onset);
	floor_free(f);
	scenario_library_free(&lib);
}
END_TEST

static uint64_t
digest(struct scen_library *lib, uint64_t seed)
{
	struct floor_opts o = { .calls = 5, .seed = seed, .base_ms = 1000000, .duration_ms = 300000 };
	struct floor *f = floor_new(lib, &o, err, sizeof(err));
	struct proto_event ev;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	ck_assert_ptr_nonnull(f);
	while (floor_next(f, &ev) == 1) {
		h = (h ^ (uint64_t)ev.ts_ms) * 1099511628211ull;
		if (ev.type == PROTO_EV_UTTERANCE)
			for (i = 0; i < ev.u.utt.text_len; i++)
				h = (h ^ (unsigned char)ev.u.utt.text[i]) * 1099511628211ull;
	}
	floor_free(f);
	return h;
}

/* A scripted transfer moves the call to another queue and agent. */
START_TEST(transfer_turn)
{
	struct scen_library lib;
	struct floor_opts o = { .calls = 1, .seed = 5, .base_ms = 1000000, .only = "abusive" };
	struct floor *f;
	struct proto_event ev;
	unsigned n = 0, transfers = 0;

	load(&lib);
	f = floor_new(&lib, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	while (floor_next(f, &ev) == 1 && ev.type != PROTO_EV_CALL_END && n++ < 100)
		if (ev.type == PROTO_EV_TRANSFER) {
			transfers++;
			ck_assert_str_eq(ev.u.transfer.queue, "team_leaders");
			ck_assert_str_eq(ev.u.transfer.agent, "agent-0000-tl");
			ck_assert(proto_queue_valid(ev.u.transfer.queue, strlen(ev.u.transfer.queue)));
		}
	ck_assert_uint_eq(transfers, 1);
	ck_assert_ptr_null(PARSE("{\"name\":\"x\",\"channel\":\"chat\",\"queues\":[\"q\"],\"turns\":[{\"transfer\":{\"queue\":\"\"}}]}"));
	ck_assert(strstr(err, "transfer") != NULL);
	floor_free(f);
	scenario_library_free(&lib);
}
END_TEST

START_TEST(seed_is_reproducible)
{
	struct scen_library lib;

	load(&lib);
	ck_assert(digest(&lib, 42) == digest(&lib, 42));
	ck_assert(digest(&lib, 42) != digest(&lib, 43));
	scenario_library_free(&lib);
}
END_TEST

START_TEST(bad_floor_options)
{
	struct scen_library lib;
	struct floor_opts o = { .calls = 0 };

	load(&lib);
	ck_assert_ptr_null(floor_new(&lib, &o, err, sizeof(err)));
	o.calls = 2;
	o.only = "no_such";
	ck_assert_ptr_null(floor_new(&lib, &o, err, sizeof(err)));
	ck_assert(strstr(err, "no_such") != NULL);
	scenario_library_free(&lib);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("feed_scenario");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse_valid);
	tcase_add_test(tc, parse_errors_name_the_key);
	tcase_add_test(tc, expand_fills_and_clips);
	tcase_add_test(tc, library_has_the_scenarios);
	tcase_add_test(tc, floor_is_ordered_and_closed);
	tcase_add_test(tc, interruptions_overlap);
	tcase_add_test(tc, transfer_turn);
	tcase_add_test(tc, seed_is_reproducible);
	tcase_add_test(tc, bad_floor_options);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
