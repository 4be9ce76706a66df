/*
 * conformance_peer: the C codec's side of the cross-language conformance
 * test (driven by conformance.py, which starts and stops it).
 *
 *   conformance_peer INGEST FEED REQUEST
 *
 * Binds PULL on INGEST, PUB on FEED and ROUTER on REQUEST. Each ingest frame
 * is decoded with jsonio_decode_frame and reported on stdout as
 * "OK <event as JSON>" or "ERR <error name> <key>". Control frames start
 * with a NUL byte: "\0PUBLISH" publishes one of each feed message (the
 * examples of doc/protocol.md), "\0MSG" + body decodes a feed message,
 * request or reply and reports "MSG OK <JSON>" or "MSG ERR <name> <key>",
 * "\0QUIT" exits. Requests are answered as
 * doc/protocol.md section 6 says, with example contents. The peer exits by
 * itself after 60 s or when its parent goes away, so it never lingers.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zmq.h>

#include "undertone/codec.h"
#include "undertone/jsonio.h"
#include "../unit/test_codec_samples.h"

#define LIFETIME_S 60

struct peer {
	void *pull, *pub, *router;
	uint64_t seq;
	struct codec_buf buf, json;
	struct proto_event ev;
	struct proto_msg in, out;
};

static struct peer P;

static int
send_frames(void *sock, const void *a, size_t alen, const void *b, size_t blen)
{
	if (zmq_send(sock, a, alen, ZMQ_SNDMORE) < 0)
		return -1;
	return zmq_send(sock, b, blen, 0) < 0 ? -1 : 0;
}

static void
report_event(const void *data, size_t len)
{
	struct codec_diag d = { "", 0 };
	enum codec_err e = jsonio_decode_frame(data, len, &P.ev, &d);

	if (e == CODEC_OK)
		e = jsonio_encode_event(&P.ev, &P.json);
	if (e == CODEC_OK)
		printf("OK %.*s", (int)P.json.len, P.json.data);
	else
		printf("ERR %s %s\n", codec_err_name(e), d.field[0] ? d.field : "-");
	fflush(stdout);
}

/* "\0MSG" + body: decode a feed message, request or reply and report it. */
static void
report_msg(const void *data, size_t len)
{
	struct codec_diag d = { "", 0 };
	enum codec_err e = codec_decode_msg(data, len, &P.in, &d);

	if (e == CODEC_OK)
		e = jsonio_encode_msg(&P.in, &P.json);
	if (e == CODEC_OK)
		printf("MSG OK %.*s", (int)P.json.len, P.json.data);
	else
		printf("MSG ERR %s %s\n", codec_err_name(e), d.field[0] ? d.field : "-");
	fflush(stdout);
}

static void
publish_all(void)
{
	char topic[PROTO_TOPIC_MAX + 1];
	int t, n;

	for (t = PROTO_MSG_CALL_UPDATE; t <= PROTO_MSG_HEARTBEAT; t++) {
		sample_msg((enum proto_msg_type)t, &P.out);
		P.out.h.seq = ++P.seq;
		n = proto_topic(&P.out, topic, sizeof topic);
		if (n < 0 || codec_encode_msg(&P.out, &P.buf) != CODEC_OK)
			fprintf(stderr, "peer: cannot encode %s\n", proto_msg_type_name((enum proto_msg_type)t));
		else
			send_frames(P.pub, topic, (size_t)n, P.buf.data, P.buf.len);
	}
}

/* Encode P.out and send it to the peer named by id. */
static void
reply(const zmq_msg_t *id)
{
	if (codec_encode_msg(&P.out, &P.buf) != CODEC_OK) {
		fprintf(stderr, "peer: cannot encode reply %s\n", proto_msg_type_name(P.out.type));
		return;
	}
	send_frames(P.router, zmq_msg_data((zmq_msg_t *)id), zmq_msg_size(id), P.buf.data, P.buf.len);
}

static void
reply_header(enum proto_msg_type t, uint64_t req)
{
	sample_msg(t, &P.out);
	P.out.h.req = req;
	P.out.h.seq = P.seq;
	P.out.h.tseq = 0;
}

static void
answer_snapshot(const zmq_msg_t *id)
{
	uint64_t req = P.in.h.req;
	char queue[UT_ID_MAX + 1];

	memcpy(queue, P.in.u.snapreq.queue, sizeof queue);
	reply_header(PROTO_MSG_SNAPSHOT_BEGIN, req);
	P.out.u.snap.calls = 1;
	P.out.u.snap.suggestions = 1;
	memcpy(P.out.u.snap.queue, queue, sizeof queue);
	reply(id);
	reply_header(PROTO_MSG_CALL_UPDATE, req);
	P.out.h.tseq = 42;
	reply(id);
	reply_header(PROTO_MSG_SUGGESTION_RAISED, req);
	P.out.h.tseq = 17;
	reply(id);
	reply_header(PROTO_MSG_SNAPSHOT_END, req);
	P.out.u.snap.calls = 1;
	P.out.u.snap.suggestions = 1;
	memcpy(P.out.u.snap.queue, queue, sizeof queue);
	reply(id);
}

