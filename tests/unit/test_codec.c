/*
 * Unit tests for the codec: round trips of every message, truncation at
 * every byte, hostile MessagePack structure, and a table of field-level
 * mutations each expecting its own error (checked in both the MessagePack
 * and, for ingest events, the JSON form).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "undertone/codec.h"
#include "undertone/jsonio.h"
#include "test_codec_samples.h"
#include "ut_check.h"

static struct proto_msg msg_a, msg_b;
static struct proto_event ev_a, ev_b;

/* ---- round trips ---- */

START_TEST(event_round_trip)
{
	struct codec_buf b1 = { 0 }, b2 = { 0 };
	struct codec_diag d;

	sample_event((enum proto_event_type)_i, &ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_a, &b1), CODEC_OK);
	ck_assert_int_eq(codec_decode_event(b1.data, b1.len, &ev_b, &d), CODEC_OK);
	ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_b, &b2), CODEC_OK);
	ck_assert_uint_eq(b1.len, b2.len);
	ck_assert_mem_eq(b1.data, b2.data, b1.len);
	codec_buf_free(&b1);
	codec_buf_free(&b2);
}
END_TEST

START_TEST(msg_round_trip)
{
	struct codec_buf b1 = { 0 }, b2 = { 0 };
	struct codec_diag d = { "", 0 };
	enum codec_err e;

	sample_msg((enum proto_msg_type)_i, &msg_a);
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b1), CODEC_OK);
	e = codec_decode_msg(b1.data, b1.len, &msg_b, &d);
	ck_assert_msg(e == CODEC_OK, "%s: %s at %s", proto_msg_type_name(msg_a.type),
		      codec_err_name(e), d.field);
	ck_assert_mem_eq(&msg_a, &msg_b, sizeof msg_a);
	ck_assert_int_eq(codec_encode_msg(&msg_b, &b2), CODEC_OK);
	ck_assert_uint_eq(b1.len, b2.len);
	ck_assert_mem_eq(b1.data, b2.data, b1.len);
	codec_buf_free(&b1);
	codec_buf_free(&b2);
}
END_TEST

/* A full trend ring still fits in one message. */
START_TEST(msg_full_trend)
{
	struct codec_buf b = { 0 };
	size_t i;

	sample_msg(PROTO_MSG_CALL_UPDATE, &msg_a);
	msg_a.u.upd.n_trend = UT_TREND_MAX;
	for (i = 0; i < UT_TREND_MAX; i++)
		msg_a.u.upd.trend[i] = (struct proto_trend_point){ (int64_t)i * 1000, -0.1, 0.3 };
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_OK);
	ck_assert_uint_le(b.len, PROTO_MSG_MAX);
	ck_assert_int_eq(codec_decode_msg(b.data, b.len, &msg_b, NULL), CODEC_OK);
	ck_assert_mem_eq(&msg_a, &msg_b, sizeof msg_a);
	codec_buf_free(&b);
}
END_TEST

/* ---- truncation at every byte ---- */

static void
check_prefixes(const char *data, size_t len, int is_msg)
{
	size_t n;
	enum codec_err e;

	for (n = 0; n < len; n++) {
		e = is_msg ? codec_decode_msg(data, n, &msg_b, NULL)
			   : codec_decode_event(data, n, &ev_b, NULL);
		ck_assert_msg(e == CODEC_E_TRUNCATED || e == CODEC_E_COUNT_EXCEEDS,
			      "prefix %zu/%zu gave %s", n, len, codec_err_name(e));
	}
}

START_TEST(event_truncated_everywhere)
{
	struct codec_buf b = { 0 };

	sample_event((enum proto_event_type)_i, &ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_OK);
	check_prefixes(b.data, b.len, 0);
	codec_buf_free(&b);
}
END_TEST

START_TEST(msg_truncated_everywhere)
{
	struct codec_buf b = { 0 };

	sample_msg((enum proto_msg_type)_i, &msg_a);
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_OK);
	check_prefixes(b.data, b.len, 1);
	codec_buf_free(&b);
}
END_TEST

START_TEST(trailing_bytes)
{
	struct codec_buf b = { 0 };
	char *p;

	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_OK);
	p = malloc(b.len + 1);
	memcpy(p, b.data, b.len);
	p[b.len] = (char)0xc0;
	ck_assert_int_eq(codec_decode_event(p, b.len + 1, &ev_b, NULL), CODEC_E_TRAILING);
	ck_assert_int_eq(codec_decode_msg(p, b.len + 1, &msg_b, NULL), CODEC_E_TRAILING);
	free(p);
	codec_buf_free(&b);
}
END_TEST

/* ---- hostile structure, as raw bytes ---- */

