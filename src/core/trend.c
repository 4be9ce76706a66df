/* trend: time-aware EWMA, mean and a ring of recent points (see trend.h). */
#include <math.h>
#include "undertone/trend.h"

/* Points are stored as uint32 ms offsets: about 49.7 days. */
#define TREND_SPAN_MAX ((int64_t)UINT32_MAX)

void
trend_init(struct trend *t, struct trend_point *ring, uint32_t cap, int64_t base_ms)
{
	t->base_ms = base_ms;
	t->last_ms = base_ms;
	t->wsum = t->vsum = t->total = 0.0;
	t->count = 0;
	t->cap = cap ? cap : 1;
	t->head = t->used = 0;
	t->latest = t->ewma = 0.0f;
	t->ring = ring;
}

enum trend_err
trend_push(struct trend *t, int64_t ts_ms, float value, double half_life_ms)
{
	double decay;
	struct trend_point *p;

	if (!isfinite(value) || !(half_life_ms > 0.0))
		return TREND_ERR_VALUE;
	if (ts_ms < t->base_ms || ts_ms - t->base_ms > TREND_SPAN_MAX)
		return TREND_ERR_TIME;
	if (t->count > 0 && ts_ms < t->last_ms)
		return TREND_ERR_BACKWARDS;
	if (value > 1.0f)
		value = 1.0f;
	if (value < -1.0f)
		value = -1.0f;
	/* Every earlier sample loses weight by 2^(-elapsed/half-life); the new
	 * one enters with weight 1. The EWMA is the weighted mean, so a sample
	 * after a long pause dominates and bursts share the weight. */
	decay = t->count ? exp2(-(double)(ts_ms - t->last_ms) / half_life_ms) : 0.0;
	t->wsum = t->wsum * decay + 1.0;
	t->vsum = t->vsum * decay + value;
	t->total += value;
	t->count++;
	t->last_ms = ts_ms;
	t->latest = value;
	t->ewma = (float)(t->vsum / t->wsum);
	p = &t->ring[t->head];
	p->t = (uint32_t)(ts_ms - t->base_ms);
	p->smoothed = t->ewma;
	p->raw = value;
	t->head = (t->head + 1) % t->cap;
	if (t->used < t->cap)
		t->used++;
	return TREND_OK;
}

const struct trend_point *
trend_at(const struct trend *t, uint32_t i)
{
	uint32_t oldest = (t->head + t->cap - t->used) % t->cap;

	return &t->ring[(oldest + i) % t->cap];
}

size_t
trend_copy_recent(const struct trend *t, struct trend_point *out, size_t max)
{
	size_t n = t->used < max ? t->used : max;
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = *trend_at(t, (uint32_t)(t->used - n + i));
	return n;
}

float
trend_mean(const struct trend *t)
{
	return t->count ? (float)(t->total / t->count) : 0.0f;
}

/* Walk points newest first: idx starts at head and steps back, wrapping
 * without a division per point. */
#define NEWEST_FIRST(t, p, k, idx) \
	for ((k) = 0, (idx) = (t)->head; (k) < (t)->used && \
	    ((idx) = (idx) ? (idx) - 1 : (t)->cap - 1, (p) = &(t)->ring[idx], 1); (k)++)

/* Offset (ms since base) from which a window ending at end_ms starts. */
static int64_t
window_start(const struct trend *t, int64_t end_ms, int64_t window_ms)
{
	return end_ms - t->base_ms - (window_ms > 0 ? window_ms : 0);
}

float
trend_end(const struct trend *t, int64_t window_ms)
{
	int64_t from;
	double sum = 0.0;
	const struct trend_point *p;
	uint32_t k, idx, n = 0;

	if (t->used == 0)
		return 0.0f;
	from = window_start(t, t->last_ms, window_ms);
	NEWEST_FIRST(t, p, k, idx) {
		if ((int64_t)p->t < from && n > 0)
			break;
		sum += p->raw;
		n++;
	}
	return (float)(sum / n);
}

bool
trend_slope(const struct trend *t, int64_t now_ms, int64_t window_ms, float *slope)
{
	int64_t from = window_start(t, now_ms, window_ms);
	double sx = 0, sy = 0, sxx = 0, sxy = 0, x, den, n = 0;
	const struct trend_point *p;
	uint32_t k, idx;

	*slope = 0.0f;
	NEWEST_FIRST(t, p, k, idx) {
		if ((int64_t)p->t < from)
			break;
		x = ((double)p->t - (double)(now_ms - t->base_ms)) / 60000.0; /* minutes before now */
		sx += x;
		sy += p->raw;
		sxx += x * x;
		sxy += x * p->raw;
		n++;
	}
	if (n < 3)
		return false;
	den = n * sxx - sx * sx;
	if (!(den > 1e-12))
		return false;
	*slope = (float)((n * sxy - sx * sy) / den);
	return true;
}

float
trend_drop(const struct trend *t, int64_t now_ms, int64_t window_ms, float *peak)
{
	int64_t from = window_start(t, now_ms, window_ms);
	float max = t->ewma;
	const struct trend_point *p;
	uint32_t k, idx;

	/* The smoothed value is a step function between samples, so the value
	 * in effect when the window opened (the newest point before it) counts
	 * too: a fall across a long pause is still a fall within the window. */
	NEWEST_FIRST(t, p, k, idx) {
		if (p->smoothed > max)
			max = p->smoothed;
		if ((int64_t)p->t < from)
			break;
	}
	/* A call opens neutral: within the window's reach of the first
	 * sample, a negative start is a fall from 0. */
	if (k == t->used && t->count == t->used && from <= 0 && max < 0.0f)
		max = 0.0f;
	if (peak)
		*peak = max;
	return t->used ? max - t->ewma : 0.0f;
}
