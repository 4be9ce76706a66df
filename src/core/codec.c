/*
 * codec: decode, check and encode protocol v1 messages by walking the field
 * tables of codec_tables.c (see codec.h for the contract).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "undertone/utf8.h"
#include "codec_internal.h"

#define ZONE_CHUNK 2048

static const char *const err_names[CODEC_E__COUNT] = {
	"ok", "truncated", "trailing", "wrong_type", "too_long", "bad_utf8",
	"nul_byte", "count_bound", "count_exceeds", "too_deep", "missing",
	"unknown_type", "bad_enum", "bad_version", "out_of_range", "duplicate",
	"bad_id", "too_big", "syntax", "line_too_long", "io", "nomem", "invalid"
};

static const char *const err_texts[CODEC_E__COUNT] = {
	"success",
	"input ends inside a value",
	"bytes after the message",
	"value has the wrong type",
	"string longer than its field allows",
	"string is not valid UTF-8",
	"string contains a NUL byte",
	"more elements than the field allows",
	"declared count or length exceeds the remaining bytes",
	"nesting too deep",
	"required field missing",
	"unknown message type",
	"not a valid name for this field",
	"unsupported protocol version",
	"number out of range",
	"duplicate key or entry",
	"queue id has characters outside [A-Za-z0-9_-] or bad length",
	"message too big",
	"JSON syntax error",
	"line too long",
	"read error",
	"out of memory",
	"invalid argument"
};

const char *
codec_strerror(enum codec_err e)
{
	return ((int)e >= 0 && e < CODEC_E__COUNT) ? err_texts[e] : "unknown error";
}

const char *
codec_err_name(enum codec_err e)
{
	return ((int)e >= 0 && e < CODEC_E__COUNT) ? err_names[e] : "unknown";
}

static enum codec_err
fail(struct codec_diag *d, enum codec_err e, const char *field)
{
	if (d) {
		d->field = field;
		d->offset = 0;
	}
	return e;
}

/* ---- buffers ---- */

void
codec_buf_init(struct codec_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
codec_buf_free(struct codec_buf *b)
{
	free(b->data);
	codec_buf_init(b);
}

enum codec_err
codec_buf_append(struct codec_buf *b, const void *p, size_t len, size_t max)
{
	size_t need, cap;
	char *nd;

	if (b->len > max || len > max - b->len)
		return CODEC_E_TOO_BIG;
	need = b->len + len;
	if (need > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < need)
			cap *= 2;
		if ((nd = realloc(b->data, cap)) == NULL)
			return CODEC_E_NOMEM;
		b->data = nd;
		b->cap = cap;
	}
	if (len)
		memcpy(b->data + b->len, p, len);
	b->len = need;
	return CODEC_OK;
}

/* ---- enums stored in their own types ---- */

static void
enum_store(void *p, int ekind, int v)
{
	switch (ekind) {
	case CE_CHANNEL: *(enum ut_channel *)p = (enum ut_channel)v; break;
	case CE_SPEAKER: *(enum ut_speaker *)p = (enum ut_speaker)v; break;
	case CE_STATE: *(enum ut_call_state *)p = (enum ut_call_state)v; break;
	case CE_COMPONENT: *(enum ut_component *)p = (enum ut_component)v; break;
	case CE_SKIND: *(enum ut_suggestion_kind *)p = (enum ut_suggestion_kind)v; break;
	case CE_DECISION: *(enum ut_decision *)p = (enum ut_decision)v; break;
	case CE_TRUTH: *(enum proto_truth *)p = (enum proto_truth)v; break;
	default: break;
	}
}

static int
enum_load(const void *p, int ekind)
{
	switch (ekind) {
	case CE_CHANNEL: return (int)*(const enum ut_channel *)p;
	case CE_SPEAKER: return (int)*(const enum ut_speaker *)p;
	case CE_STATE: return (int)*(const enum ut_call_state *)p;
	case CE_COMPONENT: return (int)*(const enum ut_component *)p;
	case CE_SKIND: return (int)*(const enum ut_suggestion_kind *)p;
	case CE_DECISION: return (int)*(const enum ut_decision *)p;
	case CE_TRUTH: return (int)*(const enum proto_truth *)p;
	default: return -1;
	}
}

/* ---- value rules shared by decode and check ---- */

/* Identifiers are refused at the door if they hold C0/C1 controls or DEL:
 * they end up in logs, topics and terminals, where free text is cleaned on
 * display but an id is trusted. (s is valid UTF-8 here.) */
static bool
has_control(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return true;
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
			return true;   /* U+0080..U+009F */
	}
	return false;
}

