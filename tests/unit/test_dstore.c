/* Unit tests for dstore: insert/read, identity, filters, the chain,
 * tampering, triggers, migrations, the forwarding queue, validation. */
#include <sys/stat.h>
#include <pwd.h>
#include <pthread.h>
#include "dstore_fixture.h"
#include "dstore_internal.h"
#include "ut_check.h"

START_TEST(create_mode_private)
{
	struct dstore *st = fx_open(0);
	struct stat sb;

	ck_assert_int_eq(stat(fx_db, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(dstore_schema_version(st), DSTORE_SCHEMA_VERSION);
	dstore_close(st);
}
END_TEST

START_TEST(create_mode_group_shared)
{
	struct dstore *st;
	struct stat sb;

	ck_assert_int_eq(chmod(fx_dir, 02770), 0);
	st = fx_open(0);
	ck_assert_int_eq(stat(fx_db, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0660);
	dstore_close(st);
}
END_TEST

START_TEST(append_roundtrip)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r, g;
	struct passwd *pw = getpwuid(geteuid());

	setenv("USER", "mallory", 1);
	setenv("LOGNAME", "mallory", 1);
	fx_record(&r, 7, UT_DE_DISMISS);
	snprintf(r.supervisor, sizeof(r.supervisor), "forged");
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(r.seq, 1);
	ck_assert_uint_eq(strlen(r.uuid), DSTORE_UUID_LEN);
	ck_assert_str_eq(r.supervisor, pw->pw_name);
	ck_assert_int_eq(dstore_get_uuid(st, r.uuid, &g), DSTORE_OK);
	ck_assert_str_eq(g.supervisor, pw->pw_name);
	ck_assert_str_eq(g.host, r.host);
	ck_assert_str_eq(g.call_id, "call-2");
	ck_assert_str_eq(g.free_text, r.free_text);
	ck_assert_int_eq(g.decision, UT_DE_DISMISS);
	ck_assert_int_eq(g.sug.present, 1);
	ck_assert_int_eq(g.sug.kind, r.sug.kind);
	ck_assert_uint_eq(g.sug.reasons_n, 2);
	ck_assert_str_eq(g.sug.reasons[1], r.sug.reasons[1]);
	ck_assert_int_eq(g.signals.has_frustration, 1);
	ck_assert(g.signals.frustration == 0.75);
	ck_assert_uint_eq(g.signals.trend_n, 3);
	ck_assert(g.signals.trend[2].value == -0.5);
	ck_assert_str_eq(g.signals.comp[UT_FC_ESCALATION].evidence, "speak to a manager");
	ck_assert_int_eq(g.signals.comp[UT_FC_PACE].present, 0);
	ck_assert_mem_eq(g.hash, r.hash, DSTORE_HASH_LEN);
	ck_assert_int_eq(dstore_get_seq(st, 1, &g), DSTORE_OK);
	ck_assert_str_eq(g.uuid, r.uuid);
	ck_assert_int_eq(dstore_get_seq(st, 2, &g), DSTORE_ENOTFOUND);
	/* Callers cannot forge a retention record or a merge origin. */
	fx_record(&r, 8, UT_DE_ACCEPT);
	r.type = DSTORE_TYPE_PRUNE;
	snprintf(r.origin, sizeof(r.origin), "forged");
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(dstore_get_seq(st, 2, &g), DSTORE_OK);
	ck_assert_int_eq(g.type, DSTORE_TYPE_DECISION);
	ck_assert_str_eq(g.origin, "");
	dstore_close(st);
}
END_TEST

START_TEST(human_raised_flag)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r, g;
	struct dstore_filter f;
	struct dstore_record *v;
	size_t n;

	dstore_record_init(&r);
	snprintf(r.call_id, sizeof(r.call_id), "c9");
	r.decision = UT_DE_RAISE;
	r.severity = 2;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(dstore_get_seq(st, 1, &g), DSTORE_OK);
	ck_assert_int_eq(g.sug.present, 0);
	ck_assert_int_eq(g.severity, 2);
	dstore_filter_init(&f);
	f.kind = DSTORE_KIND_NONE;
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 1);
	free(v);
	dstore_close(st);
}
END_TEST

