/* signals: word splitting, stop words, escalation phrases and defaults. */
#include <math.h>
#include <string.h>
#include "undertone/utf8.h"
#include "signals_internal.h"

/* Function words that carry no content: repetition ignores them, so
 * "I was charged twice" and "you charged me twice" share 'charged twice'. */
static const char *const stop_words[] = {
	"a", "about", "after", "again", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
	"does", "for", "from", "get", "got", "had", "has", "have", "he", "her",
	"here", "him", "his", "how", "i", "i'm", "if", "in", "is", "it", "it's",
	"its", "just", "me", "my", "no", "not", "now", "of", "oh", "ok", "okay",
	"on", "or", "our", "please", "really", "she", "so", "some", "that",
	"that's", "the", "their", "them", "then", "there", "they", "this", "to",
	"um", "uh", "up", "us", "very", "was", "we", "well", "were", "what",
	"when", "where", "which", "who", "why", "will", "with", "would", "yeah",
	"yes", "you", "your", "you're",
};

/* The built-in escalation phrases (mirrored in data/policy/default.ini).
 * Strength is the component value when matched; request marks an explicit
 * request to escalate. */
static const struct { const char *text; float strength; bool request; } default_phrases[] = {
	{ "speak to a manager", 1.0f, true }, { "speak to your manager", 1.0f, true },
	{ "speak to the manager", 1.0f, true }, { "talk to a manager", 1.0f, true },
	{ "talk to your manager", 1.0f, true }, { "speak to a supervisor", 1.0f, true },
	/* the general forms: "put me through to / transfer me to ..." */
	{ "to a manager", 1.0f, true }, { "to your manager", 1.0f, true },
	{ "to the manager", 1.0f, true }, { "to a supervisor", 1.0f, true },
	{ "to your supervisor", 1.0f, true }, { "to the supervisor", 1.0f, true },
	{ "get me your manager", 1.0f, true }, { "get me a manager", 1.0f, true },
	{ "get me the manager", 1.0f, true }, { "get me a supervisor", 1.0f, true },
	{ "get me your supervisor", 1.0f, true }, { "want a manager", 1.0f, true },
	{ "want your manager", 1.0f, true }, { "someone in charge", 0.9f, true },
	{ "someone senior", 0.9f, true }, { "escalate this", 0.9f, true },
	{ "manager", 0.6f, false }, { "supervisor", 0.6f, false },
	{ "escalate", 0.7f, false }, { "cancel", 0.5f, false },
	{ "cancel my account", 0.8f, false }, { "close my account", 0.8f, false },
	{ "cancel my contract", 0.8f, false }, { "switch provider", 0.7f, false },
	{ "complaint", 0.6f, false }, { "make a complaint", 0.8f, false },
	{ "formal complaint", 0.9f, false }, { "lawyer", 1.0f, false },
	{ "solicitor", 1.0f, false }, { "legal action", 1.0f, false },
	{ "ombudsman", 0.9f, false }, { "trading standards", 0.9f, false },
	{ "second time", 0.5f, false }, { "third time", 0.8f, false },
	{ "fourth time", 0.9f, false }, { "every time i call", 0.7f, false },
	{ "already told you", 0.6f, false }, { "how many times", 0.7f, false },
	{ "said it twice", 0.6f, false }, { "see you in court", 1.0f, false },
	{ "sue", 0.9f, false },
	/* a problem that recurs, said in so many words */
	{ "keeps happening", 0.6f, false }, { "happened again", 0.5f, false },
	{ "yet again", 0.5f, false }, { "again and again", 0.6f, false },
	{ "over and over", 0.6f, false }, { "every single time", 0.6f, false },
};

static inline int
is_word_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '\'' || ch >= 0x80;
}

static inline unsigned char
fold(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') ? (unsigned char)(ch + 32) : ch;
}

/* Hash a word (all word bytes): ASCII folded to lower case, U+2019 read as
 * an apostrophe, trailing apostrophes and a possessive "'s" left out (so
 * "manager's" is "manager" and "I’m" is "i'm"). *end gets the length
 * of the part hashed; letters/upper count ASCII letters. Never 0. */
