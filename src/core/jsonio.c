/*
 * jsonio: JSON and NDJSON forms of protocol messages (see jsonio.h).
 *
 * JSON input is parsed by jansson, converted to MessagePack and decoded by
 * the codec, so both forms obey exactly the same field rules and error
 * codes. JSON output goes the other way: codec encode (which validates),
 * then MessagePack objects to jansson values.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>

#include "undertone/jsonio.h"
#include "codec_internal.h"

/* JSON renderings may be larger than the MessagePack body (escapes, digits). */
#define JSON_OUT_MAX (4 * JSONIO_LINE_MAX)

static enum codec_err
fail(struct codec_diag *d, enum codec_err e, const char *field, size_t offset)
{
	if (d) {
		d->field = field;
		d->offset = offset;
	}
	return e;
}

static enum codec_err
map_json_error(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_out_of_memory: return CODEC_E_NOMEM;
	case json_error_stack_overflow: return CODEC_E_DEPTH;
	case json_error_invalid_utf8: return CODEC_E_UTF8;
	case json_error_premature_end_of_input: return CODEC_E_TRUNCATED;
	case json_error_end_of_input_expected: return CODEC_E_TRAILING;
	case json_error_null_character:
	case json_error_null_byte_in_key: return CODEC_E_NUL;
	case json_error_duplicate_key: return CODEC_E_DUPLICATE;
	case json_error_numeric_overflow: return CODEC_E_RANGE;
	default: return CODEC_E_SYNTAX;
	}
}

/* ---- JSON -> MessagePack ---- */

struct jenc {
	struct codec_buf *b;
	size_t max;
	enum codec_err err;
};

static int
jenc_write(void *data, const char *buf, size_t len)
{
	struct jenc *je = data;
	enum codec_err e;

	if (je->err != CODEC_OK)
		return -1;
	if ((e = codec_buf_append(je->b, buf, len, je->max)) != CODEC_OK) {
		je->err = e;
		return -1;
	}
	return 0;
}

static void
pack_strn(msgpack_packer *pk, const char *s, size_t len)
{
	msgpack_pack_str(pk, len);
	msgpack_pack_str_body(pk, s, len);
}

static enum codec_err pack_json(msgpack_packer *pk, json_t *j, int depth);

static enum codec_err
pack_json_container(msgpack_packer *pk, json_t *j, int depth)
{
	const char *key;
	size_t klen, i;
	json_t *v;
	enum codec_err e;

	if (depth + 1 > PROTO_DEPTH_MAX)
		return CODEC_E_DEPTH;
	if (json_is_array(j)) {
		msgpack_pack_array(pk, json_array_size(j));
		json_array_foreach(j, i, v)
			if ((e = pack_json(pk, v, depth + 1)) != CODEC_OK)
				return e;
		return CODEC_OK;
	}
	if (json_object_size(j) > PROTO_KEYS_MAX)
		return CODEC_E_COUNT_BOUND;
	msgpack_pack_map(pk, json_object_size(j));
	json_object_keylen_foreach(j, key, klen, v) {
		pack_strn(pk, key, klen);
		if ((e = pack_json(pk, v, depth + 1)) != CODEC_OK)
			return e;
	}
	return CODEC_OK;
}

static enum codec_err
pack_json(msgpack_packer *pk, json_t *j, int depth)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:
	case JSON_ARRAY: return pack_json_container(pk, j, depth);
	case JSON_STRING: pack_strn(pk, json_string_value(j), json_string_length(j)); break;
	case JSON_INTEGER: msgpack_pack_int64(pk, (int64_t)json_integer_value(j)); break;
	case JSON_REAL: msgpack_pack_double(pk, json_real_value(j)); break;
	case JSON_TRUE: msgpack_pack_true(pk); break;
	case JSON_FALSE: msgpack_pack_false(pk); break;
	default: msgpack_pack_nil(pk); break;
	}
	return CODEC_OK;
}

