/* Unit tests for textsafe: escape stripping, invalid UTF-8, widths, clipping. */
#include <check.h>
#include <string.h>
#include "undertone/textsafe.h"
#include "ut_check.h"

static char out[512];

/* Sanitize a string literal (embedded NULs included). */
#define SAN(lit, fl) (textsafe_sanitize((lit), sizeof(lit) - 1, out, sizeof(out), (fl), NULL), out)
#define WID(lit) textsafe_width((lit), sizeof(lit) - 1, 0)

START_TEST(strips_csi_and_sgr)
{
	struct textsafe_stats st;

	ck_assert_str_eq(SAN("a\x1b[31mred\x1b[0m", 0), "ared");
	ck_assert_str_eq(SAN("\x1b[2J\x1b[H\x1b[?1049hclear", 0), "clear");
	ck_assert_str_eq(SAN("\x1b[1;2;3;4;5;6;7;8;9;10;11;12Hx", 0), "x");
	textsafe_sanitize("\x1b[1mA\x1b[0m", 9, out, sizeof(out), 0, &st);
	ck_assert_str_eq(out, "A");
	ck_assert_uint_eq(st.escapes, 2);
	/* A non-ASCII byte ends a CSI early; it is then shown, not swallowed. */
	ck_assert_str_eq(SAN("\x1b[1\xc3\xa9", 0), "\xc3\xa9");
}
END_TEST

START_TEST(strips_strings_and_short_escapes)
{
	ck_assert_str_eq(SAN("\x1b]0;pwned\x07ok", 0), "ok");
	ck_assert_str_eq(SAN("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", 0), "link");
	ck_assert_str_eq(SAN("\x1bP1$r\x1b\\x", 0), "x");
	ck_assert_str_eq(SAN("\x1b_apc\xc2\x9cy", 0), "y");
	ck_assert_str_eq(SAN("ok\x1b]2;never terminated", 0), "ok");
	ck_assert_str_eq(SAN("\x1b(Bx", 0), "x");
	ck_assert_str_eq(SAN("\x1b" "cx", 0), "x");
	ck_assert_str_eq(SAN("\x1b=\x1b>x", 0), "x");
	ck_assert_str_eq(SAN("x\x1b", 0), "x");
	/* OSC cut short by CAN, then normal text resumes. */
	ck_assert_str_eq(SAN("\x1b]0;t\x18z", 0), "z");
}
END_TEST

START_TEST(strips_c0_c1_and_del)
{
	struct textsafe_stats st;

	ck_assert_str_eq(SAN("a\tb\nc\rd", 0), "a b c d");
	ck_assert_str_eq(SAN("\x07\x08\x7f" "b", 0), "b");
	ck_assert_str_eq(SAN("a\0b", 0), "ab");
	/* C1 in UTF-8 form: CSI and OSC swallow their bodies, NEL is dropped. */
	ck_assert_str_eq(SAN("\xc2\x9b" "31mX", 0), "X");
	ck_assert_str_eq(SAN("\xc2\x9d" "0;t\x07Y", 0), "Y");
	ck_assert_str_eq(SAN("a\xc2\x85" "b", 0), "ab");
	/* A raw 8-bit C1 byte is invalid UTF-8: replaced, never passed on. */
	ck_assert_str_eq(SAN("\x9b" "31m", 0), "\xef\xbf\xbd" "31m");
	textsafe_sanitize("\x01\x02\t", 3, out, sizeof(out), 0, &st);
	ck_assert_uint_eq(st.controls, 3);
	ck_assert_str_eq(out, " ");
}
END_TEST

