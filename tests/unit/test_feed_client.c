/* Unit tests for the console's feed client: the sequence logic as pure
 * functions, and the Clone flow against a scripted peer (test code that
 * binds PUB + ROUTER on ipc:// endpoints and plays the analyzer's part). */
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

START_TEST(seq_verdicts)
{
	struct feed_seq t;
	memset(&t, 0, sizeof t);
	ck_assert_int_eq(feed_seq_check(&t, "a", 1), FEED_SEQ_FOREIGN);
	feed_seq_reset(&t, "a", 10);
	ck_assert_int_eq(feed_seq_check(&t, "a", 9), FEED_SEQ_OLD);   /* in the snapshot */
	ck_assert_int_eq(feed_seq_check(&t, "a", 10), FEED_SEQ_OLD);
	ck_assert_int_eq(feed_seq_check(&t, "b", 11), FEED_SEQ_FOREIGN);
	ck_assert_int_eq(feed_seq_check(&t, "a", 12), FEED_SEQ_GAP);
	ck_assert_int_eq(feed_seq_accept(&t, "a", 11), FEED_SEQ_APPLY);
	ck_assert_uint_eq(t.last, 11);
	ck_assert_int_eq(feed_seq_accept(&t, "a", 12), FEED_SEQ_APPLY);
	/* Live: going back means the publisher restarted. */
	ck_assert_int_eq(feed_seq_check(&t, "a", 1), FEED_SEQ_RESTART);
	ck_assert_int_eq(feed_seq_check(&t, "a", 12), FEED_SEQ_RESTART);
	ck_assert_int_eq(feed_seq_check(&t, "a", 14), FEED_SEQ_GAP);
	ck_assert_int_eq(feed_seq_accept(&t, "a", 14), FEED_SEQ_GAP);
	ck_assert_uint_eq(t.last, 12); /* a gap does not advance */
}
END_TEST

START_TEST(pubs_table)
{
	struct feed_pubs ps;
	memset(&ps, 0, sizeof ps);
	ck_assert(feed_pubs_note(&ps, "a", 5));    /* new */
	ck_assert(!feed_pubs_note(&ps, "a", 6));
	ck_assert(feed_pubs_note(&ps, "a", 2));    /* backwards */
	ck_assert(feed_pubs_note(&ps, "b", 1));
	char id[16];
	for (int i = 0; i < FEED_PUBS_MAX + 4; i++) {
		snprintf(id, sizeof id, "p%d", i);
		feed_pubs_note(&ps, id, 1);
	}
	ck_assert_uint_le(ps.n, FEED_PUBS_MAX);
}
END_TEST

/* ---- scripted analyzer ---- */

struct peer {
	void *ctx, *pub, *router;
	char dir[64], feed[128], req[128];
	uint64_t seq;
	struct codec_buf buf;
	struct proto_msg m;
};

struct seen {
	int begins, ends, msgs, replies;
	char last_call[UT_ID_MAX + 1];
	uint64_t last_seq;
	int calls_in_snapshot;
};

static void on_event(void *ctx, enum feed_event ev, const struct proto_msg *m)
{
	struct seen *s = ctx;
	switch (ev) {
	case FEED_EV_SNAPSHOT_BEGIN: s->begins++; break;
	case FEED_EV_SNAPSHOT_END: s->ends++; break;
	case FEED_EV_REPLY: s->replies++; break;
	case FEED_EV_MSG:
		s->msgs++;
		s->last_seq = m->h.seq;
		if (m->type == PROTO_MSG_CALL_UPDATE) {
			strcpy(s->last_call, m->u.upd.call);
			if (s->begins > s->ends)
				s->calls_in_snapshot++;
		}
		break;
	}
}

