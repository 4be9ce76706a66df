/*
 * recorder: the console's one seam to the decision log.
 *
 * Contract: recorder_append returns DSTORE_OK only once the decision is
 * durably committed (dstore_append: WAL, synchronous=FULL); any other code
 * means nothing was written and the caller keeps the record in memory and
 * retries (dstore_err_retryable). Forwarding state lives in the log, so
 * decisions not yet acknowledged by the analyzer survive a restart of the
 * console and are forwarded later. The parent directory of the log is
 * created (mode 0700) when missing.
 */
#ifndef UNDERTONE_CONSOLE_RECORDER_H
#define UNDERTONE_CONSOLE_RECORDER_H

#include <stddef.h>
#include <stdint.h>

#include "undertone/dstore.h"

struct recorder;

struct recorder *recorder_open(const char *path, char *err, size_t errsz);
void recorder_close(struct recorder *r);
int recorder_append(struct recorder *r, struct dstore_record *rec);
int recorder_forwarded(struct recorder *r, const char *uuid, int64_t when_ms);
/* Oldest first; *out malloc'd (free()). */
int recorder_unforwarded(struct recorder *r, size_t max, struct dstore_record **out, size_t *n);
/* Newest first, since since_ms, matching call/agent/queue substring (NULL = all). */
int recorder_recent(struct recorder *r, int64_t since_ms, const char *match, size_t max,
	struct dstore_record **out, size_t *n);
/* A suggestion that expired with no decision (idempotent per suggestion). */
int recorder_expired(struct recorder *r, const struct dstore_expiry *e);
/* Message for the last failure (the store's detail when it has one). */
const char *recorder_error(const struct recorder *r, int rc);

#endif
