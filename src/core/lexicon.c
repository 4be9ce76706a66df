/* lexicon: hashed word/phrase valences, built-in or loaded (see lexicon.h). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "undertone/lexicon.h"
#include "undertone/utf8.h"
#include "undertone/lexicon_data.h"

#define LEXICON_FILE_MAX (32u << 20)  /* bytes: far above any real lexicon */
#define LEX_PAIR_BITS (1u << LEXICON_PAIR_LOG)  /* a few thousand phrases: ~2% false hits */

struct entry {
	uint32_t key;      /* offset into pool */
	uint16_t len;
	uint8_t span;      /* bit k set: a k-word phrase starts with this word */
	uint8_t has_value; /* 0 for a phrase prefix that is not itself an entry */
	uint8_t from_file; /* set by the file being loaded (duplicate check):
	                    * LEX_FILE_FOLDED or LEX_FILE_LOWER */
	uint8_t kind;      /* enum lexicon_modifier of a rule word */
	float valence;     /* modifiers table: the booster scalar */
	float scalar;      /* booster scalar of a rule word */
};

/* How a file wrote a key: with letters that case folding changed, or
 * already in lookup form. */
#define LEX_FILE_FOLDED 1
#define LEX_FILE_LOWER  2

struct lexicon {
	struct entry *entries;
	size_t n, cap;
	uint64_t *slots;   /* open addressing; 0 = empty, else hash << 32 | entry index + 1 */
	size_t mask;
	char *pool;
	size_t pool_len, pool_cap;
	size_t nvalued;
	char version[LEXICON_VERSION_MAX];
	uint64_t pairs[LEX_PAIR_BITS / 64];  /* filter of phrases' first two words */
	/* Probe table, built once the lexicon is complete (index_build): a
	 * 16-bit tag per slot, nonzero when used, beside the 32-byte slots. */
	uint16_t *tags;
	struct lexicon_slot *fast;
	size_t gmask;
};

static uint32_t
hash_bytes(const char *s, size_t len)
{
	return lexicon_key_hash(s, len);
}

/* Record the first two words of a phrase key in the pair filter. */
static void
pair_mark(struct lexicon *lex, const char *key, size_t len)
{
	const char *sp = memchr(key, ' ', len), *end;
	size_t b;

	if (!sp)
		return;
	end = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - key));
	if (!end)
		end = key + len;
	b = lexicon_pair_bit(hash_bytes(key, (size_t)(sp - key)), hash_bytes(sp + 1, (size_t)(end - sp - 1)));
	lex->pairs[b / 64] |= 1ull << (b % 64);
}

