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
#include <stdio.h>

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

#define TRANSPORT_KEY_Z85_LEN   40         /* a CURVE key as Z85 text */
#define TRANSPORT_ZAP_DOMAIN    "undertone"          /* any listed key */
#define TRANSPORT_ZAP_DOMAIN_INGEST "undertone.ingest"  /* keys of feeds */
#define TRANSPORT_ZAP_DOMAIN_CONSOLE "undertone.console" /* keys of consoles */
#define TRANSPORT_ZAP_DOMAIN_MAX 31

/* CURVE keys applied in transport_open() (see transport_security_* below).
 * server: this socket is a CURVE server (ZMQ_CURVE_SERVER, the binding side;
 * clients are authenticated by the ZAP handler, transport_zap_start()).
 * Otherwise a CURVE client of the server whose public key is server_key. */
struct transport_security {
	bool curve;                   /* false: plain sockets */
	bool server;
	char public_key[TRANSPORT_KEY_Z85_LEN + 1];   /* own key pair, Z85 */
	char secret_key[TRANSPORT_KEY_Z85_LEN + 1];
	char server_key[TRANSPORT_KEY_Z85_LEN + 1];   /* client: the server's public key */
	char zap_domain[TRANSPORT_ZAP_DOMAIN_MAX + 1]; /* server: "" = TRANSPORT_ZAP_DOMAIN */
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
 * lim (NULL: defaults for kind). Returns NULL with a message in err.
 * endpoint NULL: neither yet (e.g. to watch the socket first); then
 * transport_connect() it. */
struct transport_sock *transport_open(struct transport *t, enum transport_kind kind,
    const char *endpoint, bool bind, const struct transport_limits *lim,
    char *err, size_t errlen);
void transport_close(struct transport_sock *s);
/* Connect an open socket (another endpoint, or one opened with endpoint NULL). */
int transport_connect(struct transport_sock *s, const char *endpoint, char *err, size_t errlen);

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


/* ---- CURVE keys (curve.c, issue 8) --------------------------------------
 * Key files are ZeroMQ "zcert" text files: the public file holds
 *     curve
 *         public-key = "<40 Z85 chars>"
 * and the secret file (same name + "_secret", mode 0600) holds both
 * public-key and secret-key. Loading is bounded (TRANSPORT_CERT_FILE_MAX)
 * and refuses a secret file readable by group or others. */
#define TRANSPORT_CERT_FILE_MAX 4096
#define TRANSPORT_CERT_SECRET_SUFFIX "_secret"

enum transport_cert_rc {
	TRANSPORT_CERT_OK = 0,
	TRANSPORT_CERT_E_OPEN = -1,      /* cannot open/read (errno in the message) */
	TRANSPORT_CERT_E_SIZE = -2,      /* larger than TRANSPORT_CERT_FILE_MAX or not a file */
	TRANSPORT_CERT_E_NOKEY = -3,     /* no public-key (or secret-key) line */
	TRANSPORT_CERT_E_KEY = -4,       /* a key that is not 40 valid Z85 characters */
	TRANSPORT_CERT_E_DUP = -5,       /* a key given twice */
	TRANSPORT_CERT_E_MISMATCH = -6,  /* secret-key does not belong to public-key */
	TRANSPORT_CERT_E_MODE = -7,      /* secret file readable by group/others */
	TRANSPORT_CERT_E_EXISTS = -8,    /* save: a file is already there */
	TRANSPORT_CERT_E_CURVE = -9      /* libzmq has no CURVE support */
};

/* True if this libzmq supports CURVE (zmq_has("curve")). */
bool transport_curve_available(void);
/* True if s is exactly 40 Z85 characters encoding a 32-byte key. */
bool transport_key_valid(const char *s);
/* A new key pair (Z85, NUL-terminated). Returns a transport_cert_rc. */
int transport_curve_keypair(char pub[TRANSPORT_KEY_Z85_LEN + 1], char sec[TRANSPORT_KEY_Z85_LEN + 1]);
/* Decode a valid Z85 key to its 32 bytes; false if invalid. */
bool transport_key_decode(const char *z85, unsigned char out[32]);

/* Parse zcert text. sec NULL: only the public key is wanted (a secret-key
 * line, if any, is ignored). With sec, both must be present and match. */
int transport_cert_parse(const char *text, size_t len, char pub[TRANSPORT_KEY_Z85_LEN + 1],
    char *sec, char *err, size_t errlen);
/* Read path (a public file, or with sec != NULL a secret file, whose mode
 * must be 0600 or stricter). */
int transport_cert_load(const char *path, char pub[TRANSPORT_KEY_Z85_LEN + 1], char *sec,
    char *err, size_t errlen);
/* Write path (public, 0644) and path"_secret" (0600, O_EXCL, umask 077);
 * never overwrites. comment (may be NULL) goes in a metadata line. */
int transport_cert_save(const char *path, const char *pub, const char *sec,
    const char *comment, char *err, size_t errlen);

/* Fill sec for a CURVE server from its secret file (public_path, if not
 * NULL/"", must hold the same public key). 0, or -1 with err. */
int transport_security_server(struct transport_security *sec, const char *secret_path,
    const char *public_path, char *err, size_t errlen);
/* Fill sec for a CURVE client: the server's public file and the client's
 * own secret file (public_path optional, checked against it). */
int transport_security_client(struct transport_security *sec, const char *server_public_path,
    const char *secret_path, const char *public_path, char *err, size_t errlen);
/* Wipe the keys. */
void transport_security_clear(struct transport_security *sec);

/* ---- ZAP handler (zap.c, issue 8) ---------------------------------------
 * Answers libzmq's authentication requests on inproc://zeromq.zap.01 in its
 * own thread. It admits only CURVE clients whose public key is in the
 * allow-list: a directory of zcert public files, one per client (files
 * starting with '.' and non-regular files are skipped; at most
 * TRANSPORT_ZAP_KEYS_MAX in all). Keys in the directory itself may use every
 * socket; keys in its optional subdirectories "feeds/" and "consoles/" only
 * sockets whose ZAP domain is TRANSPORT_ZAP_DOMAIN_INGEST or
 * TRANSPORT_ZAP_DOMAIN_CONSOLE (struct transport_security.zap_domain).
 * Every other mechanism (NULL, PLAIN), domain and key is refused and counted. Start it BEFORE binding any CURVE
 * server socket, on the same struct transport. log (may be NULL) receives
 * one line per change on reload and refusals (at most
 * TRANSPORT_ZAP_LOG_PER_S per second; the rest only counted). */
#define TRANSPORT_ZAP_KEYS_MAX 4096
#define TRANSPORT_ZAP_LOG_PER_S 10

struct transport_zap_stats {
	uint64_t admitted;            /* handshakes admitted */
	uint64_t refused_key;         /* CURVE key not in the allow-list */
	uint64_t refused_mechanism;   /* NULL / PLAIN / other */
	uint64_t malformed;           /* ZAP requests that broke the protocol */
	uint64_t handshake_failed;    /* watched sockets: handshakes that failed before
	                               * ZAP (plaintext or other mechanism, bad CURVE) */
	unsigned keys;                /* keys in the allow-list now */
	uint64_t reloads;
};

struct transport_zap;

/* The ZeroMQ context (void *) behind t: for the ZAP handler only. */
void *transport_zmq_context(struct transport *t);
/* The ZeroMQ socket (void *) behind s: for the transport's own watches. */
void *transport_sock_zmq(struct transport_sock *s);

struct transport_zap *transport_zap_start(struct transport *t, const char *allow_dir,
    FILE *log, char *err, size_t errlen);
/* Re-read the allow-list (e.g. on SIGHUP); logs keys added and removed.
 * On an unreadable directory the old list stays. 0, or -1 with err. */
int transport_zap_reload(struct transport_zap *z, char *err, size_t errlen);
void transport_zap_stats(struct transport_zap *z, struct transport_zap_stats *st);
/* Also count and log failed handshakes on the CURVE server socket s (a
 * plaintext client never reaches ZAP: its handshake fails first). At most
 * TRANSPORT_ZAP_WATCH_MAX sockets. 0, or -1 with err. */
#define TRANSPORT_ZAP_WATCH_MAX 8
int transport_zap_watch(struct transport_zap *z, struct transport_sock *s, char *err,
    size_t errlen);
/* zmq_socket_monitor(s, endpoint, events): for transport_zap_watch(). */
int transport_monitor(struct transport_sock *s, const char *endpoint, int events);
/* ---- a CURVE client's view of its handshakes (curve_watch.c) ----------
 * A refused client sees nothing on its socket, so a client that must know
 * (the feed, before it reports events as sent) watches its socket's
 * handshake events. Events before transport_watch_new() are not seen, so
 * open the socket with endpoint NULL, watch it, then transport_connect().
 * Free the watch before closing the socket. */
struct transport_watch_counts {
	uint64_t admitted;            /* handshakes that succeeded */
	uint64_t refused;             /* the server's ZAP handler said no */
	uint64_t failed;              /* protocol errors, or closed mid-handshake (wrong server key) */
	enum transport_handshake { TRANSPORT_HS_NONE, TRANSPORT_HS_ADMITTED, TRANSPORT_HS_REFUSED,
	    TRANSPORT_HS_FAILED } last;  /* the latest handshake's outcome */
};
struct transport_watch;
struct transport_watch *transport_watch_new(struct transport *t, struct transport_sock *s,
    char *err, size_t errlen);
/* The same on a raw ZeroMQ socket zs of context zctx (the console's feed
 * client): watch before zmq_connect(), free before zmq_close(). */
struct transport_watch *transport_watch_zmq(void *zctx, void *zs, char *err, size_t errlen);
/* Collect events, waiting up to timeout_ms for the first one. 0 if any was
 * seen, -1 if none (no server answered). */
int transport_watch_wait(struct transport_watch *w, long timeout_ms,
    struct transport_watch_counts *out);
void transport_watch_free(struct transport_watch *w);

/* Stop the thread and free; call before transport_free(). */
void transport_zap_stop(struct transport_zap *z);

#endif