static const struct {
	const char *hex;
	enum codec_err want;
} raw_cases[] = {
	{ "", CODEC_E_TRUNCATED },
	{ "c0", CODEC_E_TYPE },                      /* top level not a map */
	{ "93010203", CODEC_E_TYPE },
	{ "dfffffffff", CODEC_E_COUNT_EXCEEDS },     /* map32 of 4G pairs in 5 bytes */
	{ "deffff", CODEC_E_COUNT_EXCEEDS },
	{ "dd ffffffff", CODEC_E_TYPE },             /* array32 at top: not a map */
	{ "81a161ddffffffff", CODEC_E_COUNT_EXCEEDS }, /* {"a": array32 4G} */
	{ "81a161dcffff", CODEC_E_COUNT_EXCEEDS },
	{ "81a161dfffffffff", CODEC_E_COUNT_EXCEEDS },
	{ "81a161dbffffffff", CODEC_E_TRUNCATED },   /* str32 of 4 GB */
	{ "81a161c6ffffffff", CODEC_E_TRUNCATED },   /* bin32 */
	{ "81a161c9ffffffff01", CODEC_E_TRUNCATED }, /* ext32 */
	{ "81a161d9", CODEC_E_TRUNCATED },
	{ "81a161cb0000", CODEC_E_TRUNCATED },       /* float64 cut */
	{ "81a161c1", CODEC_E_TYPE },                /* never-used byte */
	{ "81a161" "9191919191919191" "c0", CODEC_E_DEPTH },  /* map + 8 arrays */
	{ "81a161" "91919191919191" "c0", CODEC_E_MISSING }, /* 8 levels: fine, no type */
	{ "81a161c080", CODEC_E_TRAILING },
	{ "82a47479706561a5686f6c64", CODEC_E_TRUNCATED }, /* second pair missing */
	{ "81a474797065a5686f6c64", CODEC_E_TRUNCATED },   /* str of 5, 4 left */
};

static size_t
unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (*hex) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		ck_assert(sscanf(hex, "%2x", &v) == 1 && n < cap);
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

START_TEST(raw_structure)
{
	unsigned char buf[64];
	size_t n = unhex(raw_cases[_i].hex, buf, sizeof buf);
	enum codec_err e1 = codec_decode_event(buf, n, &ev_b, NULL);
	enum codec_err e2 = codec_decode_msg(buf, n, &msg_b, NULL);

	ck_assert_msg(e1 == raw_cases[_i].want, "case %d (%s): event gave %s", _i,
		      raw_cases[_i].hex, codec_err_name(e1));
	/* For messages "v" is required, so a versionless map is MISSING either way. */
	ck_assert_msg(e2 == raw_cases[_i].want, "case %d (%s): msg gave %s", _i,
		      raw_cases[_i].hex, codec_err_name(e2));
}
END_TEST

START_TEST(too_big_and_too_many_keys)
{
	size_t n = PROTO_MSG_MAX + 1, i;
	unsigned char *big = calloc(1, n);
	unsigned char keys[1 + 3 + 2 * 65];

	big[0] = 0x80;
	ck_assert_int_eq(codec_decode_event(big, n, &ev_b, NULL), CODEC_E_TOO_BIG);
	free(big);
	/* map16 of 65 pairs {int: nil}: over PROTO_KEYS_MAX */
	keys[0] = 0xde;
	keys[1] = 0;
	keys[2] = 65;
	for (i = 0; i < 65; i++) {
		keys[3 + 2 * i] = (unsigned char)i;
		keys[4 + 2 * i] = 0xc0;
	}
	ck_assert_int_eq(codec_decode_event(keys, 3 + 130, &ev_b, NULL), CODEC_E_COUNT_BOUND);
}
END_TEST

START_TEST(null_arguments)
{
	struct codec_buf b = { 0 };

	ck_assert_int_eq(codec_decode_event(NULL, 3, &ev_b, NULL), CODEC_E_INVALID);
	ck_assert_int_eq(codec_decode_event("\x80", 1, NULL, NULL), CODEC_E_INVALID);
	ck_assert_int_eq(codec_encode_event(NULL, &b), CODEC_E_INVALID);
	ck_assert_int_eq(codec_encode_msg(NULL, &b), CODEC_E_INVALID);
	ck_assert_ptr_null(b.data);
}
END_TEST

/* ---- field mutations ---- */

struct mutation {
	int is_msg;
	int type;
	const char *path;     /* dot path; numeric parts index arrays */
	const char *value;    /* JSON text, "@S<n>" string of n bytes, "@R<n>" repeat
			       * the array's first element n times, "@M<n>" object of n
			       * counters, NULL deletes */
	const char *from, *to; /* optional same-length byte patch after encoding */
	size_t plen;
	enum codec_err want;
	const char *field;
};

#define EV(t) 0, PROTO_EV_##t
#define MS(t) 1, PROTO_MSG_##t
#define NOP NULL, NULL, 0
#define PATCH(f, t) f, t, sizeof(f) - 1

