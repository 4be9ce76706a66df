/*
 * libFuzzer target: console and analyzer configuration parsing, printing
 * and re-reading, and the key-binding invariants.
 *
 * Build by hand (not wired into make yet), from the source tree:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Iinclude tests/fuzz/fuzz_config.c src/core/config.c \
 *     src/core/config_console.c src/core/config_analyzer.c src/core/config_ini.c \
 *     src/core/utf8.c src/core/model.c -linih -lm -o fuzz_config
 *   ./fuzz_config -max_total_time=60
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config_console cc, cc2;
static struct config_analyzer ca;

/* No key may be bound to two actions after loading. */
static void
check_keys(const struct config_console *c)
{
	int a;
	size_t i;

	for (a = 0; a < CONFIG_ACT__COUNT; a++)
		for (i = 0; i < CONFIG_KEYS_PER_ACTION && c->keys[a][i]; i++)
			if (config_console_action_for_key(c, c->keys[a][i]) != a)
				abort();
}

static void
check_console(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	config_console_init(&cc, "/xdg", "/home/f");
	config_console_parse(&cc, s, n, "fuzz.conf");
	if (cc.diags.n > CONFIG_DIAG_MAX || cc.ncolumns == 0 || cc.nsnooze == 0 ||
	    cc.refresh_rate < 1 || cc.refresh_rate > 60)
		abort();
	check_keys(&cc);
	/* Printing then re-reading keeps the scalar values. */
	out = open_memstream(&buf, &len);
	if (!out)
		return;
	config_console_print(&cc, out);
	fclose(out);
	config_console_init(&cc2, NULL, NULL);
	config_console_parse(&cc2, buf, len, "printed");
	if (cc2.refresh_rate != cc.refresh_rate || cc2.sparkline != cc.sparkline ||
	    strcmp(cc2.feed, cc.feed) != 0 || cc2.ncolumns != cc.ncolumns)
		abort();
	free(buf);
}

static void
check_analyzer(const char *s, size_t n)
{
	FILE *out = fopen("/dev/null", "w");

	config_analyzer_init(&ca);
	config_analyzer_parse(&ca, s, n, "fuzz.conf");
	if (ca.trend_length < 8 || ca.trend_length > UT_TREND_MAX || !(ca.coalesce_rate >= 0.1))
		abort();
	if (out) {
		config_analyzer_print(&ca, out);
		fclose(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint64_t ms;
	char line[64];

	check_console(s, size);
	check_analyzer(s, size);
	config_key_parse(s, size < 16 ? size : 16);
	if (size < sizeof(line)) {
		memcpy(line, s, size);
		line[size] = '\0';
		config_parse_duration_ms(line, &ms);
		config_check_endpoint(line);
	}
	return 0;
}
