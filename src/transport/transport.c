/* transport: ZeroMQ sockets with deliberate limits (see transport.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>
#include "undertone/transport.h"
#include "undertone/timing.h"

#define POLL_MAX 16

struct transport {
	void *ctx;
};

struct client_slot {
	unsigned char id[TRANSPORT_IDENTITY_MAX];
	size_t len;
	int64_t last_ms;
};

struct transport_sock {
	void *zs;
	enum transport_kind kind;
	struct transport_limits lim;
	struct transport_stats stats;
	struct client_slot *clients;  /* ROUTER only: lim.max_clients slots */
};

static const int zmq_types[TRANSPORT__COUNT] = {
	ZMQ_PULL, ZMQ_PUSH, ZMQ_PUB, ZMQ_SUB, ZMQ_ROUTER, ZMQ_DEALER
};
static const char *const kind_names[TRANSPORT__COUNT] = {
	"pull", "push", "pub", "sub", "router", "dealer"
};

const char *
transport_kind_name(enum transport_kind kind)
{
	return (unsigned)kind < TRANSPORT__COUNT ? kind_names[kind] : "unknown";
}

const char *
transport_strerror(int rc)
{
	switch (rc) {
	case TRANSPORT_OK: return "ok";
	case TRANSPORT_AGAIN: return "would block";
	case TRANSPORT_E_SYS: return zmq_strerror(zmq_errno());
	case TRANSPORT_E_FRAMES: return "too many frames in message";
	case TRANSPORT_E_CLIENTS: return "client cap reached";
	case TRANSPORT_E_INTR: return "interrupted";
	case TRANSPORT_E_ENDPOINT: return "invalid endpoint";
	case TRANSPORT_E_IDENTITY: return "invalid peer identity";
	default: return "unknown transport error";
	}
}

int64_t
transport_now_ms(void)
{
	return timing_mono_ms();
}

static bool
receives(enum transport_kind kind)
{
	return kind != TRANSPORT_PUB && kind != TRANSPORT_PUSH;
}

void
transport_limits_default(enum transport_kind kind, struct transport_limits *lim)
{
	memset(lim, 0, sizeof(*lim));
	lim->max_msg = TRANSPORT_MAX_MSG;
	lim->max_frames = 4;
	lim->rcvhwm = 10000;
	lim->sndhwm = 10000;
	/* Drop pending output at close: a daemon must not hang on a dead console.
	 * PUSH (the feed) keeps a short linger so a finished replay is delivered. */
	lim->linger_ms = kind == TRANSPORT_PUSH ? 2000 : 0;
	if (kind == TRANSPORT_PUB)
		lim->sndhwm = TRANSPORT_PUB_SNDHWM;
	if (kind == TRANSPORT_ROUTER) {
		lim->max_clients = TRANSPORT_CLIENTS_MAX;
		lim->max_frames = 3;  /* identity, (empty delimiter), body */
	}
}

bool
transport_endpoint_valid(const char *ep)
{
	static const char *const schemes[] = { "tcp://", "ipc://", "inproc://" };
	size_t i, n;

	if (ep == NULL)
		return false;
	n = strnlen(ep, TRANSPORT_ENDPOINT_MAX + 1);
	if (n > TRANSPORT_ENDPOINT_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)ep[i] < 0x20 || ep[i] == 0x7f)
			return false;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t sl = strlen(schemes[i]);
		if (n > sl && strncmp(ep, schemes[i], sl) == 0)
			return true;
	}
	return false;
}

struct transport *
transport_new(char *err, size_t errlen)
{
	struct transport *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->ctx = zmq_ctx_new();
	if (t->ctx == NULL) {
		snprintf(err, errlen, "zmq_ctx_new: %s", zmq_strerror(zmq_errno()));
		free(t);
		return NULL;
	}
	/* The daemon handles SIGINT/SIGTERM itself and wants EINTR from poll. */
	zmq_ctx_set(t->ctx, ZMQ_BLOCKY, 0);
	return t;
}

/* For the ZAP handler (zap.c), which needs the same context as the sockets. */
void *
transport_zmq_context(struct transport *t)
{
	return t->ctx;
}

/* The ZeroMQ socket behind s: for a handshake watch (curve_watch.c). */
void *
transport_sock_zmq(struct transport_sock *s)
{
	return s->zs;
}

/* Socket events of s to a PAIR bound at endpoint (for the ZAP handler's
 * count of failed handshakes). */
int
transport_monitor(struct transport_sock *s, const char *endpoint, int events)
{
	return zmq_socket_monitor(s->zs, endpoint, events) == 0 ? 0 : -1;
}

