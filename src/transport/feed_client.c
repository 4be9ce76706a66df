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

struct buffered { size_t off, len; };

struct feed_client {
	void *zctx, *sub, *dealer;
	char feed_ep[256], req_ep[256];
	char client_id[UT_ID_MAX + 1];
	enum feed_state state;
	bool ever_live, in_snapshot, need_snapshot;
	struct feed_seq seq;
	struct feed_pubs pubs;
	uint64_t next_req, snap_req;
	uint64_t snap_items;         /* items received in this snapshot */
	int64_t snap_sent_ms;
	int64_t last_hb_ms;          /* monotonic, -1 none */
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

static void *open_sock(void *zctx, int type, const char *ep, const struct transport_security *sec,
	char *err, size_t errsz)
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
	if (zmq_connect(s, ep) != 0) {
		snprintf(err, errsz, "cannot connect to %s: %s", ep, zmq_strerror(errno));
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
	fc->sub = open_sock(fc->zctx, ZMQ_SUB, feed_ep, sec, err, errsz);
	fc->dealer = fc->sub ? open_sock(fc->zctx, ZMQ_DEALER, requests_ep, sec, err, errsz) : NULL;
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

/* Ask (again) for a snapshot. The same DEALER is reused: a new socket would
 * take a new client slot at the analyzer's ROUTER (which caps clients), and
 * replies to an abandoned request are told apart by their req id. */
static void request_snapshot(struct feed_client *fc, int64_t now_ms)
{
	fc->nbuf = fc->nbytes = 0;
	fc->in_snapshot = false;
	fc->need_snapshot = false;
	fc->state = fc->ever_live ? FEED_SNAPSHOT : FEED_CONNECTING;
	fc->snap_req = ++fc->next_req;
	fc->snap_sent_ms = now_ms;
	proto_msg_init(fc->msg, PROTO_MSG_SNAPSHOT_REQUEST);
	snprintf(fc->msg->h.pub, sizeof fc->msg->h.pub, "%s", fc->client_id);
	fc->msg->h.req = fc->snap_req;
	send_msg(fc, fc->msg);
}

static void resnapshot(struct feed_client *fc, int64_t now_ms, uint64_t *counter)
{
	(*counter)++;
	request_snapshot(fc, now_ms);
}

static bool buffer_raw(struct feed_client *fc, const void *data, size_t len)
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
	fc->nbuf++;
	fc->nbytes += len;
	return true;
}

static void note_timing(struct feed_client *fc, const struct proto_msg *m, int64_t now_ms,
	int64_t wall_ms)
{
	if (m->type == PROTO_MSG_HEARTBEAT) {
		fc->last_hb_ms = now_ms;
		fc->st.hb = m->u.hb;
	}
	if (m->h.ts_ms > 0) {
		double lat = (double)(wall_ms - m->h.ts_ms);
		if (lat < 0)
			lat = 0;
		fc->latency_ms = fc->latency_ms < 0 ? lat : fc->latency_ms * 0.9 + lat * 0.1;
	}
}

/* A live feed message (already decoded into fc->msg). */
static void apply_live(struct feed_client *fc, int64_t now_ms, feed_client_cb cb, void *ctx)
{
	const struct proto_msg *m = fc->msg;
	switch (feed_seq_accept(&fc->seq, m->h.pub, m->h.seq)) {
	case FEED_SEQ_APPLY:
		fc->st.seq = m->h.seq;
		cb(ctx, FEED_EV_MSG, m);
		break;
	case FEED_SEQ_OLD:
		break;
	case FEED_SEQ_GAP:
		resnapshot(fc, now_ms, &fc->st.gaps_healed);
		break;
	case FEED_SEQ_RESTART:
		resnapshot(fc, now_ms, &fc->st.restarts);
		break;
	case FEED_SEQ_FOREIGN:
		break;
	}
}

static void on_feed(struct feed_client *fc, const void *data, size_t len, int64_t now_ms,
	int64_t wall_ms, feed_client_cb cb, void *ctx)
{
	struct proto_msg *m = fc->msg;
	if (codec_decode_msg(data, len, m, NULL) != CODEC_OK || !proto_msg_is_feed(m->type)) {
		fc->st.decode_errors++;
		return;
	}
	fc->st.received++;
	bool changed = feed_pubs_note(&fc->pubs, m->h.pub, m->h.seq);
	note_timing(fc, m, now_ms, wall_ms);
	if (fc->state != FEED_LIVE) {
		if (!buffer_raw(fc, data, len)) {
			fc->st.buffered_dropped++;
			request_snapshot(fc, now_ms);
		}
		return;
	}
	/* A publisher we have not heard of, or one whose sequence went back,
	 * while live: the analyzer restarted. */
	if (changed) {
		resnapshot(fc, now_ms, &fc->st.restarts);
		return;
	}
	apply_live(fc, now_ms, cb, ctx);
}

static void finish_snapshot(struct feed_client *fc, int64_t now_ms, feed_client_cb cb, void *ctx)
{
	const struct proto_msg *end = fc->msg;
	feed_seq_reset(&fc->seq, end->h.pub, end->h.seq);
	feed_pubs_note(&fc->pubs, end->h.pub, end->h.seq);
	snprintf(fc->st.pub, sizeof fc->st.pub, "%s", end->h.pub);
	fc->st.seq = end->h.seq;
	cb(ctx, FEED_EV_SNAPSHOT_END, end);
	fc->last_hb_ms = now_ms; /* the analyzer just answered: it is alive */
	fc->state = FEED_LIVE;
	fc->ever_live = true;
	fc->in_snapshot = false;
	fc->st.snapshots++;
	size_t n = fc->nbuf;
	fc->nbuf = 0;
	for (size_t i = 0; i < n && fc->state == FEED_LIVE; i++) {
		if (codec_decode_msg(fc->bytes + fc->buf[i].off, fc->buf[i].len, fc->msg, NULL) != CODEC_OK)
			continue;
		apply_live(fc, now_ms, cb, ctx);
	}
	if (fc->state == FEED_LIVE)
		fc->nbytes = 0;
}

static void on_reply(struct feed_client *fc, const void *data, size_t len, int64_t now_ms,
	feed_client_cb cb, void *ctx)
{
	struct proto_msg *m = fc->msg;
	if (codec_decode_msg(data, len, m, NULL) != CODEC_OK) {
		fc->st.decode_errors++;
		return;
	}
	switch (m->type) {
	case PROTO_MSG_CALL_DETAIL:
	case PROTO_MSG_DECISION_ACK:
	case PROTO_MSG_ERROR:
		if (m->h.req == fc->snap_req && m->type == PROTO_MSG_ERROR)
			fc->snap_sent_ms = now_ms - FEED_SNAPSHOT_TIMEOUT_MS + 1000; /* retry soon */
		else
			cb(ctx, FEED_EV_REPLY, m);
		return;
	default:
		break;
	}
	if (m->h.req != fc->snap_req || fc->state == FEED_LIVE)
		return; /* a reply to an abandoned request */
	switch (m->type) {
	case PROTO_MSG_SNAPSHOT_BEGIN:
		fc->in_snapshot = true;
		fc->snap_items = 0;
		cb(ctx, FEED_EV_SNAPSHOT_BEGIN, m);
		break;
	case PROTO_MSG_CALL_UPDATE:
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
		if (fc->in_snapshot) {
			fc->snap_items++;
			cb(ctx, FEED_EV_MSG, m);
		}
		break;
	case PROTO_MSG_SNAPSHOT_END:
		if (!fc->in_snapshot)
			break;
		/* A stream missing items (dropped at a full queue) is incomplete:
		 * ask again rather than sweep away what it did not mention. */
		if (fc->snap_items != m->u.snap.calls + m->u.snap.suggestions) {
			fc->st.snapshots_incomplete++;
			request_snapshot(fc, now_ms);
			break;
		}
		finish_snapshot(fc, now_ms, cb, ctx);
		break;
	default:
		fc->st.decode_errors++;
		break;
	}
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

size_t feed_client_process(struct feed_client *fc, int64_t now_ms, int64_t wall_ms,
	size_t budget, feed_client_cb cb, void *ctx)
{
	size_t done = 0;
	zmq_msg_t zm;
	zmq_msg_init(&zm);
	bool more = true;
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

/* Stale after FEED_STALE_MS, or two seconds past the heartbeat interval
 * the analyzer announces when that is longer (no flapping). */
static int64_t stale_after(const struct feed_client *fc)
{
	int64_t iv = fc->st.hb.interval_ms;
	return iv > FEED_STALE_MS - 2000 && iv < 600000 ? iv + 2000 : FEED_STALE_MS;
}

long feed_client_tick(struct feed_client *fc, int64_t now_ms)
{
	if (fc->need_snapshot)
		request_snapshot(fc, now_ms);
	long next = -1;
	if (fc->state != FEED_LIVE) {
		int64_t due = fc->snap_sent_ms + FEED_SNAPSHOT_TIMEOUT_MS;
		if (now_ms >= due) {
			request_snapshot(fc, now_ms);
			due = now_ms + FEED_SNAPSHOT_TIMEOUT_MS;
		}
		next = (long)(due - now_ms);
	}
	if (fc->last_hb_ms >= 0) {
		int64_t stale_at = fc->last_hb_ms + stale_after(fc);
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

void feed_client_status(const struct feed_client *fc, int64_t now_ms, struct feed_status *st)
{
	*st = fc->st;
	st->state = fc->state;
	st->ever_live = fc->ever_live;
	st->hb_age_ms = fc->last_hb_ms < 0 ? -1 : now_ms - fc->last_hb_ms;
	st->stale = fc->last_hb_ms < 0 ? fc->ever_live : st->hb_age_ms >= stale_after(fc);
	st->latency_ms = fc->latency_ms < 0 ? -1 : (int64_t)(fc->latency_ms + 0.5);
}
