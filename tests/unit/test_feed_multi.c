/* feed_client with several publishers (shards behind undertone-proxy):
 * snapshots, gaps and staleness per publisher; --queues subscriptions. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "undertone/codec.h"
#include "undertone/feed_client.h"
#include "undertone/timing.h"
#include "ut_check.h"

/* A proxy stand-in: one PUB and one ROUTER that answer for shards s0, s1. */
struct peer {
	void *ctx, *pub, *router;
	char dir[64], feed[128], req[128];
	struct codec_buf buf;
	struct proto_msg m;
	uint64_t snap_seq[2];
};

struct seen {
	int begins[2], ends[2], msgs[2];
};

static int shard_of_pub(const char *pub)
{
	return strcmp(pub, "s1") == 0 ? 1 : 0;
}

static void on_event(void *ctx, enum feed_event ev, const struct proto_msg *m)
{
	struct seen *s = ctx;
	int i = shard_of_pub(m->h.pub);
	if (ev == FEED_EV_SNAPSHOT_BEGIN)
		s->begins[i]++;
	else if (ev == FEED_EV_SNAPSHOT_END)
		s->ends[i]++;
	else if (ev == FEED_EV_MSG)
		s->msgs[i]++;
}

static void peer_open(struct peer *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->dir, "/tmp/ut-fm-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(p->dir));
	snprintf(p->feed, sizeof p->feed, "ipc://%s/feed", p->dir);
	snprintf(p->req, sizeof p->req, "ipc://%s/req", p->dir);
	p->ctx = zmq_ctx_new();
	p->pub = zmq_socket(p->ctx, ZMQ_XPUB);   /* XPUB: the test reads subscriptions */
	p->router = zmq_socket(p->ctx, ZMQ_ROUTER);
	int linger = 0;
	zmq_setsockopt(p->pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(p->router, ZMQ_LINGER, &linger, sizeof linger);
	ck_assert_int_eq(zmq_bind(p->pub, p->feed), 0);
	ck_assert_int_eq(zmq_bind(p->router, p->req), 0);
	codec_buf_init(&p->buf);
}

static void peer_close(struct peer *p)
{
	char path[160];
	zmq_close(p->pub);
	zmq_close(p->router);
	zmq_ctx_term(p->ctx);
	codec_buf_free(&p->buf);
	snprintf(path, sizeof path, "%s/feed", p->dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/req", p->dir);
	unlink(path);
	rmdir(p->dir);
}

static void fill_update(struct proto_msg *m, const char *pub, uint64_t seq, const char *call,
	const char *queue)
{
	proto_msg_init(m, PROTO_MSG_CALL_UPDATE);
	strcpy(m->h.pub, pub);
	m->h.seq = seq;
	m->h.ts_ms = 1700000000000;
	strcpy(m->u.upd.call, call);
	strcpy(m->u.upd.queue, queue);
	strcpy(m->u.upd.agent, "a1");
	m->u.upd.channel = UT_CH_VOICE;
	m->u.upd.state = UT_CS_ACTIVE;
	m->u.upd.started_ms = 1700000000000;
}

static void send_feed(struct peer *p)
{
	char topic[PROTO_TOPIC_MAX + 1];
	ck_assert_int_eq(codec_encode_msg(&p->m, &p->buf), CODEC_OK);
	ck_assert_int_ge(proto_topic(&p->m, topic, sizeof topic), 0);
	zmq_send(p->pub, topic, strlen(topic), ZMQ_SNDMORE);
	zmq_send(p->pub, p->buf.data, p->buf.len, 0);
}

static void publish(struct peer *p, const char *pub, uint64_t seq, uint64_t tseq, const char *call,
	const char *queue)
{
	if (call) {
		fill_update(&p->m, pub, seq, call, queue);
	} else {
		proto_msg_init(&p->m, PROTO_MSG_HEARTBEAT);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = seq;
		p->m.h.ts_ms = 1700000000000;
	}
	p->m.h.tseq = tseq;
	send_feed(p);
}

static void reply(struct peer *p, zmq_msg_t *id)
{
	ck_assert_int_eq(codec_encode_msg(&p->m, &p->buf), CODEC_OK);
	zmq_send(p->router, zmq_msg_data(id), zmq_msg_size(id), ZMQ_SNDMORE);
	zmq_send(p->router, p->buf.data, p->buf.len, 0);
}

/* Answer one snapshot request for both shards, as the proxy's fan-out
 * does: each shard streams its own begin, one call, end. */
static int serve_snapshot(struct peer *p, int timeout_ms)
{
	zmq_pollitem_t it = { p->router, 0, ZMQ_POLLIN, 0 };
	if (zmq_poll(&it, 1, timeout_ms) <= 0)
		return 0;
	zmq_msg_t id, body;
	zmq_msg_init(&id);
	zmq_msg_init(&body);
	zmq_msg_recv(&id, p->router, 0);
	zmq_msg_recv(&body, p->router, 0);
	struct proto_msg *rq = malloc(sizeof *rq);
	ck_assert_int_eq(codec_decode_msg(zmq_msg_data(&body), zmq_msg_size(&body), rq, NULL), CODEC_OK);
	ck_assert_int_eq(rq->type, PROTO_MSG_SNAPSHOT_REQUEST);
	for (int i = 0; i < 2; i++) {
		const char *pub = i ? "s1" : "s0";
		proto_msg_init(&p->m, PROTO_MSG_SNAPSHOT_BEGIN);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = p->snap_seq[i];
		p->m.h.req = rq->h.req;
		p->m.u.snap.calls = 1;
		reply(p, &id);
		fill_update(&p->m, pub, p->snap_seq[i], i ? "call-s1" : "call-s0", "billing");
		p->m.h.req = rq->h.req;
		reply(p, &id);
		proto_msg_init(&p->m, PROTO_MSG_SNAPSHOT_END);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = p->snap_seq[i];
		p->m.h.req = rq->h.req;
		p->m.u.snap.calls = 1;
		reply(p, &id);
	}
	free(rq);
	zmq_msg_close(&id);
	zmq_msg_close(&body);
	return 1;
}

static void pump(struct feed_client *fc, struct seen *s, int ms)
{
	int64_t end = timing_mono_ms() + ms;
	while (timing_mono_ms() < end) {
		feed_client_tick(fc, timing_mono_ms());
		if (feed_client_wait(fc, -1, 10))
			feed_client_process(fc, timing_mono_ms(), 1700000000000, 1000, on_event, s);
	}
}

START_TEST(gap_resnapshots_one_shard)
{
	struct peer *p = malloc(sizeof *p);
	peer_open(p);
	char err[256];
	struct feed_client *fc = feed_client_open(p->feed, p->req, err, sizeof err);
	ck_assert_msg(fc != NULL, "%s", err);
	struct seen s;
	memset(&s, 0, sizeof s);
	struct feed_status st;

	feed_client_tick(fc, timing_mono_ms());
	pump(fc, &s, 200);
	p->snap_seq[0] = 10;
	p->snap_seq[1] = 20;
	ck_assert_int_eq(serve_snapshot(p, 2000), 1);
	pump(fc, &s, 200);
	ck_assert_int_eq(s.begins[0], 1);
	ck_assert_int_eq(s.begins[1], 1);
	ck_assert_int_eq(s.ends[0], 1);
	ck_assert_int_eq(s.ends[1], 1);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_LIVE);
	ck_assert_uint_eq(st.npubs, 2);
	ck_assert_int_ne(feed_client_pub_index(fc, "s0"), feed_client_pub_index(fc, "s1"));
	ck_assert_int_eq(feed_client_pub_index(fc, "nobody"), -1);

	/* Both in sequence, interleaved as a proxy forwards them. */
	publish(p, "s0", 11, 0, "a", "billing");
	publish(p, "s1", 21, 0, "b", "billing");
	publish(p, "s0", 12, 0, "a", "billing");
	pump(fc, &s, 100);
	ck_assert_int_eq(s.msgs[0], 1 + 2);
	ck_assert_int_eq(s.msgs[1], 1 + 1);

	/* s1 loses 22: only s1 is re-snapshotted; s0 keeps being applied. */
	publish(p, "s1", 23, 0, "b", "billing");
	publish(p, "s0", 13, 0, "a", "billing");
	pump(fc, &s, 100);
	ck_assert_int_eq(s.msgs[0], 4);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.gaps_healed, 1);
	ck_assert_int_ne(st.state, FEED_LIVE);
	p->snap_seq[0] = 13;
	p->snap_seq[1] = 23;
	ck_assert_int_eq(serve_snapshot(p, 2000), 1);
	pump(fc, &s, 200);
	ck_assert_int_eq(s.begins[0], 1);   /* s0's part of the fan-out is ignored */
	ck_assert_int_eq(s.begins[1], 2);
	ck_assert_int_eq(s.ends[1], 2);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_LIVE);

	/* Staleness per shard: only s0 keeps its heartbeat. */
	publish(p, "s0", 14, 0, NULL, NULL);
	pump(fc, &s, 100);
	feed_client_status(fc, timing_mono_ms() + 1000, &st);
	ck_assert(!st.stale);
	int i0 = feed_client_pub_index(fc, "s0"), i1 = feed_client_pub_index(fc, "s1");
	ck_assert(!st.pubs[i0].stale);
	feed_client_status(fc, timing_mono_ms() + FEED_STALE_MS + 50, &st);
	ck_assert(st.pubs[i1].stale);
	ck_assert(st.pubs[i0].stale);      /* both old by then */
	ck_assert(st.stale);               /* every shard lost: the feed is */

	feed_client_close(fc);
	peer_close(p);
	free(p);
}
END_TEST

