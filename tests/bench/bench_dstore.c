/*
 * bench_dstore: figures for the decision store (run on demand, no asserts).
 *   bench_dstore gen DB N        bulk-generate N decisions over the last year
 *   bench_dstore commit DB N [MS] N durable appends, MS ms apart (default 0:
 *                                back to back); prints p50/p99/max ms
 *   bench_dstore query DB        filtered list/stats timings, verify rate
 *   bench_dstore verify DB [K]   verify rate alone; K forces the number of
 *                                ranges (default: what dstore_verify picks)
 * "gen" is the bench-only bulk path: one transaction through the same
 * validation, canonical encoding and chain code as dstore_append (the
 * internal dstore__append_tx, as merge uses), with invented supervisors and
 * hosts so that filters have realistic selectivity.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "dstore_internal.h"
#include "undertone/timing.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sample(struct dstore_record *r, long i, int64_t t)
{
	dstore_record_init(r);
	r->time_ms = t;
	snprintf(r->supervisor, sizeof(r->supervisor), "lead%02ld", i % 40);
	snprintf(r->host, sizeof(r->host), "floor%ld", i % 4);
	snprintf(r->call_id, sizeof(r->call_id), "call-%ld", i / 3);
	snprintf(r->agent, sizeof(r->agent), "agent-%03ld", i % 300);
	snprintf(r->queue, sizeof(r->queue), "queue-%ld", i % 12);
	r->decision = (int)(i % UT_DE__COUNT);
	if (r->decision != UT_DE_RAISE) {
		r->sug.present = 1;
		snprintf(r->sug.id, sizeof(r->sug.id), "sug-%ld", i / 2);
		snprintf(r->sug.rule, sizeof(r->sug.rule), "rule-%ld", i % 5);
		r->sug.kind = (enum ut_suggestion_kind)(i % UT_SK__COUNT);
		r->sug.severity = 1 + (int)(i % 3);
		r->sug.raised_ms = t - 1000 - (i % 60000);
		r->sug.reasons_n = 2;
		snprintf(r->sug.reasons[0], UT_PHRASE_MAX + 1, "frustration 0.8 for 40 s");
		snprintf(r->sug.reasons[1], UT_PHRASE_MAX + 1, "escalation 'speak to a manager'");
	} else
		r->severity = 2;
	snprintf(r->reason_code, sizeof(r->reason_code), "reason-%ld", i % 9);
	if (i % 4 == 0)
		snprintf(r->free_text, sizeof(r->free_text), "customer asked twice about refund %ld", i);
	r->signals.has_sentiment = 1;
	r->signals.sent_latest = -0.4;
	r->signals.sent_ewma = -0.3;
	r->signals.sent_mean = -0.1;
	r->signals.sent_slope = -0.02;
	r->signals.trend_n = 4;
	for (int k = 0; k < 4; k++)
		r->signals.trend[k] = (struct dstore_trend_point){ t - 4000 + k * 1000, -0.1 * k };
	r->signals.has_frustration = 1;
	r->signals.frustration = 0.72;
	r->signals.comp[UT_FC_REPETITION] = (struct dstore_component){ 1, 0.5, 0.2, "I already told you" };
	r->signals.comp[UT_FC_ESCALATION] = (struct dstore_component){ 1, 1.0, 0.3, "speak to a manager" };
	snprintf(r->policy_version, sizeof(r->policy_version), "policy-7");
	snprintf(r->lexicon_version, sizeof(r->lexicon_version), "lex-2026.2");
}

static int
gen(struct dstore *st, long n)
{
	struct dstore_record r;
	int64_t end = timing_wall_ms(), span = 365LL * 86400000;
	double t0 = now_s();
	bool dup;
	long i;

	/* A large page cache keeps the one big transaction from spilling. */
	sqlite3_exec(st->db, "PRAGMA cache_size=-262144", NULL, NULL, NULL);
	if (dstore__begin(st) != DSTORE_OK)
		return 1;
	for (i = 0; i < n; i++) {
		sample(&r, i, end - span + (int64_t)((double)span * (double)i / (double)n));
		if (dstore__append_tx(st, &r, true, &dup) != DSTORE_OK) {
			fprintf(stderr, "gen: %s\n", dstore_errmsg(st));
			dstore__rollback(st);
			return 1;
		}
	}
	if (dstore__commit(st) != DSTORE_OK)
		return 1;
	printf("gen: %ld records in %.1f s\n", n, now_s() - t0);
	return 0;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int
commit(struct dstore *st, long n, long gap_ms)
{
	struct timespec pause = { gap_ms / 1000, (gap_ms % 1000) * 1000000L };
	struct dstore_record r;
	double *lat = calloc((size_t)n, sizeof(double)), t;
	long i;

	if (lat == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		sample(&r, i, timing_wall_ms());
		r.supervisor[0] = r.host[0] = '\0';   /* the real path fills them from the OS */
		t = now_s();
		if (dstore_append(st, &r) != DSTORE_OK) {
			fprintf(stderr, "commit: %s\n", dstore_errmsg(st));
			free(lat);
			return 1;
		}
		lat[i] = (now_s() - t) * 1000.0;
		if (gap_ms > 0)
			nanosleep(&pause, NULL);
	}
	qsort(lat, (size_t)n, sizeof(double), cmpd);
	printf("commit: %ld appends %ld ms apart  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", n, gap_ms,
	    lat[n / 2], lat[(n * 99) / 100], lat[n - 1]);
	free(lat);
	return 0;
}

