/* undertone: the supervisors' live wallboard (see undertone(1)). */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "undertone/config.h"
#include "undertone/feed_client.h"
#include "undertone/textsafe.h"
#include "undertone/transport.h"
#include "app.h"
#include "draw.h"
#include "undertone/timing.h"

_Static_assert((int)CONFIG_COL__COUNT == (int)VC__COUNT &&
	(int)CONFIG_COL_REASON == (int)VC_REASON && (int)CONFIG_COL_TREND == (int)VC_TREND,
	"config columns and view columns share one order");

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

struct opts {
	const char *feed, *requests, *config, *theme;
	const char *server_key, *client_key;   /* [security] overrides */
	bool batch, print_config, list_calls;
	const char *queues;                    /* --queues a,b: subscribe to these only */
	long frames;
	double interval;
};

static void usage(FILE *f)
{
	fputs("usage: undertone [options]\n"
	      "Live wallboard of customer frustration for contact-centre supervisors.\n\n"
	      "  --feed EP          analyzer feed to subscribe to (default tcp://127.0.0.1:7412)\n"
	      "  --requests EP      analyzer request socket (default tcp://127.0.0.1:7413)\n"
	      "  --config FILE      configuration file (also UNDERTONE_CONFIG)\n"
	      "  --theme NAME|PATH  colour theme (t cycles themes while running)\n"
	      "  --server-key FILE  secure mode: the analyzer's CURVE public key file\n"
	      "  --client-key FILE  secure mode: this console's CURVE secret key file\n"
	      "  --batch            print the wallboard as plain text frames, no curses\n"
	      "  --frames N         batch: number of frames (default 1)\n"
	      "  --interval S       batch: seconds between frames (default 1)\n"
	      "  --list-calls       batch: after the last frame, one line per call (id, queue,\n"
	      "                     analyzer, live/stale) and the feed counters\n"
	      "  --queues Q1,Q2     subscribe to these queues only (filtered at the analyzers)\n"
	      "  --print-config     print the effective configuration and where each value came from\n"
	      "  --help, --version\n\n"
	      "Keys: ? help, arrows/jk move, Enter detail, Tab suggestions, / filter, s sort,\n"
	      "f flagged, p pause, a acknowledge, y accept, d dismiss, z snooze, T tag,\n"
	      "r raise, c clear, R review, t theme, q quit. See undertone(1).\n", f);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "feed", required_argument, NULL, 'f' }, { "requests", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' }, { "theme", required_argument, NULL, 't' },
		{ "batch", no_argument, NULL, 'b' }, { "frames", required_argument, NULL, 'n' },
		{ "interval", required_argument, NULL, 'i' }, { "print-config", no_argument, NULL, 'P' },
		{ "server-key", required_argument, NULL, 'S' }, { "client-key", required_argument, NULL, 'K' },
		{ "list-calls", no_argument, NULL, 'L' }, { "queues", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 } };
	memset(o, 0, sizeof *o);
	o->frames = 1;
	o->interval = 1.0;
	int ch;
	char *end;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'f': o->feed = optarg; break;
		case 'r': o->requests = optarg; break;
		case 'c': o->config = optarg; break;
		case 't': o->theme = optarg; break;
		case 'S': o->server_key = optarg; break;
		case 'K': o->client_key = optarg; break;
		case 'b': o->batch = true; break;
		case 'L': o->list_calls = true; break;
		case 'Q': o->queues = optarg; break;
		case 'P': o->print_config = true; break;
		case 'n':
			errno = 0;
			o->frames = strtol(optarg, &end, 10);
			if (errno || *end || o->frames < 1 || o->frames > 1000000) {
				fprintf(stderr, "undertone: --frames wants a number from 1 to 1000000\n");
				return 2;
			}
			break;
		case 'i':
			o->interval = strtod(optarg, &end);
			if (*end || !(o->interval >= 0.01 && o->interval <= 3600)) {
				fprintf(stderr, "undertone: --interval wants seconds from 0.01 to 3600\n");
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("undertone %s\n", PACKAGE_VERSION); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "undertone: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	return -1;
}

