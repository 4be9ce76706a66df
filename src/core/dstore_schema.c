/* dstore_schema: opening, file modes, error mapping and schema migrations. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "dstore_internal.h"

const char dstore__columns[] =
	"seq,type,uuid,time_ms,supervisor,display_name,host,call_id,agent,queue,"
	"sug_id,sug_rule,sug_kind,sug_severity,sug_raised_ms,sug_reasons,"
	"decision,severity,until_ms,tag,reason_code,free_text,signals,"
	"policy_version,lexicon_version,origin,prev_hash,hash";

/*
 * Migration steps: steps[k] takes a file from user_version k to k + 1. Each
 * runs inside one transaction with the user_version update, so a crash
 * leaves the file at the old or the new version, never between.
 */
static const char *const step_v1 =
	"CREATE TABLE decisions ("
	" seq INTEGER PRIMARY KEY, type INTEGER NOT NULL,"
	" uuid TEXT NOT NULL UNIQUE, time_ms INTEGER NOT NULL,"
	" supervisor TEXT NOT NULL, display_name TEXT NOT NULL, host TEXT NOT NULL,"
	" call_id TEXT NOT NULL, agent TEXT NOT NULL, queue TEXT NOT NULL,"
	" sug_id TEXT, sug_rule TEXT, sug_kind TEXT, sug_severity INTEGER,"
	" sug_raised_ms INTEGER, sug_reasons TEXT,"
	" decision TEXT, severity INTEGER NOT NULL, until_ms INTEGER NOT NULL,"
	" tag TEXT NOT NULL, reason_code TEXT NOT NULL, free_text TEXT NOT NULL,"
	" signals TEXT NOT NULL, policy_version TEXT NOT NULL,"
	" lexicon_version TEXT NOT NULL, origin TEXT NOT NULL,"
	" prev_hash BLOB NOT NULL, hash BLOB NOT NULL);"
	"CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
	DSTORE_SQL_NO_DELETE
	"CREATE TABLE pending (seq INTEGER PRIMARY KEY);"
	"CREATE TABLE forwarded (uuid TEXT PRIMARY KEY, forwarded_ms INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE INDEX decisions_time ON decisions(time_ms);"
	"CREATE INDEX decisions_supervisor ON decisions(supervisor, time_ms);"
	"CREATE INDEX decisions_call ON decisions(call_id, time_ms);"
	"CREATE INDEX decisions_queue ON decisions(queue, time_ms);"
	"CREATE INDEX decisions_decision ON decisions(decision, time_ms);"
	"CREATE INDEX decisions_kind ON decisions(sug_kind, time_ms);"
	"CREATE INDEX decisions_reason ON decisions(reason_code, time_ms);";

/* v2: suggestions that expired undecided (for stats), the index that finds
 * a suggestion's decisions, and a time index that covers every column stats
 * reads, so a period's statistics come from the index alone. */
static const char *const step_v2 =
	"CREATE TABLE expiries (suggestion_id TEXT PRIMARY KEY, rule TEXT NOT NULL,"
	" kind TEXT NOT NULL, severity INTEGER NOT NULL, call_id TEXT NOT NULL,"
	" queue TEXT NOT NULL, raised_ms INTEGER NOT NULL, expired_ms INTEGER NOT NULL)"
	" WITHOUT ROWID;"
	"CREATE INDEX expiries_time ON expiries(expired_ms);"
	"CREATE INDEX decisions_sug ON decisions(sug_id, time_ms);"
	"DROP INDEX decisions_time;"
	"CREATE INDEX decisions_time ON decisions(time_ms, type, sug_kind, decision,"
	" sug_rule, reason_code, sug_id, sug_raised_ms);";

static const char *const steps[DSTORE_SCHEMA_VERSION] = { step_v1, step_v2 };

