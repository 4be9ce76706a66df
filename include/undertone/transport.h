/*
 * transport: the ZeroMQ sockets of undertone, with deliberate limits.
 *
 * Contract: the only module (with the console's feed_client and test peers)
 * that includes <zmq.h>. Every socket is opened through transport_open(),
 * which applies the limits below, so adding CURVE later (issue 8) means
 * filling in struct transport_security here and nothing else changes.
 *
 * Limits applied to every socket:
 *  - ZMQ_MAXMSGSIZE on every receiving socket (a peer sending a larger frame
 *    is disconnected by libzmq, so it never reaches the application);
 *  - a cap on frames per message: a longer message is drained and dropped,
 *    and transport_recv() reports TRANSPORT_E_FRAMES;
 *  - a send high-water mark chosen per role (see TRANSPORT_PUB_SNDHWM);
 *    PUB drops silently at the HWM, and consoles heal by sequence gap +
 *    re-snapshot; every other send is non-blocking and a full queue is
 *    reported as TRANSPORT_AGAIN and counted;
 *  - ZMQ_LINGER per role, so shutdown never hangs on a dead peer;
 *  - ROUTER: at most max_clients distinct peers active within
 *    TRANSPORT_CLIENT_IDLE_MS; requests from further peers are refused with
 *    TRANSPORT_E_CLIENTS (and counted) so one console cannot exhaust state.
 *
 * Messages are copied into a buffer owned by struct transport_msg, bounded by
 * max_msg x max_frames. Nothing here blocks unless asked to.
 */
#ifndef UNDERTONE_TRANSPORT_H
#define UNDERTONE_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRANSPORT_ENDPOINT_MAX  255        /* bytes in an endpoint string */
#define TRANSPORT_FRAMES_MAX    8          /* hard ceiling on frames/message */
#define TRANSPORT_IDENTITY_MAX  255        /* ROUTER peer identity bytes */
#define TRANSPORT_MAX_MSG       (64 * 1024) /* default ZMQ_MAXMSGSIZE */
/* PUB send HWM, in messages per subscriber (the analyzer's send_hwm default,
 * undertone-analyzer.conf(5)). At the default coalescing of 4 updates/s per
 * call it holds about 2.5 s of a busy 10,000-call floor; a subscriber further
 * behind than that is better served by a fresh snapshot than by a stale
 * backlog, and at ~400 bytes/message it bounds the memory one stalled
 * subscriber can pin to ~40 MB. */
#define TRANSPORT_PUB_SNDHWM    100000
#define TRANSPORT_CLIENTS_MAX   64         /* default ROUTER client cap */
#define TRANSPORT_CLIENT_IDLE_MS 120000    /* a client slot frees after this */

enum transport_kind {
	TRANSPORT_PULL, TRANSPORT_PUSH, TRANSPORT_PUB, TRANSPORT_SUB,
	TRANSPORT_ROUTER, TRANSPORT_DEALER, TRANSPORT__COUNT
};

enum transport_rc {
	TRANSPORT_OK = 0,
	TRANSPORT_AGAIN = 1,          /* nothing to receive / queue full on send */
	TRANSPORT_E_SYS = -1,         /* libzmq error (errno kept) */
	TRANSPORT_E_FRAMES = -2,      /* too many frames: message dropped */
	TRANSPORT_E_CLIENTS = -3,     /* ROUTER: client cap reached: refused */
	TRANSPORT_E_INTR = -4,        /* interrupted by a signal */
	TRANSPORT_E_ENDPOINT = -5,    /* endpoint rejected (bad scheme/length) */
	TRANSPORT_E_IDENTITY = -6     /* ROUTER: empty or over-long identity */
};

/* Reserved for CURVE (issue 8): keys applied in transport_open(). */
struct transport_security {
	bool curve;                   /* false: plain sockets */
};

struct transport_limits {
	size_t max_msg;               /* receive: bytes per frame (ZMQ_MAXMSGSIZE) */
	unsigned max_frames;          /* receive: frames per message, <= FRAMES_MAX */
	int sndhwm;                   /* messages */
	int rcvhwm;                   /* messages */
	int linger_ms;                /* ZMQ_LINGER */
	unsigned max_clients;         /* ROUTER only */
	struct transport_security security;
};

/* Counters kept per socket. */
struct transport_stats {
	uint64_t rx;                  /* messages received and delivered */
	uint64_t tx;                  /* messages sent */
	uint64_t rx_frames_dropped;   /* messages dropped: too many frames */
	uint64_t tx_again;            /* sends refused: HWM reached (not PUB) */
	uint64_t tx_unroutable;       /* ROUTER: peer gone */
	uint64_t clients_refused;     /* ROUTER: over the client cap */
	unsigned clients;             /* ROUTER: active client slots now */
};

struct transport;                 /* one per process: the ZeroMQ context */
struct transport_sock;

struct transport_msg {
	unsigned nframes;
	size_t len[TRANSPORT_FRAMES_MAX];
	size_t off[TRANSPORT_FRAMES_MAX];
	unsigned char *buf;           /* owned; grown up to max_msg x max_frames */
	size_t cap;
};

/* Defaults for a role: the values documented above. */
void transport_limits_default(enum transport_kind kind, struct transport_limits *lim);

/* True if ep is an acceptable endpoint: tcp://, ipc:// or inproc://, at most
 * TRANSPORT_ENDPOINT_MAX bytes, no control characters. */
bool transport_endpoint_valid(const char *ep);

struct transport *transport_new(char *err, size_t errlen);
void transport_free(struct transport *t);

/* Open a socket of kind, bind (bind=true) or connect it to endpoint, with
 * lim (NULL: defaults for kind). Returns NULL with a message in err. */
struct transport_sock *transport_open(struct transport *t, enum transport_kind kind,
    const char *endpoint, bool bind, const struct transport_limits *lim,
    char *err, size_t errlen);
void transport_close(struct transport_sock *s);

/* SUB: subscribe to a topic prefix (len 0: everything). */
int transport_subscribe(struct transport_sock *s, const void *prefix, size_t len);

/* Receive one whole message into m (frames copied). wait: block until one
 * arrives (or a signal). ROUTER: frame 0 is the peer identity and the client
 * cap is enforced. Returns a transport_rc. */
int transport_recv(struct transport_sock *s, struct transport_msg *m, bool wait);

/* Send n frames (n >= 1, <= TRANSPORT_FRAMES_MAX). wait=false never blocks:
 * a full queue gives TRANSPORT_AGAIN (PUB drops silently: TRANSPORT_OK).
 * ROUTER: frames[0] is the peer identity. */
int transport_send(struct transport_sock *s, const void *const *frames,
    const size_t *lens, unsigned n, bool wait);

/* Frame i of m, or NULL if i is out of range. */
const unsigned char *transport_msg_frame(const struct transport_msg *m, unsigned i, size_t *len);
void transport_msg_free(struct transport_msg *m);

/* Wait until one of socks[0..n) is readable or timeout_ms passes (-1: no
 * timeout). Sets readable[i]. Returns how many are readable, 0 on timeout,
 * TRANSPORT_E_INTR on a signal, TRANSPORT_E_SYS on error. n <= 16. */
int transport_poll(struct transport_sock *const *socks, unsigned n, bool *readable, long timeout_ms);

const struct transport_stats *transport_sock_stats(const struct transport_sock *s);
const char *transport_kind_name(enum transport_kind kind);
const char *transport_strerror(int rc);

/* Monotonic milliseconds, for local timing. */
int64_t transport_now_ms(void);

#endif
