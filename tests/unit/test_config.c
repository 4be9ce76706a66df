/* Unit tests for config: console and analyzer schemas, provenance, bad
 * values and lines, key bindings and their conflicts, value parsers. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "undertone/config.h"
#include "man_example.h"
#include "ut_check.h"

static struct config_console cc;
static struct config_analyzer ca;

#define PARSE(lit) config_console_parse(&cc, (lit), sizeof(lit) - 1, "test.conf")

/* Index of the first diagnostic on line, or -1. */
static int
diag_on(const struct config_diags *d, unsigned line, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->d[i].line == line && (!needle || strstr(d->d[i].msg, needle)))
			return (int)i;
	return -1;
}

START_TEST(man_page_examples_are_clean)
{
	char text[4096];
	size_t n;

	n = man_example("undertone.conf.5", text, sizeof(text));
	config_console_init(&cc, NULL, NULL);
	config_console_parse(&cc, text, n, "undertone.conf.5");
	ck_assert_msg(cc.diags.n == 0, "%u: %s", cc.diags.d[0].line, cc.diags.d[0].msg);
	ck_assert_str_eq(cc.theme, "colorblind");
	ck_assert_int_eq(config_console_action_for_key(&cc, 'A'), CONFIG_ACT_ACCEPT);
	ck_assert_int_eq(config_console_action_for_key(&cc, 'o'), CONFIG_ACT_DETAIL);
	n = man_example("undertone-analyzer.conf.5", text, sizeof(text));
	config_analyzer_init(&ca);
	config_analyzer_parse(&ca, text, n, "undertone-analyzer.conf.5");
	ck_assert_msg(ca.diags.n == 0, "%u: %s", ca.diags.d[0].line, ca.diags.d[0].msg);
	ck_assert_uint_eq(ca.abandon_timeout_ms, 600000);
}
END_TEST

START_TEST(console_defaults)
{
	int a;
	size_t i;

	config_console_init(&cc, "/xdg/data", "/home/u");
	ck_assert_str_eq(cc.feed, "tcp://127.0.0.1:7412");
	ck_assert_str_eq(cc.requests, "tcp://127.0.0.1:7413");
	ck_assert_str_eq(cc.theme, "default");
	ck_assert_uint_eq(cc.refresh_rate, 10);
	ck_assert_int_eq(cc.sparkline, CONFIG_SPARK_BRAILLE);
	ck_assert_uint_eq(cc.ncolumns, CONFIG_COL__COUNT);
	ck_assert_int_eq(cc.columns[0], CONFIG_COL_FLAG);
	ck_assert_uint_eq(cc.nsnooze, 4);
	ck_assert_uint_eq(cc.snooze[0], 300);
	ck_assert_uint_eq(cc.snooze[3], 3600);
	ck_assert_uint_ge(cc.nreasons, 5);
	ck_assert_uint_ge(cc.ntags, 2);
	ck_assert_str_eq(cc.decision_log, "/xdg/data/undertone/decisions.db");
	ck_assert_int_eq(cc.origin[CONFIG_C_DECISION_LOG].kind, CONFIG_FROM_ENV);
	ck_assert_str_eq(cc.origin[CONFIG_C_DECISION_LOG].detail, "XDG_DATA_HOME");
	ck_assert_int_eq(cc.origin[CONFIG_C_FEED].kind, CONFIG_FROM_DEFAULT);
	ck_assert_uint_eq(cc.diags.n, 0);
	/* Every action has a key and the defaults never conflict. */
	for (a = 0; a < CONFIG_ACT__COUNT; a++) {
		ck_assert_msg(cc.keys[a][0] != 0, "%s has no key", config_action_name(a));
		for (i = 0; i < CONFIG_KEYS_PER_ACTION && cc.keys[a][i]; i++)
			ck_assert_int_eq(config_console_action_for_key(&cc, cc.keys[a][i]), a);
	}
	ck_assert_int_eq(config_console_action_for_key(&cc, 'q'), CONFIG_ACT_QUIT);
	ck_assert_int_eq(config_console_action_for_key(&cc, 12), CONFIG_ACT_REDRAW);
	config_console_init(&cc, "relative", "/home/u");
	ck_assert_str_eq(cc.decision_log, "/home/u/.local/share/undertone/decisions.db");
	config_console_init(&cc, NULL, NULL);
	ck_assert_str_eq(cc.decision_log, "decisions.db");
	ck_assert_int_eq(cc.origin[CONFIG_C_DECISION_LOG].kind, CONFIG_FROM_DEFAULT);
}
END_TEST

