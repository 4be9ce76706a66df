/*
 * bench_engine: analyzer throughput and memory, in one process on one core.
 *
 *   bench_engine throughput [CALLS] [EVENTS]   ingest -> publish utterances/s
 *   bench_engine memory [CALLS]                RSS per active call
 *
 * Throughput: a simulated floor (the feed's generator) is encoded to
 * MessagePack frames first; then every frame goes through the daemon's path:
 * strict decode, sentiment (customer only), trend, all frustration
 * signals, policy, coalesced call updates and suggestions encoded to
 * MessagePack with their topic (everything but the socket write).
 * Memory: CALLS calls are started and each given 20 customer utterances
 * (a full-ish trend ring is not needed: the ring is allocated with the
 * call), then RSS growth / CALLS is reported. Run on demand, never in
 * `make check`; prints figures, asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "undertone/codec.h"
#include "engine.h"
#include "floor.h"

static struct codec_buf pubbuf;
static uint64_t pub_bytes;

static int
publish(void *ud, const struct proto_msg *m)
{
	char topic[PROTO_TOPIC_MAX + 1];

	(void)ud;
	if (proto_topic(m, topic, sizeof(topic)) >= 0 && codec_encode_msg(m, &pubbuf) == CODEC_OK)
		pub_bytes += pubbuf.len;
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long
rss_kib(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;

	while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, "VmRSS:", 6) == 0)
			kib = strtol(line + 6, NULL, 10);
	if (fp != NULL)
		fclose(fp);
	return kib;
}

static struct policy pol;

static struct engine *
make_engine(uint32_t max_calls)
{
	struct engine_config c;
	char err[128];
	struct engine *e;

	memset(&c, 0, sizeof(c));
	policy_default(&pol);
	c.policy = &pol;
	c.lex = lexicon_builtin();
	snprintf(c.pub, sizeof(c.pub), "bench");
	c.trend_len = 120;
	c.rate = 4;
	c.max_calls = max_calls;
	c.max_suggestions = max_calls;
	c.abandon_ms = 300000;
	c.retain_ms = 60000;
	c.heartbeat_ms = 1000;
	c.event_clock = true;
	e = engine_new(&c, publish, NULL, err, sizeof(err));
	if (e == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	return e;
}

struct frames {
	char *data;
	size_t *off, *len;
	size_t n, cap, bytes, utterances;
};

static void
frames_add(struct frames *f, const struct codec_buf *b)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 4096;
		f->off = realloc(f->off, f->cap * sizeof(*f->off));
		f->len = realloc(f->len, f->cap * sizeof(*f->len));
	}
	f->data = realloc(f->data, f->bytes + b->len);
	if (f->off == NULL || f->len == NULL || f->data == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	memcpy(f->data + f->bytes, b->data, b->len);
	f->off[f->n] = f->bytes;
	f->len[f->n++] = b->len;
	f->bytes += b->len;
}

static void
generate(struct frames *f, unsigned calls, size_t events)
{
	struct scen_library lib;
	struct floor_opts o = { .calls = calls, .seed = 1, .base_ms = 1700000000000 };
	struct floor *fl;
	struct proto_event *ev = malloc(sizeof(*ev));
	struct codec_buf b = { 0 };
	char err[256];

	if (ev == NULL || scenario_library_load(&lib, UT_SRCDIR "/data/scenarios", err, sizeof(err)) != 0 ||
	    (fl = floor_new(&lib, &o, err, sizeof(err))) == NULL) {
		fprintf(stderr, "bench: %s\n", err);
		exit(1);
	}
	while (f->n < events && floor_next(fl, ev) == 1) {
		if (codec_encode_event(ev, &b) != CODEC_OK)
			continue;
		frames_add(f, &b);
		f->utterances += ev->type == PROTO_EV_UTTERANCE;
	}
	codec_buf_free(&b);
	floor_free(fl);
	scenario_library_free(&lib);
	free(ev);
}

static int
throughput(unsigned calls, size_t events)
{
	struct frames f = { 0 };
	struct engine *e;
	double t0, t1, c0, c1;
	size_t i;
	int64_t mono0 = 1000;

	generate(&f, calls, events);
	e = make_engine(4000000);   /* ended calls stay within the bench's run */
	t0 = now_s();
	c0 = cpu_s();
	for (i = 0; i < f.n; i++) {
		int64_t mono = mono0 + (int64_t)((now_s() - t0) * 1000.0);
		engine_frame(e, f.data + f.off[i], f.len[i], 1700000000000, mono);
		if ((i & 1023) == 0)
			engine_tick(e, 1700000000000, mono);
	}
	t1 = now_s();
	c1 = cpu_s();
	printf("throughput: %zu events (%zu utterances, %u concurrent calls) in %.3f s wall, %.3f s CPU\n",
	    f.n, f.utterances, calls, t1 - t0, c1 - c0);
	printf("throughput: %.0f utterances per CPU-second (%.0f per wall second), %.0f events/CPU-s\n",
	    (double)f.utterances / (c1 - c0), (double)f.utterances / (t1 - t0), (double)f.n / (c1 - c0));
	printf("throughput: published %llu messages, %.1f MB\n",
	    (unsigned long long)engine_counters(e)->published, pub_bytes / 1e6);
	printf("throughput: rejected %llu, suggestions raised %llu\n",
	    (unsigned long long)engine_counters(e)->rejected_total,
	    (unsigned long long)engine_counters(e)->suggestions_raised);
	engine_free(e);
	free(f.data);
	free(f.off);
	free(f.len);
	return 0;
}

