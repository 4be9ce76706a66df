/*
 * dstore_merge: combine logs from several hosts. Every input is opened
 * read-only and verified first; then their records are merged in (time,
 * UUID) order into the output's chain, skipping UUIDs already present, each
 * carrying its provenance in "origin". One transaction: all or nothing.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dstore_internal.h"

#define MERGE_MAX_INPUTS 64

struct src {
	struct dstore *st;
	sqlite3_stmt *cur;
	struct dstore_record rec;
	bool live;
	char base[128];
};

static int
src_next(struct src *s)
{
	int rc = sqlite3_step(s->cur);

	s->live = rc == SQLITE_ROW;
	if (s->live)
		dstore__row_record(s->cur, &s->rec, true);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? DSTORE_OK : DSTORE_EIO;
}

static int
src_open(struct src *s, const char *path, char *err, size_t errcap)
{
	struct dstore_verify_result vr;
	char sql[1024], tmp[4096];
	int e;

	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(s->base, sizeof(s->base), "%s", basename(tmp));
	e = dstore_open(path, DSTORE_READONLY, &s->st, err, errcap);
	if (e != DSTORE_OK)
		return e;
	e = dstore_verify(s->st, &vr);
	if (e != DSTORE_OK) {
		snprintf(err, errcap, "%s: %s", path, vr.detail[0] ? vr.detail : dstore_errmsg(s->st));
		return e;
	}
	snprintf(sql, sizeof(sql), "SELECT %s, NULL FROM decisions ORDER BY time_ms, uuid",
	    dstore__columns);
	if (sqlite3_prepare_v2(s->st->db, sql, -1, &s->cur, NULL) != SQLITE_OK) {
		snprintf(err, errcap, "%s: %s", path, sqlite3_errmsg(s->st->db));
		return DSTORE_EIO;
	}
	return src_next(s);
}

static struct src *
pick(struct src *v, size_t n)
{
	struct src *best = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i].live)
			continue;
		if (best == NULL || v[i].rec.time_ms < best->rec.time_ms ||
		    (v[i].rec.time_ms == best->rec.time_ms && strcmp(v[i].rec.uuid, best->rec.uuid) < 0))
			best = &v[i];
	}
	return best;
}

static int
copy_all(struct dstore *out, struct src *v, size_t n, struct dstore_merge_result *res)
{
	struct dstore_record *r = malloc(sizeof(*r));
	struct src *s;
	bool dup;
	int err = DSTORE_OK;

	if (r == NULL)
		return DSTORE_ENOMEM;
	while (err == DSTORE_OK && (s = pick(v, n)) != NULL) {
		*r = s->rec;
		if (r->origin[0] == '\0')
			snprintf(r->origin, sizeof(r->origin), "%s:%s#%lld", r->host, s->base,
			    (long long)r->seq);
		res->read++;
		err = dstore__append_tx(out, r, true, &dup);
		if (err == DSTORE_OK) {
			if (dup)
				res->duplicates++;
			else
				res->written++;
			err = src_next(s);
		}
	}
	free(r);
	return err;
}

static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int
dstore_merge(const char *out_path, const char *const *inputs, size_t n,
             struct dstore_merge_result *res, char *err, size_t errcap)
{
	struct dstore *out = NULL;
	struct src *v;
	size_t i;
	int e = DSTORE_OK;

	if (out_path == NULL || inputs == NULL || res == NULL || n == 0 || n > MERGE_MAX_INPUTS)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	if ((v = calloc(n, sizeof(*v))) == NULL)
		return DSTORE_ENOMEM;
	for (i = 0; i < n && e == DSTORE_OK; i++) {
		if (same_file(inputs[i], out_path)) {
			snprintf(err, errcap, "%s is also the output", inputs[i]);
			e = DSTORE_EINVAL;
		} else
			e = src_open(&v[i], inputs[i], err, errcap);
	}
	if (e == DSTORE_OK)
		e = dstore_open(out_path, 0, &out, err, errcap);
	if (e == DSTORE_OK && (e = dstore__begin(out)) == DSTORE_OK) {
		e = copy_all(out, v, n, res);
		if (e == DSTORE_OK)
			e = dstore__commit(out);
		else
			dstore__rollback(out);
		if (e != DSTORE_OK)
			snprintf(err, errcap, "%s: %s", out_path, dstore_errmsg(out));
	}
	for (i = 0; i < n; i++) {
		sqlite3_finalize(v[i].cur);
		dstore_close(v[i].st);
	}
	free(v);
	dstore_close(out);
	return e;
}