START_TEST(console_file_values_and_origins)
{
	static const char text[] =
		"; console config\n"                                      /* 1 */
		"[endpoints]\n"                                           /* 2 */
		"feed = ipc:///tmp/ut-feed\n"                             /* 3 */
		"[console]\n"                                             /* 4 */
		"refresh_rate = 25\n"                                     /* 5 */
		"sparkline = ascii\n"                                     /* 6 */
		"columns = call, agent ,flag,reason\n"                    /* 7 */
		"snooze = 10m, 2h\n"                                      /* 8 */
		"display_name = \"Dana (floor 2)\"\n"                     /* 9 */
		"theme = colorblind\n"                                    /* 10 */
		"[security]\n"                                            /* 11 */
		"server_public_key = /etc/undertone/server.pub\n"         /* 12 */
		"[reasons]\n"                                             /* 13 */
		"handled = Being handled\n"                               /* 14 */
		"vip = \"VIP customer\"\n"                                /* 15 */
		"[tags]\n"                                                /* 16 */
		"refund = Refund follow-up\n";                            /* 17 */

	config_console_init(&cc, NULL, "/home/u");
	PARSE(text);
	ck_assert_msg(cc.diags.n == 0, "%u: %s", cc.diags.d[0].line, cc.diags.d[0].msg);
	ck_assert_str_eq(cc.feed, "ipc:///tmp/ut-feed");
	ck_assert_int_eq(cc.origin[CONFIG_C_FEED].kind, CONFIG_FROM_FILE);
	ck_assert_uint_eq(cc.origin[CONFIG_C_FEED].line, 3);
	ck_assert_uint_eq(cc.refresh_rate, 25);
	ck_assert_uint_eq(cc.origin[CONFIG_C_REFRESH_RATE].line, 5);
	ck_assert_int_eq(cc.sparkline, CONFIG_SPARK_ASCII);
	ck_assert_uint_eq(cc.ncolumns, 4);
	ck_assert_int_eq(cc.columns[0], CONFIG_COL_CALL);
	ck_assert_int_eq(cc.columns[3], CONFIG_COL_REASON);
	ck_assert_uint_eq(cc.nsnooze, 2);
	ck_assert_uint_eq(cc.snooze[1], 7200);
	ck_assert_str_eq(cc.display_name, "Dana (floor 2)");
	ck_assert_str_eq(cc.theme, "colorblind");
	ck_assert_str_eq(cc.server_public_key, "/etc/undertone/server.pub");
	/* A [reasons] section replaces the default list. */
	ck_assert_uint_eq(cc.nreasons, 2);
	ck_assert_str_eq(cc.reasons[1].code, "vip");
	ck_assert_str_eq(cc.reasons[1].label, "VIP customer");
	ck_assert_uint_eq(cc.origin[CONFIG_C_REASONS].line, 14);
	ck_assert_uint_eq(cc.ntags, 1);
	ck_assert_int_eq(cc.origin[CONFIG_C_REQUESTS].kind, CONFIG_FROM_DEFAULT);
}
END_TEST