static const struct mutation mutations[] = {
	/* accepted variations */
	{ EV(CALL_START), "call", "@S64", NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "text", "@S4096", NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "text", "\"\"", NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "extra", "{\"deep\":[1,2,{\"x\":null}],\"f\":1.5}", NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "v", NULL, NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "voice", NULL, NOP, CODEC_OK, NULL },
	{ EV(UTTERANCE), "voice.pitch_hz", "200", NOP, CODEC_OK, NULL },
	{ EV(CALL_END), "state", NULL, NOP, CODEC_OK, NULL },
	{ EV(TRANSFER), "queue", NULL, NOP, CODEC_OK, NULL },
	{ MS(CALL_UPDATE), "trend", NULL, NOP, CODEC_OK, NULL },
	{ MS(CALL_UPDATE), "components", "[]", NOP, CODEC_OK, NULL },
	{ MS(CALL_UPDATE), "trend", "@R1024", NOP, CODEC_OK, NULL },
	{ MS(HEARTBEAT), "rejected", "@M32", NOP, CODEC_OK, NULL },
	{ MS(SUGGESTION_RAISED), "reasons", "@R8", NOP, CODEC_OK, NULL },
	/* version and type */
	{ EV(UTTERANCE), "v", "2", NOP, CODEC_E_VERSION, "v" },
	{ EV(UTTERANCE), "v", "0", NOP, CODEC_E_VERSION, "v" },
	{ EV(UTTERANCE), "v", "\"1\"", NOP, CODEC_E_TYPE, "v" },
	{ MS(HEARTBEAT), "v", NULL, NOP, CODEC_E_MISSING, "v" },
	{ MS(HEARTBEAT), "v", "2", NOP, CODEC_E_VERSION, "v" },
	{ EV(UTTERANCE), "type", NULL, NOP, CODEC_E_MISSING, "type" },
	{ EV(UTTERANCE), "type", "5", NOP, CODEC_E_TYPE, "type" },
	{ EV(UTTERANCE), "type", "\"call_update\"", NOP, CODEC_E_UNKNOWN_TYPE, "type" },
	{ MS(CALL_UPDATE), "type", "\"utterance\"", NOP, CODEC_E_UNKNOWN_TYPE, "type" },
	/* strings */
	{ EV(CALL_START), "call", NULL, NOP, CODEC_E_MISSING, "call" },
	{ EV(CALL_START), "call", "\"\"", NOP, CODEC_E_MISSING, "call" },
	{ EV(CALL_START), "call", "@S65", NOP, CODEC_E_TOO_LONG, "call" },
	{ EV(CALL_START), "call", "17", NOP, CODEC_E_TYPE, "call" },
	{ EV(CALL_START), "call", "null", NOP, CODEC_E_TYPE, "call" },
	{ EV(CALL_START), "agent_name", "@S129", NOP, CODEC_E_TOO_LONG, "agent_name" },
	{ EV(UTTERANCE), "text", "@S4097", NOP, CODEC_E_TOO_LONG, "text" },
	{ EV(UTTERANCE), "text", "\"a\\u0000b\"", NOP, CODEC_E_NUL, "text" },
	{ EV(UTTERANCE), "text", "\"ab@@cd\"", PATCH("ab@@cd", "ab\xc3\x28" "cd"), CODEC_E_UTF8, "text" },
	{ EV(UTTERANCE), "text", "\"ab@@cd\"", PATCH("ab@@cd", "ab\xed\xa0\x80" "d"), CODEC_E_UTF8, "text" },
	{ EV(UTTERANCE), "text", "\"@@@@\"", PATCH("\xa4@@@@", "\xc4\x03" "abc"), CODEC_E_TYPE, "text" },
	{ EV(CALL_START), "queue", "\"bill ing\"", NOP, CODEC_E_BAD_ID, "queue" },
	{ EV(CALL_START), "queue", "\"billing.vip\"", NOP, CODEC_E_BAD_ID, "queue" },
	{ EV(CALL_START), "queue", "\"\"", NOP, CODEC_E_BAD_ID, "queue" },
	{ EV(CALL_START), "call", "\"c\\u001b[2J\"", NOP, CODEC_E_BAD_ID, "call" },
	{ EV(CALL_START), "agent", "\"a\\u0085b\"", NOP, CODEC_E_BAD_ID, "agent" },
	{ EV(CALL_START), "agent", "\"a\\u007fb\"", NOP, CODEC_E_BAD_ID, "agent" },
	{ EV(CALL_START), "queue", "@S65", NOP, CODEC_E_TOO_LONG, "queue" },
	{ MS(DECISION_SUBMIT), "text", "@S1025", NOP, CODEC_E_TOO_LONG, "text" },
	{ MS(SUGGESTION_RAISED), "tip", "@S321", NOP, CODEC_E_TOO_LONG, "tip" },
	{ MS(HEARTBEAT), "pub", "\"\"", NOP, CODEC_E_MISSING, "pub" },
	/* keys */
	{ EV(CALL_START), "c@ll", "\"x\"", PATCH("c@ll", "call"), CODEC_E_DUPLICATE, "call" },
	{ EV(CALL_START), "@@", "1", PATCH("\xa2@@", "\xcd\x00\x01"), CODEC_E_TYPE, "" },
	/* numbers */
	{ EV(UTTERANCE), "ts", "-1", NOP, CODEC_E_RANGE, "ts" },
	{ EV(UTTERANCE), "ts", "1.5", NOP, CODEC_E_TYPE, "ts" },
	{ EV(UTTERANCE), "ts", "\"now\"", NOP, CODEC_E_TYPE, "ts" },
	{ EV(UTTERANCE), "ts", "9223372036854775807",
	  PATCH("\xcf\x7f\xff\xff\xff\xff\xff\xff\xff", "\xcf\xff\xff\xff\xff\xff\xff\xff\xff"),
	  CODEC_E_RANGE, "ts" },
	{ EV(UTTERANCE), "end_ms", "100", NOP, CODEC_E_RANGE, "end_ms" },
	{ EV(UTTERANCE), "start_ms", "1099511627777", NOP, CODEC_E_RANGE, "start_ms" },
	{ EV(UTTERANCE), "final", "\"yes\"", NOP, CODEC_E_TYPE, "final" },
	{ EV(UTTERANCE), "final", NULL, NOP, CODEC_E_MISSING, "final" },
	{ EV(UTTERANCE), "voice", "\"loud\"", NOP, CODEC_E_TYPE, "voice" },
	{ EV(UTTERANCE), "voice.pitch_hz", NULL, NOP, CODEC_E_MISSING, "pitch_hz" },
	{ EV(UTTERANCE), "voice.loudness_dbfs", "5.0", NOP, CODEC_E_RANGE, "loudness_dbfs" },
	{ EV(UTTERANCE), "voice.rate_wps", "true", NOP, CODEC_E_TYPE, "rate_wps" },
	{ MS(HEARTBEAT), "seq", "-1", NOP, CODEC_E_RANGE, "seq" },
	{ MS(HEARTBEAT), "seq", NULL, NOP, CODEC_E_MISSING, "seq" },
	{ MS(CALL_UPDATE), "utterances", "4294967296", NOP, CODEC_E_RANGE, "utterances" },
	{ MS(CALL_UPDATE), "frustration", "1.5", NOP, CODEC_E_RANGE, "frustration" },
	{ MS(CALL_UPDATE), "sentiment.ewma", "-1.01", NOP, CODEC_E_RANGE, "ewma" },
	{ MS(CALL_UPDATE), "sentiment.slope", NULL, NOP, CODEC_E_MISSING, "slope" },
	{ MS(CALL_UPDATE), "flag", "4", NOP, CODEC_E_RANGE, "flag" },
	{ MS(SUGGESTION_RAISED), "severity", "0", NOP, CODEC_E_RANGE, "severity" },
	{ MS(DECISION_RECORDED), "severity", "0", NOP, CODEC_E_RANGE, "severity" },
	/* enums */
	{ EV(CALL_START), "channel", "\"fax\"", NOP, CODEC_E_ENUM, "channel" },
	{ EV(CALL_START), "channel", "\"Voice\"", NOP, CODEC_E_ENUM, "channel" },
	{ EV(UTTERANCE), "speaker", "\"robot\"", NOP, CODEC_E_ENUM, "speaker" },
	{ EV(UTTERANCE), "truth", "\"bored\"", NOP, CODEC_E_ENUM, "truth" },
	{ EV(CALL_END), "state", "\"active\"", NOP, CODEC_E_ENUM, "state" },
	{ MS(DECISION_SUBMIT), "decision", "\"approve\"", NOP, CODEC_E_ENUM, "decision" },
	{ MS(SUGGESTION_RAISED), "kind", "\"nag\"", NOP, CODEC_E_ENUM, "kind" },
	{ MS(CALL_UPDATE), "components.0.name", "\"mood\"", NOP, CODEC_E_ENUM, "name" },
	/* arrays and maps */
	{ MS(CALL_UPDATE), "components", "@R9", NOP, CODEC_E_COUNT_BOUND, "components" },
	{ MS(CALL_UPDATE), "components.1.name", "\"negativity\"", NOP, CODEC_E_DUPLICATE, "components" },
	{ MS(CALL_UPDATE), "components", "{}", NOP, CODEC_E_TYPE, "components" },
	{ MS(CALL_UPDATE), "components.0", "[1]", NOP, CODEC_E_TYPE, "components" },
	{ MS(CALL_UPDATE), "trend", "@R1025", NOP, CODEC_E_COUNT_BOUND, "trend" },
	{ MS(CALL_UPDATE), "trend.0", "[1, 0.5]", NOP, CODEC_E_TYPE, "trend" },
	{ MS(CALL_UPDATE), "trend.0", "[1, 0.5, 2.0]", NOP, CODEC_E_RANGE, "trend" },
	{ MS(SUGGESTION_RAISED), "reasons", "[]", NOP, CODEC_E_MISSING, "reasons" },
	{ MS(SUGGESTION_RAISED), "reasons", "@R9", NOP, CODEC_E_COUNT_BOUND, "reasons" },
	{ MS(SUGGESTION_RAISED), "reasons.0.signal", NULL, NOP, CODEC_E_MISSING, "signal" },
	{ MS(HEARTBEAT), "rejected", "@M33", NOP, CODEC_E_COUNT_BOUND, "rejected" },
	{ MS(HEARTBEAT), "rejected", "{\"x\": -1}", NOP, CODEC_E_RANGE, "rejected" },
	/* rules across fields */
	{ MS(DECISION_RECORDED), "severity", NULL, NOP, CODEC_E_MISSING, "severity" },
	{ MS(DECISION_SUBMIT), "until", NULL, NOP, CODEC_E_MISSING, "until" },
	{ MS(DECISION_SUBMIT), "req", NULL, NOP, CODEC_E_MISSING, "req" },
	{ MS(DECISION_ACK), "ok", "false", NOP, CODEC_OK, NULL },
	{ MS(DECISION_ACK), "req", NULL, NOP, CODEC_E_MISSING, "req" },
	{ MS(ERROR), "code", NULL, NOP, CODEC_E_MISSING, "code" },
	{ MS(SNAPSHOT_REQUEST), "queue", "\"a.b\"", NOP, CODEC_E_BAD_ID, "queue" },
	/* detail request and reply */
	{ MS(DETAIL_REQUEST), "call", NULL, NOP, CODEC_E_MISSING, "call" },
	{ MS(DETAIL_REQUEST), "call", "\"\"", NOP, CODEC_E_MISSING, "call" },
	{ MS(DETAIL_REQUEST), "call", "@S65", NOP, CODEC_E_TOO_LONG, "call" },
	{ MS(DETAIL_REQUEST), "req", NULL, NOP, CODEC_E_MISSING, "req" },
	{ MS(CALL_DETAIL), "policy", NULL, NOP, CODEC_E_MISSING, "policy" },
	{ MS(CALL_DETAIL), "req", NULL, NOP, CODEC_E_MISSING, "req" },
	{ MS(CALL_DETAIL), "thresholds", NULL, NOP, CODEC_E_MISSING, "thresholds" },
	{ MS(CALL_DETAIL), "thresholds", "[]", NOP, CODEC_OK, NULL },
	{ MS(CALL_DETAIL), "thresholds", "@R33", NOP, CODEC_E_COUNT_BOUND, "thresholds" },
	{ MS(CALL_DETAIL), "thresholds.0.signal", NULL, NOP, CODEC_E_MISSING, "signal" },
	{ MS(CALL_DETAIL), "thresholds.0.value", "\"x\"", NOP, CODEC_E_TYPE, "value" },
	{ MS(CALL_DETAIL), "thresholds.0.value", "1e13", NOP, CODEC_E_RANGE, "value" },
	{ MS(CALL_DETAIL), "thresholds.0.window_ms", "-1", NOP, CODEC_E_RANGE, "window_ms" },
	{ MS(CALL_DETAIL), "thresholds.0.window_ms", "1.5", NOP, CODEC_E_TYPE, "window_ms" },
	{ MS(CALL_DETAIL), "utterances", NULL, NOP, CODEC_E_MISSING, "utterances" },
	{ MS(CALL_DETAIL), "utterances", "[]", NOP, CODEC_OK, NULL },
	{ MS(CALL_DETAIL), "utterances", "@R9", NOP, CODEC_E_COUNT_BOUND, "utterances" },
	{ MS(CALL_DETAIL), "utterances.0.compound", "1.5", NOP, CODEC_E_RANGE, "compound" },
	{ MS(CALL_DETAIL), "utterances.0.t", "1099511627777", NOP, CODEC_E_RANGE, "t" },
	{ MS(CALL_DETAIL), "utterances.0.text", "@S161", NOP, CODEC_E_TOO_LONG, "text" },
	{ MS(CALL_DETAIL), "utterances.0.text", "\"a\\u0000b\"", NOP, CODEC_E_NUL, "text" },
	{ MS(CALL_DETAIL), "utterances.0.text", NULL, NOP, CODEC_E_MISSING, "text" },
	{ MS(CALL_DETAIL), "utterances.0", "\"x\"", NOP, CODEC_E_TYPE, "utterances" },
};

