/*
 * dstore: the decision log, an append-only, hash-chained SQLite store.
 *
 * Contract:
 * - One database file, opened read-write (a console, the retention and merge
 *   commands) or read-only (undertone-log, safe beside live writers).
 * - dstore_append() returns DSTORE_OK only after the record is durably
 *   committed (WAL, synchronous=FULL, BEGIN IMMEDIATE). Any other return means
 *   nothing was written: the caller keeps the record and retries later with the
 *   same struct (its UUID and time are kept, so a retry is idempotent).
 * - Supervisor and host are always taken from the OS (password database,
 *   gethostname), never from the caller or the environment.
 * - Records are never updated or deleted (triggers refuse it), except by the
 *   documented retention procedure dstore_prune(), which appends a record that
 *   summarises what it removed so the chain stays verifiable.
 * - Every record's chain hash is SHA-256(prev_hash || canonical bytes v1), see
 *   doc/decision-log.md. Strings are bounded by the UT_* limits of model.h and
 *   must be valid UTF-8; anything else is refused with DSTORE_EINVAL.
 * - Errors are negative DSTORE_E* codes; dstore_errmsg() gives detail for the
 *   last error on a handle. Functions never print. A handle belongs to one
 *   thread at a time; several handles (or processes) may share one file.
 */
#ifndef UNDERTONE_DSTORE_H
#define UNDERTONE_DSTORE_H

#include <stddef.h>
#include <stdint.h>
#include "undertone/model.h"

#define DSTORE_UUID_LEN   36   /* canonical 8-4-4-4-12 text form */
#define DSTORE_HASH_LEN   32   /* SHA-256 */
#define DSTORE_SNAP_TREND 16   /* trend points kept in a signals snapshot */
#define DSTORE_ORIGIN_MAX 255  /* merge provenance text */
#define DSTORE_SCHEMA_VERSION 2

enum dstore_err {
	DSTORE_OK        = 0,
	DSTORE_EINVAL    = -1,  /* bad argument or record fails validation */
	DSTORE_EBUSY     = -2,  /* still locked after the busy timeout: retry */
	DSTORE_EFULL     = -3,  /* disk or quota full: keep in memory, retry */
	DSTORE_EREADONLY = -4,  /* file, directory or mount read-only / no permission */
	DSTORE_ECORRUPT  = -5,  /* not a database, or quick_check failed */
	DSTORE_ENEWER    = -6,  /* schema newer than this program understands */
	DSTORE_EIO       = -7,  /* any other I/O or SQLite failure */
	DSTORE_ENOTFOUND = -8,  /* no such record / file */
	DSTORE_ECHAIN    = -9,  /* verification found a broken chain */
	DSTORE_ENOMEM    = -10,
	DSTORE_EKEY      = -11, /* key file missing, malformed or wrong mode */
	DSTORE_ESIG      = -12, /* checkpoint malformed or signature invalid */
	DSTORE_EEXTEND   = -13  /* log no longer extends the checkpoint */
};

/* Record types in the chain. */
enum dstore_type {
	DSTORE_TYPE_DECISION = 0,  /* a lead's decision */
	DSTORE_TYPE_PRUNE    = 1   /* retention summary: what was removed */
};

/* Open flags. */
#define DSTORE_READONLY  0x1u  /* SQLITE_OPEN_READONLY; never writes */
#define DSTORE_NOCREATE  0x2u  /* fail with DSTORE_ENOTFOUND if the file is missing */
#define DSTORE_NOCHECK   0x4u  /* skip quick_check at open (READONLY only: a tool that
                                  reads a large log; verify checks integrity itself) */

struct dstore;

struct dstore_component {
	int present;
	double value;         /* [0,1] */
	double contribution;  /* weight x value */
	char evidence[UT_PHRASE_MAX + 1];
};

struct dstore_trend_point {
	int64_t t_ms;
	double value;         /* sentiment [-1,1] */
};

/* The signals the lead was looking at when deciding. */
struct dstore_signals {
	int has_sentiment;
	double sent_latest, sent_ewma, sent_mean, sent_slope;
	size_t trend_n;       /* <= DSTORE_SNAP_TREND, oldest first */
	struct dstore_trend_point trend[DSTORE_SNAP_TREND];
	int has_frustration;
	double frustration;   /* [0,1] */
	struct dstore_component comp[UT_FC__COUNT];  /* indexed by enum ut_component */
};

/* The suggestion a decision answers; present == 0 for a human-raised flag. */
struct dstore_suggestion {
	int present;
	char id[UT_ID_MAX + 1];
	char rule[UT_ID_MAX + 1];          /* policy rule that raised it */
	enum ut_suggestion_kind kind;
	int severity;                      /* UT_SEVERITY_MIN..MAX */
	int64_t raised_ms;                 /* when the analyzer raised it */
	size_t reasons_n;                  /* <= UT_REASONS_MAX */
	char reasons[UT_REASONS_MAX][UT_PHRASE_MAX + 1];
};

