/* undertone-analyzer run: the live daemon (sockets, options, main loop). */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "undertone/config.h"
#include "undertone/jsonio.h"
#include "undertone/transport.h"
#include "commands.h"
#include "engine.h"
#include "private_file.h"
#include "roster.h"
#include "undertone/timing.h"

#define INGEST_BATCH   1024   /* ingest messages per loop turn */
#define REQUEST_BATCH  64     /* requests per loop turn */
#define RETAIN_MS      60000  /* ended calls kept for late events and snapshots */
#define ROSTER_SAVE_MS 2000   /* the roster is rewritten at most this often, when it changed */
#define LOG_PER_S      10     /* reject lines per second */

static volatile sig_atomic_t stop;
static volatile sig_atomic_t reload;   /* SIGHUP: re-read the client allow-list */

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

struct daemon {
	struct config_analyzer *cfg;
	struct policy policy;
	struct engine *eng;
	struct transport *t;
	struct transport_sock *pull, *pub, *router;
	struct transport_zap *zap;     /* secure mode: the ZAP handler (issue 8) */
	struct transport_security sec; /* secure mode: the server's key pair */
	struct codec_buf buf;
	struct transport_msg in;
	struct proto_msg *req;
	FILE *out;                     /* --output: feed messages as NDJSON */
	const char *replay;
	bool quiet;
	uint64_t encode_errors;
	/* the request being answered (snapshot streaming) */
	const unsigned char *peer;
	size_t peer_len;
	bool delimited;
	/* --roster: live calls kept across restarts */
	uint64_t roster_gen;           /* engine_roster_gen() at the last good save */
	int64_t roster_due;            /* mono ms of the next save check */
	bool roster_failing;           /* the last save failed (reported once) */
	int64_t replay_hb;             /* replay: real time of the next heartbeat */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-analyzer [run] [OPTIONS]\n"
	    "Live analyzer: ingest call events, keep per-call sentiment and frustration,\n"
	    "publish updates and suggestions to consoles. It only suggests; it never acts.\n"
	    "  --ingest EP       PULL endpoint for events (default %s)\n"
	    "  --publish EP      PUB endpoint for consoles (default %s)\n"
	    "  --requests EP     ROUTER endpoint: snapshots, decisions (default %s)\n"
	    "  --replay FILE|-   read NDJSON events instead of --ingest, then exit\n"
	    "  --output FILE|-   also write every feed message as NDJSON\n"
	    "  --policy FILE     suggestion rules (default: built-in policy)\n"
	    "  --config FILE     analyzer configuration (undertone-analyzer.conf(5))\n"
	    "  --trend-len N     trend points kept per call (default 120)\n"
	    "  --rate R          max updates per call per second (default 4)\n"
	    "  --max-calls N     calls tracked at once\n"
	    "  --abandon-after D no events for D (e.g. 120s, 5m): call abandoned\n"
	    "  --roster FILE     keep the live calls in FILE; resume them after a restart\n"
	    "  --pub-id ID       publisher id (default: host-pid-time)\n"
	    "  --shard I/N       keep only calls with FNV-1a-64(call id) mod N == I\n"
	    "  --secret-key FILE secure mode: the analyzer's CURVE secret key file\n"
	    "  --client-keys DIR secure mode: allow-list of console/feed public keys\n"
	    "  --print-config    print the effective configuration and exit\n"
	    "  --quiet           no reject log on stderr\n"
	    "SIGINT/SIGTERM stop it cleanly; SIGHUP re-reads the allow-list.\n"
	    "See undertone-analyzer(1) and doc/security.md.\n",
	    PROTO_INGEST_ENDPOINT, PROTO_FEED_ENDPOINT, PROTO_REQUEST_ENDPOINT);
}

/* ---- output ---- */

