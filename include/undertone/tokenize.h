/*
 * tokenize: split one UTF-8 utterance into tokens for the sentiment engine.
 *
 * Contract: input is at most TOKENIZE_TEXT_MAX bytes and must be valid UTF-8
 * (checked; TOKENIZE_EUTF8 otherwise). Tokens are words (letters, digits,
 * inner apostrophes and hyphens, so contractions such as "don't" stay
 * whole), numbers, ASCII emoticons, emoji (one token per emoji, modifiers and
 * ZWJ sequences included), punctuation runs ("!!!" is one token), links
 * ("http://...", "https://...", "www....", up to the next space) and
 * @handles; links and handles are whole tokens so that nothing inside them
 * (":/" in "http://") is read as a word or emoticon. Each
 * token gets a case-folded copy (ASCII and Latin-1, U+2019 folded to ') in
 * the caller's buffer. A word is flagged CAPS when it has at least two
 * letters and no lower-case letter; its hash is that of lexicon.h, so a
 * lookup need not read the word again. No allocation; reentrant.
 */
#ifndef UNDERTONE_TOKENIZE_H
#define UNDERTONE_TOKENIZE_H

#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"

#define TOKENIZE_TEXT_MAX   UT_TEXT_MAX
/* Enough for any valid input: a token needs at least one byte. */
#define TOKENIZE_TOKENS_MAX TOKENIZE_TEXT_MAX

enum tokenize_kind { TOK_WORD, TOK_NUMBER, TOK_EMOTICON, TOK_EMOJI, TOK_PUNCT,
	TOK_LINK, TOK_HANDLE };

#define TOK_F_CAPS  1u  /* word of >= 2 letters, all upper-case */
#define TOK_F_LOWER 2u  /* word with at least one lower-case letter */
#define TOK_F_STRETCH 4u /* word with an ASCII letter three times in a row ("sooo") */

struct token {
	uint16_t off, len;    /* bytes in the original text */
	uint16_t foff, flen;  /* bytes of the folded copy */
	uint8_t kind;         /* enum tokenize_kind */
	uint8_t flags;        /* TOK_F_* */
	uint32_t hash;        /* lexicon_key_hash() of the folded bytes */
};

struct tokenized {
	size_t n;             /* tokens */
	unsigned exclaims;    /* '!' in the text */
	unsigned questions;   /* '?' in the text */
	int has_lower;        /* some word has a lower-case letter */
};

enum { TOKENIZE_OK = 0, TOKENIZE_EUTF8 = -1, TOKENIZE_ETOOLONG = -2 };

/*
 * Tokenize text[0..len). folded must hold len bytes (folding never grows
 * text); toks must hold max entries (TOKENIZE_TOKENS_MAX is always enough,
 * excess tokens are dropped and counted out->n stays <= max).
 */
int tokenize(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out);

/*
 * tokenize() into a folded buffer of len + TOKENIZE_FOLD_PAD bytes: the
 * common word is then folded 16 bytes at a time, and the bytes past the
 * folded text are left with unspecified values. Same tokens.
 */
#define TOKENIZE_FOLD_PAD 16
int tokenize_padded(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out);

/*
 * tokenize() with every ASCII word read a byte at a time and punctuation
 * by the general path (no vector path, no shortcut): the same tokens and
 * folded bytes; for tests that compare the two.
 */
int tokenize_scalar(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out);

const char *tokenize_kind_name(enum tokenize_kind k);

#endif
