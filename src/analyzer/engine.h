/*
 * engine: the analyzer daemon's state machine, without sockets.
 *
 * Contract: takes ingest frames (MessagePack or JSON, decoded strictly by
 * the codec), applies them to per-call state (call.h), scores customer
 * utterances only (agent utterances feed timing), evaluates the policy and
 * emits feed messages through a callback, already stamped with the protocol
 * version, publisher id and the next sequence number. Every bad or
 * out-of-order event is counted by reason, logged at a rate limit and
 * skipped without touching other calls. Call updates are coalesced per call
 * to at most `rate` per second; suggestions and decisions go out at once.
 * Caps on tracked calls and open suggestions are enforced and counted.
 * Clocks: event logic runs on event time; coalescing and the tick use the
 * caller's monotonic clock. With event_clock set (replay), the caller's
 * clock is event time (engine_tick between events lets time pass as it
 * would live), "now" is the newest of it and the event times, and
 * heartbeats are left to the caller. Nothing here acts on a call:
 * suggestions are the only output.
 */
#ifndef UNDERTONE_ANALYZER_ENGINE_H
#define UNDERTONE_ANALYZER_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "undertone/codec.h"
#include "undertone/lexicon.h"
#include "undertone/policy.h"
#include "undertone/proto.h"
#include "undertone/shard.h"

/* Reasons an input is refused. The first CODEC_E__COUNT values are the
 * codec's errors (malformed input, named by codec_err_name()). */
enum engine_reason {
	ENGINE_R_UNKNOWN_CALL = CODEC_E__COUNT, /* event for a call never started */
	ENGINE_R_AFTER_END,       /* event after call_end / abandonment */
	ENGINE_R_BACKWARDS,       /* timestamp older than the call's newest */
	ENGINE_R_DUPLICATE_START, /* call_start for a call already tracked */
	ENGINE_R_BAD_TIMING,      /* offsets before the call or start > end */
	ENGINE_R_BAD_VALUE,       /* voice features out of range */
	ENGINE_R_BAD_HOLD,        /* hold on while on hold, off while not */
	ENGINE_R_CALL_CAP,        /* max calls tracked reached */
	ENGINE_R_FRAMES,          /* ingest message with more than one frame */
	ENGINE_R_SUGGESTION_CAP,  /* max open suggestions reached: not published */
	ENGINE_R_CLIENT_CAP,      /* request from a client over the cap */
	ENGINE_R_BAD_REQUEST,     /* request that is not a request message */
	ENGINE_R__COUNT
};

const char *engine_reason_name(int r);

struct engine_config {
	const struct policy *policy;
	const struct lexicon *lex;
	char pub[UT_ID_MAX + 1];   /* publisher id */
	uint32_t trend_len;        /* trend ring points */
	double rate;               /* max call updates per second per call */
	uint32_t max_calls;        /* calls tracked (live + recently ended) */
	uint32_t max_suggestions;  /* open suggestions across all calls */
	int64_t abandon_ms;        /* a live call silent this long is abandoned */
	int64_t retain_ms;         /* ended calls are kept this long */
	int64_t heartbeat_ms;
	bool event_clock;          /* replay: the clock is event time */
	FILE *log;                 /* rejects and notices; NULL = silent */
	unsigned log_per_s;        /* rate limit of reject lines */
	struct shard_spec shard;   /* --shard I/N; count 0 or 1 = every call */
};

struct engine_counters {
	uint64_t accepted;         /* events applied */
	uint64_t other_shard;      /* events for calls of other shards: skipped, not errors */
	uint64_t partials;         /* partial utterances (not scored) */
	uint64_t published;        /* feed messages emitted */
	uint64_t rejected[ENGINE_R__COUNT];
	uint64_t rejected_total;
	uint64_t calls_started, calls_ended, calls_abandoned;
	uint64_t calls_resumed;    /* taken back from the roster after a restart */
	uint64_t suggestions_raised, decisions, snapshots;
	uint64_t log_suppressed;
	uint32_t calls_tracked, calls_live, suggestions_open;
};