static int
send_feed(void *ud, const struct proto_msg *m)
{
	struct daemon *d = ud;
	char topic[PROTO_TOPIC_MAX + 1];
	const void *fr[2];
	size_t ln[2];
	int tl;

	if (d->out != NULL && jsonio_encode_msg(m, &d->buf) == CODEC_OK)
		fwrite(d->buf.data, 1, d->buf.len, d->out);
	if (d->pub == NULL)
		return 0;
	tl = proto_topic(m, topic, sizeof(topic));
	if (tl < 0 || codec_encode_msg(m, &d->buf) != CODEC_OK) {
		d->encode_errors++;
		return 0;
	}
	fr[0] = topic;
	ln[0] = (size_t)tl;
	fr[1] = d->buf.data;
	ln[1] = d->buf.len;
	transport_send(d->pub, fr, ln, 2, false);   /* PUB drops at the HWM */
	return 0;
}

/* Reply to the peer of the current request, keeping its envelope shape. */
static int
send_reply(void *ud, const struct proto_msg *m)
{
	struct daemon *d = ud;
	const void *fr[3];
	size_t ln[3];
	unsigned n = 0;

	if (codec_encode_msg(m, &d->buf) != CODEC_OK) {
		d->encode_errors++;
		return 0;
	}
	fr[n] = d->peer;
	ln[n++] = d->peer_len;
	if (d->delimited) {
		fr[n] = "";
		ln[n++] = 0;
	}
	fr[n] = d->buf.data;
	ln[n++] = d->buf.len;
	return transport_send(d->router, fr, ln, n, false) == TRANSPORT_OK ? 0 : -1;
}

static void
reply_status(struct daemon *d, enum proto_msg_type type, uint64_t req, const struct proto_ack *ack)
{
	struct proto_msg *m = d->req;

	proto_msg_init(m, type);
	m->u.ack = *ack;
	m->h.req = req;
	m->h.seq = engine_seq(d->eng);
	m->h.ts_ms = timing_wall_ms();
	snprintf(m->h.pub, sizeof(m->h.pub), "%s", engine_pub(d->eng));
	send_reply(d, m);
}

/* ---- requests ---- */

static void
reply_error(struct daemon *d, uint64_t req, const char *code, const char *text)
{
	struct proto_ack a;

	memset(&a, 0, sizeof(a));
	snprintf(a.code, sizeof(a.code), "%s", code);
	snprintf(a.text, sizeof(a.text), "%s", text);
	reply_status(d, PROTO_MSG_ERROR, req, &a);
}

static void
handle_request(struct daemon *d, const unsigned char *body, size_t len, int64_t mono)
{
	struct proto_ack ack;
	enum codec_err ce = codec_decode_msg(body, len, d->req, NULL);
	uint64_t req = d->req->h.req;

	if (ce != CODEC_OK || !proto_msg_is_request(d->req->type)) {
		engine_reject(d->eng, ENGINE_R_BAD_REQUEST, NULL,
		    ce != CODEC_OK ? codec_err_name(ce) : "not a request", mono);
		reply_error(d, ce == CODEC_OK ? req : 0, ce != CODEC_OK ? codec_err_name(ce) : "not_request",
		    ce != CODEC_OK ? codec_strerror(ce) : "only snapshot_request, decision_submit, detail_request");
		return;
	}
	if (d->req->type == PROTO_MSG_DETAIL_REQUEST) {
		char call[UT_ID_MAX + 1];
		memcpy(call, d->req->u.detreq.call, sizeof(call));
		if (engine_detail(d->eng, call, req, timing_wall_ms(), mono, d->req) == 0)
			send_reply(d, d->req);
		else
			reply_error(d, req, "unknown_call", "no such call on this analyzer");
		return;
	}
	if (d->req->type == PROTO_MSG_SNAPSHOT_REQUEST) {
		char queue[UT_ID_MAX + 1];
		memcpy(queue, d->req->u.snapreq.queue, sizeof(queue));
		if (engine_snapshot(d->eng, queue, req, timing_wall_ms(), send_reply, d) < 0 && !d->quiet)
			fprintf(stderr, "undertone-analyzer: snapshot to a client aborted (its queue is full)\n");
		return;
	}
	engine_decision(d->eng, &d->req->u.dec, timing_wall_ms(), mono, &ack);
	reply_status(d, PROTO_MSG_DECISION_ACK, req, &ack);
}