START_TEST(console_bad_values_keep_defaults)
{
	static const char text[] =
		"[console]\n"                                 /* 1 */
		"refresh_rate = 0\n"                          /* 2: out of range */
		"refresh_rate = 10.5\n"                       /* 3: not whole */
		"refresh_rate = fast\n"                       /* 4 */
		"sparkline = fancy\n"                         /* 5 */
		"columns = flag,bogus\n"                      /* 6 */
		"colour = yes\n"                              /* 7: unknown key */
		"snooze = 10s\n"                              /* 8: below 1m */
		"display_name = a\x01" "b\n"                  /* 9: control */
		"[endpoints]\n"                               /* 10 */
		"feed = http://example.com\n"                 /* 11 */
		"requests = tcp://127.0.0.1:99999\n"          /* 12 */
		"this is not ini\n"                           /* 13 */
		"[nosuch]\n"                                  /* 14 */
		"x = 1\n"                                     /* 15 */
		"[reasons]\n"                                 /* 16 */
		"Bad Code = label\n"                          /* 17 */
		"empty =\n"                                   /* 18 */
		"[console\n";                                 /* 19: syntax */

	config_console_init(&cc, NULL, NULL);
	PARSE(text);
	ck_assert_int_ge(diag_on(&cc.diags, 2, "out of range"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 3, "whole number"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 4, NULL), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 5, "braille"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 6, "bogus"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 7, "unknown key"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 8, "out of range"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 9, "control"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 11, "endpoint"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 12, "endpoint"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 13, "syntax"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 15, "unknown section"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 17, "code"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 18, "empty"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 19, "syntax"), 0);
	ck_assert_uint_eq(cc.diags.n, 15);
	ck_assert_uint_eq(cc.refresh_rate, 10);
	ck_assert_int_eq(cc.origin[CONFIG_C_REFRESH_RATE].kind, CONFIG_FROM_DEFAULT);
	ck_assert_int_eq(cc.sparkline, CONFIG_SPARK_BRAILLE);
	ck_assert_uint_eq(cc.ncolumns, CONFIG_COL__COUNT);
	ck_assert_uint_eq(cc.nsnooze, 4);
	ck_assert_str_eq(cc.display_name, "");
	ck_assert_str_eq(cc.feed, "tcp://127.0.0.1:7412");
	ck_assert_uint_ge(cc.nreasons, 5);         /* no valid entry: defaults stay */
}
END_TEST

START_TEST(console_repeats_and_diag_cap)
{
	static const char text[] = "[console]\nrefresh_rate = 5\nrefresh_rate = 7\n";
	char big[8192];
	size_t i, n = 0;

	config_console_init(&cc, NULL, NULL);
	PARSE(text);
	ck_assert_uint_eq(cc.refresh_rate, 7);
	ck_assert_uint_eq(cc.origin[CONFIG_C_REFRESH_RATE].line, 3);
	ck_assert_int_ge(diag_on(&cc.diags, 3, "line 2"), 0);

	config_console_init(&cc, NULL, NULL);
	n += (size_t)snprintf(big, sizeof(big), "[console]\n");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "nope%zu = 1\n", i);
	config_console_parse(&cc, big, n, "big.conf");
	ck_assert_uint_eq(cc.diags.n, CONFIG_DIAG_MAX);
	ck_assert_uint_eq(cc.diags.dropped, 100 - CONFIG_DIAG_MAX);
}
END_TEST

START_TEST(key_syntax)
{
	char buf[CONFIG_KEY_NAME_MAX];

	ck_assert_int_eq(config_key_parse("a", 1), 'a');
	ck_assert_int_eq(config_key_parse("?", 1), '?');
	ck_assert_int_eq(config_key_parse("^L", 2), 12);
	ck_assert_int_eq(config_key_parse("C-l", 3), 12);
	ck_assert_int_eq(config_key_parse("up", 2), CONFIG_KEY_NAMED + CONFIG_NK_UP);
	ck_assert_int_eq(config_key_parse("PageDown", 8), CONFIG_KEY_NAMED + CONFIG_NK_PGDN);
	ck_assert_int_eq(config_key_parse("F12", 3), CONFIG_KEY_NAMED + CONFIG_NK_F12);
	ck_assert_int_eq(config_key_parse("^I", 2), CONFIG_KEY_NAMED + CONFIG_NK_TAB);
	ck_assert_int_eq(config_key_parse("^M", 2), CONFIG_KEY_NAMED + CONFIG_NK_ENTER);
	ck_assert_int_eq(config_key_parse("Space", 5), CONFIG_KEY_SPACE);
	ck_assert_int_eq(config_key_parse("\xc3\xa9", 2), 0xe9);
	ck_assert_int_eq(config_key_parse("ab", 2), -1);
	ck_assert_int_eq(config_key_parse("^1", 2), -1);
	ck_assert_int_eq(config_key_parse(" ", 1), -1);
	ck_assert_int_eq(config_key_parse("", 0), -1);
	ck_assert_int_eq(config_key_parse("F13", 3), -1);
	ck_assert_str_eq(config_key_format(12, buf, sizeof(buf)), "^L");
	ck_assert_str_eq(config_key_format(CONFIG_KEY_NAMED + CONFIG_NK_PGUP, buf, sizeof(buf)), "PgUp");
	ck_assert_str_eq(config_key_format('G', buf, sizeof(buf)), "G");
	ck_assert_str_eq(config_key_format(0xe9, buf, sizeof(buf)), "\xc3\xa9");
	ck_assert_str_eq(config_key_format(CONFIG_KEY_SPACE, buf, sizeof(buf)), "Space");
}
END_TEST