static enum codec_err
check_str(const struct codec_field *f, const char *s, size_t len, struct codec_diag *d)
{
	if (len > f->size - 1)
		return fail(d, CODEC_E_TOO_LONG, f->key);
	if (memchr(s, '\0', len) != NULL)
		return fail(d, CODEC_E_NUL, f->key);
	if (!utf8_valid(s, len))
		return fail(d, CODEC_E_UTF8, f->key);
	if ((f->flags & CF_NONEMPTY) && len == 0)
		return fail(d, CODEC_E_MISSING, f->key);
	if (f->type == CF_QUEUE && !proto_queue_valid(s, len))
		return fail(d, CODEC_E_BAD_ID, f->key);
	if ((f->flags & CF_NONEMPTY) && has_control(s, len))
		return fail(d, CODEC_E_BAD_ID, f->key);
	return CODEC_OK;
}

static enum codec_err
check_int(const struct codec_field *f, int64_t v, struct codec_diag *d)
{
	if (v < f->ilo || v > f->ihi)
		return fail(d, CODEC_E_RANGE, f->key);
	return CODEC_OK;
}

static enum codec_err
check_dbl(const char *key, double v, double lo, double hi, struct codec_diag *d)
{
	if (!isfinite(v) || v < lo || v > hi)
		return fail(d, CODEC_E_RANGE, key);
	return CODEC_OK;
}

static enum codec_err
check_point(const struct proto_trend_point *p, struct codec_diag *d)
{
	if (p->t_ms < 0 || p->t_ms > ((int64_t)1 << 40))
		return fail(d, CODEC_E_RANGE, "trend");
	if (check_dbl("trend", p->sentiment, -1.0, 1.0, d) ||
	    check_dbl("trend", p->frustration, 0.0, 1.0, d))
		return CODEC_E_RANGE;
	return CODEC_OK;
}

/* A reason key of a heartbeat: a non-empty id. */
static enum codec_err
check_reason_key(const char *s, size_t len, struct codec_diag *d)
{
	if (len == 0 || len > UT_ID_MAX)
		return fail(d, len ? CODEC_E_TOO_LONG : CODEC_E_MISSING, "rejected");
	if (memchr(s, '\0', len) != NULL)
		return fail(d, CODEC_E_NUL, "rejected");
	if (!utf8_valid(s, len))
		return fail(d, CODEC_E_UTF8, "rejected");
	return CODEC_OK;
}

/* ---- decoding msgpack objects into structs ---- */

static enum codec_err decode_map(const msgpack_object *o, const struct codec_table *tabs,
				 size_t ntabs, char *base, const char *what,
				 struct codec_diag *d);

static enum codec_err
get_i64(const msgpack_object *o, int64_t *v)
{
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (o->via.u64 > (uint64_t)INT64_MAX)
			return CODEC_E_RANGE;
		*v = (int64_t)o->via.u64;
	} else if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
	} else {
		return CODEC_E_TYPE;
	}
	return CODEC_OK;
}

static enum codec_err
get_dbl(const msgpack_object *o, double *v)
{
	switch (o->type) {
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: *v = o->via.f64; return CODEC_OK;
	case MSGPACK_OBJECT_POSITIVE_INTEGER: *v = (double)o->via.u64; return CODEC_OK;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: *v = (double)o->via.i64; return CODEC_OK;
	default: return CODEC_E_TYPE;
	}
}

static enum codec_err
get_u64(const msgpack_object *o, uint64_t *v)
{
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		return CODEC_E_RANGE;
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return CODEC_E_TYPE;
	*v = o->via.u64;
	return CODEC_OK;
}

static enum codec_err
decode_str(const struct codec_field *f, const msgpack_object *o, char *base,
	   struct codec_diag *d)
{
	char *at = base + f->off;
	size_t len;
	enum codec_err e;

	if (o->type != MSGPACK_OBJECT_STR)
		return fail(d, CODEC_E_TYPE, f->key);
	len = o->via.str.size;
	if ((e = check_str(f, o->via.str.ptr, len, d)) != CODEC_OK)
		return e;
	memcpy(at, o->via.str.ptr, len);
	at[len] = '\0';
	if (f->type == CF_TEXT)
		*(size_t *)(void *)(base + f->aux) = len;
	return CODEC_OK;
}

static enum codec_err
decode_number(const struct codec_field *f, const msgpack_object *o, char *at,
	      struct codec_diag *d)
{
	enum codec_err e;
	int64_t i = 0;
	uint64_t u = 0;
	double x = 0;