/* Keys are short: an inline loop beats a call to memcmp. */
static inline int
same_bytes(const char *a, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* Slot holding key, or the empty slot where it would go. */
#define SLOT_ENTRY(s) ((uint32_t)(s) - 1)
#define SLOT_MAKE(h, n) ((uint64_t)(h) << 32 | (uint32_t)(n))

static uint64_t *
find_slot_h(const struct lexicon *lex, const char *key, size_t len, uint32_t h)
{
	size_t i = h & lex->mask;
	const struct entry *e;
	uint64_t sl;

	for (;; i = (i + 1) & lex->mask) {
		sl = lex->slots[i];
		if (sl == 0)
			return &lex->slots[i];
		if ((uint32_t)(sl >> 32) != h)
			continue;  /* the stored hash rules out other keys unread */
		e = &lex->entries[SLOT_ENTRY(sl)];
		if (e->len == len && same_bytes(lex->pool + e->key, key, len))
			return &lex->slots[i];
	}
}

/* Size the table for at most max_entries keys (phrase prefixes included). */
static uint64_t *
find_slot(const struct lexicon *lex, const char *key, size_t len)
{
	return find_slot_h(lex, key, len, hash_bytes(key, len));
}

static int
lex_init(struct lexicon *lex, size_t max_entries, size_t pool_bytes)
{
	size_t cap = 64;

	memset(lex, 0, sizeof(*lex));
	while (cap < max_entries * 2)
		cap <<= 1;
	lex->entries = malloc(max_entries * sizeof(*lex->entries));
	lex->slots = calloc(cap, sizeof(*lex->slots));
	lex->pool = malloc(pool_bytes ? pool_bytes : 1);
	if (!lex->entries || !lex->slots || !lex->pool)
		return -1;
	lex->cap = max_entries;
	lex->mask = cap - 1;
	lex->pool_cap = pool_bytes;
	return 0;
}

static void
lex_release(struct lexicon *lex)
{
	free(lex->entries);
	free(lex->slots);
	free(lex->pool);
	free(lex->tags);
	free(lex->fast);
}

/* Copy the finished lexicon into the probe table (lexicon_data.h). At
 * most 3/8 full (about 1.1 MiB for the built-in lexicon): at up to 3/4
 * full, many groups were full, and a word not in the lexicon, most words,
 * went on to the next group after a mispredicted branch (round 9: 12%
 * fewer mispredicts a tweet, about 9% faster; startup about 0.2 ms more). */
static int
index_build(struct lexicon *lex)
{
	size_t cap = 64, i, g, l;
	const struct entry *e;
	struct lexicon_slot *sl;
	uint32_t h;

	while (cap * 3 < lex->n * 8)
		cap <<= 1;
	lex->tags = aligned_alloc(64, cap * sizeof(*lex->tags));
	lex->fast = aligned_alloc(64, cap * sizeof(*lex->fast));
	if (!lex->tags || !lex->fast)
		return -1;
	memset(lex->tags, 0, cap * sizeof(*lex->tags));
	memset(lex->fast, 0, cap * sizeof(*lex->fast));
	lex->gmask = cap / LEXICON_GROUP - 1;
	for (i = 0; i < lex->n; i++) {
		e = &lex->entries[i];
		h = hash_bytes(lex->pool + e->key, e->len);
		for (g = h & lex->gmask;; g = (g + 1) & lex->gmask) {
			for (l = 0; l < LEXICON_GROUP && lex->tags[g * LEXICON_GROUP + l]; l++)
				;
			if (l < LEXICON_GROUP)
				break;
		}
		lex->tags[g * LEXICON_GROUP + l] = lexicon_slot_tag(h);
		sl = &lex->fast[g * LEXICON_GROUP + l];
		sl->hash = h;
		sl->valence = e->has_value ? e->valence : 0;
		sl->scalar = e->scalar;
		sl->key_off = e->key;
		sl->len = (uint8_t)e->len;
		sl->span = e->span;
		sl->kind = e->kind;
		sl->has_value = e->has_value;
		if (e->len <= LEXICON_SLOT_KEY)
			memcpy(sl->key, lex->pool + e->key, e->len);
	}
	/* Every lookup now goes through the probe table: the building
	 * structures are not needed any more (the pool is: long keys). */
	free(lex->entries);
	free(lex->slots);
	lex->entries = NULL;
	lex->slots = NULL;
	return 0;
}

void
lexicon_table_get(const struct lexicon *lex, struct lexicon_table *t)
{
	t->tags = lex->tags;
	t->slots = lex->fast;
	t->pool = lex->pool;
	t->gmask = lex->gmask;
	t->pairs = lex->pairs;
}

/* Any key: a short one is copied where LEXICON_KEY_READ bytes are readable. */
static const struct lexicon_slot *
lexicon_find(const struct lexicon *lex, const char *key, size_t len, uint32_t h)
{
	struct lexicon_table t;
	char pad[LEXICON_KEY_READ] = { 0 };

	lexicon_table_get(lex, &t);
	if (len == 0 || len > LEXICON_SLOT_KEY)
		return lexicon_table_find(&t, key, len, h);
	memcpy(pad, key, len);
	return lexicon_table_find(&t, pad, len, h);
}

/* Insert or update key; returns the entry or NULL when full. */
static struct entry *
lex_put(struct lexicon *lex, const char *key, size_t len, int *existed)
{
	uint32_t h = hash_bytes(key, len);
	uint64_t *slot = find_slot_h(lex, key, len, h);
	struct entry *e;

	*existed = *slot != 0;
	if (*slot)
		return &lex->entries[SLOT_ENTRY(*slot)];
	if (lex->n >= lex->cap || lex->pool_len + len > lex->pool_cap)
		return NULL;
	e = &lex->entries[lex->n];
	memcpy(lex->pool + lex->pool_len, key, len);
	e->key = (uint32_t)lex->pool_len;
	e->len = (uint16_t)len;
	e->span = 0;
	e->has_value = 0;
	e->from_file = 0;
	e->kind = LEXICON_MOD_NONE;
	e->valence = 0;
	e->scalar = 0;
	lex->pool_len += len;
	*slot = SLOT_MAKE(h, ++lex->n);
	return e;
}

static unsigned
count_words(const char *key, size_t len)
{
	unsigned w = 1;
	size_t i;

	for (i = 0; i < len; i++)
		w += key[i] == ' ';
	return w;
}

/* Entry for a prefix of an existing key: it shares the key's pool bytes. */
static struct entry *
lex_put_ref(struct lexicon *lex, uint32_t off, size_t len)
{
	uint32_t h = hash_bytes(lex->pool + off, len);
	uint64_t *slot = find_slot_h(lex, lex->pool + off, len, h);
	struct entry *e;

	if (*slot)
		return &lex->entries[SLOT_ENTRY(*slot)];
	if (lex->n >= lex->cap)
		return NULL;
	e = &lex->entries[lex->n];
	memset(e, 0, sizeof(*e));
	e->key = off;
	e->len = (uint16_t)len;
	*slot = SLOT_MAKE(h, ++lex->n);
	return e;
}

/* Set a valence. Every proper word prefix of a phrase gets an entry whose
 * span bit says a longer phrase continues, so matching can stop early.
 * *dup tells whether the key was already set by this file. */
static int
lex_set(struct lexicon *lex, const char *key, size_t len, float v,
    int from_file, int *dup)
{
	int existed;
	struct entry *e = lex_put(lex, key, len, &existed);
	unsigned words = count_words(key, len);
	const char *sp;
	uint32_t off;

	if (!e)
		return -1;
	*dup = e->has_value && e->from_file && from_file;
	/* Within a file the later line wins, as in the reference
	 * implementations, except that a key written in upper case (":P",
	 * "O.o") never replaces the same key written in lower case (":p",
	 * "o.o"): the references look up lower-cased text, so only the
	 * lower-case line is ever read there. */
	if (*dup && e->from_file == LEX_FILE_LOWER && from_file == LEX_FILE_FOLDED)
		return 0;
	if (!e->has_value)
		lex->nvalued++;
	e->has_value = 1;
	e->from_file = (uint8_t)from_file;
	e->valence = v;
	off = e->key;
	pair_mark(lex, key, len);
	for (sp = memchr(key, ' ', len); sp; sp = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - key))) {
		if (!(e = lex_put_ref(lex, off, (size_t)(sp - key))))
			return -1;
		e->span |= (uint8_t)(1u << words);  /* words <= 7 (LEXICON_PHRASE_WORDS) */
	}
	return 0;
}