START_TEST(key_remap_and_conflicts)
{
	static const char text[] =
		"[keys]\n"                       /* 1 */
		"accept = a\n"                   /* 2: takes acknowledge's default */
		"dismiss = x X\n"                /* 3 */
		"snooze = x\n"                   /* 4: conflicts with line 3 */
		"quit = Q q\n"                   /* 5 */
		"teleport = w\n"                 /* 6: unknown action */
		"help = Hyper\n";                /* 7: unknown key */

	config_console_init(&cc, NULL, NULL);
	PARSE(text);
	ck_assert_int_eq(config_console_action_for_key(&cc, 'a'), CONFIG_ACT_ACCEPT);
	ck_assert_int_eq(cc.keys[CONFIG_ACT_ACKNOWLEDGE][0], 0);
	ck_assert_int_ge(diag_on(&cc.diags, 2, "acknowledge has no key"), 0);
	ck_assert_int_eq(config_console_action_for_key(&cc, 'x'), CONFIG_ACT_DISMISS);
	ck_assert_int_ge(diag_on(&cc.diags, 4, "conflict"), 0);
	ck_assert_int_eq(cc.keys[CONFIG_ACT_SNOOZE][0], 0);
	ck_assert_int_eq(config_console_action_for_key(&cc, 'Q'), CONFIG_ACT_QUIT);
	ck_assert_uint_eq(cc.key_origin[CONFIG_ACT_QUIT].line, 5);
	ck_assert_int_ge(diag_on(&cc.diags, 6, "unknown key"), 0);
	ck_assert_int_ge(diag_on(&cc.diags, 7, "Hyper"), 0);
	ck_assert_int_eq(config_console_action_for_key(&cc, '?'), CONFIG_ACT_HELP);
	/* Rebinding acknowledge by flag gives it a key again. */
	ck_assert_int_eq(config_console_set(&cc, "keys", "acknowledge", "A",
	    CONFIG_FROM_FLAG, "--key"), 0);
	ck_assert_int_eq(config_console_action_for_key(&cc, 'A'), CONFIG_ACT_ACKNOWLEDGE);
}
END_TEST

START_TEST(setter_flags_and_print)
{
	static const char text[] = "[console]\nrefresh_rate = 20\n";
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	config_console_init(&cc, "/xdg", NULL);
	PARSE(text);
	ck_assert_int_eq(config_console_set(&cc, "endpoints", "feed", "tcp://10.0.0.5:7412",
	    CONFIG_FROM_FLAG, "--feed"), 0);
	ck_assert_int_eq(cc.origin[CONFIG_C_FEED].kind, CONFIG_FROM_FLAG);
	ck_assert_int_eq(config_console_set(&cc, "console", "refresh_rate", "500",
	    CONFIG_FROM_FLAG, "--refresh"), -1);
	ck_assert_int_ge(diag_on(&cc.diags, 0, "--refresh"), 0);
	ck_assert_uint_eq(cc.refresh_rate, 20);
	ck_assert_int_eq(config_console_set(&cc, "console", "nosuch", "1",
	    CONFIG_FROM_FLAG, "--x"), -1);
	ck_assert_int_eq(config_console_set(&cc, "reasons", "flagged_by_qa", "QA asked",
	    CONFIG_FROM_FLAG, "--reason"), 0);
	ck_assert_uint_eq(cc.nreasons, 1);   /* replaces the default list */
	ck_assert_int_eq(config_console_set(&cc, "console", "display_name", "\" Dana \"",
	    CONFIG_FROM_FLAG, "--name"), 0);
	ck_assert_str_eq(cc.display_name, " Dana ");
	ck_assert_int_eq(config_console_set(&cc, "keys", "accept", "a", CONFIG_FROM_FLAG,
	    "--key"), 0);
	ck_assert_int_eq(cc.keys[CONFIG_ACT_ACKNOWLEDGE][0], 0);

	out = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(out);
	config_console_print(&cc, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "feed = tcp://10.0.0.5:7412 ; from flag --feed\n"));
	ck_assert_ptr_nonnull(strstr(buf, "refresh_rate = 20 ; from test.conf:2\n"));
	ck_assert_ptr_nonnull(strstr(buf, "requests = tcp://127.0.0.1:7413 ; from default\n"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "decision_log = /xdg/undertone/decisions.db ; from env XDG_DATA_HOME\n"));
	ck_assert_ptr_nonnull(strstr(buf, "snooze = 5m,15m,30m,1h ; from default\n"));
	ck_assert_ptr_nonnull(strstr(buf, "redraw = ^L ; from default\n"));
	ck_assert_ptr_nonnull(strstr(buf, "flagged_by_qa = QA asked\n"));
	ck_assert_ptr_nonnull(strstr(buf, "display_name = \" Dana \" ; from flag --name\n"));
	ck_assert_ptr_nonnull(strstr(buf, "; acknowledge = ; from default\n"));
	ck_assert_ptr_nonnull(strstr(buf, "accept = a ; from flag --key\n"));

	/* The printed configuration reads back to the same values; the only
	 * warning is the same key-less acknowledge the flags produced. */
	config_console_init(&cc, NULL, NULL);
	config_console_parse(&cc, buf, len, "printed");
	ck_assert_msg(cc.diags.n == 1, "%u: %s", cc.diags.d[0].line, cc.diags.d[0].msg);
	ck_assert_ptr_nonnull(strstr(cc.diags.d[0].msg, "acknowledge has no key"));
	ck_assert_str_eq(cc.feed, "tcp://10.0.0.5:7412");
	ck_assert_uint_eq(cc.refresh_rate, 20);
	ck_assert_str_eq(cc.decision_log, "/xdg/undertone/decisions.db");
	ck_assert_str_eq(cc.display_name, " Dana ");
	ck_assert_int_eq(config_console_action_for_key(&cc, 'a'), CONFIG_ACT_ACCEPT);
	free(buf);
}
END_TEST

