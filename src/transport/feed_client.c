/* feed_client: Clone-pattern subscriber for the console (see feed_client.h). */
#include "undertone/feed_client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "undertone/codec.h"
#include "undertone/transport.h"

/* ---- pure sequence logic ---- */

void feed_seq_reset(struct feed_seq *t, const char *pub, uint64_t seq)
{
	snprintf(t->pub, sizeof t->pub, "%s", pub);
	t->last = seq;
	t->live = false;
}

enum feed_seq_verdict feed_seq_check(const struct feed_seq *t, const char *pub, uint64_t seq)
{
	if (!t->pub[0] || strcmp(t->pub, pub) != 0)
		return FEED_SEQ_FOREIGN;
	if (seq == t->last + 1)
		return FEED_SEQ_APPLY;
	if (seq > t->last + 1)
		return FEED_SEQ_GAP;
	/* Right after a snapshot, buffered messages it already includes are old;
	 * once live, PUB/SUB never repeats a message, so going back is a restart. */
	return t->live ? FEED_SEQ_RESTART : FEED_SEQ_OLD;
}

enum feed_seq_verdict feed_seq_accept(struct feed_seq *t, const char *pub, uint64_t seq)
{
	enum feed_seq_verdict v = feed_seq_check(t, pub, seq);
	if (v == FEED_SEQ_APPLY) {
		t->last = seq;
		t->live = true;
	}
	return v;
}

bool feed_pubs_note(struct feed_pubs *ps, const char *pub, uint64_t seq)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (strcmp(ps->p[i].pub, pub) != 0)
			continue;
		bool back = seq <= ps->p[i].last;
		ps->p[i].last = seq;
		return back;
	}
	size_t slot = ps->n < FEED_PUBS_MAX ? ps->n++ : FEED_PUBS_MAX - 1;
	snprintf(ps->p[slot].pub, sizeof ps->p[slot].pub, "%s", pub);
	ps->p[slot].last = seq;
	return true;
}

/* ---- the client ---- */

/* A buffered raw message and the publisher it came from (-1: consumed). */
struct buffered { size_t off, len; int slot; };

enum pub_phase { PUB_NEED, PUB_STREAM, PUB_LIVE };

struct topic_seq { char topic[PROTO_TOPIC_MAX + 1]; uint64_t last; };

struct pubst {
	bool used;
	enum pub_phase phase;
	struct feed_seq seq;
	uint64_t stream_req;         /* req of the stream being applied, 0 none */
	uint64_t items;              /* items of that stream so far */
	int64_t last_hb_ms;          /* monotonic, -1 none */
	int64_t last_heard_ms;       /* any message (for retirement) */
	int64_t hb_interval_ms;
	uint64_t feed_seq;           /* last seq seen on the SUB (monotonic per publisher) */
	struct topic_seq topics[FEED_TOPICS_MAX];
	size_t ntopics;
};

struct feed_client {
	void *zctx, *sub, *dealer;
	struct transport_watch *watch[2]; /* CURVE: handshake outcomes of sub, dealer */
	enum feed_auth auth;
	char feed_ep[256], req_ep[256];
	char client_id[UT_ID_MAX + 1];
	enum feed_state state;       /* set by open; the state is derived per publisher */
	int64_t last_hb_ms;          /* set by open; heartbeats are kept per publisher */
	bool ever_live, need_snapshot;
	struct pubst pubs[FEED_PUBS_MAX];
	char queues[FEED_QUEUES_MAX][UT_ID_MAX + 1];
	size_t nqueues;              /* 0: every topic */
	uint64_t next_req, snap_req;
	int64_t snap_sent_ms;
	double latency_ms;           /* EWMA, < 0 unknown */
	struct buffered *buf;
	size_t nbuf, capbuf;
	unsigned char *bytes;
	size_t nbytes, capbytes;
	struct proto_msg *msg;       /* large: reused for every decode */
	struct codec_buf out;
	struct feed_status st;
};

const char *feed_state_name(enum feed_state s)
{
	switch (s) {
	case FEED_CONNECTING: return "connecting";
	case FEED_SNAPSHOT: return "resyncing";
	case FEED_LIVE: return "live";
	}
	return "?";
}

