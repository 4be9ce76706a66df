/* Unit tests for sentiment: each rule's effect pinned on a small lexicon
 * whose valences are known, plus lexicon loading, errors and explanations. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/lexicon.h"
#include "undertone/sentiment.h"
#include "ut_check.h"

static const char test_lexicon[] =
	"# test lexicon\n"
	"good\t2.0\n"
	"bad\t-2.0\n"
	"happy\t3.0\n"
	"faint\t0.2\n"
	"fainter\t0.19\n"
	"charged twice\t-2.5\n"
	"not bad\t0\n"
	"no problem\t0\n"
	"nothing but\t0\n"
	"haha\t1.0\n"
	"super\t2.5\n"
	"no\t-1.0\n"
	":(\t-1.5\n"
	":)\t1.5\n";

static struct lexicon *lex;

static void
setup(void)
{
	struct lexicon_report rep;

	lex = lexicon_load_buffer(test_lexicon, sizeof(test_lexicon) - 1,
	    LEXICON_REPLACE, &rep);
	ck_assert_ptr_nonnull(lex);
	ck_assert_uint_eq(rep.nbad, 0);
}

static void
teardown(void)
{
	lexicon_free(lex);
}

static double
norm(double x)
{
	return x / sqrt(x * x + 15.0);
}

static struct sentiment_result
score(const char *s)
{
	struct sentiment_result r;

	ck_assert_int_eq(sentiment_score(lex, s, strlen(s), &r, NULL), SENTIMENT_OK);
	return r;
}

static struct sentiment_result
score_with(const struct lexicon *l, const char *s)
{
	struct sentiment_result r;

	ck_assert_int_eq(sentiment_score(l, s, strlen(s), &r, NULL), SENTIMENT_OK);
	return r;
}

#define ASSERT_COMPOUND(text, sum) \
	ck_assert_double_eq_tol(score(text).compound, norm(sum), 1e-6)

START_TEST(plain_valence_and_normalisation)
{
	struct sentiment_result r = score("a good day");

	ck_assert_double_eq_tol(r.compound, norm(2.0), 1e-9);
	/* "a" is dropped (one byte), "good" counts 2+1, "day" 1 neutral. */
	ck_assert_double_eq_tol(r.pos, 3.0 / 4.0, 1e-9);
	ck_assert_double_eq_tol(r.neu, 1.0 / 4.0, 1e-9);
	ck_assert_double_eq_tol(r.neg, 0.0, 1e-9);
	ck_assert_int_eq(r.label, SENTIMENT_POSITIVE);
	r = score("happy happy happy happy happy happy happy happy happy happy");
	ck_assert(r.compound > 0.99 && r.compound < 1.0);  /* bounded by normalisation */
	r = score("");
	ck_assert_double_eq(r.compound, 0);
	ck_assert_double_eq(r.pos + r.neu + r.neg, 0);
	ck_assert_int_eq(r.label, SENTIMENT_NEUTRAL);
}
END_TEST

START_TEST(label_thresholds)
{
	/* 0.2 normalises to 0.0516 (> 0.05), 0.19 to 0.0490 (<= 0.05). */
	ck_assert_int_eq(score("faint").label, SENTIMENT_POSITIVE);
	ck_assert_int_eq(score("fainter").label, SENTIMENT_NEUTRAL);
	ck_assert_int_eq(score("bad").label, SENTIMENT_NEGATIVE);
	ck_assert_str_eq(sentiment_label_name(SENTIMENT_NEGATIVE), "negative");
}
END_TEST