int
dstore__fail(struct dstore *st, int err, const char *fmt, ...)
{
	va_list ap;

	if (st != NULL) {
		va_start(ap, fmt);
		vsnprintf(st->errmsg, sizeof(st->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

int
dstore__map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW: return DSTORE_OK;
	case SQLITE_BUSY: case SQLITE_LOCKED: return DSTORE_EBUSY;
	case SQLITE_FULL: return DSTORE_EFULL;
	case SQLITE_READONLY: case SQLITE_PERM: case SQLITE_AUTH: return DSTORE_EREADONLY;
	case SQLITE_CORRUPT: case SQLITE_NOTADB: return DSTORE_ECORRUPT;
	case SQLITE_NOMEM: return DSTORE_ENOMEM;
	case SQLITE_CONSTRAINT: case SQLITE_MISMATCH: case SQLITE_RANGE:
	case SQLITE_TOOBIG: return DSTORE_EINVAL;
	default: return DSTORE_EIO;
	}
}

int
dstore__sqlfail(struct dstore *st, int rc, const char *what)
{
	int err = dstore__map_rc(rc);
	int sys = st->db ? sqlite3_system_errno(st->db) : 0;

	/* An I/O error's errno tells a full disk or a read-only mount apart. */
	if (err == DSTORE_EIO && (sys == ENOSPC || sys == EDQUOT))
		err = DSTORE_EFULL;
	else if (err == DSTORE_EIO && (sys == EROFS || sys == EACCES || sys == EPERM))
		err = DSTORE_EREADONLY;
	if (err == DSTORE_OK)
		err = DSTORE_EIO;
	return dstore__fail(st, err, "%s: %s (%s)", what,
	    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc), dstore_strerror(err));
}

int
dstore__exec(struct dstore *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? DSTORE_OK : dstore__sqlfail(st, rc, "sql");
}

const char *
dstore_strerror(int err)
{
	switch (err) {
	case DSTORE_OK: return "ok";
	case DSTORE_EINVAL: return "invalid record or argument";
	case DSTORE_EBUSY: return "database locked by another writer";
	case DSTORE_EFULL: return "disk full";
	case DSTORE_EREADONLY: return "database or directory is read-only";
	case DSTORE_ECORRUPT: return "database file is corrupt";
	case DSTORE_ENEWER: return "database schema is newer than this program";
	case DSTORE_EIO: return "I/O error";
	case DSTORE_ENOTFOUND: return "not found";
	case DSTORE_ECHAIN: return "hash chain broken";
	case DSTORE_ENOMEM: return "out of memory";
	case DSTORE_EKEY: return "bad key file";
	case DSTORE_ESIG: return "bad checkpoint or signature";
	case DSTORE_EEXTEND: return "log does not extend the checkpoint";
	default: return "unknown error";
	}
}

int
dstore_err_retryable(int err)
{
	return err == DSTORE_EBUSY || err == DSTORE_EFULL ||
	    err == DSTORE_EREADONLY || err == DSTORE_EIO || err == DSTORE_ENOMEM;
}

const char *
dstore_errmsg(const struct dstore *st)
{
	return st != NULL ? st->errmsg : "no store";
}

void
dstore_set_busy_timeout(struct dstore *st, int ms)
{
	if (st == NULL || ms < 0)
		return;
	st->busy_ms = ms;
	sqlite3_busy_timeout(st->db, ms);
}

int
dstore_default_path(char *buf, size_t cap)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct passwd *pw;
	int n;

	/* XDG requires an absolute path; a relative one is ignored. */
	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, cap, "%s/undertone/decisions.db", xdg);
	else {
		if (home == NULL || home[0] != '/') {
			pw = getpwuid(geteuid());
			home = pw != NULL ? pw->pw_dir : NULL;
		}
		if (home == NULL)
			return DSTORE_EINVAL;
		n = snprintf(buf, cap, "%s/.local/share/undertone/decisions.db", home);
	}
	return (n < 0 || (size_t)n >= cap) ? DSTORE_EINVAL : DSTORE_OK;
}