	switch (f->type) {
	case CF_I64:
	case CF_INT:
		if ((e = get_i64(o, &i)) || (e = check_int(f, i, d)))
			return fail(d, e, f->key);
		if (f->type == CF_I64)
			*(int64_t *)(void *)at = i;
		else
			*(int *)(void *)at = (int)i;
		return CODEC_OK;
	case CF_U64:
	case CF_U32:
		if ((e = get_u64(o, &u)) != CODEC_OK)
			return fail(d, e, f->key);
		if (f->type == CF_U64) {
			*(uint64_t *)(void *)at = u;
			return CODEC_OK;
		}
		if (u > UINT32_MAX)
			return fail(d, CODEC_E_RANGE, f->key);
		*(uint32_t *)(void *)at = (uint32_t)u;
		return CODEC_OK;
	default: /* CF_DBL */
		if ((e = get_dbl(o, &x)) || (e = check_dbl(f->key, x, f->dlo, f->dhi, d)))
			return fail(d, e, f->key);
		*(double *)(void *)at = x;
		return CODEC_OK;
	}
}

static enum codec_err
decode_enum(const struct codec_field *f, const msgpack_object *o, char *at,
	    struct codec_diag *d)
{
	int v;

	if (o->type != MSGPACK_OBJECT_STR)
		return fail(d, CODEC_E_TYPE, f->key);
	v = codec_enum_parse(f->ekind, o->via.str.ptr, o->via.str.size);
	if (v < 0)
		return fail(d, CODEC_E_ENUM, f->key);
	enum_store(at, f->ekind, v);
	return CODEC_OK;
}

static enum codec_err
decode_array(const struct codec_field *f, const msgpack_object *o, char *base,
	     struct codec_diag *d)
{
	uint32_t i;
	enum codec_err e;

	if (o->type != MSGPACK_OBJECT_ARRAY)
		return fail(d, CODEC_E_TYPE, f->key);
	if (o->via.array.size > f->max)
		return fail(d, CODEC_E_COUNT_BOUND, f->key);
	for (i = 0; i < o->via.array.size; i++) {
		e = decode_map(&o->via.array.ptr[i], f->sub, 1,
			       base + f->off + (size_t)i * f->size, f->key, d);
		if (e != CODEC_OK)
			return e;
	}
	*(size_t *)(void *)(base + f->aux) = o->via.array.size;
	return CODEC_OK;
}

static enum codec_err
decode_point(const msgpack_object *o, struct proto_trend_point *p, struct codec_diag *d)
{
	const msgpack_object *v;

	if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size != 3)
		return fail(d, CODEC_E_TYPE, "trend");
	v = o->via.array.ptr;
	if (get_i64(&v[0], &p->t_ms) || get_dbl(&v[1], &p->sentiment) ||
	    get_dbl(&v[2], &p->frustration))
		return fail(d, CODEC_E_TYPE, "trend");
	return check_point(p, d);
}

static enum codec_err
decode_trend(const struct codec_field *f, const msgpack_object *o, char *base,
	     struct codec_diag *d)
{
	struct proto_trend_point *pts = (struct proto_trend_point *)(void *)(base + f->off);
	uint32_t i;
	enum codec_err e;

	if (o->type != MSGPACK_OBJECT_ARRAY)
		return fail(d, CODEC_E_TYPE, f->key);
	if (o->via.array.size > f->max)
		return fail(d, CODEC_E_COUNT_BOUND, f->key);
	for (i = 0; i < o->via.array.size; i++)
		if ((e = decode_point(&o->via.array.ptr[i], &pts[i], d)) != CODEC_OK)
			return e;
	*(size_t *)(void *)(base + f->aux) = o->via.array.size;
	return CODEC_OK;
}

static enum codec_err
decode_rejected(const struct codec_field *f, const msgpack_object *o, char *base,
		struct codec_diag *d)
{
	struct proto_reject_count *rc = (struct proto_reject_count *)(void *)(base + f->off);
	uint32_t i, j;
	enum codec_err e;

	if (o->type != MSGPACK_OBJECT_MAP)
		return fail(d, CODEC_E_TYPE, f->key);
	if (o->via.map.size > f->max)
		return fail(d, CODEC_E_COUNT_BOUND, f->key);
	for (i = 0; i < o->via.map.size; i++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[i];
		if (kv->key.type != MSGPACK_OBJECT_STR)
			return fail(d, CODEC_E_TYPE, f->key);
		if ((e = check_reason_key(kv->key.via.str.ptr, kv->key.via.str.size, d)))
			return e;
		if ((e = get_u64(&kv->val, &rc[i].count)) != CODEC_OK)
			return fail(d, e, f->key);
		memcpy(rc[i].reason, kv->key.via.str.ptr, kv->key.via.str.size);
		rc[i].reason[kv->key.via.str.size] = '\0';
		for (j = 0; j < i; j++)
			if (strcmp(rc[j].reason, rc[i].reason) == 0)
				return fail(d, CODEC_E_DUPLICATE, f->key);
	}
	*(size_t *)(void *)(base + f->aux) = o->via.map.size;
	return CODEC_OK;
}