START_TEST(retry_is_idempotent)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;
	int64_t count, seq;
	unsigned char h[DSTORE_HASH_LEN];

	fx_record(&r, 1, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(r.seq, 1);
	ck_assert_int_eq(dstore_head(st, &count, &seq, h), DSTORE_OK);
	ck_assert_int_eq(count, 1);
	dstore_close(st);
}
END_TEST

START_TEST(rejects_bad_records)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;

	fx_record(&r, 1, UT_DE_ACCEPT);
	r.decision = UT_DE__COUNT;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	memcpy(r.free_text, "bad \xff utf8", 11);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	memset(r.call_id, 'x', sizeof(r.call_id));          /* no NUL inside */
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	r.call_id[0] = '\0';
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	r.signals.frustration = 0.0 / 0.0;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	r.sug.reasons_n = UT_REASONS_MAX + 1;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	r.sug.severity = 9;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	fx_record(&r, 1, UT_DE_ACCEPT);
	r.signals.trend_n = DSTORE_SNAP_TREND + 1;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EINVAL);
	ck_assert_int_eq(fx_sql("SELECT 1"), SQLITE_OK);
	dstore_close(st);
}
END_TEST

static size_t
count(struct dstore *st, const struct dstore_filter *f)
{
	struct dstore_record *v;
	size_t n;

	ck_assert_int_eq(dstore_list(st, f, &v, &n), DSTORE_OK);
	free(v);
	return n;
}

START_TEST(filters)
{
	struct dstore *st = fx_open(0);
	struct dstore_filter f;
	struct dstore_record *v;
	size_t n;

	fx_fill(st, 40);
	dstore_filter_init(&f);
	ck_assert_uint_eq(count(st, &f), 40);
	f.call_id = "call-3";
	ck_assert_uint_eq(count(st, &f), 8);
	f.queue = "billing";
	ck_assert_uint_eq(count(st, &f), 4);   /* i = 3, 13, 23, 33 */
	dstore_filter_init(&f);
	f.decision = UT_DE_SNOOZE;
	ck_assert_uint_eq(count(st, &f), 6);   /* i % 7 == 3 */
	dstore_filter_init(&f);
	f.kind = UT_SK_REVIEW;
	ck_assert_uint_eq(count(st, &f), 10);
	dstore_filter_init(&f);
	f.reason_code = "false_positive";
	ck_assert_uint_eq(count(st, &f), 14);  /* i % 3 == 0 */
	dstore_filter_init(&f);
	f.since_ms = 1700000000000LL + 10000;
	f.until_ms = 1700000000000LL + 20000;
	ck_assert_uint_eq(count(st, &f), 10);
	dstore_filter_init(&f);
	f.match = "agent-1";
	ck_assert_uint_eq(count(st, &f), 10);
	f.match = "bill";
	ck_assert_uint_eq(count(st, &f), 20);
	dstore_filter_init(&f);
	f.supervisor = "nobody-such";
	ck_assert_uint_eq(count(st, &f), 0);
	dstore_filter_init(&f);
	f.newest_first = 1;
	f.limit = 5;
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(v[0].seq, 40);
	ck_assert_int_eq(v[4].seq, 36);
	free(v);
	dstore_filter_init(&f);
	f.decision = 99;
	ck_assert_int_eq(dstore_list(st, &f, &v, &n), DSTORE_EINVAL);
	dstore_close(st);
}
END_TEST

START_TEST(chain_verifies)
{
	struct dstore *st = fx_open(0);
	struct dstore_verify_result vr;
	struct dstore_record r;

	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 0);
	fx_fill(st, 25);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 25);
	ck_assert_int_eq(vr.head_seq, 25);
	ck_assert_int_eq(dstore_get_seq(st, 25, &r), DSTORE_OK);
	ck_assert_mem_eq(vr.head, r.hash, DSTORE_HASH_LEN);
	dstore_close(st);
}
END_TEST

START_TEST(triggers_refuse_changes)
{
	struct dstore *st = fx_open(0);

	fx_fill(st, 3);
	ck_assert_int_eq(fx_sql("UPDATE decisions SET free_text = 'x' WHERE seq = 2"), SQLITE_CONSTRAINT);
	ck_assert_int_eq(fx_sql("DELETE FROM decisions WHERE seq = 2"), SQLITE_CONSTRAINT);
	dstore_close(st);
}
END_TEST

