/* sentiment: VADER-style rule-based scoring with phrases (see sentiment.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/lexicon_data.h"
#include "undertone/sentiment.h"
#include "undertone/tokenize.h"
#include "undertone/utf8.h"

/* Constants of the rule-based model; the values are those published with
 * VADER (Hutto & Gilbert 2014) so that scores stay comparable. */
#define C_INCR    0.733   /* ALL-CAPS emphasis */
#define N_SCALAR  (-0.74) /* negation flips and softens */
#define BUT_LOW   0.5     /* weight before "but" */
#define BUT_HIGH  1.5     /* weight after "but" */
#define EP_STEP   0.292   /* per '!', at most EP_MAX */
#define EP_MAX    4
#define QM_STEP   0.18    /* per '?' when 2 or 3 */
#define QM_MANY   0.96    /* 4 or more '?' */
#define ALPHA     15.0    /* normalisation: x / sqrt(x^2 + ALPHA) */
#define WINDOW    3       /* preceding words a modifier can reach */
#define ELONG_INCR 0.293  /* "sooo good": emphasis of a stretched word (a booster's) */

/* Paths taken for a few words per sentence stay out of the word loop, so
 * that its variables keep their registers. */
#if defined(__GNUC__)
#define COLD_PATH __attribute__((noinline))
#else
#define COLD_PATH
#endif

/* Tokens ahead whose probe lines are asked for before a word's probe. */
#define PREFETCH_AHEAD 4

/* One scoring unit: a word, emoticon, emoji, or a matched phrase. */
struct unit {
	uint16_t tok;           /* first token */
	uint16_t clause;        /* modifiers do not cross clause punctuation */
	uint16_t koff, klen;    /* folded text: keys + koff (a stretched word's squeezed) */
	uint8_t ntok;           /* tokens covered (<= LEXICON_PHRASE_WORDS) */
	uint8_t mod;            /* enum lexicon_modifier */
	uint8_t has_val;        /* in the lexicon */
	uint8_t caps, phrase;
	uint8_t elong;          /* found after squeezing repeated letters */
	uint8_t negates;        /* a negator that negated a later unit */
	float num;              /* the valence if has_val, else a booster's scalar */
};

/* Working memory, bounded by the text limit. Too big for the stack of a
 * hot path (probing it costs more than the scoring), so it lives in a
 * per-thread or caller-owned buffer. */
struct sentiment_scratch {
	const struct lexicon *lex;
	const char *text, *folded;
	struct lexicon_table tab;            /* lex's probe table */
	/* The tokens, then PREFETCH_AHEAD stand-ins (pad_tokens()). */
	struct token toks[TOKENIZE_TOKENS_MAX + PREFETCH_AHEAD];
	/* The folded text, padded for probes, then the keys of stretched
	 * words (from SQUEEZED): one array, so a unit names its key with a
	 * 16-bit offset. */
	char keys[2 * (TOKENIZE_TEXT_MAX + LEXICON_KEY_READ)];
	struct tokenized tz;
	struct unit u[TOKENIZE_TOKENS_MAX];
	double s[TOKENIZE_TOKENS_MAX];
	unsigned rules[TOKENIZE_TOKENS_MAX];
	size_t nu;
	size_t nval, vidx[TOKENIZE_TOKENS_MAX];  /* units with a valence, in order */
	size_t but;                          /* first contrast unit, or SIZE_MAX */
	size_t nsq;                          /* bytes used from SQUEEZED */
};
#define SQUEEZED (TOKENIZE_TEXT_MAX + LEXICON_KEY_READ)
_Static_assert(2 * SQUEEZED <= UINT16_MAX, "a key's offset fits a unit's koff");
_Static_assert(LEXICON_KEY_READ >= TOKENIZE_FOLD_PAD,
    "fold has room for tokenize_padded()");

/* Links and @handles are neither words nor clause punctuation. */
static inline int
is_wordlike(const struct token *t)
{
	return t->kind <= TOK_EMOJI;
}

/* Punctuation that ends a clause for negation and boosters. */
static inline int
is_clause_break(const struct sentiment_scratch *w, const struct token *t)
{
	/* Bit c - 32 for '!', ',', '.', ':', ';', '?'. */
	unsigned c = (unsigned char)w->text[t->off] - 32u;

	return (t->kind == TOK_PUNCT) & (c < 32) & (int)((0x8C005002u >> (c & 31)) & 1);
}

