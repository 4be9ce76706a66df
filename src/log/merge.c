/* undertone-log merge and prune: the two commands that write a log. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "log.h"
#include "undertone/timing.h"

int
log_cmd_merge(struct log_opts *o, int argc, char **argv)
{
	struct dstore_merge_result mr;
	char err[600];
	int rc;

	(void)o;
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		printf("usage: undertone-log merge OUT.db IN.db...\n");
		return LOG_EXIT_OK;
	}
	if (argc < 3 || argc - 2 > 64) {
		log_err("usage: undertone-log merge OUT.db IN.db...  (1 to 64 inputs)");
		return LOG_EXIT_USAGE;
	}
	err[0] = '\0';
	rc = dstore_merge(argv[1], (const char *const *)(argv + 2), (size_t)(argc - 2), &mr,
	    err, sizeof(err));
	if (rc != DSTORE_OK) {
		log_err("merge: %s", err[0] ? err : dstore_strerror(rc));
		return rc == DSTORE_ECHAIN ? LOG_EXIT_FAILED : log_exit_for(rc);
	}
	printf("merged %lld records: %lld written, %lld duplicates skipped\n",
	    (long long)mr.read, (long long)mr.written, (long long)mr.duplicates);
	return LOG_EXIT_OK;
}

static int
dry_run(struct log_opts *o, int64_t cutoff)
{
	struct dstore_filter f;
	struct dstore_stats s;
	struct dstore *st;
	char tm[40];
	int rc;

	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	dstore_filter_init(&f);
	f.until_ms = cutoff;
	rc = dstore_stats(st, &f, &s);
	log_fmt_time(cutoff, false, tm, sizeof(tm));
	if (rc == DSTORE_OK) {
		printf("dry run: up to %lld decisions older than %s UTC would be removed\n",
		    (long long)s.total, tm);
		dstore_stats_free(&s);
	}
	dstore_close(st);
	return log_exit_for(rc);
}

int
log_cmd_prune(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { { "older-than", 1, NULL, 'o' }, { "dry-run", 0, NULL, 'n' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct dstore_prune_result pr;
	struct dstore *st;
	int64_t age = -1;
	bool dry = false;
	char tm[40];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:nh", lo, NULL)) != -1) {
		if (c == 'o') {
			if (log_parse_age(optarg, &age) != 0 || age < 86400000) {
				log_err("prune: --older-than needs an age of at least 1d, like 365d");
				return LOG_EXIT_USAGE;
			}
		} else if (c == 'n')
			dry = true;
		else if (c == 'h') {
			printf("usage: undertone-log prune --older-than AGE [--dry-run]   (AGE like 365d)\n");
			return LOG_EXIT_OK;
		} else
			return LOG_EXIT_USAGE;
	}
	if (age < 0 || optind != argc) {
		log_err("usage: undertone-log prune --older-than AGE [--dry-run]");
		return LOG_EXIT_USAGE;
	}
	if (dry)
		return dry_run(o, timing_wall_ms() - age);
	if ((rc = log_open(o, 0, &st)) != LOG_EXIT_OK)
		return rc;
	rc = dstore_prune(st, timing_wall_ms() - age, &pr);
	log_fmt_time(timing_wall_ms() - age, false, tm, sizeof(tm));
	if (rc == DSTORE_OK && pr.removed > 0)
		printf("pruned %lld records older than %s UTC (through #%lld); summary record #%lld\n",
		    (long long)pr.removed, tm, (long long)pr.through_seq, (long long)pr.summary_seq);
	else if (rc == DSTORE_OK)
		printf("nothing older than %s UTC\n", tm);
	else
		log_err("prune: %s", dstore_errmsg(st));
	dstore_close(st);
	return log_exit_for(rc);
}
