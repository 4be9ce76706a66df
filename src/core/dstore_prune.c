/*
 * dstore_prune: the retention procedure. In one transaction it removes the
 * oldest records (a contiguous prefix of the chain, all older than the
 * cutoff), overwrites their pages (secure_delete), and appends a PRUNE record
 * whose free text summarises what went and carries the last removed hash, so
 * the remaining chain still verifies from that anchor.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "dstore_internal.h"

struct span {
	int64_t first, through, count, oldest, newest;
	unsigned char hash[DSTORE_HASH_LEN];
};

static int
find_span(struct dstore *st, int64_t cutoff, struct span *sp)
{
	sqlite3_stmt *s;
	int rc;

	memset(sp, 0, sizeof(*sp));
	rc = sqlite3_prepare_v2(st->db,
	    "WITH t(through) AS (SELECT coalesce((SELECT min(seq) FROM decisions WHERE time_ms >= ?1) - 1,"
	    " (SELECT max(seq) FROM decisions)))"
	    " SELECT min(seq), max(seq), count(*), min(time_ms), max(time_ms),"
	    " (SELECT hash FROM decisions WHERE seq = (SELECT through FROM t))"
	    " FROM decisions WHERE seq <= (SELECT through FROM t)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "prune");
	sqlite3_bind_int64(s, 1, cutoff);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int64(s, 2) > 0) {
		sp->first = sqlite3_column_int64(s, 0);
		sp->through = sqlite3_column_int64(s, 1);
		sp->count = sqlite3_column_int64(s, 2);
		sp->oldest = sqlite3_column_int64(s, 3);
		sp->newest = sqlite3_column_int64(s, 4);
		if (sqlite3_column_bytes(s, 5) == DSTORE_HASH_LEN)
			memcpy(sp->hash, sqlite3_column_blob(s, 5), DSTORE_HASH_LEN);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? DSTORE_OK : dstore__sqlfail(st, rc, "prune");
}

static int
remove_span(struct dstore *st, int64_t through)
{
	char sql[512];
	int err;

	snprintf(sql, sizeof(sql), "PRAGMA secure_delete=ON;"
	    "DROP TRIGGER decisions_no_delete;"
	    "DELETE FROM decisions WHERE seq <= %" PRId64 ";"
	    "DELETE FROM pending WHERE seq <= %" PRId64 ";"
	    "DELETE FROM forwarded WHERE uuid NOT IN (SELECT uuid FROM decisions);"
	    DSTORE_SQL_NO_DELETE, through, through);
	err = dstore__exec(st, sql);
	return err;
}

static int
summary(const struct span *sp, int64_t cutoff, struct dstore_record *r)
{
	char hex[2 * DSTORE_HASH_LEN + 1];
	json_t *j;
	char *txt;
	int err = DSTORE_OK;

	dstore_hex(sp->hash, DSTORE_HASH_LEN, hex);
	j = json_pack("{s:I,s:I,s:I,s:s,s:I,s:I,s:I}", "cutoff_ms", (json_int_t)cutoff,
	    "first_seq", (json_int_t)sp->first, "through_seq", (json_int_t)sp->through,
	    "through_hash", hex, "removed", (json_int_t)sp->count,
	    "oldest_ms", (json_int_t)sp->oldest, "newest_ms", (json_int_t)sp->newest);
	txt = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	if (txt == NULL || strlen(txt) > UT_FREETEXT_MAX)
		err = DSTORE_ENOMEM;
	else
		snprintf(r->free_text, sizeof(r->free_text), "%s", txt);
	free(txt);
	json_decref(j);
	return err;
}

int
dstore_prune(struct dstore *st, int64_t cutoff_ms, struct dstore_prune_result *res)
{
	struct dstore_record *r;
	struct span sp;
	bool dup;
	int err;

	if (st == NULL || res == NULL || cutoff_ms <= 0)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	if ((r = malloc(sizeof(*r))) == NULL)
		return DSTORE_ENOMEM;
	if ((err = dstore__begin(st)) != DSTORE_OK) {
		free(r);
		return err;
	}
	err = find_span(st, cutoff_ms, &sp);
	if (err == DSTORE_OK && sp.count > 0) {
		dstore_record_init(r);
		err = summary(&sp, cutoff_ms, r);
		r->type = DSTORE_TYPE_PRUNE;
		snprintf(r->reason_code, sizeof(r->reason_code), "retention");
		if (err == DSTORE_OK)
			err = remove_span(st, sp.through);
		if (err == DSTORE_OK)
			err = dstore__append_tx(st, r, false, &dup);
	}
	if (err != DSTORE_OK) {
		dstore__rollback(st);
		free(r);
		return err;
	}
	err = dstore__commit(st);
	if (err == DSTORE_OK && sp.count > 0) {
		res->removed = sp.count;
		res->through_seq = sp.through;
		res->summary_seq = r->seq;
	}
	free(r);
	return err;
}
