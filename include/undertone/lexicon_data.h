/*
 * lexicon_data: the shape of the generated built-in lexicon tables
 * (src/core/lexicon_data.c is written at build time by data/lexicon/gen-lexicon.awk
 * from the data/lexicon .tsv files). Internal to lexicon.c;
 * not part of the public API.
 */
#ifndef UNDERTONE_LEXICON_DATA_H
#define UNDERTONE_LEXICON_DATA_H

#include <stddef.h>

struct lexicon_seed {
	const char *key;    /* folded word or space-joined phrase */
	float valence;      /* -4..+4 */
};

struct lexicon_mod_seed {
	const char *word;
	unsigned char kind; /* enum lexicon_modifier */
	float scalar;       /* boosters only */
};

extern const struct lexicon_seed lexicon_seeds[];
extern const size_t lexicon_nseeds;
extern const struct lexicon_mod_seed lexicon_mod_seeds[];
extern const size_t lexicon_nmod_seeds;

#endif
