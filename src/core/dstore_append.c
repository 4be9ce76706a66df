/* dstore_append: durable append with the chain head read inside BEGIN
 * IMMEDIATE, the forwarding queue and expired suggestions. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include "dstore_internal.h"
#include "undertone/utf8.h"
#include "undertone/timing.h"

/* RFC 4122 version 4 from libsodium's CSPRNG. */
void
dstore_uuid(char out[DSTORE_UUID_LEN + 1])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, DSTORE_UUID_LEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
	    b[12], b[13], b[14], b[15]);
}

/* The supervisor is the effective user's login from the password database:
 * $USER and friends are set by the user and prove nothing. */
int
dstore__identity(char *user, size_t ucap, char *host, size_t hcap)
{
	struct passwd *pw = getpwuid(geteuid());
	char h[256];

	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		utf8_copy_clip(user, ucap, pw->pw_name);
	else
		snprintf(user, ucap, "uid:%lu", (unsigned long)geteuid());
	if (gethostname(h, sizeof(h)) != 0)
		snprintf(h, sizeof(h), "unknown");
	h[sizeof(h) - 1] = '\0';
	utf8_copy_clip(host, hcap, h);
	return DSTORE_OK;
}

int
dstore__begin(struct dstore *st)
{
	int rc;

	if (st->readonly)
		return dstore__fail(st, DSTORE_EREADONLY, "store opened read-only");
	/* SQLite's busy handler retries the lock until busy_ms has passed. */
	rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	return rc == SQLITE_OK ? DSTORE_OK : dstore__sqlfail(st, rc, "begin");
}

int
dstore__commit(struct dstore *st)
{
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return DSTORE_OK;
	rc = dstore__sqlfail(st, rc, "commit");
	dstore__rollback(st);
	return rc;
}

void
dstore__rollback(struct dstore *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
prep(struct dstore *st, sqlite3_stmt **s, const char *sql)
{
	int rc;

	if (*s != NULL) {
		sqlite3_reset(*s);
		sqlite3_clear_bindings(*s);
		return DSTORE_OK;
	}
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, s, NULL);
	return rc == SQLITE_OK ? DSTORE_OK : dstore__sqlfail(st, rc, "prepare");
}

static int
read_head(struct dstore *st, int64_t *seq, unsigned char hash[DSTORE_HASH_LEN])
{
	int rc, err = prep(st, &st->st_head,
	    "SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1");

	*seq = 0;
	memset(hash, 0, DSTORE_HASH_LEN);
	if (err != DSTORE_OK)
		return err;
	rc = sqlite3_step(st->st_head);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st->st_head, 0);
		if (sqlite3_column_bytes(st->st_head, 1) == DSTORE_HASH_LEN)
			memcpy(hash, sqlite3_column_blob(st->st_head, 1), DSTORE_HASH_LEN);
	}
	sqlite3_reset(st->st_head);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? DSTORE_OK : dstore__sqlfail(st, rc, "head");
}

static int
find_uuid(struct dstore *st, const char *uuid, int64_t *seq)
{
	int rc, err = prep(st, &st->st_uuid, "SELECT seq FROM decisions WHERE uuid = ?1");

	*seq = 0;
	if (err != DSTORE_OK)
		return err;
	sqlite3_bind_text(st->st_uuid, 1, uuid, -1, SQLITE_STATIC);
	rc = sqlite3_step(st->st_uuid);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int64(st->st_uuid, 0);
	sqlite3_reset(st->st_uuid);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? DSTORE_OK : dstore__sqlfail(st, rc, "lookup");
}

static void
bind_val(sqlite3_stmt *s, int i, const struct dstore_val *v)
{
	switch (v->t) {
	case DV_NULL: sqlite3_bind_null(s, i); break;
	case DV_INT: sqlite3_bind_int64(s, i, v->i); break;
	case DV_REAL: sqlite3_bind_double(s, i, v->r); break;
	case DV_TEXT: sqlite3_bind_text(s, i, v->s, (int)v->len, SQLITE_STATIC); break;
	case DV_BLOB: sqlite3_bind_blob(s, i, v->s, (int)v->len, SQLITE_STATIC); break;
	}
}