static void
version_builtin(struct lexicon *lex)
{
	uint64_t h = 1469598103934665603ull;
	size_t i, j;
	char num[32];

	for (i = 0; i < lexicon_nseeds; i++) {
		const char *k = lexicon_seeds[i].key;
		int len = snprintf(num, sizeof(num), "\t%.2f\n", lexicon_seeds[i].valence);

		for (j = 0; k[j]; j++)
			h = (h ^ (unsigned char)k[j]) * 1099511628211ull;
		for (j = 0; j < (size_t)len; j++)
			h = (h ^ (unsigned char)num[j]) * 1099511628211ull;
	}
	snprintf(lex->version, sizeof(lex->version), "builtin-%08x",
	    (unsigned)(h ^ (h >> 32)));
}

static int
fill_builtin(struct lexicon *lex)
{
	size_t i;
	int dup;

	for (i = 0; i < lexicon_nseeds; i++)
		if (lex_set(lex, lexicon_seeds[i].key, strlen(lexicon_seeds[i].key),
		    lexicon_seeds[i].valence, 0, &dup) != 0)
			return -1;
	return 0;
}

static size_t
builtin_pool_bytes(void)
{
	size_t i, n = 0;

	for (i = 0; i < lexicon_nseeds; i++)
		n += strlen(lexicon_seeds[i].key);
	return n;
}

/* Entries needed: one per key plus one per proper prefix (one per space). */
static size_t
builtin_words(void)
{
	size_t i, n = 0;

	for (i = 0; i < lexicon_nseeds; i++)
		n += count_words(lexicon_seeds[i].key, strlen(lexicon_seeds[i].key));
	return n;
}