static uint32_t
hash_word(const char *w, size_t n, size_t *end, unsigned *letters, unsigned *upper)
{
	uint32_t h = 2166136261u, h_end = h, h_apos = h;
	size_t i = 0, e = 0, e_apos = 0, after_apos = 0;
	unsigned char last = 0;

	*letters = *upper = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)w[i];
		size_t step = 1;

		if (ch == 0xe2 && i + 2 < n && (unsigned char)w[i + 1] == 0x80 &&
		    (unsigned char)w[i + 2] == 0x99)
			ch = '\'', step = 3;
		if (ch >= 'A' && ch <= 'Z')
			(*upper)++, (*letters)++;
		else if (ch >= 'a' && ch <= 'z')
			(*letters)++;
		if (ch == '\'' && e > 0) {
			h_apos = h_end;
			e_apos = e;
			after_apos = 0;
		} else if (ch != '\'') {
			after_apos++;
		}
		h ^= fold(ch);
		h *= 16777619u;
		i += step;
		if (ch != '\'') {
			e = i;
			h_end = h;
			last = ch;
		}
	}
	if (e_apos > 0 && after_apos == 1 && (last == 's' || last == 'S')) {
		e = e_apos;
		h_end = h_apos;
	}
	if (e == 0) {   /* only apostrophes */
		e = n;
		h_end = h;
	}
	*end = e;
	return h_end ? h_end : 1u;
}

uint32_t
signals_word_hash(const char *w, size_t len)
{
	unsigned letters, upper;
	size_t end;

	return hash_word(w, len, &end, &letters, &upper);
}

static int
stopset_has(const struct signals_config *cfg, uint32_t h)
{
	uint32_t i, slot = h & (SIGNALS_STOPSET - 1);

	for (i = 0; i < SIGNALS_STOPSET; i++) {
		uint32_t v = cfg->stopset[(slot + i) & (SIGNALS_STOPSET - 1)];

		if (v == h)
			return 1;
		if (v == 0)
			return 0;
	}
	return 0;
}

static void
stopset_add(struct signals_config *cfg, uint32_t h)
{
	uint32_t i, slot = h & (SIGNALS_STOPSET - 1);

	for (i = 0; i < SIGNALS_STOPSET; i++) {
		uint32_t *v = &cfg->stopset[(slot + i) & (SIGNALS_STOPSET - 1)];

		if (*v == 0 || *v == h) {
			*v = h;
			return;
		}
	}
}

/* One word at text[start..): its extent (for quoting), hash and flags. */
static size_t
scan_word(const struct signals_config *cfg, const char *text, size_t start, size_t len,
    struct signals_tok *t)
{
	size_t i = start, end;
	unsigned letters, upper;
	uint8_t f = 0;

	while (i < len && is_word_byte((unsigned char)text[i]))
		i++;
	t->hash = hash_word(text + start, i - start, &end, &letters, &upper);
	if (letters >= 2)
		f |= TOK_WORD;
	if (letters >= 3 && upper == letters)
		f |= TOK_CAPS;
	if (stopset_has(cfg, t->hash))
		f |= TOK_STOP;
	/* the evidence quotes the word as written, possessive included */
	for (end = i - start; end > 1 && text[start + end - 1] == '\''; end--)
		;
	t->off = (uint16_t)start;
	t->len = (uint16_t)end;
	t->flags = f;
	return i;
}

size_t
signals_tokenize(const struct signals_config *cfg, const char *text, size_t len,
    struct signals_tok *tok, size_t max, unsigned *excl_run)
{
	struct signals_tok spare;
	size_t i = 0, n = 0;
	unsigned run = 0, best = 0;

	while (i < len) {
		unsigned char ch = (unsigned char)text[i];

		if (!is_word_byte(ch) || ch == '\'') {
			run = (ch == '!') ? run + 1 : 0;
			if (run > best)
				best = run;
			i++;
			continue;
		}
		run = 0;
		i = scan_word(cfg, text, i, len, n < max ? &tok[n] : &spare);
		if (n < max)
			n++;
	}
	*excl_run = best;
	return n;
}

static inline int
bloom_has(const uint64_t *b, uint32_t h)
{
	return (int)((b[(h >> 6) & 3] >> (h & 63)) & 1u);
}

