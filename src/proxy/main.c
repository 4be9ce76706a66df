/* undertone-proxy: options, setup and statistics output (proxy.h). */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "proxy.h"

static volatile sig_atomic_t stop, dump;

static void on_stop(int sig) { (void)sig; stop = 1; }
static void on_dump(int sig) { (void)sig; dump = 1; }

struct app {
	struct proxy_config cfg;
	const char *secret_key, *client_keys, *analyzer_key;   /* secure mode files */
	struct transport_zap *zap;
	struct proxy_pubsub *ps;
	struct proxy_broker *br;
	int64_t next_print;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-proxy --analyzer FEED,REQUESTS[,INGEST] [--analyzer ...] [OPTIONS]\n"
	    "Front door for several analyzers (shards): consoles subscribe and ask here.\n"
	    "  --analyzer F,R[,I]  one analyzer's PUB, ROUTER (and PULL) endpoints; the\n"
	    "                      i-th --analyzer is the one started with --shard i/N\n"
	    "  --publish EP        XPUB for consoles (default %s)\n"
	    "  --requests EP       ROUTER for consoles (default %s)\n"
	    "  --ingest EP         PULL: route each event to its call's shard (needs I)\n"
	    "  --control EP        REP: answers STATISTICS with the counters\n"
	    "  --stats S           print the counters every S seconds (default 10, 0 = off)\n"
	    "  --hwm N             high-water mark of forwarding sockets (default 100000)\n"
	    "  --secret-key FILE   secure mode: the proxy's CURVE secret key file\n"
	    "  --client-keys DIR   secure mode: allow-list of console/feed public keys\n"
	    "  --analyzer-key FILE secure mode: the analyzers' CURVE public key file\n"
	    "SIGUSR1 prints the counters now; SIGINT/SIGTERM stop. See undertone-proxy(1).\n",
	    PROTO_FEED_ENDPOINT, PROTO_REQUEST_ENDPOINT);
}

/* "F,R[,I]" into a shard. */
static int
parse_analyzer(const char *v, struct proxy_shard *s)
{
	char tmp[3 * (TRANSPORT_ENDPOINT_MAX + 1)];
	char *part[3] = { NULL, NULL, NULL }, *save = NULL, *tok;
	int n = 0;

	if (strlen(v) >= sizeof(tmp))
		return -1;
	strcpy(tmp, v);
	for (tok = strtok_r(tmp, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		if (n == 3 || !transport_endpoint_valid(tok))
			return -1;
		part[n++] = tok;
	}
	if (n < 2)
		return -1;
	snprintf(s->feed, sizeof(s->feed), "%s", part[0]);
	snprintf(s->requests, sizeof(s->requests), "%s", part[1]);
	snprintf(s->ingest, sizeof(s->ingest), "%s", part[2] ? part[2] : "");
	return 0;
}

static int
set_endpoint(char *dst, const char *v)
{
	if (!transport_endpoint_valid(v))
		return -1;
	snprintf(dst, TRANSPORT_ENDPOINT_MAX + 1, "%s", v);
	return 0;
}

static int
parse_number(const char *v, long lo, long hi, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end != '\0' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}

static int
parse_one(struct app *ap, const char *a, const char *v)
{
	struct proxy_config *c = &ap->cfg;
	long n;

	if (strcmp(a, "--secret-key") == 0) { ap->secret_key = v; return 0; }
	if (strcmp(a, "--client-keys") == 0) { ap->client_keys = v; return 0; }
	if (strcmp(a, "--analyzer-key") == 0) { ap->analyzer_key = v; return 0; }
	if (strcmp(a, "--analyzer") == 0) {
		if (c->nshards == PROXY_SHARDS_MAX)
			return -1;
		return parse_analyzer(v, &c->shard[c->nshards++]);
	}
	if (strcmp(a, "--publish") == 0) return set_endpoint(c->publish, v);
	if (strcmp(a, "--requests") == 0) return set_endpoint(c->requests, v);
	if (strcmp(a, "--ingest") == 0) return set_endpoint(c->ingest, v);
	if (strcmp(a, "--control") == 0) return set_endpoint(c->control, v);
	if (strcmp(a, "--stats") == 0 && parse_number(v, 0, 86400, &n) == 0) {
		c->stats_ms = n * 1000;
		return 0;
	}
	if (strcmp(a, "--hwm") == 0 && parse_number(v, 1, 10000000, &n) == 0) {
		c->sndhwm = (int)n;
		return 0;
	}
	return -1;
}

static int
parse_args(struct app *ap, int argc, char **argv)
{
	struct proxy_config *c = &ap->cfg;
	int i;
	unsigned k;

	memset(c, 0, sizeof(*c));
	snprintf(c->publish, sizeof(c->publish), "%s", PROTO_FEED_ENDPOINT);
	snprintf(c->requests, sizeof(c->requests), "%s", PROTO_REQUEST_ENDPOINT);
	c->stats_ms = 10000;
	c->sndhwm = 100000;
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc || parse_one(ap, argv[i], argv[i + 1]) != 0) {
			fprintf(stderr, "undertone-proxy: bad option or value: %.40s %.80s (see --help)\n",
			    argv[i], i + 1 < argc ? argv[i + 1] : "");
			return -1;
		}
	}
	if ((ap->secret_key != NULL) != (ap->client_keys != NULL) ||
	    (ap->analyzer_key != NULL && ap->secret_key == NULL)) {
		fprintf(stderr, "undertone-proxy: secure mode needs --secret-key and --client-keys "
		    "(and --analyzer-key for CURVE towards the analyzers)\n");
		return -1;
	}
	if (c->nshards == 0) {
		fprintf(stderr, "undertone-proxy: at least one --analyzer is needed\n");
		return -1;
	}
	for (k = 0; c->ingest[0] != '\0' && k < c->nshards; k++)
		if (c->shard[k].ingest[0] == '\0') {
			fprintf(stderr, "undertone-proxy: --ingest needs an ingest endpoint in every --analyzer\n");
			return -1;
		}
	return 0;
}