static struct lexicon builtin;
static struct lexicon modifiers;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void
build_modifiers(void)
{
	size_t i, pool = 0;
	int existed;
	struct entry *e;

	int dup;

	for (i = 0; i < lexicon_nmod_seeds; i++)
		pool += strlen(lexicon_mod_seeds[i].word);
	if (lex_init(&modifiers, 6 * lexicon_nmod_seeds, pool) != 0)
		abort();
	for (i = 0; i < lexicon_nmod_seeds; i++) {
		const char *w = lexicon_mod_seeds[i].word;

		/* lex_set also records rule phrases' first words with a span. */
		if (lex_set(&modifiers, w, strlen(w), lexicon_mod_seeds[i].scalar, 0, &dup) != 0 ||
		    !(e = lex_put(&modifiers, w, strlen(w), &existed)))
			abort();
		e->kind = lexicon_mod_seeds[i].kind;
	}
}

/* Words and bytes the rule words add to a lexicon. */
static void
modifier_size(size_t *words, size_t *bytes)
{
	size_t i, len;

	*words = *bytes = 0;
	for (i = 0; i < lexicon_nmod_seeds; i++) {
		len = strlen(lexicon_mod_seeds[i].word);
		*words += count_words(lexicon_mod_seeds[i].word, len);
		*bytes += len;
	}
}

/* Copy the rule words into a lexicon, so one probe finds a word's valence
 * and its rule kind; their phrases ("kind of") get prefix entries too. */
static int
add_modifiers(struct lexicon *lex)
{
	size_t i, len;
	int existed;
	struct entry *e;
	const char *w, *sp;
	uint32_t off;
	unsigned words;

	for (i = 0; i < lexicon_nmod_seeds; i++) {
		w = lexicon_mod_seeds[i].word;
		len = strlen(w);
		if (!(e = lex_put(lex, w, len, &existed)))
			return -1;
		e->kind = lexicon_mod_seeds[i].kind;
		e->scalar = lexicon_mod_seeds[i].scalar;
		off = e->key;
		pair_mark(lex, w, len);
		words = count_words(w, len);
		for (sp = memchr(w, ' ', len); sp; sp = memchr(sp + 1, ' ', len - (size_t)(sp + 1 - w))) {
			if (!(e = lex_put_ref(lex, off, (size_t)(sp - w))))
				return -1;
			e->span |= (uint8_t)(1u << words);
		}
	}
	return 0;
}

/* Built once for the process; failure to get a few hundred KiB at startup
 * leaves nothing sensible to do. */
static void
build_builtin(void)
{
	size_t mw, mb;

	modifier_size(&mw, &mb);
	if (lex_init(&builtin, builtin_words() + mw, builtin_pool_bytes() + mb) != 0 ||
	    fill_builtin(&builtin) != 0 || add_modifiers(&builtin) != 0 ||
	    index_build(&builtin) != 0)
		abort();
	version_builtin(&builtin);
	build_modifiers();
}

const struct lexicon *
lexicon_builtin(void)
{
	pthread_once(&builtin_once, build_builtin);
	return &builtin;
}

enum lexicon_modifier
lexicon_modifier(const char *word, size_t len, double *scalar)
{
	uint64_t *slot;
	const struct entry *e;

	pthread_once(&builtin_once, build_builtin);
	if (len == 0 || len > LEXICON_TOKEN_MAX)
		return LEXICON_MOD_NONE;
	slot = find_slot(&modifiers, word, len);
	if (*slot == 0)
		return LEXICON_MOD_NONE;
	e = &modifiers.entries[SLOT_ENTRY(*slot)];
	if (scalar)
		*scalar = e->valence;
	return (enum lexicon_modifier)e->kind;
}

bool
lexicon_pair_may_start(const struct lexicon *lex, uint32_t h1, uint32_t h2)
{
	size_t b = lexicon_pair_bit(h1, h2);

	return (lex->pairs[b / 64] >> (b % 64)) & 1;
}

void
lexicon_probe(const struct lexicon *lex, const char *word, size_t len,
    struct lexicon_hit *hit)
{
	lexicon_probe_hashed(lex, word, len, hash_bytes(word, len), hit);
}

void
lexicon_probe_hashed(const struct lexicon *lex, const char *word, size_t len,
    uint32_t h, struct lexicon_hit *hit)
{
	const struct lexicon_slot *sl = lexicon_find(lex, word, len, h);

	hit->mod_span_mask = 0;  /* rule phrases share span_mask (kept for the API) */
	if (!sl) {
		hit->has_valence = false;
		hit->valence = hit->scalar = 0;
		hit->span_mask = 0;
		hit->mod = LEXICON_MOD_NONE;
		return;
	}
	hit->has_valence = sl->has_value;
	hit->valence = sl->valence;
	hit->span_mask = sl->span;
	hit->mod = (enum lexicon_modifier)sl->kind;
	hit->scalar = sl->scalar;
}

