/*
 * roster: the analyzer's list of live calls, kept in a file so that a
 * restarted analyzer (a crash, an upgrade) goes on analysing the calls in
 * progress instead of refusing their events as unknown_call.
 *
 * Contract: roster_save() writes every live call of the engine atomically
 * (a temporary file, fsync, rename; mode 0600) as NDJSON: a header line
 * {"undertone_roster":1,"pub":..,"saved_ms":..}, then one line per call,
 * {"last_ms":N,"event":{call_start event as in doc/protocol.md}}. Only what
 * call_start carries is kept: ids, agent name, queue, channel, start and
 * newest event time; never what anyone said. roster_load() reads such a
 * file as hostile input: every event goes through the protocol codec's
 * checks, lines are bounded, and a bad line is counted and skipped. Calls
 * silent for longer than max_age_ms (the abandon timeout) are dropped. A
 * missing file is not an error (a first start).
 */
#ifndef UNDERTONE_ANALYZER_ROSTER_H
#define UNDERTONE_ANALYZER_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine.h"

#define ROSTER_LINE_MAX 4096   /* a call_start line is well under 1 KiB */

struct roster_stats {
	bool missing;              /* no file: nothing to resume */
	uint64_t resumed;          /* calls tracked again */
	uint64_t stale;            /* silent longer than max_age_ms */
	uint64_t refused;          /* the engine refused them (duplicate, cap, other shard) */
	uint64_t bad;              /* lines that are not a valid roster entry */
};

/* 0, or -1 with err (the previous file, if any, is left as it was). */
int roster_save(const char *path, const struct engine *e, int64_t wall_ms,
    char *err, size_t errlen);

/* 0 (also for a missing file), or -1 with err when the file cannot be read
 * or is not a roster at all. */
int roster_load(const char *path, struct engine *e, int64_t wall_ms, int64_t mono_ms,
    int64_t max_age_ms, struct roster_stats *st, char *err, size_t errlen);

#endif