static int load_config(struct config_console *cfg, const struct opts *o)
{
	char path[CONFIG_PATH_MAX];
	struct config_origin origin;
	config_console_init(cfg, getenv("XDG_DATA_HOME"), getenv("HOME"));
	bool must = config_console_path(path, sizeof path, o->config, getenv("UNDERTONE_CONFIG"),
		getenv("XDG_CONFIG_HOME"), getenv("HOME"), &origin);
	if (must || access(path, F_OK) == 0) {
		if (config_console_load(cfg, path) != 0) {
			config_diags_print(&cfg->diags, stderr, "undertone");
			return -1;
		}
	}
	config_diags_print(&cfg->diags, stderr, "undertone");
	cfg->diags.n = 0;
	if ((o->feed && config_console_set(cfg, "endpoints", "feed", o->feed, CONFIG_FROM_FLAG, "--feed")) ||
	    (o->requests && config_console_set(cfg, "endpoints", "requests", o->requests, CONFIG_FROM_FLAG, "--requests")) ||
	    (o->theme && config_console_set(cfg, "console", "theme", o->theme, CONFIG_FROM_FLAG, "--theme")) ||
	    (o->server_key && config_console_set(cfg, "security", "server_public_key", o->server_key,
		CONFIG_FROM_FLAG, "--server-key")) ||
	    (o->client_key && config_console_set(cfg, "security", "client_secret_key", o->client_key,
		CONFIG_FROM_FLAG, "--client-key"))) {
		config_diags_print(&cfg->diags, stderr, "undertone");
		return -1;
	}
	return 0;
}

static void set_clocks(struct app *a)
{
	a->now_ms = timing_mono_ms();
	a->wall_ms = timing_wall_ms();
}

static void identify(struct app *a)
{
	struct passwd *pw = getpwuid(geteuid());
	text_safe_copy(a->user, sizeof a->user, pw && pw->pw_name ? pw->pw_name : "unknown");
	char host[256];
	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "unknown");
	host[sizeof host - 1] = '\0';
	text_safe_copy(a->host, sizeof a->host, host);
}

static void open_recorder(struct app *a)
{
	a->rec = recorder_open(a->cfg->decision_log, a->rec_open_err, sizeof a->rec_open_err);
	if (!a->rec)
		snprintf(a->persist_err, sizeof a->persist_err, "Decision log unavailable: %s",
			a->rec_open_err);
}

/* Pump the feed for up to ms milliseconds. */
static void pump(struct app *a, long ms)
{
	int64_t until = timing_mono_ms() + ms;
	for (;;) {
		set_clocks(a);
		long left = (long)(until - a->now_ms);
		long t = feed_client_tick(a->fc, a->now_ms);
		if (left <= 0 || stop_signal)
			return;
		if (t < 0 || t > left)
			t = left;
		if (feed_client_wait(a->fc, -1, t) & FEED_WAKE_SOCKETS)
			feed_client_process(a->fc, a->now_ms, a->wall_ms, 100000, app_feed_event, a);
	}
}

/* Batch --list-calls: every call with the analyzer it came from, for tests
 * and scripts (stable "call ..." and "feed.<name> = <value>" lines). */
static void list_calls(struct app *a, FILE *out)
{
	for (size_t i = 0; i < view_call_count(a->view); i++) {
		const struct view_call *c = view_call_at(a->view, i);
		const char *pub = c->pub > 0 && c->pub <= FEED_PUBS_MAX ? a->fs.pubs[c->pub - 1].pub : "?";
		fprintf(out, "call %s %s %s %s tag=%s\n", c->id, c->queue, pub, c->stale ? "stale" : "live",
			c->tag[0] ? c->tag : "-");
	}
	fprintf(out, "feed.received = %llu\n", (unsigned long long)a->fs.received);
	fprintf(out, "feed.other_queues = %llu\n", (unsigned long long)a->fs.other_queues);
	fprintf(out, "feed.publishers = %u\n", a->fs.npubs);
	fprintf(out, "feed.stale_publishers = %u\n", a->fs.stale_pubs);
	fprintf(out, "feed.gaps_healed = %llu\n", (unsigned long long)a->fs.gaps_healed);
	fprintf(out, "feed.snapshots = %llu\n", (unsigned long long)a->fs.snapshots);
	fflush(out);
}