bool
lexicon_lookup(const struct lexicon *lex, const char *key, size_t len,
    double *valence)
{
	const struct lexicon_slot *sl = lexicon_find(lex, key, len, hash_bytes(key, len));

	if (!sl || !sl->has_value)
		return false;
	*valence = sl->valence;
	return true;
}

unsigned
lexicon_phrase_span(const struct lexicon *lex, const char *word, size_t len)
{
	const struct lexicon_slot *sl = lexicon_find(lex, word, len, hash_bytes(word, len));
	unsigned mask, k = 0;

	if (!sl)
		return 0;
	for (mask = sl->span; mask > 1; mask >>= 1)
		k++;
	return k;
}

const char *
lexicon_version(const struct lexicon *lex)
{
	return lex->version;
}

size_t
lexicon_size(const struct lexicon *lex)
{
	return lex->nvalued;
}

/* Fold a token from a file like the tokenizer does (ASCII and Latin-1
 * lower-case, U+2019 to '), collapsing blank runs to one space. Returns the
 * folded length, or 0 if the token is unusable. */
static size_t
fold_key(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0, used;
	uint32_t cp;
	unsigned words = 1;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
		len--;
	while (i < len && s[i] == ' ')
		i++;
	if (i == len || len - i > LEXICON_TOKEN_MAX || !utf8_valid(s + i, len - i))
		return 0;
	while (i < len) {
		cp = utf8_decode(s + i, len - i, &used);
		if (cp == ' ') {
			if (out[o - 1] != ' ')
				out[o++] = ' ', words++;
		} else if (cp == 0x2019) {
			out[o++] = '\'';
		} else if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) {
			o += utf8_encode(cp + 0x20, out + o);
		} else if (cp < 0x20 || cp == 0x7F) {
			return 0;
		} else {
			memcpy(out + o, s + i, used);
			o += used;
		}
		i += used;
	}
	return words > LEXICON_PHRASE_WORDS ? 0 : o;
}

/* Parse the valence field: a finite number, blanks around it allowed. */
static int
parse_valence(const char *s, size_t len, double *v)
{
	char num[64], *end;

	while (len > 0 && (*s == ' '))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\r'))
		len--;
	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	errno = 0;
	*v = strtod(num, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*v))
		return -1;
	return 0;
}

static void
report_bad(struct lexicon_report *rep, size_t line, enum lexicon_line_error k)
{
	rep->bad[k]++;
	rep->nbad++;
	if (rep->shown < LEXICON_REPORT_LINES) {
		rep->line[rep->shown] = line;
		rep->kind[rep->shown++] = k;
	}
}

/* Parse one line (without its newline) into lex. */
static int
parse_line(struct lexicon *lex, const char *s, size_t len, size_t lineno,
    struct lexicon_report *rep)
{
	const char *tab, *vend;
	char key[LEXICON_TOKEN_MAX * 2];
	size_t klen;
	double v;
	int dup;

	if (len > LEXICON_LINE_MAX) {
		report_bad(rep, lineno, LEXICON_LE_TOO_LONG);
		return 0;
	}
	if (len == 0 || s[0] == '#' || (len == 1 && s[0] == '\r'))
		return 0;
	if (!(tab = memchr(s, '\t', len))) {
		report_bad(rep, lineno, LEXICON_LE_NO_TAB);
		return 0;
	}
	if ((klen = fold_key(s, (size_t)(tab - s), key)) == 0) {
		report_bad(rep, lineno, LEXICON_LE_TOKEN);
		return 0;
	}
	vend = memchr(tab + 1, '\t', len - (size_t)(tab + 1 - s));
	if (!vend)
		vend = s + len;
	if (parse_valence(tab + 1, (size_t)(vend - tab - 1), &v) != 0) {
		report_bad(rep, lineno, LEXICON_LE_BAD_NUMBER);
		return 0;
	}
	if (v < -4.0 || v > 4.0) {
		report_bad(rep, lineno, LEXICON_LE_RANGE);
		return 0;
	}
	if (lex_set(lex, key, klen, (float)v, klen == (size_t)(tab - s) &&
	    memcmp(key, s, klen) == 0 ? LEX_FILE_LOWER : LEX_FILE_FOLDED, &dup) != 0)
		return -1;
	if (dup)
		report_bad(rep, lineno, LEXICON_LE_DUPLICATE);
	else
		rep->entries++;
	return 0;
}