START_TEST(negation)
{
	ASSERT_COMPOUND("not good", 2.0 * -0.74);
	ASSERT_COMPOUND("isn't good", 2.0 * -0.74);        /* n't contraction */
	ASSERT_COMPOUND("wasnt good", 2.0 * -0.74);
	ASSERT_COMPOUND("never good", 2.0 * -0.74);
	ASSERT_COMPOUND("without bad", -2.0 * -0.74);
	ASSERT_COMPOUND("not even good", (2.0 + 0.15) * -0.74); /* "even" boosts a little */
	ASSERT_COMPOUND("not the food good", 2.0 * -0.74);  /* distance 3 */
	ASSERT_COMPOUND("not the big red good", 2.0);       /* distance 4: out of the window */
	ASSERT_COMPOUND("not, good", 2.0);                  /* clause punctuation stops it */
	ASSERT_COMPOUND("never so good", (2.0 + 0.293) * 1.25); /* emphasis, not negation... */
	ASSERT_COMPOUND("without doubt good", 2.0);         /* ...and no flip */
	ASSERT_COMPOUND("least good", 2.0 * -0.74);
	ASSERT_COMPOUND("at least good", 2.0);
	/* A negator the lexicon rates counts once: as the negation when it
	 * negates, as a word when it does not. */
	ASSERT_COMPOUND("no good", 2.0 * -0.74);
	ASSERT_COMPOUND("no, good", -1.0 + 2.0);
	ASSERT_COMPOUND("no", -1.0);
	ASSERT_COMPOUND("no the good", 2.0 * -0.74);        /* "no" reaches two words... */
	ASSERT_COMPOUND("no the old good", -1.0 + 2.0);     /* ...not three */
	ASSERT_COMPOUND("not the old good", 2.0 * -0.74);   /* other negators do */
	/* "But" meaning "except": "anything but" and "far from" are negator
	 * phrases (modifiers.tsv, in force with any lexicon); a zero-rated
	 * "nothing but" hides its negator. Neither "but" is a contrast. */
	ASSERT_COMPOUND("anything but good", 2.0 * -0.74);
	ASSERT_COMPOUND("far from good", 2.0 * -0.74);
	ASSERT_COMPOUND("anything good", 2.0);              /* "anything" alone is no negator */
	ASSERT_COMPOUND("nothing good", 2.0 * -0.74);
	ASSERT_COMPOUND("nothing but good", 2.0);
	ASSERT_COMPOUND("bad nothing but good", -2.0 + 2.0); /* no x0.5 / x1.5 */
	ASSERT_COMPOUND("bad anything but good", -2.0 + 2.0 * -0.74);
	/* Emoticons and emoji are outside a negator's reach. */
	ASSERT_COMPOUND("still no cheque :(", -1.5 - 1.0);
	ASSERT_COMPOUND("not :)", 1.5);
}
END_TEST

START_TEST(boosters_and_dampeners)
{
	ASSERT_COMPOUND("very good", 2.293);
	ASSERT_COMPOUND("extremely bad", -2.293);           /* sign follows the valence */
	ASSERT_COMPOUND("barely good", 2.0 - 0.293);
	ASSERT_COMPOUND("kind of good", 2.0 - 0.293);       /* two-word dampener */
	ASSERT_COMPOUND("very the good", 2.0 + 0.293 * 0.95);
	ASSERT_COMPOUND("very the old good", 2.0 + 0.293 * 0.9);
	ASSERT_COMPOUND("really very good", 2.0 + 0.293 + 0.293 * 0.95);
	ASSERT_COMPOUND("very", 0.0);                       /* no valence of its own */
	/* A booster the lexicon rates is a sentiment word, as in VADER: it
	 * scores and boosts nothing (it used to do neither). */
	ASSERT_COMPOUND("super", 2.5);
	ASSERT_COMPOUND("super good", 2.5 + 2.0);
	ASSERT_COMPOUND("super the thing", 2.5);
}
END_TEST

START_TEST(contrast)
{
	ASSERT_COMPOUND("good but bad", 2.0 * 0.5 - 2.0 * 1.5);
	ASSERT_COMPOUND("bad but good", -2.0 * 0.5 + 2.0 * 1.5);
	ASSERT_COMPOUND("good however happy", 2.0 * 0.5 + 3.0 * 1.5);
}
END_TEST

