/*
 * trend: the customer's sentiment over time for one call.
 *
 * Contract: fed only with customer utterances (compound sentiment in
 * [-1,1] and the event time in ms). Keeps the latest value, a time-aware
 * EWMA (each sample's weight decays by half every half_life_ms of elapsed
 * event time, so the smoothing depends on time, not on how many utterances
 * arrived), the overall mean, and a ring buffer of the last `cap` points
 * (time + smoothed + raw). End-of-call sentiment, slope and the largest
 * recent drop are computed on demand from the ring. No allocation: the ring
 * storage is provided by the caller (call.c embeds it in the call). No I/O.
 * Times before the previous sample are rejected (TREND_ERR_BACKWARDS).
 */
#ifndef UNDERTONE_TREND_H
#define UNDERTONE_TREND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TREND_DEFAULT_LEN 120u   /* default ring length (points) */

/* One trend point: 12 bytes. t is ms after the trend's base time. */
struct trend_point {
	uint32_t t;      /* ms since trend base (call start) */
	float smoothed;  /* EWMA after this sample */
	float raw;       /* the utterance's compound */
};

struct trend {
	int64_t base_ms;       /* time origin of point.t (call start) */
	int64_t last_ms;       /* event time of the newest sample */
	double wsum;           /* decayed sum of weights (EWMA denominator) */
	double vsum;           /* decayed weighted sum of values (numerator) */
	double total;          /* sum of all raw values (for the mean) */
	uint32_t count;        /* samples ever pushed */
	uint32_t cap;          /* ring capacity (>= 1) */
	uint32_t head;         /* index of the next write */
	uint32_t used;         /* points held (<= cap) */
	float latest;          /* newest raw value */
	float ewma;            /* newest smoothed value */
	struct trend_point *ring;  /* cap points, owned by the caller */
};

enum trend_err { TREND_OK = 0, TREND_ERR_BACKWARDS = -1, TREND_ERR_VALUE = -2, TREND_ERR_TIME = -3 };

/* Prepare t with caller-provided storage of cap points (cap >= 1). */
void trend_init(struct trend *t, struct trend_point *ring, uint32_t cap, int64_t base_ms);

/* Add a sample. value must be finite (it is clamped to [-1,1]); ts_ms must
 * be >= the previous sample's time and >= base_ms and within ~49 days of it.
 * half_life_ms > 0. */
enum trend_err trend_push(struct trend *t, int64_t ts_ms, float value, double half_life_ms);

/* The i-th point, oldest first (0 <= i < t->used). */
const struct trend_point *trend_at(const struct trend *t, uint32_t i);

/* Copy up to max newest points, oldest first, into out; returns the count. */
size_t trend_copy_recent(const struct trend *t, struct trend_point *out, size_t max);

/* Overall mean of every sample pushed (0 when empty). */
float trend_mean(const struct trend *t);

/* Mean raw value of the points within window_ms before the newest sample
 * (the "last stretch"; at least the newest point). 0 when empty. */
float trend_end(const struct trend *t, int64_t window_ms);

/* Least-squares slope of the raw values in the window_ms before now_ms, in
 * sentiment units per minute. Returns false (and *slope = 0) with fewer than
 * 3 points or no time spread. */
bool trend_slope(const struct trend *t, int64_t now_ms, int64_t window_ms, float *slope);

/* Largest fall of the smoothed value within the window: max(smoothed over
 * [now - window, now]) - current smoothed, where the smoothed value holds
 * from one sample to the next (so the value in effect at now - window
 * counts) and is 0 (a neutral opening) before the first sample. *peak gets
 * that max. 0 when empty or rising. */
float trend_drop(const struct trend *t, int64_t now_ms, int64_t window_ms, float *peak);

#endif