static json_t *
sample_json(const struct mutation *m)
{
	struct codec_buf b = { 0 };
	json_error_t je;
	json_t *j;

	if (m->is_msg) {
		sample_msg((enum proto_msg_type)m->type, &msg_a);
		ck_assert_int_eq(jsonio_encode_msg(&msg_a, &b), CODEC_OK);
	} else {
		sample_event((enum proto_event_type)m->type, &ev_a);
		ck_assert_int_eq(jsonio_encode_event(&ev_a, &b), CODEC_OK);
	}
	j = json_loadb(b.data, b.len, 0, &je);
	ck_assert_ptr_nonnull(j);
	codec_buf_free(&b);
	return j;
}

static json_t *
special_value(const char *v, json_t *old)
{
	long n = strtol(v + 2, NULL, 10), i;
	json_t *out;
	char *s;

	if (v[1] == 'S') {
		s = malloc((size_t)n + 1);
		memset(s, 'a', (size_t)n);
		s[n] = '\0';
		out = json_string(s);
		free(s);
		return out;
	}
	if (v[1] == 'R') {
		ck_assert(json_is_array(old) && json_array_size(old) > 0);
		out = json_array();
		for (i = 0; i < n; i++)
			json_array_append(out, json_array_get(old, 0));
		return out;
	}
	out = json_object();
	for (i = 0; i < n; i++) {
		char k[24];
		snprintf(k, sizeof k, "r%ld", i);
		json_object_set_new(out, k, json_integer(i));
	}
	return out;
}

