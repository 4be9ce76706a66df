/* undertone-proxy broker: snapshot fan-out, decision routing by call hash,
 * and the optional ingest router (proxy.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "undertone/shard.h"
#include "proxy.h"
#include "undertone/timing.h"

struct pending {
	bool used, delimited;          /* console used an empty delimiter (REQ) */
	uint64_t id, console_req;
	unsigned waiting;              /* shards that have not finished replying */
	int64_t started;
	size_t idlen;
	unsigned char ident[TRANSPORT_IDENTITY_MAX];
};

struct proxy_broker {
	const struct proxy_config *c;
	struct transport_sock *router, *pull;
	struct transport_sock *dealer[PROXY_SHARDS_MAX], *push[PROXY_SHARDS_MAX];
	struct transport_msg in;
	struct codec_buf out;
	struct proto_msg *msg;         /* large: reused */
	struct proto_event *ev;
	struct pending pend[PROXY_PENDING_MAX];
	uint64_t next_id;
	struct proxy_broker_stats st;
};

static struct transport_sock *
open_one(struct transport *t, const struct proxy_config *c, enum transport_kind k,
    const char *ep, bool bind, char *err, size_t errlen)
{
	struct transport_limits lim;
	struct transport_sock *s;

	transport_limits_default(k, &lim);
	/* Binding sides serve consoles (ROUTER) or integrations (PULL), each
	 * admitted by its role in the allow-list; connecting sides are clients
	 * of the analyzers. */
	lim.security = bind ? c->server_sec : c->client_sec;
	if (bind && lim.security.curve)
		snprintf(lim.security.zap_domain, sizeof(lim.security.zap_domain), "%s",
		    k == TRANSPORT_PULL ? TRANSPORT_ZAP_DOMAIN_INGEST : TRANSPORT_ZAP_DOMAIN_CONSOLE);
	if (k == TRANSPORT_ROUTER || k == TRANSPORT_DEALER || k == TRANSPORT_PUSH)
		lim.sndhwm = lim.rcvhwm = c->sndhwm;   /* snapshots are streams; ingest bursts */
	if (k == TRANSPORT_PULL)
		lim.max_frames = 1;
	s = transport_open(t, k, ep, bind, &lim, err, errlen);
	transport_security_clear(&lim.security);
	return s;
}

struct proxy_broker *
proxy_broker_new(struct transport *t, const struct proxy_config *c, char *err, size_t errlen)
{
	struct proxy_broker *b = calloc(1, sizeof(*b));
	unsigned i;

	if (b == NULL || (b->msg = malloc(sizeof(*b->msg))) == NULL || (b->ev = malloc(sizeof(*b->ev))) == NULL) {
		snprintf(err, errlen, "out of memory");
		proxy_broker_free(b);
		return NULL;
	}
	b->c = c;
	codec_buf_init(&b->out);
	if ((b->router = open_one(t, c, TRANSPORT_ROUTER, c->requests, true, err, errlen)) == NULL)
		goto fail;
	for (i = 0; i < c->nshards; i++)
		if ((b->dealer[i] = open_one(t, c, TRANSPORT_DEALER, c->shard[i].requests, false, err, errlen)) == NULL)
			goto fail;
	if (c->ingest[0] == '\0')
		return b;
	if ((b->pull = open_one(t, c, TRANSPORT_PULL, c->ingest, true, err, errlen)) == NULL)
		goto fail;
	for (i = 0; i < c->nshards; i++)
		if ((b->push[i] = open_one(t, c, TRANSPORT_PUSH, c->shard[i].ingest, false, err, errlen)) == NULL)
			goto fail;
	return b;
fail:
	proxy_broker_free(b);
	return NULL;
}

void
proxy_broker_free(struct proxy_broker *b)
{
	unsigned i;

	if (b == NULL)
		return;
	transport_close(b->router);
	transport_close(b->pull);
	for (i = 0; i < PROXY_SHARDS_MAX; i++) {
		transport_close(b->dealer[i]);
		transport_close(b->push[i]);
	}
	transport_msg_free(&b->in);
	codec_buf_free(&b->out);
	free(b->msg);
	free(b->ev);
	free(b);
}

const struct proxy_broker_stats *
proxy_broker_stats(const struct proxy_broker *b)
{
	return &b->st;
}

/* ---- replies to consoles ---- */

static void
to_console(struct proxy_broker *b, const unsigned char *ident, size_t idlen, bool delimited,
    const struct proto_msg *m)
{
	const void *fr[3];
	size_t ln[3];
	unsigned n = 0;

	if (codec_encode_msg(m, &b->out) != CODEC_OK) {
		b->st.bad_replies++;
		return;
	}
	fr[n] = ident; ln[n++] = idlen;
	if (delimited) { fr[n] = ""; ln[n++] = 0; }
	fr[n] = b->out.data; ln[n++] = b->out.len;
	if (transport_send(b->router, fr, ln, n, false) != TRANSPORT_OK)
		b->st.reply_dropped++;   /* the console re-asks (protocol 6.1) */
	else
		b->st.replies++;
}

