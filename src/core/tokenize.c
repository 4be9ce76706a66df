/* tokenize: UTF-8 tokenizer for the sentiment engine (see tokenize.h). */
#include <string.h>
#include "undertone/lexicon.h"
#include "undertone/tokenize.h"
#include "undertone/utf8.h"

/* ASCII emoticons, longest first within a shared prefix so the first match
 * is the longest; one list per first byte (':' by its second byte too), so
 * a match tries only the faces that can begin there. Matched only outside
 * words. Faces read right to left (dismay, horror, "D:"): the scan never
 * starts inside a word and a word character may not follow, so "D:" in
 * "Plan D:" is the only clash left. */
struct face {
	const char *s;
	size_t len;
};
#define E(s) { s, sizeof(s) - 1 }
static const struct face faces_colon_dash[] = {
	E(":-3"), E(":-)))"), E(":-))"), E(":-)"), E(":-]"), E(":-D"),
	E(":-P"), E(":-p"), E(":-((("), E(":-(("), E(":-("), E(":-["),
	E(":-/"), E(":-\\"), E(":-|"), E(":-O"), E(":-o"), E(":-*"),
	E(":-S"), E(":-@"), E(":-$"),
};
static const struct face faces_colon_quote[] = {
	E(":'D"), E(":'-("), E(":'("), E(":'-)"), E(":')"),
};
static const struct face faces_colon[] = {
	E(":DDD"), E(":DD"), E(":o)"), E(":O)"), E(":3"), E(":c"),
	E(":))"), E(":)"), E(":]"), E(":D"), E(":P"), E(":p"),
	E(":(("), E(":("), E(":["), E(":/"), E(":\\"), E(":|"),
	E(":O"), E(":o"), E(":*"), E(":S"), E(":@"), E(":$"),
	E(":l"),
};
static const struct face faces_semi[] = {
	E(";o)"), E(";]"), E(";-)"), E(";)"), E(";-D"), E(";D"),
	E(";-P"), E(";P"),
};
static const struct face faces_equals[] = {
	E("=]"), E("=["), E("=P"), E("=p"), E("=)"), E("=D"),
	E("=("), E("=/"), E("=|"),
};
static const struct face faces_less[] = {
	E("</3"), E("<333"), E("<33"), E("<3"),
};
static const struct face faces_greater[] = {
	E(">.<"), E(">:-("), E(">:("), E(">:-)"), E(">:)"),
};
static const struct face faces_caret[] = {
	E("^.^"), E("^_^"), E("^^"),
};
static const struct face faces_dash[] = {
	E("-_-"),
};
static const struct face faces_o[] = {
	E("o_O"), E("O_o"), E("O_O"), E("o_o"), E("o.O"), E("O.o"),
	E("o.o"), E("T_T"),
};
static const struct face faces_d[] = {
	E("D:<"), E("D:"), E("D;"), E("D="),
};
static const struct face faces_x[] = {
	E("XD"), E("xD"),
};
#undef E

#if defined(__GNUC__)
#define TOKENIZE_COLD __attribute__((noinline))
#define TOKENIZE_INLINE __attribute__((always_inline)) inline
#else
#define TOKENIZE_COLD
#define TOKENIZE_INLINE inline
#endif

/* Classes of a byte, so the hot loops test one table entry instead of
 * ranges: bit C_LETTER/C_UPPER/C_DIGIT for ASCII letters and digits;
 * C_SPACE for ' ' and TAB..CR; C_END for ASCII that ends a word (not a letter, digit or inner
 * joiner ' - . , :); C_FACE for the first bytes of the emoticons; C_PUNCT
 * for ASCII that only ever starts a punctuation run (not a face, '@',
 * '&', '!' or '?'); C_MARK for '!' and '?'. Bytes >= 0x80 are 0: they take
 * the decoding path. */
#define C_LETTER 1u
#define C_UPPER  2u
#define C_DIGIT  4u
#define C_SPACE  8u
#define C_PUNCT  16u
#define C_END    32u
#define C_FACE   64u
#define C_MARK   128u  /* '!' and '?': punctuation runs that are counted */
static const unsigned char ctab[256] = {
	48, 48, 48, 48, 48, 48, 48, 48, 48, 40, 40, 40, 40, 40, 48, 48,
	48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48,
	40, 160, 48, 48, 48, 48, 32, 16, 48, 48, 48, 48, 16, 64, 16, 48,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 64, 96, 96, 96, 96, 160,
	32, 3, 3, 3, 67, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 67,
	3, 3, 3, 3, 67, 3, 3, 3, 67, 3, 3, 48, 48, 48, 96, 48,
	48, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 65,
	1, 1, 1, 1, 1, 1, 1, 1, 65, 1, 1, 48, 48, 48, 48, 48,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* ASCII letters and digits for the word loop, in one load: the folded
 * byte (bits 0-7), 1 << 8 for a letter, 1 << 24 for an upper-case one
 * (so that >> 8 gives both counts, in bits 0-15 and 16-31); 0 for every
 * other byte. */
static const uint32_t wtab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0x0000030, 0x0000031, 0x0000032, 0x0000033, 0x0000034, 0x0000035, 0x0000036, 0x0000037,
	0x0000038, 0x0000039, 0, 0, 0, 0, 0, 0,
	0, 0x1000161, 0x1000162, 0x1000163, 0x1000164, 0x1000165, 0x1000166, 0x1000167,
	0x1000168, 0x1000169, 0x100016a, 0x100016b, 0x100016c, 0x100016d, 0x100016e, 0x100016f,
	0x1000170, 0x1000171, 0x1000172, 0x1000173, 0x1000174, 0x1000175, 0x1000176, 0x1000177,
	0x1000178, 0x1000179, 0x100017a, 0, 0, 0, 0, 0,
	0, 0x0000161, 0x0000162, 0x0000163, 0x0000164, 0x0000165, 0x0000166, 0x0000167,
	0x0000168, 0x0000169, 0x000016a, 0x000016b, 0x000016c, 0x000016d, 0x000016e, 0x000016f,
	0x0000170, 0x0000171, 0x0000172, 0x0000173, 0x0000174, 0x0000175, 0x0000176, 0x0000177,
	0x0000178, 0x0000179, 0x000017a, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0,
};