static int64_t
verify_bad(void)
{
	struct dstore *st = fx_open(DSTORE_READONLY);
	struct dstore_verify_result vr;
	int rc = dstore_verify(st, &vr);

	dstore_close(st);
	return rc == DSTORE_ECHAIN ? vr.bad_seq : rc == DSTORE_OK ? 0 : -1;
}

#define UNGUARD "DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete;"

START_TEST(tamper_detected)
{
	struct dstore *st = fx_open(0);

	fx_fill(st, 10);
	dstore_close(st);
	ck_assert_int_eq(verify_bad(), 0);
	ck_assert_int_eq(fx_sql(UNGUARD "UPDATE decisions SET free_text = 'edited' WHERE seq = 4"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 4);
	ck_assert_int_eq(fx_sql("UPDATE decisions SET free_text = (SELECT free_text FROM decisions WHERE seq = 5)"
	    " WHERE seq = 4"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 4);   /* still not the original text */
}
END_TEST

START_TEST(tamper_type_change_detected)
{
	struct dstore *st = fx_open(0);

	fx_fill(st, 5);
	dstore_close(st);
	/* Same visible value, different storage type: still a different record. */
	ck_assert_int_eq(fx_sql(UNGUARD "UPDATE decisions SET tag = CAST(tag AS BLOB) WHERE seq = 3"),
	    SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 3);
}
END_TEST

START_TEST(deletion_and_reorder_detected)
{
	struct dstore *st = fx_open(0);

	fx_fill(st, 10);
	dstore_close(st);
	ck_assert_int_eq(fx_sql(UNGUARD "DELETE FROM decisions WHERE seq = 6"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 7);
	ck_assert_int_eq(fx_sql("UPDATE decisions SET seq = 6 WHERE seq = 7"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 6);
	ck_assert_int_eq(fx_sql("UPDATE decisions SET seq = 100 WHERE seq = 2;"
	    "UPDATE decisions SET seq = 2 WHERE seq = 3; UPDATE decisions SET seq = 3 WHERE seq = 100"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 2);
	ck_assert_int_eq(fx_sql("DELETE FROM decisions WHERE seq = 1"), SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 2);   /* first record missing, no retention record */
}
END_TEST

START_TEST(insertion_detected)
{
	struct dstore *st = fx_open(0);

	fx_fill(st, 5);
	dstore_close(st);
	ck_assert_int_eq(fx_sql("INSERT INTO decisions SELECT 6, type, 'aaaaaaaa-0000-4000-8000-000000000000',"
	    " time_ms, supervisor, display_name, host, call_id, agent, queue, sug_id, sug_rule, sug_kind,"
	    " sug_severity, sug_raised_ms, sug_reasons, decision, severity, until_ms, tag, reason_code,"
	    " free_text, signals, policy_version, lexicon_version, origin, hash, hash FROM decisions WHERE seq = 5"),
	    SQLITE_OK);
	ck_assert_int_eq(verify_bad(), 6);
}
END_TEST

/* ---- verify split into ranges: the same answer as one sequential walk ---- */

#define SPLIT_N 40

/* Tamper kind k at record p (1..SPLIT_N) through a separate connection;
 * returns the record verify must name (0: the log still verifies). */
static int64_t
split_tamper(int k, int p)
{
	char sql[1024];
	int64_t want = p;

	switch (k) {
	case 0:   /* edit */
		snprintf(sql, sizeof(sql), UNGUARD "UPDATE decisions SET free_text = 'edited' WHERE seq = %d", p);
		break;
	case 1:   /* delete: the next record is after a gap; the head is only caught by a checkpoint */
		snprintf(sql, sizeof(sql), UNGUARD "DELETE FROM decisions WHERE seq = %d", p);
		want = p == SPLIT_N ? 0 : p + 1;
		break;
	case 2:   /* reorder with the next one (or the previous one, at the head) */
		if (p == SPLIT_N)
			p--;
		snprintf(sql, sizeof(sql), UNGUARD "UPDATE decisions SET seq = 1000 WHERE seq = %d;"
		    "UPDATE decisions SET seq = %d WHERE seq = %d; UPDATE decisions SET seq = %d WHERE seq = 1000",
		    p, p, p + 1, p + 1);
		want = p;
		break;
	case 3:   /* insert: a forged record in place of p, keeping its hashes */
		snprintf(sql, sizeof(sql), UNGUARD "DELETE FROM decisions WHERE seq = %d;"
		    "INSERT INTO decisions SELECT %d, type, 'aaaaaaaa-0000-4000-8000-000000000000', time_ms,"
		    " supervisor, display_name, host, call_id, agent, queue, sug_id, sug_rule, sug_kind,"
		    " sug_severity, sug_raised_ms, sug_reasons, decision, severity, until_ms, tag, reason_code,"
		    " 'forged', signals, policy_version, lexicon_version, origin, prev_hash, hash"
		    " FROM decisions WHERE seq = %d", p, p, p == 1 ? 2 : p - 1);
		break;
	case 4:   /* stored hash malformed */
		snprintf(sql, sizeof(sql), UNGUARD "UPDATE decisions SET hash = x'00' WHERE seq = %d", p);
		break;
	default:  /* previous-hash link */
		snprintf(sql, sizeof(sql), UNGUARD "UPDATE decisions SET prev_hash = randomblob(32) WHERE seq = %d", p);
		break;
	}
	ck_assert_msg(fx_sql(sql) == SQLITE_OK, "tamper %d at %d", k, p);
	return want;
}

static int
split_verify(int ranges, struct dstore_verify_result *vr)
{
	struct dstore *st = fx_open(DSTORE_READONLY);
	int rc = dstore__verify_split(st, ranges, vr);

	dstore_close(st);
	return rc;
}

/* A closed database file copied over another, without the target's stale
 * -wal and -shm. */
static void
copy_db(const char *from, const char *to)
{
	char side[600], buf[65536];
	FILE *in, *out;
	size_t n;

	snprintf(side, sizeof(side), "%s-wal", to);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", to);
	unlink(side);
	in = fopen(from, "rb");
	out = fopen(to, "wb");
	ck_assert(in != NULL && out != NULL);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, out), n);
	fclose(in);
	ck_assert_int_eq(fclose(out), 0);
}

START_TEST(split_matches_sequential)
{
	static const int at[] = { 1, 2, 7, 8, 9, 10, 14, 15, 19, 20, 27, 28, 29, 39, 40 };
	struct dstore_verify_result one, many;
	struct dstore *st = fx_open(0);
	char clean[512];
	int k, p, ranges, rc;
	size_t i;
	int64_t want;

	fx_fill(st, SPLIT_N);
	dstore_close(st);
	snprintf(clean, sizeof(clean), "%s/clean.db", fx_dir);
	copy_db(fx_db, clean);
	/* Ranges over 1..40: 2 split at 20, 3 at 14 and 27, 4 at 10, 19 and 28,
	 * 5 at 8, 15, 22 and 29. These are first or last records of a range,
	 * the chain's start and the head (last range). */
	for (k = 0; k < 6; k++)
		for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			p = at[i];
			copy_db(clean, fx_db);
			want = split_tamper(k, p);
			rc = split_verify(1, &one);
			ck_assert_msg(want == 0 ? rc == DSTORE_OK : rc == DSTORE_ECHAIN && one.bad_seq == want,
			    "kind %d at %d: rc %d, bad %lld (%s), want %lld", k, p, rc,
			    (long long)one.bad_seq, one.detail, (long long)want);
			for (ranges = 2; ranges <= 5; ranges++) {
				ck_assert_int_eq(split_verify(ranges, &many), rc);
				ck_assert_msg(strcmp(many.detail, one.detail) == 0 && many.bad_seq == one.bad_seq &&
				    many.records == one.records && many.first_seq == one.first_seq &&
				    many.head_seq == one.head_seq && memcmp(many.head, one.head, DSTORE_HASH_LEN) == 0,
				    "kind %d at %d, %d ranges: \"%s\" (%lld records) vs \"%s\" (%lld)", k, p, ranges,
				    many.detail, (long long)many.records, one.detail, (long long)one.records);
			}
		}
}
END_TEST

/* The first record missing: range 0 reports it, whatever the split. */
/* Verify's encoder (straight from SQLite values) gives the same bytes as
 * the writer's for values of every storage type. */
START_TEST(vals_canon_matches_canon)
{
	struct dstore_val v[DSTORE_NFIELDS];
	struct dstore_buf a = { 0 }, b = { 0 };
	struct dstore *st = fx_open(0);
	sqlite3_stmt *s;
	char sql[1024];
	int rows = 0, seen = 0;

	fx_fill(st, 3);
	dstore_close(st);
	ck_assert_int_eq(fx_sql(UNGUARD "UPDATE decisions SET tag = CAST('t' AS BLOB), until_ms = 2.5,"
	    " sug_id = NULL WHERE seq = 2; UPDATE decisions SET display_name = x'00ff', agent = ''"
	    " WHERE seq = 3"), SQLITE_OK);
	st = fx_open(DSTORE_READONLY);
	snprintf(sql, sizeof(sql), "SELECT %s FROM decisions ORDER BY seq", dstore__columns);
	ck_assert_int_eq(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_value *col[DSTORE_NFIELDS];
		int i;

		ck_assert_int_eq(dstore__row_vals(s, 0, v), DSTORE_OK);
		ck_assert_int_eq(dstore__canon(v, &a), DSTORE_OK);
		for (i = 0; i < DSTORE_NFIELDS; i++) {
			col[i] = sqlite3_column_value(s, i);
			seen |= 1 << sqlite3_value_type(col[i]);
		}
		b.len = 0;
		ck_assert_int_eq(dstore__vals_canon(col, &b), DSTORE_OK);
		ck_assert_uint_eq(a.len, b.len);
		ck_assert_mem_eq(a.p, b.p, a.len);
		rows++;
	}
	ck_assert_int_eq(rows, 3);
	ck_assert_int_eq(seen, (1 << SQLITE_INTEGER) | (1 << SQLITE_FLOAT) | (1 << SQLITE_TEXT) |
	    (1 << SQLITE_BLOB) | (1 << SQLITE_NULL));
	sqlite3_finalize(s);
	dstore__buf_free(&a);
	dstore__buf_free(&b);
	dstore_close(st);
}
END_TEST

/* More ranges than records: empty, one and two records still verify. */
START_TEST(split_tiny_logs)
{
	struct dstore_verify_result vr;
	struct dstore *st = fx_open(0);
	int n, ranges;

	for (n = 0; n <= 2; n++) {
		if (n > 0)
			fx_fill(st, 1);
		for (ranges = 1; ranges <= 5; ranges++) {
			ck_assert_int_eq(dstore__verify_split(st, ranges, &vr), DSTORE_OK);
			ck_assert_int_eq(vr.records, n);
			ck_assert_int_eq(vr.head_seq, n);
		}
	}
	dstore_close(st);
}
END_TEST

START_TEST(split_start_of_chain)
{
	struct dstore_verify_result vr;
	struct dstore *st = fx_open(0);
	int ranges;

	fx_fill(st, SPLIT_N);
	dstore_close(st);
	ck_assert_int_eq(fx_sql(UNGUARD "DELETE FROM decisions WHERE seq <= 3"), SQLITE_OK);
	for (ranges = 1; ranges <= 5; ranges++) {
		ck_assert_int_eq(split_verify(ranges, &vr), DSTORE_ECHAIN);
		ck_assert_int_eq(vr.bad_seq, 4);
		ck_assert_int_eq(vr.records, 0);
		ck_assert_ptr_nonnull(strstr(vr.detail, "no retention record"));
	}
}
END_TEST

/* Several ranges over a writable handle, and inside its own transaction
 * (where only one range can see its writes). */
START_TEST(split_writable_and_in_transaction)
{
	struct dstore_verify_result vr;
	struct dstore *st = fx_open(0);
	struct dstore_record r;
	bool dup;

	fx_fill(st, SPLIT_N);
	ck_assert_int_eq(dstore__verify_split(st, 4, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, SPLIT_N);
	ck_assert_int_eq(dstore__begin(st), DSTORE_OK);
	fx_record(&r, SPLIT_N, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore__append_tx(st, &r, false, &dup), DSTORE_OK);
	ck_assert_int_eq(dstore__verify_split(st, 4, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, SPLIT_N + 1);
	ck_assert_int_eq(dstore__commit(st), DSTORE_OK);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.head_seq, SPLIT_N + 1);
	dstore_close(st);
}
END_TEST

struct appender { volatile int stop; int appended; };

static void *
append_loop(void *arg)
{
	struct appender *a = arg;
	struct dstore *st = fx_open(0);
	struct dstore_record r;

	while (!a->stop && a->appended < 2000) {
		fx_record(&r, a->appended, UT_DE_ACCEPT);
		ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
		a->appended++;
	}
	dstore_close(st);
	return NULL;
}

/* Beside a live writer every range reads one snapshot: each verify passes
 * and covers a whole prefix of the log. */
START_TEST(split_beside_a_writer)
{
	struct dstore_verify_result vr;
	struct appender a = { 0, 0 };
	struct dstore *st = fx_open(0);
	pthread_t th;
	int i;

	fx_fill(st, SPLIT_N);
	dstore_close(st);
	st = fx_open(DSTORE_READONLY);
	ck_assert_int_eq(pthread_create(&th, NULL, append_loop, &a), 0);
	for (i = 0; i < 60; i++) {
		ck_assert_int_eq(dstore__verify_split(st, 1 + i % 6, &vr), DSTORE_OK);
		ck_assert_int_eq(vr.records, vr.head_seq);
		ck_assert_int_ge(vr.records, SPLIT_N);
	}
	a.stop = 1;
	pthread_join(th, NULL);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, SPLIT_N + a.appended);
	dstore_close(st);
}
END_TEST

START_TEST(forwarding_queue)
{
	struct dstore *st = fx_open(0);
	struct dstore_record *v, g;
	size_t n;

	fx_fill(st, 4);
	ck_assert_int_eq(dstore_list_unforwarded(st, 0, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(v[0].seq, 1);
	ck_assert_int_eq(v[0].forwarded, 0);
	ck_assert_int_eq(dstore_mark_forwarded(st, v[1].uuid, 1234), DSTORE_OK);
	ck_assert_int_eq(dstore_mark_forwarded(st, v[1].uuid, 9999), DSTORE_OK);   /* first time wins */
	ck_assert_int_eq(dstore_get_uuid(st, v[1].uuid, &g), DSTORE_OK);
	ck_assert_int_eq(g.forwarded, 1);
	ck_assert_int_eq(g.forwarded_ms, 1234);
	free(v);
	ck_assert_int_eq(dstore_list_unforwarded(st, 2, &v, &n), DSTORE_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].seq, 1);
	ck_assert_int_eq(v[1].seq, 3);
	free(v);
	ck_assert_int_eq(dstore_mark_forwarded(st, "00000000-0000-4000-8000-000000000000", 1), DSTORE_ENOTFOUND);
	ck_assert_int_eq(dstore_mark_forwarded(st, "short", 1), DSTORE_EINVAL);
	dstore_close(st);
}
END_TEST

START_TEST(readonly_handle_refuses_writes)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;

	fx_fill(st, 2);
	dstore_close(st);
	st = fx_open(DSTORE_READONLY);
	fx_record(&r, 3, UT_DE_ACCEPT);
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_EREADONLY);
	ck_assert(dstore_err_retryable(DSTORE_EREADONLY));
	dstore_close(st);
}
END_TEST

START_TEST(missing_file_readonly)
{
	struct dstore *st = NULL;
	char err[256];

	ck_assert_int_eq(dstore_open(fx_db, DSTORE_READONLY, &st, err, sizeof(err)), DSTORE_ENOTFOUND);
	ck_assert_ptr_null(st);
	ck_assert_int_eq(access(fx_db, F_OK), -1);
}
END_TEST

/* ---- migrations ---- */

START_TEST(migrate_from_v0)
{
	struct dstore *st;
	FILE *f = fopen(fx_db, "w");

	ck_assert_ptr_nonnull(f);
	fclose(f);   /* an empty file is a database at user_version 0 */
	st = fx_open(0);
	ck_assert_int_eq(dstore_schema_version(st), DSTORE_SCHEMA_VERSION);
	fx_fill(st, 2);
	dstore_close(st);
}
END_TEST

START_TEST(migrate_from_v1_with_data)
{
	struct dstore *st = NULL;
	struct dstore_verify_result vr;
	struct dstore_expiry e;
	char err[256];

	ck_assert_int_eq(dstore__open_at(fx_db, 0, 1, &st, err, sizeof(err)), DSTORE_OK);
	ck_assert_int_eq(dstore_schema_version(st), 1);
	fx_fill(st, 12);
	dstore_close(st);
	/* A v2 reader refuses to open a v1 file read-only (it cannot migrate). */
	ck_assert_int_eq(dstore_open(fx_db, DSTORE_READONLY, &st, err, sizeof(err)), DSTORE_EREADONLY);
	st = fx_open(0);
	ck_assert_int_eq(dstore_schema_version(st), 2);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 12);
	memset(&e, 0, sizeof(e));
	snprintf(e.suggestion_id, sizeof(e.suggestion_id), "sx");
	e.severity = 1;
	e.raised_ms = 1;
	e.expired_ms = 2;
	ck_assert_int_eq(dstore_note_expired(st, &e), DSTORE_OK);
	fx_fill(st, 1);
	dstore_close(st);
}
END_TEST

