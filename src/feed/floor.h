/*
 * floor: a simulated contact-centre floor of N concurrent calls.
 *
 * Contract: floor_next() yields ingest events (proto.h) in global event-time
 * order, generated lazily from the scenario library: each of N seats runs one
 * call at a time and starts the next one after a short wrap-up, so N calls
 * are in progress at any moment. Turn timing is derived from word counts and
 * speaking rates (voice), typing (chat) or reply latency (email, social);
 * customers interrupt where the script says so; voice calls carry loudness,
 * pitch and rate that rise with the scripted arousal. Every utterance carries
 * its ground truth (calm, onset, frustrated, recovered). The same seed and
 * library always give the same events. Memory is O(N), independent of
 * duration.
 */
#ifndef UNDERTONE_FEED_FLOOR_H
#define UNDERTONE_FEED_FLOOR_H

#include <stdint.h>
#include "undertone/proto.h"
#include "scenario.h"

#define FLOOR_CALLS_MAX 1000000u

struct floor_opts {
	unsigned calls;          /* concurrent calls (seats), 1..FLOOR_CALLS_MAX */
	uint64_t seed;
	int64_t base_ms;         /* event time of the floor's start, ms since epoch */
	int64_t duration_ms;     /* 0: unlimited; else calls in progress end here */
	int64_t stagger_ms;      /* first calls start within this span (0: 30 s) */
	const char *only;        /* run only this scenario (NULL: all, by weight) */
};

struct floor_stats {
	uint64_t calls_started, calls_ended, events;
};

struct floor;

/* NULL on a bad option (message in err). lib must outlive the floor. */
struct floor *floor_new(const struct scen_library *lib, const struct floor_opts *o,
    char *err, size_t errlen);
void floor_free(struct floor *f);

/* Event time of the next event (INT64_MAX when finished). */
int64_t floor_peek(const struct floor *f);

/* The next event into *ev; 1 on success, 0 when the floor has finished. */
int floor_next(struct floor *f, struct proto_event *ev);

const struct floor_stats *floor_stats(const struct floor *f);

#endif
