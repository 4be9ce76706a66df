/*
 * Holds the built-in lexicon to tests/data/support_utterances.tsv, 300+
 * customer-support utterances labelled by hand. Thresholds (documented in
 * doc/sentiment.md): at least 90% of labels agree, and at most 1% are of the
 * opposite polarity (positive scored negative or the reverse). Misses are
 * printed so a lexicon change that regresses is easy to see.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/sentiment.h"
#include "ut_check.h"

#define MIN_AGREE    0.90
#define MAX_OPPOSITE 0.01

static FILE *
open_data(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];

	snprintf(path, sizeof(path), "%s/tests/data/support_utterances.tsv",
	    top && *top ? top : UT_SRCDIR);
	return fopen(path, "r");
}

static int
parse_label(const char *s, size_t len)
{
	if (len == 8 && memcmp(s, "negative", 8) == 0) return SENTIMENT_NEGATIVE;
	if (len == 7 && memcmp(s, "neutral", 7) == 0) return SENTIMENT_NEUTRAL;
	if (len == 8 && memcmp(s, "positive", 8) == 0) return SENTIMENT_POSITIVE;
	return -1;
}

START_TEST(support_utterances)
{
	FILE *f = open_data();
	char line[SENTIMENT_TEXT_MAX + 64], *tab;
	size_t n = 0, agree = 0, opposite = 0, len, per[3] = { 0, 0, 0 };
	struct sentiment_result r;
	int want;

	ck_assert_msg(f != NULL, "cannot open support_utterances.tsv");
	while (fgets(line, sizeof(line), f)) {
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		ck_assert_msg(tab != NULL, "line without a tab: %s", line);
		want = parse_label(line, (size_t)(tab - line));
		ck_assert_msg(want >= 0, "bad label: %s", line);
		ck_assert_int_eq(sentiment_score(lexicon_builtin(), tab + 1,
		    strlen(tab + 1), &r, NULL), SENTIMENT_OK);
		n++;
		per[want]++;
		if ((int)r.label == want) {
			agree++;
			continue;
		}
		if (want != SENTIMENT_NEUTRAL && r.label != SENTIMENT_NEUTRAL)
			opposite++;
		printf("miss: want %s got %s (%+.3f): %s\n", sentiment_label_name(want),
		    sentiment_label_name(r.label), r.compound, tab + 1);
	}
	fclose(f);
	printf("support utterances: %zu/%zu agree (%.1f%%), %zu opposite\n",
	    agree, n, 100.0 * (double)agree / (double)n, opposite);
	ck_assert_uint_ge(n, 300);
	ck_assert_uint_ge(per[SENTIMENT_NEGATIVE], 50);
	ck_assert_uint_ge(per[SENTIMENT_NEUTRAL], 50);
	ck_assert_uint_ge(per[SENTIMENT_POSITIVE], 50);
	ck_assert((double)agree >= MIN_AGREE * (double)n);
	ck_assert((double)opposite <= MAX_OPPOSITE * (double)n);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sentiment_support");
	TCase *tc = tcase_create("support");

	tcase_add_test(tc, support_utterances);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
