/*
 * dstore_stats: the feedback loop for policy thresholds. Aggregates run in
 * SQL over the filtered decisions so they use the same indexes as list.
 * Override rate = (dismiss + clear) / (dismiss + clear + accept).
 * Time to first acknowledgement = earliest decision on a suggestion minus the
 * time the analyzer raised it (any decision counts as a response).
 * The filter runs once, into an in-memory TEMP table (allowed on a read-only
 * connection); the aggregates then read only that table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dstore_internal.h"

static int
run(struct dstore *st, const char *sql, const struct dstore_sql *q, sqlite3_stmt **s)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, s, NULL);

	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "stats");
	if (q != NULL)
		dstore__bind_all(*s, q);
	return DSTORE_OK;
}

/* One indexed pass over decisions; "+col" keeps the planner on the filter's
 * index instead of walking a GROUP BY column's index over the whole table. */
static int
select_rows(struct dstore *st, const struct dstore_sql *q)
{
	char sql[4096];
	sqlite3_stmt *s;
	int rc, err;

	err = dstore__exec(st, "PRAGMA temp_store=MEMORY;"
	    "CREATE TEMP TABLE IF NOT EXISTS dstats(kind TEXT, decision TEXT, rule TEXT,"
	    " reason TEXT, sug_id TEXT, t INTEGER, raised INTEGER); DELETE FROM temp.dstats");
	if (err != DSTORE_OK)
		return err;
	snprintf(sql, sizeof(sql), "INSERT INTO temp.dstats SELECT +sug_kind, +decision, +sug_rule,"
	    " +reason_code, +sug_id, time_ms, sug_raised_ms FROM decisions WHERE %s", q->text);
	if ((err = run(st, sql, q, &s)) != DSTORE_OK)
		return err;
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "stats");
}

static void
copy_key(sqlite3_stmt *s, int c, char *dst, size_t cap)
{
	const char *t = (const char *)sqlite3_column_text(s, c);

	snprintf(dst, cap, "%s", t != NULL ? t : "");
}

static int
counts(struct dstore *st, const char *col,
       struct dstore_count *out, size_t n, int64_t *total)
{
	char sql[4096];
	sqlite3_stmt *s;
	size_t i;
	int rc, err;
	const char *k;

	snprintf(sql, sizeof(sql), "SELECT %s, count(*) FROM temp.dstats GROUP BY 1", col);
	if ((err = run(st, sql, NULL, &s)) != DSTORE_OK)
		return err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		k = (const char *)sqlite3_column_text(s, 0);
		for (i = 0; i < n; i++)
			if (strcmp(out[i].key, k != NULL ? k : "none") == 0)
				out[i].n += sqlite3_column_int64(s, 1);
		if (total != NULL)
			*total += sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "stats");
}

static int
overrides(struct dstore *st, const char *col,
          struct dstore_override **out, size_t *n)
{
	char sql[4096];
	sqlite3_stmt *s;
	struct dstore_override *v = NULL, *nv;
	size_t cap = 0;
	int rc, err;

	*n = 0;
	snprintf(sql, sizeof(sql), "SELECT %s, sum(decision = 'accept'),"
	    " sum(decision IN ('dismiss','clear')) FROM temp.dstats WHERE %s IS NOT NULL"
	    " AND decision IN ('accept','dismiss','clear') GROUP BY 1 ORDER BY 1", col, col);
	if ((err = run(st, sql, NULL, &s)) != DSTORE_OK)
		return err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		copy_key(s, 0, v[*n].key, sizeof(v[*n].key));
		v[*n].accepted = sqlite3_column_int64(s, 1);
		v[*n].overridden = sqlite3_column_int64(s, 2);
		(*n)++;
	}
	sqlite3_finalize(s);
	*out = v;
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "stats");
}

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int
latencies(struct dstore *st, struct dstore_stats *out)
{
	char sql[4096];
	sqlite3_stmt *s;
	int64_t *v = NULL, *nv;
	size_t n = 0, cap = 0;
	int rc, err;

	snprintf(sql, sizeof(sql), "SELECT max(0, min(t) - min(raised)) FROM temp.dstats"
	    " WHERE sug_id IS NOT NULL GROUP BY sug_id");
	if ((err = run(st, sql, NULL, &s)) != DSTORE_OK)
		return err;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE && n > 0) {
		qsort(v, n, sizeof(*v), cmp64);
		out->ack_n = (int64_t)n;
		out->ack_p50_ms = v[(n - 1) / 2];
		out->ack_p90_ms = v[(n * 9 + 9) / 10 - 1];
		out->ack_max_ms = v[n - 1];
	}
	free(v);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "stats");
}

