/* Unit tests for trend: time-aware EWMA, mean, ring, end, slope, drop. */
#include <check.h>
#include <math.h>
#include "undertone/trend.h"
#include "ut_check.h"

#define HL 30000.0   /* half-life, ms */

static struct trend_point ring[8];

START_TEST(first_sample_sets_everything)
{
	struct trend t;

	trend_init(&t, ring, 8, 1000);
	ck_assert_int_eq(trend_push(&t, 2000, -0.4f, HL), TREND_OK);
	ck_assert_float_eq_tol(t.latest, -0.4f, 1e-6);
	ck_assert_float_eq_tol(t.ewma, -0.4f, 1e-6);
	ck_assert_float_eq_tol(trend_mean(&t), -0.4f, 1e-6);
	ck_assert_uint_eq(t.used, 1);
	ck_assert_uint_eq(trend_at(&t, 0)->t, 1000);
}
END_TEST

/* The same two values give a different EWMA depending on the time between
 * them: the weight is from elapsed time, not from the sample count. */
START_TEST(ewma_weight_depends_on_elapsed_time)
{
	struct trend a, b, c;
	struct trend_point ra[4], rb[4], rc[4];
	double w;

	trend_init(&a, ra, 4, 0);
	trend_init(&b, rb, 4, 0);
	trend_init(&c, rc, 4, 0);
	trend_push(&a, 0, 0.0f, HL);
	trend_push(&a, 1000, -1.0f, HL);       /* 1 s later */
	trend_push(&b, 0, 0.0f, HL);
	trend_push(&b, 300000, -1.0f, HL);     /* 5 min later */
	trend_push(&c, 0, 0.0f, HL);
	trend_push(&c, 30000, -1.0f, HL);      /* one half-life later */
	w = exp2(-1000.0 / HL);
	ck_assert_float_eq_tol(a.ewma, (float)(-1.0 / (1.0 + w)), 1e-5);
	ck_assert_float_eq_tol(c.ewma, -1.0f / 1.5f, 1e-5);
	ck_assert_float_lt(b.ewma, -0.99f);
	ck_assert_float_gt(a.ewma, -0.52f);
	/* the overall mean does not care about time */
	ck_assert_float_eq_tol(trend_mean(&a), trend_mean(&b), 1e-6);
}
END_TEST

START_TEST(same_time_samples_share_weight)
{
	struct trend t;

	trend_init(&t, ring, 8, 0);
	trend_push(&t, 5000, 1.0f, HL);
	trend_push(&t, 5000, -1.0f, HL);
	trend_push(&t, 5000, 0.5f, HL);
	ck_assert_float_eq_tol(t.ewma, 0.5f / 3.0f, 1e-6);
}
END_TEST

START_TEST(rejects_bad_input)
{
	struct trend t;

	trend_init(&t, ring, 8, 1000);
	ck_assert_int_eq(trend_push(&t, 500, 0.1f, HL), TREND_ERR_TIME);
	ck_assert_int_eq(trend_push(&t, 2000, NAN, HL), TREND_ERR_VALUE);
	ck_assert_int_eq(trend_push(&t, 2000, INFINITY, HL), TREND_ERR_VALUE);
	ck_assert_int_eq(trend_push(&t, 2000, 0.1f, 0.0), TREND_ERR_VALUE);
	ck_assert_int_eq(trend_push(&t, 1000 + (int64_t)UINT32_MAX + 1, 0.1f, HL), TREND_ERR_TIME);
	ck_assert_int_eq(trend_push(&t, 2000, 3.0f, HL), TREND_OK);
	ck_assert_float_eq_tol(t.latest, 1.0f, 1e-6);   /* clamped */
	ck_assert_int_eq(trend_push(&t, 1999, 0.1f, HL), TREND_ERR_BACKWARDS);
	ck_assert_uint_eq(t.count, 1);
}
END_TEST

START_TEST(ring_keeps_newest_points)
{
	struct trend t;
	struct trend_point out[8];
	int i;

	trend_init(&t, ring, 4, 0);
	for (i = 0; i < 6; i++)
		trend_push(&t, i * 1000, (float)i / 10.0f, HL);
	ck_assert_uint_eq(t.used, 4);
	ck_assert_uint_eq(t.count, 6);
	ck_assert_float_eq_tol(trend_at(&t, 0)->raw, 0.2f, 1e-6);
	ck_assert_float_eq_tol(trend_at(&t, 3)->raw, 0.5f, 1e-6);
	ck_assert_uint_eq(trend_copy_recent(&t, out, 2), 2);
	ck_assert_uint_eq(out[0].t, 4000);
	ck_assert_uint_eq(out[1].t, 5000);
	ck_assert_uint_eq(trend_copy_recent(&t, out, 8), 4);
	ck_assert_uint_eq(out[0].t, 2000);
	/* the mean covers every sample, not only the ring */
	ck_assert_float_eq_tol(trend_mean(&t), 0.25f, 1e-6);
}
END_TEST

