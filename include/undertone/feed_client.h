/*
 * feed_client: the console's side of the feed (the Clone pattern).
 *
 * Contract: connects SUB (every topic) to the analyzer's feed and DEALER to
 * its request socket. It asks for a snapshot while buffering live updates
 * (raw bytes, bounded: FEED_BUFFER_MAX messages / FEED_BUFFER_BYTES), then
 * delivers the snapshot, then only the buffered and live messages with a
 * newer sequence number from the snapshot's publisher. A sequence gap, a
 * publisher whose sequence goes backwards or a new publisher id (the
 * analyzer restarted) starts a new snapshot silently; a snapshot that does
 * not complete within FEED_SNAPSHOT_TIMEOUT_MS, or whose item count differs
 * from the one its snapshot_end announces, is asked for again (replies to
 * an abandoned request are recognised by their req id and dropped). The
 * feed is "stale" FEED_STALE_MS after the last heartbeat (or 1.5 s past
 * the heartbeat interval the analyzer announces, if that is longer).
 * Messages are decoded with the codec; undecodable ones are counted and
 * dropped. Nothing blocks except feed_client_wait. The sequence logic is
 * exposed as pure functions (feed_seq_*) for tests.
 *
 * Several publishers (analyzer shards behind undertone-proxy): sequence,
 * snapshot state, buffering and staleness are kept per publisher (up to
 * FEED_PUBS_MAX). A gap or restart of one publisher re-snapshots that
 * publisher only: the request fans out to every shard, and the streams of
 * publishers that are live are dropped unread. SNAPSHOT_BEGIN/END events
 * carry the publisher in m->h.pub, so the caller marks and sweeps only that
 * publisher's calls. A publisher silent for FEED_RETIRE_MS is retired with
 * an empty BEGIN/END pair (its calls are swept) and its slot reused.
 * With feed_client_queues(), only those queues' topics (and "hb.") are
 * subscribed, so the publishers filter; gaps are then found per topic
 * with tseq, since seq has holes.
 */
#ifndef UNDERTONE_FEED_CLIENT_H
#define UNDERTONE_FEED_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "undertone/proto.h"

/* 2.5 heartbeats of 1 s: a dead analyzer shows stale within 3 s of its
 * last heartbeat, drawing included (issue 8). */
#define FEED_STALE_MS             2500
#define FEED_SNAPSHOT_TIMEOUT_MS  4000
#define FEED_BUFFER_MAX           200000
#define FEED_BUFFER_BYTES         (64u * 1024 * 1024)
#define FEED_PUBS_MAX             16   /* publishers at once: shards behind a proxy (at most 12) + restarts */
#define FEED_RETIRE_MS            60000
#define FEED_QUEUES_MAX           16
#define FEED_TOPICS_MAX           (3 * FEED_QUEUES_MAX + 1)

/* ---- pure sequence tracking ---- */

enum feed_seq_verdict {
	FEED_SEQ_APPLY,    /* next in sequence: apply */
	FEED_SEQ_OLD,      /* at or below the snapshot's seq: already included */
	FEED_SEQ_GAP,      /* messages were lost: re-snapshot */
	FEED_SEQ_RESTART,  /* sequence went backwards: publisher restarted */
	FEED_SEQ_FOREIGN   /* another publisher than the snapshot's: ignore */
};

struct feed_seq {
	char pub[UT_ID_MAX + 1];   /* publisher the state came from, "" = none */
	uint64_t last;             /* last applied (or snapshot) seq */
	bool live;                 /* false: just snapshotted, buffered may be old */
};

/* Start tracking pub from a snapshot valid at seq. */
void feed_seq_reset(struct feed_seq *t, const char *pub, uint64_t seq);
/* Judge a message; does not change t. */
enum feed_seq_verdict feed_seq_check(const struct feed_seq *t, const char *pub, uint64_t seq);
/* Judge and, for APPLY, advance. */
enum feed_seq_verdict feed_seq_accept(struct feed_seq *t, const char *pub, uint64_t seq);

/* Per-publisher last seen seq, so a restart of any publisher is noticed. */
struct feed_pubs {
	struct { char pub[UT_ID_MAX + 1]; uint64_t last; } p[FEED_PUBS_MAX];
	size_t n;
};
/* Record (pub, seq); true if this publisher is new or went backwards. */
bool feed_pubs_note(struct feed_pubs *ps, const char *pub, uint64_t seq);

/* ---- the client ---- */

enum feed_state {
	FEED_CONNECTING,   /* no snapshot yet */
	FEED_SNAPSHOT,     /* a snapshot is streaming in (after the first) */
	FEED_LIVE
};

/* One publisher as the client sees it. */
struct feed_pub_status {
	char pub[UT_ID_MAX + 1];
	bool live;                 /* snapshotted and in sequence */
	bool stale;                /* no heartbeat for FEED_STALE_MS (see above) */
	int64_t hb_age_ms;         /* -1 = none yet */
	uint64_t seq;
};

