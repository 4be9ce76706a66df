/* call: per-call state and its event handling (see call.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/call.h"
#include "undertone/utf8.h"

size_t
call_footprint(uint32_t trend_len)
{
	if (trend_len == 0)
		trend_len = TREND_DEFAULT_LEN;
	if (trend_len > UT_TREND_MAX)
		trend_len = UT_TREND_MAX;
	return sizeof(struct call) + (size_t)trend_len * sizeof(struct trend_point);
}

static void
copy_id(char *dst, const char *src)
{
	size_t n = 0;

	if (src != NULL)
		n = utf8_clip(src, strnlen(src, UT_ID_MAX + 1), UT_ID_MAX);
	memcpy(dst, src ? src : "", n);
	dst[n] = '\0';
}

struct call *
call_new(const char *id, const char *agent, const char *queue,
    enum ut_channel channel, int64_t start_ms, uint32_t trend_len)
{
	struct call *c;
	int r;

	if (trend_len == 0)
		trend_len = TREND_DEFAULT_LEN;
	if (trend_len > UT_TREND_MAX)
		trend_len = UT_TREND_MAX;
	c = calloc(1, call_footprint(trend_len));
	if (c == NULL)
		return NULL;
	copy_id(c->id, id);
	copy_id(c->agent, agent);
	copy_id(c->queue, queue);
	c->channel = (unsigned)channel < UT_CH__COUNT ? channel : UT_CH_VOICE;
	c->state = UT_CS_ACTIVE;
	c->start_ms = c->last_ms = start_ms;
	c->end_ms = CALL_NEVER;
	c->hold_since = CALL_NEVER;
	trend_init(&c->trend, c->ring, trend_len, start_ms);
	signals_init(&c->sig, start_ms, c->channel);
	c->pol.claimed_at = CALL_NEVER;
	for (r = 0; r < CALL_RULES_MAX; r++) {
		c->pol.rule[r].cond_since = CALL_NEVER;
		c->pol.rule[r].clear_since = CALL_NEVER;
		c->pol.rule[r].hold_until = CALL_NEVER;
	}
	return c;
}

void
call_free(struct call *c)
{
	free(c);
}

/* Common checks for an event at ts_ms. */
static enum call_err
admit(const struct call *c, int64_t ts_ms)
{
	if (!call_is_live(c))
		return CALL_ERR_ENDED;
	if (ts_ms < c->last_ms)
		return CALL_ERR_BACKWARDS;
	return CALL_OK;
}

/* Utterance timing must lie within the call: after its start, and no
 * later than the event that reports it (give or take CALL_SKEW_MS of clock
 * skew between the recogniser and the event source). */
static enum call_err
check_timing(const struct call *c, int64_t ts_ms, int64_t start_ms, int64_t end_ms)
{
	if (start_ms > end_ms || start_ms < c->start_ms ||
	    (end_ms > ts_ms && end_ms - ts_ms > CALL_SKEW_MS) ||
	    end_ms - c->start_ms > (int64_t)INT32_MAX)
		return CALL_ERR_TIMING;
	return CALL_OK;
}

static int
voice_ok(const struct call_utterance *u)
{
	if (!u->has_voice)
		return 1;
	return isfinite(u->loudness_dbfs) && isfinite(u->pitch_hz) && isfinite(u->rate_wps);
}