static int
memory(unsigned calls)
{
	static struct proto_event ev;
	struct engine *e = make_engine(calls);
	long before, after;
	unsigned i, k;
	const int64_t t0 = 1700000000000;

	before = rss_kib();
	for (i = 0; i < calls; i++) {
		proto_event_init(&ev, PROTO_EV_CALL_START);
		snprintf(ev.call, sizeof(ev.call), "mem-%u", i);
		ev.ts_ms = t0;
		snprintf(ev.u.start.agent, sizeof(ev.u.start.agent), "agent-%u", i % 500);
		snprintf(ev.u.start.agent_name, sizeof(ev.u.start.agent_name), "Agent %u", i % 500);
		snprintf(ev.u.start.queue, sizeof(ev.u.start.queue), "queue%u", i % 20);
		engine_event(e, &ev, t0, 1000);
		for (k = 1; k <= 20; k++) {
			proto_event_init(&ev, PROTO_EV_UTTERANCE);
			snprintf(ev.call, sizeof(ev.call), "mem-%u", i);
			ev.ts_ms = t0 + k * 4000;
			ev.u.utt.speaker = UT_SP_CUSTOMER;
			ev.u.utt.start_ms = k * 4000 - 2000;
			ev.u.utt.end_ms = k * 4000;
			ev.u.utt.final = true;
			ev.u.utt.text_len = (size_t)snprintf(ev.u.utt.text, sizeof(ev.u.utt.text),
			    "I was charged twice for order %u, this is the %u time", i, k);
			engine_event(e, &ev, t0, 1000);
		}
	}
	after = rss_kib();
	printf("memory: %u active calls, %u trend points each (ring of 120), RSS %ld -> %ld KiB\n",
	    calls, 20u, before, after);
	printf("memory: %.0f bytes per active call (calls live: %u)\n",
	    (double)(after - before) * 1024.0 / calls, engine_counters(e)->calls_live);
	engine_free(e);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "throughput") == 0)
		return throughput(argc >= 3 ? (unsigned)atoi(argv[2]) : 2000,
		    argc >= 4 ? (size_t)atol(argv[3]) : 400000);
	if (argc >= 2 && strcmp(argv[1], "memory") == 0)
		return memory(argc >= 3 ? (unsigned)atoi(argv[2]) : 100000);
	fprintf(stderr, "usage: bench_engine throughput [CALLS] [EVENTS] | memory [CALLS]\n");
	return 2;
}
