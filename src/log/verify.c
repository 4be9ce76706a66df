/* undertone-log verify, checkpoint and keygen. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "log.h"

static int
integrity(struct log_opts *o, struct dstore *st, bool quick)
{
	char detail[256];
	int rc = dstore_integrity(st, quick ? 0 : 1, detail, sizeof(detail));

	if (rc == DSTORE_OK)
		return LOG_EXIT_OK;
	fputs("FAILED: SQLite integrity check: ", stdout);
	log_puts_safe(o, stdout, detail);
	fputc('\n', stdout);
	return LOG_EXIT_FAILED;
}

static int
report(struct log_opts *o, struct dstore *st, int rc, const struct dstore_verify_result *vr,
       const char *cp)
{
	char h[2 * DSTORE_HASH_LEN + 1];

	if (rc == DSTORE_ECHAIN) {
		printf("FAILED at record #%lld: ", (long long)vr->bad_seq);
		log_puts_safe(o, stdout, vr->detail);
		fputc('\n', stdout);
		return LOG_EXIT_FAILED;
	}
	if (rc != DSTORE_OK) {
		fputs("FAILED: ", stdout);
		log_puts_safe(o, stdout, dstore_errmsg(st));
		fputc('\n', stdout);
		return log_exit_for(rc);
	}
	dstore_hex(vr->head, DSTORE_HASH_LEN, h);
	printf("ok: %lld records (#%lld..#%lld), chain intact, head %s\n", (long long)vr->records,
	    (long long)vr->first_seq, (long long)vr->head_seq, h);
	if (cp != NULL) {
		fputs("ok: the log extends checkpoint ", stdout);
		log_puts_safe(o, stdout, cp);
		fputc('\n', stdout);
	}
	return LOG_EXIT_OK;
}

int
log_cmd_verify(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { { "checkpoint", 1, NULL, 'c' }, { "pubkey", 1, NULL, 'p' },
		{ "quick", 0, NULL, 'q' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct dstore_verify_result vr;
	struct dstore *st;
	const char *cp = NULL, *pub = NULL;
	bool quick = false;
	struct timespec t0, t1;
	double secs;
	int c, rc, ex;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:p:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'c': cp = optarg; break;
		case 'p': pub = optarg; break;
		case 'q': quick = true; break;
		case 'h':
			printf("usage: undertone-log verify [--checkpoint FILE [--pubkey FILE]] [--quick]\n");
			return LOG_EXIT_OK;
		default: return LOG_EXIT_USAGE;
		}
	}
	if (optind != argc || (pub != NULL && cp == NULL)) {
		log_err("usage: undertone-log verify [--checkpoint FILE [--pubkey FILE]] [--quick]");
		return LOG_EXIT_USAGE;
	}
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK) {
		printf("FAILED: cannot open the database\n");
		return rc == LOG_EXIT_DB ? LOG_EXIT_FAILED : rc;
	}
	ex = integrity(o, st, quick);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = cp != NULL ? dstore_checkpoint_verify(st, cp, pub, &vr) : dstore_verify(st, &vr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == DSTORE_EKEY) {
		log_err("verify: %s", dstore_errmsg(st));
		dstore_close(st);
		return LOG_EXIT_KEY;
	}
	rc = report(o, st, rc, &vr, cp);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (getenv("UNDERTONE_LOG_TIMING") != NULL)
		fprintf(stderr, "verify: %lld records in %.3f s (%.0f records/s)\n",
		    (long long)vr.records, secs, secs > 0 ? (double)vr.records / secs : 0.0);
	dstore_close(st);
	return ex != LOG_EXIT_OK ? ex : rc;
}

int
log_cmd_checkpoint(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { { "key", 1, NULL, 'k' }, { "out", 1, NULL, 'o' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct dstore *st;
	const char *key = NULL, *out = NULL;
	char def[64];
	int64_t count, seq;
	unsigned char head[DSTORE_HASH_LEN];
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:o:h", lo, NULL)) != -1) {
		if (c == 'k')
			key = optarg;
		else if (c == 'o')
			out = optarg;
		else if (c == 'h') {
			printf("usage: undertone-log checkpoint --key SECRET [--out FILE]\n");
			return LOG_EXIT_OK;
		} else
			return LOG_EXIT_USAGE;
	}
	if (key == NULL || optind != argc) {
		log_err("usage: undertone-log checkpoint --key SECRET [--out FILE]");
		return LOG_EXIT_USAGE;
	}
	if ((rc = log_open(o, DSTORE_READONLY | DSTORE_NOCHECK, &st)) != LOG_EXIT_OK)
		return rc;
	if (out == NULL) {
		rc = dstore_head(st, &count, &seq, head);
		snprintf(def, sizeof(def), "checkpoint-%lld.txt", (long long)seq);
		out = def;
	}
	rc = dstore_checkpoint(st, key, out);
	if (rc == DSTORE_OK)
		printf("wrote %s\n", out);
	else
		log_err("checkpoint: %s", dstore_errmsg(st));
	dstore_close(st);
	return log_exit_for(rc);
}

int
log_cmd_keygen(struct log_opts *o, int argc, char **argv)
{
	static const struct option lo[] = { { "key", 1, NULL, 'k' }, { "pub", 1, NULL, 'p' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	const char *key = NULL, *pub = NULL;
	char def[4200];
	int c, rc;

	(void)o;
	optind = 1;
	while ((c = getopt_long(argc, argv, "k:p:h", lo, NULL)) != -1) {
		if (c == 'k')
			key = optarg;
		else if (c == 'p')
			pub = optarg;
		else if (c == 'h') {
			printf("usage: undertone-log keygen --key SECRET [--pub FILE (default SECRET.pub)]\n");
			return LOG_EXIT_OK;
		} else
			return LOG_EXIT_USAGE;
	}
	if (key == NULL || optind != argc || strlen(key) > 4000) {
		log_err("usage: undertone-log keygen --key SECRET [--pub FILE]");
		return LOG_EXIT_USAGE;
	}
	if (pub == NULL) {
		snprintf(def, sizeof(def), "%s.pub", key);
		pub = def;
	}
	rc = dstore_keygen(key, pub);
	if (rc != DSTORE_OK) {
		log_err("keygen: cannot write %s / %s (%s; existing keys are never overwritten)",
		    key, pub, dstore_strerror(rc));
		return LOG_EXIT_KEY;
	}
	printf("wrote secret key %s (mode 0600) and public key %s\n", key, pub);
	return LOG_EXIT_OK;
}
