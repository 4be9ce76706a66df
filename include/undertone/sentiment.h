/*
 * sentiment: rule-based, explainable sentiment of one customer utterance.
 *
 * Contract: sentiment_score() takes UTF-8 text of at most SENTIMENT_TEXT_MAX
 * bytes and fills a result with VADER-style conventions: compound in [-1, 1],
 * pos/neu/neg proportions summing to 1 (or all 0 for text without words),
 * and a label (negative < -0.05 <= neutral <= 0.05 < positive). It does no
 * I/O and allocates nothing per utterance: its bounded working memory is a
 * per-thread buffer (sentiment_score, thread-safe) or one the caller owns
 * (sentiment_score_with, fully reentrant). The optional explanation records
 * which tokens and rules moved the score; pass NULL on the hot path. A
 * score is a hint about the words used, not a verdict about a person (see
 * doc/sentiment.md).
 */
#ifndef UNDERTONE_SENTIMENT_H
#define UNDERTONE_SENTIMENT_H

#include <stddef.h>
#include "undertone/lexicon.h"
#include "undertone/model.h"

#define SENTIMENT_TEXT_MAX    UT_TEXT_MAX  /* bytes of one utterance */
#define SENTIMENT_EXPLAIN_MAX 24           /* items kept in an explanation */
#define SENTIMENT_ITEM_TEXT   48           /* bytes of one item's token text, NUL included */

enum sentiment_label { SENTIMENT_NEGATIVE, SENTIMENT_NEUTRAL, SENTIMENT_POSITIVE };

/* Return values of sentiment_score(). */
enum sentiment_status {
	SENTIMENT_OK = 0,
	SENTIMENT_EUTF8 = -1,     /* text is not valid UTF-8 */
	SENTIMENT_ETOOLONG = -2,  /* text longer than SENTIMENT_TEXT_MAX */
	SENTIMENT_EARG = -3       /* NULL lexicon, text or out */
};

struct sentiment_result {
	double compound;          /* normalised sum of valences, [-1, 1] */
	double pos, neu, neg;     /* proportions, sum 1 (0 if no words) */
	enum sentiment_label label;
};

/* Rules that can modify a token's valence (bit flags in an item). */
enum sentiment_rule {
	SENTIMENT_R_NEGATED  = 1u << 0,  /* within a negation window */
	SENTIMENT_R_BOOSTED  = 1u << 1,  /* intensified by a booster */
	SENTIMENT_R_DAMPENED = 1u << 2,  /* softened by a dampener */
	SENTIMENT_R_CAPS     = 1u << 3,  /* ALL-CAPS among lower-case words */
	SENTIMENT_R_BUT_LOW  = 1u << 4,  /* before "but": weight lowered */
	SENTIMENT_R_BUT_HIGH = 1u << 5,  /* after "but": weight raised */
	SENTIMENT_R_STRETCHED = 1u << 6, /* letters repeated for emphasis ("sooo") */
	SENTIMENT_R_PHRASE   = 1u << 7   /* a multi-word phrase or idiom (the last rule) */
};

/* One token (or phrase) that contributed a non-zero valence. */
struct sentiment_item {
	char text[SENTIMENT_ITEM_TEXT];  /* as written, clipped on a code point */
	double base;                     /* lexicon valence */
	double value;                    /* after the rules */
	unsigned rules;                  /* OR of enum sentiment_rule */
};

struct sentiment_explain {
	size_t nitems;                   /* items kept (<= SENTIMENT_EXPLAIN_MAX) */
	size_t nomitted;                 /* contributing tokens not kept */
	struct sentiment_item items[SENTIMENT_EXPLAIN_MAX];
	double punct;                    /* added by ! and ? emphasis (signed) */
	unsigned exclaims, questions;    /* counted marks (capped) */
	double sum;                      /* summed valence before normalising */
	size_t ntokens;                  /* tokens seen */
};

int sentiment_score(const struct lexicon *lex, const char *text, size_t len,
    struct sentiment_result *out, struct sentiment_explain *ex);

/* Working memory for one call at a time (a few hundred KiB, allocated once). */
struct sentiment_scratch;
struct sentiment_scratch *sentiment_scratch_new(void);  /* NULL if out of memory */
void sentiment_scratch_free(struct sentiment_scratch *sc);

/* sentiment_score() with caller-owned working memory. */
int sentiment_score_with(const struct lexicon *lex, const char *text, size_t len,
    struct sentiment_result *out, struct sentiment_explain *ex,
    struct sentiment_scratch *sc);

const char *sentiment_label_name(enum sentiment_label l);
const char *sentiment_status_message(int status);
/* Short rule name ("negated", "caps", ...) for one flag. */
const char *sentiment_rule_name(enum sentiment_rule r);

/*
 * Render an explanation for humans into buf (always NUL-terminated, clipped
 * on a code point; returns the length it needed, like snprintf). Example:
 *   "unacceptable" -3.2 (caps); "not working" -2.0 (phrase, after but x1.5); !! -0.6
 * Items appear in text order; "no scoring words" when there are none.
 */
size_t sentiment_explain_format(const struct sentiment_explain *ex,
    char *buf, size_t cap);

#endif