START_TEST(punctuation_emphasis)
{
	ASSERT_COMPOUND("good!", 2.0 + 0.292);
	ASSERT_COMPOUND("good!!!!!!!", 2.0 + 4 * 0.292);    /* capped at four */
	ASSERT_COMPOUND("bad!!", -2.0 - 2 * 0.292);         /* amplifies either sign */
	ASSERT_COMPOUND("good?", 2.0);                      /* one '?' adds nothing */
	ASSERT_COMPOUND("good??", 2.0 + 2 * 0.18);
	ASSERT_COMPOUND("good????", 2.0 + 0.96);
	ASSERT_COMPOUND("day!!!", 0.0);                     /* nothing to amplify */
}
END_TEST

START_TEST(caps_emphasis)
{
	ASSERT_COMPOUND("GOOD day", 2.0 + 0.733);
	ASSERT_COMPOUND("BAD day", -2.0 - 0.733);
	ASSERT_COMPOUND("GOOD DAY", 2.0);                   /* no lower case: no contrast */
	ASSERT_COMPOUND("VERY good day", 2.0 + 0.293 + 0.733);  /* capitalised booster */
}
END_TEST

START_TEST(phrases)
{
	ASSERT_COMPOUND("you charged twice", -2.5);
	ASSERT_COMPOUND("not bad", 0.0);                    /* neutral despite the words */
	ASSERT_COMPOUND("no problem", 0.0);
	ASSERT_COMPOUND("no problem good", 2.0);            /* a phrase is no negator */
	ASSERT_COMPOUND("charged, twice", 0.0);             /* phrases do not span punctuation */
	ASSERT_COMPOUND("very charged twice", -2.793);      /* rules apply to phrases */
	ASSERT_COMPOUND("thanks :)", 1.5);                  /* emoticons are words */
}
END_TEST

START_TEST(stretched_words)
{
	ASSERT_COMPOUND("goooood day", 2.0 + 0.293);        /* squeezed to "good", emphasised */
	ASSERT_COMPOUND("baaaad day", -2.0 - 0.293);
	ASSERT_COMPOUND("goood", 2.0 + 0.293);              /* three letters are enough */
	ASSERT_COMPOUND("sooo good", 2.0 + 0.293);          /* a stretched booster boosts */
	ASSERT_COMPOUND("nooot good", 2.0 * -0.74);         /* and a stretched negator negates */
	ASSERT_COMPOUND("goodd", 0.0);                      /* two letters are a spelling, not emphasis */
	ASSERT_COMPOUND("GOOOOD day", 2.0 + 0.733 + 0.293); /* caps and stretch add up */
}
END_TEST

START_TEST(laughter)
{
	/* Laughter of any length reads as the lexicon's "haha". */
	ASSERT_COMPOUND("hahahahaha", 1.0);
	ASSERT_COMPOUND("ahahah bahaha", 2.0);
	ASSERT_COMPOUND("muahaha", 1.0);
	ASSERT_COMPOUND("hehehe", 1.0);
	ASSERT_COMPOUND("hahe", 0.0);      /* one vowel throughout */
	ASSERT_COMPOUND("aha", 0.0);       /* at least two "h"+vowel */
	ASSERT_COMPOUND("hawaii", 0.0);
	ASSERT_COMPOUND("not hahaha", 1.0 * -0.74);  /* rules apply as to any word */
}
END_TEST

START_TEST(links_and_handles)
{
	/* Nothing inside a link or handle is scored: ":/" of http:// is no emoticon. */
	ASSERT_COMPOUND("see http://bad.example/good:)", 0.0);
	ASSERT_COMPOUND("good www.bad.example", 2.0);
	ASSERT_COMPOUND("@bad good", 2.0);
	ASSERT_COMPOUND("not @someone good", 2.0 * -0.74);  /* a handle is no word in the window */
	ASSERT_COMPOUND("charged @x twice", 0.0);           /* nor does it join a phrase */
}
END_TEST