static enum codec_err
decode_field(const struct codec_field *f, const msgpack_object *o, char *base,
	     struct codec_diag *d)
{
	char *at = base + f->off;
	enum codec_err e;

	switch (f->type) {
	case CF_SKIP: return CODEC_OK;
	case CF_STR: case CF_QUEUE: case CF_TEXT: return decode_str(f, o, base, d);
	case CF_I64: case CF_INT: case CF_U64: case CF_U32: case CF_DBL:
		return decode_number(f, o, at, d);
	case CF_BOOL:
		if (o->type != MSGPACK_OBJECT_BOOLEAN)
			return fail(d, CODEC_E_TYPE, f->key);
		*(bool *)(void *)at = o->via.boolean;
		return CODEC_OK;
	case CF_ENUM: return decode_enum(f, o, at, d);
	case CF_MAP:
		if ((e = decode_map(o, f->sub, 1, at, f->key, d)) != CODEC_OK)
			return e;
		if (f->aux != CF_NO_AUX)
			*(bool *)(void *)(base + f->aux) = true;
		return CODEC_OK;
	case CF_ARRAY: return decode_array(f, o, base, d);
	case CF_TREND: return decode_trend(f, o, base, d);
	case CF_REJECTED: return decode_rejected(f, o, base, d);
	default: return fail(d, CODEC_E_INVALID, f->key);
	}
}

/* Index of key among all fields of tabs (counted across tables), or -1. */
static int
find_field(const struct codec_table *tabs, size_t ntabs, const char *k, size_t klen,
	   const struct codec_field **out)
{
	size_t t, i;
	int idx = 0;

	for (t = 0; t < ntabs; t++)
		for (i = 0; i < tabs[t].n; i++, idx++)
			if (tabs[t].f[i].klen == klen && memcmp(tabs[t].f[i].key, k, klen) == 0) {
				*out = &tabs[t].f[i];
				return idx;
			}
	return -1;
}

static enum codec_err
check_required(const struct codec_table *tabs, size_t ntabs, uint64_t seen,
	       struct codec_diag *d)
{
	size_t t, i;
	int idx = 0;

	for (t = 0; t < ntabs; t++)
		for (i = 0; i < tabs[t].n; i++, idx++)
			if ((tabs[t].f[i].flags & CF_REQ) && !(seen & ((uint64_t)1 << idx)))
				return fail(d, CODEC_E_MISSING, tabs[t].f[i].key);
	return CODEC_OK;
}

static enum codec_err
decode_map(const msgpack_object *o, const struct codec_table *tabs, size_t ntabs,
	   char *base, const char *what, struct codec_diag *d)
{
	const struct codec_field *f = NULL;
	uint64_t seen = 0;
	uint32_t i;
	enum codec_err e;
	int idx;

	if (o->type != MSGPACK_OBJECT_MAP)
		return fail(d, CODEC_E_TYPE, what);
	for (i = 0; i < o->via.map.size; i++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[i];
		if (kv->key.type != MSGPACK_OBJECT_STR)
			return fail(d, CODEC_E_TYPE, what);
		idx = find_field(tabs, ntabs, kv->key.via.str.ptr, kv->key.via.str.size, &f);
		if (idx < 0)
			continue;   /* unknown keys are ignored */
		if (idx >= 64)
			return fail(d, CODEC_E_INVALID, f->key);
		if (seen & ((uint64_t)1 << idx))
			return fail(d, CODEC_E_DUPLICATE, f->key);
		seen |= (uint64_t)1 << idx;
		if ((e = decode_field(f, &kv->val, base, d)) != CODEC_OK)
			return e;
	}
	return check_required(tabs, ntabs, seen, d);
}

/* ---- checking structs (the encoder's validation) ---- */

static enum codec_err check_map(const struct codec_table *tab, const char *base,
				struct codec_diag *d);

static bool
field_present(const struct codec_field *f, const char *base)
{
	const char *at = base + f->off;

	if (f->type == CF_SKIP)
		return false;
	if (f->flags & (CF_REQ | CF_ALWAYS))
		return true;
	switch (f->type) {
	case CF_STR: case CF_QUEUE: return at[0] != '\0';
	case CF_TEXT: case CF_ARRAY: case CF_TREND: case CF_REJECTED:
		return *(const size_t *)(const void *)(base + f->aux) != 0;
	case CF_I64: return *(const int64_t *)(const void *)at != 0;
	case CF_INT: return *(const int *)(const void *)at != 0;
	case CF_U64: return *(const uint64_t *)(const void *)at != 0;
	case CF_U32: return *(const uint32_t *)(const void *)at != 0;
	case CF_DBL: return *(const double *)(const void *)at != 0.0;
	case CF_BOOL: return *(const bool *)(const void *)at;
	case CF_ENUM: return enum_load(at, f->ekind) != 0;
	case CF_MAP:
		return f->aux == CF_NO_AUX || *(const bool *)(const void *)(base + f->aux);
	default: return false;
	}
}