static int
ukey_is(const struct sentiment_scratch *w, const struct unit *u, const char *lit)
{
	size_t n = strlen(lit);

	return u->klen == n && memcmp(w->folded + u->koff, lit, n) == 0;
}

/* Copy a word into a phrase key: a fixed 16 bytes when it fits (the
 * folded text and the key have LEXICON_KEY_READ bytes to spare), which
 * compiles to two moves instead of a call that branches on the length. */
static inline void
copy_key(char *dst, const char *src, size_t n)
{
	if (n <= LEXICON_KEY_READ)
		memcpy(dst, src, LEXICON_KEY_READ);
	else
		memcpy(dst, src, n);
}

/* Append folded token first + k to the key (after a space); 0 when it is
 * not a word (a phrase never spans punctuation, a link or a handle) or
 * the key would exceed the bound. */
static size_t
append_word(const struct sentiment_scratch *w, size_t first, size_t k, char *key, size_t n)
{
	const struct token *t = &w->toks[first + k];

	if (!is_wordlike(t) || n + 1 + t->flen > LEXICON_TOKEN_MAX)
		return 0;
	key[n++] = ' ';
	copy_key(key + n, w->folded + t->foff, t->flen);
	return n + t->flen;
}

/*
 * The hash of a phrase key of n bytes that ends with folded token t (the
 * key's text in key, t's bytes from its n - t->flen). The first 16 bytes
 * of the key are kept in a register (*k) as it grows, from the folded
 * text, so the hash does not wait for the bytes just stored in key (a
 * wide load over several recent narrow stores cannot take their data
 * straight from them); longer keys are hashed from key.
 */
#if defined(__SIZEOF_INT128__) && defined(__BYTE_ORDER__) && \
    defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PHRASE_KEY_REG 1
__extension__ typedef unsigned __int128 phrase_key;
#else
typedef int phrase_key;
#endif

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline uint32_t
phrase_hash(const struct sentiment_scratch *w, const struct token *t, const char *key,
    size_t n, phrase_key *k)
{
#ifdef PHRASE_KEY_REG
	const char *s = w->folded + t->foff;  /* padded: 16 bytes readable */
	size_t at = n - t->flen;               /* where t starts in the key */
	phrase_key b;

	if (n > 16)
		return lexicon_key_hash_padded(key, n);
	b = (phrase_key)lexicon_hash_load(s + 8, t->flen > 8 ? t->flen - 8 : 0) << 64 |
	    lexicon_hash_load(s, t->flen);
	if (at > 0)  /* " word" after the key so far: the space before it */
		*k |= (phrase_key)' ' << (8 * (at - 1));
	*k |= b << (8 * at);
	return lexicon_hash_end(lexicon_hash_pair((uint64_t)*k, (uint64_t)(*k >> 64), n));
#else
	(void)w;
	(void)t;
	(void)k;
	return lexicon_key_hash_padded(key, n);
#endif
}

/* Longest phrase (a valence phrase, or a rule phrase such as "kind of"
 * or "anything but") starting at word token first, whose slot is sl (the
 * next token is a word, and the two passed the pair filter). Every
 * prefix of a phrase is in the lexicon, so the walk stops at the first
 * word that continues none. Returns the words (tokens) covered, or 0. */
COLD_PATH static size_t
match_phrase(struct sentiment_scratch *w, size_t first, size_t ntok,
    const struct lexicon_slot *sl, struct unit *u)
{
	const struct token *t = &w->toks[first];
	char key[LEXICON_TOKEN_MAX + LEXICON_KEY_READ];
	size_t k, n = t->flen, best = 0;
	phrase_key kr = 0;

	copy_key(key, w->folded + t->foff, n);
	(void)phrase_hash(w, t, key, n, &kr);
	for (k = 1; first + k < ntok && k < LEXICON_PHRASE_WORDS; k++) {
		if (!sl || (sl->span >> (k + 1)) == 0)
			break;  /* no longer phrase continues this prefix */
		if ((n = append_word(w, first, k, key, n)) == 0)
			break;
		if (!(sl = lexicon_table_find(&w->tab, key, n,
		    phrase_hash(w, &w->toks[first + k], key, n, &kr))))
			break;
		if (sl->has_value) {
			u->has_val = 1;
			u->num = sl->valence;
			u->phrase = 1;
			u->mod = LEXICON_MOD_NONE;
			best = k + 1;
		} else if (sl->kind == LEXICON_MOD_BOOSTER || sl->kind == LEXICON_MOD_NEGATOR) {
			/* A rule phrase: "kind of" dampens, "anything but" negates. */
			u->has_val = 0;
			u->phrase = 0;
			u->mod = sl->kind;
			u->num = sl->scalar;
			best = k + 1;
		}
	}
	return best;
}