static int
count_cb(const struct dstore_record *r, void *ctx)
{
	(void)r;
	(*(long *)ctx)++;
	return 0;
}

static void
time_list(struct dstore *st, const char *what, const struct dstore_filter *f)
{
	double t = now_s();
	long n = 0;

	dstore_query(st, f, count_cb, &n);
	printf("list %-44s %7ld rows  %7.1f ms\n", what, n, (now_s() - t) * 1000.0);
}

static void
time_stats(struct dstore *st, const char *what, const struct dstore_filter *f)
{
	struct dstore_stats s;
	double t = now_s();

	if (dstore_stats(st, f, &s) == DSTORE_OK) {
		printf("stats %-43s %7lld rows  %7.1f ms\n", what, (long long)s.total, (now_s() - t) * 1000.0);
		dstore_stats_free(&s);
	}
}

/* ranges: 0 = what dstore_verify picks, else forced (the internal split). */
static void
time_verify(struct dstore *st, int ranges)
{
	struct dstore_verify_result vr;
	double t = now_s(), c = cpu_s();
	int rc = dstore__verify_split(st, ranges, &vr);

	t = now_s() - t;
	c = cpu_s() - c;
	if (rc != DSTORE_OK)
		printf("verify FAILED: %s\n", vr.detail[0] ? vr.detail : dstore_errmsg(st));
	/* CPU time of all threads: on an otherwise idle machine the wall time
	 * approaches cpu / cores; under load it shows what we used. */
	printf("verify: %lld records in %.2f s = %.0f records/s (cpu %.2f s, %ld cpus online)\n",
	    (long long)vr.records, t, (double)vr.records / t, c, sysconf(_SC_NPROCESSORS_ONLN));
}

static int
query(struct dstore *st)
{
	struct dstore_filter f;
	int64_t now = timing_wall_ms();

	dstore_filter_init(&f);
	f.skip_signals = 1;
	f.since_ms = now - 3600000;
	f.newest_first = 1;
	f.limit = 200;
	time_list(st, "--since 1h, newest 200 (review screen)", &f);
	dstore_filter_init(&f);
	f.skip_signals = 1;
	f.supervisor = "lead07";
	f.since_ms = now - 30LL * 86400000;
	time_list(st, "--supervisor lead07 --since 30d", &f);
	dstore_filter_init(&f);
	f.skip_signals = 1;
	f.queue = "queue-3";
	f.since_ms = now - 7LL * 86400000;
	time_list(st, "--queue queue-3 --since 7d", &f);
	dstore_filter_init(&f);
	f.skip_signals = 1;
	f.call_id = "call-1000";
	time_list(st, "--call call-1000", &f);
	dstore_filter_init(&f);
	f.skip_signals = 1;
	f.decision = UT_DE_DISMISS;
	f.since_ms = now - 7LL * 86400000;
	time_list(st, "--decision dismiss --since 7d", &f);
	dstore_filter_init(&f);
	f.since_ms = now - 7LL * 86400000;
	time_stats(st, "--since 7d", &f);
	f.since_ms = now - 30LL * 86400000;
	time_stats(st, "--since 30d", &f);
	dstore_filter_init(&f);
	f.queue = "queue-3";
	f.since_ms = now - 30LL * 86400000;
	time_stats(st, "--queue queue-3 --since 30d", &f);
	time_verify(st, 0);
	return 0;
}

int
main(int argc, char **argv)
{
	struct dstore *st;
	char err[512];
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_dstore gen DB N | commit DB N [MS] | query DB | verify DB [RANGES]\n");
		return 2;
	}
	if (dstore_open(argv[2], (strcmp(argv[1], "query") == 0 || strcmp(argv[1], "verify") == 0) ? DSTORE_READONLY : 0,
	    &st, err, sizeof(err)) != DSTORE_OK) {
		fprintf(stderr, "bench_dstore: %s\n", err);
		return 1;
	}
	dstore_set_busy_timeout(st, 30000);
	if (strcmp(argv[1], "gen") == 0 && argc == 4)
		rc = gen(st, atol(argv[3]));
	else if (strcmp(argv[1], "commit") == 0 && (argc == 4 || argc == 5))
		rc = commit(st, atol(argv[3]), argc == 5 ? atol(argv[4]) : 0);
	else if (strcmp(argv[1], "query") == 0)
		rc = query(st);
	else if (strcmp(argv[1], "verify") == 0 && (argc == 3 || argc == 4)) {
		time_verify(st, argc == 4 ? atoi(argv[3]) : 0);
		rc = 0;
	}
	else
		rc = 2;
	dstore_close(st);
	return rc;
}