/* CURVE client keys (issue 8): the server's public key pins the analyzer. */
static int set_curve(void *s, const struct transport_security *sec)
{
	if (!sec || !sec->curve)
		return 0;
	return zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, sec->server_key, TRANSPORT_KEY_Z85_LEN) ||
		zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, sec->public_key, TRANSPORT_KEY_Z85_LEN) ||
		zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec->secret_key, TRANSPORT_KEY_Z85_LEN) ? -1 : 0;
}

/* With CURVE, the socket's handshakes are watched from before it connects:
 * a refused key is otherwise silent (the socket just never delivers). */
static void *open_sock(void *zctx, int type, const char *ep, const struct transport_security *sec,
	struct transport_watch **watch, char *err, size_t errsz)
{
	void *s = zmq_socket(zctx, type);
	if (!s) {
		snprintf(err, errsz, "zmq_socket: %s", zmq_strerror(errno));
		return NULL;
	}
	int linger = 0, hwm = 100000;
	int64_t maxmsg = PROTO_MSG_MAX + 1024;
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
	zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
	if (type == ZMQ_SUB)
		zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0);
	if (set_curve(s, sec) != 0) {
		snprintf(err, errsz, "CURVE keys: %s", zmq_strerror(errno));
		zmq_close(s);
		return NULL;
	}
	if (sec && sec->curve && (*watch = transport_watch_zmq(zctx, s, err, errsz)) == NULL) {
		zmq_close(s);
		return NULL;
	}
	if (zmq_connect(s, ep) != 0) {
		snprintf(err, errsz, "cannot connect to %s: %s", ep, zmq_strerror(errno));
		transport_watch_free(*watch);
		*watch = NULL;
		zmq_close(s);
		return NULL;
	}
	return s;
}

struct feed_client *feed_client_open(const char *feed_ep, const char *requests_ep,
	char *err, size_t errsz)
{
	return feed_client_open_secure(feed_ep, requests_ep, NULL, err, errsz);
}

struct feed_client *feed_client_open_secure(const char *feed_ep, const char *requests_ep,
	const struct transport_security *sec, char *err, size_t errsz)
{
	struct feed_client *fc = calloc(1, sizeof *fc);
	if (!fc || !(fc->msg = malloc(sizeof *fc->msg))) {
		snprintf(err, errsz, "out of memory");
		free(fc);
		return NULL;
	}
	if (strlen(feed_ep) >= sizeof fc->feed_ep || strlen(requests_ep) >= sizeof fc->req_ep) {
		snprintf(err, errsz, "endpoint too long");
		feed_client_close(fc);
		return NULL;
	}
	strcpy(fc->feed_ep, feed_ep);
	strcpy(fc->req_ep, requests_ep);
	snprintf(fc->client_id, sizeof fc->client_id, "console-%ld", (long)getpid());
	codec_buf_init(&fc->out);
	fc->zctx = zmq_ctx_new();
	if (!fc->zctx) {
		snprintf(err, errsz, "zmq_ctx_new: %s", zmq_strerror(errno));
		feed_client_close(fc);
		return NULL;
	}
	if (sec && sec->curve && !transport_curve_available()) {
		snprintf(err, errsz, "this libzmq has no CURVE support (zmq_has(\"curve\") is false)");
		feed_client_close(fc);
		return NULL;
	}
	fc->sub = open_sock(fc->zctx, ZMQ_SUB, feed_ep, sec, &fc->watch[0], err, errsz);
	fc->dealer = fc->sub ? open_sock(fc->zctx, ZMQ_DEALER, requests_ep, sec, &fc->watch[1], err,
		errsz) : NULL;
	if (!fc->dealer) {
		feed_client_close(fc);
		return NULL;
	}
	fc->state = FEED_CONNECTING;
	fc->need_snapshot = true;
	fc->last_hb_ms = -1;
	fc->latency_ms = -1;
	return fc;
}