/* ---- statistics: `proxy.<part>.<name> = <value>` lines ---- */

static void
print_stats(void *ud, FILE *f)
{
	struct app *a = ud;
	const struct proxy_broker_stats *b = proxy_broker_stats(a->br);
	struct proxy_pubsub_stats p;
	unsigned i;

	if (proxy_pubsub_stats(a->ps, &p) == 0) {
		fprintf(f, "proxy.feed.in = %" PRIu64 " msgs\n", p.front_in);
		fprintf(f, "proxy.feed.in_bytes = %" PRIu64 " bytes\n", p.front_in_bytes);
		fprintf(f, "proxy.feed.out = %" PRIu64 " msgs\n", p.back_out);
		fprintf(f, "proxy.feed.out_bytes = %" PRIu64 " bytes\n", p.back_out_bytes);
		fprintf(f, "proxy.feed.subscriptions = %" PRIu64 " msgs\n", p.back_in);
	}
	fprintf(f, "proxy.requests.in = %" PRIu64 "\n", b->requests);
	fprintf(f, "proxy.requests.snapshots = %" PRIu64 "\n", b->snapshots);
	fprintf(f, "proxy.requests.decisions = %" PRIu64 "\n", b->decisions);
	fprintf(f, "proxy.requests.details = %" PRIu64 "\n", b->details);
	fprintf(f, "proxy.requests.bad = %" PRIu64 "\n", b->bad_requests);
	fprintf(f, "proxy.requests.busy = %" PRIu64 "\n", b->busy);
	fprintf(f, "proxy.requests.pending = %u\n", b->pending);
	fprintf(f, "proxy.requests.expired = %" PRIu64 "\n", b->expired);
	fprintf(f, "proxy.requests.shard_unavailable = %" PRIu64 "\n", b->shard_unavailable);
	fprintf(f, "proxy.replies.out = %" PRIu64 "\n", b->replies);
	fprintf(f, "proxy.replies.dropped = %" PRIu64 "\n", b->reply_dropped);
	fprintf(f, "proxy.replies.stale = %" PRIu64 "\n", b->stale_replies);
	fprintf(f, "proxy.replies.bad = %" PRIu64 "\n", b->bad_replies);
	for (i = 0; a->cfg.ingest[0] != '\0' && i < a->cfg.nshards; i++)
		fprintf(f, "proxy.ingest.shard%u = %" PRIu64 "\n", i, b->ingest_routed[i]);
	if (a->cfg.ingest[0] != '\0') {
		fprintf(f, "proxy.ingest.bad = %" PRIu64 "\n", b->ingest_bad);
		fprintf(f, "proxy.ingest.dropped = %" PRIu64 "\n", b->ingest_dropped);
	}
	fflush(f);
}

static void
tick(void *ud)
{
	struct app *a = ud;
	int64_t now = transport_now_ms();

	proxy_pubsub_control(a->ps, print_stats, a);
	if (dump || (a->cfg.stats_ms > 0 && now >= a->next_print)) {
		dump = 0;
		a->next_print = now + a->cfg.stats_ms;
		print_stats(a, stderr);
	}
}

/* Secure mode: the key pair, the ZAP handler (before any CURVE server
 * socket binds) and, with --analyzer-key, the client side. */
static int
start_security(struct app *a, struct transport *t, char *err, size_t errlen)
{
	if (a->secret_key == NULL)
		return 0;
	if (!transport_curve_available()) {
		snprintf(err, errlen, "this libzmq has no CURVE support");
		return -1;
	}
	a->cfg.secure = true;
	if (transport_security_server(&a->cfg.server_sec, a->secret_key, NULL, err, errlen) != 0)
		return -1;
	if (a->analyzer_key != NULL && transport_security_client(&a->cfg.client_sec, a->analyzer_key,
	    a->secret_key, NULL, err, errlen) != 0)
		return -1;
	a->zap = transport_zap_start(t, a->client_keys, stderr, err, errlen);
	return a->zap != NULL ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct app a;
	struct transport *t = NULL;
	struct sigaction sa;
	char err[512] = "";
	int i, rc = 1;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		}
	memset(&a, 0, sizeof(a));
	if (parse_args(&a, argc, argv) != 0)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_dump;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((t = transport_new(err, sizeof(err))) != NULL &&
	    start_security(&a, t, err, sizeof(err)) == 0 &&
	    (a.ps = proxy_pubsub_start(t, &a.cfg, err, sizeof(err))) != NULL &&
	    (a.br = proxy_broker_new(t, &a.cfg, err, sizeof(err))) != NULL) {
		a.next_print = transport_now_ms() + a.cfg.stats_ms;
		proxy_broker_run(a.br, &stop, tick, &a);
		print_stats(&a, stderr);
		rc = 0;
	} else {
		fprintf(stderr, "undertone-proxy: %s\n", err);
	}
	proxy_broker_free(a.br);
	proxy_pubsub_stop(a.ps);
	transport_zap_stop(a.zap);
	transport_security_clear(&a.cfg.server_sec);
	transport_security_clear(&a.cfg.client_sec);
	transport_free(t);
	return rc;
}