/* --queues billing,tech: subscribe to those queues only. */
static int set_queues(struct feed_client *fc, const char *list)
{
	char buf[FEED_QUEUES_MAX * (UT_ID_MAX + 1)];
	const char *q[FEED_QUEUES_MAX];
	size_t n = 0;
	char *save = NULL;
	if (strlen(list) >= sizeof buf)
		return -1;
	strcpy(buf, list);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (n == FEED_QUEUES_MAX)
			return -1;
		q[n++] = t;
	}
	return feed_client_queues(fc, q, n);
}

static int run_batch(struct app *a, const struct opts *o)
{
	const char *cols = getenv("COLUMNS");
	int width = cols && atoi(cols) >= 20 && atoi(cols) <= 1000 ? atoi(cols) : 120;
	long interval = (long)(o->interval * 1000);
	/* The first frame waits for the snapshot (bounded by the interval). */
	int64_t until = timing_mono_ms() + (interval > 3000 ? interval : 3000);
	while (!stop_signal && timing_mono_ms() < until) {
		pump(a, 50);
		feed_client_status(a->fc, a->now_ms, &a->fs);
		if (a->fs.state == FEED_LIVE)
			break;
	}
	for (long f = 0; f < o->frames && !stop_signal; f++) {
		if (f)
			pump(a, interval);
		set_clocks(a);
		feed_client_status(a->fc, a->now_ms, &a->fs);
		app_housekeep(a);
		view_refresh(a->view, a->now_ms, true);
		text_frame(a, width, 0, stdout);
		if (fflush(stdout) == EOF || ferror(stdout))
			return 1; /* the reader went away */
	}
	if (o->list_calls)
		list_calls(a, stdout);
	return 0;
}

static long next_timeout(struct app *a, int64_t last_draw, long feed_t)
{
	long frame = 1000 / (long)(a->cfg->refresh_rate ? a->cfg->refresh_rate : 10);
	long t = 1000 - (long)(a->wall_ms % 1000); /* the clock ticks once a second */
	if (a->dirty && !a->paused) {
		long d = frame - (long)(a->now_ms - last_draw);
		t = d < 0 ? 0 : d < t ? d : t;
	}
	if (feed_t >= 0 && feed_t < t)
		t = feed_t;
	if (a->nunrec && t > APP_RECORD_RETRY_MS)
		t = APP_RECORD_RETRY_MS;
	return t;
}

static int run_screen(struct app *a, const char *theme)
{
	char err[512];
	if (draw_init(a, theme, err, sizeof err) != 0) {
		draw_end();
		fprintf(stderr, "undertone: %s\n", err);
		return 1;
	}
	int64_t last_draw = 0, last_house = 0, last_sec = 0;
	unsigned empty_wakes = 0;
	bool fd_woke = false;
	long frame = 1000 / (long)(a->cfg->refresh_rate ? a->cfg->refresh_rate : 10);
	while (!a->quit && !stop_signal) {
		set_clocks(a);
		long ft = feed_client_tick(a->fc, a->now_ms);
		bool was_stale = a->fs.stale;
		int was_state = (int)a->fs.state;
		feed_client_status(a->fc, a->now_ms, &a->fs);
		/* The feed going stale (or live) is drawn now, not at the next
		 * clock tick: the timer that woke us was the staleness timer. */
		if (a->fs.stale != was_stale || (int)a->fs.state != was_state)
			a->dirty = true;
		if (a->now_ms - last_house >= 500) {
			last_house = a->now_ms;
			app_housekeep(a);
			decide_housekeep(a);
		}
		if (a->wall_ms / 1000 != last_sec) {
			last_sec = a->wall_ms / 1000;
			if (!a->paused)
				a->dirty = true; /* clock, ages, stale timer */
		}
		bool keyed = draw_input(a) > 0;
		/* A terminal that stays readable but yields no keys has gone away
		 * (hang-up without SIGHUP): stop rather than spin. */
		empty_wakes = fd_woke && !keyed ? empty_wakes + 1 : 0;
		if (empty_wakes > 1000)
			break;
		if (a->quit)
			break;
		if (a->dirty && (keyed || a->now_ms - last_draw >= frame)) {
			/* Re-sorting only when a frame is drawn bounds its cost by the
			 * refresh rate, whatever the update rate. */
			if (!a->paused)
				view_refresh(a->view, a->now_ms, false);
			draw_frame(a);
			a->dirty = false;
			last_draw = a->now_ms;
		}
		int wake = feed_client_wait(a->fc, STDIN_FILENO, next_timeout(a, last_draw, ft));
		set_clocks(a);
		fd_woke = (wake & FEED_WAKE_FD) != 0;
		if (wake & FEED_WAKE_SOCKETS) {
			if (feed_client_process(a->fc, a->now_ms, a->wall_ms, 1000, app_feed_event, a) && a->paused)
				a->dirty = false; /* paused: only keys redraw */
		}
	}
	draw_end();
	return 0;
}