static void
drain_requests(struct daemon *d, int64_t mono)
{
	const unsigned char *body;
	size_t blen, mid;
	int i, rc;

	for (i = 0; i < REQUEST_BATCH; i++) {
		rc = transport_recv(d->router, &d->in, false);
		if (rc == TRANSPORT_AGAIN || rc == TRANSPORT_E_INTR || rc == TRANSPORT_E_SYS)
			return;
		d->peer = transport_msg_frame(&d->in, 0, &d->peer_len);
		d->delimited = d->in.nframes == 3;
		if (rc == TRANSPORT_E_CLIENTS) {
			engine_reject(d->eng, ENGINE_R_CLIENT_CAP, NULL, NULL, mono);
			reply_error(d, 0, "busy", "too many clients; retry later");
			continue;
		}
		if (rc != TRANSPORT_OK || d->in.nframes < 2 ||
		    (d->delimited && (transport_msg_frame(&d->in, 1, &mid), mid != 0))) {
			engine_reject(d->eng, rc == TRANSPORT_E_FRAMES ? ENGINE_R_FRAMES : ENGINE_R_BAD_REQUEST,
			    NULL, "request envelope", mono);
			continue;
		}
		body = transport_msg_frame(&d->in, d->in.nframes - 1, &blen);
		handle_request(d, body, blen, mono);
	}
}

static void
drain_ingest(struct daemon *d, int64_t mono)
{
	const unsigned char *p;
	size_t len;
	int i, rc;
	int64_t wall = timing_wall_ms();

	for (i = 0; i < INGEST_BATCH; i++) {
		rc = transport_recv(d->pull, &d->in, false);
		if (rc == TRANSPORT_E_FRAMES) {
			engine_reject(d->eng, ENGINE_R_FRAMES, NULL, "one frame per event", mono);
			continue;
		}
		if (rc != TRANSPORT_OK)
			return;
		p = transport_msg_frame(&d->in, 0, &len);
		engine_frame(d->eng, p, len, wall, mono);
	}
}

/* ---- setup ---- */

static void
policy_diag(void *ud, enum policy_diag_level level, const char *file, int line, const char *msg)
{
	(void)ud;
	fprintf(stderr, "undertone-analyzer: %s:%d: %s%s\n", file, line,
	    level == POLICY_DIAG_ERROR ? "error: " : "", msg);
}

/* Secure mode (issue 8): load the key pair and start the ZAP handler
 * before any socket is bound, so no client is ever admitted unchecked. */
static int
start_security(struct daemon *d, char *err, size_t errlen)
{
	const struct config_analyzer *c = d->cfg;
	bool have_secret = c->server_secret_key[0] != '\0';

	if (!have_secret && c->client_keys_dir[0] == '\0' && c->server_public_key[0] == '\0')
		return 0;
	if (!have_secret || c->client_keys_dir[0] == '\0') {
		snprintf(err, errlen, "secure mode needs both [security] server_secret_key and "
		    "client_keys_dir (--secret-key, --client-keys)");
		return -1;
	}
	if (transport_security_server(&d->sec, c->server_secret_key, c->server_public_key,
	    err, errlen) != 0)
		return -1;
	d->zap = transport_zap_start(d->t, c->client_keys_dir, d->quiet ? NULL : stderr, err, errlen);
	return d->zap != NULL ? 0 : -1;
}

/* Secure mode: failed handshakes (plaintext clients) are counted and logged too. */
static int
watch(struct daemon *d, struct transport_sock *s, char *err, size_t errlen)
{
	return d->zap != NULL ? transport_zap_watch(d->zap, s, err, errlen) : 0;
}

