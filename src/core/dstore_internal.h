/*
 * dstore_internal: private pieces shared by the dstore_*.c files and by the
 * store's own tests and benchmark. Not part of the public API.
 */
#ifndef UNDERTONE_DSTORE_INTERNAL_H
#define UNDERTONE_DSTORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include "undertone/dstore.h"

#define DSTORE_CANON_VERSION 1
#define DSTORE_NFIELDS 26        /* columns in the canonical encoding */
#define DSTORE_ERRMSG_MAX 512

struct dstore_buf { unsigned char *p; size_t len, cap; };

struct dstore {
	sqlite3 *db;
	char path[4096];
	bool readonly;
	int busy_ms;
	char errmsg[DSTORE_ERRMSG_MAX];
	/* Cached writer statements (prepared on first use, finalized at close). */
	sqlite3_stmt *st_head, *st_uuid, *st_insert, *st_pending;
	struct dstore_buf *scratch;
};

/* One value as bound to / read from SQLite, in the canonical field order. */
enum dstore_vtype { DV_NULL = 0, DV_INT = 1, DV_TEXT = 2, DV_BLOB = 3, DV_REAL = 4 };
struct dstore_val {
	enum dstore_vtype t;
	int64_t i;
	double r;
	const char *s;    /* TEXT / BLOB bytes (not owned) */
	size_t len;
};

/* The append-only trigger that only the retention procedure lifts, briefly,
 * inside its own transaction. */
#define DSTORE_SQL_NO_DELETE \
	"CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions" \
	" BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"

/* Column list of the decisions table in canonical order, then the hashes. */
extern const char dstore__columns[];

/* schema / errors */
int dstore__fail(struct dstore *st, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int dstore__sqlfail(struct dstore *st, int rc, const char *what);
int dstore__map_rc(int rc);
int dstore__migrate(struct dstore *st, int target);
int dstore__open_at(const char *path, unsigned flags, int target,
                    struct dstore **out, char *err, size_t errcap);
int dstore__exec(struct dstore *st, const char *sql);


void dstore__buf_free(struct dstore_buf *b);
int dstore__buf_put(struct dstore_buf *b, const void *p, size_t n);
int dstore__canon(const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *b);
/* Same, appended after b's current contents. */
int dstore__canon_append(const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *b);
int dstore__chain(const unsigned char prev[DSTORE_HASH_LEN],
                  const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *scratch,
                  unsigned char out[DSTORE_HASH_LEN]);
int dstore__row_vals(sqlite3_stmt *s, int first_col, struct dstore_val v[DSTORE_NFIELDS]);
/* Append the canonical bytes of a row's DSTORE_NFIELDS values to b (verify). */
int dstore__vals_canon(sqlite3_value **v, struct dstore_buf *b);

/* record <-> values; *owned receives malloc'd JSON texts to free() */
struct dstore_owned { char *reasons; char *signals; char seqtxt[24]; };
int dstore__record_vals(struct dstore *st, const struct dstore_record *r,
                        struct dstore_val v[DSTORE_NFIELDS], struct dstore_owned *o);
void dstore__owned_free(struct dstore_owned *o);
char *dstore__signals_json(const struct dstore_signals *s);
int dstore__signals_parse(const char *txt, size_t len, struct dstore_signals *out);
int dstore__row_record(sqlite3_stmt *s, struct dstore_record *r, bool want_signals);
int dstore__validate(struct dstore *st, const struct dstore_record *r);

/* writing inside a transaction (bench bulk path and merge use these) */
int dstore__begin(struct dstore *st);
int dstore__commit(struct dstore *st);
void dstore__rollback(struct dstore *st);
/* Append inside an open transaction; preserve != 0 keeps supervisor/host
 * (merge); otherwise they come from the OS. *dup set when uuid exists. */
int dstore__append_tx(struct dstore *st, struct dstore_record *r, bool preserve, bool *dup);
int dstore__identity(char *user, size_t ucap, char *host, size_t hcap);

/* query building */
struct dstore_sql { char text[2048]; size_t len; int nbind; struct dstore_val bind[16]; };
int dstore__where(const struct dstore_filter *f, struct dstore_sql *q, const char *prefix);
int dstore__bind_all(sqlite3_stmt *s, const struct dstore_sql *q);

/* prune anchors used by verify */
int dstore__anchor(struct dstore *st, int64_t through_seq, unsigned char hash[DSTORE_HASH_LEN]);
/* dstore_verify with the seq range split into `ranges` parts, each read and
 * hashed on its own thread and connection; 0 picks from the online CPUs and
 * the log's size. Tests force small logs through several ranges. */
int dstore__verify_split(struct dstore *st, int ranges, struct dstore_verify_result *res);

#endif