START_TEST(explanation)
{
	struct sentiment_result r;
	struct sentiment_explain ex;
	char buf[256];

	ck_assert_int_eq(sentiment_score(lex, "not good but VERY bad!", 22, &r, &ex), 0);
	ck_assert_uint_eq(ex.nitems, 2);
	ck_assert_str_eq(ex.items[0].text, "good");
	ck_assert_double_eq_tol(ex.items[0].base, 2.0, 1e-6);
	ck_assert_double_eq_tol(ex.items[0].value, 2.0 * -0.74 * 0.5, 1e-6);
	ck_assert_uint_eq(ex.items[0].rules, SENTIMENT_R_NEGATED | SENTIMENT_R_BUT_LOW);
	ck_assert_str_eq(ex.items[1].text, "bad");
	ck_assert_uint_eq(ex.items[1].rules, SENTIMENT_R_BOOSTED | SENTIMENT_R_BUT_HIGH);
	ck_assert_double_eq_tol(ex.punct, -0.292, 1e-9);
	sentiment_explain_format(&ex, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\"good\" +2.0->-0.7 (negated, before but x0.5); "
	    "\"bad\" -2.0->-4.5 (boosted, after but x1.5); ! -0.29");
	/* Clipped output stays NUL-terminated and reports the needed size. */
	ck_assert_uint_gt(sentiment_explain_format(&ex, buf, 10), 9);
	ck_assert_uint_eq(strlen(buf), 9);
	ck_assert_int_eq(sentiment_score(lex, "day", 3, &r, &ex), 0);
	sentiment_explain_format(&ex, buf, sizeof(buf));
	ck_assert_str_eq(buf, "no scoring words");
	ck_assert_int_eq(sentiment_score(lex, "charged twice", 13, &r, &ex), 0);
	ck_assert_str_eq(ex.items[0].text, "charged twice");
	ck_assert_uint_eq(ex.items[0].rules, SENTIMENT_R_PHRASE);
}
END_TEST

START_TEST(errors)
{
	struct sentiment_result r;
	static char big[SENTIMENT_TEXT_MAX + 1];

	ck_assert_int_eq(sentiment_score(lex, "bad \xc3", 5, &r, NULL), SENTIMENT_EUTF8);
	memset(big, 'a', sizeof(big));
	ck_assert_int_eq(sentiment_score(lex, big, sizeof(big), &r, NULL), SENTIMENT_ETOOLONG);
	ck_assert_int_eq(sentiment_score(lex, big, sizeof(big) - 1, &r, NULL), SENTIMENT_OK);
	ck_assert_int_eq(sentiment_score(NULL, "x", 1, &r, NULL), SENTIMENT_EARG);
	ck_assert_int_eq(sentiment_score(lex, "x", 1, NULL, NULL), SENTIMENT_EARG);
	ck_assert_str_eq(sentiment_status_message(SENTIMENT_EUTF8), "invalid UTF-8");
}
END_TEST

START_TEST(lexicon_file_errors)
{
	static const char bad[] =
		"ok\t1.5\textra\tcolumns\n"      /* 1: fine, extra columns ignored */
		"notab 1.0\n"                    /* 2: no tab */
		"word\tabc\n"                    /* 3: not a number */
		"big\t4.5\n"                     /* 4: out of range */
		"\t1.0\n"                        /* 5: empty token */
		"ok\t2.0\n"                      /* 6: duplicate, later wins */
		"a b c d e f g\t1.0\n"           /* 7: too many words */
		"inf\tinf\n"                     /* 8: not finite */
		"bad\xff\t1.0\n"                 /* 9: not UTF-8 */
		"Upper Case\t-1.0\r\n";          /* 10: folded, CRLF */
	struct lexicon_report rep;
	struct lexicon *l = lexicon_load_buffer(bad, sizeof(bad) - 1, LEXICON_REPLACE, &rep);
	double v;

	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(rep.lines, 10);
	ck_assert_uint_eq(rep.entries, 2);
	ck_assert_uint_eq(rep.bad[LEXICON_LE_NO_TAB], 1);
	ck_assert_uint_eq(rep.bad[LEXICON_LE_BAD_NUMBER], 2);
	ck_assert_uint_eq(rep.bad[LEXICON_LE_RANGE], 1);
	ck_assert_uint_eq(rep.bad[LEXICON_LE_TOKEN], 3);
	ck_assert_uint_eq(rep.bad[LEXICON_LE_DUPLICATE], 1);
	ck_assert_uint_eq(rep.nbad, 8);
	ck_assert_uint_eq(rep.line[0], 2);
	ck_assert_int_eq(rep.kind[0], LEXICON_LE_NO_TAB);
	ck_assert(lexicon_lookup(l, "ok", 2, &v) && v == 2.0);
	ck_assert(lexicon_lookup(l, "upper case", 10, &v) && v == -1.0);
	ck_assert(!lexicon_lookup(l, "good", 4, &v));       /* replace: no built-in */
	ck_assert(strncmp(lexicon_version(l), "file-", 5) == 0);
	ck_assert_uint_eq(strlen(lexicon_version(l)), 17);
	lexicon_free(l);
	ck_assert_ptr_null(lexicon_load_buffer("# nothing\n", 10, LEXICON_REPLACE, &rep));
	ck_assert_str_eq(rep.error, "no valid entries");
	ck_assert_ptr_null(lexicon_load_file("/nonexistent/lexicon.txt", LEXICON_REPLACE, &rep));
	ck_assert(strstr(rep.error, "No such file") != NULL);
}
END_TEST