struct dstore_record {
	/* Assigned by the store (ignored on append, except uuid/time_ms, see below). */
	int64_t seq;                       /* 1-based position in the chain */
	enum dstore_type type;
	unsigned char prev_hash[DSTORE_HASH_LEN];
	unsigned char hash[DSTORE_HASH_LEN];
	char origin[DSTORE_ORIGIN_MAX + 1]; /* "" or merge provenance */
	int forwarded;                     /* from the forwarding table */
	int64_t forwarded_ms;

	/* Filled by dstore_append when empty / zero; kept on retry. */
	char uuid[DSTORE_UUID_LEN + 1];
	int64_t time_ms;                   /* UTC ms since the epoch */
	/* Always filled by dstore_append from the OS. */
	char supervisor[UT_ID_MAX + 1];    /* login name (getpwuid(geteuid())) */
	char host[UT_ID_MAX + 1];          /* gethostname */

	/* The caller's part. */
	char display_name[UT_NAME_MAX + 1];  /* optional */
	char call_id[UT_ID_MAX + 1];
	char agent[UT_ID_MAX + 1];
	char queue[UT_ID_MAX + 1];
	struct dstore_suggestion sug;
	int decision;                      /* enum ut_decision; -1 for a PRUNE record */
	int severity;                      /* for raise: the flag's severity, else 0 */
	int64_t until_ms;                  /* snooze / suppression end, 0 if none */
	char tag[UT_ID_MAX + 1];           /* for tag decisions, else "" */
	char reason_code[UT_ID_MAX + 1];
	char free_text[UT_FREETEXT_MAX + 1];
	struct dstore_signals signals;
	char policy_version[UT_ID_MAX + 1];
	char lexicon_version[UT_ID_MAX + 1];
};

/* Filter for list/export/stats. Strings NULL or "" = any; exact match. */
struct dstore_filter {
	int64_t since_ms;            /* inclusive, 0 = unbounded */
	int64_t until_ms;            /* exclusive, 0 = unbounded */
	const char *supervisor;
	const char *call_id;
	const char *agent;
	const char *queue;
	const char *reason_code;
	int decision;                /* enum ut_decision, -1 = any */
	int kind;                    /* enum ut_suggestion_kind, -1 = any, DSTORE_KIND_NONE = human-raised */
	const char *match;           /* substring of call, agent or queue (console's "/" filter) */
	size_t limit;                /* 0 = no limit */
	int newest_first;            /* 1: descending seq */
	int include_prune;           /* 1: also list PRUNE records */
	int skip_signals;            /* 1: leave r->signals empty (faster listing) */
};
#define DSTORE_KIND_NONE UT_SK__COUNT

/* A suggestion that expired with nobody deciding, reported by a console. */
struct dstore_expiry {
	char suggestion_id[UT_ID_MAX + 1];
	char rule[UT_ID_MAX + 1];
	enum ut_suggestion_kind kind;
	int severity;
	char call_id[UT_ID_MAX + 1];
	char queue[UT_ID_MAX + 1];
	int64_t raised_ms;
	int64_t expired_ms;
};

struct dstore_verify_result {
	int64_t records;             /* records checked */
	int64_t first_seq;           /* first record present (after pruning) */
	int64_t head_seq;            /* last record */
	unsigned char head[DSTORE_HASH_LEN];
	int64_t bad_seq;             /* first bad record, 0 if none */
	char detail[256];            /* human-readable reason for the failure */
};

/* ---- lifecycle ---- */

/* Default path: $XDG_DATA_HOME/undertone/decisions.db, else
 * $HOME/.local/share/undertone/decisions.db (HOME from the password database
 * when unset). Returns DSTORE_OK or DSTORE_EINVAL if cap is too small. */
int dstore_default_path(char *buf, size_t cap);

/* Open (creating unless READONLY/NOCREATE), migrate a writable file to the
 * current schema, run quick_check (unless READONLY|NOCHECK). A corrupt file
 * is reported, never recreated. On failure *out is NULL and err (if non-NULL) holds a message. */
int dstore_open(const char *path, unsigned flags, struct dstore **out,
                char *err, size_t errcap);
void dstore_close(struct dstore *st);
void dstore_set_busy_timeout(struct dstore *st, int ms);  /* default 5000 */
const char *dstore_errmsg(const struct dstore *st);  /* detail of the last error */
const char *dstore_strerror(int err);
/* 1 for errors where keeping the record and retrying later makes sense. */
int dstore_err_retryable(int err);
int dstore_schema_version(struct dstore *st);

/* ---- writing ---- */

/* Zero a record: no suggestion, decision -1, type DECISION. */
void dstore_record_init(struct dstore_record *r);
/* Validate, fill uuid/time (if empty), supervisor and host, chain and commit
 * durably. On DSTORE_OK rec->seq, hashes and identity fields are set. A record
 * whose UUID is already stored is not appended again (DSTORE_OK, seq set). */
int dstore_append(struct dstore *st, struct dstore_record *rec);

/* A new random (version 4) UUID in its 8-4-4-4-12 text form: the id a
 * caller gives a decision before it is first tried (dstore_append fills an
 * empty one the same way). */
