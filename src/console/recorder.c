/* recorder: the decision log behind one small interface (see recorder.h). */
#include "recorder.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct recorder {
	struct dstore *st;
};

/* mkdir -p for the log's parent directory. */
static void make_parent(const char *path)
{
	char dir[4096];
	size_t n = strlen(path);
	if (n >= sizeof dir)
		return;
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return;
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return;
}

struct recorder *recorder_open(const char *path, char *err, size_t errsz)
{
	struct recorder *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	make_parent(path);
	char detail[256] = "";
	int rc = dstore_open(path, 0, &r->st, detail, sizeof detail);
	if (rc != DSTORE_OK) {
		snprintf(err, errsz, "decision log %s: %s%s%s", path, dstore_strerror(rc),
			detail[0] ? ": " : "", detail);
		free(r);
		return NULL;
	}
	return r;
}

void recorder_close(struct recorder *r)
{
	if (!r)
		return;
	dstore_close(r->st);
	free(r);
}

int recorder_append(struct recorder *r, struct dstore_record *rec) { return dstore_append(r->st, rec); }

int recorder_forwarded(struct recorder *r, const char *uuid, int64_t when_ms)
{
	return dstore_mark_forwarded(r->st, uuid, when_ms);
}

int recorder_unforwarded(struct recorder *r, size_t max, struct dstore_record **out, size_t *n)
{
	return dstore_list_unforwarded(r->st, max, out, n);
}

int recorder_recent(struct recorder *r, int64_t since_ms, const char *match, size_t max,
	struct dstore_record **out, size_t *n)
{
	struct dstore_filter f;
	dstore_filter_init(&f);
	f.since_ms = since_ms;
	f.match = match && match[0] ? match : NULL;
	f.limit = max;
	f.newest_first = 1;
	return dstore_list(r->st, &f, out, n);
}

int recorder_expired(struct recorder *r, const struct dstore_expiry *e)
{
	return dstore_note_expired(r->st, e);
}

const char *recorder_error(const struct recorder *r, int rc)
{
	const char *d = r ? dstore_errmsg(r->st) : NULL;
	return d && d[0] ? d : dstore_strerror(rc);
}
