/* curve_watch: a CURVE client learns whether the server admitted it
 * (see transport.h). */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>
#include "undertone/transport.h"

struct transport_watch {
	void *pair;
	void *zs;                 /* the watched socket */
	struct transport_watch_counts n;
	bool pending;             /* connected, no handshake outcome yet */
};

struct transport_watch *
transport_watch_new(struct transport *t, struct transport_sock *s, char *err, size_t errlen)
{
	return transport_watch_zmq(transport_zmq_context(t), transport_sock_zmq(s), err, errlen);
}

struct transport_watch *
transport_watch_zmq(void *zctx, void *zs, char *err, size_t errlen)
{
	static atomic_uint seq;
	struct transport_watch *w = calloc(1, sizeof(*w));
	char ep[64];
	int linger = 0;

	if (w == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(ep, sizeof(ep), "inproc://undertone.watch.%u", atomic_fetch_add(&seq, 1));
	if (zmq_socket_monitor(zs, ep, ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
	    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) != 0) {
		snprintf(err, errlen, "socket monitor: %s", zmq_strerror(zmq_errno()));
		free(w);
		return NULL;
	}
	w->zs = zs;
	w->pair = zmq_socket(zctx, ZMQ_PAIR);
	if (w->pair == NULL || zmq_setsockopt(w->pair, ZMQ_LINGER, &linger, sizeof(linger)) != 0 ||
	    zmq_connect(w->pair, ep) != 0) {
		snprintf(err, errlen, "socket monitor %s: %s", ep, zmq_strerror(zmq_errno()));
		transport_watch_free(w);
		return NULL;
	}
	return w;
}

/* A server that cannot decrypt our hello (we pinned the wrong server key)
 * just closes the connection: a disconnect before any outcome is a failed
 * handshake too. */
static void
count_event(struct transport_watch *w, uint16_t event)
{
	switch (event) {
	case ZMQ_EVENT_CONNECTED:
		w->pending = true;
		return;
	case ZMQ_EVENT_DISCONNECTED:
		if (!w->pending)
			return;
		w->n.failed++;
		w->n.last = TRANSPORT_HS_FAILED;
		break;
	case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
		w->n.admitted++;
		w->n.last = TRANSPORT_HS_ADMITTED;
		break;
	case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
		w->n.refused++;
		w->n.last = TRANSPORT_HS_REFUSED;
		break;
	case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
		w->n.failed++;
		w->n.last = TRANSPORT_HS_FAILED;
		break;
	default:
		return;
	}
	w->pending = false;
}

/* One event: frame 1 is u16 event + u32 value, frame 2 the endpoint. */
static bool
take_event(struct transport_watch *w, int flags)
{
	unsigned char ev[6] = { 0 };
	zmq_msg_t m;
	uint16_t event;
	int more, i = 0;

	do {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, w->pair, i == 0 ? flags : 0) < 0) {
			zmq_msg_close(&m);
			return false;
		}
		if (i == 0 && zmq_msg_size(&m) == 6)
			memcpy(ev, zmq_msg_data(&m), 6);
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
		i++;
	} while (more);
	memcpy(&event, ev, 2);
	count_event(w, event);
	return true;
}

int
transport_watch_wait(struct transport_watch *w, long timeout_ms,
    struct transport_watch_counts *out)
{
	int64_t end = transport_now_ms() + timeout_ms;

	while (take_event(w, ZMQ_DONTWAIT))
		;
	while (w->n.admitted + w->n.refused + w->n.failed == 0 && transport_now_ms() < end) {
		zmq_pollitem_t it = { w->pair, 0, ZMQ_POLLIN, 0 };
		if (zmq_poll(&it, 1, (long)(end - transport_now_ms())) < 0)
			break;
		while (take_event(w, ZMQ_DONTWAIT))
			;
	}
	*out = w->n;
	return w->n.admitted + w->n.refused + w->n.failed > 0 ? 0 : -1;
}

void
transport_watch_free(struct transport_watch *w)
{
	if (w == NULL)
		return;
	if (w->pair != NULL)
		zmq_close(w->pair);
	if (w->zs != NULL)
		zmq_socket_monitor(w->zs, NULL, 0);
	free(w);
}
