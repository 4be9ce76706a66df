/* Unit tests for theme: colour syntax, parsing with bad lines, fallback
 * mapping to 256/16/8/mono, search and listing, and the shipped themes. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "undertone/theme.h"
#include "man_example.h"
#include "ut_check.h"

static struct theme th;

#define CP(lit, c) theme_color_parse((lit), sizeof(lit) - 1, (c))

START_TEST(man_page_example_is_clean)
{
	char text[4096];
	size_t n = man_example("undertone-theme.5", text, sizeof(text));

	theme_init(&th);
	ck_assert_uint_eq(theme_parse(&th, text, n, "example"), 0);
	ck_assert_uint_eq(th.style[THEME_HEADER].bg.index, 24);
	ck_assert(th.from_file[THEME_SEV2]);
}
END_TEST

START_TEST(colour_syntax)
{
	struct theme_color c;
	char buf[16];

	ck_assert_int_eq(CP("#ff8000", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOR_RGB);
	ck_assert_uint_eq(c.rgb, 0xff8000);
	ck_assert_int_eq(CP("#A0b0C0", &c), 0);
	ck_assert_uint_eq(c.rgb, 0xa0b0c0);
	ck_assert_str_eq(theme_color_format(&c, buf, sizeof(buf)), "#a0b0c0");
	ck_assert_int_eq(CP("208", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOR_INDEX);
	ck_assert_uint_eq(c.index, 208);
	ck_assert_int_eq(CP("0", &c), 0);
	ck_assert_uint_eq(c.index, 0);
	ck_assert_int_eq(CP("255", &c), 0);
	ck_assert_int_eq(CP("brightred", &c), 0);
	ck_assert_uint_eq(c.index, 9);
	ck_assert_str_eq(theme_color_format(&c, buf, sizeof(buf)), "brightred");
	ck_assert_int_eq(CP("Blue", &c), 0);
	ck_assert_uint_eq(c.index, 4);
	ck_assert_int_eq(CP("default", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOR_DEFAULT);
	ck_assert_int_eq(CP("256", &c), -1);
	ck_assert_int_eq(CP("0255", &c), -1);
	ck_assert_int_eq(CP("-1", &c), -1);
	ck_assert_int_eq(CP("#ff80", &c), -1);
	ck_assert_int_eq(CP("#gg0000", &c), -1);
	ck_assert_int_eq(CP("#ff80000", &c), -1);
	ck_assert_int_eq(CP("", &c), -1);
	ck_assert_int_eq(CP("purple", &c), -1);
	ck_assert_int_eq(CP("12a", &c), -1);
}
END_TEST

START_TEST(rgb_to_256_known_values)
{
	ck_assert_uint_eq(theme_rgb_to_256(0x000000), 16);
	ck_assert_uint_eq(theme_rgb_to_256(0xffffff), 231);
	ck_assert_uint_eq(theme_rgb_to_256(0xff0000), 196);
	ck_assert_uint_eq(theme_rgb_to_256(0x00ff00), 46);
	ck_assert_uint_eq(theme_rgb_to_256(0x5f87af), 67);
	ck_assert_uint_eq(theme_rgb_to_256(0xff8000), 208);
	ck_assert_uint_eq(theme_rgb_to_256(0xc00000), 124);
	ck_assert_uint_eq(theme_rgb_to_256(0x808080), 244);   /* grey ramp wins */
	ck_assert_uint_eq(theme_rgb_to_256(0x0a0a0a), 232);
	ck_assert_uint_eq(theme_rgb_to_256(0x1c1c1c), 234);
	ck_assert_uint_eq(theme_rgb_to_256(0xeeeeee), 255);
	ck_assert_uint_eq(theme_rgb_to_256(0x0072b2), 25);    /* Okabe-Ito blue */
	ck_assert_uint_eq(theme_index_to_rgb(196), 0xff0000);
	ck_assert_uint_eq(theme_index_to_rgb(244), 0x808080);
	ck_assert_uint_eq(theme_index_to_rgb(67), 0x5f87af);
	ck_assert_uint_eq(theme_index_to_rgb(9), 0xff0000);
	ck_assert_uint_eq(theme_rgb_to_16(0xff0000), 9);
	ck_assert_uint_eq(theme_rgb_to_16(0xc00000), 1);
	ck_assert_uint_eq(theme_rgb_to_16(0x808080), 8);
	ck_assert_uint_eq(theme_rgb_to_16(0x000000), 0);
	ck_assert_uint_eq(theme_rgb_to_16(0xff8000), 11);    /* hue 30: yellow side */
	ck_assert_uint_eq(theme_rgb_to_16(0xd55e00), 1);     /* vermillion: red */
	ck_assert_uint_eq(theme_rgb_to_16(0x1f3a5f), 4);     /* dark navy stays blue */
	ck_assert_uint_eq(theme_rgb_to_16(0xff5f5f), 9);
	ck_assert_uint_eq(theme_rgb_to_16(0x5fafd7), 6);
	ck_assert_uint_eq(theme_rgb_to_16(0x7ee787), 10);
	ck_assert_uint_eq(theme_rgb_to_16(0xff00ff), 13);
	ck_assert_uint_eq(theme_rgb_to_16(0xc0c0c0), 7);
	ck_assert_uint_eq(theme_rgb_to_16(0x404040), 8);
	ck_assert_uint_eq(theme_rgb_to_16(0x202020), 0);
	ck_assert_uint_eq(theme_rgb_to_16(0xf0f0f0), 15);
}
END_TEST

