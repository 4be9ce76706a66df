/*
 * dstore_writer: a test helper that appends decisions through the real
 * dstore_append path. Prints "ok UUID" only after each commit returned, so a
 * test that kills it knows exactly which decisions were reported recorded.
 *   dstore_writer DB COUNT [AGENT [FREE_TEXT [DAYS_AGO]]]   COUNT 0 = until killed
 * DAYS_AGO back-dates the decisions (retention tests).
 * Exit: 0, or 10 + (-error) for the first failed append (e.g. 13 = EFULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "undertone/dstore.h"

static void
sample(struct dstore_record *r, long i, const char *agent, const char *text)
{
	dstore_record_init(r);
	snprintf(r->call_id, sizeof(r->call_id), "call-%ld", i % 7);
	snprintf(r->agent, sizeof(r->agent), "%s", agent);
	snprintf(r->queue, sizeof(r->queue), "q%ld", i % 3);
	r->decision = (int)(i % UT_DE__COUNT);
	r->sug.present = 1;
	snprintf(r->sug.id, sizeof(r->sug.id), "%s-s%ld", agent, i);
	snprintf(r->sug.rule, sizeof(r->sug.rule), "frustration_high");
	r->sug.kind = UT_SK_ASSIST;
	r->sug.severity = 2;
	r->sug.reasons_n = 1;
	snprintf(r->sug.reasons[0], UT_PHRASE_MAX + 1, "repetition 0.4");
	snprintf(r->reason_code, sizeof(r->reason_code), "coaching");
	if (text != NULL)
		snprintf(r->free_text, sizeof(r->free_text), "%s", text);
	else
		snprintf(r->free_text, sizeof(r->free_text), "writer %s decision %ld", agent, i);
	r->signals.has_frustration = 1;
	r->signals.frustration = 0.5;
	snprintf(r->policy_version, sizeof(r->policy_version), "p1");
	snprintf(r->lexicon_version, sizeof(r->lexicon_version), "l1");
}

int
main(int argc, char **argv)
{
	struct dstore *st;
	struct dstore_record r;
	char err[512];
	long i, n;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: dstore_writer DB COUNT [AGENT [FREE_TEXT [DAYS_AGO]]]\n");
		return 2;
	}
	n = atol(argv[2]);
	rc = dstore_open(argv[1], 0, &st, err, sizeof(err));
	if (rc != DSTORE_OK) {
		fprintf(stderr, "dstore_writer: %s\n", err);
		return 10 - rc;
	}
	dstore_set_busy_timeout(st, 30000);
	for (i = 0; n == 0 || i < n; i++) {
		sample(&r, i, argc > 3 ? argv[3] : "w", argc > 4 && argv[4][0] ? argv[4] : NULL);
		if (argc > 5)
			r.time_ms = (int64_t)time(NULL) * 1000 - atol(argv[5]) * 86400000LL + i;
		rc = dstore_append(st, &r);
		if (rc != DSTORE_OK) {
			fprintf(stderr, "dstore_writer: %s: %s\n", dstore_strerror(rc), dstore_errmsg(st));
			dstore_close(st);
			return 10 - rc;
		}
		printf("ok %s\n", r.uuid);
		fflush(stdout);
	}
	dstore_close(st);
	return 0;
}