static int
open_sockets(struct daemon *d, char *err, size_t errlen)
{
	struct transport_limits lim;
	const struct config_analyzer *c = d->cfg;

	if ((d->t = transport_new(err, errlen)) == NULL || start_security(d, err, errlen) != 0)
		return -1;
	transport_limits_default(TRANSPORT_PUB, &lim);
	lim.security = d->sec;
	snprintf(lim.security.zap_domain, sizeof(lim.security.zap_domain), "%s",
	    TRANSPORT_ZAP_DOMAIN_CONSOLE);
	lim.sndhwm = (int)c->send_hwm;
	if ((d->pub = transport_open(d->t, TRANSPORT_PUB, c->publish, true, &lim, err, errlen)) == NULL ||
	    watch(d, d->pub, err, errlen) != 0)
		return -1;
	transport_limits_default(TRANSPORT_ROUTER, &lim);
	lim.security = d->sec;
	snprintf(lim.security.zap_domain, sizeof(lim.security.zap_domain), "%s",
	    TRANSPORT_ZAP_DOMAIN_CONSOLE);
	lim.max_clients = c->max_clients;
	lim.max_msg = c->max_msg_bytes;
	/* A snapshot is one message per call and per open suggestion. */
	lim.sndhwm = (int)(c->max_calls * 2u + c->max_suggestions + 1024u);
	if ((d->router = transport_open(d->t, TRANSPORT_ROUTER, c->requests, true, &lim, err, errlen)) == NULL ||
	    watch(d, d->router, err, errlen) != 0)
		return -1;
	if (d->replay != NULL)
		return 0;
	transport_limits_default(TRANSPORT_PULL, &lim);
	lim.security = d->sec;
	snprintf(lim.security.zap_domain, sizeof(lim.security.zap_domain), "%s",
	    TRANSPORT_ZAP_DOMAIN_INGEST);
	lim.max_frames = 1;
	lim.max_msg = c->max_msg_bytes;
	d->pull = transport_open(d->t, TRANSPORT_PULL, c->ingest, true, &lim, err, errlen);
	transport_security_clear(&lim.security);
	return d->pull != NULL ? watch(d, d->pull, err, errlen) : -1;
}

static void
default_pub_id(char *out, size_t cap)
{
	char host[64] = "analyzer";

	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	snprintf(out, cap, "%.24s-%ld-%llx", host, (long)getpid(),
	    (unsigned long long)(timing_wall_ms() & 0xffffffffffull));
}

static int
start_engine(struct daemon *d, const char *pub_id, const struct shard_spec *shard)
{
	struct engine_config ec;
	char err[256];
	int i;

	memset(&ec, 0, sizeof(ec));
	/* Settings given in the config file or on the command line override the
	 * policy's tunables; defaults leave the policy's values alone. */
	for (i = 0; i < UT_FC__COUNT; i++)
		if (d->cfg->origin[CONFIG_A_WEIGHT_FIRST + i].kind != CONFIG_FROM_DEFAULT)
			d->policy.sig.weight[i] = (float)d->cfg->weights[i];
	if (d->cfg->origin[CONFIG_A_SILENCE_TIMEOUT_MS].kind != CONFIG_FROM_DEFAULT) {
		d->policy.sig.silence_start_s = (float)d->cfg->silence_timeout_ms / 1000.0f;
		if (d->policy.sig.silence_full_s < d->policy.sig.silence_start_s * 2)
			d->policy.sig.silence_full_s = d->policy.sig.silence_start_s * 2;
	}
	ec.policy = &d->policy;
	ec.lex = lexicon_builtin();
	if (pub_id != NULL)
		snprintf(ec.pub, sizeof(ec.pub), "%s", pub_id);
	else
		default_pub_id(ec.pub, sizeof(ec.pub));
	ec.trend_len = d->cfg->trend_length;
	ec.rate = d->cfg->coalesce_rate;
	ec.max_calls = d->cfg->max_calls;
	ec.max_suggestions = d->cfg->max_suggestions;
	ec.abandon_ms = d->cfg->abandon_timeout_ms;
	ec.retain_ms = RETAIN_MS;
	ec.heartbeat_ms = d->cfg->heartbeat_ms;
	ec.event_clock = d->replay != NULL;
	ec.log = d->quiet ? NULL : stderr;
	ec.log_per_s = LOG_PER_S;
	ec.shard = *shard;
	d->eng = engine_new(&ec, send_feed, d, err, sizeof(err));
	if (d->eng == NULL)
		fprintf(stderr, "undertone-analyzer: %s\n", err);
	return d->eng != NULL ? 0 : -1;
}

/* ---- the roster of live calls (roster.h) ---- */