/* Copy s[0..n) with every run of more than 'keep' equal ASCII letters cut
 * to 'keep'; returns the new length, or 0 when nothing was cut. */
static size_t
squeeze(const char *s, size_t n, char *out, size_t keep)
{
	size_t i, o = 0, run = 0;
	int cut = 0;

	for (i = 0; i < n; i++) {
		run = (i > 0 && s[i] == s[i - 1]) ? run + 1 : 1;
		if (run > keep && s[i] >= 'a' && s[i] <= 'z') {
			cut = 1;
			continue;
		}
		out[o++] = s[i];
	}
	return cut ? o : 0;
}

/* A word not in the lexicon that has a letter three or more times in a row
 * ("sooo", "loooove", "yaaay"; the tokenizer flags it) is looked up with runs cut to two letters,
 * then to one. The key lives in the scratch buffer. Returns the slot of a
 * hit (a valence or a rule), or NULL. */
COLD_PATH static const struct lexicon_slot *
match_stretched(struct sentiment_scratch *w, const struct token *t, struct unit *u)
{
	const char *s = w->folded + t->foff;
	char *out = w->keys + SQUEEZED + w->nsq;
	size_t keep, n;
	const struct lexicon_slot *sl;

	if (!(t->flags & TOK_F_STRETCH) || w->nsq + t->flen > TOKENIZE_TEXT_MAX)
		return NULL;
	for (keep = 2; keep >= 1; keep--) {
		if ((n = squeeze(s, t->flen, out, keep)) == 0)
			continue;
		sl = lexicon_table_find(&w->tab, out, n, lexicon_key_hash(out, n));
		if (sl && (sl->has_value || sl->kind != LEXICON_MOD_NONE)) {
			u->koff = (uint16_t)(SQUEEZED + w->nsq);
			u->klen = (uint16_t)n;
			u->elong = 1;
			w->nsq += n;
			return sl;
		}
	}
	return NULL;
}

/* Laughter spelled at any length ("hahahaha", "ahahah", "bahaha",
 * "muahaha", "hehehe"): an optional "b", "mu" or "mw", an optional leading
 * vowel, then "h"+vowel at least twice with one vowel throughout, and an
 * optional final "h". Such words are read as the lexicon's "haha", so the
 * rating stays the lexicon's (and nothing happens if it has no "haha"). */
static int
is_laughter(const char *s, size_t n)
{
	size_t i = 0, pairs = 0;
	char v = 0;

	if (n >= 2 && (s[0] == 'b' || s[0] == 'm')) {
		i = s[0] == 'm' && (s[1] == 'u' || s[1] == 'w') ? 2 : s[0] == 'b' ? 1 : 0;
		if (s[0] == 'b' && s[1] == 'w')
			i = 2;
	}
	if (i < n && s[i] != 'h')
		v = s[i++];
	for (; i + 1 < n && s[i] == 'h'; i += 2) {
		if (v == 0)
			v = s[i + 1];
		if (s[i + 1] != v)
			return 0;
		pairs++;
	}
	if (i < n && s[i] == 'h')
		i++;
	return i == n && pairs >= 2 && (v == 'a' || v == 'e' || v == 'i' || v == 'o');
}

/* The slot of "haha" for a laughing word, else sl unchanged. */
COLD_PATH static const struct lexicon_slot *
match_laughter(const struct sentiment_scratch *w, const struct token *t,
    const struct lexicon_slot *sl)
{
	if (t->flen < 4 || t->flen > 40 || !is_laughter(w->folded + t->foff, t->flen))
		return sl;
	static const char haha[LEXICON_KEY_READ] = "haha";

	return lexicon_table_find(&w->tab, haha, 4, lexicon_key_hash(haha, 4));
}