/* With CURVE: the latest handshake's outcome (NONE: plaintext, or no
 * analyzer has answered yet). */
enum feed_auth {
	FEED_AUTH_NONE,
	FEED_AUTH_ADMITTED,
	FEED_AUTH_REFUSED,         /* the analyzer's allow-list does not hold our key */
	FEED_AUTH_FAILED           /* handshake error: wrong analyzer key, or it is not CURVE */
};

struct feed_status {
	enum feed_state state;     /* LIVE when every known publisher is live */
	enum feed_auth auth;
	bool stale;                /* every publisher stale (none is heard) */
	bool ever_live;
	int64_t hb_age_ms;         /* since the last heartbeat, -1 = none yet */
	int64_t latency_ms;        /* smoothed publish -> receive, -1 unknown */
	uint64_t gaps_healed;      /* re-snapshots after gaps */
	uint64_t restarts;         /* re-snapshots after a publisher restart */
	uint64_t snapshots;        /* snapshots completed */
	uint64_t snapshots_incomplete; /* streams missing items: asked again */
	uint64_t decode_errors;
	uint64_t received;
	uint64_t buffered_dropped; /* buffer overflow (re-snapshot follows) */
	uint64_t other_queues;     /* received for queues not subscribed (0 when filtering works) */
	uint64_t pubs_refused;     /* messages of a publisher beyond FEED_PUBS_MAX */
	uint64_t retired;          /* publishers retired after FEED_RETIRE_MS */
	unsigned npubs, stale_pubs;
	struct feed_pub_status pubs[FEED_PUBS_MAX]; /* indexed like feed_client_pub_index */
	char pub[UT_ID_MAX + 1];   /* publisher of the last completed snapshot */
	uint64_t seq;
	struct proto_heartbeat hb; /* the last heartbeat */
};

enum feed_event {
	FEED_EV_SNAPSHOT_BEGIN,    /* mark everything: a snapshot follows */
	FEED_EV_MSG,               /* apply this message */
	FEED_EV_SNAPSHOT_END,      /* drop whatever the snapshot did not mention */
	FEED_EV_REPLY              /* decision_ack, call_detail or error reply */
};

typedef void (*feed_client_cb)(void *ctx, enum feed_event ev, const struct proto_msg *m);

struct feed_client;

/* Connect both sockets; NULL with a message in err on failure. */
struct feed_client *feed_client_open(const char *feed_ep, const char *requests_ep,
	char *err, size_t errsz);
void feed_client_close(struct feed_client *fc);

/* Subscribe only to these queues (ids as in protocol 2.2) instead of every
 * topic; call before the first tick. 0, or -1 for a bad id or count. */
int feed_client_queues(struct feed_client *fc, const char *const *queues, size_t n);

/* Slot of publisher pub (index into feed_status.pubs), -1 if unknown. */
int feed_client_pub_index(const struct feed_client *fc, const char *pub);
/* The same with CURVE (issue 8): sec (transport.h; NULL or !curve: plain)
 * holds the console's key pair and the analyzer's public key. */
struct transport_security;
struct feed_client *feed_client_open_secure(const char *feed_ep, const char *requests_ep,
	const struct transport_security *sec, char *err, size_t errsz);

/* Block until a socket or fd (fd < 0: none) is readable, or timeout_ms
 * (-1: forever). Returns a mask: 1 = feed/requests readable, 2 = fd
 * readable; 0 on timeout or signal. */
#define FEED_WAKE_SOCKETS 1
#define FEED_WAKE_FD      2
int feed_client_wait(struct feed_client *fc, int fd, long timeout_ms);

/* Drain up to budget messages without blocking; returns how many were
 * handled. now_ms is the monotonic clock, wall_ms the wall clock. */
size_t feed_client_process(struct feed_client *fc, int64_t now_ms, int64_t wall_ms,
	size_t budget, feed_client_cb cb, void *ctx);

/* Timers: snapshot request/retry, staleness. Returns ms until the next
 * timer matters (for the poll timeout), or -1 for none. */
long feed_client_tick(struct feed_client *fc, int64_t now_ms);

/* Send a decision (type DECISION_SUBMIT); 0 queued, -1 not sent. The reply
 * arrives as FEED_EV_REPLY with the same uuid. */
int feed_client_submit(struct feed_client *fc, const struct proto_decision *d);

/* Ask for the detail of one call (type DETAIL_REQUEST, doc/protocol.md 6.4).
 * Returns the request id (the reply, call_detail or error, arrives as
 * FEED_EV_REPLY with it), or 0 when not sent (bad id, queue full). */
uint64_t feed_client_detail(struct feed_client *fc, const char *call_id);

void feed_client_status(const struct feed_client *fc, int64_t now_ms, struct feed_status *st);
const char *feed_state_name(enum feed_state s);

#endif