static void
load_sql_file(const char *rel)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", UT_SRCDIR, rel);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	ck_assert_int_eq(fx_sql(buf), SQLITE_OK);
	free(buf);
}

START_TEST(migrate_from_v1_fixture_sql)
{
	struct dstore *st;
	struct dstore_verify_result vr;

	load_sql_file("tests/data/dstore/schema-v1.sql");
	st = fx_open(0);
	ck_assert_int_eq(dstore_schema_version(st), 2);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 3);
	fx_fill(st, 3);
	ck_assert_int_eq(dstore_verify(st, &vr), DSTORE_OK);
	ck_assert_int_eq(vr.records, 6);
	dstore_close(st);
}
END_TEST

START_TEST(newer_schema_refused)
{
	struct dstore *st = NULL;
	char err[256];

	ck_assert_int_eq(fx_sql("PRAGMA user_version = 99"), SQLITE_OK);
	ck_assert_int_eq(dstore_open(fx_db, 0, &st, err, sizeof(err)), DSTORE_ENEWER);
	ck_assert_int_eq(dstore_open(fx_db, DSTORE_READONLY, &st, err, sizeof(err)), DSTORE_ENEWER);
}
END_TEST

START_TEST(corrupt_file_reported_not_recreated)
{
	struct dstore *st = NULL;
	char err[256], buf[64];
	FILE *f = fopen(fx_db, "w");
	struct stat sb;

	ck_assert_ptr_nonnull(f);
	memset(buf, 'Z', sizeof(buf));
	for (int i = 0; i < 100; i++)
		fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_int_eq(dstore_open(fx_db, 0, &st, err, sizeof(err)), DSTORE_ECORRUPT);
	ck_assert_int_eq(dstore_open(fx_db, DSTORE_READONLY, &st, err, sizeof(err)), DSTORE_ECORRUPT);
	ck_assert_int_eq(stat(fx_db, &sb), 0);
	ck_assert_int_eq(sb.st_size, 6400);
}
END_TEST