enum codec_err
jsonio_to_msgpack(const char *text, size_t len, struct codec_buf *out, struct codec_diag *d)
{
	struct jenc je = { out, PROTO_MSG_MAX, CODEC_OK };
	msgpack_packer pk;
	json_error_t jerr;
	json_t *root;
	enum codec_err e;

	if (out == NULL || (text == NULL && len))
		return fail(d, CODEC_E_INVALID, "", 0);
	if (len > JSONIO_LINE_MAX)
		return fail(d, CODEC_E_TOO_BIG, "", 0);
	root = json_loadb(text ? text : "", len,
			  JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
	if (root == NULL)
		return fail(d, map_json_error(&jerr), "", (size_t)jerr.position);
	out->len = 0;
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(d, CODEC_E_TYPE, "", 0);
	}
	msgpack_packer_init(&pk, &je, jenc_write);
	e = pack_json(&pk, root, 0);
	json_decref(root);
	if (e == CODEC_OK)
		e = je.err;
	return e == CODEC_OK ? CODEC_OK : fail(d, e, "", 0);
}

enum codec_err
jsonio_decode_event(const char *text, size_t len, struct proto_event *ev,
		    struct codec_diag *d)
{
	struct codec_buf b;
	enum codec_err e;

	if (ev == NULL)
		return fail(d, CODEC_E_INVALID, "", 0);
	codec_buf_init(&b);
	e = jsonio_to_msgpack(text, len, &b, d);
	if (e == CODEC_OK && (e = codec_decode_event(b.data, b.len, ev, d)) != CODEC_OK && d)
		d->offset = 0;   /* an offset into the converted bytes would mislead */
	codec_buf_free(&b);
	return e;
}

enum codec_err
jsonio_decode_frame(const void *data, size_t len, struct proto_event *ev,
		    struct codec_diag *d)
{
	const char *p = data;
	size_t i = 0;

