/*
 * lexicon: word and phrase valences for the sentiment engine.
 *
 * Contract: a lexicon maps a case-folded token, or a phrase of up to
 * LEXICON_PHRASE_WORDS tokens joined by single spaces, to a valence on the
 * -4..+4 scale. The built-in lexicon is compiled in (generated at build time
 * from the data/lexicon .tsv files); it is built once, is immutable and thread-safe
 * and must not be freed. Loaded lexicons are immutable after loading, safe to
 * share between threads, and owned by the caller (lexicon_free). Lookups
 * never allocate. Files are hostile input: every line is bounded and each
 * kind of bad line is counted separately, never fatal.
 */
#ifndef UNDERTONE_LEXICON_H
#define UNDERTONE_LEXICON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct lexicon;

#define LEXICON_TOKEN_MAX     64     /* bytes in one entry's key (a word or phrase) */
#define LEXICON_PHRASE_WORDS  6      /* most words in one phrase entry */
#define LEXICON_ENTRIES_MAX   200000 /* most entries accepted from a file */
#define LEXICON_LINE_MAX      1024   /* longest accepted line in a file */
#define LEXICON_VERSION_MAX   48     /* bytes of lexicon_version(), NUL included */

enum lexicon_mode {
	LEXICON_REPLACE,  /* the file's entries only */
	LEXICON_EXTEND    /* built-in entries, overridden/extended by the file's */
};

/* Kinds of bad line in a lexicon file (each counted in lexicon_report). */
enum lexicon_line_error {
	LEXICON_LE_NO_TAB,      /* no tab separating token and valence */
	LEXICON_LE_BAD_NUMBER,  /* valence is not a finite number */
	LEXICON_LE_RANGE,       /* valence outside -4..+4 */
	LEXICON_LE_TOKEN,       /* empty, too long, too many words, or not UTF-8 */
	LEXICON_LE_TOO_LONG,    /* line longer than LEXICON_LINE_MAX */
	LEXICON_LE_DUPLICATE,   /* token already defined in the same file (later wins) */
	LEXICON_LE__COUNT
};

/* What loading a file found. first_line/first_msg describe the first few
 * bad lines for a human; counts cover all of them. */
#define LEXICON_REPORT_LINES 8
struct lexicon_report {
	size_t lines;                           /* lines read */
	size_t entries;                         /* entries accepted from the file */
	size_t bad[LEXICON_LE__COUNT];          /* bad lines by kind */
	size_t nbad;                            /* total bad lines */
	size_t shown;                           /* entries used in line[]/kind[] */
	size_t line[LEXICON_REPORT_LINES];      /* 1-based line numbers */
	enum lexicon_line_error kind[LEXICON_REPORT_LINES];
	char error[160];                        /* set when loading fails outright */
};

/* The compiled-in lexicon; built on first call (thread-safe), never NULL. */
const struct lexicon *lexicon_builtin(void);

/*
 * Load a tab-separated file: "token<TAB>valence[<TAB>ignored...]", '#'
 * comments and blank lines allowed, tokens case-folded. Returns NULL with
 * rep->error set if the file cannot be read, has no valid entry, or exceeds
 * LEXICON_ENTRIES_MAX. rep may not be NULL.
 */
struct lexicon *lexicon_load_file(const char *path, enum lexicon_mode mode,
    struct lexicon_report *rep);

/* Same, from a buffer in memory (the version hashes the buffer). */
struct lexicon *lexicon_load_buffer(const char *buf, size_t len,
    enum lexicon_mode mode, struct lexicon_report *rep);

void lexicon_free(struct lexicon *lex);  /* NULL and the built-in are ignored */

/* Short stable identifier: "builtin-<8 hex>", "file-<12 hex of SHA-256>",
 * or "builtin-<8 hex>+file-<12 hex>" for extend mode. */
const char *lexicon_version(const struct lexicon *lex);

size_t lexicon_size(const struct lexicon *lex);  /* number of entries */

/* Valence of a case-folded key (word or space-joined phrase); false if absent. */
bool lexicon_lookup(const struct lexicon *lex, const char *key, size_t len,
    double *valence);

/* Most words of any phrase entry that starts with this folded word (0 if
 * none): lets the scorer skip phrase probes for most tokens. */
unsigned lexicon_phrase_span(const struct lexicon *lex, const char *word, size_t len);

const char *lexicon_line_error_name(enum lexicon_line_error e);

/*
 * Rule words are compiled in (data/lexicon/modifiers.tsv) and are the same
 * whichever lexicon is loaded: a file changes valences, not grammar.
 */
enum lexicon_modifier {
	LEXICON_MOD_NONE,
	LEXICON_MOD_BOOSTER,   /* scalar > 0 intensifies, < 0 dampens */
	LEXICON_MOD_NEGATOR,   /* "not", "never", "n't" forms, "without"... */
	LEXICON_MOD_CONTRAST   /* "but": weight moves to the clause after it */
};

