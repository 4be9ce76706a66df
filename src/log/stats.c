/* undertone-log stats: the feedback loop for policy thresholds. */
#include <getopt.h>
#include <string.h>
#include "log.h"

static void
overrides(struct log_opts *o, const char *title, const struct dstore_override *v, size_t n)
{
	size_t i;
	int64_t tot;

	printf("\nOverride rate by %s (dismissed or cleared against accepted):\n", title);
	if (n == 0) {
		printf("  (no accepted, dismissed or cleared decisions)\n");
		return;
	}
	printf("  %-24s %9s %11s %7s\n", title, "accepted", "overridden", "rate");
	for (i = 0; i < n; i++) {
		tot = v[i].accepted + v[i].overridden;
		log_printf_safe(o, stdout, "  %-24.24s %9lld %11lld %6.1f%%", v[i].key[0] ? v[i].key : "(none)",
		    (long long)v[i].accepted, (long long)v[i].overridden,
		    tot > 0 ? 100.0 * (double)v[i].overridden / (double)tot : 0.0);
	}
}

static void
secs(int64_t ms, char *out, size_t cap)
{
	snprintf(out, cap, "%.1f s", (double)ms / 1000.0);
}

static void
print_stats(struct log_opts *o, const struct dstore_stats *s)
{
	char a[32], b[32], c[32];
	int i;

	printf("Decisions: %lld\n\nBy kind:    ", (long long)s->total);
	for (i = 0; i <= UT_SK__COUNT; i++)
		printf(" %s %lld", s->by_kind[i].key, (long long)s->by_kind[i].n);
	printf("\nBy decision:");
	for (i = 0; i < UT_DE__COUNT; i++)
		printf(" %s %lld", s->by_decision[i].key, (long long)s->by_decision[i].n);
	printf("\n");
	overrides(o, "rule", s->by_rule, s->by_rule_n);
	overrides(o, "reason", s->by_reason, s->by_reason_n);
	secs(s->ack_p50_ms, a, sizeof(a));
	secs(s->ack_p90_ms, b, sizeof(b));
	secs(s->ack_max_ms, c, sizeof(c));
	printf("\nTime from suggestion to first decision (%lld suggestions): ", (long long)s->ack_n);
	if (s->ack_n > 0)
		printf("p50 %s, p90 %s, max %s\n", a, b, c);
	else
		printf("-\n");
	printf("Suggestions that expired with no decision: %lld\n", (long long)s->expired_undecided);
}

int
log_cmd_stats(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { LOG_FILTER_LONGOPTS, { "help", 0, NULL, 'h' },
		{ NULL, 0, NULL, 0 } };
	struct dstore_filter f;
	struct dstore_stats s;
	struct dstore *st;
	int c, rc;

	dstore_filter_init(&f);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: undertone-log stats [filters]\n%s", log_filter_help);
			return LOG_EXIT_OK;
		}
		if (c == LOG_OPT_LIMIT || log_filter_opt(c, optarg, &f) != 1) {
			if (c == LOG_OPT_LIMIT)
				log_err("stats: --limit does not apply");
			return LOG_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		log_err("stats: unexpected argument '%.40s'", argv[optind]);
		return LOG_EXIT_USAGE;
	}
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	rc = dstore_stats(st, &f, &s);
	if (rc == DSTORE_OK) {
		print_stats(o, &s);
		dstore_stats_free(&s);
	} else
		log_err("stats: %s", dstore_errmsg(st));
	dstore_close(st);
	return log_exit_for(rc);
}
