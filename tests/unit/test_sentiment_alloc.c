/*
 * Proves the hot path allocates nothing: the program is linked with
 * -Wl,--wrap for malloc, calloc, realloc and free, so every call from the
 * undertone code is counted. After the built-in lexicon exists, scoring
 * (with and without an explanation) must not change the counts.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>
#include "undertone/sentiment.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static size_t allocs, frees;

void *__wrap_malloc(size_t n) { allocs++; return __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t m) { allocs++; return __real_calloc(n, m); }
void *__wrap_realloc(void *p, size_t n) { allocs++; return __real_realloc(p, n); }
void __wrap_free(void *p) { frees++; __real_free(p); }

static const char *const texts[] = {
	"I was charged twice and it's STILL not working!!!",
	"That fixed it, thanks so much :)",
	"not bad, kind of slow but the agent was really helpful \xf0\x9f\x91\x8d",
	"Why?? Why does this keep happening? I want to speak to a manager",
	"",
	"caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d 3.50 10:30",
};

START_TEST(no_allocation_per_utterance)
{
	const struct lexicon *lex = lexicon_builtin();
	struct sentiment_result r;
	struct sentiment_explain ex;
	char buf[512];
	size_t i, round, a0, f0, a1, f1;
	int bad = 0;

	/* A wrapped call is counted: the counter itself works. */
	a0 = allocs;
	__wrap_free(__wrap_malloc(16));
	ck_assert_uint_eq(allocs, a0 + 1);
	a0 = allocs;
	f0 = frees;
	/* No Check assertions inside the loop: Check itself may allocate. */
	for (round = 0; round < 1000; round++)
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
			bad |= sentiment_score(lex, texts[i], strlen(texts[i]),
			    &r, (round & 1) ? &ex : NULL) != SENTIMENT_OK;
			if (round & 1)
				sentiment_explain_format(&ex, buf, sizeof(buf));
		}
	a1 = allocs;
	f1 = frees;
	ck_assert_int_eq(bad, 0);
	ck_assert_uint_eq(a1, a0);
	ck_assert_uint_eq(f1, f0);
}
END_TEST

START_TEST(loading_does_allocate)
{
	/* The wrap really sees the library's allocations (not a vacuous pass). */
	struct lexicon_report rep;
	size_t a0 = allocs;
	struct lexicon *l = lexicon_load_buffer("x\t1\n", 4, LEXICON_REPLACE, &rep);

	ck_assert_ptr_nonnull(l);
	ck_assert_uint_gt(allocs, a0);
	lexicon_free(l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sentiment_alloc");
	TCase *tc = tcase_create("alloc");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, no_allocation_per_utterance);
	tcase_add_test(tc, loading_does_allocate);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