static size_t
field_len(const struct codec_field *f, const char *base)
{
	if (f->type == CF_TEXT)
		return *(const size_t *)(const void *)(base + f->aux);
	return strnlen(base + f->off, f->size);
}

static enum codec_err
check_rejected(const struct codec_field *f, const char *base, struct codec_diag *d)
{
	const struct proto_reject_count *rc =
		(const struct proto_reject_count *)(const void *)(base + f->off);
	size_t n = *(const size_t *)(const void *)(base + f->aux), i, j;
	enum codec_err e;

	if (n > f->max)
		return fail(d, CODEC_E_COUNT_BOUND, f->key);
	for (i = 0; i < n; i++) {
		if ((e = check_reason_key(rc[i].reason, strnlen(rc[i].reason, UT_ID_MAX + 1), d)))
			return e;
		for (j = 0; j < i; j++)
			if (strcmp(rc[j].reason, rc[i].reason) == 0)
				return fail(d, CODEC_E_DUPLICATE, f->key);
	}
	return CODEC_OK;
}

static enum codec_err
check_list(const struct codec_field *f, const char *base, struct codec_diag *d)
{
	size_t n = *(const size_t *)(const void *)(base + f->aux), i;
	enum codec_err e;

	if (n > f->max)
		return fail(d, CODEC_E_COUNT_BOUND, f->key);
	for (i = 0; i < n; i++) {
		if (f->type == CF_TREND)
			e = check_point((const struct proto_trend_point *)(const void *)(base + f->off) + i, d);
		else
			e = check_map(f->sub, base + f->off + i * f->size, d);
		if (e != CODEC_OK)
			return e;
	}
	return CODEC_OK;
}

static enum codec_err
check_field(const struct codec_field *f, const char *base, struct codec_diag *d)
{
	const char *at = base + f->off;
	size_t len;

	switch (f->type) {
	case CF_STR: case CF_QUEUE: case CF_TEXT:
		len = field_len(f, base);
		if (len >= f->size)
			return fail(d, CODEC_E_TOO_LONG, f->key);
		/* Text with a zero length is almost surely a forgotten text_len. */
		if (f->type == CF_TEXT && len == 0 && at[0] != '\0')
			return fail(d, CODEC_E_INVALID, f->key);
		return check_str(f, at, len, d);
	case CF_I64: return check_int(f, *(const int64_t *)(const void *)at, d);
	case CF_INT: return check_int(f, *(const int *)(const void *)at, d);
	case CF_DBL: return check_dbl(f->key, *(const double *)(const void *)at, f->dlo, f->dhi, d);
	case CF_ENUM:
		if (codec_enum_name(f->ekind, enum_load(at, f->ekind)) == NULL ||
		    (f->ekind == CE_TRUTH && enum_load(at, f->ekind) == PROTO_TRUTH_NONE))
			return fail(d, CODEC_E_ENUM, f->key);
		return CODEC_OK;
	case CF_MAP: return check_map(f->sub, at, d);
	case CF_ARRAY: case CF_TREND: return check_list(f, base, d);
	case CF_REJECTED: return check_rejected(f, base, d);
	default: return CODEC_OK;
	}
}

static enum codec_err
check_map(const struct codec_table *tab, const char *base, struct codec_diag *d)
{
	size_t i;
	enum codec_err e;

	for (i = 0; i < tab->n; i++)
		if (field_present(&tab->f[i], base) &&
		    (e = check_field(&tab->f[i], base, d)) != CODEC_OK)
			return e;
	return CODEC_OK;
}

/* ---- rules that span fields ---- */

static enum codec_err
event_rules(const struct proto_event *ev, struct codec_diag *d)
{
	if (ev->type == PROTO_EV_UTTERANCE && ev->u.utt.end_ms < ev->u.utt.start_ms)
		return fail(d, CODEC_E_RANGE, "end_ms");
	if (ev->type == PROTO_EV_CALL_END && ev->u.end.state != UT_CS_ENDED &&
	    ev->u.end.state != UT_CS_ABANDONED)
		return fail(d, CODEC_E_ENUM, "state");
	return CODEC_OK;
}