static void
console_error(struct proxy_broker *b, const unsigned char *ident, size_t idlen, bool delimited,
    uint64_t req, const char *code, const char *text)
{
	struct proto_msg *m = b->msg;

	proto_msg_init(m, PROTO_MSG_ERROR);
	snprintf(m->h.pub, sizeof(m->h.pub), "undertone-proxy");
	m->h.req = req;
	m->h.ts_ms = timing_wall_ms();
	snprintf(m->u.ack.code, sizeof(m->u.ack.code), "%s", code);
	snprintf(m->u.ack.text, sizeof(m->u.ack.text), "%s", text);
	to_console(b, ident, idlen, delimited, m);
}

/* ---- pending requests ---- */

static struct pending *
pending_new(struct proxy_broker *b, const unsigned char *ident, size_t idlen, bool delimited,
    uint64_t console_req, unsigned waiting)
{
	size_t i;
	struct pending *p;

	for (i = 0; i < PROXY_PENDING_MAX; i++)
		if (!b->pend[i].used)
			break;
	if (i == PROXY_PENDING_MAX)
		return NULL;
	p = &b->pend[i];
	p->used = true;
	p->delimited = delimited;
	p->id = ++b->next_id;
	p->console_req = console_req;
	p->waiting = waiting;
	p->started = transport_now_ms();
	p->idlen = idlen;
	memcpy(p->ident, ident, idlen);
	b->st.pending++;
	return p;
}

static struct pending *
pending_find(struct proxy_broker *b, uint64_t id)
{
	size_t i;

	for (i = 0; i < PROXY_PENDING_MAX; i++)
		if (b->pend[i].used && b->pend[i].id == id)
			return &b->pend[i];
	return NULL;
}

static void
pending_done(struct proxy_broker *b, struct pending *p)
{
	p->used = false;
	b->st.pending--;
}

static void
pending_expire(struct proxy_broker *b, int64_t now)
{
	size_t i;

	for (i = 0; i < PROXY_PENDING_MAX; i++)
		if (b->pend[i].used && now - b->pend[i].started > PROXY_PENDING_MS) {
			pending_done(b, &b->pend[i]);
			b->st.expired++;
		}
}

/* ---- requests from consoles ---- */

static bool
to_shard(struct proxy_broker *b, unsigned i, const struct proto_msg *m)
{
	const void *fr[1];
	size_t ln[1];

	if (codec_encode_msg(m, &b->out) != CODEC_OK)
		return false;
	fr[0] = b->out.data;
	ln[0] = b->out.len;
	if (transport_send(b->dealer[i], fr, ln, 1, false) == TRANSPORT_OK)
		return true;
	b->st.shard_unavailable++;
	return false;
}

/* The call a request is about ("" for a snapshot, which every shard answers). */
static const char *
request_call(const struct proto_msg *m)
{
	switch (m->type) {
	case PROTO_MSG_DECISION_SUBMIT: return m->u.dec.call;
	case PROTO_MSG_DETAIL_REQUEST: return m->u.detreq.call;
	default: return "";
	}
}

static void
forward_request(struct proxy_broker *b, const unsigned char *ident, size_t idlen, bool delimited)
{
	struct proto_msg *m = b->msg;
	bool snap = m->type == PROTO_MSG_SNAPSHOT_REQUEST;
	unsigned first = snap ? 0 : shard_of(request_call(m), b->c->nshards);
	unsigned last = snap ? b->c->nshards : first + 1, i, sent = 0;
	struct pending *p = pending_new(b, ident, idlen, delimited, m->h.req, last - first);
	uint64_t req = m->h.req;

	if (p == NULL) {
		b->st.busy++;
		console_error(b, ident, idlen, delimited, req, "busy", "proxy: too many requests in flight");
		return;
	}
	if (snap)
		b->st.snapshots++;
	else if (m->type == PROTO_MSG_DECISION_SUBMIT)
		b->st.decisions++;
	else
		b->st.details++;
	m->h.req = p->id;
	for (i = first; i < last; i++)
		sent += to_shard(b, i, m);
	p->waiting = sent;
	if (sent == 0) {
		pending_done(b, p);
		console_error(b, ident, idlen, delimited, req, "unavailable", "proxy: no shard reachable");
	}
}