/* A word that may be laughter: 4 bytes or more, first letter h, a, b or m,
 * and an 'h' among bytes 1..3 (every laughter match_laughter() reads has
 * one: "haha", "ahah", "bahaha", "muahaha"), found without a branch. */
static inline int
maybe_laughter(const struct sentiment_scratch *w, const struct token *t)
{
	const char *s = w->folded + t->foff;  /* padded: s[1..3] readable */
	unsigned c = (unsigned char)s[0] - 'a';
	unsigned first = (1u << ('h' - 'a')) | 1u | (1u << ('b' - 'a')) | (1u << ('m' - 'a'));

	return (int)((c < 26) & ((first >> (c & 31)) & 1) & (t->flen >= 4) &
	    (t->kind == TOK_WORD) & ((s[1] == 'h') | (s[2] == 'h') | (s[3] == 'h')));
}

/* A word that may be laughter, a superset of maybe_laughter() (which
 * the rare path then checks exactly): 4 bytes or more, first letter h,
 * a, b or m, and an 'h' among bytes 1..3, found from one 4-byte load
 * (a zero byte of s ^ "hhhh" always tests as zero; a byte above one may
 * too, which only admits more words). */
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define NOT_BYTE0 0x00808080u
#else
#define NOT_BYTE0 0x80808000u
#endif
static inline int
maybe_laughter_fast(const struct sentiment_scratch *w, const struct token *t)
{
	const char *s = w->folded + t->foff;  /* padded: s[0..3] readable */
	uint32_t x;
	unsigned c = (unsigned char)s[0] - 'a';
	unsigned first = (1u << ('h' - 'a')) | 1u | (1u << ('b' - 'a')) | (1u << ('m' - 'a'));

	memcpy(&x, s, 4);
	x ^= 0x68686868u;  /* a zero byte where s has an 'h' */
	return (int)((c < 26) & ((first >> (c & 31)) & 1) & (t->flen >= 4) &
	    (((x - 0x01010101u) & ~x & NOT_BYTE0) != 0));
}

/* A slot that gives a word a valence or a rule. */
static inline int
slot_useful(const struct lexicon_slot *sl)
{
	return sl && (sl->has_value || sl->kind != LEXICON_MOD_NONE);
}

/* a if c (0 or 1), else b, without a branch (the choice follows the text). */
static inline float
pick_float(unsigned c, float a, float b)
{
	uint32_t x, y, m = 0u - c;

	memcpy(&x, &a, 4);
	memcpy(&y, &b, 4);
	x = (x & m) | (y & ~m);
	memcpy(&a, &x, 4);
	return a;
}

/* The slot of a word no lexicon entry names: no valence, no rule, no phrase. */
static const struct lexicon_slot no_slot;

/* Start loading the table lines a word's probe will read, so the probes
 * of a sentence's words wait for memory together, not one after another. */
static inline void
prefetch_probe(const struct lexicon_table *t, uint32_t h)
{
#if defined(__GNUC__)
	size_t g = h & t->gmask;

	__builtin_prefetch(t->tags + g * LEXICON_GROUP);
	__builtin_prefetch(t->slots + g * LEXICON_GROUP);
#else
	(void)t;
	(void)h;
#endif
}

/* The unit of the longest phrase starting at word token i whose slot is
 * sl, written whole; 0 when none starts there (u is then rewritten). */
COLD_PATH static size_t
phrase_unit(struct sentiment_scratch *w, size_t i, size_t ntok,
    const struct lexicon_slot *sl, struct unit *u, uint16_t clause)
{
	const struct token *toks = w->toks;
	size_t k, j;

	*u = (struct unit){ .tok = (uint16_t)i, .clause = clause };
	if ((k = match_phrase(w, i, ntok, sl, u)) == 0)
		return 0;
	u->koff = toks[i].foff;
	u->klen = (uint16_t)(toks[i + k - 1].foff + toks[i + k - 1].flen - toks[i].foff);
	u->ntok = (uint8_t)k;
	u->caps = 1;
	for (j = 0; j < k; j++)
		u->caps &= (toks[i + j].flags & TOK_F_CAPS) != 0;
	return k;
}