/* Kind of a case-folded rule word; *scalar is set for boosters (may be NULL). */
enum lexicon_modifier lexicon_modifier(const char *word, size_t len, double *scalar);

/* Everything the scorer needs about one folded word, in one hash probe. */
struct lexicon_hit {
	double valence;             /* valid when has_valence */
	bool has_valence;
	unsigned span_mask;         /* bit k: a k-word lexicon phrase starts here */
	enum lexicon_modifier mod;  /* rule kind of the word itself */
	double scalar;              /* booster scalar */
	unsigned mod_span_mask;     /* bit k: a k-word rule phrase ("kind of") starts here */
};
/*
 * Key hashes for callers that probe often: lexicon_key_hash() of the folded
 * key bytes, computed once per word (the tokenizer makes it from the
 * word's bytes in registers). The key is read as little-endian 8-byte
 * chunks, the last padded with zeros: the first two (a key of up to 16
 * bytes, nearly every word) are folded into one with a multiply and mixed
 * with the length, any further ones one after another, and the high half
 * of one last product is the hash: a word costs two multiplies and no loop
 * whose length is the word's (FNV-1a, used until round 7, needed a
 * multiply per byte, one after another). A hash never decides a match
 * alone (keys are compared), so collisions only cost a compare.
 * lexicon_probe_hashed() is lexicon_probe() with h = lexicon_key_hash(key,
 * len) given; a wrong h only misses. lexicon_pair_may_start(lex, h1, h2):
 * false when no phrase of the lexicon starts with the two words whose
 * hashes are h1, h2 (a filter: true may still find none), so most words
 * need no phrase probe at all.
 */
static inline uint64_t
lexicon_hash_pair(uint64_t c0, uint64_t c1, size_t len)
{
	return c0 ^ (c1 * 0xBF58476D1CE4E5B9ull) ^ (uint64_t)len;
}

/* A chunk after the first two. */
static inline uint64_t
lexicon_hash_more(uint64_t h, uint64_t c)
{
	h = (h ^ c) * 0x9E3779B97F4A7C15ull;
	return h ^ (h >> 32);
}

static inline uint32_t
lexicon_hash_end(uint64_t h)
{
	return (uint32_t)((h * 0x94D049BB133111EBull) >> 32);
}

/* The little-endian value of s[0..k), k <= 8. */
static inline uint64_t
lexicon_hash_chunk(const char *s, size_t k)
{
	uint64_t c = 0;
	size_t j;

	for (j = 0; j < k; j++)
		c |= (uint64_t)(unsigned char)s[j] << (8 * j);
	return c;
}

static inline uint32_t
lexicon_key_hash(const char *s, size_t len)
{
	uint64_t h;
	size_t i;

	h = lexicon_hash_pair(lexicon_hash_chunk(s, len < 8 ? len : 8),
	    len > 8 ? lexicon_hash_chunk(s + 8, len < 16 ? len - 8 : 8) : 0, len);
	for (i = 16; i < len; i += 8)
		h = lexicon_hash_more(h, lexicon_hash_chunk(s + i, len - i < 8 ? len - i : 8));
	return lexicon_hash_end(h);
}

/* lexicon_hash_chunk() from one 8-byte load (8 bytes readable at s), the
 * bytes past the first k masked off. */
static inline uint64_t
lexicon_hash_load(const char *s, size_t k)
{
	uint64_t c;

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	memcpy(&c, s, 8);
	c &= k >= 8 ? ~0ull : ~(~0ull << (8 * k));
#else
	c = lexicon_hash_chunk(s, k < 8 ? k : 8);
#endif
	return c;
}

/* lexicon_key_hash() from whole 8-byte loads: s must have len + 16 bytes
 * readable (a padded key or folded text); what lies past len is ignored. */
static inline uint32_t
lexicon_key_hash_padded(const char *s, size_t len)
{
	uint64_t h;
	size_t i;

	h = lexicon_hash_pair(lexicon_hash_load(s, len),
	    lexicon_hash_load(s + 8, len > 8 ? len - 8 : 0), len);
	for (i = 16; i < len; i += 8)
		h = lexicon_hash_more(h, lexicon_hash_load(s + i, len - i));
	return lexicon_hash_end(h);
}

void lexicon_probe_hashed(const struct lexicon *lex, const char *key, size_t len,
    uint32_t h, struct lexicon_hit *hit);

bool lexicon_pair_may_start(const struct lexicon *lex, uint32_t h1, uint32_t h2);

void lexicon_probe(const struct lexicon *lex, const char *word, size_t len,
    struct lexicon_hit *hit);

#endif
