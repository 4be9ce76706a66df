/*
 * dstore_verify: recompute the hash chain from the stored rows.
 *
 * Given the stored hashes, each record is checked on its own: record i is
 * right iff its seq follows the previous record's, its stored prev_hash is
 * the previous record's stored hash and its stored hash is SHA-256(prev_hash
 * || canonical bytes). If every record passes, linking stored hashes is
 * linking computed ones, so this is exactly the sequential chain check.
 * The seq range is therefore split into contiguous ranges, one per CPU, each
 * read and hashed by its own thread on its own read-only connection,
 * starting from the stored hash of the record just before its range. All
 * connections read one snapshot of the log (see struct snap); the first bad
 * record is the lowest seq any range rejects, with the message the
 * sequential walk gives, and a range stops once a lower record has failed.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

#define MIN_RANGE 4096        /* seqs per range below which splitting costs more than it saves */
#define MAX_WORKERS 16
#define RANGES_PER_WORKER 32  /* small ranges from a queue: a core slowed by other work does fewer */
#define MAX_RANGES (MAX_WORKERS * RANGES_PER_WORKER)
#define SNAP_TRIES 3          /* attempts at one common snapshot before going single-threaded */

/* What a read transaction sees: first and last seq and the head's hash.
 * Writers only append (retention appends its own record), so any commit
 * changes the last seq: equal views are one snapshot of the log. */
struct snap {
	int64_t lo, hi;
	unsigned char head[DSTORE_HASH_LEN];
	int headlen;
};

/* One contiguous seq range and its outcome. */
struct range {
	int64_t lo, hi;
	int64_t records, first_seq, last_seq;
	unsigned char head[DSTORE_HASH_LEN];   /* stored hash of its last record */
	int64_t fail_at;           /* seq where it failed, INT64_MAX if it did not */
	int err;                   /* DSTORE_ECHAIN (why) or another error (msg) */
	const char *why;
	char msg[256];
};

struct job {
	struct dstore *st;
	struct range *r;
	int nr;
	_Atomic int next;          /* next range to take */
	_Atomic int64_t stop;      /* lowest failing seq so far, INT64_MAX if none */
};

/* A thread with its own connection; worker 0 is the caller's thread on the
 * store's connection (it alone may use st, e.g. for the retention anchor). */
struct worker {
	struct job *job;
	sqlite3 *db;
	sqlite3_stmt *rows, *pred;
	struct dstore_buf buf;     /* previous hash then canonical bytes, reused */
	struct range *cur;         /* range being walked */
	int64_t expect;            /* next seq expected; 0 before the first record */
	unsigned char prev[DSTORE_HASH_LEN];
	pthread_t th;
	bool threaded;
};

static void
lower_stop(struct job *j, int64_t seq)
{
	int64_t cur = atomic_load(&j->stop);

	while (seq < cur && !atomic_compare_exchange_weak(&j->stop, &cur, seq))
		;
}

static int
fail(struct worker *w, struct range *r, int64_t seq, const char *why)
{
	r->err = DSTORE_ECHAIN;
	r->why = why;
	r->fail_at = seq;
	lower_stop(w->job, seq);
	return DSTORE_ECHAIN;
}

/* A non-chain failure (SQLite, memory) at seq: it also ends the walk there. */
static int
fail_err(struct worker *w, struct range *r, int64_t seq, int err, const char *detail)
{
	r->err = err;
	r->fail_at = seq;
	snprintf(r->msg, sizeof(r->msg), "verify: %.200s", detail);
	lower_stop(w->job, seq);
	return err;
}

static int
fail_sql(struct worker *w, struct range *r, int64_t seq, int rc)
{
	int err = dstore__map_rc(rc);

	return fail_err(w, r, seq, err == DSTORE_OK ? DSTORE_EIO : err, sqlite3_errmsg(w->db));
}

/* Expected previous hash of the first record present (range 0, worker 0). */
static int
start_hash(struct worker *w, struct range *r, int64_t first, const unsigned char *stored_prev)
{
	struct dstore *st = w->job->st;
	int err;

	memset(w->prev, 0, DSTORE_HASH_LEN);
	if (first == 1)
		return DSTORE_OK;
	err = dstore__anchor(st, first - 1, w->prev);
	if (err == DSTORE_ENOTFOUND)
		return fail(w, r, first, "records before it are missing and no retention record explains it");
	if (err != DSTORE_OK)
		return fail_err(w, r, first, err, st->errmsg);
	if (sodium_memcmp(w->prev, stored_prev, DSTORE_HASH_LEN) != 0)
		return fail(w, r, first, "does not chain from the retention record's last removed hash");
	return DSTORE_OK;
}