/* Apply m to root: walk the dot path and set or delete the last part. */
static void
mutate(json_t *root, const struct mutation *m)
{
	char path[64], *part, *next, *save = NULL;
	json_t *parent = root, *old, *val = NULL;
	json_error_t je;

	snprintf(path, sizeof path, "%s", m->path);
	part = strtok_r(path, ".", &save);
	while ((next = strtok_r(NULL, ".", &save)) != NULL) {
		parent = json_is_array(parent) ? json_array_get(parent, (size_t)atoi(part))
					       : json_object_get(parent, part);
		ck_assert_ptr_nonnull(parent);
		part = next;
	}
	old = json_is_array(parent) ? json_array_get(parent, (size_t)atoi(part))
				    : json_object_get(parent, part);
	if (m->value && m->value[0] == '@')
		val = special_value(m->value, old);
	else if (m->value)
		val = json_loads(m->value, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	ck_assert(m->value == NULL || val != NULL);
	if (json_is_array(parent))
		json_array_set_new(parent, (size_t)atoi(part), val);
	else if (val)
		json_object_set_new(parent, part, val);
	else
		json_object_del(parent, part);
}

static void
patch(struct codec_buf *b, const struct mutation *m)
{
	size_t i;

	for (i = 0; m->plen && i + m->plen <= b->len; i++)
		if (memcmp(b->data + i, m->from, m->plen) == 0) {
			memcpy(b->data + i, m->to, m->plen);
			return;
		}
	ck_abort_msg("patch pattern not found");
}

static void
expect(const struct mutation *m, enum codec_err e, const struct codec_diag *d, const char *form)
{
	ck_assert_msg(e == m->want, "%s %s: %s=%s gave %s (field %s), want %s", form,
		      m->is_msg ? proto_msg_type_name((enum proto_msg_type)m->type)
				: proto_event_type_name((enum proto_event_type)m->type),
		      m->path, m->value ? m->value : "(deleted)", codec_err_name(e),
		      e ? d->field : "-", codec_err_name(m->want));
	if (m->want != CODEC_OK && m->field)
		ck_assert_str_eq(d->field, m->field);
}

START_TEST(field_mutations)
{
	const struct mutation *m = &mutations[_i];
	struct codec_buf mp = { 0 };
	struct codec_diag d = { "", 0 };
	json_t *root = sample_json(m);
	char *text;
	enum codec_err e;

	mutate(root, m);
	text = json_dumps(root, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(root);
	ck_assert_ptr_nonnull(text);
	e = jsonio_to_msgpack(text, strlen(text), &mp, &d);
	if (e == CODEC_OK) {
		if (m->plen)
			patch(&mp, m);
		e = m->is_msg ? codec_decode_msg(mp.data, mp.len, &msg_b, &d)
			      : codec_decode_event(mp.data, mp.len, &ev_b, &d);
	}
	expect(m, e, &d, "msgpack");
	/* The JSON form of an ingest event gives the same verdict (patches are
	 * MessagePack-only). */
	if (!m->is_msg && m->plen == 0) {
		e = jsonio_decode_event(text, strlen(text), &ev_b, &d);
		expect(m, e, &d, "json");
	}
	free(text);
	codec_buf_free(&mp);
}
END_TEST

/* ---- encoder refuses what the decoder would refuse ---- */

START_TEST(encoder_checks)
{
	struct codec_buf b = { 0 };
	struct codec_diag d;

	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_OK);
	ck_assert_uint_gt(b.len, 0);
	ev_a.u.utt.text_len = UT_TEXT_MAX + 1;
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_TOO_LONG);
	ck_assert_uint_eq(b.len, 0);   /* a failed encode leaves the buffer empty */
	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ev_a.u.utt.text[3] = '\0';
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_NUL);
	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ev_a.u.utt.text[0] = (char)0xff;
	ck_assert_int_eq(codec_check_event(&ev_a, &d), CODEC_E_UTF8);
	ck_assert_str_eq(d.field, "text");
	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ev_a.u.utt.text_len = 0;
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_INVALID);
	sample_event(PROTO_EV_CALL_START, &ev_a);
	memset(ev_a.call, 'x', sizeof ev_a.call);   /* no NUL inside the array */
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_TOO_LONG);
	sample_event(PROTO_EV_CALL_START, &ev_a);
	ev_a.u.start.channel = UT_CH__COUNT;
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_ENUM);
	sample_event(PROTO_EV_UTTERANCE, &ev_a);
	ev_a.u.utt.voice.pitch_hz = 0.0 / 0.0;
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_RANGE);
	ev_a.type = PROTO_EV__COUNT;
	ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_E_UNKNOWN_TYPE);
	sample_msg(PROTO_MSG_CALL_UPDATE, &msg_a);
	msg_a.u.upd.n_trend = UT_TREND_MAX + 1;
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_E_COUNT_BOUND);
	sample_msg(PROTO_MSG_HEARTBEAT, &msg_a);
	msg_a.h.v = 2;
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_E_VERSION);
	sample_msg(PROTO_MSG_HEARTBEAT, &msg_a);
	snprintf(msg_a.u.hb.rejected[1].reason, UT_ID_MAX + 1, "bad_utf8");
	ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_E_DUPLICATE);
	ck_assert_uint_eq(b.len, 0);
	codec_buf_free(&b);
}
END_TEST

