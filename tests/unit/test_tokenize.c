/* Unit tests for tokenize: UTF-8, contractions, numbers, emoticons, emoji,
 * punctuation runs, case folding and ALL-CAPS detection. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/lexicon.h"
#include "undertone/tokenize.h"
#include "ut_check.h"

struct tk {
	struct token t[TOKENIZE_TOKENS_MAX];
	char folded[TOKENIZE_TEXT_MAX];
	struct tokenized tz;
	const char *text;
};

static int
run(struct tk *k, const char *s)
{
	k->text = s;
	return tokenize(s, strlen(s), k->folded, k->t, TOKENIZE_TOKENS_MAX, &k->tz);
}

/* Token i's original text equals want, its kind is kind. */
static void
expect(const struct tk *k, size_t i, const char *want, int kind)
{
	ck_assert_uint_lt(i, k->tz.n);
	ck_assert_int_eq(k->t[i].len, strlen(want));
	ck_assert(memcmp(k->text + k->t[i].off, want, strlen(want)) == 0);
	ck_assert_int_eq(k->t[i].kind, kind);
}

static void
expect_folded(const struct tk *k, size_t i, const char *want)
{
	ck_assert_int_eq(k->t[i].flen, strlen(want));
	ck_assert(memcmp(k->folded + k->t[i].foff, want, strlen(want)) == 0);
}

START_TEST(words_and_contractions)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "I don't like it, we've tried"), TOKENIZE_OK);
	ck_assert_uint_eq(k.tz.n, 7);
	expect(&k, 0, "I", TOK_WORD);
	expect(&k, 1, "don't", TOK_WORD);
	expect_folded(&k, 1, "don't");
	expect(&k, 4, ",", TOK_PUNCT);
	expect(&k, 6, "tried", TOK_WORD);
	ck_assert_int_eq(run(&k, "can\xe2\x80\x99t log-in 'quoted'"), TOKENIZE_OK);
	expect(&k, 0, "can\xe2\x80\x99t", TOK_WORD);
	expect_folded(&k, 0, "can't");           /* U+2019 folds to ' */
	expect(&k, 1, "log-in", TOK_WORD);       /* inner hyphen joins */
	expect(&k, 2, "'", TOK_PUNCT);           /* outer quotes do not */
	expect(&k, 3, "quoted", TOK_WORD);
}
END_TEST

START_TEST(numbers)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "paid 3.50 of 1,000 at 10:30 on 3rd"), TOKENIZE_OK);
	expect(&k, 1, "3.50", TOK_NUMBER);
	expect(&k, 3, "1,000", TOK_NUMBER);
	expect(&k, 5, "10:30", TOK_NUMBER);
	expect(&k, 7, "3rd", TOK_WORD);
	ck_assert_int_eq(run(&k, "end 5."), TOKENIZE_OK);
	expect(&k, 1, "5", TOK_NUMBER);          /* a trailing dot is punctuation */
	expect(&k, 2, ".", TOK_PUNCT);
}
END_TEST

