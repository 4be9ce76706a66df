/*
 * call: the analyzer's state for one call (one allocation, compact).
 *
 * Contract: call_new() makes a call with a trend ring of trend_len points
 * in the same allocation (call_footprint() bytes, <= 4 KiB at the default
 * 120 points). Events are applied in event-time order: a timestamp older
 * than the newest one applied is CALL_ERR_BACKWARDS, anything after the end
 * is CALL_ERR_ENDED, and the call is left unchanged on every error so the
 * caller can count and skip the event. Customer utterances feed the trend and
 * all frustration components; agent utterances feed timing only. Feed only
 * final utterances (protocol "final": true); partial ASR results would count
 * twice. Nothing here allocates per event or does I/O. Suggestions are
 * evaluated by policy.h on the call's policy_call state.
 *
 * Clock: every time here is EVENT time (the events' "ts" clock, ms since the
 * epoch). For ticks between events use the event clock advanced by the
 * local monotonic time elapsed since the newest event, so that replays of
 * old transcripts behave like live calls.
 */
#ifndef UNDERTONE_CALL_H
#define UNDERTONE_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"
#include "undertone/trend.h"
#include "undertone/signals.h"

#define CALL_RULES_MAX 16   /* policy rules tracked per call (POLICY_RULES_MAX) */
#define CALL_NEVER INT64_MIN /* "no time": not on hold, not ended, not set */
#define CALL_SKEW_MS 5000    /* an utterance may end this much after its event ts */

enum call_err {
	CALL_OK = 0,
	CALL_ERR_BACKWARDS = -1,  /* event time before the newest applied */
	CALL_ERR_ENDED = -2,      /* event after call_end / abandonment */
	CALL_ERR_TIMING = -3,     /* start > end, or before the call started */
	CALL_ERR_VALUE = -4,      /* compound/voice not finite or out of range */
	CALL_ERR_STATE = -5       /* hold on while on hold, off while not */
};

/* Per rule suggestion state, kept by policy.c. Times are ms since epoch. */
struct policy_rule_state {
	int64_t cond_since;      /* condition continuously true since, or CALL_NEVER */
	int64_t clear_since;     /* clear condition true since, or CALL_NEVER */
	int64_t raised;          /* raised at (meaningful while ACTIVE) */
	int64_t updated;         /* last raised/updated publication */
	int64_t hold_until;      /* snoozed/human-cleared until, CALL_NEVER none */
	float published;         /* metric when last published */
	float dismissed;         /* metric when dismissed (margin base) */
	float ref;               /* rule-specific reference (drop: the peak) */
	uint16_t ordinal;        /* raises of this rule on this call */
	uint8_t flags;           /* POLICY_RS_* (policy.h) */
	uint8_t severity;        /* severity when last published */
};

struct policy_call {
	char claimed_by[UT_ID_MAX + 1];   /* lead who owns the call, "" none */
	int64_t claimed_at;      /* CALL_NEVER when unclaimed */
	struct policy_rule_state rule[CALL_RULES_MAX];
};

struct call {
	char id[UT_ID_MAX + 1];
	char agent[UT_ID_MAX + 1];
	char queue[UT_ID_MAX + 1];
	enum ut_channel channel;
	enum ut_call_state state;
	int64_t start_ms;        /* call_start event time */
	int64_t last_ms;         /* newest event time applied */
	int64_t end_ms;          /* end/abandon time, CALL_NEVER while live */
	int64_t hold_since;      /* current hold start, CALL_NEVER when not on hold */
	int64_t hold_total_ms;   /* completed holds */
	uint32_t utterances;     /* all accepted utterances */
	uint32_t customer_turns;
	struct trend trend;
	struct signals_state sig;
	struct policy_call pol;
	struct trend_point ring[];   /* trend.cap points */
};

/* A customer utterance. Times are event time in ms since the epoch (the
 * caller adds the protocol's start_ms/end_ms offsets to the call's start).
 * ts_ms is the event's own timestamp, used for ordering; start <= end, the
 * start not before the call, the end at most CALL_SKEW_MS after ts_ms. */
struct call_utterance {
	int64_t ts_ms, start_ms, end_ms;
	const char *text;
	size_t len;
	float compound;              /* from sentiment_score(), [-1,1] */
	bool has_voice;
	float loudness_dbfs, pitch_hz, rate_wps;
};

/* Bytes one call takes with a ring of trend_len points. */
size_t call_footprint(uint32_t trend_len);

/* New call; strings are copied, clipped on a UTF-8 boundary to UT_ID_MAX
 * (the caller validates them first). trend_len 0 means the default, values
 * above UT_TREND_MAX are clamped. NULL on allocation failure. */
struct call *call_new(const char *id, const char *agent, const char *queue,
    enum ut_channel channel, int64_t start_ms, uint32_t trend_len);
void call_free(struct call *c);

enum call_err call_customer(struct call *c, const struct signals_config *cfg,
    const struct call_utterance *u);

/* Agent utterance: timing only (ts_ms orders it, start/end are used). */
enum call_err call_agent(struct call *c, const struct signals_config *cfg,
    int64_t ts_ms, int64_t start_ms, int64_t end_ms);

enum call_err call_hold(struct call *c, bool on, int64_t ts_ms);

/* End the call (state ENDED). policy_eval() then raises end-of-call rules
 * and clears live suggestions. */
enum call_err call_end(struct call *c, int64_t ts_ms);

/* Abandonment check: if the call is live and no event arrived for at least
 * timeout_ms before now_ms, mark it ABANDONED (end at now_ms) and return
 * true (once). */
bool call_tick(struct call *c, int64_t now_ms, int64_t timeout_ms);

static inline bool call_is_live(const struct call *c)
{
	return c->state == UT_CS_ACTIVE || c->state == UT_CS_HOLD;
}

/* Figures a call update carries, computed at now_ms. */
struct call_figures {
	float latest, ewma, mean, end, slope;   /* slope per minute */
	bool slope_valid;
	int64_t duration_ms, hold_ms;           /* hold_ms includes a current hold */
	int64_t silence_ms;                     /* since the last utterance */
	struct signals_frustration frustration;
};

void call_figures(const struct call *c, const struct signals_config *cfg,
    int64_t now_ms, struct call_figures *out);

#endif
