/* Unit tests for the analyzer's roster: live calls saved by one engine are
 * resumed by the next, and a damaged or hostile roster file is counted,
 * never trusted. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "engine.h"
#include "engine_fixture.h"
#include "roster.h"
#include "ut_check.h"

static const int64_t T0 = 1700000000000;
static struct policy pol;
static char dir[64], path[128];
static unsigned updates;             /* call_update messages published */
static char last_agent[UT_ID_MAX + 1], last_queue[UT_ID_MAX + 1];

static int
collect(void *ud, const struct proto_msg *m)
{
	(void)ud;
	if (m->type == PROTO_MSG_CALL_UPDATE) {
		updates++;
		snprintf(last_agent, sizeof(last_agent), "%s", m->u.upd.agent);
		snprintf(last_queue, sizeof(last_queue), "%s", m->u.upd.queue);
	}
	return 0;
}

static struct engine *
make(unsigned shard_index, unsigned shard_count)
{
	struct engine_config c;
	char err[128];
	struct engine *e;

	engine_fixture_config(&c, &pol, 100, 100);
	c.event_clock = false;
	c.shard.index = shard_index;
	c.shard.count = shard_count;
	e = engine_new(&c, collect, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(e);
	return e;
}

static void
event(struct engine *e, enum proto_event_type t, const char *call, int64_t ts, const char *agent)
{
	static struct proto_event ev;

	proto_event_init(&ev, t);
	snprintf(ev.call, sizeof(ev.call), "%s", call);
	ev.ts_ms = ts;
	if (t == PROTO_EV_CALL_START) {
		snprintf(ev.u.start.agent, sizeof(ev.u.start.agent), "%s", agent);
		snprintf(ev.u.start.agent_name, sizeof(ev.u.start.agent_name), "Ann \"A\" B.");
		snprintf(ev.u.start.queue, sizeof(ev.u.start.queue), "billing");
		ev.u.start.channel = UT_CH_VOICE;
	} else if (t == PROTO_EV_UTTERANCE) {
		ev.u.utt.speaker = UT_SP_CUSTOMER;
		ev.u.utt.end_ms = ts - T0;
		ev.u.utt.start_ms = ev.u.utt.end_ms - 500;
		ev.u.utt.final = true;
		ev.u.utt.text_len = strlen("this is still not working");
		memcpy(ev.u.utt.text, "this is still not working", ev.u.utt.text_len + 1);
	} else if (t == PROTO_EV_CALL_END) {
		ev.u.end.state = UT_CS_ENDED;
	}
	engine_event(e, &ev, ts, 1000);
}

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ut-roster.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/roster.ndjson", dir);
	updates = 0;
}

static void
teardown(void)
{
	char tmp[160];

	unlink(path);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	unlink(tmp);
	rmdir(dir);
}

