/*
 * lexicon_data: the shape of the generated built-in lexicon tables
 * (src/core/lexicon_data.c is written at build time by data/lexicon/gen-lexicon.awk
 * from the data/lexicon .tsv files), and the probe table the scorer reads
 * directly. Internal to lexicon.c and sentiment.c; not part of the public API.
 */
#ifndef UNDERTONE_LEXICON_DATA_H
#define UNDERTONE_LEXICON_DATA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "undertone/lexicon.h"

struct lexicon_seed {
	const char *key;    /* folded word or space-joined phrase */
	float valence;      /* -4..+4 */
};

struct lexicon_mod_seed {
	const char *word;
	unsigned char kind; /* enum lexicon_modifier */
	float scalar;       /* boosters only */
};

/*
 * One key of a built lexicon in its probe table (32 bytes, so one cache
 * line holds two): everything the scorer needs about a word, and the key
 * itself when it is short (most words), so a hit reads one line.
 */
#define LEXICON_SLOT_KEY 12
struct lexicon_slot {
	uint32_t hash;      /* lexicon_key_hash() of the key */
	float valence;      /* 0 unless has_value */
	float scalar;       /* booster scalar of a rule word */
	uint32_t key_off;   /* the key in the lexicon's pool (any length) */
	uint8_t len;        /* bytes of the key (<= LEXICON_TOKEN_MAX) */
	uint8_t span;       /* bit k: a k-word phrase starts with this key */
	uint8_t kind;       /* enum lexicon_modifier */
	uint8_t has_value;  /* 0 for a bare phrase prefix or rule word */
	char key[LEXICON_SLOT_KEY];  /* the key when len <= LEXICON_SLOT_KEY */
};

/*
 * The probe table of a built lexicon. Slots come in groups of four with a
 * 16-bit tag each (0 = empty, else lexicon_slot_tag() of the key's hash);
 * a key lives in the first group from (hash & gmask) with room, so a
 * lookup tests four tags at once and stops at the first group with an
 * empty slot, nearly always the first.
 */
#define LEXICON_GROUP 4
struct lexicon_table {
	const uint16_t *tags;             /* LEXICON_GROUP per group */
	const struct lexicon_slot *slots; /* parallel to tags */
	const char *pool;                 /* keys longer than LEXICON_SLOT_KEY */
	size_t gmask;                     /* groups - 1 (a power of two less one) */
	const uint64_t *pairs;            /* 2^LEXICON_PAIR_LOG bits, see below */
};

/* Filter of phrases' first two words (lexicon_pair_may_start()). */
#define LEXICON_PAIR_LOG 17
static inline size_t
lexicon_pair_bit(uint32_t h1, uint32_t h2)
{
	return ((h1 * 0x9E3779B1u) ^ (h2 * 0x85EBCA6Bu)) >> (32 - LEXICON_PAIR_LOG);
}

static inline int
lexicon_table_pair(const struct lexicon_table *t, uint32_t h1, uint32_t h2)
{
	size_t b = lexicon_pair_bit(h1, h2);

	return (int)((t->pairs[b / 64] >> (b % 64)) & 1);
}

void lexicon_table_get(const struct lexicon *lex, struct lexicon_table *t);

static inline uint16_t
lexicon_slot_tag(uint32_t h)
{
	return (uint16_t)((h >> 16) | 1u);
}

/* Bytes a padded key must have readable from its start (see below). */
#define LEXICON_KEY_READ 16

/*
 * The slot of a folded key whose lexicon_key_hash() is h, or NULL. The key
 * must have LEXICON_KEY_READ bytes readable from its start (the bytes past
 * len are masked off, whatever they hold), so a short key is compared in
 * two loads, without a loop. Keys of 0 or more than LEXICON_TOKEN_MAX
 * bytes are never found.
 */
static inline const struct lexicon_slot *
lexicon_table_find(const struct lexicon_table *t, const char *key, size_t len, uint32_t h)
{
	/* Byte masks for the first len bytes of a 12-byte key, as bytes so
	 * that they work whatever the byte order. */
	static const unsigned char kmask[LEXICON_SLOT_KEY + 1][16] = {
		{ 0 },
		{ 255 }, { 255, 255 }, { 255, 255, 255 }, { 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255 }, { 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255 },
		{ 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255 },
	};
	const uint64_t lanes = 0x0001000100010001ull, high = 0x8000800080008000ull;
	uint64_t want = lanes * lexicon_slot_tag(h), v, m, a0, m0, k0;
	uint32_t a1, m1, k1;
	size_t g = h & t->gmask, l;
	const struct lexicon_slot *sl;
	const uint16_t *tg;

	if (len - 1 >= LEXICON_TOKEN_MAX)  /* 0 or more than LEXICON_TOKEN_MAX */
		return NULL;
	for (;; g = (g + 1) & t->gmask) {
		tg = t->tags + g * LEXICON_GROUP;
		/* Lane l in bits 16l..16l+15: one load where bytes are
		 * little-endian, else composed. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		memcpy(&v, tg, 8);
#else
		v = (uint64_t)tg[0] | (uint64_t)tg[1] << 16 | (uint64_t)tg[2] << 32 |
		    (uint64_t)tg[3] << 48;
#endif
		m = v ^ want;
		/* The high bit of each lane whose tag matches (m's lane is 0). */
		m = ~(((m & ~high) + ~high) | m) & high;
		for (; m != 0; m &= m - 1) {
			/* Lane of the lowest match: its bit is 15, 31, 47 or 63. */
			l = (size_t)((((m & (0 - m)) >> 15) * 0x0000000100020003ull) >> 48) & 3;
			sl = &t->slots[g * LEXICON_GROUP + l];
			if (sl->hash != h || sl->len != len)
				continue;  /* another key with the same tag */
			if (len > LEXICON_SLOT_KEY) {
				if (memcmp(t->pool + sl->key_off, key, len) == 0)
					return sl;
				continue;
			}
			/* The key is read only here: most probes miss, and a
			 * miss is settled by the tags alone. */
			memcpy(&a0, key, 8);
			memcpy(&a1, key + 8, 4);
			memcpy(&m0, kmask[len], 8);
			memcpy(&m1, kmask[len] + 8, 4);
			memcpy(&k0, sl->key, 8);
			memcpy(&k1, sl->key + 8, 4);
			if ((((a0 & m0) ^ k0) | (uint64_t)((a1 & m1) ^ k1)) == 0)
				return sl;
		}
		if (((v - lanes) & ~v & high) != 0)
			return NULL;  /* an empty slot: the key would be here */
	}
}

extern const struct lexicon_seed lexicon_seeds[];
extern const size_t lexicon_nseeds;
extern const struct lexicon_mod_seed lexicon_mod_seeds[];
extern const size_t lexicon_nmod_seeds;

#endif