void feed_client_close(struct feed_client *fc)
{
	if (!fc)
		return;
	transport_watch_free(fc->watch[0]);
	transport_watch_free(fc->watch[1]);
	if (fc->sub)
		zmq_close(fc->sub);
	if (fc->dealer)
		zmq_close(fc->dealer);
	if (fc->zctx)
		zmq_ctx_term(fc->zctx);
	codec_buf_free(&fc->out);
	free(fc->buf);
	free(fc->bytes);
	free(fc->msg);
	free(fc);
}

static void subscribe_prefix(struct feed_client *fc, enum proto_msg_type t, const char *q)
{
	char topic[PROTO_TOPIC_MAX + 1];
	int n = proto_topic_prefix(t, q, topic, sizeof topic);
	if (n > 0)
		zmq_setsockopt(fc->sub, ZMQ_SUBSCRIBE, topic, (size_t)n);
}

int feed_client_queues(struct feed_client *fc, const char *const *queues, size_t n)
{
	if (n == 0 || n > FEED_QUEUES_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!proto_queue_valid(queues[i], strlen(queues[i])))
			return -1;
	zmq_setsockopt(fc->sub, ZMQ_UNSUBSCRIBE, "", 0);
	for (size_t i = 0; i < n; i++) {
		snprintf(fc->queues[i], sizeof fc->queues[i], "%s", queues[i]);
		subscribe_prefix(fc, PROTO_MSG_CALL_UPDATE, queues[i]);
		subscribe_prefix(fc, PROTO_MSG_SUGGESTION_RAISED, queues[i]);
		subscribe_prefix(fc, PROTO_MSG_DECISION_RECORDED, queues[i]);
	}
	subscribe_prefix(fc, PROTO_MSG_HEARTBEAT, NULL);
	fc->nqueues = n;
	return 0;
}

int feed_client_pub_index(const struct feed_client *fc, const char *pub)
{
	for (int i = 0; i < FEED_PUBS_MAX; i++)
		if (fc->pubs[i].used && strcmp(fc->pubs[i].seq.pub, pub) == 0)
			return i;
	return -1;
}

int feed_client_wait(struct feed_client *fc, int fd, long timeout_ms)
{
	zmq_pollitem_t it[3] = {
		{ fc->sub, 0, ZMQ_POLLIN, 0 },
		{ fc->dealer, 0, ZMQ_POLLIN, 0 },
		{ NULL, fd, ZMQ_POLLIN, 0 },
	};
	int n = zmq_poll(it, fd >= 0 ? 3 : 2, timeout_ms);
	if (n <= 0)
		return 0;
	int mask = 0;
	if ((it[0].revents | it[1].revents) & ZMQ_POLLIN)
		mask |= FEED_WAKE_SOCKETS;
	if (fd >= 0 && (it[2].revents & (ZMQ_POLLIN | ZMQ_POLLERR)))
		mask |= FEED_WAKE_FD;
	return mask;
}

static int send_msg(struct feed_client *fc, struct proto_msg *m)
{
	if (codec_encode_msg(m, &fc->out) != CODEC_OK)
		return -1;
	return zmq_send(fc->dealer, fc->out.data, fc->out.len, ZMQ_DONTWAIT) < 0 ? -1 : 0;
}

/* ---- queues and topics ---- */

static bool queue_wanted(const struct feed_client *fc, const struct proto_msg *m)
{
	const char *q = proto_msg_queue(m);
	if (fc->nqueues == 0 || q == NULL)
		return true;
	for (size_t i = 0; i < fc->nqueues; i++)
		if (strcmp(fc->queues[i], q) == 0)
			return true;
	return false;
}

/* The per-topic counter of p for m's topic (created on first sight). */
static struct topic_seq *topic_of(struct pubst *p, const struct proto_msg *m)
{
	char topic[PROTO_TOPIC_MAX + 1];
	if (proto_topic(m, topic, sizeof topic) < 0)
		return NULL;
	for (size_t i = 0; i < p->ntopics; i++)
		if (strcmp(p->topics[i].topic, topic) == 0)
			return &p->topics[i];
	if (p->ntopics == FEED_TOPICS_MAX)
		return NULL;
	struct topic_seq *t = &p->topics[p->ntopics++];
	snprintf(t->topic, sizeof t->topic, "%s", topic);
	t->last = 0;
	return t;
}