START_TEST(config_path_choice)
{
	char p[CONFIG_PATH_MAX];
	struct config_origin o;

	ck_assert(config_console_path(p, sizeof(p), "/f.conf", "/e.conf", "/x", "/h", &o));
	ck_assert_str_eq(p, "/f.conf");
	ck_assert_int_eq(o.kind, CONFIG_FROM_FLAG);
	ck_assert(config_console_path(p, sizeof(p), NULL, "/e.conf", "/x", "/h", &o));
	ck_assert_str_eq(p, "/e.conf");
	ck_assert_str_eq(o.detail, "UNDERTONE_CONFIG");
	ck_assert(!config_console_path(p, sizeof(p), NULL, "", "/x", "/h", &o));
	ck_assert_str_eq(p, "/x/undertone/config");
	ck_assert(!config_console_path(p, sizeof(p), NULL, NULL, NULL, "/h", &o));
	ck_assert_str_eq(p, "/h/.config/undertone/config");
	ck_assert(!config_console_path(p, sizeof(p), NULL, NULL, NULL, NULL, &o));
	ck_assert_str_eq(p, "");
}
END_TEST

START_TEST(load_files)
{
	char path[] = "/tmp/ut-config-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;

	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fputs("[console]\ntheme = light\nrefresh_rate = 99\n", fp);
	fclose(fp);
	config_console_init(&cc, NULL, NULL);
	ck_assert_int_eq(config_console_load(&cc, path), 0);
	ck_assert_str_eq(cc.theme, "light");
	ck_assert_uint_eq(cc.diags.n, 1);
	ck_assert_uint_eq(cc.diags.d[0].line, 3);
	ck_assert_str_eq(cc.diags.file, path);
	unlink(path);
	config_console_init(&cc, NULL, NULL);
	ck_assert_int_eq(config_console_load(&cc, path), -1);
	ck_assert_uint_eq(cc.diags.d[0].line, 0);
	ck_assert_int_eq(config_console_load(&cc, "/tmp"), -1);
	config_analyzer_init(&ca);
	ck_assert_int_eq(config_analyzer_load(&ca, "/nonexistent/a.conf"), -1);
	ck_assert_uint_eq(ca.diags.n, 1);
}
END_TEST

