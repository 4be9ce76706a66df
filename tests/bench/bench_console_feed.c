/* bench_console_feed: a load source for the console benchmark (test code).
 *
 * Plays the analyzer's part on the wire at a controlled rate: binds PUB and
 * ROUTER, keeps N calls, publishes R call updates per second (each with a
 * trend point and every frustration component), a heartbeat every second,
 * and answers snapshot requests with all N calls.
 * usage: bench_console_feed FEED_EP REQ_EP CALLS RATE SECONDS
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#include "undertone/codec.h"

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *const queues[] = { "billing", "tech", "orders", "claims", "retention" };
static const char *const agents[] = { "Ann", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana" };

static void fill(struct proto_msg *m, long i, uint64_t seq, int64_t start, int64_t t)
{
	proto_msg_init(m, PROTO_MSG_CALL_UPDATE);
	strcpy(m->h.pub, "bench");
	m->h.seq = seq;
	m->h.ts_ms = t;
	struct proto_call_update *u = &m->u.upd;
	snprintf(u->call, sizeof u->call, "bench-%06ld", i);
	snprintf(u->queue, sizeof u->queue, "%s", queues[i % 5]);
	snprintf(u->agent, sizeof u->agent, "agent-%ld", i % 400);
	snprintf(u->agent_name, sizeof u->agent_name, "%s %ld", agents[i % 8], i % 50);
	u->channel = (enum ut_channel)(i % UT_CH__COUNT);
	u->state = UT_CS_ACTIVE;
	u->started_ms = start;
	u->duration_ms = t - start;
	double phase = (double)(t % 60000) / 60000.0 * 6.283 + (double)i;
	u->sentiment.latest = sin(phase) * 0.9;
	u->sentiment.ewma = sin(phase - 0.3) * 0.8;
	u->sentiment.mean = 0.1;
	u->sentiment.end = u->sentiment.latest;
	u->sentiment.slope = cos(phase);
	u->frustration = (sin(phase * 0.7) + 1) / 2;
	u->n_components = UT_FC__COUNT;
	for (int k = 0; k < UT_FC__COUNT; k++) {
		u->components[k].name = (enum ut_component)k;
		u->components[k].value = u->frustration;
		u->components[k].weight = 0.1;
		u->components[k].contribution = 0.1 * u->frustration;
		snprintf(u->components[k].evidence, sizeof u->components[k].evidence, "evidence %d", k);
	}
	u->n_trend = 1;
	u->trend[0].t_ms = t - start;
	u->trend[0].sentiment = u->sentiment.latest;
	u->trend[0].frustration = u->frustration;
	u->flag = u->frustration > 0.95 ? 2 : 0;
	snprintf(u->reason, sizeof u->reason, "repeated 'charged twice' x%ld", i % 4 + 1);
}

static void send_pub(void *pub, struct proto_msg *m, struct codec_buf *b)
{
	char topic[PROTO_TOPIC_MAX + 1];
	if (codec_encode_msg(m, b) != CODEC_OK || proto_topic(m, topic, sizeof topic) < 0) {
		fprintf(stderr, "bench feed: encode failed\n");
		exit(1);
	}
	zmq_send(pub, topic, strlen(topic), ZMQ_SNDMORE);
	zmq_send(pub, b->data, b->len, 0);
}

static void serve(void *router, struct proto_msg *m, struct proto_msg *rq, struct codec_buf *b,
	long calls, uint64_t seq, int64_t start)
{
	zmq_msg_t id, body;
	zmq_msg_init(&id);
	zmq_msg_init(&body);
	if (zmq_msg_recv(&id, router, ZMQ_DONTWAIT) < 0 || !zmq_msg_more(&id) ||
	    zmq_msg_recv(&body, router, 0) < 0)
		goto out;
	if (codec_decode_msg(zmq_msg_data(&body), zmq_msg_size(&body), rq, NULL) != CODEC_OK ||
	    rq->type != PROTO_MSG_SNAPSHOT_REQUEST)
		goto out;
	int64_t t = now_ms();
	for (long i = -1; i <= calls; i++) {
		if (i < 0 || i == calls) {
			proto_msg_init(m, i < 0 ? PROTO_MSG_SNAPSHOT_BEGIN : PROTO_MSG_SNAPSHOT_END);
			strcpy(m->h.pub, "bench");
			m->h.seq = seq;
			m->u.snap.calls = (uint64_t)calls;
		} else {
			fill(m, i, seq, start, t);
		}
		m->h.req = rq->h.req;
		codec_encode_msg(m, b);
		zmq_send(router, zmq_msg_data(&id), zmq_msg_size(&id), ZMQ_SNDMORE);
		zmq_send(router, b->data, b->len, 0);
	}
out:
	zmq_msg_close(&id);
	zmq_msg_close(&body);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: bench_console_feed FEED_EP REQ_EP CALLS RATE SECONDS\n");
		return 2;
	}
	long calls = atol(argv[3]), rate = atol(argv[4]), secs = atol(argv[5]);
	if (calls < 1 || calls > 1000000 || rate < 0 || rate > 1000000 || secs < 1) {
		fprintf(stderr, "bench feed: bad numbers\n");
		return 2;
	}
	void *ctx = zmq_ctx_new();
	void *pub = zmq_socket(ctx, ZMQ_PUB), *router = zmq_socket(ctx, ZMQ_ROUTER);
	int hwm = 1000000, linger = 0;
	zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, sizeof hwm);
	zmq_setsockopt(router, ZMQ_SNDHWM, &hwm, sizeof hwm);
	zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
	if (zmq_bind(pub, argv[1]) != 0 || zmq_bind(router, argv[2]) != 0) {
		fprintf(stderr, "bench feed: bind: %s\n", zmq_strerror(zmq_errno()));
		return 1;
	}
	struct proto_msg *m = malloc(sizeof *m), *rq = malloc(sizeof *rq);
	struct codec_buf b;
	codec_buf_init(&b);
	uint64_t seq = 0, sent = 0;
	int64_t start = now_ms(), end = start + secs * 1000, next_hb = start;
	long next_call = 0;
	while (now_ms() < end) {
		int64_t t = now_ms();
		serve(router, m, rq, &b, calls, seq, start);
		if (t >= next_hb) {
			proto_msg_init(m, PROTO_MSG_HEARTBEAT);
			strcpy(m->h.pub, "bench");
			m->h.seq = ++seq;
			m->h.ts_ms = t;
			m->u.hb.calls_active = (uint64_t)calls;
			send_pub(pub, m, &b);
			next_hb += 1000;
		}
		/* Send what the rate allows so far, in small bursts. */
		uint64_t due = (uint64_t)((double)(t - start) * (double)rate / 1000.0);
		while (sent < due) {
			fill(m, next_call, ++seq, start, t);
			send_pub(pub, m, &b);
			next_call = (next_call + 1) % calls;
			sent++;
		}
		zmq_pollitem_t it = { router, 0, ZMQ_POLLIN, 0 };
		zmq_poll(&it, 1, 1);
	}
	fprintf(stderr, "bench feed: %llu updates in %ld s\n", (unsigned long long)sent, secs);
	codec_buf_free(&b);
	free(m);
	free(rq);
	zmq_close(pub);
	zmq_close(router);
	zmq_ctx_term(ctx);
	return 0;
}