/* Filtered subscription: seq has holes, so gaps are judged by tseq. */
static enum feed_seq_verdict topic_accept(struct pubst *p, const struct proto_msg *m)
{
	if (m->h.seq <= p->seq.last)
		return p->seq.live ? FEED_SEQ_RESTART : FEED_SEQ_OLD;
	struct topic_seq *t = m->h.tseq ? topic_of(p, m) : NULL;
	if (t != NULL && t->last != 0 && m->h.tseq != t->last + 1)
		return FEED_SEQ_GAP;
	if (t != NULL)
		t->last = m->h.tseq;
	p->seq.last = m->h.seq;
	p->seq.live = true;
	return FEED_SEQ_APPLY;
}

/* ---- publishers ---- */

static void pub_init(struct pubst *p, const char *pub, int64_t now_ms)
{
	memset(p, 0, sizeof *p);
	p->used = true;
	p->phase = PUB_NEED;
	snprintf(p->seq.pub, sizeof p->seq.pub, "%s", pub);
	p->last_hb_ms = -1;
	p->last_heard_ms = now_ms;
}

/* The slot of pub, created if new; NULL when the table is full. */
static struct pubst *pub_get(struct feed_client *fc, const char *pub, int64_t now_ms, bool *created)
{
	int i = feed_client_pub_index(fc, pub);
	*created = false;
	if (i >= 0)
		return &fc->pubs[i];
	for (i = 0; i < FEED_PUBS_MAX; i++)
		if (!fc->pubs[i].used) {
			pub_init(&fc->pubs[i], pub, now_ms);
			*created = true;
			return &fc->pubs[i];
		}
	fc->st.pubs_refused++;
	return NULL;
}

static bool all_live(const struct feed_client *fc, bool *any)
{
	*any = false;
	for (int i = 0; i < FEED_PUBS_MAX; i++) {
		if (!fc->pubs[i].used)
			continue;
		*any = true;
		if (fc->pubs[i].phase != PUB_LIVE)
			return false;
	}
	return true;
}

/* ---- snapshots ---- */

/* Ask every publisher (through a proxy: every shard) for a snapshot; live
 * publishers ignore the streams that come back. The same DEALER is reused:
 * a new socket would take a new client slot at the analyzer's ROUTER, and
 * replies to an abandoned request are told apart by their req id. */
static void request_snapshot(struct feed_client *fc, int64_t now_ms)
{
	fc->need_snapshot = false;
	fc->snap_req = ++fc->next_req;
	fc->snap_sent_ms = now_ms;
	for (int i = 0; i < FEED_PUBS_MAX; i++)
		if (fc->pubs[i].used && fc->pubs[i].phase == PUB_STREAM)
			fc->pubs[i].phase = PUB_NEED;   /* its stream belongs to the old req */
	proto_msg_init(fc->msg, PROTO_MSG_SNAPSHOT_REQUEST);
	snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", fc->client_id);
	if (fc->nqueues == 1)
		snprintf(fc->msg->u.snapreq.queue, sizeof fc->msg->u.snapreq.queue, "%s", fc->queues[0]);
	fc->msg->h.req = fc->snap_req;
	send_msg(fc, fc->msg);
}

/* p lost its place. If the outstanding request's stream from p has not
 * begun yet, that stream will do; otherwise (or forced: p appeared after
 * the request went out, so p never got it) ask again. */
static void pub_resync(struct feed_client *fc, struct pubst *p, int64_t now_ms, uint64_t *counter,
	bool force)
{
	if (counter)
		(*counter)++;
	bool streamed = p->stream_req == fc->snap_req;   /* kept after the stream ended */
	p->phase = PUB_NEED;
	if (force || streamed || fc->snap_req == 0 || now_ms - fc->snap_sent_ms >= FEED_SNAPSHOT_TIMEOUT_MS)
		request_snapshot(fc, now_ms);
}