static int
insert_row(struct dstore *st, const struct dstore_val v[DSTORE_NFIELDS],
           const unsigned char prev[DSTORE_HASH_LEN], const unsigned char hash[DSTORE_HASH_LEN])
{
	char sql[1024];
	int i, rc, err;

	snprintf(sql, sizeof(sql), "INSERT INTO decisions(%s) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,"
	    "?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?25,?26,?27,?28)",
	    dstore__columns);
	err = prep(st, &st->st_insert, sql);
	if (err != DSTORE_OK)
		return err;
	for (i = 0; i < DSTORE_NFIELDS; i++)
		bind_val(st->st_insert, i + 1, &v[i]);
	sqlite3_bind_blob(st->st_insert, DSTORE_NFIELDS + 1, prev, DSTORE_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st->st_insert, DSTORE_NFIELDS + 2, hash, DSTORE_HASH_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st->st_insert);
	sqlite3_reset(st->st_insert);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "insert");
}

static int
queue_pending(struct dstore *st, int64_t seq)
{
	int rc, err = prep(st, &st->st_pending, "INSERT INTO pending(seq) VALUES(?1)");

	if (err != DSTORE_OK)
		return err;
	sqlite3_bind_int64(st->st_pending, 1, seq);
	rc = sqlite3_step(st->st_pending);
	sqlite3_reset(st->st_pending);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "pending");
}

static int
chain_and_insert(struct dstore *st, struct dstore_record *r)
{
	struct dstore_val v[DSTORE_NFIELDS];
	struct dstore_owned o;
	int err;

	if (st->scratch == NULL && (st->scratch = calloc(1, sizeof(*st->scratch))) == NULL)
		return DSTORE_ENOMEM;
	err = dstore__record_vals(st, r, v, &o);
	if (err != DSTORE_OK)
		return err;
	err = dstore__chain(r->prev_hash, v, st->scratch, r->hash);
	if (err == DSTORE_OK)
		err = insert_row(st, v, r->prev_hash, r->hash);
	dstore__owned_free(&o);
	return err;
}

int
dstore__append_tx(struct dstore *st, struct dstore_record *r, bool preserve, bool *dup)
{
	int64_t seq;
	int err;

	*dup = false;
	if (r->uuid[0] == '\0')
		dstore_uuid(r->uuid);
	if (r->time_ms == 0)
		r->time_ms = timing_wall_ms();
	if (!preserve)
		dstore__identity(r->supervisor, sizeof(r->supervisor), r->host, sizeof(r->host));
	if ((err = dstore__validate(st, r)) != DSTORE_OK)
		return err;
	if ((err = find_uuid(st, r->uuid, &seq)) != DSTORE_OK)
		return err;
	if (seq != 0) {
		*dup = true;
		r->seq = seq;
		return DSTORE_OK;
	}
	if ((err = read_head(st, &seq, r->prev_hash)) != DSTORE_OK)
		return err;
	r->seq = seq + 1;
	if ((err = chain_and_insert(st, r)) != DSTORE_OK)
		return err;
	if (r->type == DSTORE_TYPE_DECISION && r->origin[0] == '\0')
		return queue_pending(st, r->seq);
	return DSTORE_OK;
}

int
dstore_append(struct dstore *st, struct dstore_record *rec)
{
	bool dup;
	int err;

	if (st == NULL || rec == NULL)
		return DSTORE_EINVAL;
	/* Only retention writes summary records and only merge sets an origin:
	 * a caller must not be able to forge a retention anchor. */
	rec->type = DSTORE_TYPE_DECISION;
	rec->origin[0] = '\0';
	err = dstore__begin(st);
	if (err != DSTORE_OK)
		return err;
	err = dstore__append_tx(st, rec, false, &dup);
	if (err != DSTORE_OK) {
		dstore__rollback(st);
		return err;
	}
	return dstore__commit(st);
}

static int
exec_bound(struct dstore *st, const char *sql, const struct dstore_val *v, int n)
{
	sqlite3_stmt *s;
	int i, rc;

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "prepare");
	for (i = 0; i < n; i++)
		bind_val(s, i + 1, &v[i]);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? DSTORE_OK : dstore__sqlfail(st, rc, "write");
}