static void
version_file(struct lexicon *lex, const char *buf, size_t len,
    enum lexicon_mode mode)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];

	crypto_hash_sha256(h, (const unsigned char *)buf, len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	hex[12] = '\0';
	if (mode == LEXICON_EXTEND)
		snprintf(lex->version, sizeof(lex->version), "%.16s+file-%.12s",
		    lexicon_builtin()->version, hex);
	else
		snprintf(lex->version, sizeof(lex->version), "file-%.12s", hex);
}

/* Bound on words in the buffer: every word of every key ends at a space,
 * tab or newline (or the end). */
static size_t
count_words_bound(const char *buf, size_t len)
{
	size_t n = 1, i;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n' || buf[i] == ' ';
	return n;
}

struct lexicon *
lexicon_load_buffer(const char *buf, size_t len, enum lexicon_mode mode,
    struct lexicon_report *rep)
{
	struct lexicon *lex;
	const struct lexicon *b = lexicon_builtin();
	/* Prefix entries share their phrase's bytes, so the buffer bounds the pool. */
	size_t words = count_words_bound(buf, len), off = 0, eol, base = 0, pool = len, mw, mb;

	memset(rep, 0, sizeof(*rep));
	modifier_size(&mw, &mb);
	base = mw;
	pool += mb;
	if (mode == LEXICON_EXTEND) {
		base += b->n;
		pool += b->pool_len;
	}
	if (!(lex = malloc(sizeof(*lex))) ||
	    lex_init(lex, base + (words < 6 * LEXICON_ENTRIES_MAX ? words : 6 * LEXICON_ENTRIES_MAX), pool) != 0) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		goto fail;
	}
	if (mode == LEXICON_EXTEND && fill_builtin(lex) != 0) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		goto fail;
	}
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);

		eol = nl ? (size_t)(nl - buf) : len;
		rep->lines++;
		if (rep->entries >= LEXICON_ENTRIES_MAX ||
		    parse_line(lex, buf + off, eol - off, rep->lines, rep) != 0) {
			snprintf(rep->error, sizeof(rep->error),
			    "more than %u entries", (unsigned)LEXICON_ENTRIES_MAX);
			goto fail;
		}
		off = eol + 1;
	}
	if (rep->entries == 0) {
		snprintf(rep->error, sizeof(rep->error), "no valid entries");
		goto fail;
	}
	if (add_modifiers(lex) != 0 || index_build(lex) != 0) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		goto fail;
	}
	version_file(lex, buf, len, mode);
	return lex;
fail:
	if (lex) {
		lex_release(lex);
		free(lex);
	}
	return NULL;
}

struct lexicon *
lexicon_load_file(const char *path, enum lexicon_mode mode,
    struct lexicon_report *rep)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, got;
	struct lexicon *lex = NULL;

	memset(rep, 0, sizeof(*rep));
	if (!f) {
		snprintf(rep->error, sizeof(rep->error), "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!(buf = malloc(LEXICON_FILE_MAX + 1))) {
		snprintf(rep->error, sizeof(rep->error), "out of memory");
		goto out;
	}
	while ((got = fread(buf + len, 1, LEXICON_FILE_MAX + 1 - len, f)) > 0)
		len += got;
	if (ferror(f))
		snprintf(rep->error, sizeof(rep->error), "%s: read error", path);
	else if (len > LEXICON_FILE_MAX)
		snprintf(rep->error, sizeof(rep->error), "%s: larger than %u MiB",
		    path, (unsigned)(LEXICON_FILE_MAX >> 20));
	else
		lex = lexicon_load_buffer(buf, len, mode, rep);
out:
	free(buf);
	fclose(f);
	return lex;
}

void
lexicon_free(struct lexicon *lex)
{
	if (!lex || lex == &builtin)
		return;
	lex_release(lex);
	free(lex);
}

const char *
lexicon_line_error_name(enum lexicon_line_error e)
{
	static const char *const names[] = {
		"no tab after the token", "valence is not a number",
		"valence outside -4..+4", "bad token (empty, too long, too many words or not UTF-8)",
		"line too long", "duplicate token",
	};

	return (unsigned)e < LEXICON_LE__COUNT ? names[e] : "unknown";
}
