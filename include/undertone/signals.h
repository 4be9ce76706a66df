/*
 * signals: the frustration components of one call (customer only).
 *
 * Contract: signals_customer() and signals_agent() are fed the call's
 * utterances in event order; agent utterances contribute ONLY their timing
 * (interruptions, response gaps), never their text or voice. Each component
 * of model.h's enum ut_component gets a value in [0,1]; the frustration
 * figure is min(1, sum of weight x value), with weights from the config
 * (documented in undertone-policy(5) and doc/signals.md). Event-like
 * components decay with event time (half-life cfg.event_half_life_s, times
 * cfg.written_time_scale on email and social) so that frustration recovers
 * when the call does. State is fixed-size and compact
 * (evidence is kept as small numbers and formatted on demand), no
 * allocation, no I/O. Text is treated as untrusted bytes: bounded scanning,
 * ASCII case folding only, any byte >= 0x80 is part of a word.
 */
#ifndef UNDERTONE_SIGNALS_H
#define UNDERTONE_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"

#define SIGNALS_PHRASES_MAX      64   /* escalation phrases in a config */
#define SIGNALS_PHRASE_WORDS_MAX 6    /* words in one escalation phrase */
#define SIGNALS_PHRASE_TEXT_MAX  48   /* bytes of one escalation phrase */
#define SIGNALS_NGRAM_SLOTS      32   /* repetition table entries per call */
#define SIGNALS_REPEAT_TEXT_MAX  40   /* bytes of the repeated phrase kept */
#define SIGNALS_TOKENS_MAX       1024 /* words examined per utterance */
#define SIGNALS_STOPSET          256  /* stop-word hash set slots (power of 2) */

/* An escalation phrase: words are matched as a sequence of whole words,
 * case-insensitively (ASCII). `request` marks an explicit request to
 * escalate ("speak to a manager"), which the escalation_request rule uses. */
struct signals_phrase {
	char text[SIGNALS_PHRASE_TEXT_MAX + 1];
	uint32_t hash[SIGNALS_PHRASE_WORDS_MAX];
	uint8_t nwords;
	bool request;
	float strength;          /* (0,1]: component value when matched */
};

/* Tunables; signals_config_default() gives the documented defaults. */
struct signals_config {
	float weight[UT_FC__COUNT];  /* frustration weights */
	float ewma_half_life_s;      /* trend EWMA half-life (30) */
	float event_half_life_s;     /* decay of event-like components (120) */
	float written_time_scale;    /* half-lives x this for email and social (10) */
	float slope_window_s;        /* trend slope window (120) */
	float end_window_s;          /* end-of-call "last stretch" (60) */
	float negative_below;        /* a turn counts as negative at <= this (-0.05) */
	float negativity_full;       /* EWMA magnitude that gives value 1 (0.5) */
	uint8_t negativity_turns;    /* negative turns (of the last 8) for full confidence (3) */
	uint8_t repeat_full;         /* restatements (count incl. first) giving value 1 (3) */
	float interruption_step;     /* value added per interruption (0.35) */
	float interruption_min_overlap_s; /* overlap ignored below this (0.3) */
	float pace_ratio_start;      /* words/s ratio vs baseline where pace starts (1.15) */
	float pace_ratio_full;       /* ratio giving value 1 (1.6) */
	float caps_fraction_full;    /* share of capitalised words giving value 1 (0.6) */
	float silence_start_s;       /* silence/response gap that starts counting (20) */
	float silence_full_s;        /* silence giving value 1 (60) */
	float hold_start_s;          /* hold that starts counting (60) */
	float hold_full_s;           /* hold giving value 1 (300) */
	float loudness_start_db;     /* dB above baseline where voice starts (3) */
	float loudness_full_db;      /* dB above baseline giving value 1 (10) */
	float pitch_start_ratio;     /* pitch ratio vs baseline where voice starts (1.10) */
	float pitch_full_ratio;      /* ratio giving value 1 (1.40) */
	uint8_t baseline_turns;      /* customer turns forming pace/voice baselines (3) */
	uint8_t nphrases;
	struct signals_phrase phrases[SIGNALS_PHRASES_MAX];
	uint64_t phrase_bloom[4];    /* first-word filter, kept by add_phrase */
	uint32_t stopset[SIGNALS_STOPSET]; /* stop-word hashes (0 = empty) */
};

/* A decaying level: value(now) = level * 2^-((now - at) / half-life). */
struct signals_level {
	float level;
	int32_t at;              /* ms since call start of the last rise */
};

struct signals_ngram {
	uint32_t hash;           /* 0 = free slot */
	uint16_t count;          /* distinct customer turns containing it */
	uint16_t last_turn;      /* turn number that last counted it */
};

