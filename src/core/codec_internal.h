/*
 * codec_internal: pieces shared by the codec's source files (not public).
 *
 * Contract: codec_walk checks the raw MessagePack structure of one message
 * (total size, every declared length and count against the bytes that
 * remain, nesting depth, map sizes, no trailing bytes, a map at the top)
 * without allocating, so msgpack-c only ever sees input whose allocation
 * is bounded by its length.
 */
#ifndef UNDERTONE_CODEC_INTERNAL_H
#define UNDERTONE_CODEC_INTERNAL_H

#include <stdint.h>

#include "undertone/codec.h"

enum codec_err codec_walk(const void *data, size_t len, struct codec_diag *diag);

/* Replace b's contents with len bytes, or append them; bounded by max. */
enum codec_err codec_buf_append(struct codec_buf *b, const void *p, size_t len, size_t max);

#endif

/* ---- field tables: one description drives decode, check and encode ---- */

enum codec_ftype {
	CF_SKIP,      /* "v" and "type": handled first, only duplicate-checked */
	CF_STR,       /* char[size]: bounded, UTF-8, no NUL */
	CF_QUEUE,     /* CF_STR restricted to proto_queue_valid */
	CF_TEXT,      /* CF_STR with its size_t length at aux */
	CF_I64,       /* int64_t in [ilo, ihi] */
	CF_U64,       /* uint64_t */
	CF_U32,       /* uint32_t */
	CF_INT,       /* int in [ilo, ihi] */
	CF_DBL,       /* finite double in [dlo, dhi]; integers accepted */
	CF_BOOL,      /* bool */
	CF_ENUM,      /* enum stored at off, wire name per ekind */
	CF_MAP,       /* nested map described by sub; bool "present" at aux */
	CF_ARRAY,     /* array (<= max) of maps described by sub, count at aux */
	CF_TREND,     /* array (<= max) of [t_ms, sentiment, frustration] */
	CF_REJECTED   /* map reason -> count, <= PROTO_REJECT_MAX */
};

enum codec_ekind { CE_CHANNEL, CE_SPEAKER, CE_STATE, CE_COMPONENT, CE_SKIND, CE_DECISION, CE_TRUTH };

#define CF_REQ     1u   /* must be present; always encoded */
#define CF_NONEMPTY 2u  /* string must not be empty */
#define CF_ALWAYS  4u   /* optional when decoding, always encoded */

#define CF_NO_AUX ((size_t)-1)

struct codec_table;

struct codec_field {
	const char *key;
	size_t klen;
	unsigned char type, flags, ekind;
	size_t off, size, aux, max;
	int64_t ilo, ihi;
	double dlo, dhi;
	const struct codec_table *sub;
};

struct codec_table {
	const struct codec_field *f;
	size_t n;
};

/* Tables (codec_tables.c). Offsets of event tables are relative to struct
 * proto_event, message tables to struct proto_msg, sub-tables to their
 * element struct. */
extern const struct codec_table codec_event_common;
extern const struct codec_table codec_event_tables[PROTO_EV__COUNT];
extern const struct codec_table codec_hdr_feed, codec_hdr_reply, codec_hdr_request;
extern const struct codec_table codec_msg_tables[PROTO_MSG__COUNT];

/* Enum names by kind (codec_tables.c); parse returns -1 if unknown. */
int codec_enum_parse(int ekind, const char *s, size_t len);
const char *codec_enum_name(int ekind, int v);
int codec_enum_count(int ekind);
