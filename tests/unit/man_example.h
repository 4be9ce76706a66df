/*
 * man_example: test helper shared by the theme and config unit tests, which
 * hold the man pages' EXAMPLE blocks to the parsers so they cannot go stale.
 */
#ifndef UT_TEST_MAN_EXAMPLE_H
#define UT_TEST_MAN_EXAMPLE_H

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The EXAMPLE block (.EX to .EE) of a man page, with roff's "\\-" as "-". */
static inline size_t
man_example(const char *page, char *out, size_t outsz)
{
	char path[4096], line[512];
	size_t n = 0;
	bool in = false;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/doc/%s", UT_SRCDIR, page);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, ".EX", 3) == 0) {
			in = true;
			continue;
		}
		if (strncmp(line, ".EE", 3) == 0)
			break;
		for (char *p = line; in && *p && n + 1 < outsz; p++) {
			if (p[0] == '\\' && p[1] == '-')
				p++;
			out[n++] = *p;
		}
	}
	fclose(fp);
	out[n] = '\0';
	ck_assert_uint_gt(n, 0);
	return n;
}

#endif