static bool buffer_raw(struct feed_client *fc, const void *data, size_t len, int slot)
{
	if (fc->nbuf >= FEED_BUFFER_MAX || fc->nbytes + len > FEED_BUFFER_BYTES)
		return false;
	if (fc->nbuf == fc->capbuf) {
		size_t nc = fc->capbuf ? fc->capbuf * 2 : 1024;
		struct buffered *b = realloc(fc->buf, nc * sizeof *b);
		if (!b)
			return false;
		fc->buf = b;
		fc->capbuf = nc;
	}
	if (fc->nbytes + len > fc->capbytes) {
		size_t nc = fc->capbytes ? fc->capbytes : 65536;
		while (nc < fc->nbytes + len)
			nc *= 2;
		unsigned char *p = realloc(fc->bytes, nc);
		if (!p)
			return false;
		fc->bytes = p;
		fc->capbytes = nc;
	}
	memcpy(fc->bytes + fc->nbytes, data, len);
	fc->buf[fc->nbuf].off = fc->nbytes;
	fc->buf[fc->nbuf].len = len;
	fc->buf[fc->nbuf].slot = slot;
	fc->nbuf++;
	fc->nbytes += len;
	return true;
}

static void note_timing(struct feed_client *fc, struct pubst *p, const struct proto_msg *m,
	int64_t now_ms, int64_t wall_ms)
{
	p->last_heard_ms = now_ms;
	if (m->type == PROTO_MSG_HEARTBEAT) {
		p->last_hb_ms = now_ms;
		p->hb_interval_ms = m->u.hb.interval_ms;
		fc->st.hb = m->u.hb;
	}
	if (m->h.ts_ms > 0) {
		double lat = (double)(wall_ms - m->h.ts_ms);
		if (lat < 0)
			lat = 0;
		fc->latency_ms = fc->latency_ms < 0 ? lat : fc->latency_ms * 0.9 + lat * 0.1;
	}
}

/* A live feed message of p (already decoded into fc->msg). */
static void apply_live(struct feed_client *fc, struct pubst *p, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	const struct proto_msg *m = fc->msg;
	enum feed_seq_verdict v = fc->nqueues ? topic_accept(p, m) : feed_seq_accept(&p->seq, m->h.pub, m->h.seq);
	switch (v) {
	case FEED_SEQ_APPLY:
		fc->st.seq = m->h.seq;
		cb(ctx, FEED_EV_MSG, m);
		break;
	case FEED_SEQ_OLD:
	case FEED_SEQ_FOREIGN:
		break;
	case FEED_SEQ_GAP:
		pub_resync(fc, p, now_ms, &fc->st.gaps_healed, false);
		break;
	case FEED_SEQ_RESTART:
		pub_resync(fc, p, now_ms, &fc->st.restarts, false);
		break;
	}
}

static void on_feed(struct feed_client *fc, const void *data, size_t len, int64_t now_ms,
	int64_t wall_ms, feed_client_cb cb, void *ctx)
{
	struct proto_msg *m = fc->msg;
	bool created;
	if (codec_decode_msg(data, len, m, NULL) != CODEC_OK || !proto_msg_is_feed(m->type)) {
		fc->st.decode_errors++;
		return;
	}
	fc->st.received++;
	if (!queue_wanted(fc, m))
		fc->st.other_queues++;   /* the publisher should have filtered it */
	struct pubst *p = pub_get(fc, m->h.pub, now_ms, &created);
	if (p == NULL)
		return;
	note_timing(fc, p, m, now_ms, wall_ms);
	/* The SUB delivers one publisher's messages in order, so a seq at or
	 * below the last one seen there means that analyzer restarted (a
	 * snapshot's seq is no guide: older messages may still be in flight). */
	bool back = p->feed_seq != 0 && m->h.seq <= p->feed_seq;
	p->feed_seq = m->h.seq;
	/* A new publisher: an analyzer restarted (new id) or a shard was added. */
	if (created && fc->ever_live)
		pub_resync(fc, p, now_ms, &fc->st.restarts, true);
	else if (back && p->phase == PUB_LIVE)
		pub_resync(fc, p, now_ms, &fc->st.restarts, true);
	if (p->phase != PUB_LIVE) {
		if (!buffer_raw(fc, data, len, (int)(p - fc->pubs))) {
			fc->st.buffered_dropped++;
			p->phase = PUB_NEED;
			request_snapshot(fc, now_ms);   /* the stream in progress misses messages */
		}
		return;
	}
	apply_live(fc, p, now_ms, cb, ctx);
}