/* Per-call signal state (about 480 bytes). Times are ms since base_ms. */
struct signals_state {
	int64_t base_ms;
	struct signals_level comp[UT_FC__COUNT];   /* event-like components */
	struct signals_ngram ngram[SIGNALS_NGRAM_SLOTS];
	char repeat_text[SIGNALS_REPEAT_TEXT_MAX + 1];  /* most repeated phrase */
	uint16_t repeat_count;        /* its count */
	uint16_t turns;               /* customer turns seen */
	uint16_t interruptions;       /* total customer interruptions */
	uint16_t escalations;         /* escalation phrases matched */
	uint16_t requests;            /* explicit escalation requests matched */
	int16_t phrase_idx;           /* strongest recent phrase, -1 none */
	int32_t request_at;           /* ms of the newest request, -1 none */
	uint8_t neg_mask;             /* last 8 turns: bit set = negative */
	uint8_t caps_words, words_last;   /* emphasis evidence: caps / words */
	uint8_t excl_run;             /* longest '!' run in that turn */
	float ewma;                   /* copy of the trend EWMA */
	/* dialogue timing (ms since base; -1 = none) */
	int32_t agent_start, agent_end, cust_start, cust_end;
	int32_t last_counted_start;   /* customer start already counted */
	int32_t gap_ms;               /* longest recent silence/response gap */
	int32_t hold_since;           /* hold in progress since, -1 none */
	int32_t hold_ms;              /* most recent completed hold, its length */
	int32_t hold_end;             /* ...and when it ended (-1 none) */
	/* pace and voice baselines, from the first baseline_turns turns */
	float pace_base, pace_last;
	float loud_base, loud_last, pitch_base, pitch_last;
	uint8_t pace_n, voice_n;
	uint8_t channel;              /* enum ut_channel of the call */
	uint8_t cust_words;           /* words in the newest customer turn */
};

/* One customer utterance as the signals see it. Times are event time, ms
 * since the epoch; voice fields are used only when has_voice. */
struct signals_utterance {
	int64_t start_ms, end_ms;
	const char *text;
	size_t len;                   /* bytes of text (clipped to UT_TEXT_MAX) */
	float compound;               /* sentiment in [-1,1] */
	float ewma;                   /* the call's smoothed sentiment after it */
	enum ut_channel channel;
	bool has_voice;
	float loudness_dbfs, pitch_hz, rate_wps;  /* rate_wps <= 0: unknown */
};

/* A component's figures at some time; evidence is formatted on demand. */
struct signals_component {
	float value, weight, contribution;
};

struct signals_frustration {
	float value;                  /* min(1, sum of contributions) */
	bool capped;                  /* sum exceeded 1 */
	struct signals_component comp[UT_FC__COUNT];
};

void signals_config_default(struct signals_config *cfg);

/* Add a phrase ("speak to a manager") to cfg; 0 ok, -1 full/empty/too long. */
int signals_config_add_phrase(struct signals_config *cfg, const char *text,
    float strength, bool request);

void signals_init(struct signals_state *s, int64_t base_ms, enum ut_channel channel);

/* Feed one customer utterance (after the trend was updated). */
void signals_customer(struct signals_state *s, const struct signals_config *cfg,
    const struct signals_utterance *u);

/* Feed one agent utterance's timing only. */
void signals_agent(struct signals_state *s, const struct signals_config *cfg,
    int64_t start_ms, int64_t end_ms);

/* Hold on/off at event time ts_ms (the most recent completed hold, and a
 * hold in progress, feed "silence"). */
void signals_hold(struct signals_state *s, bool on, int64_t ts_ms);

/* Compute every component and the composite at now_ms. */
void signals_compute(const struct signals_state *s, const struct signals_config *cfg,
    int64_t now_ms, struct signals_frustration *out);

/* A half-life for a call on channel ch (email/social: x written_time_scale). */
float signals_half_life(const struct signals_config *cfg, enum ut_channel ch, float half_life_s);

/* One component's value in [0,1] at now_ms. */
float signals_value(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int64_t now_ms);

/* Evidence for one component, e.g. "repeated 'charged twice' x3"; returns
 * the length written (always NUL-terminated when len > 0; "" when none). */
size_t signals_evidence(const struct signals_state *s, const struct signals_config *cfg,
    enum ut_component c, int64_t now_ms, char *buf, size_t len);

/* "frustration 0.78 = repetition 0.30 (repeated 'charged twice' x3) +
 * escalation 0.25 ('speak to a manager') + ..." listing non-zero
 * contributions, largest first. Returns the length written (clipped on a
 * UTF-8 boundary to fit len). */
size_t signals_explain(const struct signals_state *s, const struct signals_config *cfg,
    const struct signals_frustration *f, int64_t now_ms, char *buf, size_t len);

/* The matched phrase text of the strongest recent escalation, or NULL. */
const char *signals_escalation_phrase(const struct signals_state *s,
    const struct signals_config *cfg);

/* Explicit escalation request seen at or after since_ms (event time)? */
bool signals_request_since(const struct signals_state *s, int64_t since_ms);

#endif