/* The second looks at a word with no useful slot: stretched ("sooo",
 * whose key u then names) or laughter. Returns the slot to use. */
COLD_PATH static const struct lexicon_slot *
rare_look(struct sentiment_scratch *w, const struct token *t,
    const struct lexicon_slot *sl, struct unit *u)
{
	if (t->flags & TOK_F_STRETCH)
		sl = match_stretched(w, t, u);
	if (maybe_laughter(w, t) && !slot_useful(sl))
		sl = match_laughter(w, t, sl);
	return sl ? sl : &no_slot;
}

/* After the last token, PREFETCH_AHEAD stand-ins that are not words (hash
 * 0), so the word loop may look at the next token and ask for the probe
 * lines of the token PREFETCH_AHEAD on without testing for the end. */
static void
pad_tokens(struct sentiment_scratch *w)
{
	size_t i;

	for (i = 0; i < PREFETCH_AHEAD; i++)
		w->toks[w->tz.n + i] = (struct token){ .kind = TOK_PUNCT };
}

/* Build the units: phrases first (longest match), then single words.
 * One-byte words ("a", "I") are dropped as VADER does unless in a phrase. */
static void
build_units(struct sentiment_scratch *w)
{
	/* Locals, not fields of *w: the units' byte fields are written
	 * through char-typed lvalues, which may alias anything in memory, so
	 * counts kept in *w would be reloaded after each of them. */
	const struct token *toks = w->toks, *t, *nx;
	const struct lexicon_table tab = w->tab;
	const char *folded = w->folded;
	size_t *vidx = w->vidx, i, k, ntok = w->tz.n;
	size_t nu = 0, nval = 0, but = SIZE_MAX;
	uint16_t clause = 0;
	unsigned keep, has, mod;
	struct unit *u;
	const struct lexicon_slot *sl;

	/* The first probes' table lines start loading now, the others a few
	 * tokens ahead, so that probes wait for memory together. */
	for (i = 0; i < ntok && i < PREFETCH_AHEAD; i++)
		prefetch_probe(&tab, toks[i].hash);
	w->nsq = 0;
	pad_tokens(w);
	for (i = 0; i < ntok; i += k) {
		t = &toks[i];
		k = 1;
		/* Near the end, a stand-in's line: no branch that would
		 * mispredict at every sentence's end. */
		prefetch_probe(&tab, toks[i + PREFETCH_AHEAD].hash);
		if (!is_wordlike(t)) {
			clause += is_clause_break(w, t);
			continue;
		}
		u = &w->u[nu];
		sl = lexicon_table_find(&tab, folded + t->foff, t->flen, t->hash);
		sl = sl ? sl : &no_slot;
		/* Most words that can start a phrase are not followed by one;
		 * the tests are combined into one branch, nearly always false
		 * (the last token stands in for a next one that is not there). */
		nx = &toks[i + 1];  /* a stand-in after the last token */
		if (((sl->span != 0) & is_wordlike(nx) &
		    lexicon_table_pair(&tab, t->hash, nx->hash)) &&
		    (k = phrase_unit(w, i, ntok, sl, u, clause)) != 0) {
			has = u->has_val;
			mod = u->mod;
			keep = 1;
		} else {
			k = 1;
			u->tok = (uint16_t)i;
			u->clause = clause;
			u->koff = t->foff;
			u->klen = t->flen;
			u->ntok = 1;
			u->phrase = 0;
			u->elong = 0;
			u->negates = 0;
			/* Rare second looks, tested in one branch that is nearly
			 * always false: a stretched word, or a word that may be
			 * laughter ("hahaha", "ahah", "bwahaha", "muahaha"). */
			if ((maybe_laughter_fast(w, t) | ((t->flags & TOK_F_STRETCH) != 0)) &&
			    !(sl->has_value | (sl->kind != LEXICON_MOD_NONE)))
				sl = rare_look(w, t, sl, u);
			/* A booster the lexicon also rates ("super", "damn" in
			 * VADER's) is a sentiment word, as in VADER, where a rated
			 * word never modifies; left a booster it would neither
			 * score nor boost and simply vanish. */
			has = sl->has_value;
			mod = sl->kind & (0u - !(has & (sl->kind == LEXICON_MOD_BOOSTER)));
			u->mod = (uint8_t)mod;
			u->has_val = (uint8_t)has;
			/* A unit with a valence never boosts, a booster has none. */
			u->num = pick_float(has, sl->valence, sl->scalar);
			u->caps = (t->flags & TOK_F_CAPS) != 0;
			/* One-byte words are dropped, without a branch; nothing
			 * above applies to them (too short to be stretched or
			 * laughter). */
			keep = !((t->len == 1) & (t->kind <= TOK_NUMBER));
		}
		/* The scorer's lists. */
		vidx[nval] = nu;
		nval += keep & has;
		if (mod == LEXICON_MOD_CONTRAST && but == SIZE_MAX && keep)
			but = nu;
		nu += keep;
	}
	w->nu = nu;
	w->nval = nval;
	w->but = but;
}

