/*
 * undertone-log: the auditor's tool over the decision log (dstore).
 *
 * Contract: read-only by default (SQLITE_OPEN_READONLY, safe beside live
 * consoles); only checkpoint (writes a file), merge and prune write.
 * Everything printed for a human goes through textsafe. Exit codes are the
 * LOG_EXIT_* values below, documented in undertone-log(1).
 */
#ifndef UNDERTONE_LOG_H
#define UNDERTONE_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "undertone/dstore.h"

enum {
	LOG_EXIT_OK = 0,
	LOG_EXIT_FAILED = 1,    /* verification failed: chain, integrity, checkpoint */
	LOG_EXIT_USAGE = 2,     /* bad command line */
	LOG_EXIT_NOTFOUND = 3,  /* show: no such record */
	LOG_EXIT_DB = 4,        /* database missing, unreadable, corrupt, newer, I/O */
	LOG_EXIT_KEY = 5        /* key or checkpoint file unusable */
};

struct log_opts {
	const char *db;          /* --db, else the default path */
	bool tty;                /* stdout is a terminal */
	unsigned ts_flags;       /* TEXTSAFE_ASCII when the locale is not UTF-8 */
};

/* Command entry points: argv[0] is the command name. */
int log_cmd_list(struct log_opts *o, int argc, char **argv);
int log_cmd_show(struct log_opts *o, int argc, char **argv);
int log_cmd_export(struct log_opts *o, int argc, char **argv);
int log_cmd_verify(struct log_opts *o, int argc, char **argv);
int log_cmd_checkpoint(struct log_opts *o, int argc, char **argv);
int log_cmd_keygen(struct log_opts *o, int argc, char **argv);
int log_cmd_stats(struct log_opts *o, int argc, char **argv);
int log_cmd_merge(struct log_opts *o, int argc, char **argv);
int log_cmd_prune(struct log_opts *o, int argc, char **argv);

/* Shared helpers (common.c). */
int log_open(struct log_opts *o, unsigned flags, struct dstore **st);
int log_exit_for(int dstore_err);
/* Parse a time: "7d"/"12h"/"30m"/"2w" ago, "now", YYYY-MM-DD, or
 * YYYY-MM-DDTHH:MM[:SS][Z] (UTC). Returns 0 or -1. */
int log_parse_time(const char *s, int64_t now_ms, int64_t *out);
/* Parse an age "365d", "12h"... into ms. */
int log_parse_age(const char *s, int64_t *out);
/* Filter options shared by list, export and stats. Returns 1 if the option
 * was a filter (consumed), 0 if not, -1 on a bad value (message printed). */
int log_filter_opt(int opt, const char *arg, struct dstore_filter *f);
extern const char log_filter_help[];
/* Format UTC time ms as "YYYY-MM-DD HH:MM:SS" (+ ".mmm" if ms). */
void log_fmt_time(int64_t ms, bool millis, char *out, size_t cap);
/* Terminal width: COLUMNS, else the tty's, else 80. */
int log_term_width(void);
/* Print text made safe for a terminal (controls/escapes stripped). */
void log_puts_safe(struct log_opts *o, FILE *f, const char *s);
void log_printf_safe(struct log_opts *o, FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* getopt_long codes of the filter options. */
enum {
	LOG_OPT_SINCE = 1000, LOG_OPT_UNTIL, LOG_OPT_SUPERVISOR, LOG_OPT_CALL, LOG_OPT_QUEUE,
	LOG_OPT_AGENT, LOG_OPT_DECISION, LOG_OPT_KIND, LOG_OPT_REASON, LOG_OPT_LIMIT
};
#define LOG_FILTER_LONGOPTS \
	{ "since", 1, NULL, LOG_OPT_SINCE }, { "until", 1, NULL, LOG_OPT_UNTIL }, \
	{ "supervisor", 1, NULL, LOG_OPT_SUPERVISOR }, { "call", 1, NULL, LOG_OPT_CALL }, \
	{ "queue", 1, NULL, LOG_OPT_QUEUE }, { "agent", 1, NULL, LOG_OPT_AGENT }, \
	{ "decision", 1, NULL, LOG_OPT_DECISION }, { "kind", 1, NULL, LOG_OPT_KIND }, \
	{ "reason", 1, NULL, LOG_OPT_REASON }, { "limit", 1, NULL, LOG_OPT_LIMIT }

#endif