int
dstore_schema_version(struct dstore *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int
dstore__migrate(struct dstore *st, int target)
{
	char sql[64];
	int v, err;

	err = dstore__begin(st);
	if (err != DSTORE_OK)
		return err;
	v = dstore_schema_version(st);
	if (v < 0 || v > DSTORE_SCHEMA_VERSION) {
		dstore__rollback(st);
		return dstore__fail(st, v < 0 ? DSTORE_ECORRUPT : DSTORE_ENEWER,
		    "schema version %d, this program knows up to %d", v, DSTORE_SCHEMA_VERSION);
	}
	for (; v < target; v++) {
		err = dstore__exec(st, steps[v]);
		if (err != DSTORE_OK) {
			dstore__rollback(st);
			return err;
		}
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v);
	err = dstore__exec(st, sql);
	if (err != DSTORE_OK) {
		dstore__rollback(st);
		return err;
	}
	return dstore__commit(st);
}

/* 0660 when the directory is shared with a group: setgid, or writable by
 * its group but not by everyone (a world-writable /tmp is not "shared"). */
static mode_t
create_mode(const char *path)
{
	char dir[4096];
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s", path);
	if (stat(dirname(dir), &sb) != 0)
		return 0600;
	if ((sb.st_mode & S_ISGID) || ((sb.st_mode & S_IWGRP) && !(sb.st_mode & S_IWOTH)))
		return 0660;
	return 0600;
}

static int
mkdir_parents(char *p)
{
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* Create the file ourselves so its mode is exact whatever the umask;
 * SQLite gives -wal and -shm the main file's mode. */
static int
precreate(struct dstore *st, const char *path)
{
	char tmp[4096];
	mode_t mode = create_mode(path);
	int fd;

	snprintf(tmp, sizeof(tmp), "%s", path);
	if (mkdir_parents(tmp) != 0)
		return dstore__fail(st, errno == ENOSPC ? DSTORE_EFULL : DSTORE_EREADONLY,
		    "cannot create directory for %s: %s", path, strerror(errno));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return DSTORE_OK;
		return dstore__fail(st, errno == ENOSPC ? DSTORE_EFULL :
		    (errno == EACCES || errno == EROFS || errno == EPERM) ? DSTORE_EREADONLY : DSTORE_EIO,
		    "cannot create %s: %s", path, strerror(errno));
	}
	if (fchmod(fd, mode) != 0) {
		close(fd);
		return dstore__fail(st, DSTORE_EIO, "chmod %s: %s", path, strerror(errno));
	}
	close(fd);
	return DSTORE_OK;
}

static int
quick_check(struct dstore *st)
{
	char detail[256];
	int err = dstore_integrity(st, 0, detail, sizeof(detail));

	if (err == DSTORE_ECORRUPT)
		return dstore__fail(st, err, "%s is corrupt: %s", st->path, detail);
	return err;
}

static int
open_db(struct dstore *st, const char *path, unsigned flags)
{
	char uri[4200];
	int rc;

	if (!(flags & DSTORE_READONLY))
		return sqlite3_open_v2(path, &st->db,
		    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return rc;
	/* Read-only WAL needs the -shm; without write access to create it and no
	 * live writer (no -wal file), read the file as immutable instead. */
	rc = sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return rc;
	snprintf(uri, sizeof(uri), "%s-wal", path);
	if (access(uri, F_OK) == 0)
		return rc;
	sqlite3_close(st->db);
	st->db = NULL;
	snprintf(uri, sizeof(uri), "file:%s?immutable=1", path);
	return sqlite3_open_v2(uri, &st->db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
}

static int
configure(struct dstore *st, int target, unsigned flags)
{
	int v, err;

	sqlite3_busy_timeout(st->db, st->busy_ms);
	sqlite3_extended_result_codes(st->db, 1);
	/* No memory-mapped reads: an I/O error or a truncation under a mapping
	 * is a SIGBUS that kills the console or the auditor's tool, where a
	 * read() is an error SQLite reports. Measured without it on 1M records:
	 * filtered list 8 ms, stats 147 ms, verify 565-570k records/s. */
	if (st->readonly) {
		v = dstore_schema_version(st);
		if (v < 0)
			return dstore__fail(st, DSTORE_ECORRUPT, "%s: not a database", st->path);
		if (v > DSTORE_SCHEMA_VERSION)
			return dstore__fail(st, DSTORE_ENEWER, "schema %d is newer than %d",
			    v, DSTORE_SCHEMA_VERSION);
		if (v < DSTORE_SCHEMA_VERSION)
			return dstore__fail(st, DSTORE_EREADONLY,
			    "%s has schema %d; open it once read-write to migrate", st->path, v);
		return (flags & DSTORE_NOCHECK) ? DSTORE_OK : quick_check(st);
	}
	err = dstore__exec(st, "PRAGMA journal_mode=WAL");
	if (err == DSTORE_OK)
		err = dstore__exec(st, "PRAGMA synchronous=FULL");
	if (err != DSTORE_OK)
		return err;
	err = quick_check(st);
	if (err != DSTORE_OK)
		return err;
	v = dstore_schema_version(st);
	if (v > DSTORE_SCHEMA_VERSION)
		return dstore__fail(st, DSTORE_ENEWER, "schema %d is newer than %d",
		    v, DSTORE_SCHEMA_VERSION);
	return v < target ? dstore__migrate(st, target) : DSTORE_OK;
}

int
dstore__open_at(const char *path, unsigned flags, int target,
                struct dstore **out, char *err, size_t errcap)
{
	struct dstore *st;
	struct stat sb;
	int rc, e;

	*out = NULL;
	if (path == NULL || strlen(path) >= sizeof(st->path) - 8 || sodium_init() < 0)
		return DSTORE_EINVAL;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return DSTORE_ENOMEM;
	snprintf(st->path, sizeof(st->path), "%s", path);
	st->readonly = (flags & DSTORE_READONLY) != 0;
	st->busy_ms = 5000;
	e = DSTORE_OK;
	if (stat(path, &sb) != 0) {
		if (flags & (DSTORE_READONLY | DSTORE_NOCREATE))
			e = dstore__fail(st, DSTORE_ENOTFOUND, "%s: %s", path, strerror(errno));
		else
			e = precreate(st, path);
	} else if (!S_ISREG(sb.st_mode))
		e = dstore__fail(st, DSTORE_EINVAL, "%s is not a regular file", path);
	if (e == DSTORE_OK) {
		rc = open_db(st, path, flags);
		e = rc == SQLITE_OK ? configure(st, target, flags) : dstore__sqlfail(st, rc, path);
	}
	if (e != DSTORE_OK) {
		if (err != NULL && errcap > 0)
			snprintf(err, errcap, "%s", st->errmsg[0] ? st->errmsg : dstore_strerror(e));
		dstore_close(st);
		return e;
	}
	*out = st;
	return DSTORE_OK;
}

int
dstore_open(const char *path, unsigned flags, struct dstore **out, char *err, size_t errcap)
{
	return dstore__open_at(path, flags, DSTORE_SCHEMA_VERSION, out, err, errcap);
}

void
dstore_close(struct dstore *st)
{
	if (st == NULL)
		return;
	sqlite3_finalize(st->st_head);
	sqlite3_finalize(st->st_uuid);
	sqlite3_finalize(st->st_insert);
	sqlite3_finalize(st->st_pending);
	if (st->scratch != NULL) {
		dstore__buf_free(st->scratch);
		free(st->scratch);
	}
	sqlite3_close_v2(st->db);
	free(st);
}

int
dstore_integrity(struct dstore *st, int full, char *detail, size_t cap)
{
	sqlite3_stmt *s;
	const char *txt;
	int rc, bad = 0;

	if (cap > 0)
		detail[0] = '\0';
	rc = sqlite3_prepare_v2(st->db, full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)",
	    -1, &s, NULL);
	if (rc != SQLITE_OK) {
		snprintf(detail, cap, "%s", sqlite3_errmsg(st->db));
		return dstore__map_rc(rc) == DSTORE_ECORRUPT ? DSTORE_ECORRUPT : dstore__sqlfail(st, rc, "check");
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		txt = (const char *)sqlite3_column_text(s, 0);
		if (txt != NULL && strcmp(txt, "ok") != 0 && !bad) {
			snprintf(detail, cap, "%s", txt);
			bad = 1;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		snprintf(detail, cap, "%s", sqlite3_errstr(rc));
		return dstore__map_rc(rc) == DSTORE_EBUSY ? DSTORE_EBUSY : DSTORE_ECORRUPT;
	}
	if (bad)
		return DSTORE_ECORRUPT;
	snprintf(detail, cap, "ok");
	return DSTORE_OK;
}