START_TEST(corrupt_page_found_by_quick_check)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;
	char err[256];
	FILE *f;
	int i;

	for (i = 0; i < 200; i++) {
		fx_record(&r, i, UT_DE_ACCEPT);
		ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	}
	dstore_close(st);
	st = NULL;
	/* Overwrite pages 2-4 (table and index b-tree pages) with garbage. */
	f = fopen(fx_db, "r+");
	ck_assert_ptr_nonnull(f);
	fseek(f, 4096, SEEK_SET);
	for (i = 0; i < 3 * 4096; i++)
		fputc(0xA5, f);
	fclose(f);
	ck_assert_int_eq(dstore_open(fx_db, 0, &st, err, sizeof(err)), DSTORE_ECORRUPT);
	ck_assert_ptr_null(st);
}
END_TEST

START_TEST(default_path_from_xdg)
{
	char p[512];

	setenv("XDG_DATA_HOME", "/srv/data", 1);
	ck_assert_int_eq(dstore_default_path(p, sizeof(p)), DSTORE_OK);
	ck_assert_str_eq(p, "/srv/data/undertone/decisions.db");
	setenv("XDG_DATA_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/lead", 1);
	ck_assert_int_eq(dstore_default_path(p, sizeof(p)), DSTORE_OK);
	ck_assert_str_eq(p, "/home/lead/.local/share/undertone/decisions.db");
	unsetenv("XDG_DATA_HOME");
	ck_assert_int_eq(dstore_default_path(p, 10), DSTORE_EINVAL);
}
END_TEST