/* Receives each message; returns 0, or -1 to abort (snapshot streaming). */
typedef int (*engine_out_fn)(void *ud, const struct proto_msg *m);

struct engine;

struct engine *engine_new(const struct engine_config *cfg, engine_out_fn publish,
    void *ud, char *err, size_t errlen);
void engine_free(struct engine *e);

/* One ingest frame (MessagePack or JSON). */
void engine_frame(struct engine *e, const void *data, size_t len, int64_t wall_ms, int64_t mono_ms);
/* One decoded event. */
void engine_event(struct engine *e, const struct proto_event *ev, int64_t wall_ms, int64_t mono_ms);
/* Count (and log, rate-limited) a refused input. */
void engine_reject(struct engine *e, int reason, const char *call, const char *detail, int64_t mono_ms);

/* Periodic work: coalesced updates that are due, policy re-evaluation
 * (each live call about once a second), abandonment, removal of ended
 * calls, heartbeats. Returns ms until it next needs to run. */
long engine_tick(struct engine *e, int64_t wall_ms, int64_t mono_ms);

/* Apply a lead's decision; fills ack (type DECISION_ACK body) and, when
 * accepted, publishes decision_recorded plus any suggestion changes. */
void engine_decision(struct engine *e, const struct proto_decision *d,
    int64_t wall_ms, int64_t mono_ms, struct proto_ack *ack);

/* Stream a snapshot to out: snapshot_begin, one call_update per call and one
 * suggestion_raised per open suggestion (queue filter: NULL/"" = all), then
 * snapshot_end, all stamped with the current seq. req is echoed. Returns
 * messages sent, or -1 if out aborted. */
long engine_snapshot(struct engine *e, const char *queue, uint64_t req, int64_t wall_ms,
    engine_out_fn out, void *ud);

/* The detail view of a call is open on a console (detail_request). Fills m
 * as a call_detail reply (stamped with pub, the current seq and req): the
 * policy's thresholds, and the explanations of the call's customer
 * utterances since the view opened. The customer's words are kept only for
 * watched calls: a request starts (or extends) a watch that lasts
 * ENGINE_WATCH_MS; at most ENGINE_WATCH_MAX calls are watched at once (the
 * one closest to expiring gives way), each keeping the last
 * PROTO_EXPLAINED_MAX explanations. Nothing is added to unwatched calls, so
 * per-call memory and the hot path are unchanged. Returns 0, or -1 when the
 * call is not tracked (m untouched). */
#define ENGINE_WATCH_MAX 64
#define ENGINE_WATCH_MS  10000
int engine_detail(struct engine *e, const char *call, uint64_t req, int64_t wall_ms,
    int64_t mono_ms, struct proto_msg *m);

/* The roster of live calls, kept across a restart (roster.h). engine_roster
 * calls fn with each live call as its call_start event (the engine's own
 * scratch: copy what you keep) and its newest event time. engine_resume
 * tracks a call again from those two: live, with no history (its trend,
 * signals and suggestions start afresh), its clock at last_ms. 0, or -1 if
 * refused (counted like a call_start: duplicate, cap) or another shard's.
 * engine_roster_gen changes whenever the set of live calls or their agent
 * or queue does. */
typedef void (*engine_roster_fn)(void *ud, const struct proto_event *start, int64_t last_ms);
void engine_roster(const struct engine *e, engine_roster_fn fn, void *ud);
int engine_resume(struct engine *e, const struct proto_event *start, int64_t last_ms,
    int64_t wall_ms, int64_t mono_ms);
uint64_t engine_roster_gen(const struct engine *e);

/* Publish a heartbeat now. */
void engine_heartbeat(struct engine *e, int64_t wall_ms, int64_t mono_ms);

const struct engine_counters *engine_counters(const struct engine *e);
uint64_t engine_seq(const struct engine *e);
const char *engine_pub(const struct engine *e);

#endif