/* SHA-256(stored prev || canonical bytes) == stored hash, in one call over
 * one reused buffer. */
static int
check_content(struct worker *w, struct range *r, sqlite3_value **v, int64_t seq,
              const void *sp, const void *sh)
{
	unsigned char out[DSTORE_HASH_LEN];
	int err;

	w->buf.len = 0;
	if ((err = dstore__buf_put(&w->buf, sp, DSTORE_HASH_LEN)) != DSTORE_OK ||
	    (err = dstore__vals_canon(v, &w->buf)) != DSTORE_OK)
		return fail_err(w, r, seq, err, dstore_strerror(err));
	crypto_hash_sha256(out, w->buf.p, w->buf.len);
	if (memcmp(out, sh, DSTORE_HASH_LEN) != 0)
		return fail(w, r, seq, "content does not match its hash (record changed)");
	return DSTORE_OK;
}

/* The sequential walk's checks for one row, in its order: sequence, hash
 * shape, chain start, link, content. Hashes are public: plain memcmp. */
static int
check_row(struct worker *w, struct range *r, sqlite3_value **v, int64_t seq)
{
	const void *sp, *sh;
	int err;

	if (sqlite3_value_type(v[0]) != SQLITE_INTEGER || (w->expect != 0 && seq != w->expect))
		return fail(w, r, seq, w->expect != 0 && seq > w->expect ?
		    "records missing before it (sequence gap)" : "sequence out of order");
	sp = sqlite3_value_blob(v[DSTORE_NFIELDS]);
	sh = sqlite3_value_blob(v[DSTORE_NFIELDS + 1]);
	if (sqlite3_value_bytes(v[DSTORE_NFIELDS]) != DSTORE_HASH_LEN ||
	    sqlite3_value_bytes(v[DSTORE_NFIELDS + 1]) != DSTORE_HASH_LEN)
		return fail(w, r, seq, "stored hash malformed");
	if (sp == NULL || sh == NULL)
		return fail_err(w, r, seq, DSTORE_ENOMEM, dstore_strerror(DSTORE_ENOMEM));
	if (w->expect == 0) {
		r->first_seq = seq;
		if ((err = start_hash(w, r, seq, sp)) != DSTORE_OK)
			return err;
	}
	if (memcmp(sp, w->prev, DSTORE_HASH_LEN) != 0)
		return fail(w, r, seq, "previous-hash link broken (a record before it was changed, removed or inserted)");
	if ((err = check_content(w, r, v, seq, sp, sh)) != DSTORE_OK)
		return err;
	memcpy(w->prev, sh, DSTORE_HASH_LEN);
	w->expect = seq + 1;
	r->last_seq = seq;
	r->records++;
	return DSTORE_OK;
}

/* The row check as an SQL function over all the row's columns: SQLite
 * hands it the values it decoded, with no result row to build and no
 * column calls (a sixth of the reading cost). 0 = go on, 1 = stop. */
static void
row_fn(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	struct worker *w = sqlite3_user_data(cx);
	int64_t seq = sqlite3_value_int64(v[0]);

	(void)argc;   /* registered with exactly DSTORE_NFIELDS + 2 */
	sqlite3_result_int(cx, seq > atomic_load_explicit(&w->job->stop, memory_order_relaxed) ||
	    check_row(w, w->cur, v, seq) != DSTORE_OK);
}

#define ROW_FN "undertone_verify_row"

