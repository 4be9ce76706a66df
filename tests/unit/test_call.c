/* Unit tests for call: memory bounds, event ordering errors, holds,
 * abandonment, and the figures a call update carries. */
#include <check.h>
#include <math.h>
#include <string.h>
#include "signals_timeline.h"
#include "ut_check.h"

/* 100,000 calls in one analyzer: at most 4 KiB each at the default trend
 * length, all in one allocation. */
START_TEST(memory_bounds)
{
	struct call *c;

	ck_assert_uint_le(call_footprint(TREND_DEFAULT_LEN), 4096);
	ck_assert_uint_eq(call_footprint(0), call_footprint(TREND_DEFAULT_LEN));
	ck_assert_uint_eq(call_footprint(UT_TREND_MAX + 5), call_footprint(UT_TREND_MAX));
	ck_assert_uint_eq(sizeof(struct trend_point), 12);
	ck_assert_uint_le(sizeof(struct signals_state), 512);
	ck_assert_uint_le(sizeof(struct policy_call), 1024);
	ck_assert_uint_le(sizeof(struct call), 4096 - TREND_DEFAULT_LEN * sizeof(struct trend_point));
	c = call_new("x", "a", "q", UT_CH_CHAT, T0, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->trend.cap, TREND_DEFAULT_LEN);
	call_free(c);
	c = call_new("x", "a", "q", UT_CH_CHAT, T0, 5000);
	ck_assert_uint_eq(c->trend.cap, UT_TREND_MAX);
	call_free(c);
}
END_TEST

START_TEST(identity_is_copied_and_clipped)
{
	char longid[200];
	struct call *c;

	memset(longid, 'z', sizeof(longid));
	memcpy(longid + 62, "\xe2\x82\xac", 3);   /* a euro sign across byte 64 */
	longid[199] = '\0';
	c = call_new(longid, NULL, "billing", (enum ut_channel)42, T0, 10);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(strlen(c->id), 62);
	ck_assert_str_eq(c->agent, "");
	ck_assert_str_eq(c->queue, "billing");
	ck_assert_int_eq(c->channel, UT_CH_VOICE);
	ck_assert_int_eq(c->state, UT_CS_ACTIVE);
	ck_assert_int_eq(c->end_ms, CALL_NEVER);
	call_free(c);
}
END_TEST

START_TEST(event_errors_leave_the_call_unchanged)
{
	struct tl t;
	struct call_utterance u;
	uint32_t before;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 5, "hello there", 0.2f);
	before = t.c->utterances;
	memset(&u, 0, sizeof(u));
	u.text = "x";
	u.len = 1;
	u.ts_ms = AT(4); u.start_ms = AT(3); u.end_ms = AT(4);
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_BACKWARDS);
	u.ts_ms = AT(10); u.start_ms = AT(9); u.end_ms = AT(8);
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_TIMING);
	u.start_ms = AT(-1); u.end_ms = AT(8);
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_TIMING);
	u.start_ms = AT(9); u.end_ms = AT(15.001);   /* ends > 5 s after its event */
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_TIMING);
	u.end_ms = AT(10);
	u.compound = NAN;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_VALUE);
	u.compound = 1.5f;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_VALUE);
	u.compound = 0.0f;
	u.has_voice = true;
	u.loudness_dbfs = INFINITY;
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_VALUE);
	ck_assert_int_eq(call_agent(t.c, &t.pol.sig, AT(3), AT(1), AT(2)), CALL_ERR_BACKWARDS);
	ck_assert_int_eq(call_agent(t.c, &t.pol.sig, AT(9), AT(8), AT(7)), CALL_ERR_TIMING);
	ck_assert_int_eq(call_hold(t.c, false, AT(9)), CALL_ERR_STATE);
	ck_assert_uint_eq(t.c->utterances, before);
	ck_assert_uint_eq(t.c->trend.count, 1);
	ck_assert_int_eq(t.c->last_ms, AT(5));
	ck_assert_int_eq(call_end(t.c, AT(20)), CALL_OK);
	u.has_voice = false;
	u.ts_ms = AT(30); u.start_ms = AT(21); u.end_ms = AT(22);
	ck_assert_int_eq(call_customer(t.c, &t.pol.sig, &u), CALL_ERR_ENDED);
	ck_assert_int_eq(call_agent(t.c, &t.pol.sig, AT(30), AT(21), AT(22)), CALL_ERR_ENDED);
	ck_assert_int_eq(call_hold(t.c, true, AT(30)), CALL_ERR_ENDED);
	ck_assert(!call_tick(t.c, AT(10000), 1000));
	tl_close(&t);
}
END_TEST

