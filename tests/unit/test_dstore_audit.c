/* Unit tests for dstore's audit functions: signed checkpoints, retention,
 * merge and statistics. */
#include <sys/stat.h>
#include "dstore_fixture.h"
#include "ut_check.h"

static char sk[400], pk[400], cp[400];

static void
keys(void)
{
	snprintf(sk, sizeof(sk), "%s/key.secret", fx_dir);
	snprintf(pk, sizeof(pk), "%s/key.pub", fx_dir);
	snprintf(cp, sizeof(cp), "%s/cp.txt", fx_dir);
	ck_assert_int_eq(dstore_keygen(sk, pk), DSTORE_OK);
}

START_TEST(keygen_modes_and_no_overwrite)
{
	struct stat sb;

	keys();
	ck_assert_int_eq(stat(sk, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(pk, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0644);
	ck_assert_int_eq(dstore_keygen(sk, pk), DSTORE_EKEY);
}
END_TEST

START_TEST(checkpoint_extends)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;

	keys();
	fx_fill(st, 10);
	ck_assert_int_eq(dstore_checkpoint(st, sk, cp), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_OK);
	fx_fill(st, 5);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, NULL, &vr), DSTORE_OK);
	dstore_close(st);
}
END_TEST

START_TEST(checkpoint_detects_rewrite)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;
	struct dstore_record r;

	keys();
	fx_fill(st, 6);
	ck_assert_int_eq(dstore_checkpoint(st, sk, cp), DSTORE_OK);
	dstore_close(st);
	/* Rewrite the whole log from scratch: its own chain is valid, but it no
	 * longer extends the signed head. */
	ck_assert_int_eq(unlink(fx_db), 0);
	st = fx_open(0);
	fx_fill(st, 6);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_EEXTEND);
	dstore_close(st);
	/* A shorter log does not extend it either. */
	ck_assert_int_eq(unlink(fx_db), 0);
	st = fx_open(0);
	fx_record(&r, 1, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_EEXTEND);
	dstore_close(st);
}
END_TEST

static void
edit_file(const char *path, const char *from, const char *to)
{
	char buf[4096], *p;
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, from);
	ck_assert_ptr_nonnull(p);
	memcpy(p, to, strlen(to));
	f = fopen(path, "w");
	fwrite(buf, 1, n, f);
	fclose(f);
}

START_TEST(checkpoint_signature_checked)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;
	char sk2[400], pk2[400];

	keys();
	fx_fill(st, 3);
	ck_assert_int_eq(dstore_checkpoint(st, sk, cp), DSTORE_OK);
	snprintf(sk2, sizeof(sk2), "%s/k2.secret", fx_dir);
	snprintf(pk2, sizeof(pk2), "%s/k2.pub", fx_dir);
	ck_assert_int_eq(dstore_keygen(sk2, pk2), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk2, &vr), DSTORE_ESIG);
	edit_file(cp, "seq 3", "seq 2");
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, NULL, &vr), DSTORE_ESIG);
	edit_file(cp, "seq 2", "seq 3");
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_OK);
	edit_file(cp, "undertone-checkpoint 1", "undertone-checkpoint 9");
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_ESIG);
	/* A secret key readable by others is refused. */
	ck_assert_int_eq(chmod(sk, 0644), 0);
	ck_assert_int_eq(dstore_checkpoint(st, sk, cp), DSTORE_EKEY);
	dstore_close(st);
}
END_TEST

START_TEST(prune_keeps_chain_verifiable)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;
	struct dstore_prune_result pr;
	struct dstore_record r;
	struct dstore_filter f;
	struct dstore_record *v;
	size_t n;

	keys();
	fx_fill(st, 20);          /* times base + 0s .. base + 19s */
	ck_assert_int_eq(dstore_checkpoint(st, sk, cp), DSTORE_OK);
	ck_assert_int_eq(dstore_prune(st, 1700000000000LL + 8000, &pr), DSTORE_OK);
	ck_assert_int_eq(pr.removed, 8);
	ck_assert_int_eq(pr.through_seq, 8);
	ck_assert_int_eq(pr.summary_seq, 21);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.first_seq, 9);
	ck_assert_int_eq(vr.records, 13);
	ck_assert_int_eq(dstore_get_seq(st, 21, &r), DSTORE_OK);
	ck_assert_int_eq(r.type, DSTORE_TYPE_PRUNE);
	ck_assert_ptr_nonnull(strstr(r.free_text, "\"removed\":8"));
	/* The checkpoint taken before pruning is still proven (its head is kept). */
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_OK);
	dstore_filter_init(&f);
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 12);   /* PRUNE records are not decisions */
	free(v);
	f.include_prune = 1;
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 13);
	free(v);
	/* Nothing older: no-op. A second prune anchors on the first. */
	ck_assert_int_eq(dstore_prune(st, 1700000000000LL + 8000, &pr), DSTORE_OK);
	ck_assert_int_eq(pr.removed, 0);
	ck_assert_int_eq(dstore_prune(st, 1700000000000LL + 15000, &pr), DSTORE_OK);
	ck_assert_int_eq(pr.removed, 7);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_OK);
	/* Prune everything, earlier PRUNE records too: the checkpoint's record
	 * is gone and no anchor names it, but the rest still verifies. */
	ck_assert_int_eq(dstore_prune(st, INT64_MAX / 2, &pr), DSTORE_OK);
	ck_assert_int_eq(pr.removed, 7);   /* 16..20 and PRUNE records 21, 22 */
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 1);
	ck_assert_int_eq(dstore_checkpoint_verify(st, cp, pk, &vr), DSTORE_EEXTEND);
	fx_fill(st, 2);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	dstore_close(st);
}
END_TEST

