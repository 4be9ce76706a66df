/* undertone-proxy pubsub: XSUB/XPUB through zmq_proxy_steerable (proxy.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "proxy.h"

#define CONTROL_EP "inproc://undertone-proxy-control"

struct proxy_pubsub {
	void *ctx, *xsub, *xpub, *ctl_in, *ctl_out, *rep;   /* ctx: the transport's */
	pthread_t thread;
	bool running;
};

static void *
proxy_thread(void *arg)
{
	struct proxy_pubsub *p = arg;

	/* Returns when TERMINATE arrives on the control socket. */
	zmq_proxy_steerable(p->xsub, p->xpub, NULL, p->ctl_in);
	return NULL;
}

static void *
open_raw(struct proxy_pubsub *p, int type, int64_t maxmsg, int hwm, char *err, size_t errlen)
{
	void *s = zmq_socket(p->ctx, type);
	int linger = 0;

	if (s == NULL) {
		snprintf(err, errlen, "zmq_socket: %s", zmq_strerror(errno));
		return NULL;
	}
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof(linger));
	zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof(maxmsg));
	zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof(hwm));
	zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof(hwm));
	return s;
}

/* CURVE on a raw socket, as transport_open() applies it. */
static int
set_curve(void *s, const struct transport_security *sec, const char *domain)
{
	int one = 1;

	if (!sec->curve)
		return 0;
	if (sec->server)
		return zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof(one)) != 0 ||
		    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec->secret_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
		    zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, domain, strlen(domain)) != 0 ? -1 : 0;
	return zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, sec->server_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
	    zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, sec->public_key, TRANSPORT_KEY_Z85_LEN) != 0 ||
	    zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec->secret_key, TRANSPORT_KEY_Z85_LEN) != 0 ? -1 : 0;
}

static int
endpoint(void *s, const char *ep, bool bind, char *err, size_t errlen)
{
	if (!transport_endpoint_valid(ep)) {
		snprintf(err, errlen, "bad endpoint: %.80s", ep);
		return -1;
	}
	if ((bind ? zmq_bind(s, ep) : zmq_connect(s, ep)) != 0) {
		snprintf(err, errlen, "cannot %s %s: %s", bind ? "bind" : "connect", ep, zmq_strerror(errno));
		return -1;
	}
	return 0;
}

static int
open_sockets(struct proxy_pubsub *p, const struct proxy_config *c, char *err, size_t errlen)
{
	unsigned i;

	/* XSUB receives feed messages (bounded like any subscriber); XPUB
	 * receives only subscriptions, which are short. */
	if ((p->xsub = open_raw(p, ZMQ_XSUB, PROTO_MSG_MAX + 1024, c->sndhwm, err, errlen)) == NULL ||
	    (p->xpub = open_raw(p, ZMQ_XPUB, PROXY_SUB_MAX, c->sndhwm, err, errlen)) == NULL ||
	    (p->ctl_in = open_raw(p, ZMQ_PAIR, 64, 16, err, errlen)) == NULL ||
	    (p->ctl_out = open_raw(p, ZMQ_PAIR, 64, 16, err, errlen)) == NULL)
		return -1;
	if (set_curve(p->xsub, &c->client_sec, "") != 0 ||
	    set_curve(p->xpub, &c->server_sec, TRANSPORT_ZAP_DOMAIN_CONSOLE) != 0) {
		snprintf(err, errlen, "CURVE keys: %s", zmq_strerror(errno));
		return -1;
	}
	for (i = 0; i < c->nshards; i++)
		if (endpoint(p->xsub, c->shard[i].feed, false, err, errlen) != 0)
			return -1;
	if (endpoint(p->xpub, c->publish, true, err, errlen) != 0 ||
	    endpoint(p->ctl_in, CONTROL_EP, true, err, errlen) != 0 ||
	    endpoint(p->ctl_out, CONTROL_EP, false, err, errlen) != 0)
		return -1;
	if (c->control[0] == '\0')
		return 0;
	if ((p->rep = open_raw(p, ZMQ_REP, 64, 16, err, errlen)) == NULL)
		return -1;
	return endpoint(p->rep, c->control, true, err, errlen);
}

struct proxy_pubsub *
proxy_pubsub_start(struct transport *t, const struct proxy_config *c, char *err, size_t errlen)
{
	struct proxy_pubsub *p = calloc(1, sizeof(*p));

	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->ctx = transport_zmq_context(t);
	if (open_sockets(p, c, err, errlen) != 0 ||
	    pthread_create(&p->thread, NULL, proxy_thread, p) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "cannot start the proxy thread");
		proxy_pubsub_stop(p);
		return NULL;
	}
	p->running = true;
	return p;
}

int
proxy_pubsub_stats(struct proxy_pubsub *p, struct proxy_pubsub_stats *st)
{
	uint64_t v[8];
	zmq_pollitem_t it = { p->ctl_out, 0, ZMQ_POLLIN, 0 };
	int i, more = 1;
	size_t ml = sizeof(more);

	if (zmq_send(p->ctl_out, "STATISTICS", 10, ZMQ_DONTWAIT) != 10)
		return -1;
	/* The reply is eight frames of uint64 (zmq_proxy_steerable(3)). */
	for (i = 0; i < 8 && more; i++) {
		if (zmq_poll(&it, 1, 1000) != 1 || zmq_recv(p->ctl_out, &v[i], sizeof(v[i]), 0) != sizeof(v[i]))
			return -1;
		zmq_getsockopt(p->ctl_out, ZMQ_RCVMORE, &more, &ml);
	}
	if (i != 8)
		return -1;
	st->front_in = v[0]; st->front_in_bytes = v[1];
	st->front_out = v[2]; st->front_out_bytes = v[3];
	st->back_in = v[4]; st->back_in_bytes = v[5];
	st->back_out = v[6]; st->back_out_bytes = v[7];
	return 0;
}

void
proxy_pubsub_control(struct proxy_pubsub *p, void (*fmt)(void *ud, FILE *f), void *ud)
{
	char cmd[64];
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int n;

	if (p->rep == NULL || (n = zmq_recv(p->rep, cmd, sizeof(cmd), ZMQ_DONTWAIT)) < 0)
		return;
	if ((size_t)n == 10 && memcmp(cmd, "STATISTICS", 10) == 0 && (f = open_memstream(&text, &len)) != NULL) {
		fmt(ud, f);
		fclose(f);
		zmq_send(p->rep, text, len, 0);
		free(text);
		return;
	}
	zmq_send(p->rep, "error: unknown command (STATISTICS)\n", 36, 0);
}

void
proxy_pubsub_stop(struct proxy_pubsub *p)
{
	if (p == NULL)
		return;
	if (p->running) {
		zmq_send(p->ctl_out, "TERMINATE", 9, 0);
		pthread_join(p->thread, NULL);
	}
	if (p->xsub) zmq_close(p->xsub);
	if (p->xpub) zmq_close(p->xpub);
	if (p->ctl_in) zmq_close(p->ctl_in);
	if (p->ctl_out) zmq_close(p->ctl_out);
	if (p->rep) zmq_close(p->rep);
	free(p);   /* the context is the transport's: transport_free() ends it */
}