START_TEST(end_is_the_last_stretch)
{
	struct trend t;

	trend_init(&t, ring, 8, 0);
	trend_push(&t, 0, 0.8f, HL);
	trend_push(&t, 100000, 0.6f, HL);
	trend_push(&t, 150000, -0.4f, HL);
	trend_push(&t, 170000, -0.6f, HL);
	ck_assert_float_eq_tol(trend_end(&t, 60000), -0.5f, 1e-6);
	ck_assert_float_eq_tol(trend_end(&t, 1000), -0.6f, 1e-6);   /* at least the newest */
	ck_assert_float_eq_tol(trend_end(&t, 1000000), 0.1f, 1e-6);
}
END_TEST

START_TEST(slope_per_minute)
{
	struct trend t;
	float s;

	trend_init(&t, ring, 8, 0);
	trend_push(&t, 0, 0.0f, HL);
	trend_push(&t, 60000, -0.1f, HL);
	ck_assert(!trend_slope(&t, 60000, 600000, &s));   /* two points: no slope */
	ck_assert_float_eq(s, 0.0f);
	trend_push(&t, 120000, -0.2f, HL);
	ck_assert(trend_slope(&t, 120000, 600000, &s));
	ck_assert_float_eq_tol(s, -0.1f, 1e-5);
	/* the window excludes older points */
	trend_push(&t, 180000, 0.5f, HL);
	trend_push(&t, 181000, 0.5f, HL);
	ck_assert(!trend_slope(&t, 181000, 60000, &s));
	ck_assert(trend_slope(&t, 181000, 61000, &s));
	ck_assert_float_gt(s, 0.0f);
}
END_TEST

START_TEST(drop_from_recent_peak)
{
	struct trend t;
	float peak;

	trend_init(&t, ring, 8, 0);
	ck_assert_float_eq(trend_drop(&t, 0, 60000, &peak), 0.0f);
	trend_push(&t, 0, 0.6f, HL);
	trend_push(&t, 10000, 0.6f, HL);
	trend_push(&t, 20000, -0.8f, HL);
	ck_assert_float_gt(trend_drop(&t, 20000, 60000, &peak), 0.3f);
	ck_assert_float_eq_tol(peak, 0.6f, 1e-6);
	/* outside the window the peak no longer counts */
	ck_assert_float_eq_tol(trend_drop(&t, 200000, 60000, &peak), 0.0f, 1e-6);
}
END_TEST

/* The smoothed value holds between samples: a fall across a pause longer
 * than the window is still a fall; and a call opens neutral. */
START_TEST(drop_across_a_pause_and_from_the_opening)
{
	struct trend t;
	float peak;

	trend_init(&t, ring, 8, 0);
	trend_push(&t, 70000, 0.6f, HL);     /* after the first minute */
	trend_push(&t, 300000, -0.6f, HL);   /* four minutes later */
	ck_assert_float_gt(trend_drop(&t, 300000, 60000, &peak), 1.1f);
	ck_assert_float_eq_tol(peak, 0.6f, 1e-6);
	/* from the opening: 0 until the first sample, within the window */
	trend_init(&t, ring, 8, 0);
	trend_push(&t, 10000, -0.3f, HL);
	trend_push(&t, 20000, -0.7f, HL);
	ck_assert_float_gt(trend_drop(&t, 20000, 60000, &peak), 0.4f);
	ck_assert_float_eq(peak, 0.0f);
	/* ...but not once the opening is outside the window */
	ck_assert_float_lt(trend_drop(&t, 90000, 60000, &peak), 0.3f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, first_sample_sets_everything);
	tcase_add_test(tc, ewma_weight_depends_on_elapsed_time);
	tcase_add_test(tc, same_time_samples_share_weight);
	tcase_add_test(tc, rejects_bad_input);
	tcase_add_test(tc, ring_keeps_newest_points);
	tcase_add_test(tc, end_is_the_last_stretch);
	tcase_add_test(tc, slope_per_minute);
	tcase_add_test(tc, drop_from_recent_peak);
	tcase_add_test(tc, drop_across_a_pause_and_from_the_opening);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