START_TEST(emoticons)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "great :) bad :-( love <3 XD :Dog"), TOKENIZE_OK);
	expect(&k, 1, ":)", TOK_EMOTICON);
	expect(&k, 3, ":-(", TOK_EMOTICON);
	expect(&k, 5, "<3", TOK_EMOTICON);
	expect(&k, 6, "XD", TOK_EMOTICON);
	expect_folded(&k, 6, "xd");
	expect(&k, 7, ":", TOK_PUNCT);           /* ":Dog" is not ":D" */
	expect(&k, 8, "Dog", TOK_WORD);
	ck_assert_int_eq(run(&k, "thanks:)"), TOKENIZE_OK);
	expect(&k, 1, ":)", TOK_EMOTICON);
	ck_assert_int_eq(run(&k, ":DD <333 :o) :3 :cat"), TOKENIZE_OK);
	expect(&k, 0, ":DD", TOK_EMOTICON);      /* longest first */
	expect_folded(&k, 0, ":dd");
	expect(&k, 1, "<333", TOK_EMOTICON);
	expect(&k, 2, ":o)", TOK_EMOTICON);      /* not ":o" then ")" */
	expect(&k, 3, ":3", TOK_EMOTICON);
	expect(&k, 4, ":", TOK_PUNCT);           /* ":cat" is not ":c" */
	/* Faces read right to left; "D:" only as a whole token. */
	ck_assert_int_eq(run(&k, "sorry D: D:< Dad: D:5"), TOKENIZE_OK);
	expect(&k, 1, "D:", TOK_EMOTICON);
	expect_folded(&k, 1, "d:");
	expect(&k, 2, "D:<", TOK_EMOTICON);
	expect(&k, 3, "Dad", TOK_WORD);          /* a word starting with D */
	expect(&k, 4, ":", TOK_PUNCT);
	expect(&k, 5, "D", TOK_WORD);            /* "D:5" is not a face */
	/* Faces that start with a letter (they were split into words before). */
	ck_assert_int_eq(run(&k, "o_O O.o T_T :l of O.K"), TOKENIZE_OK);
	expect(&k, 0, "o_O", TOK_EMOTICON);
	expect(&k, 1, "O.o", TOK_EMOTICON);
	expect(&k, 2, "T_T", TOK_EMOTICON);
	expect(&k, 3, ":l", TOK_EMOTICON);
	expect(&k, 4, "of", TOK_WORD);
	expect(&k, 5, "O", TOK_WORD);            /* "O.K" is not "O.o" */
}
END_TEST

START_TEST(html_entities)
{
	struct tk k;

	/* A character reference is one non-word token: "&gt;" is not "gt". */
	ck_assert_int_eq(run(&k, "AT&amp;T &gt;&gt; &#39;x &#x2764; &lt;3 &gt;:( &bogus &amp"), TOKENIZE_OK);
	expect(&k, 0, "AT", TOK_WORD);
	expect(&k, 1, "&amp;", TOK_PUNCT);
	expect(&k, 2, "T", TOK_WORD);
	expect(&k, 3, "&gt;", TOK_PUNCT);
	expect(&k, 4, "&gt;", TOK_PUNCT);
	expect(&k, 5, "&#39;", TOK_PUNCT);
	expect(&k, 6, "x", TOK_WORD);
	expect(&k, 7, "&#x2764;", TOK_PUNCT);
	/* ...and one that begins an emoticon is that emoticon. */
	expect(&k, 8, "&lt;3", TOK_EMOTICON);
	expect_folded(&k, 8, "<3");
	expect(&k, 9, "&gt;:(", TOK_EMOTICON);
	expect_folded(&k, 9, ">:(");
	expect(&k, 10, "&", TOK_PUNCT);          /* no ';': not a reference */
	expect(&k, 11, "bogus", TOK_WORD);
	expect(&k, 12, "&", TOK_PUNCT);
	expect(&k, 13, "amp", TOK_WORD);
}
END_TEST

START_TEST(emoji)
{
	struct tk k;

	/* thumbs up + skin tone; facepalm + ZWJ + female sign + VS16; flag */
	ck_assert_int_eq(run(&k, "ok \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd"
	    "\xf0\x9f\xa4\xa6\xe2\x80\x8d\xe2\x99\x80\xef\xb8\x8f "
	    "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7"), TOKENIZE_OK);
	ck_assert_uint_eq(k.tz.n, 4);
	expect(&k, 1, "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", TOK_EMOJI);
	expect_folded(&k, 1, "\xf0\x9f\x91\x8d");  /* base code point */
	expect(&k, 2, "\xf0\x9f\xa4\xa6\xe2\x80\x8d\xe2\x99\x80\xef\xb8\x8f", TOK_EMOJI);
	expect(&k, 3, "\xf0\x9f\x87\xac\xf0\x9f\x87\xa7", TOK_EMOJI);
}
END_TEST