START_TEST(lexicon_builtin_and_extend)
{
	const struct lexicon *b = lexicon_builtin();
	struct lexicon_report rep;
	struct lexicon *l;
	double v;

	ck_assert_ptr_eq(b, lexicon_builtin());
	ck_assert_uint_gt(lexicon_size(b), 3000);
	ck_assert(strncmp(lexicon_version(b), "builtin-", 8) == 0);
	ck_assert(lexicon_lookup(b, "unacceptable", 12, &v) && v < -2);
	ck_assert(lexicon_lookup(b, "charged twice", 13, &v) && v < -2);
	ck_assert(lexicon_lookup(b, "no problem", 10, &v) && v == 0);
	ck_assert_uint_ge(lexicon_phrase_span(b, "charged", 7), 2);
	/* Each "n't" entry also stands for its apostrophe-less chat spelling. */
	{
		double with, without;

		ck_assert(lexicon_lookup(b, "doesn't work", 12, &with) && with < -2);
		ck_assert(lexicon_lookup(b, "doesnt work", 11, &without) && without == with);
		ck_assert_double_eq(score_with(b, "the code doesnt work").compound,
		    score_with(b, "the code doesn't work").compound);
		ck_assert(!lexicon_lookup(b, "its", 3, &v) || v == 0);   /* not from "it's" */
	}
	l = lexicon_load_buffer("zzyzx\t3.0\nunacceptable\t1.0\n", 27, LEXICON_EXTEND, &rep);
	ck_assert_ptr_nonnull(l);
	ck_assert(lexicon_lookup(l, "zzyzx", 5, &v) && v == 3.0);
	ck_assert(lexicon_lookup(l, "unacceptable", 12, &v) && v == 1.0);  /* file wins */
	ck_assert(lexicon_lookup(l, "charged twice", 13, &v) && v < -2);    /* built-in kept */
	ck_assert_uint_eq(rep.nbad, 0);                      /* overriding is not a duplicate */
	ck_assert(strstr(lexicon_version(l), "+file-") != NULL);
	lexicon_free(l);
	lexicon_free((struct lexicon *)b);                   /* ignored */
	{
		/* Duplicates: the later line wins, but a key written in upper
		 * case never replaces the same key written in lower case. */
		static const char dups[] = "lol\t2.9\n:p\t1.0\nlol\t1.8\n:P\t1.4\nO.o\t-0.6\no.o\t-0.8\n";

		l = lexicon_load_buffer(dups, sizeof(dups) - 1, LEXICON_REPLACE, &rep);
		ck_assert_ptr_nonnull(l);
		ck_assert(lexicon_lookup(l, "lol", 3, &v) && fabs(v - 1.8) < 1e-6);
		ck_assert(lexicon_lookup(l, ":p", 2, &v) && fabs(v - 1.0) < 1e-6);
		ck_assert(lexicon_lookup(l, "o.o", 3, &v) && fabs(v + 0.8) < 1e-6);
		ck_assert_uint_eq(rep.bad[LEXICON_LE_DUPLICATE], 3);
		lexicon_free(l);
	}
	ck_assert_int_eq(lexicon_modifier("very", 4, &v), LEXICON_MOD_BOOSTER);
	ck_assert_int_eq(lexicon_modifier("never", 5, NULL), LEXICON_MOD_NEGATOR);
	ck_assert_int_eq(lexicon_modifier("but", 3, NULL), LEXICON_MOD_CONTRAST);
}
END_TEST