START_TEST(builtin_defaults_complete)
{
	int r;

	theme_init(&th);
	ck_assert_uint_eq(th.nerrors, 0);
	ck_assert_str_eq(th.name, "builtin");
	for (r = 0; r < THEME_ROLE__COUNT; r++) {
		ck_assert_ptr_nonnull(theme_role_name(r));
		ck_assert_int_eq(theme_role_parse(theme_role_name(r), strlen(theme_role_name(r))), r);
		ck_assert(!th.from_file[r]);
	}
	ck_assert_int_eq(th.style[THEME_SEV3].bg.kind, THEME_COLOR_INDEX);
	ck_assert_uint_eq(th.style[THEME_SEV3].bg.index, 1);
	ck_assert_uint_eq(th.style[THEME_SEV3].attrs, THEME_ATTR_BOLD);
	ck_assert_ptr_null(theme_role_name(THEME_ROLE__COUNT));
	ck_assert_int_eq(theme_role_parse("sev4", 4), -1);
}
END_TEST

START_TEST(bad_lines_reported_rest_applies)
{
	static const char text[] =
		"# comment\n"                                  /* 1 */
		"sev3 = #ffffff #c00000 bold\n"                /* 2 */
		"sev9 = red\n"                                 /* 3: unknown role */
		"sev2 = mauve\n"                               /* 4: bad colour */
		"this line has no equals\n"                    /* 5: syntax */
		"   selected = black 214 reverse   ; note\n"   /* 6: indented, ok */
		"sev1 = red green blue\n"                      /* 7: three colours */
		"[section]\n"                                  /* 8 */
		"header = red\n"                               /* 9: in a section */
		"also bad\n"                                   /* 10: syntax */
		"error =\n";                                   /* 11: empty */
	size_t n;

	theme_init(&th);
	n = theme_parse(&th, text, sizeof(text) - 1, "t");
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(th.nerrors, 7);
	/* Reported in line order, except syntax errors found by later passes. */
	ck_assert_uint_eq(th.errors[0].line, 3);
	ck_assert_ptr_nonnull(strstr(th.errors[0].msg, "unknown role 'sev9'"));
	ck_assert_uint_eq(th.errors[1].line, 4);
	ck_assert_ptr_nonnull(strstr(th.errors[1].msg, "mauve"));
	ck_assert_uint_eq(th.errors[2].line, 7);
	ck_assert_uint_eq(th.errors[3].line, 9);
	ck_assert_uint_eq(th.errors[4].line, 11);
	ck_assert_uint_eq(th.errors[5].line, 5);
	ck_assert_ptr_nonnull(strstr(th.errors[5].msg, "syntax"));
	ck_assert_uint_eq(th.errors[6].line, 10);
	/* Good lines applied; bad ones left the built-in style. */
	ck_assert(th.from_file[THEME_SEV3]);
	ck_assert_uint_eq(th.style[THEME_SEV3].bg.rgb, 0xc00000);
	ck_assert(th.from_file[THEME_SELECTED]);
	ck_assert_uint_eq(th.style[THEME_SELECTED].bg.index, 214);
	ck_assert_uint_eq(th.style[THEME_SELECTED].attrs, THEME_ATTR_REVERSE);
	ck_assert(!th.from_file[THEME_SEV2]);
	ck_assert(!th.from_file[THEME_SEV1]);
	ck_assert(!th.from_file[THEME_HEADER]);
	ck_assert_uint_eq(th.style[THEME_SEV2].attrs, THEME_ATTR_BOLD);
}
END_TEST