START_TEST(punctuation_runs)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "why?!?! no!!! ok..."), TOKENIZE_OK);
	expect(&k, 1, "?!?!", TOK_PUNCT);
	expect(&k, 3, "!!!", TOK_PUNCT);
	expect(&k, 5, "...", TOK_PUNCT);
	ck_assert_uint_eq(k.tz.exclaims, 5);
	ck_assert_uint_eq(k.tz.questions, 2);
}
END_TEST

START_TEST(caps_and_folding)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "This is GREAT I think"), TOKENIZE_OK);
	ck_assert(k.tz.has_lower);
	ck_assert(k.t[2].flags & TOK_F_CAPS);
	expect_folded(&k, 2, "great");
	ck_assert(!(k.t[3].flags & TOK_F_CAPS));   /* one letter is not emphasis */
	ck_assert(!(k.t[0].flags & TOK_F_CAPS));
	ck_assert_int_eq(run(&k, "ALL CAPS ONLY"), TOKENIZE_OK);
	ck_assert(!k.tz.has_lower);                 /* caps without lower case: no contrast */
	ck_assert_int_eq(run(&k, "\xc3\x89" "COLE caf\xc3\xa9"), TOKENIZE_OK);
	ck_assert(k.t[0].flags & TOK_F_CAPS);
	expect_folded(&k, 0, "\xc3\xa9" "cole");   /* Latin-1 folds */
	expect(&k, 1, "caf\xc3\xa9", TOK_WORD);
}
END_TEST

START_TEST(links_and_handles)
{
	struct tk k;

	ck_assert_int_eq(run(&k, "see http://x.example/a:/b?c=1! @Someone_1 ok WWW.Y.example, e-mail"),
	    TOKENIZE_OK);
	expect(&k, 0, "see", TOK_WORD);
	expect(&k, 1, "http://x.example/a:/b?c=1!", TOK_LINK);  /* to the next space */
	expect(&k, 2, "@Someone_1", TOK_HANDLE);
	expect_folded(&k, 2, "@someone_1");
	expect(&k, 3, "ok", TOK_WORD);
	expect(&k, 4, "WWW.Y.example,", TOK_LINK);
	expect(&k, 5, "e-mail", TOK_WORD);
	ck_assert_uint_eq(k.tz.exclaims, 0);    /* marks inside a link are not emphasis */
	ck_assert_uint_eq(k.tz.questions, 0);
	ck_assert_int_eq(run(&k, "https://\xc3\xa9 @ a@b www"), TOKENIZE_OK);
	expect(&k, 0, "https://\xc3\xa9", TOK_LINK);
	expect(&k, 1, "@", TOK_PUNCT);           /* a lone @ is punctuation */
	expect(&k, 2, "a", TOK_WORD);
	expect(&k, 3, "@b", TOK_HANDLE);
	expect(&k, 4, "www", TOK_WORD);          /* no dot: a word */
	ck_assert_int_eq(run(&k, "http://\xff"), TOKENIZE_EUTF8);  /* checked inside links too */
	ck_assert_str_eq(tokenize_kind_name(TOK_LINK), "link");
	ck_assert_str_eq(tokenize_kind_name(TOK_HANDLE), "handle");
}
END_TEST

START_TEST(bad_input)
{
	struct tk k;
	static char big[TOKENIZE_TEXT_MAX + 2];

	ck_assert_int_eq(run(&k, "ok \xff"), TOKENIZE_EUTF8);
	ck_assert_int_eq(run(&k, "\xed\xa0\x80"), TOKENIZE_EUTF8);  /* surrogate */
	memset(big, 'a', sizeof(big) - 1);
	ck_assert_int_eq(run(&k, big), TOKENIZE_ETOOLONG);
	ck_assert_int_eq(run(&k, ""), TOKENIZE_OK);
	ck_assert_uint_eq(k.tz.n, 0);
	/* Only max tokens are stored. */
	ck_assert_int_eq(tokenize("a b c d", 7, k.folded, k.t, 2, &k.tz), TOKENIZE_OK);
	ck_assert_uint_eq(k.tz.n, 2);
}
END_TEST