/*
 * Keys of every length 1..LEXICON_TOKEN_MAX (short ones are compared in
 * the probe table's slot, long ones in the pool, 12 bytes being the
 * limit): each found with its own valence, by lookup and by the scorer
 * (text in a heap buffer of exactly its length); a key differing in its
 * last byte, or one byte longer, is not found. Also a phrase whose two
 * words are long.
 */
START_TEST(lexicon_every_key_length)
{
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789";
	char buf[LEXICON_TOKEN_MAX * 80], key[LEXICON_TOKEN_MAX + 1], *text;
	struct lexicon_report rep;
	struct sentiment_result r;
	struct lexicon *l;
	size_t n, len = 0;
	double v, want;

	for (n = 1; n <= LEXICON_TOKEN_MAX; n++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%.*s\t%.2f\n",
		    (int)n, alpha, (double)n / 20.0);
	len += (size_t)snprintf(buf + len, sizeof(buf) - len,
	    "abcdefghijklmnopq rstuvwxyz0123\t-3.5\n");
	l = lexicon_load_buffer(buf, len, LEXICON_REPLACE, &rep);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(rep.nbad, 0);
	for (n = 1; n <= LEXICON_TOKEN_MAX; n++) {
		want = (double)(float)((double)n / 20.0);
		memcpy(key, alpha, n);
		ck_assert(lexicon_lookup(l, key, n, &v));
		ck_assert_double_eq_tol(v, want, 1e-6);
		text = malloc(n);
		ck_assert_ptr_nonnull(text);
		memcpy(text, alpha, n);
		ck_assert_int_eq(sentiment_score(l, text, n, &r, NULL), SENTIMENT_OK);
		/* One-byte words are dropped (as in VADER). */
		ck_assert_double_eq_tol(r.compound, n == 1 ? 0.0 : norm(want), 1e-6);
		free(text);
		key[n - 1] = '!';
		ck_assert(!lexicon_lookup(l, key, n, &v));
		key[n - 1] = alpha[n - 1];
		if (n < LEXICON_TOKEN_MAX) {
			key[n] = '!';
			ck_assert(!lexicon_lookup(l, key, n + 1, &v));
		}
	}
	ck_assert(lexicon_lookup(l, "abcdefghijklmnopq rstuvwxyz0123", 31, &v) && v == -3.5);
	r = score_with(l, "then abcdefghijklmnopq rstuvwxyz0123 zz");
	ck_assert_double_eq_tol(r.compound, norm(-3.5), 1e-6);
	ck_assert(!lexicon_lookup(l, "abcdefghijklmnopr", 17, &v));
	lexicon_free(l);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sentiment");
	TCase *tc = tcase_create("rules");
	TCase *tl = tcase_create("lexicon");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, plain_valence_and_normalisation);
	tcase_add_test(tc, label_thresholds);
	tcase_add_test(tc, negation);
	tcase_add_test(tc, boosters_and_dampeners);
	tcase_add_test(tc, contrast);
	tcase_add_test(tc, punctuation_emphasis);
	tcase_add_test(tc, caps_emphasis);
	tcase_add_test(tc, phrases);
	tcase_add_test(tc, stretched_words);
	tcase_add_test(tc, laughter);
	tcase_add_test(tc, links_and_handles);
	tcase_add_test(tc, explanation);
	tcase_add_test(tc, errors);
	tcase_add_test(tl, lexicon_file_errors);
	tcase_add_test(tl, lexicon_builtin_and_extend);
	tcase_add_test(tl, lexicon_every_key_length);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, tl);
	return ut_check_run(s);
}
