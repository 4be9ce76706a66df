/* Unit tests for model: every enum name round-trips and unknowns are refused. */
#include <check.h>
#include <string.h>
#include "undertone/model.h"
#include "ut_check.h"

#define ROUNDTRIP(fn, count) do {                                          \
	for (int i_ = 0; i_ < (count); i_++) {                             \
		const char *n_ = model_##fn##_name(i_);                    \
		ck_assert_str_ne(n_, "unknown");                           \
		ck_assert_int_eq(model_##fn##_parse(n_, strlen(n_)), i_);  \
	}                                                                  \
	ck_assert_str_eq(model_##fn##_name(count), "unknown");            \
	ck_assert_int_eq(model_##fn##_parse("nope", 4), -1);               \
} while (0)

START_TEST(names_roundtrip)
{
	ROUNDTRIP(channel, UT_CH__COUNT);
	ROUNDTRIP(speaker, UT_SP__COUNT);
	ROUNDTRIP(call_state, UT_CS__COUNT);
	ROUNDTRIP(component, UT_FC__COUNT);
	ROUNDTRIP(suggestion_kind, UT_SK__COUNT);
	ROUNDTRIP(decision, UT_DE__COUNT);
}
END_TEST

START_TEST(parse_is_length_bounded)
{
	/* A prefix or a longer string must not match. */
	ck_assert_int_eq(model_channel_parse("voice", 4), -1);
	ck_assert_int_eq(model_channel_parse("voicemail", 9), -1);
	ck_assert_int_eq(model_channel_parse("voicemail", 5), UT_CH_VOICE);
	ck_assert_int_eq(model_decision_parse(NULL, 0), -1);
	ck_assert_str_eq(model_suggestion_kind_name(UT_SK_FOLLOW_UP), "follow_up");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, names_roundtrip);
	tcase_add_test(tc, parse_is_length_bounded);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