START_TEST(oversized_input)
{
	size_t n = CONFIG_FILE_MAX + 4096, i;
	char *big = malloc(n);
	char path[] = "/tmp/ut-config-big-XXXXXX";
	int fd;
	FILE *fp;

	ck_assert_ptr_nonnull(big);
	/* Comment lines up to the limit, then a setting past it. */
	for (i = 0; i < n; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	memcpy(big + n - 40, "\n[console]\nrefresh_rate = 42\n", 29);
	config_console_init(&cc, NULL, NULL);
	config_console_parse(&cc, big, n - 11, "big.conf");
	ck_assert_int_ge(diag_on(&cc.diags, (unsigned)(CONFIG_FILE_MAX / 64 + 1), "too large"), 0);
	ck_assert_uint_eq(cc.refresh_rate, 10);

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	fp = fdopen(fd, "w");
	fwrite(big, 1, n, fp);
	fclose(fp);
	config_console_init(&cc, NULL, NULL);
	ck_assert_int_eq(config_console_load(&cc, path), -1);
	ck_assert_int_ge(diag_on(&cc.diags, 0, "too large"), 0);
	unlink(path);
	free(big);
}
END_TEST

START_TEST(analyzer_schema)
{
	static const char text[] =
		"[endpoints]\n"                       /* 1 */
		"ingest = ipc:///tmp/ut-in\n"         /* 2 */
		"[analyzer]\n"                        /* 3 */
		"trend_length = 240\n"                /* 4 */
		"coalesce_rate = 2.5\n"               /* 5 */
		"heartbeat_interval = 500ms\n"        /* 6 */
		"abandon_timeout = 2m\n"              /* 7 */
		"trend_length = 5000\n"               /* 8: > UT_TREND_MAX */
		"coalesce_rate = nan\n"               /* 9 */
		"[weights]\n"                         /* 10 */
		"escalation = 0.4\n"                  /* 11 */
		"mood = 1\n"                          /* 12: unknown */
		"voice = -1\n"                        /* 13: < 0 */
		"[limits]\n"                          /* 14 */
		"max_calls = 0\n";                    /* 15 */
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out;

	config_analyzer_init(&ca);
	ck_assert_str_eq(ca.ingest, "tcp://127.0.0.1:7411");
	ck_assert_str_eq(ca.publish, "tcp://127.0.0.1:7412");
	ck_assert_str_eq(ca.requests, "tcp://127.0.0.1:7413");
	ck_assert_uint_eq(ca.trend_length, 120);
	ck_assert(ca.coalesce_rate == 4.0);
	ck_assert_uint_eq(ca.heartbeat_ms, 1000);
	ck_assert_str_eq(ca.policy, "");
	for (i = 0; i < UT_FC__COUNT; i++)
		ck_assert(ca.weights[i] < 0);
	config_analyzer_parse(&ca, text, sizeof(text) - 1, "an.conf");
	ck_assert_str_eq(ca.ingest, "ipc:///tmp/ut-in");
	ck_assert_uint_eq(ca.trend_length, 240);
	ck_assert(ca.coalesce_rate == 2.5);
	ck_assert_uint_eq(ca.heartbeat_ms, 500);
	ck_assert_uint_eq(ca.abandon_timeout_ms, 120000);
	ck_assert(ca.weights[UT_FC_ESCALATION] == 0.4);
	ck_assert(ca.weights[UT_FC_VOICE] < 0);
	ck_assert_uint_eq(ca.max_calls, 20000);
	ck_assert_int_ge(diag_on(&ca.diags, 8, "out of range"), 0);
	ck_assert_int_ge(diag_on(&ca.diags, 9, NULL), 0);
	ck_assert_int_ge(diag_on(&ca.diags, 12, "unknown key"), 0);
	ck_assert_int_ge(diag_on(&ca.diags, 13, NULL), 0);
	ck_assert_int_ge(diag_on(&ca.diags, 15, "out of range"), 0);
	ck_assert_uint_eq(ca.origin[CONFIG_A_TREND_LENGTH].line, 4);
	ck_assert_int_eq(config_analyzer_set(&ca, "analyzer", "trend_length", "60",
	    CONFIG_FROM_FLAG, "--trend-len"), 0);
	ck_assert_int_eq(ca.origin[CONFIG_A_TREND_LENGTH].kind, CONFIG_FROM_FLAG);

	out = open_memstream(&buf, &len);
	config_analyzer_print(&ca, out);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(buf, "trend_length = 60 ; from flag --trend-len\n"));
	ck_assert_ptr_nonnull(strstr(buf, "heartbeat_interval = 500ms ; from an.conf:6\n"));
	ck_assert_ptr_nonnull(strstr(buf, "abandon_timeout = 2m ; from an.conf:7\n"));
	ck_assert_ptr_nonnull(strstr(buf, "escalation = 0.4 ; from an.conf:11\n"));
	ck_assert_ptr_nonnull(strstr(buf, "; voice = (from the policy)\n"));
	ck_assert_ptr_nonnull(strstr(buf, "publish = tcp://127.0.0.1:7412 ; from default\n"));
	/* Weight keys are model.h's component names. */
	for (i = 0; i < UT_FC__COUNT; i++) {
		char needle[64];
		snprintf(needle, sizeof(needle), "%s = ", model_component_name((enum ut_component)i));
		ck_assert_msg(strstr(buf, needle) != NULL, "missing weight %s", needle);
	}
	free(buf);
}
END_TEST