/* Apply what was buffered for p while its snapshot streamed. */
static void replay_buffered(struct feed_client *fc, struct pubst *p, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	int slot = (int)(p - fc->pubs);
	for (size_t i = 0; i < fc->nbuf && p->phase == PUB_LIVE; i++) {
		if (fc->buf[i].slot != slot)
			continue;
		fc->buf[i].slot = -1;
		if (codec_decode_msg(fc->bytes + fc->buf[i].off, fc->buf[i].len, fc->msg, NULL) == CODEC_OK)
			apply_live(fc, p, now_ms, cb, ctx);
	}
	bool any;
	if (all_live(fc, &any))
		fc->nbuf = fc->nbytes = 0;
}

static void finish_snapshot(struct feed_client *fc, struct pubst *p, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	const struct proto_msg *end = fc->msg;
	feed_seq_reset(&p->seq, end->h.pub, end->h.seq);
	snprintf(fc->st.pub, sizeof fc->st.pub, "%s", end->h.pub);
	fc->st.seq = end->h.seq;
	cb(ctx, FEED_EV_SNAPSHOT_END, end);
	p->last_hb_ms = now_ms; /* the analyzer just answered: it is alive */
	p->phase = PUB_LIVE;
	fc->ever_live = true;
	fc->st.snapshots++;
	replay_buffered(fc, p, now_ms, cb, ctx);
}

/* One message of a snapshot stream from p. */
static void on_stream(struct feed_client *fc, struct pubst *p, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	const struct proto_msg *m = fc->msg;
	if (p->phase == PUB_LIVE)
		return;   /* this publisher is in sync: its part of the fan-out is not needed */
	switch (m->type) {
	case PROTO_MSG_SNAPSHOT_BEGIN:
		p->phase = PUB_STREAM;
		p->stream_req = m->h.req;
		p->items = 0;
		p->ntopics = 0;
		cb(ctx, FEED_EV_SNAPSHOT_BEGIN, m);
		break;
	case PROTO_MSG_CALL_UPDATE:
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
		if (p->phase != PUB_STREAM)
			break;
		p->items++;
		if (!queue_wanted(fc, m))
			break;   /* several queues: the snapshot could not be filtered */
		struct topic_seq *t = m->h.tseq ? topic_of(p, m) : NULL;
		if (t != NULL)
			t->last = m->h.tseq;
		cb(ctx, FEED_EV_MSG, m);
		break;
	case PROTO_MSG_SNAPSHOT_END:
		if (p->phase != PUB_STREAM)
			break;
		/* A stream missing items (dropped at a full queue) is incomplete:
		 * ask again rather than sweep away what it did not mention. */
		if (p->items != m->u.snap.calls + m->u.snap.suggestions) {
			fc->st.snapshots_incomplete++;
			p->phase = PUB_NEED;
			request_snapshot(fc, now_ms);
			break;
		}
		finish_snapshot(fc, p, now_ms, cb, ctx);
		break;
	default:
		fc->st.decode_errors++;
		break;
	}
}

static void on_reply(struct feed_client *fc, const void *data, size_t len, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	struct proto_msg *m = fc->msg;
	bool created;
	if (codec_decode_msg(data, len, m, NULL) != CODEC_OK) {
		fc->st.decode_errors++;
		return;
	}
	switch (m->type) {
	case PROTO_MSG_DECISION_ACK:
	case PROTO_MSG_CALL_DETAIL:
	case PROTO_MSG_ERROR:
		if (m->h.req == fc->snap_req && m->type == PROTO_MSG_ERROR)
			fc->snap_sent_ms = now_ms - FEED_SNAPSHOT_TIMEOUT_MS + 1000; /* retry soon */
		else
			cb(ctx, FEED_EV_REPLY, m);
		return;
	default:
		break;
	}
	if (m->h.req != fc->snap_req)
		return; /* a reply to an abandoned request */
	struct pubst *p = pub_get(fc, m->h.pub, now_ms, &created);
	if (p != NULL)
		on_stream(fc, p, now_ms, cb, ctx);
}

