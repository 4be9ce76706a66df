/* Unit tests for utf8: validation edge cases from RFC 3629 and clipping. */
#include <check.h>
#include <string.h>
#include "undertone/utf8.h"
#include "ut_check.h"

#define V(s) utf8_valid((s), sizeof(s) - 1)

START_TEST(valid_sequences)
{
	ck_assert(V(""));
	ck_assert(V("plain ascii"));
	ck_assert(V("caf\xc3\xa9"));                 /* é */
	ck_assert(V("\xe2\x82\xac"));                /* € */
	ck_assert(V("\xf0\x9f\x98\xa0"));            /* 😠 */
	ck_assert(V("\xf4\x8f\xbf\xbf"));            /* U+10FFFF */
	ck_assert(V("nul\0inside"));
}
END_TEST

START_TEST(invalid_sequences)
{
	ck_assert(!V("\x80"));                       /* lone continuation */
	ck_assert(!V("\xc0\xaf"));                   /* overlong '/' */
	ck_assert(!V("\xe0\x80\xaf"));               /* overlong 3-byte */
	ck_assert(!V("\xed\xa0\x80"));               /* surrogate */
	ck_assert(!V("\xf4\x90\x80\x80"));           /* > U+10FFFF */
	ck_assert(!V("\xf5\x80\x80\x80"));
	ck_assert(!V("\xe2\x82"));                   /* truncated */
	ck_assert(!V("ok\xff"));
}
END_TEST

START_TEST(decode_and_encode_roundtrip)
{
	uint32_t cps[] = { 0x24, 0xA2, 0x20AC, 0x10348, 0x10FFFF };
	char buf[4];
	size_t i, n, used;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], buf);
		ck_assert_uint_gt(n, 0);
		ck_assert_uint_eq(utf8_decode(buf, n, &used), cps[i]);
		ck_assert_uint_eq(used, n);
	}
	ck_assert_uint_eq(utf8_encode(0xD800, buf), 0);
	ck_assert_uint_eq(utf8_encode(0x110000, buf), 0);
	ck_assert_uint_eq(utf8_decode("\xe2\x82", 2, &used), UTF8_INVALID);
	ck_assert_uint_ge(used, 1);
	ck_assert_uint_eq(utf8_decode("", 0, &used), UTF8_INVALID);
	ck_assert_uint_eq(used, 0);
}
END_TEST

START_TEST(clip_never_splits)
{
	const char *s = "a\xe2\x82\xac" "b";    /* a € b */

	ck_assert_uint_eq(utf8_clip(s, 5, 10), 5);
	ck_assert_uint_eq(utf8_clip(s, 5, 4), 4);
	ck_assert_uint_eq(utf8_clip(s, 5, 3), 1);
	ck_assert_uint_eq(utf8_clip(s, 5, 2), 1);
	ck_assert_uint_eq(utf8_clip(s, 5, 0), 0);
}
END_TEST

START_TEST(copy_clip_fits_with_terminator)
{
	const char *s = "a\xe2\x82\xac" "b";   /* a € b */
	char out[6];

	ck_assert_uint_eq(utf8_copy_clip(out, 6, s), 5);
	ck_assert_str_eq(out, s);
	ck_assert_uint_eq(utf8_copy_clip(out, 4, s), 1);   /* "a€" needs 5 with the NUL */
	ck_assert_str_eq(out, "a");
	ck_assert_uint_eq(utf8_copy_clip(out, 1, s), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, valid_sequences);
	tcase_add_test(tc, invalid_sequences);
	tcase_add_test(tc, decode_and_encode_roundtrip);
	tcase_add_test(tc, clip_never_splits);
	tcase_add_test(tc, copy_clip_fits_with_terminator);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