START_TEST(value_parsers)
{
	uint64_t ms;

	ck_assert_int_eq(config_parse_duration_ms("250ms", &ms), 0);
	ck_assert_uint_eq(ms, 250);
	ck_assert_int_eq(config_parse_duration_ms("30s", &ms), 0);
	ck_assert_uint_eq(ms, 30000);
	ck_assert_int_eq(config_parse_duration_ms("5m", &ms), 0);
	ck_assert_uint_eq(ms, 300000);
	ck_assert_int_eq(config_parse_duration_ms("1h", &ms), 0);
	ck_assert_uint_eq(ms, 3600000);
	ck_assert_int_eq(config_parse_duration_ms("2", &ms), 0);
	ck_assert_uint_eq(ms, 2000);
	ck_assert_int_eq(config_parse_duration_ms("1.5s", &ms), 0);
	ck_assert_uint_eq(ms, 1500);
	ck_assert_int_eq(config_parse_duration_ms("-1s", &ms), -1);
	ck_assert_int_eq(config_parse_duration_ms("5 m", &ms), -1);
	ck_assert_int_eq(config_parse_duration_ms("5d", &ms), -1);
	ck_assert_int_eq(config_parse_duration_ms("", &ms), -1);
	ck_assert_int_eq(config_parse_duration_ms("1e300", &ms), -1);
	ck_assert_int_eq(config_parse_duration_ms("inf", &ms), -1);

	ck_assert_int_eq(config_check_endpoint("tcp://127.0.0.1:7411"), 0);
	ck_assert_int_eq(config_check_endpoint("tcp://*:7411"), 0);
	ck_assert_int_eq(config_check_endpoint("tcp://[::1]:7411"), 0);
	ck_assert_int_eq(config_check_endpoint("tcp://eth0;10.0.0.1:7411"), 0);
	ck_assert_int_eq(config_check_endpoint("ipc:///tmp/x"), 0);
	ck_assert_int_eq(config_check_endpoint("inproc://a"), 0);
	ck_assert_int_eq(config_check_endpoint("tcp://host:0"), -1);
	ck_assert_int_eq(config_check_endpoint("tcp://host:65536"), -1);
	ck_assert_int_eq(config_check_endpoint("tcp://host"), -1);
	ck_assert_int_eq(config_check_endpoint("tcp://:1"), -1);
	ck_assert_int_eq(config_check_endpoint("tcp://a b:1"), -1);
	ck_assert_int_eq(config_check_endpoint("http://x:80"), -1);
	ck_assert_int_eq(config_check_endpoint("ipc://"), -1);
	ck_assert_int_eq(config_check_endpoint(""), -1);
	{
		char longipc[200];
		memset(longipc, 'a', sizeof(longipc) - 1);
		memcpy(longipc, "ipc://", 6);
		longipc[sizeof(longipc) - 1] = '\0';
		ck_assert_int_eq(config_check_endpoint(longipc), -1);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, console_defaults);
	tcase_add_test(tc, console_file_values_and_origins);
	tcase_add_test(tc, console_bad_values_keep_defaults);
	tcase_add_test(tc, console_repeats_and_diag_cap);
	tcase_add_test(tc, key_syntax);
	tcase_add_test(tc, key_remap_and_conflicts);
	tcase_add_test(tc, setter_flags_and_print);
	tcase_add_test(tc, config_path_choice);
	tcase_add_test(tc, load_files);
	tcase_add_test(tc, oversized_input);
	tcase_add_test(tc, analyzer_schema);
	tcase_add_test(tc, value_parsers);
	tcase_add_test(tc, man_page_examples_are_clean);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