	while (p && i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (p && i < len && p[i] == '{')
		return jsonio_decode_event(p, len, ev, d);
	return codec_decode_event(data, len, ev, d);
}

/* ---- MessagePack -> JSON ---- */

static json_t *obj_to_json(const msgpack_object *o);

static json_t *
container_to_json(const msgpack_object *o)
{
	json_t *j, *v;
	uint32_t i;

	if (o->type == MSGPACK_OBJECT_ARRAY) {
		j = json_array();
		for (i = 0; j && i < o->via.array.size; i++)
			if ((v = obj_to_json(&o->via.array.ptr[i])) == NULL ||
			    json_array_append_new(j, v) != 0) {
				json_decref(j);
				return NULL;
			}
		return j;
	}
	j = json_object();
	for (i = 0; j && i < o->via.map.size; i++) {
		const msgpack_object_kv *kv = &o->via.map.ptr[i];
		if (kv->key.type != MSGPACK_OBJECT_STR || (v = obj_to_json(&kv->val)) == NULL ||
		    json_object_setn_new(j, kv->key.via.str.ptr, kv->key.via.str.size, v) != 0) {
			json_decref(j);
			return NULL;
		}
	}
	return j;
}

static json_t *
obj_to_json(const msgpack_object *o)
{
	switch (o->type) {
	case MSGPACK_OBJECT_ARRAY:
	case MSGPACK_OBJECT_MAP: return container_to_json(o);
	case MSGPACK_OBJECT_STR: return json_stringn(o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		return o->via.u64 > (uint64_t)INT64_MAX ? NULL : json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return json_integer((json_int_t)o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return json_real(o->via.f64);
	case MSGPACK_OBJECT_BOOLEAN: return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_NIL: return json_null();
	default: return NULL;
	}
}

static int
dump_cb(const char *buf, size_t size, void *data)
{
	struct jenc *je = data;

	return jenc_write(je, buf, size);
}

/* JSON line for an already encoded MessagePack body. */
static enum codec_err
msgpack_to_json_line(struct codec_buf *mp, struct codec_buf *out)
{
	struct jenc je = { out, JSON_OUT_MAX, CODEC_OK };
	msgpack_zone zone;
	msgpack_object top;
	size_t off = 0;
	json_t *j = NULL;
	enum codec_err e = CODEC_E_INVALID;

	if (!msgpack_zone_init(&zone, 2048))
		return CODEC_E_NOMEM;
	if (msgpack_unpack(mp->data, mp->len, &off, &zone, &top) == MSGPACK_UNPACK_SUCCESS &&
	    (j = obj_to_json(&top)) != NULL) {
		out->len = 0;
		if (json_dump_callback(j, dump_cb, &je, JSON_COMPACT | JSON_REAL_PRECISION(17)) != 0)
			e = je.err != CODEC_OK ? je.err : CODEC_E_NOMEM;
		else
			e = codec_buf_append(out, "\n", 1, JSON_OUT_MAX);
	} else if (j == NULL) {
		e = CODEC_E_RANGE;   /* an unsigned value above JSON's int64 */
	}
	json_decref(j);
	msgpack_zone_destroy(&zone);
	if (e != CODEC_OK)
		out->len = 0;
	return e;
}

enum codec_err
jsonio_encode_event(const struct proto_event *ev, struct codec_buf *out)
{
	struct codec_buf mp;
	enum codec_err e;

	if (out == NULL)
		return CODEC_E_INVALID;
	out->len = 0;
	codec_buf_init(&mp);
	if ((e = codec_encode_event(ev, &mp)) == CODEC_OK)
		e = msgpack_to_json_line(&mp, out);
	codec_buf_free(&mp);
	return e;
}

enum codec_err
jsonio_encode_msg(const struct proto_msg *m, struct codec_buf *out)
{
	struct codec_buf mp;
	enum codec_err e;

	if (out == NULL)
		return CODEC_E_INVALID;
	out->len = 0;
	codec_buf_init(&mp);
	if ((e = codec_encode_msg(m, &mp)) == CODEC_OK)
		e = msgpack_to_json_line(&mp, out);
	codec_buf_free(&mp);
	return e;
}

/* ---- NDJSON reader ---- */

enum codec_err
jsonio_reader_init(struct jsonio_reader *r, FILE *fp)
{
	memset(r, 0, sizeof *r);
	r->fp = fp;
	if (fp == NULL) {
		r->eof = 1;
		return CODEC_E_INVALID;
	}
	if ((r->line = malloc(JSONIO_LINE_MAX + 1)) == NULL)
		return CODEC_E_NOMEM;
	return CODEC_OK;
}

void
jsonio_reader_free(struct jsonio_reader *r)
{
	free(r->line);
	r->line = NULL;
}

/* One line into r->line: 1 read, 0 end of file, -1 too long (drained), -2 error. */
static int
read_line(struct jsonio_reader *r)
{
	int c, any = 0, over = 0;

	r->len = 0;
	while ((c = getc(r->fp)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (r->len < JSONIO_LINE_MAX)
			r->line[r->len++] = (char)c;
		else
			over = 1;
	}
	if (c == EOF && ferror(r->fp))
		return -2;
	if (!any)
		return 0;
	if (over)
		return -1;
	if (r->len && r->line[r->len - 1] == '\r')
		r->len--;
	r->line[r->len] = '\0';
	return 1;
}

static int
skippable(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i == len || s[i] == '#';
}

int
jsonio_next(struct jsonio_reader *r, struct proto_event *ev, enum codec_err *err,
	    struct codec_diag *d)
{
	enum codec_err e, unused;
	int rc;

	if (err == NULL)
		err = &unused;
	for (;;) {
		if (r->eof || r->line == NULL)
			return 0;
		if ((rc = read_line(r)) == 0) {
			r->eof = 1;
			return 0;
		}
		r->lineno++;
		if (rc < 0) {
			r->eof = rc == -2;
			*err = rc == -2 ? CODEC_E_IO : CODEC_E_LINE_TOO_LONG;
			fail(d, *err, "", JSONIO_LINE_MAX);
			return -1;
		}
		if (skippable(r->line, r->len))
			continue;
		if ((e = jsonio_decode_event(r->line, r->len, ev, d)) != CODEC_OK) {
			*err = e;
			return -1;
		}
		return 1;
	}
}