START_TEST(error_names)
{
	int i, j;

	for (i = 0; i < CODEC_E__COUNT; i++) {
		ck_assert_str_ne(codec_err_name((enum codec_err)i), "unknown");
		ck_assert_str_ne(codec_strerror((enum codec_err)i), "unknown error");
		for (j = 0; j < i; j++)
			ck_assert_str_ne(codec_err_name((enum codec_err)i),
					 codec_err_name((enum codec_err)j));
	}
	ck_assert_str_eq(codec_err_name(CODEC_E__COUNT), "unknown");
}
END_TEST

START_TEST(topics)
{
	char t[PROTO_TOPIC_MAX + 1];

	sample_msg(PROTO_MSG_CALL_UPDATE, &msg_a);
	ck_assert_int_eq(proto_topic(&msg_a, t, sizeof t), 12);
	ck_assert_str_eq(t, "upd.billing.");
	sample_msg(PROTO_MSG_SUGGESTION_CLEARED, &msg_a);
	proto_topic(&msg_a, t, sizeof t);
	ck_assert_str_eq(t, "sug.billing.");
	sample_msg(PROTO_MSG_DECISION_RECORDED, &msg_a);
	proto_topic(&msg_a, t, sizeof t);
	ck_assert_str_eq(t, "dec.billing.");
	sample_msg(PROTO_MSG_HEARTBEAT, &msg_a);
	ck_assert_int_eq(proto_topic(&msg_a, t, sizeof t), 3);
	ck_assert_str_eq(t, "hb.");
	sample_msg(PROTO_MSG_DECISION_ACK, &msg_a);
	ck_assert_int_eq(proto_topic(&msg_a, t, sizeof t), -1);
	ck_assert_int_eq(proto_topic_prefix(PROTO_MSG_SUGGESTION_RAISED, "retention", t, sizeof t), 14);
	ck_assert_str_eq(t, "sug.retention.");
	ck_assert_int_eq(proto_topic_prefix(PROTO_MSG_CALL_UPDATE, NULL, t, sizeof t), 4);
	ck_assert_str_eq(t, "upd.");
	ck_assert_int_eq(proto_topic_prefix(PROTO_MSG_CALL_UPDATE, "a.b", t, sizeof t), -1);
	ck_assert_int_eq(proto_topic_prefix(PROTO_MSG_HEARTBEAT, "billing", t, sizeof t), -1);
	ck_assert_int_eq(proto_topic_prefix(PROTO_MSG_CALL_UPDATE, "billing", t, 12), -1);
	memset(t, 'q', UT_ID_MAX);
	t[UT_ID_MAX] = '\0';
	sample_msg(PROTO_MSG_CALL_UPDATE, &msg_a);
	memcpy(msg_a.u.upd.queue, t, UT_ID_MAX + 1);
	ck_assert_int_eq(proto_topic(&msg_a, t, sizeof t), PROTO_TOPIC_MAX);
}
END_TEST