static enum codec_err
update_rules(const struct proto_call_update *u, struct codec_diag *d)
{
	unsigned seen = 0;
	size_t i;

	for (i = 0; i < u->n_components && i < UT_FC__COUNT; i++) {
		unsigned bit = 1u << (unsigned)u->components[i].name;
		if (seen & bit)
			return fail(d, CODEC_E_DUPLICATE, "components");
		seen |= bit;
	}
	return CODEC_OK;
}

static enum codec_err
decision_rules(const struct proto_decision *dec, struct codec_diag *d)
{
	if (dec->kind == UT_DE_RAISE && dec->severity == 0)
		return fail(d, CODEC_E_MISSING, "severity");
	if (dec->kind == UT_DE_TAG && dec->label[0] == '\0')
		return fail(d, CODEC_E_MISSING, "label");
	if (dec->kind == UT_DE_SNOOZE && dec->until_ms == 0)
		return fail(d, CODEC_E_MISSING, "until");
	return CODEC_OK;
}

static enum codec_err
msg_rules(const struct proto_msg *m, struct codec_diag *d)
{
	switch (m->type) {
	case PROTO_MSG_CALL_UPDATE: return update_rules(&m->u.upd, d);
	case PROTO_MSG_SUGGESTION_RAISED:
	case PROTO_MSG_SUGGESTION_UPDATED:
		return m->u.sug.n_reasons ? CODEC_OK : fail(d, CODEC_E_MISSING, "reasons");
	case PROTO_MSG_DECISION_RECORDED:
	case PROTO_MSG_DECISION_SUBMIT: return decision_rules(&m->u.dec, d);
	case PROTO_MSG_DECISION_ACK:
		return (m->u.ack.ok || m->u.ack.code[0]) ? CODEC_OK : fail(d, CODEC_E_MISSING, "code");
	default: return CODEC_OK;
	}
}

/* ---- top level ---- */

static const struct codec_table *
header_table(enum proto_msg_type t)
{
	if (proto_msg_is_feed(t))
		return &codec_hdr_feed;
	if (proto_msg_is_request(t))
		return &codec_hdr_request;
	return &codec_hdr_reply;
}

/* Version and type, checked before anything else so that a message of
 * another major version is reported as such whatever else it contains. */
static enum codec_err
read_head(const msgpack_object *top, bool v_required, bool is_event, int *type,
	  struct codec_diag *d)
{
	const msgpack_object *v = NULL, *t = NULL;
	uint32_t i;

	for (i = 0; i < top->via.map.size; i++) {
		const msgpack_object_kv *kv = &top->via.map.ptr[i];
		if (kv->key.type != MSGPACK_OBJECT_STR)
			continue;
		if (kv->key.via.str.size == 1 && kv->key.via.str.ptr[0] == 'v' && !v)
			v = &kv->val;
		else if (kv->key.via.str.size == 4 && !t && memcmp(kv->key.via.str.ptr, "type", 4) == 0)
			t = &kv->val;
	}
	if (v == NULL && v_required)
		return fail(d, CODEC_E_MISSING, "v");
	if (v && v->type != MSGPACK_OBJECT_POSITIVE_INTEGER && v->type != MSGPACK_OBJECT_NEGATIVE_INTEGER)
		return fail(d, CODEC_E_TYPE, "v");
	if (v && (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER || v->via.u64 != PROTO_VERSION))
		return fail(d, CODEC_E_VERSION, "v");
	if (t == NULL)
		return fail(d, CODEC_E_MISSING, "type");
	if (t->type != MSGPACK_OBJECT_STR)
		return fail(d, CODEC_E_TYPE, "type");
	*type = is_event ? proto_event_type_parse(t->via.str.ptr, t->via.str.size)
			 : proto_msg_type_parse(t->via.str.ptr, t->via.str.size);
	return *type < 0 ? fail(d, CODEC_E_UNKNOWN_TYPE, "type") : CODEC_OK;
}

static enum codec_err
unpack(const void *data, size_t len, msgpack_zone *zone, msgpack_object *top,
       struct codec_diag *d)
{
	size_t off = 0;
	enum codec_err e;

	if ((e = codec_walk(data, len, d)) != CODEC_OK)
		return e;
	switch (msgpack_unpack(data, len, &off, zone, top)) {
	case MSGPACK_UNPACK_SUCCESS: return off == len ? CODEC_OK : fail(d, CODEC_E_TRAILING, "");
	case MSGPACK_UNPACK_EXTRA_BYTES: return fail(d, CODEC_E_TRAILING, "");
	case MSGPACK_UNPACK_CONTINUE: return fail(d, CODEC_E_TRUNCATED, "");
	case MSGPACK_UNPACK_NOMEM_ERROR: return fail(d, CODEC_E_NOMEM, "");
	default: return fail(d, CODEC_E_TYPE, "");
	}
}

