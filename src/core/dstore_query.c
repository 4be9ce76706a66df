/* dstore_query: filtered reads. Every query is prepared with bound
 * parameters; the WHERE clauses match the indexes created in schema v1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dstore_internal.h"

void
dstore_filter_init(struct dstore_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->decision = -1;
	f->kind = -1;
}

/* Appends " AND <prefix><col><tail>". */
static int
add(struct dstore_sql *q, const char *prefix, const char *col, const char *tail)
{
	int n = snprintf(q->text + q->len, sizeof(q->text) - q->len, " AND %s%s%s",
	    prefix, col, tail);

	if (n < 0 || (size_t)n >= sizeof(q->text) - q->len)
		return DSTORE_EINVAL;
	q->len += (size_t)n;
	return DSTORE_OK;
}

/* Appends "<a><b>" with no conjunction. */
static int
add_raw(struct dstore_sql *q, const char *a, const char *b)
{
	int n = snprintf(q->text + q->len, sizeof(q->text) - q->len, "%s%s", a, b);

	if (n < 0 || (size_t)n >= sizeof(q->text) - q->len)
		return DSTORE_EINVAL;
	q->len += (size_t)n;
	return DSTORE_OK;
}

static void
bind_text(struct dstore_sql *q, const char *s)
{
	q->bind[q->nbind++] = (struct dstore_val){ .t = DV_TEXT, .s = s, .len = strlen(s) };
}

static void
bind_int(struct dstore_sql *q, int64_t i)
{
	q->bind[q->nbind++] = (struct dstore_val){ .t = DV_INT, .i = i };
}

static int
add_text(struct dstore_sql *q, const char *prefix, const char *col, const char *val)
{
	if (val == NULL || val[0] == '\0')
		return DSTORE_OK;
	if (strlen(val) > UT_FREETEXT_MAX)
		return DSTORE_EINVAL;
	bind_text(q, val);
	return add(q, prefix, col, " = ?");
}

/* Builds "1=1 AND ..." for f; column names get prefix ("" or "d."). */
int
dstore__where(const struct dstore_filter *f, struct dstore_sql *q, const char *prefix)
{
	int err = DSTORE_OK;

	q->len = (size_t)snprintf(q->text, sizeof(q->text), "1=1");
	q->nbind = 0;
	if (!f->include_prune)
		err |= add(q, prefix, "type", " = 0");
	if (f->since_ms > 0) {
		bind_int(q, f->since_ms);
		err |= add(q, prefix, "time_ms", " >= ?");
	}
	if (f->until_ms > 0) {
		bind_int(q, f->until_ms);
		err |= add(q, prefix, "time_ms", " < ?");
	}
	err |= add_text(q, prefix, "supervisor", f->supervisor);
	err |= add_text(q, prefix, "call_id", f->call_id);
	err |= add_text(q, prefix, "agent", f->agent);
	err |= add_text(q, prefix, "queue", f->queue);
	err |= add_text(q, prefix, "reason_code", f->reason_code);
	if (f->decision >= 0) {
		if (f->decision >= UT_DE__COUNT)
			return DSTORE_EINVAL;
		err |= add_text(q, prefix, "decision", model_decision_name((enum ut_decision)f->decision));
	}
	if (f->kind == DSTORE_KIND_NONE)
		err |= add(q, prefix, "sug_kind", " IS NULL");
	else if (f->kind >= 0) {
		if (f->kind > DSTORE_KIND_NONE)
			return DSTORE_EINVAL;
		err |= add_text(q, prefix, "sug_kind",
		    model_suggestion_kind_name((enum ut_suggestion_kind)f->kind));
	}
	if (f->match != NULL && f->match[0] != '\0') {
		if (strlen(f->match) > UT_ID_MAX)
			return DSTORE_EINVAL;
		bind_text(q, f->match);
		err |= add(q, "", "(instr(", "");
		err |= add_raw(q, prefix, "call_id, ?1000) > 0 OR instr(");
		err |= add_raw(q, prefix, "agent, ?1000) > 0 OR instr(");
		err |= add_raw(q, prefix, "queue, ?1000) > 0)");
	}
	return err == DSTORE_OK ? DSTORE_OK : DSTORE_EINVAL;
}

/* Positional binds, except the "match" text which uses ?1000 thrice. */
int
dstore__bind_all(sqlite3_stmt *s, const struct dstore_sql *q)
{
	int i, pos = 1;

	for (i = 0; i < q->nbind; i++) {
		const struct dstore_val *v = &q->bind[i];
		int at = (i == q->nbind - 1 && strstr(q->text, "?1000") != NULL) ? 1000 : pos++;

		if (v->t == DV_INT)
			sqlite3_bind_int64(s, at, v->i);
		else
			sqlite3_bind_text(s, at, v->s, (int)v->len, SQLITE_STATIC);
	}
	return DSTORE_OK;
}

#define SELECT_FWD ", (SELECT forwarded_ms FROM forwarded f WHERE f.uuid = decisions.uuid)"