static int
is_negator(const struct sentiment_scratch *w, const struct unit *u)
{
	if (u->phrase)
		return 0;
	if (u->mod == LEXICON_MOD_NEGATOR)
		return 1;
	/* Any "n't" contraction negates, listed or not. */
	return u->klen >= 3 && memcmp(w->folded + u->koff + u->klen - 3, "n't", 3) == 0;
}

static int
so_or_this(const struct sentiment_scratch *w, const struct unit *u)
{
	return ukey_is(w, u, "so") || ukey_is(w, u, "this");
}

/* An emoticon or emoji is the writer's own comment on the sentence, not a
 * word a negator can govern: in "still no cheque :(" the face stays sad. */
static int
is_face(const struct sentiment_scratch *w, const struct unit *u)
{
	return !u->phrase && w->toks[u->tok].kind >= TOK_EMOTICON;
}

/* Negation at distance d (1..3) before unit i, VADER's rules plus
 * "never so/this" (emphasis) and "without doubt" (no flip). */
static double
negation(struct sentiment_scratch *w, size_t i, size_t d, double v, unsigned *rules)
{
	struct unit *u = w->u;

	if (d >= 2 && ukey_is(w, &u[i - d], "never") &&
	    (so_or_this(w, &u[i - d + 1]) || (d == 3 && so_or_this(w, &u[i - 1]))))
		return v * 1.25;
	if (d >= 2 && ukey_is(w, &u[i - d], "without") &&
	    (ukey_is(w, &u[i - d + 1], "doubt") || (d == 3 && ukey_is(w, &u[i - 1], "doubt"))))
		return v;
	/* "no" governs the phrase right after it ("no good", "no real help"),
	 * not the third word on: vaderSentiment 3.3 reaches two words too. */
	if (is_negator(w, &u[i - d]) && !is_face(w, &u[i]) && !(d == 3 && ukey_is(w, &u[i - d], "no"))) {
		u[i - d].negates = 1;
		*rules |= SENTIMENT_R_NEGATED;
		return v * N_SCALAR;
	}
	return v;
}

static double
booster(const struct sentiment_scratch *w, const struct unit *b, double v, size_t d,
    unsigned *rules)
{
	double sc = b->num;

	if (b->mod != LEXICON_MOD_BOOSTER)
		return 0;
	if (v < 0)
		sc = -sc;
	if (b->caps && w->tz.has_lower)
		sc += v > 0 ? C_INCR : -C_INCR;
	if (d == 2)
		sc *= 0.95;
	else if (d == 3)
		sc *= 0.9;
	*rules |= b->num > 0 ? SENTIMENT_R_BOOSTED : SENTIMENT_R_DAMPENED;
	return sc;
}