/* Receive one whole multipart message; returns the last frame in *zm
 * (the body), or false when nothing is waiting. */
static bool recv_last(void *sock, zmq_msg_t *zm, unsigned *frames)
{
	*frames = 0;
	if (zmq_msg_recv(zm, sock, ZMQ_DONTWAIT) < 0)
		return false;
	*frames = 1;
	while (zmq_msg_more(zm)) {
		if (zmq_msg_recv(zm, sock, 0) < 0)
			return false;
		(*frames)++;
	}
	return true;
}

/* A publisher silent this long is gone (a shard removed, an analyzer
 * restarted under a new id): sweep its calls and free its slot. */
static void retire_silent(struct feed_client *fc, int64_t now_ms, feed_client_cb cb, void *ctx)
{
	for (int i = 0; i < FEED_PUBS_MAX; i++) {
		struct pubst *p = &fc->pubs[i];
		if (!p->used || now_ms - p->last_heard_ms < FEED_RETIRE_MS)
			continue;
		proto_msg_init(fc->msg, PROTO_MSG_SNAPSHOT_BEGIN);
		snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", p->seq.pub);
		cb(ctx, FEED_EV_SNAPSHOT_BEGIN, fc->msg);
		proto_msg_init(fc->msg, PROTO_MSG_SNAPSHOT_END);
		snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", p->seq.pub);
		cb(ctx, FEED_EV_SNAPSHOT_END, fc->msg);
		for (size_t k = 0; k < fc->nbuf; k++)
			if (fc->buf[k].slot == i)
				fc->buf[k].slot = -1;
		p->used = false;
		fc->st.retired++;
	}
}

size_t feed_client_process(struct feed_client *fc, int64_t now_ms, int64_t wall_ms,
	size_t budget, feed_client_cb cb, void *ctx)
{
	size_t done = 0;
	zmq_msg_t zm;
	zmq_msg_init(&zm);
	bool more = true;
	retire_silent(fc, now_ms, cb, ctx);
	while (more && done < budget) {
		more = false;
		unsigned frames;
		if (recv_last(fc->dealer, &zm, &frames)) {
			more = true;
			done++;
			on_reply(fc, zmq_msg_data(&zm), zmq_msg_size(&zm), now_ms, cb, ctx);
		}
		if (done < budget && recv_last(fc->sub, &zm, &frames)) {
			more = true;
			done++;
			if (frames == 2)
				on_feed(fc, zmq_msg_data(&zm), zmq_msg_size(&zm), now_ms, wall_ms, cb, ctx);
			else
				fc->st.decode_errors++;
		}
	}
	zmq_msg_close(&zm);
	return done;
}

/* Stale after FEED_STALE_MS, or 1.5 seconds past the heartbeat interval
 * the analyzer announces when that is longer (no flapping). */
static int64_t stale_after(const struct pubst *p)
{
	int64_t iv = p->hb_interval_ms;
	return iv > FEED_STALE_MS - 1500 && iv < 600000 ? iv + 1500 : FEED_STALE_MS;
}

/* The latest handshake outcome over both sockets; a refusal on either
 * wins over an admission on the other (both carry the same key). */
static void take_handshakes(struct feed_client *fc)
{
	struct transport_watch_counts c;
	enum feed_auth a = FEED_AUTH_NONE;
	for (int i = 0; i < 2; i++) {
		if (!fc->watch[i])
			continue;
		transport_watch_wait(fc->watch[i], 0, &c);
		if (c.last == TRANSPORT_HS_REFUSED)
			a = FEED_AUTH_REFUSED;
		else if (c.last == TRANSPORT_HS_FAILED && a != FEED_AUTH_REFUSED)
			a = FEED_AUTH_FAILED;
		else if (c.last == TRANSPORT_HS_ADMITTED && a == FEED_AUTH_NONE)
			a = FEED_AUTH_ADMITTED;
	}
	fc->auth = a;
}