int
signals_match_phrases(const struct signals_config *cfg,
    const struct signals_tok *tok, size_t n, unsigned *nreq)
{
	size_t i, k;
	int p, best = -1;

	*nreq = 0;
	for (i = 0; i < n; i++) {
		if (!bloom_has(cfg->phrase_bloom, tok[i].hash))
			continue;
		for (p = 0; p < cfg->nphrases; p++) {
			const struct signals_phrase *ph = &cfg->phrases[p];

			if (ph->hash[0] != tok[i].hash || i + ph->nwords > n)
				continue;
			for (k = 1; k < ph->nwords && ph->hash[k] == tok[i + k].hash; k++)
				;
			if (k < ph->nwords)
				continue;
			if (ph->request)
				(*nreq)++;
			if (best < 0 || ph->strength > cfg->phrases[best].strength ||
			    (ph->strength == cfg->phrases[best].strength &&
			    ph->nwords > cfg->phrases[best].nwords))
				best = p;
		}
	}
	return best;
}

int
signals_config_add_phrase(struct signals_config *cfg, const char *text,
    float strength, bool request)
{
	struct signals_phrase *ph;
	size_t len, i = 0, start;

	if (text == NULL || cfg->nphrases >= SIGNALS_PHRASES_MAX || !isfinite(strength) ||
	    strength <= 0.0f || strength > 1.0f)
		return -1;
	len = strlen(text);
	if (len == 0 || len > SIGNALS_PHRASE_TEXT_MAX || !utf8_valid(text, len))
		return -1;
	ph = &cfg->phrases[cfg->nphrases];
	memset(ph, 0, sizeof(*ph));
	while (i < len) {
		if (!is_word_byte((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && is_word_byte((unsigned char)text[i]))
			i++;
		if (ph->nwords == SIGNALS_PHRASE_WORDS_MAX)
			return -1;
		ph->hash[ph->nwords++] = signals_word_hash(text + start, i - start);
	}
	if (ph->nwords == 0)
		return -1;
	for (i = 0; i < len; i++)
		ph->text[i] = (char)fold((unsigned char)text[i]);
	ph->text[len] = '\0';
	ph->strength = strength;
	ph->request = request;
	cfg->phrase_bloom[(ph->hash[0] >> 6) & 3] |= (uint64_t)1 << (ph->hash[0] & 63);
	cfg->nphrases++;
	return 0;
}

void
signals_config_clear_phrases(struct signals_config *cfg)
{
	cfg->nphrases = 0;
	memset(cfg->phrase_bloom, 0, sizeof(cfg->phrase_bloom));
}

void
signals_config_default(struct signals_config *cfg)
{
	static const float weights[UT_FC__COUNT] = {
		[UT_FC_NEGATIVITY] = 0.40f, [UT_FC_REPETITION] = 0.25f,
		[UT_FC_ESCALATION] = 0.30f, [UT_FC_INTERRUPTION] = 0.10f,
		[UT_FC_PACE] = 0.08f, [UT_FC_EMPHASIS] = 0.25f,
		[UT_FC_SILENCE] = 0.10f, [UT_FC_VOICE] = 0.12f,
	};
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->weight, weights, sizeof(weights));
	cfg->ewma_half_life_s = 30.0f;
	cfg->event_half_life_s = 120.0f;
	cfg->written_time_scale = 10.0f;
	cfg->slope_window_s = 120.0f;
	cfg->end_window_s = 60.0f;
	cfg->negative_below = -0.05f;
	cfg->negativity_full = 0.5f;
	cfg->negativity_turns = 2;
	cfg->repeat_full = 3;
	cfg->interruption_step = 0.35f;
	cfg->interruption_min_overlap_s = 0.3f;
	cfg->pace_ratio_start = 1.15f;
	cfg->pace_ratio_full = 1.6f;
	cfg->caps_fraction_full = 0.6f;
	cfg->silence_start_s = 20.0f;
	cfg->silence_full_s = 60.0f;
	cfg->hold_start_s = 60.0f;
	cfg->hold_full_s = 300.0f;
	cfg->loudness_start_db = 3.0f;
	cfg->loudness_full_db = 10.0f;
	cfg->pitch_start_ratio = 1.10f;
	cfg->pitch_full_ratio = 1.40f;
	cfg->baseline_turns = 3;
	for (i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		stopset_add(cfg, signals_word_hash(stop_words[i], strlen(stop_words[i])));
	for (i = 0; i < sizeof(default_phrases) / sizeof(default_phrases[0]); i++)
		(void)signals_config_add_phrase(cfg, default_phrases[i].text,
		    default_phrases[i].strength, default_phrases[i].request);
}
