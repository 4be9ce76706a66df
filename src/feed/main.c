/* undertone-feed: a stand-in contact-centre platform for the analyzer. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "undertone/codec.h"
#include "undertone/jsonio.h"
#include "undertone/transport.h"
#include "floor.h"
#include "undertone/timing.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct opts {
	const char *connect, *output, *scenarios, *only, *file;
	const char *server_key, *client_key;   /* secure mode (doc/security.md) */
	double speed;            /* 0: as fast as possible */
	bool json;               /* send JSON frames instead of MessagePack */
	unsigned calls;
	uint64_t seed;
	double duration;         /* seconds, 0 unlimited */
	int64_t start_ms;        /* event time origin, 0 = now */
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: undertone-feed replay FILE|- [--speed X | --max] [--connect EP] [--json]\n"
	    "       undertone-feed simulate --calls N --seed S [--duration SECS]\n"
	    "                      [--speed X | --max] [--connect EP | --output FILE|-]\n"
	    "                      [--scenarios DIR] [--only NAME] [--start MS] [--json]\n"
	    "  replay     play NDJSON ingest events at their recorded pace\n"
	    "  simulate   generate a floor of N concurrent scripted calls\n"
	    "  --connect EP    analyzer ingest socket (default %s)\n"
	    "  --speed X       scale the pace (2 = twice as fast); --max: no waiting\n"
	    "  --output FILE   write the floor as NDJSON instead of sending (needs --duration)\n"
	    "  --duration SECS stop after this much event time (calls in progress end)\n"
	    "  --scenarios DIR scenario scripts (default: installed data/scenarios)\n"
	    "  --only NAME     run only one scenario\n"
	    "  --start MS      event time of the start, ms since epoch (default: now)\n"
	    "  --json          send JSON frames instead of MessagePack\n"
	    "  --server-key FILE  secure mode: the analyzer's CURVE public key file\n"
	    "  --client-key FILE  secure mode: this feed's CURVE secret key file\n"
	    "See undertone-feed(1) and doc/security.md.\n", PROTO_INGEST_ENDPOINT);
}