/* Valence of unit i after caps, boosters, negation and "least". */
static double
unit_valence(struct sentiment_scratch *w, size_t i, unsigned *rules)
{
	const struct unit *u = &w->u[i];
	double v = u->num;
	size_t d;

	if (u->phrase)
		*rules |= SENTIMENT_R_PHRASE;
	if (u->caps && w->tz.has_lower && v != 0) {
		v += v > 0 ? C_INCR : -C_INCR;
		*rules |= SENTIMENT_R_CAPS;
	}
	if (u->elong && v != 0) {
		v += v > 0 ? ELONG_INCR : -ELONG_INCR;
		*rules |= SENTIMENT_R_STRETCHED;
	}
	for (d = 1; d <= WINDOW && d <= i; d++) {
		const struct unit *p = &w->u[i - d];

		if (p->clause != u->clause)
			break;
		/* A preceding sentiment word is scored on its own, not as a modifier. */
		if (p->has_val && p->mod != LEXICON_MOD_NEGATOR)
			continue;
		v += booster(w, p, v, d, rules);
		v = negation(w, i, d, v, rules);
	}
	/* "least" negates ("least helpful") except in "at least", "very least". */
	if (i >= 1 && ukey_is(w, &w->u[i - 1], "least") && !w->u[i - 1].has_val &&
	    w->u[i - 1].clause == u->clause &&
	    !(i >= 2 && (ukey_is(w, &w->u[i - 2], "at") || ukey_is(w, &w->u[i - 2], "very")))) {
		v *= N_SCALAR;
		*rules |= SENTIMENT_R_NEGATED;
	}
	return v;
}

/* Sums over the final unit valences (see finish()). */
struct sums {
	double sum, pos, neg, neu;
};

/*
 * Score the units that have a valence (the others keep 0), then settle
 * them in one more pass: a negator the lexicon rates ("no" in VADER's)
 * that negated a later word counts once, as the negation, not again as a
 * word ("no good" is one negated "good", as in vaderSentiment 3.3);
 * around the first "but" the weights change; and the sums are taken.
 * Units that add 0 change no sum, so only the listed ones are visited.
 */
static void
score_units(struct sentiment_scratch *w, struct sums *t)
{
	size_t j, i, b = w->but, nonzero = 0;
	double v;

	for (j = 0; j < w->nval; j++) {
		i = w->vidx[j];
		w->rules[i] = 0;
		w->s[i] = unit_valence(w, i, &w->rules[i]);
	}
	t->sum = t->pos = t->neg = 0;
	for (j = 0; j < w->nval; j++) {
		i = w->vidx[j];
		v = w->s[i];
		if (w->u[i].negates) {
			v = 0;
			w->rules[i] = 0;
		}
		if (b != SIZE_MAX) {
			if (v != 0 && i != b) {
				v *= i < b ? BUT_LOW : BUT_HIGH;
				w->rules[i] |= i < b ? SENTIMENT_R_BUT_LOW : SENTIMENT_R_BUT_HIGH;
			}
		}
		w->s[i] = v;
		t->sum += v;
		/* +1/-1 offset the neutral count of 1. Products, not branches:
		 * the sign of v follows no pattern, and adding 0 * x (maybe -0)
		 * leaves a sum as it was. */
		t->pos += (double)(v > 0) * (v + 1);
		t->neg += (double)(v < 0) * (v - 1);
		nonzero += v != 0;
	}
	t->neu = (double)(w->nu - nonzero);  /* every unit that adds 0 */
}

static double
punct_amplifier(const struct tokenized *tz)
{
	unsigned ep = tz->exclaims < EP_MAX ? tz->exclaims : EP_MAX;
	double qm = 0;

	if (tz->questions > 3)
		qm = QM_MANY;
	else if (tz->questions > 1)
		qm = tz->questions * QM_STEP;
	return ep * EP_STEP + qm;
}

static void
finish(const struct sentiment_scratch *w, const struct sums *t,
    struct sentiment_result *out, double *sum_out, double *amp_out)
{
	double sum = t->sum, pos = t->pos, neg = t->neg, neu = t->neu, amp, total;

	memset(out, 0, sizeof(*out));
	out->label = SENTIMENT_NEUTRAL;
	*sum_out = *amp_out = 0;
	if (w->nu == 0)
		return;
	amp = punct_amplifier(&w->tz);
	*amp_out = sum > 0 ? amp : sum < 0 ? -amp : 0.0;
	sum += *amp_out;
	*sum_out = sum;
	out->compound = sum / sqrt(sum * sum + ALPHA);
	if (pos > -neg)
		pos += amp;
	else if (pos < -neg)
		neg -= amp;
	total = pos - neg + neu;
	out->pos = pos / total;
	out->neg = neg < 0 ? -neg / total : 0;  /* no negative zero */
	out->neu = neu / total;
	out->label = out->compound < -0.05 ? SENTIMENT_NEGATIVE :
	    out->compound > 0.05 ? SENTIMENT_POSITIVE : SENTIMENT_NEUTRAL;
}

