/* signals: per-call frustration components (see signals.h). */
#include <math.h>
#include <string.h>
#include "undertone/utf8.h"
#include "signals_internal.h"

#define NONE (-1)
#define HL(s, cfg) signals_half_life((cfg), (enum ut_channel)(s)->channel, (cfg)->event_half_life_s)

float
signals_half_life(const struct signals_config *cfg, enum ut_channel ch, float half_life_s)
{
	/* email and social turns are minutes or hours apart: their signals
	 * fade on that scale, not on a phone call's */
	if ((ch == UT_CH_EMAIL || ch == UT_CH_SOCIAL) && cfg->written_time_scale > 1.0f)
		return half_life_s * cfg->written_time_scale;
	return half_life_s;
}

float
signals_clamp01(float v)
{
	if (!(v > 0.0f))
		return 0.0f;
	return v > 1.0f ? 1.0f : v;
}

/* Linear ramp: 0 at or below lo, 1 at or above hi. */
static float
ramp(float v, float lo, float hi)
{
	if (!(hi > lo))
		return v >= hi ? 1.0f : 0.0f;
	return signals_clamp01((v - lo) / (hi - lo));
}

int32_t
signals_offset(const struct signals_state *s, int64_t ts_ms)
{
	int64_t d = ts_ms - s->base_ms;

	if (d < 0)
		return 0;
	return d > INT32_MAX ? INT32_MAX : (int32_t)d;
}

float
signals_level_at(const struct signals_level *l, int32_t now, float half_life_s)
{
	int32_t age = now - l->at;

	if (l->level <= 0.0f)
		return 0.0f;
	if (age <= 0 || !(half_life_s > 0.0f))
		return l->level;
	return l->level * exp2f(-(float)age / (half_life_s * 1000.0f));
}

/* Raise a component to obs if that beats its decayed level; returns 1 when
 * obs became the level (the caller then records its evidence). */
static int
level_raise(struct signals_level *l, float obs, int32_t now, float half_life_s)
{
	if (obs <= 0.0f || obs < signals_level_at(l, now, half_life_s))
		return 0;
	l->level = signals_clamp01(obs);
	l->at = now;
	return 1;
}

void
signals_init(struct signals_state *s, int64_t base_ms, enum ut_channel channel)
{
	memset(s, 0, sizeof(*s));
	s->base_ms = base_ms;
	s->phrase_idx = NONE;
	s->request_at = NONE;
	s->agent_start = s->agent_end = s->cust_start = s->cust_end = NONE;
	s->last_counted_start = NONE;
	s->hold_since = NONE;
	s->hold_end = NONE;
	s->channel = (uint8_t)channel;
}

/* Customer started while the agent was still speaking (by at least the
 * minimum overlap, and not a one-word backchannel): count it once. */
static void
check_interruption(struct signals_state *s, const struct signals_config *cfg, int32_t now)
{
	int32_t min_overlap = (int32_t)(cfg->interruption_min_overlap_s * 1000.0f);
	float v;

	if (s->agent_start == NONE || s->cust_start == NONE || s->cust_words < 2)
		return;
	if (s->cust_start <= s->agent_start || s->agent_end - s->cust_start < min_overlap)
		return;
	if (s->cust_start == s->last_counted_start)
		return;
	s->last_counted_start = s->cust_start;
	if (s->interruptions < UINT16_MAX)
		s->interruptions++;
	v = signals_level_at(&s->comp[UT_FC_INTERRUPTION], now, HL(s, cfg));
	s->comp[UT_FC_INTERRUPTION].level = signals_clamp01(v + cfg->interruption_step);
	s->comp[UT_FC_INTERRUPTION].at = now;
}

/* Silence before an utterance starting at start (voice only, not on hold). */
static void
check_gap(struct signals_state *s, const struct signals_config *cfg, int32_t start)
{
	int32_t last = s->agent_end > s->cust_end ? s->agent_end : s->cust_end;
	float obs;

	if (s->channel != UT_CH_VOICE || last == NONE || s->hold_since != NONE || start <= last)
		return;
	obs = ramp((float)(start - last) / 1000.0f, cfg->silence_start_s, cfg->silence_full_s);
	if (level_raise(&s->comp[UT_FC_SILENCE], obs, start, HL(s, cfg)))
		s->gap_ms = start - last;
}