/* A word's first letter that something else may start (a link "http://",
 * "www.", or a letter face "XD", "D:", "o_O", "T_T") needs a look at the
 * next byte: first_need[first] & next_class[next] is nonzero only then. */
#define N_T     1u  /* t or T: "http" */
#define N_W     2u  /* w or W: "www." */
#define N_D     4u  /* D: "XD" */
#define N_COLON 8u  /* : ; = : "D:" */
#define N_EYE   16u /* _ or . : "o_O", "T_T", "o.O" */
static const unsigned char first_need[256] = {
	['h'] = N_T, ['H'] = N_T, ['w'] = N_W, ['W'] = N_W,
	['X'] = N_D, ['x'] = N_D, ['D'] = N_COLON,
	['o'] = N_EYE, ['O'] = N_EYE, ['T'] = N_EYE,
};
static const unsigned char next_class[256] = {
	['t'] = N_T, ['T'] = N_T, ['w'] = N_W, ['W'] = N_W, ['D'] = N_D,
	[':'] = N_COLON, [';'] = N_COLON, ['='] = N_COLON, ['_'] = N_EYE, ['.'] = N_EYE,
};

static inline int
is_space(uint32_t cp)
{
	return cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0xA0 ||
	    (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static inline int
is_upper(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7);
}

static inline int
is_lower(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xDF && cp <= 0xFF && cp != 0xF7);
}

/* Letters of any script we treat as word characters (case only for Latin-1). */
static inline int
is_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
	return (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x3040 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0x20000 && cp <= 0x2FFFF);
}

static inline int
is_digit(uint32_t cp)
{
	return cp >= '0' && cp <= '9';
}

