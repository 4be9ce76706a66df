/* roster: live calls kept across an analyzer restart (see roster.h). */
#include "roster.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "undertone/jsonio.h"
#include "private_file.h"

#define ROSTER_VERSION 1

struct saver {
	FILE *f;
	struct codec_buf buf;
	bool failed;
};

static void
save_one(void *ud, const struct proto_event *start, int64_t last_ms)
{
	struct saver *s = ud;

	if (s->failed)
		return;
	/* The encoder ends its object with '\n': drop it inside the wrapper. */
	if (jsonio_encode_event(start, &s->buf) != CODEC_OK || s->buf.len == 0) {
		s->failed = true;
		return;
	}
	if (fprintf(s->f, "{\"last_ms\":%" PRId64 ",\"event\":%.*s}\n", last_ms,
	    (int)(s->buf.len - 1), s->buf.data) < 0)
		s->failed = true;
}

static int
write_header(FILE *f, const char *pub, int64_t wall_ms)
{
	json_t *h = json_pack("{s:i, s:s, s:I}", "undertone_roster", ROSTER_VERSION, "pub", pub,
	    "saved_ms", (json_int_t)wall_ms);
	int rc = h != NULL && json_dumpf(h, f, JSON_COMPACT) == 0 && fputc('\n', f) != EOF ? 0 : -1;

	json_decref(h);
	return rc;
}

int
roster_save(const char *path, const struct engine *e, int64_t wall_ms, char *err, size_t errlen)
{
	struct saver s = { NULL, { NULL, 0, 0 }, false };
	char tmp[4200];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%.60s...: path too long", path);
		return -1;
	}
	if ((s.f = private_file_open(tmp)) == NULL) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	codec_buf_init(&s.buf);
	if (write_header(s.f, engine_pub(e), wall_ms) != 0)
		s.failed = true;
	engine_roster(e, save_one, &s);
	codec_buf_free(&s.buf);
	/* Durable before it replaces the previous roster. */
	rc = s.failed || fflush(s.f) != 0 || fsync(fileno(s.f)) != 0 ? -1 : 0;
	if (rc != 0)
		snprintf(err, errlen, "%s: %s", tmp, errno ? strerror(errno) : "write failed");
	if (fclose(s.f) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* One call line: 1 resumed, 0 skipped (counted), -1 not a roster entry. */
static int
load_one(const char *line, size_t len, struct engine *e, struct proto_event *ev,
    int64_t wall_ms, int64_t mono_ms, int64_t max_age_ms, struct roster_stats *st)
{
	json_t *j = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *last = j ? json_object_get(j, "last_ms") : NULL;
	char *text = j && json_is_object(json_object_get(j, "event")) ?
	    json_dumps(json_object_get(j, "event"), JSON_COMPACT) : NULL;
	struct codec_diag diag = { "", 0 };
	int rc = -1;

	if (text != NULL && json_is_integer(last) && json_object_size(j) == 2 &&
	    jsonio_decode_event(text, strlen(text), ev, &diag) == CODEC_OK &&
	    ev->type == PROTO_EV_CALL_START && json_integer_value(last) >= ev->ts_ms) {
		if (wall_ms - json_integer_value(last) > max_age_ms)
			st->stale++;
		else if (engine_resume(e, ev, json_integer_value(last), wall_ms, mono_ms) == 0)
			st->resumed++;
		else
			st->refused++;
		rc = 0;
	}
	free(text);
	json_decref(j);
	return rc;
}

static bool
header_ok(const char *line, size_t len)
{
	json_t *j = json_loadb(line, len, 0, NULL);
	bool ok = json_integer_value(json_object_get(j, "undertone_roster")) == ROSTER_VERSION;

	json_decref(j);
	return ok;
}

/* Reads lines of at most ROSTER_LINE_MAX bytes; a longer one is consumed
 * and reported as too long (*len = SIZE_MAX). 0 at end of file. */
static int
next_line(FILE *f, char *buf, size_t *len)
{
	int c;
	size_t n = 0;
	bool over = false;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (n < ROSTER_LINE_MAX)
			buf[n++] = (char)c;
		else
			over = true;
	}
	if (c == EOF && n == 0 && !over)
		return 0;
	*len = over ? SIZE_MAX : n;
	return 1;
}

static int
load_lines(FILE *f, struct engine *e, int64_t wall_ms, int64_t mono_ms, int64_t max_age_ms,
    struct roster_stats *st, char *buf, struct proto_event *ev)
{
	size_t len;
	bool first = true;

	while (next_line(f, buf, &len)) {
		if (first) {
			if (len == SIZE_MAX || !header_ok(buf, len))
				return -1;
			first = false;
			continue;
		}
		if (len == SIZE_MAX || load_one(buf, len, e, ev, wall_ms, mono_ms, max_age_ms, st) != 0)
			st->bad++;
	}
	return first ? -1 : 0;
}

int
roster_load(const char *path, struct engine *e, int64_t wall_ms, int64_t mono_ms,
    int64_t max_age_ms, struct roster_stats *st, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	struct proto_event *ev = NULL;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (f == NULL && errno == ENOENT) {
		st->missing = true;
		return 0;
	}
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(ROSTER_LINE_MAX);
	ev = malloc(sizeof(*ev));
	if (buf == NULL || ev == NULL)
		snprintf(err, errlen, "out of memory");
	else if ((rc = load_lines(f, e, wall_ms, mono_ms, max_age_ms, st, buf, ev)) != 0)
		snprintf(err, errlen, "%s: not an undertone roster (bad or missing header line)", path);
	if (rc == 0 && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	free(ev);
	free(buf);
	fclose(f);
	return rc;
}