START_TEST(long_lines_nul_and_error_cap)
{
	char text[4096];
	size_t i, n = 0;

	theme_init(&th);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "table = ");
	memset(text + n, 'x', 300);
	n += 300;
	text[n++] = '\n';
	memcpy(text + n, "sev1 = r\0ed\n", 12);                     /* line 2 */
	n += 12;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "sev2 = red\n"); /* 3 */
	ck_assert_uint_eq(theme_parse(&th, text, n, NULL), 2);
	ck_assert_uint_eq(th.errors[0].line, 1);
	ck_assert_ptr_nonnull(strstr(th.errors[0].msg, "too long"));
	ck_assert_uint_eq(th.errors[1].line, 2);
	ck_assert_ptr_nonnull(strstr(th.errors[1].msg, "NUL"));
	ck_assert(th.from_file[THEME_SEV2]);
	ck_assert(!th.from_file[THEME_TABLE]);

	/* 100 bad lines: 32 kept, the rest counted. */
	theme_init(&th);
	n = 0;
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "nope%zu = red\n", i);
	ck_assert_uint_eq(theme_parse(&th, text, n, NULL), 100);
	ck_assert_uint_eq(th.nerrors, THEME_ERRORS_MAX);
	ck_assert_uint_eq(th.errors_dropped, 100 - THEME_ERRORS_MAX);
}
END_TEST

