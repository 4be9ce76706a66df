/*
 * fuzz_sentiment: libFuzzer target feeding arbitrary bytes to the tokenizer,
 * the scorer (with and without explanation), the explanation formatter and
 * the lexicon file parser. Build by hand, e.g.:
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude -include config.h \
 *     tests/fuzz/fuzz_sentiment.c src/core/{tokenize,lexicon,sentiment,sentiment_explain,utf8}.c \
 *     BUILD/src/core/lexicon_data.c -lsodium -lm -o fuzz_sentiment
 * Invariants checked: compound in [-1, 1], proportions sum to 1 or 0,
 * explanations NUL-terminated within the buffer.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/lexicon.h"
#include "undertone/sentiment.h"
#include "undertone/tokenize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_result(const struct sentiment_result *r)
{
	double sum = r->pos + r->neu + r->neg;

	if (!(r->compound >= -1.0 && r->compound <= 1.0) ||
	    !(fabs(sum - 1.0) < 1e-9 || sum == 0.0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct token toks[TOKENIZE_TOKENS_MAX];
	static char folded[TOKENIZE_TEXT_MAX];
	const char *text = (const char *)data;
	struct tokenized tz;
	struct sentiment_result r;
	struct sentiment_explain ex;
	struct lexicon_report rep;
	struct lexicon *lex;
	char buf[64];
	size_t n;

	if (size <= TOKENIZE_TEXT_MAX)
		(void)tokenize(text, size, folded, toks, TOKENIZE_TOKENS_MAX, &tz);
	if (sentiment_score(lexicon_builtin(), text, size, &r, NULL) == SENTIMENT_OK)
		check_result(&r);
	if (sentiment_score(lexicon_builtin(), text, size, &r, &ex) == SENTIMENT_OK) {
		check_result(&r);
		n = sentiment_explain_format(&ex, buf, sizeof(buf));
		if (strlen(buf) >= sizeof(buf) || (n < sizeof(buf) && strlen(buf) != n))
			abort();
	}
	/* The same bytes as a lexicon file, then score them with it. */
	lex = lexicon_load_buffer(text, size, size & 1 ? LEXICON_EXTEND : LEXICON_REPLACE, &rep);
	if (lex) {
		if (sentiment_score(lex, text, size < 512 ? size : 512, &r, &ex) == SENTIMENT_OK)
			check_result(&r);
		lexicon_free(lex);
	}
	return 0;
}