void
transport_free(struct transport *t)
{
	if (t == NULL)
		return;
	while (zmq_ctx_term(t->ctx) != 0 && zmq_errno() == EINTR)
		;
	free(t);
}

static int
setopt_int(void *zs, int opt, int v)
{
	return zmq_setsockopt(zs, opt, &v, sizeof(v));
}

static const char *
zap_domain(const struct transport_security *sec)
{
	return sec->zap_domain[0] != '\0' ? sec->zap_domain : TRANSPORT_ZAP_DOMAIN;
}

/* CURVE (issue 8): a server authenticates clients through the ZAP handler
 * (domain TRANSPORT_ZAP_DOMAIN); a client pins the server's public key. */
static int
apply_curve(void *zs, const struct transport_security *sec)
{
	if (!sec->curve)
		return 0;
	if (sec->server)
		return setopt_int(zs, ZMQ_CURVE_SERVER, 1) != 0 ||
		    zmq_setsockopt(zs, ZMQ_CURVE_SECRETKEY, sec->secret_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
		    zmq_setsockopt(zs, ZMQ_ZAP_DOMAIN, zap_domain(sec), strlen(zap_domain(sec))) != 0 ?
		    -1 : 0;
	return zmq_setsockopt(zs, ZMQ_CURVE_SERVERKEY, sec->server_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
	    zmq_setsockopt(zs, ZMQ_CURVE_PUBLICKEY, sec->public_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
	    zmq_setsockopt(zs, ZMQ_CURVE_SECRETKEY, sec->secret_key, TRANSPORT_KEY_Z85_LEN) != 0 ? -1 : 0;
}

static int
apply_limits(struct transport_sock *s)
{
	int64_t maxmsg = (int64_t)s->lim.max_msg;

	if (setopt_int(s->zs, ZMQ_LINGER, s->lim.linger_ms) != 0 ||
	    setopt_int(s->zs, ZMQ_SNDHWM, s->lim.sndhwm) != 0 ||
	    setopt_int(s->zs, ZMQ_RCVHWM, s->lim.rcvhwm) != 0)
		return -1;
	/* PUB receives too: subscriptions from its peers (issue 8 bounds them). */
	if ((receives(s->kind) || s->kind == TRANSPORT_PUB) &&
	    zmq_setsockopt(s->zs, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg)) != 0)
		return -1;
	/* A reply to a departed console fails loudly instead of vanishing. */
	if (s->kind == TRANSPORT_ROUTER && setopt_int(s->zs, ZMQ_ROUTER_MANDATORY, 1) != 0)
		return -1;
	return apply_curve(s->zs, &s->lim.security);
}

static bool
security_sane(const struct transport_security *sec)
{
	if (!sec->curve)
		return true;
	return memchr(sec->zap_domain, '\0', sizeof(sec->zap_domain)) != NULL &&
	    transport_curve_available() && transport_key_valid(sec->secret_key) &&
	    (sec->server || (transport_key_valid(sec->public_key) &&
	    transport_key_valid(sec->server_key)));
}

static bool
limits_sane(const struct transport_limits *lim)
{
	return lim->max_msg > 0 && lim->max_msg <= (size_t)1 << 30 &&
	    lim->max_frames >= 1 && lim->max_frames <= TRANSPORT_FRAMES_MAX &&
	    lim->sndhwm >= 0 && lim->rcvhwm >= 0 && lim->linger_ms >= -1 &&
	    lim->max_clients <= 65536 && security_sane(&lim->security);
}

static struct transport_sock *
sock_alloc(enum transport_kind kind, const struct transport_limits *lim)
{
	struct transport_sock *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->kind = kind;
	if (lim != NULL)
		s->lim = *lim;
	else
		transport_limits_default(kind, &s->lim);
	if (kind == TRANSPORT_ROUTER && s->lim.max_clients > 0) {
		s->clients = calloc(s->lim.max_clients, sizeof(*s->clients));
		if (s->clients == NULL) {
			free(s);
			return NULL;
		}
	}
	return s;
}

struct transport_sock *
transport_open(struct transport *t, enum transport_kind kind, const char *endpoint,
    bool bind, const struct transport_limits *lim, char *err, size_t errlen)
{
	struct transport_sock *s;
	int rc;

	if ((unsigned)kind >= TRANSPORT__COUNT ||
	    (endpoint != NULL && !transport_endpoint_valid(endpoint))) {
		snprintf(err, errlen, "invalid endpoint '%.*s' (tcp://, ipc:// or inproc://)",
		    64, endpoint ? endpoint : "");
		return NULL;
	}
	if (lim != NULL && lim->security.curve && !transport_curve_available()) {
		snprintf(err, errlen, "this libzmq has no CURVE support (zmq_has(\"curve\") is false)");
		return NULL;
	}
	if (lim != NULL && !limits_sane(lim)) {
		snprintf(err, errlen, "invalid socket limits");
		return NULL;
	}
	s = sock_alloc(kind, lim);
	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->zs = zmq_socket(t->ctx, zmq_types[kind]);
	if (s->zs == NULL || apply_limits(s) != 0) {
		snprintf(err, errlen, "%s socket: %s", kind_names[kind], zmq_strerror(zmq_errno()));
		transport_close(s);
		return NULL;
	}
	if (endpoint == NULL)
		return s;   /* the caller connects later (transport_connect) */
	rc = bind ? zmq_bind(s->zs, endpoint) : zmq_connect(s->zs, endpoint);
	if (rc != 0) {
		snprintf(err, errlen, "%s %s %s: %s", kind_names[kind], bind ? "bind" : "connect",
		    endpoint, zmq_strerror(zmq_errno()));
		transport_close(s);
		return NULL;
	}
	return s;
}

int
transport_connect(struct transport_sock *s, const char *endpoint, char *err, size_t errlen)
{
	if (!transport_endpoint_valid(endpoint)) {
		snprintf(err, errlen, "invalid endpoint '%.*s' (tcp://, ipc:// or inproc://)",
		    64, endpoint ? endpoint : "");
		return -1;
	}
	if (zmq_connect(s->zs, endpoint) != 0) {
		snprintf(err, errlen, "%s connect %s: %s", kind_names[s->kind], endpoint,
		    zmq_strerror(zmq_errno()));
		return -1;
	}
	return 0;
}

void
transport_close(struct transport_sock *s)
{
	if (s == NULL)
		return;
	if (s->zs != NULL)
		zmq_close(s->zs);
	transport_security_clear(&s->lim.security);
	free(s->clients);
	free(s);
}

int
transport_subscribe(struct transport_sock *s, const void *prefix, size_t len)
{
	if (s->kind != TRANSPORT_SUB)
		return TRANSPORT_E_SYS;
	return zmq_setsockopt(s->zs, ZMQ_SUBSCRIBE, prefix, len) == 0 ? TRANSPORT_OK : TRANSPORT_E_SYS;
}

const struct transport_stats *
transport_sock_stats(const struct transport_sock *s)
{
	return &s->stats;
}

static int
errno_rc(void)
{
	int e = zmq_errno();

	if (e == EAGAIN)
		return TRANSPORT_AGAIN;
	if (e == EINTR)
		return TRANSPORT_E_INTR;
	return TRANSPORT_E_SYS;
}

static int
msg_reserve(struct transport_msg *m, size_t need)
{
	size_t cap = m->cap ? m->cap : 1024;
	unsigned char *nb;

	if (need <= m->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	nb = realloc(m->buf, cap);
	if (nb == NULL)
		return -1;
	m->buf = nb;
	m->cap = cap;
	return 0;
}

/* Discard the remaining parts of a message that broke a limit. */
static void
drain_rest(void *zs)
{
	zmq_msg_t part;
	int more = 1;

	while (more) {
		zmq_msg_init(&part);
		if (zmq_msg_recv(&part, zs, 0) < 0) {
			zmq_msg_close(&part);
			return;
		}
		more = zmq_msg_more(&part);
		zmq_msg_close(&part);
	}
}

/* Append one received part to m; returns 1 if more parts follow. */
static int
take_part(struct transport_msg *m, zmq_msg_t *part)
{
	size_t len = zmq_msg_size(part);
	size_t at = m->nframes ? m->off[m->nframes - 1] + m->len[m->nframes - 1] : 0;

	if (msg_reserve(m, at + len + 1) != 0)
		return -1;
	memcpy(m->buf + at, zmq_msg_data(part), len);
	m->off[m->nframes] = at;
	m->len[m->nframes] = len;
	m->nframes++;
	return zmq_msg_more(part) ? 1 : 0;
}

static int recv_parts(struct transport_sock *s, struct transport_msg *m, bool wait);
static int client_admit(struct transport_sock *s, const unsigned char *id, size_t len);

int
transport_recv(struct transport_sock *s, struct transport_msg *m, bool wait)
{
	int rc = recv_parts(s, m, wait);

	if (rc == TRANSPORT_OK)
		s->stats.rx++;
	return rc;
}

static int
recv_parts(struct transport_sock *s, struct transport_msg *m, bool wait)
{
	zmq_msg_t part;
	int more;

	m->nframes = 0;
	do {
		zmq_msg_init(&part);
		if (zmq_msg_recv(&part, s->zs, (wait || m->nframes > 0) ? 0 : ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&part);
			return m->nframes > 0 ? TRANSPORT_E_SYS : errno_rc();
		}
		if (m->nframes >= s->lim.max_frames) {
			more = zmq_msg_more(&part);
			zmq_msg_close(&part);
			if (more)
				drain_rest(s->zs);
			s->stats.rx_frames_dropped++;
			return TRANSPORT_E_FRAMES;
		}
		more = take_part(m, &part);
		zmq_msg_close(&part);
		if (more < 0) {
			drain_rest(s->zs);
			return TRANSPORT_E_SYS;
		}
	} while (more);
	if (s->kind == TRANSPORT_ROUTER)
		return client_admit(s, m->buf + m->off[0], m->len[0]);
	return TRANSPORT_OK;
}

/* ROUTER: find or claim a slot for this peer; expired slots are reused. */
static int
client_admit(struct transport_sock *s, const unsigned char *id, size_t len)
{
	int64_t now = transport_now_ms();
	struct client_slot *free_slot = NULL;
	unsigned i, active = 0;

	if (len == 0 || len > TRANSPORT_IDENTITY_MAX)
		return TRANSPORT_E_IDENTITY;
	if (s->clients == NULL)
		return TRANSPORT_OK;
	for (i = 0; i < s->lim.max_clients; i++) {
		struct client_slot *c = &s->clients[i];
		bool live = c->len > 0 && now - c->last_ms < TRANSPORT_CLIENT_IDLE_MS;
		if (live && c->len == len && memcmp(c->id, id, len) == 0) {
			c->last_ms = now;
			return TRANSPORT_OK;
		}
		if (live)
			active++;
		else if (free_slot == NULL)
			free_slot = c;
	}
	if (free_slot == NULL) {
		s->stats.clients_refused++;
		return TRANSPORT_E_CLIENTS;
	}
	memcpy(free_slot->id, id, len);
	free_slot->len = len;
	free_slot->last_ms = now;
	s->stats.clients = active + 1;
	return TRANSPORT_OK;
}

int
transport_send(struct transport_sock *s, const void *const *frames, const size_t *lens,
    unsigned n, bool wait)
{
	unsigned i;
	int flags;

	if (n == 0 || n > TRANSPORT_FRAMES_MAX)
		return TRANSPORT_E_FRAMES;
	for (i = 0; i < n; i++) {
		flags = (i + 1 < n ? ZMQ_SNDMORE : 0) | (wait ? 0 : ZMQ_DONTWAIT);
		if (zmq_send(s->zs, frames[i], lens[i], flags) < 0) {
			int rc = errno_rc();
			/* Only the first part can fail with EAGAIN: libzmq queues whole messages. */
			if (zmq_errno() == EHOSTUNREACH) {
				s->stats.tx_unroutable++;
				return TRANSPORT_AGAIN;
			}
			if (rc == TRANSPORT_AGAIN)
				s->stats.tx_again++;
			return rc;
		}
	}
	s->stats.tx++;
	return TRANSPORT_OK;
}

const unsigned char *
transport_msg_frame(const struct transport_msg *m, unsigned i, size_t *len)
{
	if (i >= m->nframes) {
		*len = 0;
		return NULL;
	}
	*len = m->len[i];
	return m->buf + m->off[i];
}

void
transport_msg_free(struct transport_msg *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}

int
transport_poll(struct transport_sock *const *socks, unsigned n, bool *readable, long timeout_ms)
{
	zmq_pollitem_t items[POLL_MAX];
	unsigned i;
	int rc;

	if (n > POLL_MAX)
		return TRANSPORT_E_SYS;
	for (i = 0; i < n; i++) {
		items[i].socket = socks[i]->zs;
		items[i].fd = 0;
		items[i].events = ZMQ_POLLIN;
		items[i].revents = 0;
	}
	rc = zmq_poll(items, (int)n, timeout_ms);
	if (rc < 0)
		return zmq_errno() == EINTR ? TRANSPORT_E_INTR : TRANSPORT_E_SYS;
	for (i = 0; i < n; i++)
		readable[i] = (items[i].revents & ZMQ_POLLIN) != 0;
	return rc;
}