static void peer_open(struct peer *p)
{
	memset(p, 0, sizeof *p);
	strcpy(p->dir, "/tmp/ut-fc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(p->dir));
	snprintf(p->feed, sizeof p->feed, "ipc://%s/feed", p->dir);
	snprintf(p->req, sizeof p->req, "ipc://%s/req", p->dir);
	p->ctx = zmq_ctx_new();
	p->pub = zmq_socket(p->ctx, ZMQ_PUB);
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
	zmq_close(p->pub);
	zmq_close(p->router);
	zmq_ctx_term(p->ctx);
	codec_buf_free(&p->buf);
	char path[160];
	snprintf(path, sizeof path, "%s/feed", p->dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/req", p->dir);
	unlink(path);
	rmdir(p->dir);
}

static void fill_update(struct proto_msg *m, const char *pub, uint64_t seq, const char *call)
{
	proto_msg_init(m, PROTO_MSG_CALL_UPDATE);
	strcpy(m->h.pub, pub);
	m->h.seq = seq;
	m->h.ts_ms = 1700000000000;
	strcpy(m->u.upd.call, call);
	strcpy(m->u.upd.queue, "billing");
	strcpy(m->u.upd.agent, "a1");
	m->u.upd.channel = UT_CH_VOICE;
	m->u.upd.state = UT_CS_ACTIVE;
	m->u.upd.started_ms = 1700000000000;
}

/* Publish a call update (or a heartbeat when call is NULL) with seq. */
static void peer_publish(struct peer *p, const char *pub, uint64_t seq, const char *call)
{
	if (call) {
		fill_update(&p->m, pub, seq, call);
	} else {
		proto_msg_init(&p->m, PROTO_MSG_HEARTBEAT);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = seq;
		p->m.h.ts_ms = 1700000000000;
	}
	ck_assert_int_eq(codec_encode_msg(&p->m, &p->buf), CODEC_OK);
	char topic[PROTO_TOPIC_MAX + 1];
	ck_assert_int_ge(proto_topic(&p->m, topic, sizeof topic), 0);
	zmq_send(p->pub, topic, strlen(topic), ZMQ_SNDMORE);
	zmq_send(p->pub, p->buf.data, p->buf.len, 0);
}

static void reply(struct peer *p, zmq_msg_t *id, struct proto_msg *m)
{
	ck_assert_int_eq(codec_encode_msg(m, &p->buf), CODEC_OK);
	zmq_send(p->router, zmq_msg_data(id), zmq_msg_size(id), ZMQ_SNDMORE);
	zmq_send(p->router, p->buf.data, p->buf.len, 0);
}

static uint64_t announce_extra; /* > 0: the stream claims more items than it has */

/* Wait for a request; answer a snapshot with one call valid at seq. */
static int peer_serve(struct peer *p, const char *pub, uint64_t seq, int timeout_ms)
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
	int type = rq->type;
	if (type == PROTO_MSG_SNAPSHOT_REQUEST) {
		proto_msg_init(&p->m, PROTO_MSG_SNAPSHOT_BEGIN);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = seq;
		p->m.h.req = rq->h.req;
		p->m.u.snap.calls = 1;
		reply(p, &id, &p->m);
		fill_update(&p->m, pub, seq, "snap-call");
		p->m.h.req = rq->h.req;
		reply(p, &id, &p->m);
		proto_msg_init(&p->m, PROTO_MSG_SNAPSHOT_END);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = seq;
		p->m.h.req = rq->h.req;
		p->m.u.snap.calls = 1 + announce_extra;
		reply(p, &id, &p->m);
	} else if (type == PROTO_MSG_DECISION_SUBMIT) {
		proto_msg_init(&p->m, PROTO_MSG_DECISION_ACK);
		strcpy(p->m.h.pub, pub);
		p->m.h.seq = seq;
		p->m.h.req = rq->h.req;
		p->m.u.ack.ok = true;
		strcpy(p->m.u.ack.uuid, rq->u.dec.uuid);
		reply(p, &id, &p->m);
	}
	free(rq);
	zmq_msg_close(&id);
	zmq_msg_close(&body);
	return type + 1;
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

START_TEST(clone_flow)
{
	struct peer *p = malloc(sizeof *p);
	peer_open(p);
	char err[256];
	struct feed_client *fc = feed_client_open(p->feed, p->req, err, sizeof err);
	ck_assert_msg(fc != NULL, "%s", err);
	struct seen s;
	memset(&s, 0, sizeof s);
	struct feed_status st;

	feed_client_tick(fc, timing_mono_ms());       /* sends the snapshot request */
	pump(fc, &s, 200);                    /* SUB connects meanwhile */
	peer_publish(p, "an1", 101, "early"); /* before the snapshot: buffered */
	peer_publish(p, "an1", 102, "buffered");
	pump(fc, &s, 100);
	ck_assert_int_eq(s.msgs, 0);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_CONNECTING);
	ck_assert_int_eq(peer_serve(p, "an1", 101, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	ck_assert_int_eq(s.begins, 1);
	ck_assert_int_eq(s.ends, 1);
	ck_assert_int_eq(s.calls_in_snapshot, 1);
	/* 101 was in the snapshot; only 102 is applied from the buffer. */
	ck_assert_int_eq(s.msgs, 2);
	ck_assert_str_eq(s.last_call, "buffered");
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_LIVE);
	ck_assert_str_eq(st.pub, "an1");

	peer_publish(p, "an1", 103, NULL); /* heartbeat */
	peer_publish(p, "an1", 104, "live");
	pump(fc, &s, 100);
	ck_assert_str_eq(s.last_call, "live");
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert(!st.stale);
	ck_assert_int_ge(st.hb_age_ms, 0);

	/* A gap: 105 is lost. The client asks for a new snapshot by itself. */
	peer_publish(p, "an1", 106, "after-gap");
	pump(fc, &s, 100);
	ck_assert_str_eq(s.last_call, "live");
	ck_assert_int_eq(peer_serve(p, "an1", 106, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.gaps_healed, 1);
	ck_assert_int_eq(st.state, FEED_LIVE);
	ck_assert_int_eq(s.ends, 2);

	/* The analyzer restarts: its sequence starts again. */
	peer_publish(p, "an1", 1, NULL);
	pump(fc, &s, 100);
	ck_assert_int_eq(peer_serve(p, "an1", 1, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.restarts, 1);
	ck_assert_int_eq(st.state, FEED_LIVE);

	/* A new publisher id also means a restart. */
	peer_publish(p, "an2", 1, NULL);
	pump(fc, &s, 100);
	ck_assert_int_eq(peer_serve(p, "an2", 1, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.restarts, 2);
	ck_assert_str_eq(st.pub, "an2");

	/* Decisions go out and their acknowledgement comes back. */
	struct proto_decision d;
	memset(&d, 0, sizeof d);
	strcpy(d.uuid, "6f1c2a40-0000-4000-8000-000000000001");
	strcpy(d.call, "live");
	strcpy(d.queue, "billing");
	strcpy(d.supervisor, "lead");
	d.kind = UT_DE_ACKNOWLEDGE;
	d.at_ms = 1700000000000;
	ck_assert_int_eq(feed_client_submit(fc, &d), 0);
	ck_assert_int_eq(peer_serve(p, "an2", 1, 2000), PROTO_MSG_DECISION_SUBMIT + 1);
	pump(fc, &s, 100);
	ck_assert_int_eq(s.replies, 1);

	/* Undecodable bytes are counted, never applied. */
	zmq_send(p->pub, "upd.x.", 6, ZMQ_SNDMORE);
	zmq_send(p->pub, "\xc1\xc1", 2, 0);
	pump(fc, &s, 100);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_ge(st.decode_errors, 1);

	feed_client_close(fc);
	peer_close(p);
	free(p);
}
END_TEST

START_TEST(incomplete_snapshot_is_asked_again)
{
	struct peer *p = malloc(sizeof *p);
	peer_open(p);
	char err[256];
	struct feed_client *fc = feed_client_open(p->feed, p->req, err, sizeof err);
	ck_assert_ptr_nonnull(fc);
	struct seen s;
	memset(&s, 0, sizeof s);
	feed_client_tick(fc, timing_mono_ms());
	announce_extra = 1;
	ck_assert_int_eq(peer_serve(p, "an1", 5, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	announce_extra = 0;
	pump(fc, &s, 200);
	struct feed_status st;
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_uint_eq(st.snapshots_incomplete, 1);
	ck_assert_int_ne(st.state, FEED_LIVE);
	ck_assert_int_eq(s.ends, 0); /* nothing swept */
	ck_assert_int_eq(peer_serve(p, "an1", 5, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_LIVE);
	ck_assert_int_eq(s.ends, 1);
	feed_client_close(fc);
	peer_close(p);
	free(p);
}
END_TEST

START_TEST(stale_and_retry)
{
	struct peer *p = malloc(sizeof *p);
	peer_open(p);
	char err[256];
	struct feed_client *fc = feed_client_open(p->feed, p->req, err, sizeof err);
	ck_assert_ptr_nonnull(fc);
	struct seen s;
	memset(&s, 0, sizeof s);
	int64_t t0 = timing_mono_ms();
	feed_client_tick(fc, t0);
	ck_assert_int_eq(peer_serve(p, "an1", 5, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 200);
	peer_publish(p, "an1", 6, NULL);
	pump(fc, &s, 100);
	struct feed_status st;
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert(!st.stale);
	/* No heartbeat for FEED_STALE_MS: stale, with its age. */
	feed_client_status(fc, timing_mono_ms() + FEED_STALE_MS + 10, &st);
	ck_assert(st.stale);
	ck_assert_int_ge(st.hb_age_ms, FEED_STALE_MS);
	/* The timer says when staleness begins. */
	long t = feed_client_tick(fc, timing_mono_ms());
	ck_assert_int_gt(t, 0);
	ck_assert_int_le(t, FEED_STALE_MS);
	/* An unanswered snapshot request is asked again. */
	peer_publish(p, "an1", 9, NULL); /* gap */
	pump(fc, &s, 100);
	ck_assert_int_eq(peer_serve(p, "an1", 9, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	/* ...but pretend the reply was lost: the peer answered, yet we simulate
	 * time passing beyond the timeout before reading it. */
	feed_client_tick(fc, timing_mono_ms() + FEED_SNAPSHOT_TIMEOUT_MS + 1);
	ck_assert_int_eq(peer_serve(p, "an1", 9, 2000), PROTO_MSG_SNAPSHOT_REQUEST + 1);
	pump(fc, &s, 300);
	feed_client_status(fc, timing_mono_ms(), &st);
	ck_assert_int_eq(st.state, FEED_LIVE);
	feed_client_close(fc);
	peer_close(p);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("feed_client");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, seq_verdicts);
	tcase_add_test(tc, pubs_table);
	tcase_add_test(tc, clone_flow);
	tcase_add_test(tc, stale_and_retry);
	tcase_add_test(tc, incomplete_snapshot_is_asked_again);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return ut_check_run(suite());
}