/* ---- the example corpus in tests/data/protocol ---- */

#define DATA_DIR UT_SRCDIR "/tests/data/protocol"

static size_t
read_file(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n;
}

/* good/<type>.mp: the encoder's bytes for each example, decoding to it. */
START_TEST(corpus_good)
{
	static char buf[PROTO_MSG_MAX];
	struct codec_buf b = { 0 };
	char path[512];
	size_t n;
	int t;

	for (t = 0; t < PROTO_EV__COUNT + PROTO_MSG__COUNT; t++) {
		int is_ev = t < PROTO_EV__COUNT, k = is_ev ? t : t - PROTO_EV__COUNT;
		const char *name = is_ev ? proto_event_type_name((enum proto_event_type)k)
					 : proto_msg_type_name((enum proto_msg_type)k);
		snprintf(path, sizeof path, "%s/good/%s.mp", DATA_DIR, name);
		n = read_file(path, buf, sizeof buf);
		if (is_ev) {
			sample_event((enum proto_event_type)k, &ev_a);
			ck_assert_int_eq(codec_decode_event(buf, n, &ev_b, NULL), CODEC_OK);
			ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
			ck_assert_int_eq(codec_encode_event(&ev_a, &b), CODEC_OK);
		} else {
			sample_msg((enum proto_msg_type)k, &msg_a);
			ck_assert_int_eq(codec_decode_msg(buf, n, &msg_b, NULL), CODEC_OK);
			ck_assert_mem_eq(&msg_a, &msg_b, sizeof msg_a);
			ck_assert_int_eq(codec_encode_msg(&msg_a, &b), CODEC_OK);
		}
		ck_assert_msg(b.len == n && memcmp(b.data, buf, n) == 0, "%s differs", path);
	}
	codec_buf_free(&b);
}
END_TEST

