/* dstore_verify: recompute the hash chain from the stored rows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>
#include "dstore_internal.h"

/* The PRUNE record that removed records up to through_seq holds the hash of
 * the last removed record: the first remaining record must chain from it. */
int
dstore__anchor(struct dstore *st, int64_t through_seq, unsigned char hash[DSTORE_HASH_LEN])
{
	sqlite3_stmt *s;
	json_t *j;
	int rc, found = 0;

	rc = sqlite3_prepare_v2(st->db, "SELECT free_text FROM decisions WHERE type = 1"
	    " AND origin = '' ORDER BY seq DESC", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "anchor");
	while (!found && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		j = json_loadb((const char *)sqlite3_column_text(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0), 0, NULL);
		if (j != NULL && json_integer_value(json_object_get(j, "through_seq")) == through_seq &&
		    dstore_unhex(json_string_value(json_object_get(j, "through_hash")), hash,
		    DSTORE_HASH_LEN) == 0)
			found = 1;
		json_decref(j);
	}
	sqlite3_finalize(s);
	if (found)
		return DSTORE_OK;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dstore__sqlfail(st, rc, "anchor");
	return DSTORE_ENOTFOUND;
}

static int
bad(struct dstore_verify_result *res, int64_t seq, const char *what)
{
	res->bad_seq = seq;
	snprintf(res->detail, sizeof(res->detail), "record #%lld: %s", (long long)seq, what);
	return DSTORE_ECHAIN;
}

/* Expected previous hash of the first record present. */
static int
start_hash(struct dstore *st, int64_t first, const unsigned char stored_prev[DSTORE_HASH_LEN],
           unsigned char prev[DSTORE_HASH_LEN], struct dstore_verify_result *res)
{
	int err;

	memset(prev, 0, DSTORE_HASH_LEN);
	if (first == 1)
		return DSTORE_OK;
	err = dstore__anchor(st, first - 1, prev);
	if (err == DSTORE_ENOTFOUND)
		return bad(res, first, "records before it are missing and no retention record explains it");
	if (err != DSTORE_OK)
		return err;
	if (sodium_memcmp(prev, stored_prev, DSTORE_HASH_LEN) != 0)
		return bad(res, first, "does not chain from the retention record's last removed hash");
	return DSTORE_OK;
}

struct walk {
	unsigned char prev[DSTORE_HASH_LEN];
	int64_t expect;
	struct dstore_buf buf;
};

static int
check_row(struct dstore *st, sqlite3_stmt *s, struct walk *w, struct dstore_verify_result *res)
{
	struct dstore_val v[DSTORE_NFIELDS];
	unsigned char h[DSTORE_HASH_LEN];
	const void *sp = sqlite3_column_blob(s, DSTORE_NFIELDS);
	const void *sh = sqlite3_column_blob(s, DSTORE_NFIELDS + 1);
	int64_t seq = sqlite3_column_int64(s, 0);
	int err;

	if (sqlite3_column_type(s, 0) != SQLITE_INTEGER || (w->expect != 0 && seq != w->expect))
		return bad(res, seq, w->expect != 0 && seq > w->expect ?
		    "records missing before it (sequence gap)" : "sequence out of order");
	if (sqlite3_column_bytes(s, DSTORE_NFIELDS) != DSTORE_HASH_LEN ||
	    sqlite3_column_bytes(s, DSTORE_NFIELDS + 1) != DSTORE_HASH_LEN)
		return bad(res, seq, "stored hash malformed");
	if (w->expect == 0) {
		res->first_seq = seq;
		if ((err = start_hash(st, seq, sp, w->prev, res)) != DSTORE_OK)
			return err;
	}
	if (sodium_memcmp(sp, w->prev, DSTORE_HASH_LEN) != 0)
		return bad(res, seq, "previous-hash link broken (a record before it was changed, removed or inserted)");
	if ((err = dstore__row_vals(s, 0, v)) != DSTORE_OK ||
	    (err = dstore__chain(w->prev, v, &w->buf, h)) != DSTORE_OK)
		return err;
	if (sodium_memcmp(h, sh, DSTORE_HASH_LEN) != 0)
		return bad(res, seq, "content does not match its hash (record changed)");
	memcpy(w->prev, h, DSTORE_HASH_LEN);
	w->expect = seq + 1;
	res->records++;
	res->head_seq = seq;
	return DSTORE_OK;
}

int
dstore_verify(struct dstore *st, struct dstore_verify_result *res)
{
	struct walk w;
	sqlite3_stmt *s;
	char sql[1024];
	int rc, err = DSTORE_OK;

	if (st == NULL || res == NULL)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	snprintf(sql, sizeof(sql), "SELECT %s FROM decisions ORDER BY seq", dstore__columns);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "verify");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((err = check_row(st, s, &w, res)) != DSTORE_OK)
			break;
	if (err == DSTORE_OK && rc != SQLITE_DONE)
		err = dstore__sqlfail(st, rc, "verify");
	sqlite3_finalize(s);
	dstore__buf_free(&w.buf);
	if (err == DSTORE_OK) {
		memcpy(res->head, w.prev, DSTORE_HASH_LEN);
		snprintf(res->detail, sizeof(res->detail), "ok");
	} else if (err == DSTORE_ECHAIN)
		dstore__fail(st, err, "%s", res->detail);
	return err;
}
