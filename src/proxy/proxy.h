/*
 * undertone-proxy: one front door for several analyzers (shards).
 *
 * Contract: three independent parts, all bounded and non-blocking towards
 * peers, none of which trusts what it forwards beyond the protocol's limits:
 *  - pubsub: an XSUB/XPUB zmq_proxy_steerable in its own thread. XSUB
 *    connects to every analyzer's PUB; consoles connect SUB to the XPUB.
 *    Subscriptions travel upstream, so a console's topic prefixes filter at
 *    each analyzer's PUB. Its statistics are read over an inproc PAIR.
 *  - broker: a ROUTER for consoles and one DEALER per analyzer. A snapshot
 *    request fans out to every shard (each streams its own snapshot back,
 *    with its own pub and seq); a decision goes to the shard that owns the
 *    call (shard.h). Request ids are rewritten so replies find their console.
 *  - ingest router (optional): a PULL that forwards each event to the PUSH
 *    of the shard owning its call.
 * In secure mode every socket uses CURVE like the analyzer's: the consoles'
 * and integrations' keys are checked against the allow-list (per-role ZAP
 * domains), and the analyzers are pinned by their public key.
 * Shards are numbered in the order of --analyzer options: shard i is the
 * analyzer started with --shard i/N.
 */
#ifndef UNDERTONE_PROXY_H
#define UNDERTONE_PROXY_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "undertone/codec.h"
#include "undertone/proto.h"
#include "undertone/transport.h"

#define PROXY_SHARDS_MAX   12      /* poll set: ROUTER + DEALERs + PULL <= 16 */
#define PROXY_PENDING_MAX  1024    /* requests in flight across consoles */
#define PROXY_PENDING_MS   30000   /* a request unanswered this long is forgotten */
#define PROXY_SUB_MAX      4096    /* bytes of one message to the XPUB (subscriptions; the
                                      * CURVE handshake passes through this bound too) */
#define PROXY_INGEST_WAIT_MS 1000  /* a full shard queue is retried this long */

struct proxy_shard {
	char feed[TRANSPORT_ENDPOINT_MAX + 1];
	char requests[TRANSPORT_ENDPOINT_MAX + 1];
	char ingest[TRANSPORT_ENDPOINT_MAX + 1];   /* "" = no ingest routing */
};

struct proxy_config {
	struct proxy_shard shard[PROXY_SHARDS_MAX];
	unsigned nshards;
	char publish[TRANSPORT_ENDPOINT_MAX + 1];  /* XPUB bind */
	char requests[TRANSPORT_ENDPOINT_MAX + 1]; /* ROUTER bind */
	char ingest[TRANSPORT_ENDPOINT_MAX + 1];   /* PULL bind, "" = none */
	char control[TRANSPORT_ENDPOINT_MAX + 1];  /* REP bind, "" = none */
	int64_t stats_ms;                          /* periodic print, 0 = off */
	int sndhwm;
	/* CURVE (doc/security.md): server towards consoles and integrations
	 * (clients admitted by the ZAP allow-list), client towards analyzers. */
	bool secure;
	struct transport_security server_sec;      /* the proxy's key pair */
	struct transport_security client_sec;      /* + the analyzers' public key */
};

/* Counters of zmq_proxy_steerable's STATISTICS reply. */
struct proxy_pubsub_stats {
	uint64_t front_in, front_in_bytes, front_out, front_out_bytes;
	uint64_t back_in, back_in_bytes, back_out, back_out_bytes;
};

struct proxy_broker_stats {
	uint64_t requests, snapshots, decisions, details, replies;
	uint64_t bad_requests, busy, stale_replies, bad_replies, reply_dropped, expired;
	uint64_t shard_unavailable;
	uint64_t ingest_routed[PROXY_SHARDS_MAX], ingest_bad, ingest_dropped;
	unsigned pending;
};

struct proxy_pubsub;
/* Sockets live in t's context, so the ZAP handler started on t admits the
 * consoles' CURVE keys on the XPUB too. */
struct proxy_pubsub *proxy_pubsub_start(struct transport *t, const struct proxy_config *c,
    char *err, size_t errlen);
/* Ask the proxy thread for its counters; 0 or -1. */
int proxy_pubsub_stats(struct proxy_pubsub *p, struct proxy_pubsub_stats *st);
/* Control REP socket (NULL if not configured): answer one pending command
 * with text produced by fmt; non-blocking. */
void proxy_pubsub_control(struct proxy_pubsub *p, void (*fmt)(void *ud, FILE *f), void *ud);
void proxy_pubsub_stop(struct proxy_pubsub *p);

struct proxy_broker;
struct proxy_broker *proxy_broker_new(struct transport *t, const struct proxy_config *c,
    char *err, size_t errlen);
/* Serve until *stop or a poll error; calls tick about every 100 ms. */
void proxy_broker_run(struct proxy_broker *b, volatile sig_atomic_t *stop, void (*tick)(void *ud), void *ud);
const struct proxy_broker_stats *proxy_broker_stats(const struct proxy_broker *b);
void proxy_broker_free(struct proxy_broker *b);

#endif
