/*
 * bench_latency: event -> subscriber latency through a running analyzer.
 *
 *   bench_latency INGEST_EP FEED_EP [RATE] [SECONDS] [CALLS]
 *
 * Sends customer utterances at RATE events/s (default 10000) spread over
 * CALLS calls (default 5000, so each call stays under the 4/s coalescing
 * rate and every event yields its own update), and times each one from
 * just before the PUSH send to the arrival, on a SUB socket, of the call
 * update that counts it. Events due are sent in small bursts (about 10
 * per millisecond) and the bench sleeps in poll between them. The figure therefore includes both loopback hops
 * and decoding on each side. Prints p50/p99/max; asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "undertone/codec.h"
#include "undertone/transport.h"

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

struct bench {
	struct transport_sock *push, *sub;
	struct codec_buf buf;
	struct transport_msg in;
	struct proto_msg *msg;
	struct proto_event ev;
	unsigned calls, per_call;
	int64_t *sent;           /* [call * per_call + n-1] send time, us */
	int64_t *lat;
	size_t nlat;
	int64_t t0_ms;
};

static void
send_event(struct bench *b)
{
	const void *fr[1];
	size_t ln[1];

	if (codec_encode_event(&b->ev, &b->buf) != CODEC_OK) {
		fprintf(stderr, "bench: encode failed\n");
		exit(1);
	}
	fr[0] = b->buf.data;
	ln[0] = b->buf.len;
	transport_send(b->push, fr, ln, 1, true);
}

static void
drain(struct bench *b)
{
	const unsigned char *p;
	size_t len;
	unsigned call, n;

	while (transport_recv(b->sub, &b->in, false) == TRANSPORT_OK) {
		int64_t t = now_us();
		if (b->in.nframes != 2)
			continue;
		p = transport_msg_frame(&b->in, 1, &len);
		if (codec_decode_msg(p, len, b->msg, NULL) != CODEC_OK || b->msg->type != PROTO_MSG_CALL_UPDATE)
			continue;
		if (sscanf(b->msg->u.upd.call, "lat-%u", &call) != 1 || call >= b->calls)
			continue;
		n = b->msg->u.upd.utterances;
		if (n == 0 || n > b->per_call || b->sent[(size_t)call * b->per_call + n - 1] == 0)
			continue;
		b->lat[b->nlat++] = t - b->sent[(size_t)call * b->per_call + n - 1];
		b->sent[(size_t)call * b->per_call + n - 1] = 0;   /* count each once */
	}
}

static void
start_calls(struct bench *b)
{
	unsigned i;

	for (i = 0; i < b->calls; i++) {
		proto_event_init(&b->ev, PROTO_EV_CALL_START);
		snprintf(b->ev.call, sizeof(b->ev.call), "lat-%u", i);
		b->ev.ts_ms = b->t0_ms;
		snprintf(b->ev.u.start.agent, sizeof(b->ev.u.start.agent), "agent-%u", i % 300);
		snprintf(b->ev.u.start.queue, sizeof(b->ev.u.start.queue), "q%u", i % 10);
		send_event(b);
		if (i % 500 == 0)
			drain(b);
	}
}

static void
utterance(struct bench *b, unsigned call, unsigned n)
{
	static const char *const lines[] = {
		"I am still waiting for my refund", "this is the second time I ask",
		"okay thanks for checking", "why does this take so long"
	};

	proto_event_init(&b->ev, PROTO_EV_UTTERANCE);
	snprintf(b->ev.call, sizeof(b->ev.call), "lat-%u", call);
	b->ev.ts_ms = wall_ms();
	if (b->ev.ts_ms < b->t0_ms + 1)
		b->ev.ts_ms = b->t0_ms + 1;
	b->ev.u.utt.speaker = UT_SP_CUSTOMER;
	b->ev.u.utt.end_ms = b->ev.ts_ms - b->t0_ms;
	b->ev.u.utt.start_ms = b->ev.u.utt.end_ms > 1000 ? b->ev.u.utt.end_ms - 1000 : 0;
	b->ev.u.utt.final = true;
	b->ev.u.utt.text_len = strlen(lines[n % 4]);
	memcpy(b->ev.u.utt.text, lines[n % 4], b->ev.u.utt.text_len + 1);
	b->sent[(size_t)call * b->per_call + n] = now_us();
	send_event(b);
}

int
main(int argc, char **argv)
{
	struct bench b;
	struct transport *t;
	char err[256];
	double rate = argc > 3 ? atof(argv[3]) : 10000, secs = argc > 4 ? atof(argv[4]) : 5;
	size_t total, i;
	int64_t start, due;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_latency INGEST_EP FEED_EP [RATE] [SECONDS] [CALLS]\n");
		return 2;
	}
	memset(&b, 0, sizeof(b));
	b.calls = argc > 5 ? (unsigned)atoi(argv[5]) : 5000;
	total = (size_t)(rate * secs);
	b.per_call = (unsigned)(total / b.calls + 1);
	b.sent = calloc((size_t)b.calls * b.per_call, sizeof(*b.sent));
	b.lat = calloc(total + 1, sizeof(*b.lat));
	b.msg = malloc(sizeof(*b.msg));
	if (b.calls == 0 || b.sent == NULL || b.lat == NULL || b.msg == NULL ||
	    (t = transport_new(err, sizeof(err))) == NULL ||
	    (b.push = transport_open(t, TRANSPORT_PUSH, argv[1], false, NULL, err, sizeof(err))) == NULL ||
	    (b.sub = transport_open(t, TRANSPORT_SUB, argv[2], false, NULL, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	transport_subscribe(b.sub, "upd.", 4);
	b.t0_ms = wall_ms() - 1000;
	{
		struct timespec d = { 0, 500000000 };
		nanosleep(&d, NULL);   /* let SUB join */
	}
	start_calls(&b);
	start = now_us() + 500000;
	while (now_us() < start)
		drain(&b);
	b.nlat = 0;
	/* Send what is due, then sleep in poll (1 ms at most) instead of
	 * spinning, so the bench does not take the analyzer's core. */
	for (i = 0; i < total;) {
		struct transport_sock *const socks[1] = { b.sub };
		bool ready;
		int64_t now = now_us();
		while (i < total && start + (int64_t)((double)i * 1e6 / rate) <= now) {
			utterance(&b, (unsigned)(i % b.calls), (unsigned)(i / b.calls));
			i++;
		}
		if (transport_poll(socks, 1, &ready, 1) > 0)
			drain(&b);
	}
	due = now_us() + 1000000;
	while (now_us() < due) {
		struct transport_sock *const socks[1] = { b.sub };
		bool ready;
		if (transport_poll(socks, 1, &ready, 10) > 0)
			drain(&b);
	}
	qsort(b.lat, b.nlat, sizeof(*b.lat), cmp64);
	printf("latency: %zu events at %.0f/s over %u calls, %zu updates timed\n",
	    total, rate, b.calls, b.nlat);
	if (b.nlat > 0)
		printf("latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
		    b.lat[b.nlat / 2] / 1000.0, b.lat[(size_t)(b.nlat * 0.99)] / 1000.0,
		    b.lat[b.nlat - 1] / 1000.0);
	transport_close(b.push);
	transport_close(b.sub);
	transport_free(t);
	transport_msg_free(&b.in);
	codec_buf_free(&b.buf);
	free(b.sent);
	free(b.lat);
	free(b.msg);
	return 0;
}
