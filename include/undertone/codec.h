/*
 * codec: MessagePack encoding and strict decoding of wire protocol v1.
 *
 * Contract: decoding takes untrusted bytes and a caller-provided struct; it
 * never reads past len, never crashes, and allocates at most O(len) scratch
 * that is freed before it returns (declared counts and lengths are checked
 * against the remaining bytes, PROTO_DEPTH_MAX and PROTO_MSG_MAX before
 * msgpack-c sees the data). Every kind of bad input has its own error code.
 * Unknown keys are ignored; a different major version is rejected.
 * Encoding validates the struct by the same rules (so only decodable bytes
 * are ever produced) and writes into a reusable codec_buf, which allocates
 * only when it must grow. No sockets, no global state: thread-safe as long as
 * each thread uses its own buffers.
 */
#ifndef UNDERTONE_CODEC_H
#define UNDERTONE_CODEC_H

#include <stddef.h>

#include "undertone/proto.h"

enum codec_err {
	CODEC_OK = 0,
	CODEC_E_TRUNCATED,      /* input ends inside a value */
	CODEC_E_TRAILING,       /* bytes after the top-level value */
	CODEC_E_TYPE,           /* value of the wrong type (or tuple of wrong size) */
	CODEC_E_TOO_LONG,       /* string longer than its field's bound */
	CODEC_E_UTF8,           /* string is not valid UTF-8 */
	CODEC_E_NUL,            /* string contains a NUL byte */
	CODEC_E_COUNT_BOUND,    /* array/map count over the field's bound */
	CODEC_E_COUNT_EXCEEDS,  /* declared count/length exceeds the remaining bytes */
	CODEC_E_DEPTH,          /* nesting deeper than PROTO_DEPTH_MAX */
	CODEC_E_MISSING,        /* required field absent */
	CODEC_E_UNKNOWN_TYPE,   /* "type" names no message of this kind */
	CODEC_E_ENUM,           /* enum string not one of its wire names */
	CODEC_E_VERSION,        /* "v" is not PROTO_VERSION */
	CODEC_E_RANGE,          /* number out of range, not finite, or inconsistent */
	CODEC_E_DUPLICATE,      /* the same key twice in one map */
	CODEC_E_BAD_ID,         /* queue id with characters outside [A-Za-z0-9_-] */
	CODEC_E_TOO_BIG,        /* message larger than PROTO_MSG_MAX */
	CODEC_E_SYNTAX,         /* JSON syntax error (jsonio only) */
	CODEC_E_LINE_TOO_LONG,  /* NDJSON line over JSONIO_LINE_MAX (jsonio only) */
	CODEC_E_IO,             /* read error (jsonio only) */
	CODEC_E_NOMEM,          /* allocation failed */
	CODEC_E_INVALID,        /* bad argument: NULL, or text_len 0 with text set */
	CODEC_E__COUNT
};

/* Human text ("string too long for its field") and a short stable name
 * ("too_long") suitable for counters, logs and the heartbeat's "rejected". */
const char *codec_strerror(enum codec_err e);
const char *codec_err_name(enum codec_err e);

/* Where decoding failed: the wire key (static string, "" for the top level)
 * and the byte offset in the input. Optional everywhere (pass NULL). */
struct codec_diag {
	const char *field;
	size_t offset;
};

/* Growable output buffer. Zero-initialise or codec_buf_init; reuse across
 * messages to avoid allocation; codec_buf_free releases it. */
struct codec_buf {
	char *data;
	size_t len;
	size_t cap;
};

void codec_buf_init(struct codec_buf *b);
void codec_buf_free(struct codec_buf *b);

/* Ingest events. Encode replaces out's contents (left empty on error).
 * Decode fills *ev completely on success; on error *ev is unspecified. */
enum codec_err codec_encode_event(const struct proto_event *ev, struct codec_buf *out);
enum codec_err codec_decode_event(const void *data, size_t len,
				  struct proto_event *ev, struct codec_diag *diag);

/* Feed messages, requests and replies. Encode replaces out's contents. */
enum codec_err codec_encode_msg(const struct proto_msg *m, struct codec_buf *out);
enum codec_err codec_decode_msg(const void *data, size_t len,
				struct proto_msg *m, struct codec_diag *diag);

/* Check a struct by the decoder's rules without encoding it. */
enum codec_err codec_check_event(const struct proto_event *ev, struct codec_diag *diag);
enum codec_err codec_check_msg(const struct proto_msg *m, struct codec_diag *diag);

#endif