START_TEST(queues_subscribe_and_tseq)
{
	struct peer *p = malloc(sizeof *p);
	peer_open(p);
	char err[256];
	struct feed_client *fc = feed_client_open(p->feed, p->req, err, sizeof err);
	ck_assert_ptr_nonnull(fc);
	const char *bad[] = { "bill.ing" };
	const char *good[] = { "billing", "tech" };
	ck_assert_int_eq(feed_client_queues(fc, bad, 1), -1);
	ck_assert_int_eq(feed_client_queues(fc, good, 0), -1);
	ck_assert_int_eq(feed_client_queues(fc, good, 2), 0);

	/* The publisher sees exactly these subscriptions (besides the initial
	 * "" that is withdrawn): upd./sug./dec. per queue, and hb. */
	char got[16][PROTO_TOPIC_MAX + 2];
	int n = 0, on = 0;
	zmq_pollitem_t it = { p->pub, 0, ZMQ_POLLIN, 0 };
	while (n < 16 && zmq_poll(&it, 1, 300) > 0) {
		char b[PROTO_TOPIC_MAX + 2];
		int len = zmq_recv(p->pub, b, sizeof b - 1, 0);
		ck_assert_int_gt(len, 0);
		b[len] = '\0';
		memcpy(got[n++], b, (size_t)len + 1);
		on += b[0] == 1;
	}
	int want = 0;
	const char *topics[] = { "upd.billing.", "sug.billing.", "dec.billing.", "upd.tech.",
		"sug.tech.", "dec.tech.", "hb." };
	for (int k = 0; k < 7; k++)
		for (int i = 0; i < n; i++)
			if (got[i][0] == 1 && strcmp(got[i] + 1, topics[k]) == 0)
				want++;
	ck_assert_int_eq(want, 7);

	struct seen s;
	memset(&s, 0, sizeof s);
	struct feed_status st;
	feed_client_tick(fc, timing_mono_ms());
	p->snap_seq[0] = 10;
	p->snap_seq[1] = 20;
	ck_assert_int_eq(serve_snapshot(p, 2000), 1);
	pump(fc, &s, 200);
	/* Filtered: seq has holes (other queues), tseq per topic does not. */
	publish(p, "s0", 15, 1, "a", "billing");
	publish(p, "s0", 19, 2, "a", "billing");
	pump(fc, &s, 100);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.gaps_healed, 0);
	ck_assert_int_eq(s.msgs[0], 1 + 2);
	publish(p, "s0", 25, 4, "a", "billing");   /* tseq 3 lost */
	pump(fc, &s, 100);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.gaps_healed, 1);
	ck_assert_uint_eq(st.other_queues, 0);
	feed_client_close(fc);
	peer_close(p);
	free(p);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("feed_multi");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, gap_resnapshots_one_shard);
	tcase_add_test(tc, queues_subscribe_and_tseq);
	suite_add_tcase(su, tc);
	return ut_check_run(su);
}