/* bad/<error>-<key>-<what>.mp: hostile ingest bodies and their verdicts. */
static void
check_bad_file(const char *file)
{
	static char buf[PROTO_MSG_MAX];
	char path[512], want[64], field[64];
	const char *dash1 = strchr(file, '-'), *dash2;
	struct codec_diag d = { "", 0 };
	enum codec_err e;
	size_t n;

	ck_assert_ptr_nonnull(dash1);
	dash2 = strchr(dash1 + 1, '-');
	ck_assert_ptr_nonnull(dash2);
	snprintf(want, sizeof want, "%.*s", (int)(dash1 - file), file);
	snprintf(field, sizeof field, "%.*s", (int)(dash2 - dash1 - 1), dash1 + 1);
	snprintf(path, sizeof path, "%s/bad/%s", DATA_DIR, file);
	n = read_file(path, buf, sizeof buf);
	e = codec_decode_event(buf, n, &ev_b, &d);
	ck_assert_msg(strcmp(codec_err_name(e), want) == 0, "%s gave %s", file, codec_err_name(e));
	if (field[0])
		ck_assert_msg(strcmp(d.field, field) == 0, "%s: field %s", file, d.field);
}

START_TEST(corpus_bad)
{
	DIR *dir = opendir(DATA_DIR "/bad");
	struct dirent *de;
	int count = 0;

	ck_assert_ptr_nonnull(dir);
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len < 4 || strcmp(de->d_name + len - 3, ".mp") != 0)
			continue;
		check_bad_file(de->d_name);
		count++;
	}
	closedir(dir);
	ck_assert_int_ge(count, 20);
}
END_TEST

static Suite *
codec_suite(void)
{
	Suite *s = suite_create("codec");
	TCase *tc = tcase_create("codec");

	tcase_add_loop_test(tc, event_round_trip, 0, PROTO_EV__COUNT);
	tcase_add_loop_test(tc, msg_round_trip, 0, PROTO_MSG__COUNT);
	tcase_add_test(tc, msg_full_trend);
	tcase_add_loop_test(tc, event_truncated_everywhere, 0, PROTO_EV__COUNT);
	tcase_add_loop_test(tc, msg_truncated_everywhere, 0, PROTO_MSG__COUNT);
	tcase_add_test(tc, trailing_bytes);
	tcase_add_loop_test(tc, raw_structure, 0, (int)(sizeof raw_cases / sizeof raw_cases[0]));
	tcase_add_test(tc, too_big_and_too_many_keys);
	tcase_add_test(tc, null_arguments);
	tcase_add_loop_test(tc, field_mutations, 0, (int)(sizeof mutations / sizeof mutations[0]));
	tcase_add_test(tc, encoder_checks);
	tcase_add_test(tc, error_names);
	tcase_add_test(tc, topics);
	tcase_add_test(tc, corpus_good);
	tcase_add_test(tc, corpus_bad);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(codec_suite());
}