/* Repetition: content-word bigrams seen in earlier customer turns. */
static struct signals_ngram *
ngram_slot(struct signals_state *s, uint32_t h)
{
	struct signals_ngram *weak = NULL;
	uint32_t i, slot = h % SIGNALS_NGRAM_SLOTS;

	for (i = 0; i < 8; i++) {
		struct signals_ngram *g = &s->ngram[(slot + i) % SIGNALS_NGRAM_SLOTS];

		if (g->hash == h)
			return g;
		if (g->hash == 0) {
			g->hash = h;
			return g;
		}
		if (weak == NULL || g->count < weak->count ||
		    (g->count == weak->count && g->last_turn < weak->last_turn))
			weak = g;
	}
	/* full: the least repeated, oldest entry in the probe window goes */
	weak->hash = h;
	weak->count = 0;
	weak->last_turn = 0;
	return weak;
}

/* Copy the words tok[a..b] joined by single spaces, lower-cased. */
static void
copy_span(char *dst, size_t cap, const char *text, const struct signals_tok *tok,
    size_t a, size_t b)
{
	size_t n = 0, i, k, len;

	for (i = a; i <= b && n < cap; i++) {
		if (i > a)
			dst[n++] = ' ';
		len = utf8_clip(text + tok[i].off, tok[i].len, cap - n);
		for (k = 0; k < len; k++) {
			unsigned char ch = (unsigned char)text[tok[i].off + k];

			dst[n++] = (char)((ch >= 'A' && ch <= 'Z') ? ch + 32 : ch);
		}
		if (len < tok[i].len)
			break;
	}
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

static void
check_repetition(struct signals_state *s, const struct signals_config *cfg,
    const char *text, const struct signals_tok *tok, size_t n, int32_t now)
{
	size_t i, prev = SIZE_MAX, best_a = 0, best_b = 0;
	uint16_t best = 0;
	float obs;

	for (i = 0; i < n; i++) {
		struct signals_ngram *g;
		uint32_t h;

		if (tok[i].flags & TOK_STOP)
			continue;
		if (prev != SIZE_MAX) {
			h = tok[prev].hash * 31u + tok[i].hash;
			g = ngram_slot(s, h ? h : 1u);
			if (g->last_turn != s->turns || g->count == 0) {
				if (g->count < UINT16_MAX)
					g->count++;
				g->last_turn = s->turns;
			}
			if (g->count > best) {
				best = g->count;
				best_a = prev;
				best_b = i;
			} else if (g->count == best && best >= 2 && prev == best_b) {
				best_b = i;   /* extend the repeated run */
			}
		}
		prev = i;
	}
	if (best < 2)
		return;
	obs = cfg->repeat_full > 1 ? (float)(best - 1) / (float)(cfg->repeat_full - 1) : 1.0f;
	if (best >= s->repeat_count) {
		s->repeat_count = best;
		copy_span(s->repeat_text, SIGNALS_REPEAT_TEXT_MAX, text, tok, best_a, best_b);
	}
	(void)level_raise(&s->comp[UT_FC_REPETITION], obs, now, HL(s, cfg));
}

static void
check_escalation(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_tok *tok, size_t n, int32_t now)
{
	unsigned nreq;
	int p = signals_match_phrases(cfg, tok, n, &nreq);

	if (p < 0)
		return;
	if (s->escalations < UINT16_MAX)
		s->escalations++;
	if (nreq > 0) {
		if (s->requests < UINT16_MAX)
			s->requests++;
		s->request_at = now;
	}
	if (level_raise(&s->comp[UT_FC_ESCALATION], cfg->phrases[p].strength, now,
	    HL(s, cfg)))
		s->phrase_idx = (int16_t)p;
}

/* ALL-CAPS words and '!' runs: written channels only (ASR case is noise). */
static void
check_emphasis(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_tok *tok, size_t n, unsigned excl, int32_t now)
{
	unsigned caps = 0, words = 0;
	float obs_caps = 0.0f, obs_excl;
	size_t i;

	if (s->channel == UT_CH_VOICE)
		return;
	for (i = 0; i < n; i++) {
		words += (tok[i].flags & TOK_WORD) != 0;
		caps += (tok[i].flags & TOK_CAPS) != 0;
	}
	if (caps >= 2 && words > 0)
		obs_caps = signals_clamp01((float)caps / (float)words / cfg->caps_fraction_full);
	obs_excl = excl >= 2 ? signals_clamp01(0.2f * (float)excl) : 0.0f;
	if (level_raise(&s->comp[UT_FC_EMPHASIS], obs_caps > obs_excl ? obs_caps : obs_excl,
	    now, HL(s, cfg))) {
		s->caps_words = (uint8_t)(caps > 255 ? 255 : caps);
		s->words_last = (uint8_t)(words > 255 ? 255 : words);
		s->excl_run = (uint8_t)(excl > 255 ? 255 : excl);
	}
}

/* Running mean over the first `turns` samples; returns 1 once formed. */
static int
baseline(float *base, uint8_t *n, float v, uint8_t turns)
{
	if (*n < turns) {
		*base += (v - *base) / (float)(*n + 1);
		(*n)++;
		return 0;
	}
	return 1;
}

static void
check_pace(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_utterance *u, size_t words, int32_t now)
{
	float rate = u->has_voice && u->rate_wps > 0.0f && isfinite(u->rate_wps) ? u->rate_wps : 0.0f;
	float dur = (float)(u->end_ms - u->start_ms) / 1000.0f;

	if (s->channel != UT_CH_VOICE)
		return;
	if (rate <= 0.0f) {
		if (dur < 1.0f || words < 3)
			return;
		rate = (float)words / dur;
	}
	if (rate > 20.0f)
		return;   /* implausible timing: not speech */
	if (!baseline(&s->pace_base, &s->pace_n, rate, cfg->baseline_turns) || s->pace_base <= 0.0f)
		return;
	if (level_raise(&s->comp[UT_FC_PACE], ramp(rate / s->pace_base, cfg->pace_ratio_start,
	    cfg->pace_ratio_full), now, HL(s, cfg)))
		s->pace_last = rate;
}

static void
check_voice(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_utterance *u, int32_t now)
{
	float loud, pitch;
	int formed;

	if (!u->has_voice || !isfinite(u->loudness_dbfs) || !isfinite(u->pitch_hz) ||
	    u->loudness_dbfs < -120.0f || u->loudness_dbfs > 0.0f ||
	    u->pitch_hz < 30.0f || u->pitch_hz > 1000.0f)
		return;
	formed = s->voice_n >= cfg->baseline_turns;
	if (!formed) {
		s->loud_base += (u->loudness_dbfs - s->loud_base) / (float)(s->voice_n + 1);
		s->pitch_base += (u->pitch_hz - s->pitch_base) / (float)(s->voice_n + 1);
		s->voice_n++;
		return;
	}
	loud = ramp(u->loudness_dbfs - s->loud_base, cfg->loudness_start_db, cfg->loudness_full_db);
	pitch = ramp(u->pitch_hz / s->pitch_base, cfg->pitch_start_ratio, cfg->pitch_full_ratio);
	if (level_raise(&s->comp[UT_FC_VOICE], loud > pitch ? loud : pitch, now,
	    HL(s, cfg))) {
		s->loud_last = u->loudness_dbfs;
		s->pitch_last = u->pitch_hz;
	}
}

void
signals_customer(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_utterance *u)
{
	struct signals_tok tok[SIGNALS_TOKENS_MAX];
	size_t len = u->text ? (u->len > UT_TEXT_MAX ? UT_TEXT_MAX : u->len) : 0;
	int32_t start = signals_offset(s, u->start_ms), end = signals_offset(s, u->end_ms);
	unsigned excl = 0;
	size_t n;

	if (end < start)
		end = start;
	n = signals_tokenize(cfg, u->text ? u->text : "", len, tok, SIGNALS_TOKENS_MAX, &excl);
	if (s->turns < UINT16_MAX)
		s->turns++;
	s->neg_mask = (uint8_t)((s->neg_mask << 1) | (u->compound <= cfg->negative_below));
	s->ewma = u->ewma;
	check_gap(s, cfg, start);
	s->cust_start = start;
	s->cust_end = end;
	s->cust_words = (uint8_t)(n > 255 ? 255 : n);
	check_interruption(s, cfg, end);
	check_repetition(s, cfg, u->text, tok, n, end);
	check_escalation(s, cfg, tok, n, end);
	check_emphasis(s, cfg, tok, n, excl, end);
	check_pace(s, cfg, u, n, end);
	check_voice(s, cfg, u, end);
}

void
signals_agent(struct signals_state *s, const struct signals_config *cfg,
    int64_t start_ms, int64_t end_ms)
{
	int32_t start = signals_offset(s, start_ms), end = signals_offset(s, end_ms);

	if (end < start)
		end = start;
	check_gap(s, cfg, start);
	s->agent_start = start;
	s->agent_end = end;
	check_interruption(s, cfg, end);
}

void
signals_hold(struct signals_state *s, bool on, int64_t ts_ms)
{
	int32_t now = signals_offset(s, ts_ms);

	if (on) {
		if (s->hold_since == NONE)
			s->hold_since = now;
		return;
	}
	if (s->hold_since == NONE)
		return;
	s->hold_ms = now - s->hold_since;
	s->hold_end = now;
	s->hold_since = NONE;
	/* the hold is not a silence: response gaps count from its end */
	if (s->agent_end != NONE && s->agent_end < now)
		s->agent_end = now;
	if (s->cust_end != NONE && s->cust_end < now)
		s->cust_end = now;
}

/* The most recent completed hold's value, decayed since it ended. */
static float
past_hold(const struct signals_state *s, const struct signals_config *cfg, int32_t now)
{
	struct signals_level l;

	if (s->hold_end == NONE)
		return 0.0f;
	l.level = ramp((float)s->hold_ms / 1000.0f, cfg->hold_start_s, cfg->hold_full_s);
	l.at = s->hold_end;
	return signals_level_at(&l, now, HL(s, cfg));
}

/* Ongoing hold or voice silence at now: their ramped value. */
static float
ongoing_silence(const struct signals_state *s, const struct signals_config *cfg,
    int32_t now, int *is_hold, int32_t *len)
{
	int32_t last = s->agent_end > s->cust_end ? s->agent_end : s->cust_end;

	*is_hold = 0;
	*len = 0;
	if (s->hold_since != NONE) {
		*is_hold = 1;
		*len = now - s->hold_since;
		return ramp((float)*len / 1000.0f, cfg->hold_start_s, cfg->hold_full_s);
	}
	if (s->channel != UT_CH_VOICE || last == NONE || now <= last)
		return 0.0f;
	*len = now - last;
	return ramp((float)*len / 1000.0f, cfg->silence_start_s, cfg->silence_full_s);
}

static float
negativity(const struct signals_state *s, const struct signals_config *cfg)
{
	unsigned neg = (unsigned)__builtin_popcount(s->neg_mask);
	float conf, mag;

	if (s->ewma >= 0.0f || cfg->negativity_full <= 0.0f)
		return 0.0f;
	mag = signals_clamp01(-s->ewma / cfg->negativity_full);
	conf = cfg->negativity_turns ? (float)neg / (float)cfg->negativity_turns : 1.0f;
	return mag * signals_clamp01(conf);
}

float
signals_component_value(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int32_t now)
{
	float v, o;
	int is_hold;
	int32_t len;

	if (c == UT_FC_NEGATIVITY)
		return negativity(s, cfg);
	v = signals_level_at(&s->comp[c], now, HL(s, cfg));
	if (c == UT_FC_SILENCE) {
		o = ongoing_silence(s, cfg, now, &is_hold, &len);
		if (o > v)
			v = o;
		o = past_hold(s, cfg, now);
		if (o > v)
			v = o;
	}
	return signals_clamp01(v);
}

float
signals_value(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int64_t now_ms)
{
	if ((unsigned)c >= UT_FC__COUNT)
		return 0.0f;
	return signals_component_value(s, cfg, c, signals_offset(s, now_ms));
}

void
signals_compute(const struct signals_state *s, const struct signals_config *cfg,
    int64_t now_ms, struct signals_frustration *out)
{
	int32_t now = signals_offset(s, now_ms);
	float sum = 0.0f;
	int c;

	for (c = 0; c < UT_FC__COUNT; c++) {
		struct signals_component *k = &out->comp[c];
		float w = cfg->weight[c];

		k->weight = isfinite(w) && w > 0.0f ? w : 0.0f;
		k->value = signals_component_value(s, cfg, (enum ut_component)c, now);
		k->contribution = k->weight * k->value;
		sum += k->contribution;
	}
	out->capped = sum > 1.0f;
	out->value = signals_clamp01(sum);
}

bool
signals_request_since(const struct signals_state *s, int64_t since_ms)
{
	return s->request_at != NONE && s->request_at >= signals_offset(s, since_ms);
}

const char *
signals_escalation_phrase(const struct signals_state *s, const struct signals_config *cfg)
{
	if (s->phrase_idx < 0 || s->phrase_idx >= cfg->nphrases)
		return NULL;
	return cfg->phrases[s->phrase_idx].text;
}

/* For evidence: the current silence figure and whether it is a hold. */
void
signals_silence_detail(const struct signals_state *s, const struct signals_config *cfg,
    int32_t now, int *is_hold, int *ongoing, int32_t *len)
{
	float gap = signals_level_at(&s->comp[UT_FC_SILENCE], now, HL(s, cfg));
	float hold = past_hold(s, cfg, now);
	float o = ongoing_silence(s, cfg, now, is_hold, len);

	*ongoing = o > 0.0f && o >= gap && o >= hold;
	if (!*ongoing) {
		*is_hold = hold > gap;
		*len = *is_hold ? s->hold_ms : s->gap_ms;
	}
}
