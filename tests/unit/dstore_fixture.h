/* Shared fixture for the dstore unit tests: a temporary directory and
 * sample records. Header-only, static functions (one per test program). */
#ifndef TESTS_DSTORE_FIXTURE_H
#define TESTS_DSTORE_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "undertone/dstore.h"

static char fx_dir[256];
static char fx_db[400];

static void
fx_setup(void)
{
	snprintf(fx_dir, sizeof(fx_dir), "/tmp/ut-dstore-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fx_dir));
	snprintf(fx_db, sizeof(fx_db), "%s/decisions.db", fx_dir);
}

static void
fx_teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx_dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct dstore *
fx_open(unsigned flags)
{
	struct dstore *st = NULL;
	char err[256];
	int rc = dstore_open(fx_db, flags, &st, err, sizeof(err));

	ck_assert_msg(rc == DSTORE_OK, "open: %s", err);
	return st;
}

/* A full decision on suggestion "s<i>" of call "call-<i%5>". */
static void
fx_record(struct dstore_record *r, int i, enum ut_decision d)
{
	dstore_record_init(r);
	r->time_ms = 1700000000000LL + i * 1000LL;
	snprintf(r->display_name, sizeof(r->display_name), "Lead %d", i % 3);
	snprintf(r->call_id, sizeof(r->call_id), "call-%d", i % 5);
	snprintf(r->agent, sizeof(r->agent), "agent-%d", i % 4);
	snprintf(r->queue, sizeof(r->queue), "%s", i % 2 ? "billing" : "support");
	r->sug.present = 1;
	snprintf(r->sug.id, sizeof(r->sug.id), "s%d", i);
	snprintf(r->sug.rule, sizeof(r->sug.rule), "%s", i % 2 ? "frustration_high" : "sentiment_drop");
	r->sug.kind = (enum ut_suggestion_kind)(i % UT_SK__COUNT);
	r->sug.severity = 1 + i % 3;
	r->sug.raised_ms = r->time_ms - 500 - i;
	r->sug.reasons_n = 2;
	snprintf(r->sug.reasons[0], UT_PHRASE_MAX + 1, "repetition 0.30 \"I already told you\"");
	snprintf(r->sug.reasons[1], UT_PHRASE_MAX + 1, "escalation 'speak to a manager'");
	r->decision = d;
	snprintf(r->reason_code, sizeof(r->reason_code), "%s", i % 3 ? "coaching" : "false_positive");
	snprintf(r->free_text, sizeof(r->free_text), "note %d, with \"quotes\"\nand a newline", i);
	r->signals.has_sentiment = 1;
	r->signals.sent_latest = -0.5;
	r->signals.sent_ewma = -0.25;
	r->signals.sent_mean = -0.125;
	r->signals.sent_slope = -0.01;
	r->signals.trend_n = 3;
	r->signals.trend[0] = (struct dstore_trend_point){ 1000, 0.1 };
	r->signals.trend[1] = (struct dstore_trend_point){ 2000, -0.2 };
	r->signals.trend[2] = (struct dstore_trend_point){ 3000, -0.5 };
	r->signals.has_frustration = 1;
	r->signals.frustration = 0.75;
	r->signals.comp[UT_FC_REPETITION] = (struct dstore_component){ 1, 0.6, 0.3, "I already told you" };
	r->signals.comp[UT_FC_ESCALATION] = (struct dstore_component){ 1, 1.0, 0.25, "speak to a manager" };
	snprintf(r->policy_version, sizeof(r->policy_version), "policy-3");
	snprintf(r->lexicon_version, sizeof(r->lexicon_version), "lex-2026.1");
}

static void
fx_fill(struct dstore *st, int n)
{
	struct dstore_record r;
	int i;

	for (i = 0; i < n; i++) {
		fx_record(&r, i, (enum ut_decision)(i % UT_DE__COUNT));
		ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	}
}

/* Run SQL on the file through a separate connection (as an attacker or an
 * old program would); returns the SQLite result code. */
static inline int
fx_sql(const char *sql)
{
	sqlite3 *db;
	int rc;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

#endif
