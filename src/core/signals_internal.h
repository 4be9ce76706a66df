/* signals internals shared by signals*.c (not a public header). */
#ifndef UNDERTONE_SIGNALS_INTERNAL_H
#define UNDERTONE_SIGNALS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "undertone/signals.h"

#define TOK_STOP 0x01u   /* a stop word: skipped by repetition */
#define TOK_CAPS 0x02u   /* >= 3 ASCII letters, all capitals */
#define TOK_WORD 0x04u   /* >= 2 ASCII letters (counts for the caps share) */

struct signals_tok {
	uint32_t hash;
	uint16_t off, len;
	uint8_t flags;
};

/* Words of text[0..len) (len <= UT_TEXT_MAX), at most max; also the longest
 * run of '!' in *excl_run. Returns the number of words. */
size_t signals_tokenize(const struct signals_config *cfg, const char *text, size_t len,
    struct signals_tok *tok, size_t max, unsigned *excl_run);

/* FNV-1a of a word, ASCII letters folded to lower case; never 0. */
uint32_t signals_word_hash(const char *w, size_t len);

/* Index of the strongest phrase matched in tok[0..n), -1 if none; *nreq
 * gets the number of explicit-request matches. */
int signals_match_phrases(const struct signals_config *cfg,
    const struct signals_tok *tok, size_t n, unsigned *nreq);

/* Value of a decaying level at now (ms since base). */
float signals_level_at(const struct signals_level *l, int32_t now, float half_life_s);

/* ms since base, clamped to int32. */
int32_t signals_offset(const struct signals_state *s, int64_t ts_ms);

float signals_clamp01(float v);

/* Drop every phrase (a policy file with its own list replaces the defaults). */
void signals_config_clear_phrases(struct signals_config *cfg);

/* One component's value at now (ms since base). */
float signals_component_value(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int32_t now);

/* The silence component's source at now: a hold or a gap, ongoing or past,
 * and its length in ms. */
void signals_silence_detail(const struct signals_state *s, const struct signals_config *cfg,
    int32_t now, int *is_hold, int *ongoing, int32_t *len);

#endif