enum codec_err
codec_decode_event(const void *data, size_t len, struct proto_event *ev,
		   struct codec_diag *d)
{
	msgpack_zone zone;
	msgpack_object top;
	struct codec_table tabs[2];
	enum codec_err e;
	int type = 0;

	if (ev == NULL || (data == NULL && len))
		return fail(d, CODEC_E_INVALID, "");
	if (!msgpack_zone_init(&zone, ZONE_CHUNK))
		return fail(d, CODEC_E_NOMEM, "");
	e = unpack(data, len, &zone, &top, d);
	if (e == CODEC_OK)
		e = read_head(&top, false, true, &type, d);
	if (e == CODEC_OK) {
		proto_event_init(ev, (enum proto_event_type)type);
		tabs[0] = codec_event_common;
		tabs[1] = codec_event_tables[type];
		e = decode_map(&top, tabs, 2, (char *)ev, "", d);
	}
	if (e == CODEC_OK)
		e = event_rules(ev, d);
	msgpack_zone_destroy(&zone);
	return e;
}

enum codec_err
codec_decode_msg(const void *data, size_t len, struct proto_msg *m, struct codec_diag *d)
{
	msgpack_zone zone;
	msgpack_object top;
	struct codec_table tabs[2];
	enum codec_err e;
	int type = 0;

	if (m == NULL || (data == NULL && len))
		return fail(d, CODEC_E_INVALID, "");
	if (!msgpack_zone_init(&zone, ZONE_CHUNK))
		return fail(d, CODEC_E_NOMEM, "");
	e = unpack(data, len, &zone, &top, d);
	if (e == CODEC_OK)
		e = read_head(&top, true, false, &type, d);
	if (e == CODEC_OK) {
		proto_msg_init(m, (enum proto_msg_type)type);
		tabs[0] = *header_table(m->type);
		tabs[1] = codec_msg_tables[type];
		e = decode_map(&top, tabs, 2, (char *)m, "", d);
	}
	if (e == CODEC_OK)
		e = msg_rules(m, d);
	msgpack_zone_destroy(&zone);
	return e;
}

enum codec_err
codec_check_event(const struct proto_event *ev, struct codec_diag *d)
{
	enum codec_err e;

	if (ev == NULL)
		return fail(d, CODEC_E_INVALID, "");
	if ((int)ev->type < 0 || ev->type >= PROTO_EV__COUNT)
		return fail(d, CODEC_E_UNKNOWN_TYPE, "type");
	if ((e = check_map(&codec_event_common, (const char *)ev, d)) ||
	    (e = check_map(&codec_event_tables[ev->type], (const char *)ev, d)))
		return e;
	return event_rules(ev, d);
}

enum codec_err
codec_check_msg(const struct proto_msg *m, struct codec_diag *d)
{
	enum codec_err e;

	if (m == NULL)
		return fail(d, CODEC_E_INVALID, "");
	if ((int)m->type < 0 || m->type >= PROTO_MSG__COUNT)
		return fail(d, CODEC_E_UNKNOWN_TYPE, "type");
	if (m->h.v != PROTO_VERSION)
		return fail(d, CODEC_E_VERSION, "v");
	if ((e = check_map(header_table(m->type), (const char *)m, d)) ||
	    (e = check_map(&codec_msg_tables[m->type], (const char *)m, d)))
		return e;
	return msg_rules(m, d);
}

/* ---- encoding ---- */

struct enc {
	struct codec_buf *b;
	enum codec_err err;
};

static int
enc_write(void *data, const char *buf, size_t len)
{
	struct enc *en = data;
	enum codec_err e;

	if (en->err != CODEC_OK)
		return -1;
	/* msgpack writes a few bytes at a time: keep the common case inline. */
	if (len <= 16 && en->b->cap - en->b->len >= len && en->b->len + len <= PROTO_MSG_MAX) {
		char *dst = en->b->data + en->b->len;
		size_t i;

		for (i = 0; i < len; i++)
			dst[i] = buf[i];
		en->b->len += len;
		return 0;
	}
	if ((e = codec_buf_append(en->b, buf, len, PROTO_MSG_MAX)) != CODEC_OK) {
		en->err = e;
		return -1;
	}
	return 0;
}

static void
pack_str(msgpack_packer *pk, const char *s, size_t len)
{
	msgpack_pack_str(pk, len);
	msgpack_pack_str_body(pk, s, len);
}

static size_t
count_present(const struct codec_table *tab, const char *base)
{
	size_t i, n = 0;

	for (i = 0; i < tab->n; i++)
		n += field_present(&tab->f[i], base);
	return n;
}