START_TEST(holds_and_figures)
{
	struct tl t;
	struct call_figures f;

	tl_open(&t, UT_CH_VOICE);
	tl_cust(&t, 0, 5, "my bill is wrong", -0.4f);
	tl_cust(&t, 10, 15, "it is still wrong", -0.6f);
	ck_assert_int_eq(call_hold(t.c, true, AT(20)), CALL_OK);
	ck_assert_int_eq(call_hold(t.c, true, AT(21)), CALL_ERR_STATE);
	ck_assert_int_eq(t.c->state, UT_CS_HOLD);
	call_figures(t.c, &t.pol.sig, AT(50), &f);
	ck_assert_int_eq(f.hold_ms, 30000);
	ck_assert_int_eq(f.duration_ms, 50000);
	ck_assert_int_eq(call_hold(t.c, false, AT(80)), CALL_OK);
	tl_cust(&t, 85, 90, "finally, thanks", 0.2f);
	call_figures(t.c, &t.pol.sig, AT(100), &f);
	ck_assert_int_eq(f.hold_ms, 60000);
	ck_assert_int_eq(f.silence_ms, 10000);
	ck_assert_float_eq_tol(f.latest, 0.2f, 1e-6);
	ck_assert_float_eq_tol(f.mean, (-0.4f - 0.6f + 0.2f) / 3.0f, 1e-6);
	ck_assert_float_eq_tol(f.ewma, t.c->trend.ewma, 1e-6);
	ck_assert(f.slope_valid);
	ck_assert_float_gt(f.slope, 0.0f);
	ck_assert_float_ge(f.frustration.value, 0.0f);
	ck_assert_float_le(f.frustration.value, 1.0f);
	/* a hold in progress at the end is counted in the total */
	ck_assert_int_eq(call_hold(t.c, true, AT(100)), CALL_OK);
	ck_assert_int_eq(call_end(t.c, AT(110)), CALL_OK);
	call_figures(t.c, &t.pol.sig, AT(500), &f);   /* frozen at the end */
	ck_assert_int_eq(f.hold_ms, 70000);
	ck_assert_int_eq(f.duration_ms, 110000);
	ck_assert_int_eq(t.c->state, UT_CS_ENDED);
	tl_close(&t);
}
END_TEST

START_TEST(abandonment_after_silence)
{
	struct tl t;

	tl_open(&t, UT_CH_CHAT);
	tl_cust(&t, 0, 1, "hello?", 0.0f);
	ck_assert(!call_tick(t.c, AT(60), 0));       /* no timeout configured */
	ck_assert(!call_tick(t.c, AT(300), 300000));
	ck_assert(call_tick(t.c, AT(301), 300000));
	ck_assert_int_eq(t.c->state, UT_CS_ABANDONED);
	ck_assert_int_eq(t.c->end_ms, AT(301));
	ck_assert(!call_is_live(t.c));
	tl_close(&t);
}
END_TEST

/* Agent speech only ever reaches the signals as timing: a frustrated-
 * sounding agent changes nothing but the dialogue-timing components. */
START_TEST(agent_is_timing_only)
{
	struct tl t;
	int i;

	tl_open(&t, UT_CH_VOICE);
	for (i = 0; i < 20; i++)
		tl_agent(&t, i * 4, i * 4 + 3);
	ck_assert_uint_eq(t.c->trend.count, 0);
	ck_assert_uint_eq(t.c->customer_turns, 0);
	ck_assert_float_eq(tl_frustration(&t, 80), 0.0f);
	ck_assert_uint_eq(t.raised, 0);
	tl_close(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("call");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, memory_bounds);
	tcase_add_test(tc, identity_is_copied_and_clipped);
	tcase_add_test(tc, event_errors_leave_the_call_unchanged);
	tcase_add_test(tc, holds_and_figures);
	tcase_add_test(tc, abandonment_after_silence);
	tcase_add_test(tc, agent_is_timing_only);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