static inline int
is_emoji(uint32_t cp)
{
	return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
	    (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
	    cp == 0x203C || cp == 0x2049 || cp == 0x2122 || cp == 0x2139 ||
	    (cp >= 0x2190 && cp <= 0x21FF);
}

/* Code points that extend the emoji before them. */
static inline int
is_emoji_modifier(uint32_t cp)
{
	return cp == 0xFE0F || cp == 0xFE0E || cp == 0x20E3 ||
	    (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
}

static inline int
is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019;
}

/* Decoding state over text that is already known to be valid. */
struct cur {
	const char *s;
	size_t len;
	int bad;  /* an invalid sequence was decoded somewhere */
};

/* Decode at 'at'. Every byte of the text that is not plain ASCII is
 * decoded here (scanners only skip ASCII themselves), so this is where
 * invalid UTF-8 is caught, without a separate validation pass. */
static inline uint32_t
peek(struct cur *c, size_t at, size_t *used)
{
	uint32_t cp;

	if (at >= c->len) {
		*used = 0;
		return 0;
	}
	if ((unsigned char)c->s[at] < 0x80) {  /* ASCII fast path */
		*used = 1;
		return (unsigned char)c->s[at];
	}
	cp = utf8_decode(c->s + at, c->len - at, used);
	if (cp == UTF8_INVALID)
		c->bad = 1;
	return cp;
}

static inline int
word_char(uint32_t cp)
{
	return is_letter(cp) || is_digit(cp);
}

/* Record a token as toks[n] if there is room; returns the new count.
 * The count lives in a register of the caller, not in *out: the folded
 * bytes are written through a char pointer, which may alias anything in
 * memory, so a count kept there would be reloaded after every byte. */
static inline size_t
add(struct token *toks, size_t max, size_t n, size_t off,
    size_t len, size_t foff, size_t flen, int kind, unsigned flags, uint32_t hash)
{
	struct token *t;

	if (n >= max)
		return n;
	/* Field by field: a token built on the stack and copied whole is
	 * read back as one wide load right after narrow stores, which the
	 * CPU cannot forward (a stall per token). */
	t = &toks[n];
	t->off = (uint16_t)off;
	t->len = (uint16_t)len;
	t->foff = (uint16_t)foff;
	t->flen = (uint16_t)flen;
	t->kind = (uint8_t)kind;
	t->flags = (uint8_t)flags;
	t->hash = hash;
	return n + 1;
}

/* Fold one code point into f (ASCII/Latin-1 lower-case, U+2019 to '). */
static size_t
fold_cp(uint32_t cp, const char *src, size_t used, char *f)
{
	if (cp < 0x80) {
		*f = (char)(cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp);
		return 1;
	}
	if (cp == 0x2019) {
		*f = '\'';
		return 1;
	}
	if (is_upper(cp))
		cp += 0x20;
	if (cp < 0x80 || (cp >= 0xC0 && cp <= 0xFF))
		return utf8_encode(cp, f);
	memcpy(f, src, used);
	return used;
}

/* Flags of a word from its letter counts (see tokenize.h). */
static inline unsigned
word_flags(unsigned letters, unsigned upper, unsigned lower, unsigned stretch)
{
	/* Without branches: case patterns vary from word to word. */
	return (unsigned)((letters >= 2) & (upper > 0) & (lower == 0)) * TOK_F_CAPS |
	    (unsigned)(lower > 0) * TOK_F_LOWER |
	    (unsigned)((stretch != 0) & (letters >= 3)) * TOK_F_STRETCH;
}

/* lexicon_key_hash() of f[0..n), from whole loads when the folded buffer
 * has room bytes there (16 past the key let them read beyond it). */
static inline uint32_t
folded_hash(const char *f, size_t n, size_t room)
{
	return room >= n + 16 ? lexicon_key_hash_padded(f, n) : lexicon_key_hash(f, n);
}

/*
 * The common word, in one pass: ASCII only, letters and digits with inner
 * ' and - ("don't", "log-in") and . , : between digits ("3.50", "10:30"),
 * the rules of scan_word(). Folds, counts cases and finds stretched
 * letters as it goes, then hashes the folded bytes (from whole loads when
 * room allows). Returns the length, or 0 when a non-ASCII byte makes the
 * word scan_word()'s to read whole.
 */
static inline size_t
fast_word(const char *s, size_t off, size_t len, char *f, size_t room, size_t *flen,
    unsigned *flags, int *kind, uint32_t *hash)
{
	size_t at = off;
	uint32_t k, counts = 0;
	unsigned letters, upper, eq, peq = 0, stretch = 0;
	unsigned char b, prev = 0, nx;

	for (;;) {
		for (; at < len; at++) {
			if ((k = wtab[(unsigned char)s[at]]) == 0)
				break;
			b = (unsigned char)k;  /* folded */
			counts += k >> 8;
			f[at - off] = (char)b;
			/* Three equal letters or digits in a row, without a branch
			 * (a joiner between them does not break the run). */
			eq = b == prev;
			stretch |= eq & peq;
			peq = eq;
			prev = b;
		}
		if (at + 1 >= len || (ctab[b = (unsigned char)s[at]] & C_END))
			break;  /* the usual end of a word */
		if (b >= 0x80 || (nx = (unsigned char)s[at + 1]) >= 0x80)
			return 0;  /* maybe a letter of another script */
		/* An inner joiner, or the end of the word before it. */
		letters = counts & 0xFFFF;
		if (!(((b == '\'' || b == '-') && (ctab[nx] & (C_LETTER | C_DIGIT)) && letters > 0) ||
		    ((b == '.' || b == ',' || b == ':') && (ctab[nx] & C_DIGIT) && letters == 0 &&
		    at > off)))
			break;
		f[at - off] = (char)b;
		at++;
	}
	letters = counts & 0xFFFF;  /* a word is at most TOKENIZE_TEXT_MAX bytes */
	upper = counts >> 16;
	*kind = letters ? TOK_WORD : TOK_NUMBER;
	*flags = word_flags(letters, upper, letters - upper, stretch);
	*flen = at - off;
	*hash = folded_hash(f, at - off, room);
	return at - off;
}

/* Copy s[0..n) to f with ASCII capitals folded to lower case. */
static void
fold_ascii(const char *s, size_t n, char *f)
{
	size_t i;

	for (i = 0; i < n; i++)
		f[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 0x20) : s[i];
}

#if defined(__SSE2__) && defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TOKENIZE_VEC 1
#include <emmintrin.h>

/* Byte masks: 16 - n bytes from &first_n[16 - n] keep the first n bytes. */
static const unsigned char first_n[32] = {
	255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
};

/* Lanes of v (bytes) in [lo, lo + w): a signed compare after a shift by
 * 0x80, SSE2 having no unsigned one. */
static inline __m128i
vec_range(__m128i v, int lo, int w)
{
	return _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo))),
	    _mm_set1_epi8((char)(w - 128)));
}

/* Store the folded token fv of n bytes at f: all 16 bytes when room
 * allows (one store), else only its n. */
static TOKENIZE_INLINE void
vec_store(char *f, __m128i fv, size_t n, size_t room)
{
	char tmp[16];

	if (room >= 16) {
		_mm_storeu_si128((__m128i *)(void *)f, fv);
		return;
	}
	_mm_storeu_si128((__m128i *)(void *)tmp, fv);
	memcpy(f, tmp, n);
}