static bool term_refused(void)
{
	const char *t = getenv("TERM");
	return !t || !t[0] || strcmp(t, "dumb") == 0;
}

/* The Linux virtual console's font lacks braille and most block glyphs,
 * and VT100-class terminals have no UTF-8: draw them in ASCII. */
static bool term_is_ascii(void)
{
	const char *t = getenv("TERM");
	return t && (strncmp(t, "linux", 5) == 0 || strncmp(t, "vt1", 3) == 0 ||
		strncmp(t, "vt2", 3) == 0 || strcmp(t, "ansi") == 0);
}

/* Secure mode (doc/security.md) when [security] server_public_key is set:
 * then the console's own secret key file is required too. */
static int load_keys(const struct config_console *cfg, struct transport_security *sec,
	char *err, size_t errsz)
{
	transport_security_clear(sec);
	if (!cfg->server_public_key[0] && !cfg->client_secret_key[0] && !cfg->client_public_key[0])
		return 0;
	if (!cfg->server_public_key[0] || !cfg->client_secret_key[0]) {
		snprintf(err, errsz, "secure mode needs both [security] server_public_key and "
			"client_secret_key (--server-key, --client-key)");
		return -1;
	}
	return transport_security_client(sec, cfg->server_public_key, cfg->client_secret_key,
		cfg->client_public_key, err, errsz);
}

int main(int argc, char **argv)
{
	struct opts o;
	int rc = parse_args(argc, argv, &o);
	if (rc >= 0)
		return rc;
	static struct config_console cfg;
	if (load_config(&cfg, &o) != 0)
		return 2;
	if (o.print_config) {
		config_console_print(&cfg, stdout);
		return 0;
	}
	setlocale(LC_ALL, "");
	if (!o.batch && (term_refused() || !isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "undertone: this terminal (TERM=%s) cannot show the wallboard; "
			"use 'undertone --batch' for plain text frames\n", getenv("TERM") ? getenv("TERM") : "");
		return 1;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed pipe (batch output, a socket) is an error to handle, not death. */
	signal(SIGPIPE, SIG_IGN);

	struct view *v = view_new();
	static struct app a;
	char err[512];
	if (!v) {
		fprintf(stderr, "undertone: out of memory\n");
		return 1;
	}
	app_init(&a, &cfg, v);
	set_clocks(&a);
	a.ascii = !textsafe_locale_is_utf8(getenv("LC_ALL"), getenv("LC_CTYPE"), getenv("LANG")) ||
		term_is_ascii();
	a.glyphs = a.ascii || cfg.sparkline == CONFIG_SPARK_ASCII ? VIEW_GLYPH_ASCII :
		cfg.sparkline == CONFIG_SPARK_BLOCKS ? VIEW_GLYPH_BLOCKS : VIEW_GLYPH_BRAILLE;
	identify(&a);
	struct transport_security sec;
	if (load_keys(&cfg, &sec, err, sizeof err) == 0)
		a.fc = feed_client_open_secure(cfg.feed, cfg.requests, &sec, err, sizeof err);
	transport_security_clear(&sec);
	if (a.fc && o.queues && set_queues(a.fc, o.queues) != 0) {
		fprintf(stderr, "undertone: --queues wants 1 to %d queue ids ([A-Za-z0-9_-], comma-separated)\n",
			FEED_QUEUES_MAX);
		feed_client_close(a.fc);
		view_free(v);
		return 2;
	}
	if (!a.fc) {
		fprintf(stderr, "undertone: %s\n", err);
		view_free(v);
		return 1;
	}
	if (!o.batch)
		open_recorder(&a);
	rc = o.batch ? run_batch(&a, &o) : run_screen(&a, o.theme);
	feed_client_close(a.fc);
	recorder_close(a.rec);
	app_free(&a);
	view_free(v);
	return rc;
}