static void
answer_request(const zmq_msg_t *id, const void *data, size_t len)
{
	struct codec_diag d = { "", 0 };
	enum codec_err e = codec_decode_msg(data, len, &P.in, &d);

	if (e == CODEC_OK && P.in.type == PROTO_MSG_SNAPSHOT_REQUEST) {
		answer_snapshot(id);
		return;
	}
	if (e == CODEC_OK && P.in.type == PROTO_MSG_DECISION_SUBMIT) {
		if (jsonio_encode_msg(&P.in, &P.json) == CODEC_OK)
			printf("DECISION %.*s", (int)P.json.len, P.json.data);
		fflush(stdout);
		reply_header(PROTO_MSG_DECISION_ACK, P.in.h.req);
		memcpy(P.out.u.ack.uuid, P.in.u.dec.uuid, sizeof P.out.u.ack.uuid);
		reply(id);
		return;
	}
	reply_header(PROTO_MSG_ERROR, e == CODEC_OK ? P.in.h.req : 0);
	snprintf(P.out.u.ack.code, sizeof P.out.u.ack.code, "%s",
		 e == CODEC_OK ? "unexpected" : "bad_request");
	snprintf(P.out.u.ack.text, sizeof P.out.u.ack.text, "%s %s", codec_err_name(e),
		 d.field[0] ? d.field : "-");
	reply(id);
}

static int
on_ingest(void)
{
	zmq_msg_t m;
	int rc = 0;

	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, P.pull, 0) >= 0) {
		const char *p = zmq_msg_data(&m);
		size_t n = zmq_msg_size(&m);
		if (n == 8 && memcmp(p, "\0PUBLISH", 8) == 0)
			publish_all();
		else if (n >= 4 && memcmp(p, "\0MSG", 4) == 0)
			report_msg(p + 4, n - 4);
		else if (n == 5 && memcmp(p, "\0QUIT", 5) == 0)
			rc = 1;
		else
			report_event(p, n);
	}
	zmq_msg_close(&m);
	return rc;
}

static void
on_request(void)
{
	zmq_msg_t id, body;
	int more;
	size_t sz = sizeof more;

	zmq_msg_init(&id);
	zmq_msg_init(&body);
	if (zmq_msg_recv(&id, P.router, 0) >= 0 &&
	    zmq_getsockopt(P.router, ZMQ_RCVMORE, &more, &sz) == 0 && more &&
	    zmq_msg_recv(&body, P.router, 0) >= 0)
		answer_request(&id, zmq_msg_data(&body), zmq_msg_size(&body));
	/* Drain anything beyond the one body frame a request may have. */
	while (zmq_getsockopt(P.router, ZMQ_RCVMORE, &more, &sz) == 0 && more &&
	       zmq_msg_recv(&body, P.router, 0) >= 0)
		;
	zmq_msg_close(&id);
	zmq_msg_close(&body);
}

static int
serve(pid_t parent)
{
	zmq_pollitem_t items[2] = { { P.pull, 0, ZMQ_POLLIN, 0 }, { P.router, 0, ZMQ_POLLIN, 0 } };
	time_t end = time(NULL) + LIFETIME_S;

	while (time(NULL) < end && getppid() == parent) {
		if (zmq_poll(items, 2, 100) < 0)
			return 1;
		if ((items[0].revents & ZMQ_POLLIN) && on_ingest())
			return 0;
		if (items[1].revents & ZMQ_POLLIN)
			on_request();
	}
	fprintf(stderr, "peer: timed out or orphaned\n");
	return 2;
}

int
main(int argc, char **argv)
{
	void *ctx;
	int rc = 1, linger = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: %s INGEST FEED REQUEST\n", argv[0]);
		return 1;
	}
	ctx = zmq_ctx_new();
	P.pull = zmq_socket(ctx, ZMQ_PULL);
	P.pub = zmq_socket(ctx, ZMQ_PUB);
	P.router = zmq_socket(ctx, ZMQ_ROUTER);
	zmq_setsockopt(P.pub, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(P.router, ZMQ_LINGER, &linger, sizeof linger);
	if (zmq_bind(P.pull, argv[1]) == 0 && zmq_bind(P.pub, argv[2]) == 0 &&
	    zmq_bind(P.router, argv[3]) == 0) {
		printf("READY\n");
		fflush(stdout);
		rc = serve(getppid());
	} else {
		fprintf(stderr, "peer: bind: %s\n", zmq_strerror(zmq_errno()));
	}
	zmq_close(P.pull);
	zmq_close(P.pub);
	zmq_close(P.router);
	zmq_ctx_term(ctx);
	codec_buf_free(&P.buf);
	codec_buf_free(&P.json);
	return rc;
}