static void
explain(const struct sentiment_scratch *w, struct sentiment_explain *ex, double sum, double amp)
{
	size_t i, j, n;
	const struct unit *u;
	struct sentiment_item *it;
	const struct token *first, *last;

	memset(ex, 0, sizeof(*ex));
	ex->punct = amp;
	ex->exclaims = w->tz.exclaims;
	ex->questions = w->tz.questions;
	ex->sum = sum;
	ex->ntokens = w->tz.n;
	for (j = 0; j < w->nval; j++) {
		i = w->vidx[j];
		if (w->s[i] == 0)
			continue;
		if (ex->nitems == SENTIMENT_EXPLAIN_MAX) {
			ex->nomitted++;
			continue;
		}
		u = &w->u[i];
		it = &ex->items[ex->nitems++];
		first = &w->toks[u->tok];
		last = &w->toks[u->tok + u->ntok - 1];
		n = utf8_clip(w->text + first->off, last->off + last->len - first->off,
		    SENTIMENT_ITEM_TEXT - 1);
		memcpy(it->text, w->text + first->off, n);
		it->text[n] = '\0';
		it->base = u->num;
		it->value = w->s[i];
		it->rules = w->rules[i];
	}
}

int
sentiment_score_with(const struct lexicon *lex, const char *text, size_t len,
    struct sentiment_result *out, struct sentiment_explain *ex,
    struct sentiment_scratch *w)
{
	double sum, amp;
	struct sums sums;
	int rc;

	if (!lex || (!text && len) || !out || !w)
		return SENTIMENT_EARG;
	if (len > SENTIMENT_TEXT_MAX)
		return SENTIMENT_ETOOLONG;
	w->lex = lex;
	lexicon_table_get(lex, &w->tab);
	w->text = text ? text : "";
	w->folded = w->keys;
	rc = tokenize_padded(w->text, len, w->keys, w->toks, TOKENIZE_TOKENS_MAX, &w->tz);
	if (rc == TOKENIZE_EUTF8)
		return SENTIMENT_EUTF8;
	if (rc != TOKENIZE_OK)
		return SENTIMENT_ETOOLONG;
	build_units(w);
	score_units(w, &sums);
	finish(w, &sums, out, &sum, &amp);
	if (ex)
		explain(w, ex, sum, amp);
	return SENTIMENT_OK;
}

int
sentiment_score(const struct lexicon *lex, const char *text, size_t len,
    struct sentiment_result *out, struct sentiment_explain *ex)
{
	/* Static TLS: reserved when the thread starts, never per utterance. */
	static _Thread_local struct sentiment_scratch scratch;

	return sentiment_score_with(lex, text, len, out, ex, &scratch);
}

struct sentiment_scratch *
sentiment_scratch_new(void)
{
	return malloc(sizeof(struct sentiment_scratch));
}

void
sentiment_scratch_free(struct sentiment_scratch *sc)
{
	free(sc);
}

const char *
sentiment_label_name(enum sentiment_label l)
{
	static const char *const names[] = { "negative", "neutral", "positive" };

	return (unsigned)l < 3 ? names[l] : "?";
}

const char *
sentiment_status_message(int status)
{
	switch (status) {
	case SENTIMENT_OK: return "ok";
	case SENTIMENT_EUTF8: return "invalid UTF-8";
	case SENTIMENT_ETOOLONG: return "text too long";
	case SENTIMENT_EARG: return "bad argument";
	default: return "unknown error";
	}
}

const char *
sentiment_rule_name(enum sentiment_rule r)
{
	switch (r) {
	case SENTIMENT_R_NEGATED: return "negated";
	case SENTIMENT_R_BOOSTED: return "boosted";
	case SENTIMENT_R_DAMPENED: return "dampened";
	case SENTIMENT_R_CAPS: return "caps";
	case SENTIMENT_R_BUT_LOW: return "before but x0.5";
	case SENTIMENT_R_BUT_HIGH: return "after but x1.5";
	case SENTIMENT_R_STRETCHED: return "stretched";
	case SENTIMENT_R_PHRASE: return "phrase";
	}
	return "?";
}