static int
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_pos(const char *s, double max, double *out)
{
	char *end;
	double v;

	if (s == NULL)
		return -1;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !(v > 0) || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
bad(const char *what, const char *v)
{
	fprintf(stderr, "undertone-feed: bad %s '%.40s' (see --help)\n", what, v ? v : "");
	return -1;
}

static int
parse_opt(struct opts *o, const char *a, const char *v, int *used)
{
	uint64_t u;

	*used = 2;
	if (strcmp(a, "--max") == 0) { o->speed = 0; *used = 1; return 0; }
	if (strcmp(a, "--json") == 0) { o->json = true; *used = 1; return 0; }
	if (v == NULL)
		return bad("option (missing value)", a);
	if (strcmp(a, "--connect") == 0) {
		o->connect = v;
		return transport_endpoint_valid(v) ? 0 : bad("endpoint", v);
	}
	if (strcmp(a, "--output") == 0) { o->output = v; return 0; }
	if (strcmp(a, "--server-key") == 0) { o->server_key = v; return 0; }
	if (strcmp(a, "--client-key") == 0) { o->client_key = v; return 0; }
	if (strcmp(a, "--scenarios") == 0) { o->scenarios = v; return 0; }
	if (strcmp(a, "--only") == 0) { o->only = v; return 0; }
	if (strcmp(a, "--speed") == 0)
		return parse_pos(v, 1e6, &o->speed) == 0 ? 0 : bad("speed", v);
	if (strcmp(a, "--duration") == 0)
		return parse_pos(v, 1e7, &o->duration) == 0 ? 0 : bad("duration", v);
	if (strcmp(a, "--calls") == 0) {
		if (parse_u64(v, FLOOR_CALLS_MAX, &u) != 0 || u == 0)
			return bad("call count", v);
		o->calls = (unsigned)u;
		return 0;
	}
	if (strcmp(a, "--seed") == 0)
		return parse_u64(v, UINT64_MAX, &o->seed) == 0 ? 0 : bad("seed", v);
	if (strcmp(a, "--start") == 0) {
		if (parse_u64(v, (uint64_t)INT64_MAX / 2, &u) != 0)
			return bad("start", v);
		o->start_ms = (int64_t)u;
		return 0;
	}
	return bad("option", a);
}

static int
parse_args(struct opts *o, int argc, char **argv, bool replay)
{
	int i, used;

	for (i = 0; i < argc; i += used) {
		if (replay && argv[i][0] != '-' && o->file == NULL) {
			o->file = argv[i];
			used = 1;
			continue;
		}
		if (replay && strcmp(argv[i], "-") == 0 && o->file == NULL) {
			o->file = "-";
			used = 1;
			continue;
		}
		if (parse_opt(o, argv[i], i + 1 < argc ? argv[i + 1] : NULL, &used) != 0)
			return -1;
	}
	return 0;
}

/* Sleep until event time ts (relative to t0 at mono0), scaled by speed. */
static void
pace(const struct opts *o, int64_t t0, int64_t mono0, int64_t ts)
{
	int64_t due, now;
	struct timespec d;

	if (o->speed <= 0 || ts <= t0)
		return;
	due = mono0 + (int64_t)((double)(ts - t0) / o->speed);
	while (!stop && (now = transport_now_ms()) < due) {
		int64_t left = due - now > 200 ? 200 : due - now;
		d.tv_sec = 0;
		d.tv_nsec = (long)left * 1000000L;
		nanosleep(&d, NULL);
	}
}

struct sink {
	struct transport *t;
	struct transport_sock *s;
	struct transport_watch *watch;   /* secure mode: was this feed admitted? */
	FILE *out;
	bool json;
	struct codec_buf buf;
	uint64_t sent, invalid;
};

/* The PUSH socket's limits, with CURVE keys when both key files are given. */
static int
push_limits(const struct opts *o, struct transport_limits *lim, char *err, size_t errlen)
{
	transport_limits_default(TRANSPORT_PUSH, lim);
	if (o->server_key == NULL && o->client_key == NULL)
		return 0;
	if (o->server_key == NULL || o->client_key == NULL) {
		snprintf(err, errlen, "secure mode needs both --server-key and --client-key");
		return -1;
	}
	return transport_security_client(&lim->security, o->server_key, o->client_key, NULL,
	    err, errlen);
}

static int
sink_open(struct sink *k, const struct opts *o)
{
	char err[512];
	struct transport_limits lim;

	memset(k, 0, sizeof(*k));
	k->json = o->json;
	if (o->output != NULL) {
		k->out = strcmp(o->output, "-") == 0 ? stdout : fopen(o->output, "w");
		if (k->out == NULL) {
			fprintf(stderr, "undertone-feed: %s: %s\n", o->output, strerror(errno));
			return -1;
		}
		return 0;
	}
	if ((k->t = transport_new(err, sizeof(err))) == NULL ||
	    push_limits(o, &lim, err, sizeof(err)) != 0 ||
	    (k->s = transport_open(k->t, TRANSPORT_PUSH, NULL, false, &lim, err, sizeof(err))) == NULL ||
	    (lim.security.curve && (k->watch = transport_watch_new(k->t, k->s, err, sizeof(err))) == NULL) ||
	    transport_connect(k->s, o->connect, err, sizeof(err)) != 0) {
		transport_security_clear(&lim.security);
		fprintf(stderr, "undertone-feed: %s\n", err);
		return -1;
	}
	transport_security_clear(&lim.security);
	return 0;
}

/* Secure mode: a feed the analyzer refused must not report success. */
static bool
refused(struct transport_watch *w)
{
	struct transport_watch_counts c;

	transport_watch_wait(w, 3000, &c);
	if (c.admitted > 0)
		return false;
	fprintf(stderr, "undertone-feed: the analyzer %s; no event was delivered\n", c.refused ?
	    "refused this feed's key (is its public key in the analyzer's allow-list, feeds/?)" :
	    "never completed a secure handshake (not running, or wrong --server-key?)");
	return true;
}

static int
sink_close(struct sink *k)
{
	int rc = 0;

	if (k->out != NULL && (fflush(k->out) != 0 || ferror(k->out)))
		rc = -1;
	if (k->out != NULL && k->out != stdout)
		fclose(k->out);
	if (k->watch != NULL && refused(k->watch))
		rc = -1;
	transport_watch_free(k->watch);
	transport_close(k->s);
	transport_free(k->t);
	codec_buf_free(&k->buf);
	return rc;
}

/*
 * Send one frame. Plain mode blocks while the analyzer is away, as a
 * replay should. Secure mode must not: a connection the analyzer refused
 * leaves the PUSH socket no pipe, libzmq does not try again after an
 * authentication or protocol failure, and a blocking send would wait for
 * ever (seen when the refusal raced the first send). So it sends
 * without blocking until the watch reports an admission, asks the watch
 * between tries, and gives up (TRANSPORT_AGAIN) once the only outcomes
 * were failures: sink_close() then says why.
 */
static int
sink_send(struct sink *k, const void *const *fr, const size_t *ln)
{
	struct transport_watch_counts c = { 0 };
	int rc;

	for (;;) {
		rc = transport_send(k->s, fr, ln, 1, k->watch == NULL || c.admitted > 0);
		if (rc != TRANSPORT_AGAIN || stop)
			return rc;
		transport_watch_wait(k->watch, 100, &c);  /* at most 100 ms before an outcome */
		if (c.admitted == 0 && c.refused + c.failed > 0)
			return TRANSPORT_AGAIN;
	}
}

static int
sink_put(struct sink *k, const struct proto_event *ev)
{
	enum codec_err e;
	const void *fr[1];
	size_t ln[1];
	int rc;

	e = (k->out != NULL || k->json) ? jsonio_encode_event(ev, &k->buf) : codec_encode_event(ev, &k->buf);
	if (e != CODEC_OK) {
		k->invalid++;
		fprintf(stderr, "undertone-feed: event for %s not sent: %s\n", ev->call, codec_strerror(e));
		return 0;
	}
	if (k->out != NULL) {
		if (fwrite(k->buf.data, 1, k->buf.len, k->out) != k->buf.len)
			return -1;
		k->sent++;
		return 0;
	}
	fr[0] = k->buf.data;
	ln[0] = k->buf.len;
	if (k->json && ln[0] > 0 && k->buf.data[ln[0] - 1] == '\n')
		ln[0]--;
	rc = sink_send(k, fr, ln);
	if (rc == TRANSPORT_E_INTR || rc == TRANSPORT_AGAIN)
		return stop ? 0 : -1;  /* AGAIN, not stopped: refused (sink_close()) */
	if (rc != TRANSPORT_OK) {
		fprintf(stderr, "undertone-feed: send: %s\n", transport_strerror(rc));
		return -1;
	}
	k->sent++;
	return 0;
}

static const char *
scenario_dir(const struct opts *o)
{
	static char buf[4096];
	struct stat st;
	const char *env = getenv("UNDERTONE_SCENARIO_DIR");

	if (o->scenarios != NULL)
		return o->scenarios;
	if (env != NULL && *env != '\0')
		return env;
	snprintf(buf, sizeof(buf), "%s/data/scenarios", UT_PKGDATADIR);
	if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
		return buf;
	snprintf(buf, sizeof(buf), "%s/data/scenarios", UT_SRCDIR);
	return buf;
}

static int
simulate(struct opts *o)
{
	struct scen_library lib;
	struct floor_opts fo;
	struct floor *f;
	struct sink k;
	struct proto_event *ev;
	char err[512];
	int64_t mono0;
	int rc = 0;

	if (o->calls == 0) {
		fprintf(stderr, "undertone-feed: simulate needs --calls N (see --help)\n");
		return 2;
	}
	if (o->output != NULL && o->duration <= 0) {
		fprintf(stderr, "undertone-feed: --output needs --duration SECS\n");
		return 2;
	}
	if (scenario_library_load(&lib, scenario_dir(o), err, sizeof(err)) != 0) {
		fprintf(stderr, "undertone-feed: %s\n", err);
		return 1;
	}
	memset(&fo, 0, sizeof(fo));
	fo.calls = o->calls;
	fo.seed = o->seed;
	fo.base_ms = o->start_ms ? o->start_ms : timing_wall_ms();
	fo.duration_ms = (int64_t)(o->duration * 1000.0);
	fo.only = o->only;
	ev = malloc(sizeof(*ev));
	f = ev ? floor_new(&lib, &fo, err, sizeof(err)) : NULL;
	if (f == NULL || sink_open(&k, o) != 0) {
		if (f == NULL)
			fprintf(stderr, "undertone-feed: %s\n", ev ? err : "out of memory");
		floor_free(f);
		free(ev);
		scenario_library_free(&lib);
		return 1;
	}
	if (o->output != NULL)
		o->speed = 0;
	mono0 = transport_now_ms();
	while (!stop && rc == 0 && floor_next(f, ev) == 1) {
		pace(o, fo.base_ms, mono0, ev->ts_ms);
		if (!stop)
			rc = sink_put(&k, ev);
	}
	if (sink_close(&k) != 0)
		rc = -1;
	fprintf(stderr, "undertone-feed: %" PRIu64 " events, %" PRIu64 " calls started, %" PRIu64 " ended\n",
	    k.sent, floor_stats(f)->calls_started, floor_stats(f)->calls_ended);
	floor_free(f);
	free(ev);
	scenario_library_free(&lib);
	return rc == 0 ? 0 : 1;
}

static int
replay(struct opts *o)
{
	struct jsonio_reader r;
	struct proto_event *ev = malloc(sizeof(*ev));
	struct codec_diag diag;
	enum codec_err e;
	struct sink k;
	FILE *fp;
	int64_t t0 = 0, mono0 = 0;
	uint64_t badlines = 0;
	int got, rc = 0;

	if (o->file == NULL || ev == NULL) {
		fprintf(stderr, "undertone-feed: replay needs FILE or - (see --help)\n");
		free(ev);
		return 2;
	}
	fp = strcmp(o->file, "-") == 0 ? stdin : fopen(o->file, "r");
	if (fp == NULL) {
		fprintf(stderr, "undertone-feed: %s: %s\n", o->file, strerror(errno));
		free(ev);
		return 1;
	}
	if (jsonio_reader_init(&r, fp) != CODEC_OK || sink_open(&k, o) != 0) {
		if (fp != stdin)
			fclose(fp);
		free(ev);
		return 1;
	}
	while (!stop && rc == 0 && (got = jsonio_next(&r, ev, &e, &diag)) != 0) {
		if (got < 0) {
			badlines++;
			fprintf(stderr, "undertone-feed: %s:%lu: %s (%s)\n", o->file, r.lineno,
			    codec_strerror(e), diag.field ? diag.field : "");
			continue;
		}
		if (t0 == 0) {
			t0 = ev->ts_ms;
			mono0 = transport_now_ms();
		}
		pace(o, t0, mono0, ev->ts_ms);
		if (!stop)
			rc = sink_put(&k, ev);
	}
	if (sink_close(&k) != 0)
		rc = -1;
	fprintf(stderr, "undertone-feed: %" PRIu64 " events sent, %" PRIu64 " bad lines skipped\n",
	    k.sent, badlines);
	jsonio_reader_free(&r);
	if (fp != stdin)
		fclose(fp);
	free(ev);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct sigaction sa;
	bool is_replay;

	memset(&o, 0, sizeof(o));
	o.connect = PROTO_INGEST_ENDPOINT;
	o.speed = 1.0;
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("undertone-feed %s\n", PACKAGE_VERSION);
		return 0;
	}
	is_replay = strcmp(argv[1], "replay") == 0;
	if (!is_replay && strcmp(argv[1], "simulate") != 0) {
		fprintf(stderr, "undertone-feed: unknown command '%.40s' (see --help)\n", argv[1]);
		return 2;
	}
	if (argc >= 3 && strcmp(argv[2], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (parse_args(&o, argc - 2, argv + 2, is_replay) != 0)
		return 2;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return is_replay ? replay(&o) : simulate(&o);
}