static void
on_request(struct proxy_broker *b)
{
	const unsigned char *ident, *body;
	size_t idlen, blen, mid = 0;
	bool delimited = b->in.nframes == 3;
	enum codec_err ce;

	ident = transport_msg_frame(&b->in, 0, &idlen);
	if (delimited)
		transport_msg_frame(&b->in, 1, &mid);
	if (b->in.nframes < 2 || b->in.nframes > 3 || mid != 0) {
		b->st.bad_requests++;
		return;
	}
	body = transport_msg_frame(&b->in, b->in.nframes - 1, &blen);
	b->st.requests++;
	ce = codec_decode_msg(body, blen, b->msg, NULL);
	if (ce != CODEC_OK || !proto_msg_is_request(b->msg->type)) {
		b->st.bad_requests++;
		console_error(b, ident, idlen, delimited, ce == CODEC_OK ? b->msg->h.req : 0,
		    ce != CODEC_OK ? codec_err_name(ce) : "not_request",
		    ce != CODEC_OK ? codec_strerror(ce) : "only snapshot_request and decision_submit");
		return;
	}
	forward_request(b, ident, idlen, delimited);
}

/* ---- replies from shards ---- */

static bool
ends_stream(const struct proto_msg *m)
{
	return m->type == PROTO_MSG_SNAPSHOT_END || m->type == PROTO_MSG_DECISION_ACK ||
	    m->type == PROTO_MSG_CALL_DETAIL || m->type == PROTO_MSG_ERROR;
}

static void
on_reply(struct proxy_broker *b)
{
	const unsigned char *body;
	size_t blen;
	struct pending *p;

	body = transport_msg_frame(&b->in, b->in.nframes - 1, &blen);
	if (b->in.nframes != 1 || codec_decode_msg(body, blen, b->msg, NULL) != CODEC_OK) {
		b->st.bad_replies++;
		return;
	}
	if ((p = pending_find(b, b->msg->h.req)) == NULL) {
		b->st.stale_replies++;   /* expired, or an error with req 0 */
		return;
	}
	b->msg->h.req = p->console_req;
	to_console(b, p->ident, p->idlen, p->delimited, b->msg);
	if (ends_stream(b->msg) && --p->waiting == 0)
		pending_done(b, p);
}

/* ---- ingest routing ---- */

static void
on_ingest(struct proxy_broker *b)
{
	const unsigned char *body;
	size_t blen;
	unsigned i, waited;
	const void *fr[1];
	const struct timespec tenth_ms = { 0, 100000 };

	body = transport_msg_frame(&b->in, 0, &blen);
	if (codec_decode_event(body, blen, b->ev, NULL) != CODEC_OK) {
		b->st.ingest_bad++;   /* the analyzers would reject it too */
		return;
	}
	i = shard_of(b->ev->call, b->c->nshards);
	fr[0] = body;
	/* A busy shard slows ingest down (the integration's PUSH then waits:
	 * back-pressure, nothing lost); a shard stuck for PROXY_INGEST_WAIT_MS
	 * loses the event, counted, so it cannot stall the others for ever. */
	for (waited = 0; waited < PROXY_INGEST_WAIT_MS * 10; waited++) {
		if (transport_send(b->push[i], fr, &blen, 1, false) == TRANSPORT_OK) {
			b->st.ingest_routed[i]++;
			return;
		}
		nanosleep(&tenth_ms, NULL);
	}
	b->st.ingest_dropped++;
}

/* ---- loop ---- */

static void
drain(struct proxy_broker *b, struct transport_sock *s, void (*fn)(struct proxy_broker *))
{
	int n, rc;

	for (n = 0; n < 1024; n++) {
		rc = transport_recv(s, &b->in, false);
		if (rc == TRANSPORT_AGAIN || rc == TRANSPORT_E_INTR || rc == TRANSPORT_E_SYS)
			return;
		if (rc == TRANSPORT_OK)
			fn(b);
		else if (s == b->router)
			b->st.bad_requests++;   /* too many frames, client cap */
		else
			b->st.bad_replies++;
	}
}

void
proxy_broker_run(struct proxy_broker *b, volatile sig_atomic_t *stop, void (*tick)(void *ud), void *ud)
{
	struct transport_sock *socks[PROXY_SHARDS_MAX + 2];
	bool ready[PROXY_SHARDS_MAX + 2];
	unsigned n = 0, i;
	int rc;

	socks[n++] = b->router;
	for (i = 0; i < b->c->nshards; i++)
		socks[n++] = b->dealer[i];
	if (b->pull != NULL)
		socks[n++] = b->pull;
	while (!*stop) {
		rc = transport_poll(socks, n, ready, 100);
		if (rc == TRANSPORT_E_SYS)
			break;
		for (i = 0; rc > 0 && i < n; i++) {
			if (!ready[i])
				continue;
			drain(b, socks[i], socks[i] == b->router ? on_request :
			    socks[i] == b->pull ? on_ingest : on_reply);
		}
		pending_expire(b, transport_now_ms());
		tick(ud);
	}
}