/* lexicon_key_hash() of the first n (<= 16) bytes of fv: two chunks. */
static TOKENIZE_INLINE uint32_t
vec_hash(__m128i fv, size_t n)
{
	fv = _mm_and_si128(fv, _mm_loadu_si128((const __m128i *)(const void *)(first_n + 16 - n)));
	return lexicon_hash_end(lexicon_hash_pair((uint64_t)_mm_cvtsi128_si64(fv),
	    (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(fv, fv)), n));
}

/* A token of n bytes at the start of v, with the ASCII white space after
 * it (to the vector's end at most), found without a loop. */
static TOKENIZE_INLINE size_t
vec_advance(__m128i v, size_t n)
{
	unsigned ms = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(' ')), vec_range(v, 0x09, 5)));

	return (size_t)__builtin_ctz(~ms & (~0u << n));
}

/*
 * The common word without a branch per byte: p holds 16 readable bytes from
 * the word's start (zeros past the text). Classifies them at once, finds
 * the end of the run of ASCII letters and digits with one count of
 * trailing zeros, folds, counts cases with masks and hashes in fixed
 * steps; f gets 16 bytes when room allows, else the word's. Returns the
 * length (*adv: to the next byte that is not ASCII white space), or 0
 * when the word has 15 bytes or more or may go on past the run (a joiner
 * before a letter or digit, a non-ASCII byte): fast_word() decides those.
 * Same tokens as fast_word().
 */
static TOKENIZE_INLINE size_t
vec_word(const unsigned char *p, char *f, size_t room, size_t *flen, unsigned *flags,
    int *kind, uint32_t *hash, size_t *adv)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), al, fv;
	unsigned ma, mu, md, mh, mj, lm, eq, x, y, lw;
	size_t n;

	al = vec_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
	ma = (unsigned)_mm_movemask_epi8(al);
	/* Upper case: a letter whose bit 5 is clear (moved to bit 7). */
	mu = ma & ~(unsigned)_mm_movemask_epi8(_mm_slli_epi16(v, 2));
	md = (unsigned)_mm_movemask_epi8(vec_range(v, '0', 10));
	mh = (unsigned)_mm_movemask_epi8(v);  /* bytes >= 0x80 */
	n = (size_t)__builtin_ctz(~(ma | md));  /* <= 16: ~ sets bits 16.. */
	/* The word ends at p[n] unless it is a joiner (' - . , :) followed
	 * by a letter or digit, or either byte is not ASCII: fast_word()
	 * reads those. p[n + 1] is in the vector (a zero past the text,
	 * so a word that ends the text ends here too). */
	mj = (unsigned)_mm_movemask_epi8(_mm_or_si128(vec_range(v, ',', 3),
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8(':')))));  /* ' , - . : */
	/* One branch, from the masks alone (no load waits on n): what ends
	 * a word varies. */
	if (((unsigned)(n >= 15) | ((mh | (mj & ((ma | md | mh) >> 1))) >> n & 1)) != 0)
		return 0;
	lm = (1u << n) - 1;
	fv = _mm_or_si128(v, _mm_and_si128(al, _mm_set1_epi8(0x20)));
	vec_store(f, fv, n, room);
	/* Three equal folded bytes in a row: bit i set when byte i equals
	 * byte i - 1 (byte 0 meets a zero, never a word byte). */
	eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(fv, _mm_slli_si128(fv, 1))) & lm;
	x = ma & lm;        /* letters */
	y = x & (x - 1);    /* nonzero: two letters or more */
	lw = x & ~mu;       /* lower-case letters; with none, y: upper-case ones */
	*flags = (unsigned)((y != 0) & (lw == 0)) * TOK_F_CAPS |
	    (unsigned)(lw != 0) * TOK_F_LOWER |
	    (unsigned)(((eq & (eq >> 1)) != 0) & ((y & (y - 1)) != 0)) * TOK_F_STRETCH;
	*kind = x ? TOK_WORD : TOK_NUMBER;
	*hash = vec_hash(fv, n);
	*flen = n;
	*adv = vec_advance(v, n);  /* the white space after it too */
	return n;
}

/*
 * "@name" as scan_handle() reads it (ASCII letters, digits and '_' after
 * the '@'), from the 16 readable bytes at p (zeros past the text): its
 * length, the folded copy in f (16 bytes when room allows), its hash, and
 * in *adv the length with the ASCII white space after it. Returns 0 when
 * it is no handle or may go on past the vector: scan_handle() decides.
 */
static TOKENIZE_INLINE size_t
vec_handle(const unsigned char *p, char *f, size_t room, uint32_t *hash, size_t *adv)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), al, fv;
	unsigned mn;
	size_t n;

	al = vec_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
	mn = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(al, vec_range(v, '0', 10)),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
	n = (size_t)__builtin_ctz(~(mn | 1u));  /* bit 0: the '@' */
	if (n < 2 || n >= 16)
		return 0;
	fv = _mm_or_si128(v, _mm_and_si128(al, _mm_set1_epi8(0x20)));
	vec_store(f, fv, n, room);
	*hash = vec_hash(fv, n);
	*adv = vec_advance(v, n);
	return n;
}
/*
 * A link that starts "http://" or "https://" (any case) as scan_link()
 * reads it, 16 bytes at a time: up to the first byte <= ' ' or DEL, folded
 * into f. tail holds text[base..len) and 16 zeros (which end it). Returns
 * its length, or 0 when it is no such link or holds a byte >= 0x80, which
 * scan_link() decodes.
 */
