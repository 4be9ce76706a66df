/* bench_zmq_raw: ZeroMQ's own PUB/SUB rate on this machine, the physical
 * ceiling for the analyzer's feed (on demand; prints figures, asserts
 * nothing). Two-frame messages like the feed's (topic + body of SIZE bytes)
 * go from a PUB to a SUB in another thread; the PUB uses ZMQ_XPUB_NODROP
 * and retries at the high-water mark, so the figure is the sustained rate
 * with nothing dropped, measured at the subscriber.
 *   bench_zmq_raw ENDPOINT SIZE COUNT
 * Prints `bench.zmq_raw.<figure> = <value> <unit>` lines. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

struct run {
	void *ctx;
	const char *ep;
	size_t size;
	long count;
	double t_first, t_last;
	long got;
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
subscriber(void *arg)
{
	struct run *r = arg;
	void *s = zmq_socket(r->ctx, ZMQ_SUB);
	int hwm = 100000;
	zmq_msg_t m;

	zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof(hwm));
	zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0);
	zmq_connect(s, r->ep);
	zmq_msg_init(&m);
	while (r->got < r->count) {
		if (zmq_msg_recv(&m, s, 0) < 0)
			break;
		if (zmq_msg_more(&m))
			continue;   /* the topic frame */
		if (r->got++ == 0)
			r->t_first = now_s();
	}
	r->t_last = now_s();
	zmq_msg_close(&m);
	zmq_close(s);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct run r;
	pthread_t th;
	void *pub;
	char *body;
	int one = 1, hwm = 100000, linger = 0;
	long i;
	double rate;

	if (argc != 4) {
		fprintf(stderr, "usage: bench_zmq_raw ENDPOINT SIZE COUNT\n");
		return 2;
	}
	memset(&r, 0, sizeof(r));
	r.ep = argv[1];
	r.size = (size_t)strtoul(argv[2], NULL, 10);
	r.count = strtol(argv[3], NULL, 10);
	if (r.size == 0 || r.size > 65536 || r.count < 1000 || (body = calloc(1, r.size)) == NULL)
		return 2;
	r.ctx = zmq_ctx_new();
	pub = zmq_socket(r.ctx, ZMQ_PUB);
	zmq_setsockopt(pub, ZMQ_SNDHWM, &hwm, sizeof(hwm));
	zmq_setsockopt(pub, ZMQ_XPUB_NODROP, &one, sizeof(one));
	zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof(linger));
	if (zmq_bind(pub, r.ep) != 0) {
		fprintf(stderr, "bench_zmq_raw: bind %s: %s\n", r.ep, zmq_strerror(errno));
		return 1;
	}
	pthread_create(&th, NULL, subscriber, &r);
	{
		struct timespec d = { 0, 300000000 };
		nanosleep(&d, NULL);   /* let the SUB join */
	}
	for (i = 0; i < r.count; i++) {
		while (zmq_send(pub, "upd.billing.", 12, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
			struct timespec d = { 0, 20000 };
			nanosleep(&d, NULL);   /* at the HWM: wait, never drop */
		}
		zmq_send(pub, body, r.size, 0);
	}
	pthread_join(th, NULL);
	rate = r.got > 1 && r.t_last > r.t_first ? (double)(r.got - 1) / (r.t_last - r.t_first) : 0;
	printf("bench.zmq_raw.msg_bytes = %zu bytes\n", r.size + 12);
	printf("bench.zmq_raw.messages = %ld msgs\n", r.got);
	printf("bench.zmq_raw.pubsub_rate = %.0f msgs/s\n", rate);
	printf("bench.zmq_raw.pubsub_mbps = %.1f MB/s\n", rate * (double)(r.size + 12) / 1e6);
	zmq_close(pub);
	zmq_ctx_term(r.ctx);
	free(body);
	return 0;
}