int
dstore_mark_forwarded(struct dstore *st, const char *uuid, int64_t when_ms)
{
	struct dstore_val v[2] = { { .t = DV_TEXT }, { .t = DV_INT, .i = when_ms } };
	int64_t seq;
	int err;

	if (st == NULL || uuid == NULL || strlen(uuid) != DSTORE_UUID_LEN || when_ms < 0)
		return DSTORE_EINVAL;
	v[0].s = uuid;
	v[0].len = DSTORE_UUID_LEN;
	if ((err = dstore__begin(st)) != DSTORE_OK)
		return err;
	err = find_uuid(st, uuid, &seq);
	if (err == DSTORE_OK && seq == 0)
		err = dstore__fail(st, DSTORE_ENOTFOUND, "no decision %s", uuid);
	if (err == DSTORE_OK)
		err = exec_bound(st, "INSERT OR IGNORE INTO forwarded(uuid, forwarded_ms) VALUES(?1,?2)", v, 2);
	if (err == DSTORE_OK) {
		v[0].t = DV_INT;
		v[0].i = seq;
		err = exec_bound(st, "DELETE FROM pending WHERE seq = ?1", v, 1);
	}
	if (err != DSTORE_OK) {
		dstore__rollback(st);
		return err;
	}
	return dstore__commit(st);
}

int
dstore_note_expired(struct dstore *st, const struct dstore_expiry *e)
{
	struct dstore_val v[8];
	int err;

	if (st == NULL || e == NULL)
		return DSTORE_EINVAL;
	if (!memchr(e->suggestion_id, 0, sizeof(e->suggestion_id)) || e->suggestion_id[0] == '\0' ||
	    !memchr(e->rule, 0, sizeof(e->rule)) || !memchr(e->call_id, 0, sizeof(e->call_id)) ||
	    !memchr(e->queue, 0, sizeof(e->queue)) || (int)e->kind < 0 || e->kind >= UT_SK__COUNT ||
	    e->severity < UT_SEVERITY_MIN || e->severity > UT_SEVERITY_MAX ||
	    e->raised_ms < 0 || e->expired_ms < e->raised_ms ||
	    !utf8_valid(e->suggestion_id, strlen(e->suggestion_id)) ||
	    !utf8_valid(e->rule, strlen(e->rule)) || !utf8_valid(e->call_id, strlen(e->call_id)) ||
	    !utf8_valid(e->queue, strlen(e->queue)))
		return dstore__fail(st, DSTORE_EINVAL, "invalid expiry");
	memset(v, 0, sizeof(v));
	v[0] = (struct dstore_val){ .t = DV_TEXT, .s = e->suggestion_id, .len = strlen(e->suggestion_id) };
	v[1] = (struct dstore_val){ .t = DV_TEXT, .s = e->rule, .len = strlen(e->rule) };
	v[2] = (struct dstore_val){ .t = DV_TEXT, .s = model_suggestion_kind_name(e->kind),
	    .len = strlen(model_suggestion_kind_name(e->kind)) };
	v[3] = (struct dstore_val){ .t = DV_INT, .i = e->severity };
	v[4] = (struct dstore_val){ .t = DV_TEXT, .s = e->call_id, .len = strlen(e->call_id) };
	v[5] = (struct dstore_val){ .t = DV_TEXT, .s = e->queue, .len = strlen(e->queue) };
	v[6] = (struct dstore_val){ .t = DV_INT, .i = e->raised_ms };
	v[7] = (struct dstore_val){ .t = DV_INT, .i = e->expired_ms };
	if ((err = dstore__begin(st)) != DSTORE_OK)
		return err;
	err = exec_bound(st, "INSERT OR IGNORE INTO expiries(suggestion_id, rule, kind, severity,"
	    " call_id, queue, raised_ms, expired_ms) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)", v, 8);
	if (err != DSTORE_OK) {
		dstore__rollback(st);
		return err;
	}
	return dstore__commit(st);
}