static size_t
vec_link(const char *text, size_t len, size_t off, const unsigned char *tail, size_t base,
    char *f, size_t room)
{
	const unsigned char *p;
	__m128i v, up;
	uint64_t head;
	unsigned m;
	size_t at = off, n, i;

	p = off + 16 <= len ? (const unsigned char *)text + off : tail + (off - base);
	memcpy(&head, p, 8);
	head |= 0x2020202020202020ull;  /* has_prefix(): each byte | 0x20 */
	if ((head & 0xFFFFFFFFFFFFFFull) != 0x2F2F3A70747468ull &&  /* "http://" */
	    head != 0x2F2F3A7370747468ull)                          /* "https://" */
		return 0;
	for (;;) {
		p = at + 16 <= len ? (const unsigned char *)text + at : tail + (at - base);
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed: bytes >= 0x80 are negative, below '!' too. */
		m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8('!')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))));
		if (m != 0)
			break;
		at += 16;
	}
	at += (size_t)__builtin_ctz(m);
	if (at < len && (unsigned char)text[at] >= 0x80)
		return 0;
	n = at - off;
	/* Fold A-Z: 16 bytes at a time while the buffer has room. */
	for (i = 0; i + 16 <= n || (i < n && i + 16 <= room); i += 16) {
		p = off + i + 16 <= len ? (const unsigned char *)text + off + i :
		    tail + (off + i - base);
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		up = vec_range(v, 'A', 26);
		_mm_storeu_si128((__m128i *)(void *)(f + i),
		    _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20))));
	}
	if (i < n)  /* the rest; the vector loop may have gone past n */
		fold_ascii(text + off + i, n - i, f + i);
	return n;
}
#endif

/* A word: letters/digits with inner apostrophes and hyphens. */
static inline size_t
scan_word(struct cur *c, size_t off, char *f, size_t *flen,
    unsigned *flags, int *kind, uint32_t *hash)
{
	size_t at = off, used, used2, fl = 0;
	unsigned letters = 0, upper = 0, lower = 0;
	unsigned aletters = 0, aupper = 0;  /* ASCII, counted by the fast path */
	unsigned run = 0, stretch = 0;      /* repeats of the previous byte */
	unsigned char prev = 0;
	uint32_t cp, nx;
	unsigned char b;

	*kind = TOK_NUMBER;
	for (;;) {
		/* Fast path for ASCII letters and digits. */
		while (at < c->len) {
			b = (unsigned char)c->s[at];
			if (b >= 'a' && b <= 'z') {
				aletters++;
			} else if (b >= 'A' && b <= 'Z') {
				aupper++;
				aletters++;
				b = (unsigned char)(b + 0x20);
			} else if (b < '0' || b > '9') {
				break;
			}
			f[fl++] = (char)b;
			run = (run + 1) * (b == prev);
			stretch |= run >> 1;
			prev = b;
			at++;
		}
		if (aletters)
			*kind = TOK_WORD;
		if (at >= c->len || (ctab[(unsigned char)c->s[at]] & C_END))
			break;  /* the usual end of a word */
		cp = peek(c, at, &used);
		if (used == 0)
			break;
		if (!word_char(cp)) {
			/* Inner ' and - join ("don't", "log-in"); '.' ',' ':' join
			 * digits ("3.50", "1,000", "10:30"). */
			nx = peek(c, at + used, &used2);
			if (used2 == 0)
				break;
			if ((is_apostrophe(cp) || cp == '-') && word_char(nx) && letters + aletters > 0)
				;
			else if ((cp == '.' || cp == ',' || cp == ':') && is_digit(nx) &&
			    *kind == TOK_NUMBER && at > off)
				;
			else
				break;
		} else if (is_letter(cp)) {
			letters++;
			*kind = TOK_WORD;
			upper += is_upper(cp) ? 1 : 0;
			lower += is_lower(cp) ? 1 : 0;
		}
		fl += fold_cp(cp, c->s + at, used, f + fl);
		at += used;
	}
	*hash = lexicon_key_hash(f, fl);
	letters += aletters;
	upper += aupper;
	lower += aletters - aupper;
	*flags = word_flags(letters, upper, lower, stretch);
	*flen = fl;
	return at - off;
}

