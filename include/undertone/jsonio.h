/*
 * jsonio: JSON form of ingest events, NDJSON transcripts, JSON rendering
 * of feed messages.
 *
 * Contract: a JSON ingest event is one object with the same keys, types,
 * bounds and error codes as the MessagePack form (codec.h); numbers that must
 * be integers must be JSON integers. Parsing uses jansson on at most
 * JSONIO_LINE_MAX bytes, so memory is bounded by the input. The NDJSON reader
 * reads one line at a time into a fixed buffer; an over-long line is an error
 * (CODEC_E_LINE_TOO_LONG) and is skipped, never truncated. Blank lines and
 * lines whose first non-blank character is '#' are skipped.
 */
#ifndef UNDERTONE_JSONIO_H
#define UNDERTONE_JSONIO_H

#include <stdio.h>

#include "undertone/codec.h"

/* Longest NDJSON line in bytes, excluding the newline. */
#define JSONIO_LINE_MAX 65536

/* Parse one JSON object (surrounding whitespace allowed) into ev. */
enum codec_err jsonio_decode_event(const char *text, size_t len,
				   struct proto_event *ev, struct codec_diag *diag);

/* One ingest frame: JSON if its first non-blank byte is '{', otherwise
 * MessagePack (a MessagePack map never starts with '{'). */
enum codec_err jsonio_decode_frame(const void *data, size_t len,
				   struct proto_event *ev, struct codec_diag *diag);

/* Convert one JSON object to MessagePack (same keys and values; integers
 * stay integers, reals become float64) without checking its fields; for
 * tools that take JSON and send MessagePack. Replaces out. */
enum codec_err jsonio_to_msgpack(const char *text, size_t len, struct codec_buf *out,
				 struct codec_diag *diag);

/* Encode ev as one compact JSON object followed by '\n'; replaces out. */
enum codec_err jsonio_encode_event(const struct proto_event *ev, struct codec_buf *out);

/* Render a feed message, request or reply as one compact JSON object
 * followed by '\n' (same keys as the MessagePack body); replaces out. */
enum codec_err jsonio_encode_msg(const struct proto_msg *m, struct codec_buf *out);

/* NDJSON reader over a caller-owned FILE. */
struct jsonio_reader {
	FILE *fp;
	unsigned long lineno;   /* line number of the last line returned */
	char *line;             /* JSONIO_LINE_MAX + 1 bytes, owned */
	size_t len;
	int eof;
};

/* Returns CODEC_OK, CODEC_E_INVALID (fp NULL) or CODEC_E_NOMEM; call
 * jsonio_reader_free in every case. */
enum codec_err jsonio_reader_init(struct jsonio_reader *r, FILE *fp);
void jsonio_reader_free(struct jsonio_reader *r);

/*
 * Read the next event. Returns 1 with *ev filled, 0 at end of file, or -1
 * with *err set (err may be NULL) for a bad line (r->lineno tells which; the next call goes on
 * with the following line) or a read error (CODEC_E_IO; later calls return 0).
 */
int jsonio_next(struct jsonio_reader *r, struct proto_event *ev,
		enum codec_err *err, struct codec_diag *diag);

#endif
