/*
 * dstore_verify: recompute the hash chain from the stored rows.
 *
 * The reading thread checks the sequence and that each record's stored
 * previous hash equals the stored hash before it, and hands the canonical
 * bytes to a hashing thread that checks SHA-256(prev || bytes) == stored
 * hash. Both together are exactly the sequential chain check (if every stored
 * hash is right, linking stored hashes is linking computed ones), but SQLite
 * and SHA-256 run on two cores. The first bad record is the lowest sequence
 * number either check rejects.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <sodium.h>
#include "dstore_internal.h"

#define BATCH 512
#define RING 4

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

struct batch {
	size_t n;
	int64_t seq[BATCH];
	unsigned char prev[BATCH][DSTORE_HASH_LEN], hash[BATCH][DSTORE_HASH_LEN];
	size_t off[BATCH + 1];
	struct dstore_buf bytes;
	bool full;
};

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch ring[RING];
	bool done;
	_Atomic int64_t bad_seq;   /* first record whose content fails its hash */
	int err;
};

static void
hash_batch(struct pipe *p, struct batch *b)
{
	crypto_hash_sha256_state h;
	unsigned char out[DSTORE_HASH_LEN];
	size_t i;

	for (i = 0; i < b->n && p->bad_seq == 0; i++) {
		crypto_hash_sha256_init(&h);
		crypto_hash_sha256_update(&h, b->prev[i], DSTORE_HASH_LEN);
		crypto_hash_sha256_update(&h, b->bytes.p + b->off[i], b->off[i + 1] - b->off[i]);
		crypto_hash_sha256_final(&h, out);
		if (memcmp(out, b->hash[i], DSTORE_HASH_LEN) != 0)
			p->bad_seq = b->seq[i];
	}
}

static void *
hasher(void *arg)
{
	struct pipe *p = arg;
	size_t k = 0;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->ring[k].full && !p->done)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->ring[k].full)
			break;
		pthread_mutex_unlock(&p->mu);
		hash_batch(p, &p->ring[k]);
		pthread_mutex_lock(&p->mu);
		p->ring[k].full = false;
		pthread_cond_broadcast(&p->cv);
		k = (k + 1) % RING;
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct walk {
	struct pipe *p;
	bool threaded;
	size_t k;                  /* batch being filled */
	unsigned char prev[DSTORE_HASH_LEN];
	int64_t expect;
};

static int
bad(struct dstore_verify_result *res, int64_t seq, const char *what)
{
	res->bad_seq = seq;
	snprintf(res->detail, sizeof(res->detail), "record #%lld: %s", (long long)seq, what);
	return DSTORE_ECHAIN;
}

/* Hand the current batch to the hasher (or hash it here without a thread). */
static void
flush(struct walk *w)
{
	struct pipe *p = w->p;
	struct batch *b = &p->ring[w->k];

	if (b->n == 0)
		return;
	if (!w->threaded) {
		hash_batch(p, b);
		b->n = 0;
		b->bytes.len = 0;
		return;
	}
	pthread_mutex_lock(&p->mu);
	b->full = true;
	pthread_cond_broadcast(&p->cv);
	w->k = (w->k + 1) % RING;
	while (p->ring[w->k].full)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	p->ring[w->k].n = 0;
	p->ring[w->k].bytes.len = 0;
}

/* Encode the row's canonical bytes straight into the batch. */
static int
queue_row(struct walk *w, const struct dstore_val v[DSTORE_NFIELDS], int64_t seq,
          const void *prev, const void *hash)
{
	struct batch *b = &w->p->ring[w->k];
	int err;

	b->seq[b->n] = seq;
	memcpy(b->prev[b->n], prev, DSTORE_HASH_LEN);
	memcpy(b->hash[b->n], hash, DSTORE_HASH_LEN);
	b->off[b->n] = b->bytes.len;
	if ((err = dstore__canon_append(v, &b->bytes)) != DSTORE_OK)
		return err;
	b->off[++b->n] = b->bytes.len;
	if (b->n == BATCH)
		flush(w);
	return DSTORE_OK;
}

/* Expected previous hash of the first record present. */
static int
start_hash(struct dstore *st, int64_t first, const unsigned char *stored_prev,
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

static int
check_row(struct dstore *st, sqlite3_stmt *s, struct walk *w, struct dstore_verify_result *res)
{
	struct dstore_val v[DSTORE_NFIELDS];
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
	    (err = queue_row(w, v, seq, sp, sh)) != DSTORE_OK)
		return err;
	memcpy(w->prev, sh, DSTORE_HASH_LEN);
	w->expect = seq + 1;
	res->records++;
	res->head_seq = seq;
	return DSTORE_OK;
}

static int
scan(struct dstore *st, struct walk *w, struct dstore_verify_result *res)
{
	sqlite3_stmt *s;
	char sql[1024];
	int rc, err = DSTORE_OK;

	snprintf(sql, sizeof(sql), "SELECT %s FROM decisions ORDER BY seq", dstore__columns);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return dstore__sqlfail(st, rc, "verify");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((err = check_row(st, s, w, res)) != DSTORE_OK || w->p->bad_seq != 0)
			break;
	if (err == DSTORE_OK && w->p->bad_seq == 0 && rc != SQLITE_DONE)
		err = dstore__sqlfail(st, rc, "verify");
	sqlite3_finalize(s);
	return err;
}

/* Wait for the hasher; a content failure before the reader's failure wins. */
static int
finish(struct walk *w, pthread_t th, int err, struct dstore_verify_result *res)
{
	struct pipe *p = w->p;

	flush(w);
	if (w->threaded) {
		pthread_mutex_lock(&p->mu);
		p->done = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(th, NULL);
	}
	if (p->bad_seq != 0 && (err == DSTORE_OK || (err == DSTORE_ECHAIN && p->bad_seq <= res->bad_seq))) {
		err = bad(res, p->bad_seq, "content does not match its hash (record changed)");
		res->records = p->bad_seq - res->first_seq;
	}
	return err;
}

int
dstore_verify(struct dstore *st, struct dstore_verify_result *res)
{
	struct walk w;
	pthread_t th;
	int err, i;

	if (st == NULL || res == NULL)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	if ((w.p = calloc(1, sizeof(*w.p))) == NULL)
		return DSTORE_ENOMEM;
	pthread_mutex_init(&w.p->mu, NULL);
	pthread_cond_init(&w.p->cv, NULL);
	w.threaded = pthread_create(&th, NULL, hasher, w.p) == 0;
	err = scan(st, &w, res);
	err = finish(&w, th, err, res);
	for (i = 0; i < RING; i++)
		dstore__buf_free(&w.p->ring[i].bytes);
	pthread_cond_destroy(&w.p->cv);
	pthread_mutex_destroy(&w.p->mu);
	free(w.p);
	if (err == DSTORE_OK) {
		memcpy(res->head, w.prev, DSTORE_HASH_LEN);
		snprintf(res->detail, sizeof(res->detail), "ok");
	} else if (err == DSTORE_ECHAIN)
		dstore__fail(st, err, "%s", res->detail);
	return err;
}