static void pack_fields(msgpack_packer *pk, const struct codec_table *tab, const char *base);

static void
pack_list(msgpack_packer *pk, const struct codec_field *f, const char *base)
{
	size_t n = *(const size_t *)(const void *)(base + f->aux), i;
	const struct proto_trend_point *p;
	const struct proto_reject_count *rc;

	if (f->type == CF_REJECTED) {
		rc = (const struct proto_reject_count *)(const void *)(base + f->off);
		msgpack_pack_map(pk, n);
		for (i = 0; i < n; i++) {
			pack_str(pk, rc[i].reason, strlen(rc[i].reason));
			msgpack_pack_uint64(pk, rc[i].count);
		}
		return;
	}
	msgpack_pack_array(pk, n);
	for (i = 0; i < n; i++) {
		if (f->type == CF_ARRAY) {
			const char *el = base + f->off + i * f->size;
			msgpack_pack_map(pk, count_present(f->sub, el));
			pack_fields(pk, f->sub, el);
			continue;
		}
		p = (const struct proto_trend_point *)(const void *)(base + f->off) + i;
		msgpack_pack_array(pk, 3);
		msgpack_pack_int64(pk, p->t_ms);
		msgpack_pack_double(pk, p->sentiment);
		msgpack_pack_double(pk, p->frustration);
	}
}

static void
pack_field(msgpack_packer *pk, const struct codec_field *f, const char *base)
{
	const char *at = base + f->off;

	pack_str(pk, f->key, f->klen);
	switch (f->type) {
	case CF_STR: case CF_QUEUE: case CF_TEXT: pack_str(pk, at, field_len(f, base)); break;
	case CF_I64: msgpack_pack_int64(pk, *(const int64_t *)(const void *)at); break;
	case CF_INT: msgpack_pack_int(pk, *(const int *)(const void *)at); break;
	case CF_U64: msgpack_pack_uint64(pk, *(const uint64_t *)(const void *)at); break;
	case CF_U32: msgpack_pack_uint32(pk, *(const uint32_t *)(const void *)at); break;
	case CF_DBL: msgpack_pack_double(pk, *(const double *)(const void *)at); break;
	case CF_BOOL:
		if (*(const bool *)(const void *)at)
			msgpack_pack_true(pk);
		else
			msgpack_pack_false(pk);
		break;
	case CF_ENUM: {
		const char *name = codec_enum_name(f->ekind, enum_load(at, f->ekind));
		pack_str(pk, name, strlen(name));
		break;
	}
	case CF_MAP:
		msgpack_pack_map(pk, count_present(f->sub, at));
		pack_fields(pk, f->sub, at);
		break;
	default: pack_list(pk, f, base); break;
	}
}

static void
pack_fields(msgpack_packer *pk, const struct codec_table *tab, const char *base)
{
	size_t i;

	for (i = 0; i < tab->n; i++)
		if (field_present(&tab->f[i], base))
			pack_field(pk, &tab->f[i], base);
}

/* Map of "v", "type" and the present fields of two tables. */
static enum codec_err
encode_top(const char *type, const struct codec_table *t1, const struct codec_table *t2,
	   const char *base, struct codec_buf *out)
{
	struct enc en = { out, CODEC_OK };
	msgpack_packer pk;

	out->len = 0;
	msgpack_packer_init(&pk, &en, enc_write);
	msgpack_pack_map(&pk, 2 + count_present(t1, base) + count_present(t2, base));
	pack_str(&pk, "v", 1);
	msgpack_pack_uint32(&pk, PROTO_VERSION);
	pack_str(&pk, "type", 4);
	pack_str(&pk, type, strlen(type));
	pack_fields(&pk, t1, base);
	pack_fields(&pk, t2, base);
	if (en.err != CODEC_OK)
		out->len = 0;
	return en.err;
}

enum codec_err
codec_encode_event(const struct proto_event *ev, struct codec_buf *out)
{
	enum codec_err e;

	if (out == NULL)
		return CODEC_E_INVALID;
	out->len = 0;
	if ((e = codec_check_event(ev, NULL)) != CODEC_OK)
		return e;
	return encode_top(proto_event_type_name(ev->type), &codec_event_common,
			  &codec_event_tables[ev->type], (const char *)ev, out);
}

enum codec_err
codec_encode_msg(const struct proto_msg *m, struct codec_buf *out)
{
	enum codec_err e;

	if (out == NULL)
		return CODEC_E_INVALID;
	out->len = 0;
	if ((e = codec_check_msg(m, NULL)) != CODEC_OK)
		return e;
	return encode_top(proto_msg_type_name(m->type), header_table(m->type),
			  &codec_msg_tables[m->type], (const char *)m, out);
}