static void
write_file(const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Two live calls and one ended: the next engine resumes the live two, with
 * their agent and queue, and goes on applying their events. */
START_TEST(live_calls_are_resumed)
{
	struct engine *a = make(0, 1), *b;
	struct roster_stats st;
	struct stat sb;
	char err[256];

	event(a, PROTO_EV_CALL_START, "c-1", T0, "agent-7");
	event(a, PROTO_EV_CALL_START, "c-2", T0 + 10, "agent-8");
	event(a, PROTO_EV_CALL_START, "c-3", T0 + 20, "agent-9");
	event(a, PROTO_EV_UTTERANCE, "c-1", T0 + 5000, NULL);
	event(a, PROTO_EV_CALL_END, "c-3", T0 + 6000, NULL);
	ck_assert_int_eq(roster_save(path, a, T0 + 7000, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	engine_free(a);

	b = make(0, 1);
	ck_assert_int_eq(roster_load(path, b, T0 + 9000, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert(!st.missing);
	ck_assert_uint_eq(st.resumed, 2);
	ck_assert_uint_eq(st.stale + st.refused + st.bad, 0);
	ck_assert_uint_eq(engine_counters(b)->calls_resumed, 2);
	ck_assert_uint_eq(engine_counters(b)->calls_live, 2);
	updates = 0;
	event(b, PROTO_EV_UTTERANCE, "c-1", T0 + 10000, NULL);
	engine_tick(b, T0 + 10000, 5000);
	ck_assert_uint_eq(engine_counters(b)->rejected_total, 0);
	ck_assert_uint_ge(updates, 1);
	ck_assert_str_eq(last_agent, "agent-7");
	ck_assert_str_eq(last_queue, "billing");
	/* Its clock resumed at its newest event: an older one is refused. */
	event(b, PROTO_EV_UTTERANCE, "c-1", T0 + 4000, NULL);
	ck_assert_uint_eq(engine_counters(b)->rejected[ENGINE_R_BACKWARDS], 1);
	/* The ended call is not resumed: its events are unknown. */
	event(b, PROTO_EV_UTTERANCE, "c-3", T0 + 10000, NULL);
	ck_assert_uint_eq(engine_counters(b)->rejected[ENGINE_R_UNKNOWN_CALL], 1);
	engine_free(b);
}
END_TEST

/* Calls silent longer than the abandon timeout are dropped, not resumed. */
START_TEST(stale_calls_are_dropped)
{
	struct engine *a = make(0, 1), *b;
	struct roster_stats st;
	char err[256];

	event(a, PROTO_EV_CALL_START, "old", T0, "agent-1");
	event(a, PROTO_EV_CALL_START, "new", T0, "agent-1");
	event(a, PROTO_EV_UTTERANCE, "new", T0 + 50000, NULL);
	ck_assert_int_eq(roster_save(path, a, T0 + 50000, err, sizeof(err)), 0);
	engine_free(a);
	b = make(0, 1);
	ck_assert_int_eq(roster_load(path, b, T0 + 70000, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.resumed, 1);
	ck_assert_uint_eq(st.stale, 1);
	engine_free(b);
}
END_TEST

START_TEST(missing_file_is_a_first_start)
{
	struct engine *b = make(0, 1);
	struct roster_stats st;
	char err[256];

	ck_assert_int_eq(roster_load(path, b, T0, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert(st.missing);
	ck_assert_uint_eq(st.resumed, 0);
	engine_free(b);
}
END_TEST

/* Every kind of damage is counted and skipped; the good line still counts. */
START_TEST(hostile_lines_are_counted)
{
	static char text[16384];
	struct engine *b = make(0, 1);
	struct roster_stats st;
	char err[256], longline[6000];
	const char *good = "{\"last_ms\":1700000001000,\"event\":{\"v\":1,\"type\":\"call_start\","
	    "\"call\":\"ok-1\",\"ts\":1700000000000,\"agent\":\"a-1\",\"queue\":\"billing\","
	    "\"channel\":\"voice\"}}\n";

	memset(longline, 'x', sizeof(longline) - 2);
	longline[sizeof(longline) - 2] = '\n';
	longline[sizeof(longline) - 1] = '\0';
	snprintf(text, sizeof(text), "{\"undertone_roster\":1,\"pub\":\"p\",\"saved_ms\":1}\n"
	    "%s"
	    "not json at all\n"
	    "%s"
	    "{\"last_ms\":\"soon\",\"event\":{}}\n"
	    /* an id with a control character: the codec refuses it */
	    "{\"last_ms\":1700000001000,\"event\":{\"v\":1,\"type\":\"call_start\",\"call\":\"bad\\u0007\","
	    "\"ts\":1700000000000,\"agent\":\"a\",\"queue\":\"q\",\"channel\":\"voice\"}}\n"
	    /* not a call_start */
	    "{\"last_ms\":1700000001000,\"event\":{\"v\":1,\"type\":\"hold\",\"call\":\"h\","
	    "\"ts\":1700000000000,\"on\":true}}\n"
	    /* newest event before the start */
	    "{\"last_ms\":1,\"event\":{\"v\":1,\"type\":\"call_start\",\"call\":\"early\","
	    "\"ts\":1700000000000,\"agent\":\"a\",\"queue\":\"q\",\"channel\":\"voice\"}}\n"
	    /* an extra key */
	    "{\"last_ms\":1700000001000,\"x\":1,\"event\":{}}\n"
	    "%s", good, longline, good);
	write_file(text);
	ck_assert_int_eq(roster_load(path, b, T0 + 2000, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.resumed, 1);
	ck_assert_uint_eq(st.refused, 1);      /* the same call twice */
	ck_assert_uint_eq(st.bad, 7);
	engine_free(b);
}
END_TEST

START_TEST(not_a_roster_is_refused)
{
	struct engine *b = make(0, 1);
	struct roster_stats st;
	char err[256] = "";

	write_file("{\"last_ms\":1700000001000,\"event\":{}}\n");
	ck_assert_int_eq(roster_load(path, b, T0, 1000, 60000, &st, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not an undertone roster"));
	write_file("");
	ck_assert_int_eq(roster_load(path, b, T0, 1000, 60000, &st, err, sizeof(err)), -1);
	ck_assert_uint_eq(engine_counters(b)->calls_live, 0);
	engine_free(b);
}
END_TEST

/* A failed save leaves the previous roster whole. */
START_TEST(failed_save_keeps_previous)
{
	struct engine *a = make(0, 1);
	char err[256] = "", bad[200];
	struct roster_stats st;

	event(a, PROTO_EV_CALL_START, "c-1", T0, "agent-1");
	ck_assert_int_eq(roster_save(path, a, T0, err, sizeof(err)), 0);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/roster", dir);
	ck_assert_int_eq(roster_save(bad, a, T0, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	engine_free(a);
	a = make(0, 1);
	ck_assert_int_eq(roster_load(path, a, T0 + 1000, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.resumed, 1);
	engine_free(a);
}
END_TEST

/* A sharded analyzer resumes only its own calls. */
START_TEST(other_shards_calls_are_refused)
{
	struct engine *a = make(0, 1), *b;
	struct roster_stats st;
	char err[256], id[16];
	int i;

	for (i = 0; i < 20; i++) {
		snprintf(id, sizeof(id), "call-%d", i);
		event(a, PROTO_EV_CALL_START, id, T0, "agent-1");
	}
	ck_assert_int_eq(roster_save(path, a, T0, err, sizeof(err)), 0);
	engine_free(a);
	b = make(1, 2);
	ck_assert_int_eq(roster_load(path, b, T0 + 1000, 1000, 60000, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.resumed + st.refused, 20);
	ck_assert_uint_gt(st.resumed, 0);
	ck_assert_uint_gt(st.refused, 0);
	ck_assert_uint_eq(engine_counters(b)->calls_live, st.resumed);
	engine_free(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("roster");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, live_calls_are_resumed);
	tcase_add_test(tc, stale_calls_are_dropped);
	tcase_add_test(tc, missing_file_is_a_first_start);
	tcase_add_test(tc, hostile_lines_are_counted);
	tcase_add_test(tc, not_a_roster_is_refused);
	tcase_add_test(tc, failed_save_keeps_previous);
	tcase_add_test(tc, other_shards_calls_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