START_TEST(invalid_utf8_and_bidi)
{
	struct textsafe_stats st;

	ck_assert_str_eq(SAN("a\xff" "b", 0), "a\xef\xbf\xbd" "b");
	ck_assert_str_eq(SAN("a\xff" "b", TEXTSAFE_ASCII), "a?b");
	ck_assert_str_eq(SAN("\xed\xa0\x80", 0), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* A truncated sequence is one maximal subpart: one replacement. */
	ck_assert_str_eq(SAN("\xe2\x82", 0), "\xef\xbf\xbd");
	textsafe_sanitize("abc\xe2\x80\xae" "def\xe2\x81\xa6", 12, out, sizeof(out), 0, &st);
	ck_assert_str_eq(out, "abcdef");
	ck_assert_uint_eq(st.bidi, 2);
	ck_assert_str_eq(SAN("x\xf3\xa0\x80\x81y", 0), "xy");          /* tag char */
	ck_assert_str_eq(SAN("p\xe2\x80\xa8q", 0), "p q");              /* LINE SEP */
	/* Other invisible format characters go too; ZWJ stays for emoji. */
	ck_assert_str_eq(SAN("ad\xe2\x80\x8bmin\xef\xbb\xbf", 0), "admin");  /* ZWSP, BOM */
	ck_assert_str_eq(SAN("co\xc2\xadop", 0), "coop");                      /* soft hyphen */
	ck_assert_str_eq(SAN("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", 0),
	    "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb");
}
END_TEST

START_TEST(code_point_widths)
{
	ck_assert_int_eq(textsafe_cpwidth('A'), 1);
	ck_assert_int_eq(textsafe_cpwidth(0x07), -1);
	ck_assert_int_eq(textsafe_cpwidth(0x85), -1);
	ck_assert_int_eq(textsafe_cpwidth(0x300), 0);     /* combining grave */
	ck_assert_int_eq(textsafe_cpwidth(0x200B), 0);    /* zero width space */
	ck_assert_int_eq(textsafe_cpwidth(0x200D), 0);    /* ZWJ */
	ck_assert_int_eq(textsafe_cpwidth(0x1160), 0);    /* Hangul medial */
	ck_assert_int_eq(textsafe_cpwidth(0x4E00), 2);    /* CJK */
	ck_assert_int_eq(textsafe_cpwidth(0xAC00), 2);    /* Hangul syllable */
	ck_assert_int_eq(textsafe_cpwidth(0xFF21), 2);    /* fullwidth A */
	ck_assert_int_eq(textsafe_cpwidth(0x1F600), 2);   /* emoji */
	ck_assert_int_eq(textsafe_cpwidth(0x20000), 2);   /* CJK ext B */
	ck_assert_int_eq(textsafe_cpwidth(0xE9), 1);
	ck_assert_int_eq(textsafe_cpwidth(0x00AD), 1);
	ck_assert_int_eq(textsafe_cpwidth(0x2026), 1);
}
END_TEST

START_TEST(string_widths)
{
	ck_assert_uint_eq(WID("abc"), 3);
	ck_assert_uint_eq(WID("\xe6\x97\xa5\xe6\x9c\xac"), 4);           /* 日本 */
	ck_assert_uint_eq(WID("e\xcc\x81"), 1);                          /* e + acute */
	ck_assert_uint_eq(WID("\xf0\x9f\x98\x80!"), 3);
	ck_assert_uint_eq(WID("\x1b[31mab\x1b[0m"), 2);
	ck_assert_uint_eq(WID("\xcc\x81x"), 1);     /* orphan mark dropped */
	ck_assert_uint_eq(textsafe_width("\xe6\x97\xa5", 3, TEXTSAFE_ASCII), 1);
	ck_assert_uint_eq(textsafe_width(NULL, 0, 0), 0);
}
END_TEST

START_TEST(fit_clips_by_width)
{
	const char *jp = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";        /* 日本語 */
	size_t w, n;

	n = textsafe_fit(jp, 9, 5, 0, out, sizeof(out), &w);
	ck_assert_str_eq(out, "\xe6\x97\xa5\xe6\x9c\xac");
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(w, 4);
	textsafe_fit(jp, 9, 5, TEXTSAFE_PAD, out, sizeof(out), &w);
	ck_assert_str_eq(out, "\xe6\x97\xa5\xe6\x9c\xac ");
	ck_assert_uint_eq(w, 5);
	textsafe_fit(jp, 9, 5, TEXTSAFE_ELLIPSIS, out, sizeof(out), &w);
	ck_assert_str_eq(out, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	ck_assert_uint_eq(w, 5);
	textsafe_fit(jp, 9, 4, TEXTSAFE_ELLIPSIS | TEXTSAFE_PAD, out, sizeof(out), &w);
	ck_assert_str_eq(out, "\xe6\x97\xa5\xe2\x80\xa6 ");
	ck_assert_uint_eq(w, 4);
	/* Fits exactly: no ellipsis. */
	textsafe_fit(jp, 9, 6, TEXTSAFE_ELLIPSIS, out, sizeof(out), &w);
	ck_assert_str_eq(out, jp);
	textsafe_fit("hello world", 11, 6, TEXTSAFE_ELLIPSIS | TEXTSAFE_ASCII, out, sizeof(out), &w);
	ck_assert_str_eq(out, "hello~");
	textsafe_fit("42", 2, 5, TEXTSAFE_PAD | TEXTSAFE_RIGHT, out, sizeof(out), &w);
	ck_assert_str_eq(out, "   42");
	textsafe_fit("abc", 3, 0, TEXTSAFE_PAD | TEXTSAFE_ELLIPSIS, out, sizeof(out), &w);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(w, 0);
}
END_TEST

START_TEST(fit_keeps_combining_sequences)
{
	char small[4];
	size_t w;

	/* "ae" + combining acute + "b" into 2 columns keeps the mark. */
	textsafe_fit("ae\xcc\x81" "b", 5, 2, 0, out, sizeof(out), &w);
	ck_assert_str_eq(out, "ae\xcc\x81");
	ck_assert_uint_eq(w, 2);
	/* A 4-byte buffer holds "a" but not the 3-byte "e + mark" cluster. */
	textsafe_fit("ae\xcc\x81" "b", 5, 10, 0, small, sizeof(small), &w);
	ck_assert_str_eq(small, "a");
	ck_assert_uint_eq(w, 1);
	/* Sanitize truncation also stops at a cluster boundary. */
	struct textsafe_stats st;
	textsafe_sanitize("\xe6\x97\xa5\xe6\x9c\xac", 6, small, sizeof(small), 0, &st);
	ck_assert_str_eq(small, "\xe6\x97\xa5");
	ck_assert_uint_eq(st.truncated, 1);
	ck_assert_uint_eq(textsafe_sanitize("x", 1, small, 0, 0, NULL), 0);
	ck_assert_uint_eq(textsafe_sanitize("x", 1, small, 1, 0, NULL), 0);
	ck_assert_str_eq(small, "");
}
END_TEST

START_TEST(zalgo_is_capped)
{
	char z[1 + 20 * 2];
	size_t i, n;

	z[0] = 'a';
	for (i = 0; i < 20; i++)
		memcpy(z + 1 + 2 * i, "\xcc\x81", 2);
	n = textsafe_sanitize(z, sizeof(z), out, sizeof(out), 0, NULL);
	ck_assert_uint_eq(n, 1 + TEXTSAFE_MARKS_MAX * 2);
	ck_assert_uint_eq(textsafe_width(z, sizeof(z), 0), 1);
}
END_TEST

START_TEST(prefix_in_raw_bytes)
{
	size_t w;

	/* An escape belongs to the cluster after it, or to the end of input. */
	ck_assert_uint_eq(textsafe_prefix("a\x1b[1mb", 6, 1, 0, &w), 1);
	ck_assert_uint_eq(w, 1);
	ck_assert_uint_eq(textsafe_prefix("ab\x1b[0m", 6, 2, 0, &w), 6);
	ck_assert_uint_eq(w, 2);
	ck_assert_uint_eq(textsafe_prefix("\xe6\x97\xa5x", 4, 1, 0, &w), 0);
	ck_assert_uint_eq(w, 0);
	ck_assert_uint_eq(textsafe_prefix("\xe6\x97\xa5x", 4, 3, 0, &w), 4);
	ck_assert_uint_eq(w, 3);
}
END_TEST

START_TEST(ascii_mode_transliterates)
{
	ck_assert_str_eq(SAN("caf\xc3\xa9", TEXTSAFE_ASCII), "cafe");
	ck_assert_str_eq(SAN("nai\xcc\x88ve", TEXTSAFE_ASCII), "naive");
	ck_assert_str_eq(SAN("\xe6\x97\xa5\xe6\x9c\xac", TEXTSAFE_ASCII), "??");
	ck_assert_str_eq(SAN("wait\xe2\x80\xa6", TEXTSAFE_ASCII), "wait...");
	ck_assert_str_eq(SAN("\xe2\x80\x9cno\xe2\x80\x9d \xe2\x80\x94 ok", TEXTSAFE_ASCII), "\"no\" - ok");
	ck_assert_str_eq(SAN("Stra\xc3\x9f" "e", TEXTSAFE_ASCII), "Strasse");
	ck_assert_str_eq(SAN("\xef\xbc\xa1", TEXTSAFE_ASCII), "A");      /* fullwidth A */
	ck_assert_str_eq(SAN("\xf0\x9f\x98\x80", TEXTSAFE_ASCII), "?");
}
END_TEST

START_TEST(locale_detection)
{
	ck_assert(textsafe_locale_is_utf8(NULL, NULL, "en_US.UTF-8"));
	ck_assert(textsafe_locale_is_utf8("", "", "C.utf8"));
	ck_assert(!textsafe_locale_is_utf8("C", NULL, "en_US.UTF-8"));
	ck_assert(!textsafe_locale_is_utf8(NULL, NULL, NULL));
	ck_assert(!textsafe_locale_is_utf8(NULL, "POSIX", NULL));
	ck_assert(textsafe_locale_is_utf8(NULL, "de_DE.utf8@euro", "C"));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("textsafe");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, strips_csi_and_sgr);
	tcase_add_test(tc, strips_strings_and_short_escapes);
	tcase_add_test(tc, strips_c0_c1_and_del);
	tcase_add_test(tc, invalid_utf8_and_bidi);
	tcase_add_test(tc, code_point_widths);
	tcase_add_test(tc, string_widths);
	tcase_add_test(tc, fit_clips_by_width);
	tcase_add_test(tc, fit_keeps_combining_sequences);
	tcase_add_test(tc, zalgo_is_capped);
	tcase_add_test(tc, prefix_in_raw_bytes);
	tcase_add_test(tc, ascii_mode_transliterates);
	tcase_add_test(tc, locale_detection);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