/* DIRECTONLY: the (hostile) schema's views and triggers cannot call it. */
static int
prepare(struct worker *w)
{
	char sql[1024];
	int rc;

	rc = sqlite3_create_function(w->db, ROW_FN, DSTORE_NFIELDS + 2,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, w, row_fn, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	snprintf(sql, sizeof(sql), "SELECT " ROW_FN "(%s) FROM decisions WHERE seq BETWEEN ?1 AND ?2"
	    " ORDER BY seq", dstore__columns);
	rc = sqlite3_prepare_v2(w->db, sql, -1, &w->rows, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(w->db, "SELECT seq, hash FROM decisions WHERE seq < ?1"
		    " ORDER BY seq DESC LIMIT 1", -1, &w->pred, NULL);
	return rc;
}

/* Range 0 starts the chain; a later range starts where the sequential walk
 * would stand after the record just before it: expecting its seq + 1 and
 * linking to its stored hash. */
static int
range_start(struct worker *w, struct range *r, bool first)
{
	const void *p;
	int rc, n;

	w->expect = 0;
	memset(w->prev, 0, DSTORE_HASH_LEN);
	if (first)
		return DSTORE_OK;
	sqlite3_reset(w->pred);
	sqlite3_bind_int64(w->pred, 1, r->lo);
	rc = sqlite3_step(w->pred);
	if (rc == SQLITE_ROW) {
		/* A malformed hash there fails the range before this one first. */
		n = sqlite3_column_bytes(w->pred, 1);
		p = sqlite3_column_blob(w->pred, 1);
		w->expect = sqlite3_column_int64(w->pred, 0) + 1;
		if (p != NULL)
			memcpy(w->prev, p, n < DSTORE_HASH_LEN ? (size_t)n : DSTORE_HASH_LEN);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)   /* the snapshot check makes this unreachable */
		return fail_err(w, r, r->lo, DSTORE_EIO, "the log changed while it was read");
	sqlite3_reset(w->pred);
	return rc == SQLITE_OK ? DSTORE_OK : fail_sql(w, r, r->lo, rc);
}

static void
scan_range(struct worker *w, struct range *r, bool first)
{
	sqlite3_stmt *s = w->rows;
	int rc;

	if (range_start(w, r, first) != DSTORE_OK)
		return;
	w->cur = r;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, first ? INT64_MIN : r->lo);
	sqlite3_bind_int64(s, 2, r->hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_int(s, 0) == 0)
		;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		fail_sql(w, r, w->expect != 0 ? w->expect : r->lo, rc);
	sqlite3_reset(s);
	memcpy(r->head, w->prev, DSTORE_HASH_LEN);
}

/* Take ranges until none is left; skip those wholly after a failure. */
static void
work(struct worker *w)
{
	struct job *j = w->job;
	int i, rc = w->rows != NULL ? SQLITE_OK : prepare(w);

	while ((i = atomic_fetch_add(&j->next, 1)) < j->nr) {
		if (rc != SQLITE_OK)
			fail_sql(w, &j->r[i], j->r[i].lo, rc);
		else if (j->r[i].lo <= atomic_load(&j->stop))
			scan_range(w, &j->r[i], false);
	}
}

static void *
work_thread(void *arg)
{
	work(arg);
	return NULL;
}

static int
snap_read(sqlite3 *db, struct snap *sn)
{
	sqlite3_stmt *s;
	int rc;

	memset(sn, 0, sizeof(*sn));
	rc = sqlite3_prepare_v2(db, "SELECT (SELECT min(seq) FROM decisions), seq, hash"
	    " FROM decisions ORDER BY seq DESC LIMIT 1", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		sn->lo = sqlite3_column_int64(s, 0);
		sn->hi = sqlite3_column_int64(s, 1);
		sn->headlen = sqlite3_column_bytes(s, 2);
		if (sn->headlen > DSTORE_HASH_LEN)
			sn->headlen = DSTORE_HASH_LEN;
		if (sn->headlen > 0)
			memcpy(sn->head, sqlite3_column_blob(s, 2), (size_t)sn->headlen);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* (Re)start db's read transaction and read what it sees. */
static int
snap_begin(sqlite3 *db, struct snap *sn)
{
	int rc = SQLITE_OK;

	if (!sqlite3_get_autocommit(db))
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	return rc == SQLITE_OK ? snap_read(db, sn) : rc;
}

static bool
snap_same(const struct snap *a, const struct snap *b)
{
	return a->lo == b->lo && a->hi == b->hi && a->headlen == b->headlen &&
	    memcmp(a->head, b->head, (size_t)a->headlen) == 0;
}

/* Another read-only connection to the same file, VFS and open mode
 * (immutable when the store had to open it so). */
static sqlite3 *
open_peer(struct dstore *st)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *fn = sqlite3_db_filename(st->db, "main");
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	sqlite3_vfs *vfs = NULL;
	char uri[3 * sizeof(st->path) + 32];
	sqlite3 *db = NULL;
	size_t n;

	if (fn == NULL || fn[0] == '\0' || strlen(fn) >= sizeof(st->path))
		return NULL;
	sqlite3_file_control(st->db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs);
	if (sqlite3_uri_boolean(fn, "immutable", 0)) {
		n = (size_t)snprintf(uri, sizeof(uri), "file:");
		for (; *fn != '\0'; fn++) {
			if (*fn == '%' || *fn == '?' || *fn == '#') {
				uri[n++] = '%';
				uri[n++] = hex[(unsigned char)*fn >> 4];
				uri[n++] = hex[*fn & 15];
			} else
				uri[n++] = *fn;
		}
		snprintf(uri + n, sizeof(uri) - n, "?immutable=1");
		fn = uri;
		flags |= SQLITE_OPEN_URI;
	}
	if (sqlite3_open_v2(fn, &db, flags, vfs != NULL ? vfs->zName : NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, st->busy_ms);
	sqlite3_extended_result_codes(db, 1);
	return db;   /* no mmap, as for the store's own connection (dstore_schema.c) */
}

static void
close_peers(struct worker *w, int nw)
{
	int i;

	for (i = 1; i < nw; i++) {
		if (w[i].db != NULL && !sqlite3_get_autocommit(w[i].db))
			sqlite3_exec(w[i].db, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(w[i].db);
		w[i].db = NULL;
	}
}

/* Start the store's read transaction and the peers' on the same snapshot.
 * A writer committing in between moves the head: then all restart, a few
 * times at most, before going single-threaded (*nw = 1). */
static int
begin_all(struct dstore *st, struct worker *w, int *nw, struct snap *sn)
{
	struct snap other;
	int i, t, rc;
	bool same = false;

	for (i = 1; i < *nw; i++)
		if ((w[i].db = open_peer(st)) == NULL)
			break;
	if (i < *nw) {
		close_peers(w, *nw);
		*nw = 1;
	}
	for (t = 0; t < SNAP_TRIES && !same; t++) {
		if ((rc = snap_begin(st->db, sn)) != SQLITE_OK)
			return rc;
		same = true;
		for (i = 1; i < *nw && same; i++)
			same = snap_begin(w[i].db, &other) == SQLITE_OK && snap_same(&other, sn);
	}
	if (!same) {
		close_peers(w, *nw);
		*nw = 1;
	}
	return SQLITE_OK;
}

/* Workers from the online CPUs (at least 2) unless the log is small;
 * `ranges` forces the number of ranges (tests), at most one per seq. */
static void
plan(const struct snap *sn, int ranges, int *nw, int *nr)
{
	uint64_t span = (uint64_t)sn->hi - (uint64_t)sn->lo;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	*nw = cpus < 2 ? 2 : cpus > MAX_WORKERS ? MAX_WORKERS : (int)cpus;
	if (ranges > 0)
		*nr = ranges;
	else
		for (*nr = *nw * RANGES_PER_WORKER; *nr > 1 && span / (uint64_t)*nr < MIN_RANGE; --*nr)
			;
	if ((uint64_t)*nr > span)   /* every range must start at its own seq */
		*nr = span > 1 ? (int)span : 1;
	if (*nw > *nr)
		*nw = *nr;
}

/* Contiguous ranges over [lo, hi]; the first also takes anything below lo
 * (nothing, in one snapshot) and the last ends at the snapshot's head. */
static void
split(struct range *r, int nr, const struct snap *sn)
{
	uint64_t step = ((uint64_t)sn->hi - (uint64_t)sn->lo) / (uint64_t)nr;
	int i;

	for (i = 0; i < nr; i++) {
		r[i].lo = i == 0 ? INT64_MIN : (int64_t)((uint64_t)sn->lo + step * (uint64_t)i);
		r[i].fail_at = INT64_MAX;
	}
	for (i = 0; i < nr - 1; i++)
		r[i].hi = r[i + 1].lo - 1;
	r[nr - 1].hi = sn->hi;
}

/* Worker 0 (this thread, the store's connection) takes range 0 first, the
 * chain's start, then all take ranges from the queue. A worker whose
 * thread cannot start runs here afterwards. */
static void
run(struct job *j, struct worker *w, int nw)
{
	int i, rc;

	atomic_init(&j->next, 1);
	for (i = 1; i < nw; i++)
		w[i].threaded = pthread_create(&w[i].th, NULL, work_thread, &w[i]) == 0;
	if ((rc = prepare(&w[0])) != SQLITE_OK)
		fail_sql(&w[0], &j->r[0], INT64_MIN, rc);
	else
		scan_range(&w[0], &j->r[0], true);
	work(&w[0]);
	for (i = 1; i < nw; i++) {
		if (w[i].threaded)
			pthread_join(w[i].th, NULL);
		else
			work(&w[i]);
	}
}

/* The sequential walk's result: the lowest failure, the records before it. */
static int
collect(struct dstore *st, const struct range *r, int nr, struct dstore_verify_result *res)
{
	int i, f = -1;

	for (i = 0; i < nr; i++)
		if (r[i].err != DSTORE_OK && (f < 0 || r[i].fail_at < r[f].fail_at))
			f = i;
	res->first_seq = r[0].first_seq;
	for (i = 0; i < nr && (f < 0 || i <= f); i++) {
		res->records += r[i].records;
		if (r[i].records > 0)
			res->head_seq = r[i].last_seq;
	}
	if (f < 0) {
		memcpy(res->head, r[nr - 1].head, DSTORE_HASH_LEN);
		snprintf(res->detail, sizeof(res->detail), "ok");
		return DSTORE_OK;
	}
	if (r[f].err != DSTORE_ECHAIN)
		return dstore__fail(st, r[f].err, "%s", r[f].msg);
	res->bad_seq = r[f].fail_at;
	snprintf(res->detail, sizeof(res->detail), "record #%lld: %s", (long long)r[f].fail_at, r[f].why);
	return dstore__fail(st, DSTORE_ECHAIN, "%s", res->detail);
}

static void
workers_free(struct worker *w, int nw)
{
	int i;

	for (i = 0; i < nw; i++) {
		sqlite3_finalize(w[i].rows);
		sqlite3_finalize(w[i].pred);
		dstore__buf_free(&w[i].buf);
	}
	/* Leave the store's connection as it was. */
	if (w[0].db != NULL)
		sqlite3_create_function(w[0].db, ROW_FN, DSTORE_NFIELDS + 2, SQLITE_UTF8 | SQLITE_DIRECTONLY,
		    NULL, NULL, NULL, NULL);
	close_peers(w, nw);
}

/* Plan, open and start everyone on one snapshot, run, collect. Inside the
 * caller's own transaction peers could not see its writes: one range. */
static int
verify_job(struct job *j, struct worker *w, int ranges, struct dstore_verify_result *res)
{
	struct dstore *st = j->st;
	bool own_tx = sqlite3_get_autocommit(st->db) != 0;
	struct snap sn;
	int nw = 1, i, rc;

	rc = own_tx ? snap_begin(st->db, &sn) : snap_read(st->db, &sn);
	if (rc == SQLITE_OK && own_tx)
		plan(&sn, ranges, &nw, &j->nr);
	if (rc == SQLITE_OK && nw > 1)
		rc = begin_all(st, w, &nw, &sn);
	if (rc != SQLITE_OK) {
		workers_free(w, nw);
		return dstore__sqlfail(st, rc, "verify");
	}
	if (nw == 1 && ranges == 0)
		j->nr = 1;
	for (i = 0; i < nw; i++)
		w[i].job = j;
	w[0].db = st->db;
	split(j->r, j->nr, &sn);
	run(j, w, nw);
	workers_free(w, nw);
	return collect(st, j->r, j->nr, res);
}

int
dstore__verify_split(struct dstore *st, int ranges, struct dstore_verify_result *res)
{
	struct worker w[MAX_WORKERS];
	struct job j;
	bool own_tx;
	int err;

	if (st == NULL || res == NULL || ranges < 0 || ranges > MAX_RANGES)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	memset(w, 0, sizeof(w));
	memset(&j, 0, sizeof(j));
	if ((j.r = calloc(MAX_RANGES, sizeof(*j.r))) == NULL)
		return DSTORE_ENOMEM;
	j.st = st;
	j.nr = 1;
	atomic_init(&j.stop, INT64_MAX);
	own_tx = sqlite3_get_autocommit(st->db) != 0;
	err = verify_job(&j, w, ranges, res);
	if (own_tx && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	free(j.r);
	return err;
}

int
dstore_verify(struct dstore *st, struct dstore_verify_result *res)
{
	return dstore__verify_split(st, 0, res);
}