static void
roster_resume(struct daemon *d)
{
	struct roster_stats st;
	char err[512];

	if (d->cfg->roster[0] == '\0')
		return;
	if (roster_load(d->cfg->roster, d->eng, timing_wall_ms(), transport_now_ms(),
	    d->cfg->abandon_timeout_ms, &st, err, sizeof(err)) != 0) {
		/* Kept, not overwritten: whoever looks can see what was wrong. */
		fprintf(stderr, "undertone-analyzer: roster: %s; not resumed, and not saved over\n", err);
		d->cfg->roster[0] = '\0';
		return;
	}
	if (!st.missing)
		fprintf(stderr, "undertone-analyzer: roster: resumed %" PRIu64 " live calls (%" PRIu64
		    " silent too long, %" PRIu64 " refused, %" PRIu64 " bad lines)\n",
		    st.resumed, st.stale, st.refused, st.bad);
	d->roster_gen = engine_roster_gen(d->eng);
}

static void
roster_keep(struct daemon *d, int64_t mono, bool force)
{
	char err[512];
	uint64_t gen = engine_roster_gen(d->eng);

	if (d->cfg->roster[0] == '\0' || (!force && (mono < d->roster_due || gen == d->roster_gen)))
		return;
	d->roster_due = mono + ROSTER_SAVE_MS;
	if (roster_save(d->cfg->roster, d->eng, timing_wall_ms(), err, sizeof(err)) != 0) {
		if (!d->roster_failing)
			fprintf(stderr, "undertone-analyzer: roster: cannot save: %s (retrying)\n", err);
		d->roster_failing = true;
		return;
	}
	if (d->roster_failing)
		fprintf(stderr, "undertone-analyzer: roster: saved again\n");
	d->roster_failing = false;
	d->roster_gen = gen;
}

/* ---- loops ---- */

static void
reload_allow_list(struct daemon *d)
{
	char err[512];

	reload = 0;
	if (d->zap == NULL) {
		fprintf(stderr, "undertone-analyzer: SIGHUP: not in secure mode, nothing to reload\n");
		return;
	}
	if (transport_zap_reload(d->zap, err, sizeof(err)) != 0)
		fprintf(stderr, "undertone-analyzer: SIGHUP: %s; the previous allow-list stays\n", err);
}

static void
live_loop(struct daemon *d)
{
	struct transport_sock *socks[2] = { d->pull, d->router };
	bool ready[2];
	long wait;
	int rc;

	while (!stop) {
		if (reload)
			reload_allow_list(d);
		wait = engine_tick(d->eng, timing_wall_ms(), transport_now_ms());
		roster_keep(d, transport_now_ms(), false);
		if (d->cfg->roster[0] != '\0' && (wait < 0 || wait > ROSTER_SAVE_MS))
			wait = ROSTER_SAVE_MS;
		rc = transport_poll(socks, 2, ready, wait);
		if (rc == TRANSPORT_E_INTR)
			continue;
		if (rc == TRANSPORT_E_SYS) {
			fprintf(stderr, "undertone-analyzer: poll: %s\n", transport_strerror(rc));
			break;
		}
		if (rc > 0 && ready[0])
			drain_ingest(d, transport_now_ms());
		if (rc > 0 && ready[1])
			drain_requests(d, transport_now_ms());
	}
	roster_keep(d, transport_now_ms(), true);
}

/* Replaying, the engine's clock is event time, and time passes between
 * events as it would live: the engine ticks every second of event time up
 * to the next event (rules that need a condition to last, silences and
 * abandonment see the gaps). A gap longer than an hour is crossed in at
 * most 3,600 steps. A heartbeat goes out every second of real time. */
static int64_t
replay_advance(struct daemon *d, int64_t clock, int64_t ts)
{
	int64_t step, now = transport_now_ms();

	if (clock == 0)
		return ts;
	step = (ts - clock) / 3600 > 1000 ? (ts - clock) / 3600 : 1000;
	while (ts - clock > step && !stop) {
		clock += step;
		engine_tick(d->eng, timing_wall_ms(), clock);
	}
	if (now >= d->replay_hb) {
		engine_heartbeat(d->eng, timing_wall_ms(), clock);
		d->replay_hb = now + 1000;
	}
	return ts > clock ? ts : clock;
}