/*
 * Tokenize s from a heap copy of exactly its length, into a folded buffer
 * of exactly that length too (the contract's minimum), so that a sanitizer
 * build catches any read or write past either; every token's hash must be
 * lexicon_key_hash() of its folded bytes.
 */
static int
run_exact(struct tk *k, const char *s)
{
	size_t len = strlen(s), i;
	char *text = malloc(len ? len : 1), *folded = malloc(len ? len : 1);
	int rc;

	ck_assert(text && folded);
	memcpy(text, s, len);
	rc = tokenize(text, len, folded, k->t, TOKENIZE_TOKENS_MAX, &k->tz);
	memcpy(k->folded, folded, len);
	for (i = 0; i < k->tz.n; i++)
		ck_assert_uint_eq(k->t[i].hash, lexicon_key_hash(
		    k->folded + k->t[i].foff, k->t[i].flen));
	k->text = s;
	free(text);
	free(folded);
	return rc;
}

/* The one-pass ASCII word path and the general one agree at every edge. */
START_TEST(word_edges)
{
	struct tk k;

	ck_assert_int_eq(run_exact(&k, "don't"), TOKENIZE_OK);
	expect(&k, 0, "don't", TOK_WORD);
	ck_assert_int_eq(run_exact(&k, "It's."), TOKENIZE_OK);
	expect(&k, 0, "It's", TOK_WORD);
	expect_folded(&k, 0, "it's");
	expect(&k, 1, ".", TOK_PUNCT);
	ck_assert_int_eq(run_exact(&k, "don' x'"), TOKENIZE_OK);  /* no letter after: not joined */
	expect(&k, 0, "don", TOK_WORD);
	expect(&k, 1, "'", TOK_PUNCT);
	expect(&k, 2, "x", TOK_WORD);
	expect(&k, 3, "'", TOK_PUNCT);
	ck_assert_int_eq(run_exact(&k, "log-in 3.50 1,000 10:30 a.5"), TOKENIZE_OK);
	expect(&k, 0, "log-in", TOK_WORD);
	expect(&k, 1, "3.50", TOK_NUMBER);
	expect(&k, 2, "1,000", TOK_NUMBER);
	expect(&k, 3, "10:30", TOK_NUMBER);
	expect(&k, 4, "a", TOK_WORD);            /* '.' joins digits only */
	ck_assert_int_eq(run_exact(&k, "caf\xc3\xa9s na\xc3\xafve l'\xc3\xa9t\xc3\xa9"), TOKENIZE_OK);
	expect(&k, 0, "caf\xc3\xa9s", TOK_WORD);   /* non-ASCII inside a word */
	expect(&k, 1, "na\xc3\xafve", TOK_WORD);
	expect(&k, 2, "l'\xc3\xa9t\xc3\xa9", TOK_WORD);  /* ' then a non-ASCII letter */
	ck_assert_int_eq(run_exact(&k, "abcdefghijklmnopqrstuvwxyz0123456789 x"), TOKENIZE_OK);
	expect(&k, 0, "abcdefghijklmnopqrstuvwxyz0123456789", TOK_WORD);
	expect(&k, 1, "x", TOK_WORD);
	ck_assert_int_eq(run_exact(&k, "z"), TOKENIZE_OK);
	expect(&k, 0, "z", TOK_WORD);
}
END_TEST