static int
is_alnum_ascii(char ch, int hex)
{
	return (ch >= '0' && ch <= '9') || (hex && (((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f'))) ||
	    (hex > 1 && (((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')));
}

/* An HTML character reference at off ("&amp;", "&gt;", "&#39;", "&#x2764;"):
 * text copied from web pages and chat widgets carries them. Returns its
 * length, or 0. */
static size_t
scan_entity(const struct cur *c, size_t off)
{
	size_t i = off + 1, start;
	int kind = 2;  /* 2: a name, 1: hex digits, 0: decimal digits */

	if (i < c->len && c->s[i] == '#') {
		kind = 0;
		if (++i < c->len && (c->s[i] | 0x20) == 'x') {
			kind = 1;
			i++;
		}
	}
	for (start = i; i < c->len && i - start < 8 && is_alnum_ascii(c->s[i], kind); i++)
		;
	if (i == start || i >= c->len || c->s[i] != ';')
		return 0;
	return i + 1 - off;
}

static size_t match_emoticon(struct cur *c, size_t off);

/* "&lt;" or "&gt;" that begins an emoticon ("&lt;3", "&gt;:("): the
 * emoticon's length in the text (entity included), its folded form in f. */
static size_t
entity_emoticon(const struct cur *c, size_t off, size_t elen, char *f, size_t *flen)
{
	char buf[8];
	struct cur t = { buf, 1, 0 };
	size_t n;

	if (elen != 4 || (memcmp(c->s + off, "&lt;", 4) != 0 && memcmp(c->s + off, "&gt;", 4) != 0))
		return 0;
	buf[0] = c->s[off + 1] == 'l' ? '<' : '>';
	for (n = off + elen; n < c->len && t.len < sizeof(buf); n++)
		buf[t.len++] = c->s[n];
	if ((n = match_emoticon(&t, 0)) < 2)
		return 0;
	fold_ascii(buf, n, f);
	*flen = n;
	return elen + n - 1;
}

/* First characters of the emoticons, to skip the table quickly. */
static int
may_start_emoticon(unsigned char ch)
{
	return (ctab[ch] & C_FACE) != 0;
}

/* Emoticons that start with a letter ("XD", "D:", "o_O", "T_T") are tried
 * only when the next byte fits, so ordinary words skip the table. */
static int
letter_face(const struct cur *c, size_t off)
{
	char a = c->s[off], b = off + 1 < c->len ? c->s[off + 1] : 0;

	switch (a) {
	case 'X': case 'x': return b == 'D';
	case 'D': return b == ':' || b == ';' || b == '=';
	case 'o': case 'O': case 'T': return b == '_' || b == '.';
	default: return 0;
	}
}

/* The faces that may begin at off (at least two bytes left), or NULL. */
static const struct face *
face_list(const struct cur *c, size_t off, size_t *k)
{
#define L(a) (*k = sizeof(a) / sizeof(a[0]), a)
	switch (c->s[off]) {
	case ':':
		return c->s[off + 1] == '-' ? L(faces_colon_dash) :
		    c->s[off + 1] == '\'' ? L(faces_colon_quote) : L(faces_colon);
	case ';': return L(faces_semi);
	case '=': return L(faces_equals);
	case '<': return L(faces_less);
	case '>': return L(faces_greater);
	case '^': return L(faces_caret);
	case '-': return L(faces_dash);
	case 'o': case 'O': case 'T': return L(faces_o);
	case 'D': return L(faces_d);
	case 'X': case 'x': return L(faces_x);
	default: return NULL;
	}
#undef L
}

static size_t
match_emoticon(struct cur *c, size_t off)
{
	const struct face *fc;
	size_t i, j, k, n, used;
	uint32_t nx;

	if (!may_start_emoticon((unsigned char)c->s[off]) || c->len - off < 2 ||
	    !(fc = face_list(c, off, &k)))
		return 0;
	for (i = 0; i < k; i++) {
		n = fc[i].len;
		/* Second byte first: rejects most candidates at once. */
		if (n > c->len - off || c->s[off + 1] != fc[i].s[1])
			continue;
		for (j = 0; j < n && c->s[off + j] == fc[i].s[j]; j++)
			;
		if (j < n)
			continue;
		nx = peek(c, off + n, &used);
		if (used != 0 && word_char(nx))
			continue;  /* ":Dog" is not ":D" */
		return n;
	}
	return 0;
}

static size_t
scan_emoji(struct cur *c, size_t off)
{
	size_t at = off, used, used2;
	uint32_t cp = peek(c, at, &used);
	int regional = cp >= 0x1F1E6 && cp <= 0x1F1FF;

	at += used;
	for (;;) {
		cp = peek(c, at, &used);
		if (used == 0)
			break;
		if (is_emoji_modifier(cp)) {
			at += used;
		} else if (cp == 0x200D && is_emoji(peek(c, at + used, &used2)) && used2) {
			at += used + used2;
		} else if (regional && cp >= 0x1F1E6 && cp <= 0x1F1FF) {
			at += used;
			regional = 0;
		} else
			break;
	}
	return at - off;
}

/* Case-insensitive ASCII prefix test. */
static int
has_prefix(const struct cur *c, size_t off, const char *p)
{
	size_t i;

	for (i = 0; p[i]; i++) {
		if (off + i >= c->len || (c->s[off + i] | 0x20) != p[i])
			return 0;
	}
	return 1;
}

/* A link runs from its scheme (or "www.") to the next white space. Non-ASCII
 * bytes inside it are still decoded, so invalid UTF-8 is caught. */
static size_t
scan_link(struct cur *c, size_t off)
{
	size_t at = off, used;
	uint32_t cp;

	if (!has_prefix(c, off, "http://") && !has_prefix(c, off, "https://") &&
	    !has_prefix(c, off, "www."))
		return 0;
	while (at < c->len) {
		cp = peek(c, at, &used);
		if (cp < 0x80 ? (cp <= ' ' || cp == 0x7F) : is_space(cp))
			break;
		at += used;
	}
	return at - off;
}

/* "@name": a handle is a name, not a word to score. */
static size_t
scan_handle(const struct cur *c, size_t off)
{
	size_t at = off + 1;
	unsigned char b;

	while (at < c->len) {
		b = (unsigned char)c->s[at];
		if (!((b | 0x20) >= 'a' && (b | 0x20) <= 'z') && !(b >= '0' && b <= '9') && b != '_')
			break;
		at++;
	}
	return at - off > 1 ? at - off : 0;
}

static void
count_marks(const char *s, size_t len, struct tokenized *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '!')
			out->exclaims++;
		else if (s[i] == '?')
			out->questions++;
	}
}

/* Punctuation: runs of one character, and mixed !/? runs, are one token.
 * Every '!' and '?' of the text passes here (no other token holds one), so
 * they are counted here. */
static size_t
scan_punct(struct cur *c, size_t off, struct tokenized *out)
{
	size_t at = off, used;
	uint32_t first = peek(c, at, &used), cp;
	int bang = first == '!' || first == '?';

	at += used;
	if (first >= 0x80)
		return at - off;
	while (at < c->len) {
		cp = (unsigned char)c->s[at];
		if (cp != first && !(bang && (cp == '!' || cp == '?')))
			break;
		at++;
	}
	if (bang)
		count_marks(c->s + off, at - off, out);
	return at - off;
}

/* What the general path found at off: a token (kind >= 0), or white space
 * (kind < 0) to skip. */
struct found {
	size_t n, fl;      /* bytes of text; bytes of the folded copy */
	unsigned flags;
	int kind;
	uint32_t h;
};

/*
 * Everything but the common ASCII word: links, handles, emoticons, HTML
 * references, words with other scripts, emoji, punctuation, white space
 * other than ASCII. Out of line, so that the word loop of tokenize()
 * keeps its variables in registers.
 */
TOKENIZE_COLD static void
other_token(struct cur *c, size_t off, char *f, size_t room, struct tokenized *out,
    struct found *r)
{
	const char *text = c->s;
	size_t used, n, m, fl = 0;
	unsigned flags = 0;
	int kind;
	uint32_t cp, h = 0;

	cp = peek(c, off, &used);
	if (cp < 0x80 ? (cp >= 0x09 && cp <= 0x0D) : is_space(cp)) {
		r->n = used;
		r->kind = -1;
		return;
	}
	/* A scan never starts inside a word, so "XD" here is whole. */
	if ((cp == 'h' || cp == 'H' || cp == 'w' || cp == 'W') &&
	    (n = scan_link(c, off)) > 0) {
		fold_ascii(text + off, n, f);
		fl = n; kind = TOK_LINK;
	} else if (cp == '@' && (n = scan_handle(c, off)) > 0) {
		fold_ascii(text + off, n, f);
		fl = n; kind = TOK_HANDLE;
	} else if ((!word_char(cp) || letter_face(c, off)) &&
	    (n = match_emoticon(c, off)) > 0) {
		fold_ascii(text + off, n, f);
		fl = n; kind = TOK_EMOTICON;
	} else if (cp == '&' && (n = scan_entity(c, off)) > 0) {
		/* One non-word token, so "&gt;" is not the word "gt";
		 * "&lt;3" is the emoticon "<3". */
		kind = TOK_EMOTICON;
		if ((m = entity_emoticon(c, off, n, f, &fl)) == 0) {
			memcpy(f, text + off, n);
			fl = n; kind = TOK_PUNCT;
		} else {
			n = m;
		}
	} else if (word_char(cp)) {
		n = scan_word(c, off, f, &fl, &flags, &kind, &h);
	} else if (is_emoji(cp)) {
		n = scan_emoji(c, off);
		memcpy(f, text + off, used);  /* base code point only */
		fl = used; kind = TOK_EMOJI;
	} else {
		n = scan_punct(c, off, out);
		memcpy(f, text + off, n);
		fl = n; kind = TOK_PUNCT;
	}
	if (kind != TOK_WORD && kind != TOK_NUMBER)
		h = folded_hash(f, fl, room);
	r->n = n;
	r->fl = fl;
	r->flags = flags;
	r->kind = kind;
	r->h = h;
}

/*
 * tokenize() proper. cap: bytes the folded buffer holds (len, or more when
 * padded, so the vector path may store 16 bytes at a time); vec: whether
 * the vector word path and the punctuation shortcut are used (0 for
 * tokenize_scalar(), the general paths alone, which tests compare with).
 */
static TOKENIZE_INLINE int
tokenize_run(const char *text, size_t len, char *folded, size_t cap, struct token *toks,
    size_t max, struct tokenized *out, int vec)
{
	struct cur c = { text, len, 0 };
	size_t off = 0, fo = 0, n, ntok = 0, wfl;
	unsigned b, nb, wflags, lower = 0;
	int wkind;
	uint32_t wh;
	struct found r;
#ifdef TOKENIZE_VEC
	/* The last 16 bytes of the text and 16 zeros: the vector path reads
	 * 16 bytes from a word's start, here when the text ends sooner. */
	unsigned char tail[32];
	size_t base = len > 16 ? len - 16 : 0;
	const unsigned char *p;
#endif
	size_t adv;  /* a word's bytes and the white space after it */

	memset(out, 0, sizeof(*out));
	if (len > TOKENIZE_TEXT_MAX)
		return TOKENIZE_ETOOLONG;
#ifdef TOKENIZE_VEC
	_mm_storeu_si128((__m128i *)(void *)(tail + 16), _mm_setzero_si128());
	if (len >= 16) {  /* two stores, not a call */
		_mm_storeu_si128((__m128i *)(void *)tail,
		    _mm_loadu_si128((const __m128i *)(const void *)(text + base)));
	} else {
		memset(tail, 0, 16);
		memcpy(tail, text, len);
	}
#endif
	while (off < len) {
		b = ctab[(unsigned char)text[off]];
		if (b & C_SPACE) {  /* the most common bytes */
			off++;
			continue;
		}
		/* A word that nothing else starts: one branch, not one per kind
		 * of first letter. */
#ifdef TOKENIZE_VEC
		p = off + 16 <= len ? (const unsigned char *)text + off : tail + (off - base);
		nb = p[1];
#else
		nb = off + 1 < len ? (unsigned char)text[off + 1] : 0;
#endif
		/* Own variables, whose addresses go nowhere else, so that they
		 * stay in registers; a word with non-ASCII bytes (fast_word()
		 * returns 0) takes the general path below. */
		if ((b & (C_LETTER | C_DIGIT)) &&
		    !(first_need[(unsigned char)text[off]] & next_class[nb])) {
			n = 0;
#ifdef TOKENIZE_VEC
			if (vec)  /* adv: the white space after it too */
				n = vec_word(p, folded + fo, cap - fo, &wfl, &wflags, &wkind, &wh,
				    &adv);
#endif
			if (n == 0 && (n = fast_word(text, off, len, folded + fo, cap - fo, &wfl,
			    &wflags, &wkind, &wh)) != 0)
				adv = n;
			if (n != 0) {
				lower |= wflags;
				ntok = add(toks, max, ntok, off, n, fo, wfl, wkind, wflags, wh);
				fo += wfl;
				off += adv;
				continue;
			}
		}
		if (vec && ((b & (C_PUNCT | C_MARK)) || ((b & (C_FACE | C_LETTER)) == C_FACE &&
		    ((ctab[nb] & C_SPACE) || off + 1 == len)))) {
			/* '.', ',', quotes, brackets, and a face's first byte
			 * that stands alone (": ", " - "; every face has two
			 * bytes or more, none a space): scan_punct()'s run of
			 * one byte; '!' and '?': its counted run of both;
			 * without the general path's tests and call. */
			if (b & C_MARK) {
				for (n = 1; off + n < len && (ctab[(unsigned char)text[off + n]] & C_MARK);
				    n++)
					;
				count_marks(text + off, n, out);
			} else {
				for (n = 1; off + n < len && text[off + n] == text[off]; n++)
					;
			}
			memcpy(folded + fo, text + off, n);
			wh = folded_hash(folded + fo, n, cap - fo);
			ntok = add(toks, max, ntok, off, n, fo, n, TOK_PUNCT, 0, wh);
			fo += n;
			off += n;
			continue;
		}
#ifdef TOKENIZE_VEC
		if (vec && (text[off] | 0x20) == 'h' &&
		    (n = vec_link(text, len, off, tail, base, folded + fo, cap - fo)) != 0) {
			wh = folded_hash(folded + fo, n, cap - fo);
			ntok = add(toks, max, ntok, off, n, fo, n, TOK_LINK, 0, wh);
			fo += n;
			off += n;
			continue;
		}
		if (vec && text[off] == '@' &&
		    (n = vec_handle(p, folded + fo, cap - fo, &wh, &adv)) != 0) {
			ntok = add(toks, max, ntok, off, n, fo, n, TOK_HANDLE, 0, wh);
			fo += n;
			off += adv;
			continue;
		}
#endif
		other_token(&c, off, folded + fo, cap - fo, out, &r);
		if (r.kind < 0) {  /* white space */
			off += r.n;
			continue;
		}
		if (r.kind == TOK_WORD)
			lower |= r.flags;
		ntok = add(toks, max, ntok, off, r.n, fo, r.fl, r.kind, r.flags, r.h);
		fo += r.fl;
		off += r.n;
	}
	out->n = ntok;
	out->has_lower = (lower & TOK_F_LOWER) != 0;
	return c.bad ? TOKENIZE_EUTF8 : TOKENIZE_OK;
}

int
tokenize(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out)
{
	return tokenize_run(text, len, folded, len, toks, max, out, 1);
}

int
tokenize_padded(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out)
{
	return tokenize_run(text, len, folded, len + TOKENIZE_FOLD_PAD, toks, max, out, 1);
}

int
tokenize_scalar(const char *text, size_t len, char *folded, struct token *toks,
    size_t max, struct tokenized *out)
{
	return tokenize_run(text, len, folded, len, toks, max, out, 0);
}

const char *
tokenize_kind_name(enum tokenize_kind k)
{
	static const char *const names[] = {
		"word", "number", "emoticon", "emoji", "punct", "link", "handle"
	};

	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}