START_TEST(creates_parent_directories)
{
	struct dstore *st = NULL;
	char path[600], err[256];

	snprintf(path, sizeof(path), "%s/a/b/decisions.db", fx_dir);
	ck_assert_int_eq(dstore_open(path, 0, &st, err, sizeof(err)), DSTORE_OK);
	dstore_close(st);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(record_json_has_everything)
{
	struct dstore *st = fx_open(0);
	struct dstore_record r;
	char *j;

	fx_record(&r, 2, UT_DE_SNOOZE);
	r.until_ms = 1700000099000LL;
	ck_assert_int_eq(dstore_append(st, &r), DSTORE_OK);
	ck_assert_int_eq(dstore_get_seq(st, 1, &r), DSTORE_OK);
	j = dstore_record_json(&r);
	ck_assert_ptr_nonnull(j);
	ck_assert_ptr_nonnull(strstr(j, "\"decision\":\"snooze\""));
	ck_assert_ptr_nonnull(strstr(j, "\"until_ms\":1700000099000"));
	ck_assert_ptr_nonnull(strstr(j, "\"evidence\":\"speak to a manager\""));
	ck_assert_ptr_nonnull(strstr(j, "\"reasons\":[\"repetition"));
	ck_assert_ptr_nonnull(strstr(j, "\"forwarded_ms\":null"));
	free(j);
	dstore_close(st);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dstore");
	TCase *t = tcase_create("store");

	tcase_add_checked_fixture(t, fx_setup, fx_teardown);
	tcase_add_test(t, create_mode_private);
	tcase_add_test(t, create_mode_group_shared);
	tcase_add_test(t, append_roundtrip);
	tcase_add_test(t, human_raised_flag);
	tcase_add_test(t, retry_is_idempotent);
	tcase_add_test(t, rejects_bad_records);
	tcase_add_test(t, filters);
	tcase_add_test(t, chain_verifies);
	tcase_add_test(t, triggers_refuse_changes);
	tcase_add_test(t, tamper_detected);
	tcase_add_test(t, tamper_type_change_detected);
	tcase_add_test(t, deletion_and_reorder_detected);
	tcase_add_test(t, insertion_detected);
	tcase_add_test(t, forwarding_queue);
	tcase_add_test(t, readonly_handle_refuses_writes);
	tcase_add_test(t, missing_file_readonly);
	tcase_add_test(t, migrate_from_v0);
	tcase_add_test(t, migrate_from_v1_with_data);
	tcase_add_test(t, migrate_from_v1_fixture_sql);
	tcase_add_test(t, newer_schema_refused);
	tcase_add_test(t, corrupt_file_reported_not_recreated);
	tcase_add_test(t, corrupt_page_found_by_quick_check);
	tcase_add_test(t, default_path_from_xdg);
	tcase_add_test(t, creates_parent_directories);
	tcase_add_test(t, record_json_has_everything);
	suite_add_tcase(s, t);
	t = tcase_create("verify split");
	tcase_add_checked_fixture(t, fx_setup, fx_teardown);
	tcase_set_timeout(t, 60);
	tcase_add_test(t, split_matches_sequential);
	tcase_add_test(t, split_start_of_chain);
	tcase_add_test(t, split_tiny_logs);
	tcase_add_test(t, vals_canon_matches_canon);
	tcase_add_test(t, split_writable_and_in_transaction);
	tcase_add_test(t, split_beside_a_writer);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