START_TEST(stretch_and_case_flags)
{
	struct tk k;

	ck_assert_int_eq(run_exact(&k, "sooo soo SoOo aa'a ab1000 NO Ok"), TOKENIZE_OK);
	ck_assert(k.t[0].flags & TOK_F_STRETCH);
	ck_assert(!(k.t[1].flags & TOK_F_STRETCH));  /* two in a row is spelling */
	ck_assert(k.t[2].flags & TOK_F_STRETCH);     /* folded first */
	ck_assert(k.t[3].flags & TOK_F_STRETCH);     /* an inner ' does not break the run */
	ck_assert(!(k.t[4].flags & TOK_F_STRETCH));  /* fewer than three letters */
	ck_assert(k.t[5].flags & TOK_F_CAPS);
	ck_assert(!(k.t[5].flags & TOK_F_LOWER));
	ck_assert(!(k.t[6].flags & TOK_F_CAPS));
	ck_assert(k.t[6].flags & TOK_F_LOWER);
	ck_assert(k.tz.has_lower);
	ck_assert_int_eq(run_exact(&k, "SO BAD 123"), TOKENIZE_OK);
	ck_assert(!k.tz.has_lower);
	ck_assert_int_eq(k.t[2].kind, TOK_NUMBER);
	ck_assert_uint_eq(k.t[2].flags, 0);
}
END_TEST

/* Same tokens, folded bytes and summary from a and b, each hash that of
 * its folded bytes. A plain test, asserted once per string: every
 * ck_assert() costs Check a write to its log pipe. */
static int
same_tokens(const struct token *a, const struct tokenized *za, const char *fa,
    const struct token *b, const struct tokenized *zb, const char *fb)
{
	size_t i;

	if (za->n != zb->n || za->exclaims != zb->exclaims || za->questions != zb->questions ||
	    za->has_lower != zb->has_lower)
		return 0;
	for (i = 0; i < za->n; i++) {
		if (a[i].off != b[i].off || a[i].len != b[i].len || a[i].foff != b[i].foff ||
		    a[i].flen != b[i].flen || a[i].kind != b[i].kind || a[i].flags != b[i].flags ||
		    a[i].hash != b[i].hash || memcmp(fa + a[i].foff, fb + b[i].foff, a[i].flen) != 0 ||
		    b[i].hash != lexicon_key_hash(fb + b[i].foff, b[i].flen))
			return 0;
	}
	return 1;
}

/* Pieces that meet at word edges: the vector word path stops at joiners,
 * non-ASCII bytes, 15 bytes and the text's end, and hashes words of up to
 * 8 and of 9..14 bytes in two ways; the vector handle path stops at 16,
 * the vector link path at non-ASCII bytes. */
static const char *const pieces[] = {
	"a", "I", "ok", "OK", "Ok", "sooo", "SoOo", "aa", "zzz", "abcdefgh", "abcdefghi",
	"ABCDEFGHIJKLMN", "abcdefghijklmno", "abcdefghijklmnop", "x1", "007", "3.50", "1,000",
	"10:30", "don't", "log-in", "it's", "a'", "'", "-", ".", ",", ":", ";", "!", "?!",
	" ", " ", " ", "  ", "\t", "\xc2\xa0", "caf\xc3\xa9", "\xc3\x89t\xc3\xa9", "\xe2\x80\x99",
	"can\xe2\x80\x99t", "\xf0\x9f\x98\x80", "\xff", "\xc3", ":)", "XD", "D:", "o_O",
	"<3", "http://x.co", "www.a", "@me", "#tag", "&amp;", "&lt;3", "hahaha", "\x01",
	"...", "\"", "(", ")", "#", "\x7f", "__", "!!", "?", "&", "/",
	/* handles and runs of '!' and '?' (read inline on the vector path),
	 * faces by their first bytes */
	"@", "@A_b9", "@_", "@abcdefghijklm", "@abcdefghijklmn", "@abcdefghijklmnopq", "?!?",
	"!?!!", ":-)", ":-", ":'(", ":'", ":D", ">:(", ";-)", "=/", "^_^", "-_-", "</3",
	"HTTPS://A.b/C", "xD", "T_T", "http://", "https:/x", "hTTp://X.co/ABCDEFGHIJKLMNOPQRSTUVWXYZ",
	"http://a.b/\xc3\xa9", "http://a\x7f", "www.A.com/B",
};