START_TEST(prune_anchor_tamper_detected)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;
	struct dstore_prune_result pr;

	fx_fill(st, 10);
	ck_assert_int_eq(dstore_prune(st, 1700000000000LL + 5000, &pr), DSTORE_OK);
	dstore_close(st);
	/* Removing more old records by hand breaks the anchor. */
	ck_assert_int_eq(fx_sql("DROP TRIGGER decisions_no_delete; DELETE FROM decisions WHERE seq = 6"),
	    SQLITE_OK);
	st = fx_open(DSTORE_READONLY);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_ECHAIN);
	ck_assert_int_eq(vr.bad_seq, 7);
	dstore_close(st);
}
END_TEST

static struct dstore *
open_at(const char *name)
{
	struct dstore *st = NULL;
	char path[400], err[256];

	snprintf(path, sizeof(path), "%s/%s", fx_dir, name);
	ck_assert_int_eq(dstore_open(path, 0, &st, err, sizeof(err)), DSTORE_OK);
	return st;
}

START_TEST(merge_dedups_and_records_origin)
{
	struct dstore *a = open_at("a.db"), *b = open_at("b.db"), *o;
	struct dstore_merge_result mr;
	struct dstore_verify_result vr;
	struct dstore_record r, *v;
	struct dstore_filter f;
	char pa[400], pb[400], po[400], err[256];
	const char *in[2] = { pa, pb };
	size_t n;
	int i;

	for (i = 0; i < 6; i++) {
		fx_record(&r, i, UT_DE_ACCEPT);
		ck_assert_int_eq(dstore_append(a, &r), DSTORE_OK);
		if (i % 2 == 0)
			ck_assert_int_eq(dstore_append(b, &r), DSTORE_OK);  /* same UUID on b */
	}
	fx_record(&r, 100, UT_DE_DISMISS);
	ck_assert_int_eq(dstore_append(b, &r), DSTORE_OK);
	dstore_close(a);
	dstore_close(b);
	snprintf(pa, sizeof(pa), "%s/a.db", fx_dir);
	snprintf(pb, sizeof(pb), "%s/b.db", fx_dir);
	snprintf(po, sizeof(po), "%s/out.db", fx_dir);
	ck_assert_int_eq(dstore_merge(po, in, 2, &mr, err, sizeof(err)), DSTORE_OK);
	ck_assert_int_eq(mr.read, 10);
	ck_assert_int_eq(mr.written, 7);
	ck_assert_int_eq(mr.duplicates, 3);
	o = open_at("out.db");
	ck_assert_int_eq(dstore_verify(o, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 7);
	dstore_filter_init(&f);
	ck_assert_int_eq(dstore_list(o, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 7);
	for (i = 1; i < (int)n; i++)
		ck_assert_int_le(v[i - 1].time_ms, v[i].time_ms);
	ck_assert_ptr_nonnull(strstr(v[0].origin, ":a.db#1"));
	ck_assert_ptr_nonnull(strstr(v[6].origin, ":b.db#4"));
	free(v);
	dstore_close(o);
	/* Merging again adds nothing. */
	ck_assert_int_eq(dstore_merge(po, in, 2, &mr, err, sizeof(err)), DSTORE_OK);
	ck_assert_int_eq(mr.written, 0);
	/* A tampered input stops the merge before anything is written. */
	snprintf(fx_db, sizeof(fx_db), "%s", pb);
	ck_assert_int_eq(fx_sql("DROP TRIGGER decisions_no_update; UPDATE decisions SET queue = 'x' WHERE seq = 2"),
	    SQLITE_OK);
	ck_assert_int_eq(dstore_merge(po, in, 2, &mr, err, sizeof(err)), DSTORE_ECHAIN);
	ck_assert_ptr_nonnull(strstr(err, "#2"));
	ck_assert_int_eq(dstore_merge(po, in, 0, &mr, err, sizeof(err)), DSTORE_EINVAL);
	in[1] = po;
	ck_assert_int_eq(dstore_merge(po, in, 2, &mr, err, sizeof(err)), DSTORE_EINVAL);
}
END_TEST

static void
decide(struct dstore *st, const char *sug, const char *rule, const char *reason,
       enum ut_decision d, int64_t raised, int64_t at)
{
	struct dstore_record r;

	fx_record(&r, 0, d);
	snprintf(r.sug.id, sizeof(r.sug.id), "%s", sug);
	snprintf(r.sug.rule, sizeof(r.sug.rule), "%s", rule);
	snprintf(r.reason_code, sizeof(r.reason_code), "%s", reason);
	r.sug.raised_ms = raised;
	r.time_ms = at;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
}

START_TEST(stats_figures)
{
	struct dstore *st = fx_open(0);
	struct dstore_stats s;
	struct dstore_filter f;
	struct dstore_expiry e;

	decide(st, "a", "drop", "ok", UT_DE_ACKNOWLEDGE, 1000, 2000);    /* first: 1000 ms */
	decide(st, "a", "drop", "ok", UT_DE_ACCEPT, 1000, 9000);
	decide(st, "b", "drop", "noise", UT_DE_DISMISS, 1000, 4000);     /* 3000 ms */
	decide(st, "c", "high", "noise", UT_DE_CLEAR, 1000, 11000);      /* 10000 ms */
	decide(st, "d", "high", "ok", UT_DE_ACCEPT, 1000, 1500);         /* 500 ms */
	memset(&e, 0, sizeof(e));
	snprintf(e.suggestion_id, sizeof(e.suggestion_id), "zzz");
	e.severity = 2;
	e.raised_ms = 100;
	e.expired_ms = 5000;
	ck_assert_int_eq(dstore_note_expired(st, &e), DSTORE_OK);
	ck_assert_int_eq(dstore_note_expired(st, &e), DSTORE_OK);          /* idempotent */
	snprintf(e.suggestion_id, sizeof(e.suggestion_id), "a");           /* was decided */
	ck_assert_int_eq(dstore_note_expired(st, &e), DSTORE_OK);
	e.severity = 0;
	ck_assert_int_eq(dstore_note_expired(st, &e), DSTORE_EINVAL);
	dstore_filter_init(&f);
	ck_assert_int_eq(dstore_stats(st, &f, &s), DSTORE_OK);
	ck_assert_int_eq(s.total, 5);
	ck_assert_int_eq(s.by_decision[UT_DE_ACCEPT].n, 2);
	ck_assert_int_eq(s.by_decision[UT_DE_CLEAR].n, 1);
	ck_assert_int_eq(s.by_kind[UT_SK_ASSIST].n, 5);
	ck_assert_uint_eq(s.by_rule_n, 2);
	ck_assert_str_eq(s.by_rule[0].key, "drop");
	ck_assert_int_eq(s.by_rule[0].accepted, 1);
	ck_assert_int_eq(s.by_rule[0].overridden, 1);
	ck_assert_str_eq(s.by_rule[1].key, "high");
	ck_assert_int_eq(s.by_rule[1].overridden, 1);
	ck_assert_uint_eq(s.by_reason_n, 2);
	ck_assert_str_eq(s.by_reason[0].key, "noise");
	ck_assert_int_eq(s.by_reason[0].overridden, 2);
	ck_assert_int_eq(s.ack_n, 4);
	ck_assert_int_eq(s.ack_p50_ms, 1000);
	ck_assert_int_eq(s.ack_p90_ms, 10000);
	ck_assert_int_eq(s.ack_max_ms, 10000);
	ck_assert_int_eq(s.expired_undecided, 1);
	dstore_stats_free(&s);
	f.since_ms = 3000;
	ck_assert_int_eq(dstore_stats(st, &f, &s), DSTORE_OK);
	ck_assert_int_eq(s.total, 3);
	ck_assert_int_eq(s.expired_undecided, 1);
	dstore_stats_free(&s);
	f.since_ms = 6000;
	ck_assert_int_eq(dstore_stats(st, &f, &s), DSTORE_OK);
	ck_assert_int_eq(s.expired_undecided, 0);
	dstore_stats_free(&s);
	dstore_close(st);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dstore_audit");
	TCase *t = tcase_create("audit");

	tcase_add_checked_fixture(t, fx_setup, fx_teardown);
	tcase_add_test(t, keygen_modes_and_no_overwrite);
	tcase_add_test(t, checkpoint_extends);
	tcase_add_test(t, checkpoint_detects_rewrite);
	tcase_add_test(t, checkpoint_signature_checked);
	tcase_add_test(t, prune_keeps_chain_verifiable);
	tcase_add_test(t, prune_anchor_tamper_detected);
	tcase_add_test(t, merge_dedups_and_records_origin);
	tcase_add_test(t, stats_figures);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