/* Expiries in the period (same time/queue/call/kind filters) that no
 * decision in the log answers. */
static int
expired(struct dstore *st, const struct dstore_filter *f, struct dstore_stats *out)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM expiries e WHERE"
	    " (?1 = 0 OR e.expired_ms >= ?1) AND (?2 = 0 OR e.expired_ms < ?2)"
	    " AND (?3 = '' OR e.queue = ?3) AND (?4 = '' OR e.call_id = ?4)"
	    " AND (?5 = '' OR e.kind = ?5)"
	    " AND NOT EXISTS (SELECT 1 FROM decisions d WHERE d.sug_id = e.suggestion_id)",
	    -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "stats");
	sqlite3_bind_int64(s, 1, f->since_ms);
	sqlite3_bind_int64(s, 2, f->until_ms);
	sqlite3_bind_text(s, 3, f->queue ? f->queue : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, f->call_id ? f->call_id : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, (f->kind >= 0 && f->kind < UT_SK__COUNT) ?
	    model_suggestion_kind_name((enum ut_suggestion_kind)f->kind) : "", -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		out->expired_undecided = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? DSTORE_OK : dstore__sqlfail(st, rc, "stats");
}

int
dstore_stats(struct dstore *st, const struct dstore_filter *f, struct dstore_stats *out)
{
	struct dstore_filter g;
	struct dstore_sql q;
	int i, err;

	if (st == NULL || f == NULL || out == NULL)
		return DSTORE_EINVAL;
	memset(out, 0, sizeof(*out));
	g = *f;
	g.include_prune = 0;
	if (dstore__where(&g, &q, "") != DSTORE_OK)
		return DSTORE_EINVAL;
	for (i = 0; i < UT_SK__COUNT; i++)
		snprintf(out->by_kind[i].key, sizeof(out->by_kind[i].key), "%s",
		    model_suggestion_kind_name((enum ut_suggestion_kind)i));
	snprintf(out->by_kind[UT_SK__COUNT].key, sizeof(out->by_kind[0].key), "none");
	for (i = 0; i < UT_DE__COUNT; i++)
		snprintf(out->by_decision[i].key, sizeof(out->by_decision[i].key), "%s",
		    model_decision_name((enum ut_decision)i));
	err = select_rows(st, &q);
	if (err == DSTORE_OK)
		err = counts(st, "kind", out->by_kind, UT_SK__COUNT + 1, &out->total);
	if (err == DSTORE_OK)
		err = counts(st, "decision", out->by_decision, UT_DE__COUNT, NULL);
	if (err == DSTORE_OK)
		err = overrides(st, "rule", &out->by_rule, &out->by_rule_n);
	if (err == DSTORE_OK)
		err = overrides(st, "reason", &out->by_reason, &out->by_reason_n);
	if (err == DSTORE_OK)
		err = latencies(st, out);
	if (err == DSTORE_OK)
		err = expired(st, f, out);
	dstore__exec(st, "DELETE FROM temp.dstats");
	if (err != DSTORE_OK)
		dstore_stats_free(out);
	return err;
}

void
dstore_stats_free(struct dstore_stats *s)
{
	if (s == NULL)
		return;
	free(s->by_rule);
	free(s->by_reason);
	s->by_rule = s->by_reason = NULL;
	s->by_rule_n = s->by_reason_n = 0;
}