long feed_client_tick(struct feed_client *fc, int64_t now_ms)
{
	take_handshakes(fc);
	bool any, live = all_live(fc, &any);
	if (fc->need_snapshot)
		request_snapshot(fc, now_ms);
	long next = -1;
	if (!live || !any) {
		int64_t due = fc->snap_sent_ms + FEED_SNAPSHOT_TIMEOUT_MS;
		if (now_ms >= due) {
			request_snapshot(fc, now_ms);
			due = now_ms + FEED_SNAPSHOT_TIMEOUT_MS;
		}
		next = (long)(due - now_ms);
	}
	for (int i = 0; i < FEED_PUBS_MAX; i++) {
		const struct pubst *p = &fc->pubs[i];
		if (!p->used || p->last_hb_ms < 0)
			continue;
		int64_t stale_at = p->last_hb_ms + stale_after(p);
		if (stale_at > now_ms && (next < 0 || stale_at - now_ms < next))
			next = (long)(stale_at - now_ms);
	}
	return next;
}

int feed_client_submit(struct feed_client *fc, const struct proto_decision *d)
{
	proto_msg_init(fc->msg, PROTO_MSG_DECISION_SUBMIT);
	snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", fc->client_id);
	fc->msg->h.req = ++fc->next_req;
	fc->msg->u.dec = *d;
	return send_msg(fc, fc->msg);
}

uint64_t feed_client_detail(struct feed_client *fc, const char *call_id)
{
	size_t len = call_id ? strlen(call_id) : 0;
	if (len == 0 || len > UT_ID_MAX)
		return 0;
	proto_msg_init(fc->msg, PROTO_MSG_DETAIL_REQUEST);
	snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", fc->client_id);
	fc->msg->h.req = ++fc->next_req;
	memcpy(fc->msg->u.detreq.call, call_id, len + 1);
	return send_msg(fc, fc->msg) == 0 ? fc->msg->h.req : 0;
}

static void pub_status(const struct pubst *p, int64_t now_ms, bool ever_live, struct feed_pub_status *o)
{
	snprintf(o->pub, sizeof o->pub, "%s", p->seq.pub);
	o->live = p->phase == PUB_LIVE;
	o->seq = p->seq.last;
	o->hb_age_ms = p->last_hb_ms < 0 ? -1 : now_ms - p->last_hb_ms;
	o->stale = p->last_hb_ms < 0 ? ever_live : o->hb_age_ms >= stale_after(p);
}

void feed_client_status(const struct feed_client *fc, int64_t now_ms, struct feed_status *st)
{
	bool any, live = all_live(fc, &any);
	*st = fc->st;
	st->state = live && any ? FEED_LIVE : fc->ever_live ? FEED_SNAPSHOT : FEED_CONNECTING;
	st->ever_live = fc->ever_live;
	st->auth = fc->auth;
	st->npubs = st->stale_pubs = 0;
	st->hb_age_ms = -1;
	st->stale = fc->ever_live;   /* no publisher at all after being live: lost */
	memset(st->pubs, 0, sizeof st->pubs);
	for (int i = 0; i < FEED_PUBS_MAX; i++) {
		if (!fc->pubs[i].used)
			continue;
		pub_status(&fc->pubs[i], now_ms, fc->ever_live, &st->pubs[i]);
		st->npubs++;
		st->stale_pubs += st->pubs[i].stale;
		if (st->pubs[i].hb_age_ms >= 0 && (st->hb_age_ms < 0 || st->pubs[i].hb_age_ms < st->hb_age_ms))
			st->hb_age_ms = st->pubs[i].hb_age_ms;
	}
	if (st->npubs > 0)
		st->stale = st->stale_pubs == st->npubs;
	st->latency_ms = fc->latency_ms < 0 ? -1 : (int64_t)(fc->latency_ms + 0.5);
}