static int
replay_loop(struct daemon *d)
{
	struct jsonio_reader r;
	struct proto_event *ev = malloc(sizeof(*ev));
	enum codec_err ce;
	struct codec_diag diag;
	FILE *fp = strcmp(d->replay, "-") == 0 ? stdin : fopen(d->replay, "r");
	int got;
	char detail[96];
	int64_t clock = 0;   /* event time, the engine's clock while replaying */

	if (fp == NULL || ev == NULL || jsonio_reader_init(&r, fp) != CODEC_OK) {
		fprintf(stderr, "undertone-analyzer: %s: %s\n", d->replay, fp ? "out of memory" : strerror(errno));
		if (fp != NULL && fp != stdin)
			fclose(fp);
		free(ev);
		return -1;
	}
	while (!stop && (got = jsonio_next(&r, ev, &ce, &diag)) != 0) {
		if (got < 0) {
			snprintf(detail, sizeof(detail), "line %lu, field '%s'", r.lineno, diag.field ? diag.field : "");
			engine_reject(d->eng, (int)ce, NULL, detail, clock);
			continue;
		}
		clock = replay_advance(d, clock, ev->ts_ms);
		engine_event(d->eng, ev, timing_wall_ms(), clock);
		engine_tick(d->eng, timing_wall_ms(), clock);
	}
	/* Publish what is still coalesced, then a final heartbeat with the counts. */
	engine_tick(d->eng, timing_wall_ms(), clock + 60000);
	engine_heartbeat(d->eng, timing_wall_ms(), clock + 60000);
	jsonio_reader_free(&r);
	if (fp != stdin)
		fclose(fp);
	free(ev);
	return 0;
}

static void
summary(const struct daemon *d)
{
	const struct engine_counters *n = engine_counters(d->eng);
	int r;

	fprintf(stderr, "undertone-analyzer: accepted %" PRIu64 ", rejected %" PRIu64
	    ", calls %" PRIu64 " (abandoned %" PRIu64 "), suggestions %" PRIu64
	    ", decisions %" PRIu64 ", published %" PRIu64 "\n",
	    n->accepted, n->rejected_total, n->calls_started, n->calls_abandoned,
	    n->suggestions_raised, n->decisions, n->published);
	if (n->other_shard)
		fprintf(stderr, "undertone-analyzer:   other shards' events skipped: %" PRIu64 "\n",
		    n->other_shard);
	for (r = 1; r < ENGINE_R__COUNT; r++)
		if (n->rejected[r])
			fprintf(stderr, "undertone-analyzer:   rejected %s: %" PRIu64 "\n",
			    engine_reason_name(r), n->rejected[r]);
	if (d->zap != NULL) {
		struct transport_zap_stats z;
		transport_zap_stats(d->zap, &z);
		fprintf(stderr, "undertone-analyzer: zap: admitted %" PRIu64 ", refused key %" PRIu64
		    ", refused mechanism %" PRIu64 ", handshakes failed %" PRIu64 ", malformed %"
		    PRIu64 ", allow-list %u keys\n", z.admitted, z.refused_key, z.refused_mechanism,
		    z.handshake_failed, z.malformed, z.keys);
	}
}

/* ---- options ---- */

struct flagmap { const char *flag, *section, *key; };

static const struct flagmap flagmap[] = {
	{ "--ingest", "endpoints", "ingest" },
	{ "--publish", "endpoints", "publish" },
	{ "--requests", "endpoints", "requests" },
	{ "--policy", "analyzer", "policy" },
	{ "--trend-len", "analyzer", "trend_length" },
	{ "--rate", "analyzer", "coalesce_rate" },
	{ "--max-calls", "limits", "max_calls" },
	{ "--abandon-after", "analyzer", "abandon_timeout" },
	{ "--roster", "analyzer", "roster" },
	{ "--secret-key", "security", "server_secret_key" },
	{ "--client-keys", "security", "client_keys_dir" },
};

struct runopts {
	const char *config, *pub_id, *output;
	struct shard_spec shard;
	bool print;
};