enum call_err
call_customer(struct call *c, const struct signals_config *cfg,
    const struct call_utterance *u)
{
	struct signals_utterance su;
	enum call_err e = admit(c, u->ts_ms);

	if (e == CALL_OK)
		e = check_timing(c, u->ts_ms, u->start_ms, u->end_ms);
	if (e != CALL_OK)
		return e;
	if (!isfinite(u->compound) || u->compound < -1.0f || u->compound > 1.0f || !voice_ok(u))
		return CALL_ERR_VALUE;
	/* the trend is indexed by when the customer finished speaking */
	if (trend_push(&c->trend, u->end_ms < c->trend.last_ms ? c->trend.last_ms : u->end_ms,
	    u->compound, (double)signals_half_life(cfg, c->channel, cfg->ewma_half_life_s) * 1000.0)
	    != TREND_OK)
		return CALL_ERR_TIMING;
	su.start_ms = u->start_ms;
	su.end_ms = u->end_ms;
	su.text = u->text;
	su.len = u->text ? u->len : 0;
	su.compound = u->compound;
	su.ewma = c->trend.ewma;
	su.channel = c->channel;
	su.has_voice = u->has_voice;
	su.loudness_dbfs = u->loudness_dbfs;
	su.pitch_hz = u->pitch_hz;
	su.rate_wps = u->rate_wps;
	signals_customer(&c->sig, cfg, &su);
	c->last_ms = u->ts_ms;
	c->utterances++;
	c->customer_turns++;
	return CALL_OK;
}

enum call_err
call_agent(struct call *c, const struct signals_config *cfg,
    int64_t ts_ms, int64_t start_ms, int64_t end_ms)
{
	enum call_err e = admit(c, ts_ms);

	if (e == CALL_OK)
		e = check_timing(c, ts_ms, start_ms, end_ms);
	if (e != CALL_OK)
		return e;
	signals_agent(&c->sig, cfg, start_ms, end_ms);
	c->last_ms = ts_ms;
	c->utterances++;
	return CALL_OK;
}

enum call_err
call_hold(struct call *c, bool on, int64_t ts_ms)
{
	enum call_err e = admit(c, ts_ms);

	if (e != CALL_OK)
		return e;
	if (on == (c->state == UT_CS_HOLD))
		return CALL_ERR_STATE;
	if (on) {
		c->state = UT_CS_HOLD;
		c->hold_since = ts_ms;
	} else {
		c->state = UT_CS_ACTIVE;
		c->hold_total_ms += ts_ms - c->hold_since;
		c->hold_since = CALL_NEVER;
	}
	signals_hold(&c->sig, on, ts_ms);
	c->last_ms = ts_ms;
	return CALL_OK;
}

static void
finish(struct call *c, enum ut_call_state st, int64_t ts_ms)
{
	if (c->state == UT_CS_HOLD) {
		c->hold_total_ms += ts_ms - c->hold_since;
		c->hold_since = CALL_NEVER;
	}
	c->state = st;
	c->end_ms = ts_ms;
	if (ts_ms > c->last_ms)
		c->last_ms = ts_ms;
}

enum call_err
call_end(struct call *c, int64_t ts_ms)
{
	enum call_err e = admit(c, ts_ms);

	if (e != CALL_OK)
		return e;
	finish(c, UT_CS_ENDED, ts_ms);
	return CALL_OK;
}

bool
call_tick(struct call *c, int64_t now_ms, int64_t timeout_ms)
{
	if (!call_is_live(c) || timeout_ms <= 0 || now_ms - c->last_ms < timeout_ms)
		return false;
	finish(c, UT_CS_ABANDONED, now_ms);
	return true;
}

void
call_figures(const struct call *c, const struct signals_config *cfg,
    int64_t now_ms, struct call_figures *out)
{
	int64_t end = call_is_live(c) ? now_ms : c->end_ms;

	if (end < c->start_ms)
		end = c->start_ms;
	out->latest = c->trend.latest;
	out->ewma = c->trend.ewma;
	out->mean = trend_mean(&c->trend);
	out->end = trend_end(&c->trend, (int64_t)(cfg->end_window_s * 1000.0f));
	out->slope_valid = trend_slope(&c->trend, c->trend.last_ms,
	    (int64_t)(cfg->slope_window_s * 1000.0f), &out->slope);
	out->duration_ms = end - c->start_ms;
	out->hold_ms = c->hold_total_ms +
	    (c->hold_since != CALL_NEVER && end > c->hold_since ? end - c->hold_since : 0);
	out->silence_ms = end - c->last_ms > 0 ? end - c->last_ms : 0;
	signals_compute(&c->sig, cfg, end, &out->frustration);
}