int
dstore_query(struct dstore *st, const struct dstore_filter *f, dstore_record_cb cb, void *ctx)
{
	struct dstore_sql q;
	struct dstore_record *r;
	sqlite3_stmt *s;
	char sql[4096];
	int rc, ret = DSTORE_OK;

	if (st == NULL || f == NULL || cb == NULL || dstore__where(f, &q, "") != DSTORE_OK)
		return DSTORE_EINVAL;
	snprintf(sql, sizeof(sql), "SELECT %s" SELECT_FWD " FROM decisions WHERE %s"
	    " ORDER BY time_ms %s, seq %s LIMIT %lld", dstore__columns, q.text,
	    f->newest_first ? "DESC" : "ASC", f->newest_first ? "DESC" : "ASC",
	    f->limit > 0 ? (long long)f->limit : -1LL);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "query");
	dstore__bind_all(s, &q);
	r = malloc(sizeof(*r));
	if (r == NULL) {
		sqlite3_finalize(s);
		return DSTORE_ENOMEM;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		dstore__row_record(s, r, !f->skip_signals);
		if ((ret = cb(r, ctx)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = dstore__sqlfail(st, rc, "query");
	free(r);
	sqlite3_finalize(s);
	return ret;
}

struct collect { struct dstore_record *v; size_t n, cap; };

static int
collect_cb(const struct dstore_record *r, void *ctx)
{
	struct collect *c = ctx;
	struct dstore_record *nv;
	size_t ncap;

	if (c->n == c->cap) {
		ncap = c->cap ? c->cap * 2 : 16;
		nv = realloc(c->v, ncap * sizeof(*nv));
		if (nv == NULL)
			return DSTORE_ENOMEM;
		c->v = nv;
		c->cap = ncap;
	}
	c->v[c->n++] = *r;
	return 0;
}

int
dstore_list(struct dstore *st, const struct dstore_filter *f, struct dstore_record **out, size_t *n)
{
	struct collect c = { NULL, 0, 0 };
	int err;

	*out = NULL;
	*n = 0;
	err = dstore_query(st, f, collect_cb, &c);
	if (err != DSTORE_OK) {
		free(c.v);
		return err;
	}
	*out = c.v;
	*n = c.n;
	return DSTORE_OK;
}

static int
get_one(struct dstore *st, const char *where, const struct dstore_val *key, struct dstore_record *out)
{
	sqlite3_stmt *s;
	char sql[1024];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s" SELECT_FWD " FROM decisions WHERE %s",
	    dstore__columns, where);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "get");
	if (key->t == DV_INT)
		sqlite3_bind_int64(s, 1, key->i);
	else
		sqlite3_bind_text(s, 1, key->s, (int)key->len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		dstore__row_record(s, out, true);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return DSTORE_OK;
	return rc == SQLITE_DONE ? dstore__fail(st, DSTORE_ENOTFOUND, "no such record")
	    : dstore__sqlfail(st, rc, "get");
}

int
dstore_get_uuid(struct dstore *st, const char *uuid, struct dstore_record *out)
{
	struct dstore_val k = { .t = DV_TEXT };

	if (st == NULL || uuid == NULL || strlen(uuid) > DSTORE_UUID_LEN)
		return DSTORE_EINVAL;
	k.s = uuid;
	k.len = strlen(uuid);
	return get_one(st, "uuid = ?1", &k, out);
}

int
dstore_get_seq(struct dstore *st, int64_t seq, struct dstore_record *out)
{
	struct dstore_val k = { .t = DV_INT, .i = seq };

	if (st == NULL || seq <= 0)
		return DSTORE_EINVAL;
	return get_one(st, "seq = ?1", &k, out);
}

int
dstore_head(struct dstore *st, int64_t *count, int64_t *head_seq, unsigned char head[DSTORE_HASH_LEN])
{
	sqlite3_stmt *s;
	int rc;

	*count = 0;
	*head_seq = 0;
	memset(head, 0, DSTORE_HASH_LEN);
	rc = sqlite3_prepare_v2(st->db, "SELECT (SELECT count(*) FROM decisions), seq, hash"
	    " FROM decisions ORDER BY seq DESC LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "head");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int64(s, 0);
		*head_seq = sqlite3_column_int64(s, 1);
		if (sqlite3_column_bytes(s, 2) == DSTORE_HASH_LEN)
			memcpy(head, sqlite3_column_blob(s, 2), DSTORE_HASH_LEN);
	}
	sqlite3_finalize(s);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? DSTORE_OK : dstore__sqlfail(st, rc, "head");
}

int
dstore_list_unforwarded(struct dstore *st, size_t max, struct dstore_record **out, size_t *n)
{
	struct collect c = { NULL, 0, 0 };
	struct dstore_record r;
	sqlite3_stmt *s;
	char sql[1024];
	int rc, err = DSTORE_OK;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return DSTORE_EINVAL;
	snprintf(sql, sizeof(sql), "SELECT %s" SELECT_FWD " FROM decisions WHERE seq IN"
	    " (SELECT seq FROM pending ORDER BY seq LIMIT ?1) ORDER BY seq", dstore__columns);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "pending");
	sqlite3_bind_int64(s, 1, max > 0 ? (int64_t)max : -1);
	while (err == DSTORE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		dstore__row_record(s, &r, true);
		err = collect_cb(&r, &c);
	}
	sqlite3_finalize(s);
	if (err == DSTORE_OK && rc != SQLITE_DONE)
		err = dstore__sqlfail(st, rc, "pending");
	if (err != DSTORE_OK) {
		free(c.v);
		return err;
	}
	*out = c.v;
	*n = c.n;
	return DSTORE_OK;
}