/* A pseudo-random string of n pieces, some joined, some apart (a fixed
 * generator: same cases every run). */
static size_t
make_text(char *buf, size_t cap, unsigned *seed, size_t n)
{
	size_t len = 0, i, m;
	const char *p;

	for (i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		p = pieces[(*seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
		m = strlen(p);
		if (len + m > cap)
			break;
		memcpy(buf + len, p, m);
		len += m;
		if (((*seed >> 8) & 1) && len < cap)
			buf[len++] = ' ';  /* half the pieces stand alone */
	}
	return len;
}

/* tokenize(), tokenize_padded() and tokenize_scalar() (the byte-at-a-time
 * word path) give the same tokens on many generated strings, each read
 * from a heap copy of its exact length (a sanitizer build catches a read
 * past it) and folded into buffers of exactly the contract's size. */
START_TEST(vector_and_scalar_paths_agree)
{
	static struct token a[TOKENIZE_TOKENS_MAX], b[TOKENIZE_TOKENS_MAX], c[TOKENIZE_TOKENS_MAX];
	struct tokenized za, zb, zc;
	char buf[600], *text, *fa, *fb, *fc;
	unsigned seed = 12345;
	size_t len, i;
	int ra, rb, rc;

	for (i = 0; i < 20000; i++) {
		len = make_text(buf, sizeof(buf), &seed, 1 + i % 40);
		text = malloc(len ? len : 1);
		fa = malloc(len ? len : 1);
		fb = malloc(len + TOKENIZE_FOLD_PAD);
		fc = malloc(len ? len : 1);
		ck_assert(text && fa && fb && fc);
		memcpy(text, buf, len);
		ra = tokenize_scalar(text, len, fa, a, TOKENIZE_TOKENS_MAX, &za);
		rb = tokenize_padded(text, len, fb, b, TOKENIZE_TOKENS_MAX, &zb);
		rc = tokenize(text, len, fc, c, TOKENIZE_TOKENS_MAX, &zc);
		if (ra != rb || ra != rc || !same_tokens(a, &za, fa, b, &zb, fb) ||
		    !same_tokens(a, &za, fa, c, &zc, fc))
			ck_abort_msg("paths differ on string %zu: %.*s", i, (int)len, buf);
		free(text);
		free(fa);
		free(fb);
		free(fc);
	}
}
END_TEST

/* The key hash from whole 8-byte loads (padded keys) is the byte-wise
 * one at every length, whatever lies past the key. */
START_TEST(padded_key_hash)
{
	char key[64 + 16];
	size_t len, i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (char)(i * 37 + 11);
	for (len = 0; len <= 64; len++) {
		ck_assert_uint_eq(lexicon_key_hash_padded(key, len), lexicon_key_hash(key, len));
		key[len] ^= 0x5A;  /* a byte past the key must not matter */
		ck_assert_uint_eq(lexicon_key_hash_padded(key, len), lexicon_key_hash(key, len));
	}
	ck_assert_uint_ne(lexicon_key_hash("ab", 2), lexicon_key_hash("ba", 2));
	ck_assert_uint_ne(lexicon_key_hash("a", 1), lexicon_key_hash("a\0", 2));  /* length counts */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tokenize");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, words_and_contractions);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, emoticons);
	tcase_add_test(tc, html_entities);
	tcase_add_test(tc, emoji);
	tcase_add_test(tc, punctuation_runs);
	tcase_add_test(tc, caps_and_folding);
	tcase_add_test(tc, links_and_handles);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, word_edges);
	tcase_add_test(tc, stretch_and_case_flags);
	tcase_add_test(tc, vector_and_scalar_paths_agree);
	tcase_add_test(tc, padded_key_hash);
	suite_add_tcase(s, tc);
	return ut_check_run(s);
}