void dstore_uuid(char out[DSTORE_UUID_LEN + 1]);

/* Forwarding queue (separate table; decisions stay immutable). */
int dstore_mark_forwarded(struct dstore *st, const char *uuid, int64_t when_ms);
/* Oldest first; *out is malloc'd (free()); *n may be 0. */
int dstore_list_unforwarded(struct dstore *st, size_t max,
                            struct dstore_record **out, size_t *n);

/* Record an expired suggestion (idempotent per suggestion id). */
int dstore_note_expired(struct dstore *st, const struct dstore_expiry *e);

/* ---- reading ---- */

void dstore_filter_init(struct dstore_filter *f);
/* Call cb for each matching record in seq order (or newest first); a non-zero
 * return from cb stops the walk and is returned. */
typedef int (*dstore_record_cb)(const struct dstore_record *r, void *ctx);
int dstore_query(struct dstore *st, const struct dstore_filter *f,
                 dstore_record_cb cb, void *ctx);
/* Matching records in a malloc'd array (free()); honours f->limit. */
int dstore_list(struct dstore *st, const struct dstore_filter *f,
                struct dstore_record **out, size_t *n);
int dstore_get_uuid(struct dstore *st, const char *uuid, struct dstore_record *out);
int dstore_get_seq(struct dstore *st, int64_t seq, struct dstore_record *out);
/* Number of records and head of the chain (seq 0 and zero hash when empty). */
int dstore_head(struct dstore *st, int64_t *count, int64_t *head_seq,
                unsigned char head[DSTORE_HASH_LEN]);

/* ---- auditing ---- */

/* SQLite integrity check (full when full != 0, else quick_check). */
int dstore_integrity(struct dstore *st, int full, char *detail, size_t cap);
/* Recompute the whole chain; DSTORE_ECHAIN with res->bad_seq on failure. */
int dstore_verify(struct dstore *st, struct dstore_verify_result *res);

/* Ed25519 key pair: secret file mode 0600, public file 0644 (hex text). */
int dstore_keygen(const char *secret_path, const char *public_path);
/* Write a signed checkpoint (head hash, count, time) to out_path. */
int dstore_checkpoint(struct dstore *st, const char *secret_path, const char *out_path);
/* Check the checkpoint's signature (against public_path if non-NULL, else the
 * key embedded in the file) and that the log still extends it. */
int dstore_checkpoint_verify(struct dstore *st, const char *checkpoint_path,
                             const char *public_path, struct dstore_verify_result *res);

/* ---- retention and merge ---- */

struct dstore_prune_result {
	int64_t removed;
	int64_t through_seq;         /* last removed seq */
	int64_t summary_seq;         /* seq of the PRUNE record appended */
};
/* Remove decisions older than cutoff_ms (never the head), append a PRUNE
 * record summarising them. Writable handle only. */
int dstore_prune(struct dstore *st, int64_t cutoff_ms, struct dstore_prune_result *res);

struct dstore_merge_result {
	int64_t read;                /* records read from all inputs */
	int64_t written;             /* new records in out */
	int64_t duplicates;          /* skipped by UUID */
};
/* Verify every input, then append their records (ordered by time, then
 * UUID) to out_path, de-duplicated by UUID, each with origin
 * "HOST:BASENAME#SEQ". out_path may already hold records. */
int dstore_merge(const char *out_path, const char *const *inputs, size_t n,
                 struct dstore_merge_result *res, char *err, size_t errcap);

/* ---- statistics ---- */

struct dstore_count { char key[UT_ID_MAX + 1]; int64_t n; };
struct dstore_override {
	char key[UT_ID_MAX + 1];     /* rule or reason code */
	int64_t accepted, overridden; /* overridden = dismiss + clear */
};
struct dstore_stats {
	int64_t total;
	struct dstore_count by_kind[UT_SK__COUNT + 1];   /* last: "none" (human-raised) */
	struct dstore_count by_decision[UT_DE__COUNT];
	struct dstore_override *by_rule;   size_t by_rule_n;
	struct dstore_override *by_reason; size_t by_reason_n;
	int64_t ack_n;                     /* suggestions with a first decision */
	int64_t ack_p50_ms, ack_p90_ms, ack_max_ms;
	int64_t expired_undecided;
};
int dstore_stats(struct dstore *st, const struct dstore_filter *f, struct dstore_stats *out);
void dstore_stats_free(struct dstore_stats *s);

/* The whole record as one JSON object (keys sorted, compact), for NDJSON
 * export and forwarding; the signals are the snapshot's canonical JSON.
 * Returns malloc'd text (free()) or NULL when out of memory. */
char *dstore_record_json(const struct dstore_record *r);
/* Canonical JSON text of a signals snapshot (as stored); malloc'd or NULL. */
char *dstore_signals_json(const struct dstore_signals *s);

/* Canonical bytes / hex helpers (used by tools and tests). */
void dstore_hex(const unsigned char *in, size_t n, char *out);  /* out: 2n+1 */
int dstore_unhex(const char *in, unsigned char *out, size_t n);  /* 0 or -1 */

#endif