static int
parse_flags(struct daemon *d, struct runopts *o, int argc, char **argv, bool apply)
{
	int i;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--quiet") == 0) { d->quiet = true; continue; }
		if (strcmp(a, "--print-config") == 0) { o->print = true; continue; }
		if (v == NULL) {
			fprintf(stderr, "undertone-analyzer: unknown option or missing value: %.40s (see --help)\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--config") == 0) { o->config = v; continue; }
		if (strcmp(a, "--replay") == 0) { d->replay = v; continue; }
		if (strcmp(a, "--output") == 0) { o->output = v; continue; }
		if (strcmp(a, "--pub-id") == 0) { o->pub_id = v; continue; }
		if (strcmp(a, "--shard") == 0) {
			if (shard_parse(v, &o->shard) == 0)
				continue;
			fprintf(stderr, "undertone-analyzer: --shard wants I/N with 0 <= I < N <= %d: %.40s\n",
			    SHARD_MAX, v);
			return -1;
		}
		for (k = 0; k < sizeof(flagmap) / sizeof(flagmap[0]); k++)
			if (strcmp(a, flagmap[k].flag) == 0)
				break;
		if (k == sizeof(flagmap) / sizeof(flagmap[0])) {
			fprintf(stderr, "undertone-analyzer: unknown option %.40s (see --help)\n", a);
			return -1;
		}
		if (apply && config_analyzer_set(d->cfg, flagmap[k].section, flagmap[k].key, v,
		    CONFIG_FROM_FLAG, a) != 0) {
			config_diags_print(&d->cfg->diags, stderr, "undertone-analyzer");
			return -1;
		}
	}
	return 0;
}

static int
configure(struct daemon *d, struct runopts *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	config_analyzer_init(d->cfg);
	if (parse_flags(d, o, argc, argv, false) != 0)
		return -1;
	/* A bad line is reported and keeps its default; an unreadable file stops. */
	if (o->config != NULL && config_analyzer_load(d->cfg, o->config) != 0) {
		config_diags_print(&d->cfg->diags, stderr, "undertone-analyzer");
		return -1;
	}
	config_diags_print(&d->cfg->diags, stderr, "undertone-analyzer");
	d->cfg->diags.n = 0;
	/* Flags override the file. */
	if (parse_flags(d, o, argc, argv, true) != 0)
		return -1;
	if (d->cfg->policy[0] == '\0') {
		policy_default(&d->policy);
	} else if (policy_load_file(&d->policy, d->cfg->policy, policy_diag, NULL) != 0) {
		fprintf(stderr, "undertone-analyzer: cannot read policy %s\n", d->cfg->policy);
		return -1;
	}
	return 0;
}

static int
open_output(struct daemon *d, const char *path)
{
	if (path == NULL)
		return 0;
	/* The feed carries what customers said: a new output file is 0600. */
	d->out = strcmp(path, "-") == 0 ? stdout : private_file_open(path);
	if (d->out == NULL) {
		fprintf(stderr, "undertone-analyzer: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void
teardown(struct daemon *d)
{
	engine_free(d->eng);
	transport_close(d->pull);
	transport_close(d->router);
	transport_close(d->pub);
	transport_zap_stop(d->zap);
	transport_security_clear(&d->sec);
	transport_free(d->t);
	transport_msg_free(&d->in);
	codec_buf_free(&d->buf);
	if (d->out != NULL && d->out != stdout)
		fclose(d->out);
	else if (d->out != NULL)
		fflush(d->out);
	free(d->req);
	free(d->cfg);
}

int
run_main(int argc, char **argv)
{
	struct daemon d;
	struct runopts o;
	struct sigaction sa;
	char err[512];
	int rc = 1, i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
	memset(&d, 0, sizeof(d));
	d.cfg = calloc(1, sizeof(*d.cfg));
	d.req = malloc(sizeof(*d.req));
	if (d.cfg == NULL || d.req == NULL || configure(&d, &o, argc, argv) != 0) {
		teardown(&d);
		return 2;
	}
	if (o.print) {
		config_analyzer_print(d.cfg, stdout);
		teardown(&d);
		return 0;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;   /* no SA_RESTART: poll returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (open_output(&d, o.output) == 0 && open_sockets(&d, err, sizeof(err)) != 0)
		fprintf(stderr, "undertone-analyzer: %s\n", err);
	else if (d.t != NULL && start_engine(&d, o.pub_id, &o.shard) == 0) {
		if (d.replay != NULL)
			rc = replay_loop(&d) == 0 ? 0 : 1;
		else {
			roster_resume(&d);
			live_loop(&d);
			rc = 0;
		}
		summary(&d);
	}
	teardown(&d);
	return rc;
}