START_TEST(resolve_by_depth)
{
	static const char text[] = "sev3 = #ffffff #c00000 bold\n"
		"table = #101010 #000000\n"
		"muted = brightblack default\n";
	struct theme_style s;

	theme_init(&th);
	ck_assert_uint_eq(theme_parse(&th, text, sizeof(text) - 1, NULL), 0);
	s = theme_resolve(&th, THEME_SEV3, THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(s.fg.kind, THEME_COLOR_RGB);
	ck_assert_uint_eq(s.bg.rgb, 0xc00000);
	s = theme_resolve(&th, THEME_SEV3, THEME_DEPTH_256);
	ck_assert_uint_eq(s.fg.index, 231);
	ck_assert_uint_eq(s.bg.index, 124);
	s = theme_resolve(&th, THEME_SEV3, THEME_DEPTH_16);
	ck_assert_uint_eq(s.fg.index, 15);
	ck_assert_uint_eq(s.bg.index, 1);
	s = theme_resolve(&th, THEME_SEV3, THEME_DEPTH_8);
	ck_assert_uint_eq(s.fg.index, 7);
	ck_assert_uint_eq(s.bg.index, 1);
	ck_assert_uint_eq(s.attrs, THEME_ATTR_BOLD);
	s = theme_resolve(&th, THEME_SEV3, THEME_DEPTH_MONO);
	ck_assert_int_eq(s.fg.kind, THEME_COLOR_DEFAULT);
	ck_assert_int_eq(s.bg.kind, THEME_COLOR_DEFAULT);
	ck_assert_uint_eq(s.attrs, THEME_ATTR_BOLD | THEME_ATTR_REVERSE);
	/* Near-black on black collapses at 8 colours: fg turns white. */
	s = theme_resolve(&th, THEME_TABLE, THEME_DEPTH_8);
	ck_assert_uint_eq(s.bg.index, 0);
	ck_assert_uint_eq(s.fg.index, 7);
	s = theme_resolve(&th, THEME_TABLE, THEME_DEPTH_256);
	ck_assert_uint_eq(s.fg.index, 233);
	ck_assert_uint_eq(s.bg.index, 16);
	/* Grey text must not become black at 8 colours. */
	s = theme_resolve(&th, THEME_MUTED, THEME_DEPTH_8);
	ck_assert_uint_eq(s.fg.index, 7);
	s = theme_resolve(&th, THEME_MUTED, THEME_DEPTH_16);
	ck_assert_uint_eq(s.fg.index, 8);
	/* Severity differs by attributes alone in monochrome. */
	ck_assert_uint_ne(theme_resolve(&th, THEME_SEV1, THEME_DEPTH_MONO).attrs,
	    theme_resolve(&th, THEME_SEV2, THEME_DEPTH_MONO).attrs);
	ck_assert_uint_ne(theme_resolve(&th, THEME_SEV2, THEME_DEPTH_MONO).attrs,
	    theme_resolve(&th, THEME_SEV3, THEME_DEPTH_MONO).attrs);
	ck_assert_uint_ne(theme_resolve(&th, THEME_TABLE, THEME_DEPTH_MONO).attrs,
	    theme_resolve(&th, THEME_SEV1, THEME_DEPTH_MONO).attrs);
}
END_TEST

START_TEST(depth_detection)
{
	ck_assert_int_eq(theme_depth_detect("truecolor", 256, false), THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_depth_detect("24bit", 16777216, false), THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_depth_detect("truecolor", 8, false), THEME_DEPTH_8);
	ck_assert_int_eq(theme_depth_detect("truecolor", 256, true), THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_depth_detect(NULL, 256, false), THEME_DEPTH_256);
	ck_assert_int_eq(theme_depth_detect("", 88, false), THEME_DEPTH_16);
	ck_assert_int_eq(theme_depth_detect(NULL, 16, false), THEME_DEPTH_16);
	ck_assert_int_eq(theme_depth_detect(NULL, 8, false), THEME_DEPTH_8);
	ck_assert_int_eq(theme_depth_detect(NULL, -1, false), THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_depth_detect(NULL, 2, false), THEME_DEPTH_MONO);
	ck_assert_str_eq(theme_depth_name(THEME_DEPTH_256), "256");
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

START_TEST(find_list_and_load)
{
	char tmpl[] = "/tmp/ut-theme-XXXXXX", path[THEME_PATH_MAX], p[THEME_PATH_MAX];
	char names[THEME_LIST_MAX][THEME_NAME_MAX];
	struct theme_dirs d;
	char *dir = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(dir);
	snprintf(p, sizeof(p), "%s/zeta.theme", dir);
	write_file(p, "sev3 = red\nbogus = 1\n");
	snprintf(p, sizeof(p), "%s/alpha.theme", dir);
	write_file(p, "sev3 = blue\n");
	snprintf(p, sizeof(p), "%s/notatheme.txt", dir);
	write_file(p, "x");
	memset(&d, 0, sizeof(d));
	snprintf(d.dir[0], sizeof(d.dir[0]), "%s", dir);
	snprintf(d.dir[1], sizeof(d.dir[1]), "%s", dir);   /* duplicates listed once */
	d.n = 2;
	ck_assert_uint_eq(theme_list(&d, names, THEME_LIST_MAX), 2);
	ck_assert_str_eq(names[0], "alpha");
	ck_assert_str_eq(names[1], "zeta");
	ck_assert_uint_eq(theme_list(&d, names, 1), 1);
	ck_assert_int_eq(theme_find(&d, "zeta", path, sizeof(path)), 0);
	ck_assert_ptr_nonnull(strstr(path, "/zeta.theme"));
	ck_assert_int_eq(theme_find(&d, "missing", path, sizeof(path)), -1);
	ck_assert_int_eq(theme_find(&d, ".hidden", path, sizeof(path)), -1);
	ck_assert_int_eq(theme_find(&d, "../etc", path, sizeof(path)), -1);
	snprintf(p, sizeof(p), "%s/zeta.theme", dir);
	ck_assert_int_eq(theme_find(&d, p, path, sizeof(path)), 0);
	ck_assert_str_eq(path, p);

	ck_assert_int_eq(theme_load_file(&th, p), 0);
	ck_assert_str_eq(th.name, "zeta");
	ck_assert_str_eq(th.path, p);
	ck_assert_uint_eq(th.nerrors, 1);
	ck_assert_uint_eq(th.errors[0].line, 2);
	ck_assert_uint_eq(th.style[THEME_SEV3].fg.index, 1);

	ck_assert_int_eq(theme_load_file(&th, "/nonexistent/x.theme"), -1);
	ck_assert_uint_eq(th.nerrors, 1);
	ck_assert_uint_eq(th.errors[0].line, 0);
	ck_assert_uint_eq(th.style[THEME_SEV3].bg.index, 1);      /* built-in */
	ck_assert_int_eq(theme_load_file(&th, dir), -1);           /* a directory */

	theme_search_dirs(&d, "/xdg", "/home/u");
	ck_assert_str_eq(d.dir[0], "/xdg/undertone/themes");
	theme_search_dirs(&d, "relative", "/home/u");
	ck_assert_str_eq(d.dir[0], "/home/u/.config/undertone/themes");
	ck_assert_uint_ge(d.n, 2);

	snprintf(p, sizeof(p), "%s/zeta.theme", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/alpha.theme", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/notatheme.txt", dir);
	unlink(p);
	rmdir(dir);
}
END_TEST

/* Every shipped theme parses cleanly and sets every role itself. */
START_TEST(shipped_themes_complete)
{
	static const char *const shipped[] = { "default", "light", "high-contrast",
		"monochrome", "colorblind" };
	char path[THEME_PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		snprintf(path, sizeof(path), "%s/themes/%s.theme", UT_SRCDIR, shipped[i]);
		ck_assert_msg(theme_load_file(&th, path) == 0, "%s unreadable", path);
		ck_assert_msg(th.nerrors == 0, "%s:%u: %s", path,
		    th.nerrors ? th.errors[0].line : 0, th.nerrors ? th.errors[0].msg : "");
		for (r = 0; r < THEME_ROLE__COUNT; r++)
			ck_assert_msg(th.from_file[r], "%s does not set %s", path,
			    theme_role_name(r));
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, colour_syntax);
	tcase_add_test(tc, rgb_to_256_known_values);
	tcase_add_test(tc, builtin_defaults_complete);
	tcase_add_test(tc, bad_lines_reported_rest_applies);
	tcase_add_test(tc, long_lines_nul_and_error_cap);
	tcase_add_test(tc, resolve_by_depth);
	tcase_add_test(tc, depth_detection);
	tcase_add_test(tc, find_list_and_load);
	tcase_add_test(tc, shipped_themes_complete);
	tcase_add_test(tc, man_page_example_is_clean);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
