/*
 * Unit tests for jsonio: JSON round trips, JSON-level errors mapped to the
 * codec's error codes, ingest frame detection and the NDJSON reader
 * (blank and comment lines, CRLF, over-long lines, bad lines in between).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/jsonio.h"
#include "test_codec_samples.h"
#include "ut_check.h"

static struct proto_event ev_a, ev_b;
static struct proto_msg msg_a, msg_b;

START_TEST(event_json_round_trip)
{
	struct codec_buf j = { 0 }, j2 = { 0 };

	sample_event((enum proto_event_type)_i, &ev_a);
	ck_assert_int_eq(jsonio_encode_event(&ev_a, &j), CODEC_OK);
	ck_assert_uint_gt(j.len, 2);
	ck_assert_int_eq(j.data[j.len - 1], '\n');
	ck_assert_ptr_null(memchr(j.data, '\n', j.len - 1));
	ck_assert_int_eq(jsonio_decode_event(j.data, j.len, &ev_b, NULL), CODEC_OK);
	ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	ck_assert_int_eq(jsonio_decode_frame(j.data, j.len, &ev_b, NULL), CODEC_OK);
	ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	ck_assert_int_eq(jsonio_encode_event(&ev_b, &j2), CODEC_OK);
	ck_assert_uint_eq(j.len, j2.len);
	ck_assert_mem_eq(j.data, j2.data, j.len);
	codec_buf_free(&j);
	codec_buf_free(&j2);
}
END_TEST

START_TEST(msg_json_round_trip)
{
	struct codec_buf j = { 0 }, mp = { 0 };

	sample_msg((enum proto_msg_type)_i, &msg_a);
	ck_assert_int_eq(jsonio_encode_msg(&msg_a, &j), CODEC_OK);
	ck_assert_int_eq(jsonio_to_msgpack(j.data, j.len, &mp, NULL), CODEC_OK);
	ck_assert_int_eq(codec_decode_msg(mp.data, mp.len, &msg_b, NULL), CODEC_OK);
	ck_assert_mem_eq(&msg_a, &msg_b, sizeof msg_a);
	codec_buf_free(&j);
	codec_buf_free(&mp);
}
END_TEST

START_TEST(frame_detection)
{
	struct codec_buf mp = { 0 };
	static const char js[] = "  \n{\"type\":\"hold\",\"call\":\"c1\",\"ts\":5,\"on\":false}";

	sample_event(PROTO_EV_HOLD, &ev_a);
	ck_assert_int_eq(codec_encode_event(&ev_a, &mp), CODEC_OK);
	ck_assert_int_eq(jsonio_decode_frame(mp.data, mp.len, &ev_b, NULL), CODEC_OK);
	ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	ck_assert_int_eq(jsonio_decode_frame(js, sizeof js - 1, &ev_b, NULL), CODEC_OK);
	ck_assert_int_eq(ev_b.type, PROTO_EV_HOLD);
	ck_assert_str_eq(ev_b.call, "c1");
	ck_assert_int_eq(ev_b.ts_ms, 5);
	ck_assert(!ev_b.u.hold.on);
	ck_assert_int_eq(jsonio_decode_frame("", 0, &ev_b, NULL), CODEC_E_TRUNCATED);
	ck_assert_int_eq(jsonio_decode_frame("  ", 2, &ev_b, NULL), CODEC_E_TYPE);
	codec_buf_free(&mp);
}
END_TEST

static const struct {
	const char *json;
	enum codec_err want;
} json_cases[] = {
	{ "", CODEC_E_TRUNCATED },
	{ "{\"type\":\"hold\",", CODEC_E_TRUNCATED },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":true} x", CODEC_E_TRAILING },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":true}{}", CODEC_E_TRAILING },
	{ "[1,2]", CODEC_E_TYPE },
	{ "\"hold\"", CODEC_E_TYPE },
	{ "{type: hold}", CODEC_E_SYNTAX },
	{ "{\"type\":\"hold\",\"call\":\"c\xff\",\"ts\":1,\"on\":true}", CODEC_E_UTF8 },
	{ "{\"type\":\"hold\",\"call\":\"c\\ud800\",\"ts\":1,\"on\":true}", CODEC_E_SYNTAX },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"ts\":2,\"on\":true}", CODEC_E_DUPLICATE },
	{ "{\"type\":\"hold\",\"ca\\u0000ll\":\"c\",\"ts\":1,\"on\":true}", CODEC_E_NUL },
	{ "{\"type\":\"hold\",\"call\":\"c\\u0000\",\"ts\":1,\"on\":true}", CODEC_E_NUL },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":99999999999999999999,\"on\":true}", CODEC_E_RANGE },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1.0,\"on\":true}", CODEC_E_TYPE },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":1}", CODEC_E_TYPE },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":true,\"x\":[[[[[[[[1]]]]]]]]}", CODEC_E_DEPTH },
	{ "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":true,\"x\":[[[[[[[1]]]]]]]}", CODEC_OK },
	{ "{\"v\":2,\"type\":\"hold\"}", CODEC_E_VERSION },
	{ "{\"type\":\"hangup\",\"call\":\"c\",\"ts\":1}", CODEC_E_UNKNOWN_TYPE },
};

START_TEST(json_errors)
{
	const char *j = json_cases[_i].json;
	struct codec_diag d = { "", 0 };
	enum codec_err e = jsonio_decode_event(j, strlen(j), &ev_b, &d);

	ck_assert_msg(e == json_cases[_i].want, "case %d (%s) gave %s", _i, j, codec_err_name(e));
}
END_TEST

START_TEST(json_deep_and_big)
{
	size_t n = 5000, i;
	char *s = malloc(2 * n + 7);

	/* Far deeper than anything: jansson's own limit answers, no stack blow-up. */
	memcpy(s, "{\"x\":", 5);
	for (i = 0; i < n; i++) {
		s[5 + i] = '[';
		s[5 + n + i] = ']';
	}
	s[2 * n + 5] = '}';
	s[2 * n + 6] = '\0';
	ck_assert_int_eq(jsonio_decode_event(s, strlen(s), &ev_b, NULL), CODEC_E_DEPTH);
	s[5] = '{';
	ck_assert_int_eq(jsonio_decode_event(s, strlen(s), &ev_b, NULL), CODEC_E_SYNTAX);
	free(s);
	s = malloc(JSONIO_LINE_MAX + 2);
	memset(s, ' ', JSONIO_LINE_MAX + 1);
	s[0] = '{';
	s[JSONIO_LINE_MAX] = '}';
	ck_assert_int_eq(jsonio_decode_event(s, JSONIO_LINE_MAX + 1, &ev_b, NULL), CODEC_E_TOO_BIG);
	ck_assert_int_eq(jsonio_decode_event(s, JSONIO_LINE_MAX, &ev_b, NULL), CODEC_E_TRUNCATED);
	free(s);
}
END_TEST

static FILE *
tmp_with(const char *a, size_t alen, const char *b)
{
	FILE *fp = tmpfile();

	ck_assert_ptr_nonnull(fp);
	fwrite(a, 1, alen, fp);
	fputs(b, fp);
	rewind(fp);
	return fp;
}

START_TEST(ndjson_reader)
{
	static const char head[] =
		"# transcript\n"
		"\n"
		"{\"type\":\"call_start\",\"call\":\"c1\",\"ts\":1,\"agent\":\"a\",\"queue\":\"q\",\"channel\":\"chat\"}\r\n"
		"   \t\n"
		"{\"type\":\"call_start\",\"call\":\"\",\"ts\":1,\"agent\":\"a\",\"queue\":\"q\",\"channel\":\"chat\"}\n";
	static const char tail[] =
		"\n{\"type\":\"hold\",\"call\":\"c1\",\"ts\":2,\"on\":true}\n"
		"not json\n"
		"{\"type\":\"call_end\",\"call\":\"c1\",\"ts\":3}";
	size_t big = JSONIO_LINE_MAX + 10;
	char *buf = malloc(sizeof head + big);
	struct jsonio_reader r;
	struct codec_diag d;
	enum codec_err err = CODEC_OK;
	FILE *fp;

	memcpy(buf, head, sizeof head - 1);
	memset(buf + sizeof head - 1, 'x', big);
	fp = tmp_with(buf, sizeof head - 1 + big, tail);
	free(buf);
	ck_assert_int_eq(jsonio_reader_init(&r, fp), CODEC_OK);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), 1);
	ck_assert_uint_eq(r.lineno, 3);
	ck_assert_str_eq(ev_b.u.start.queue, "q");
	ck_assert_int_eq(ev_b.u.start.channel, UT_CH_CHAT);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), -1);
	ck_assert_int_eq(err, CODEC_E_MISSING);
	ck_assert_str_eq(d.field, "call");
	ck_assert_uint_eq(r.lineno, 5);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), -1);
	ck_assert_int_eq(err, CODEC_E_LINE_TOO_LONG);
	ck_assert_uint_eq(r.lineno, 6);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), 1);
	ck_assert_int_eq(ev_b.type, PROTO_EV_HOLD);
	ck_assert_uint_eq(r.lineno, 7);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), -1);
	ck_assert_int_eq(err, CODEC_E_SYNTAX);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), 1);
	ck_assert_int_eq(ev_b.type, PROTO_EV_CALL_END);
	ck_assert_int_eq(ev_b.u.end.state, UT_CS_ENDED);
	ck_assert_uint_eq(r.lineno, 9);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), 0);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, &d), 0);
	jsonio_reader_free(&r);
	fclose(fp);
}
END_TEST

/* A line of exactly JSONIO_LINE_MAX bytes is accepted. */
START_TEST(ndjson_line_at_limit)
{
	static const char pre[] = "{\"type\":\"hold\",\"call\":\"c1\",\"ts\":2,\"on\":true,\"pad\":\"";
	size_t n = JSONIO_LINE_MAX;
	char *line = malloc(n + 1);
	struct jsonio_reader r;
	enum codec_err err;
	FILE *fp;

	memcpy(line, pre, sizeof pre - 1);
	memset(line + sizeof pre - 1, 'p', n - (sizeof pre - 1) - 2);
	memcpy(line + n - 2, "\"}", 2);
	line[n] = '\n';
	fp = tmp_with(line, n + 1, "");
	free(line);
	ck_assert_int_eq(jsonio_reader_init(&r, fp), CODEC_OK);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 1);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 0);
	jsonio_reader_free(&r);
	fclose(fp);
}
END_TEST

START_TEST(ndjson_transcript_round_trip)
{
	struct codec_buf j = { 0 };
	struct jsonio_reader r;
	enum codec_err err;
	FILE *fp = tmpfile();
	int t;

	for (t = 0; t < PROTO_EV__COUNT; t++) {
		sample_event((enum proto_event_type)t, &ev_a);
		ck_assert_int_eq(jsonio_encode_event(&ev_a, &j), CODEC_OK);
		fwrite(j.data, 1, j.len, fp);
	}
	rewind(fp);
	ck_assert_int_eq(jsonio_reader_init(&r, fp), CODEC_OK);
	for (t = 0; t < PROTO_EV__COUNT; t++) {
		sample_event((enum proto_event_type)t, &ev_a);
		ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 1);
		ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	}
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 0);
	jsonio_reader_free(&r);
	fclose(fp);
	codec_buf_free(&j);
}
END_TEST

/* The example transcript in tests/data/protocol reads back as the examples. */
START_TEST(ndjson_example_file)
{
	static const enum proto_event_type order[] = {
		PROTO_EV_CALL_START, PROTO_EV_UTTERANCE, PROTO_EV_HOLD,
		PROTO_EV_TRANSFER, PROTO_EV_CALL_END
	};
	FILE *fp = fopen(UT_SRCDIR "/tests/data/protocol/events.ndjson", "r");
	struct jsonio_reader r;
	enum codec_err err;
	size_t i;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(jsonio_reader_init(&r, fp), CODEC_OK);
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		sample_event(order[i], &ev_a);
		ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 1);
		ck_assert_mem_eq(&ev_a, &ev_b, sizeof ev_a);
	}
	ck_assert_int_eq(jsonio_next(&r, &ev_b, &err, NULL), 0);
	jsonio_reader_free(&r);
	fclose(fp);
}
END_TEST

START_TEST(reader_arguments)
{
	struct jsonio_reader r;
	FILE *fp;

	ck_assert_int_eq(jsonio_reader_init(&r, NULL), CODEC_E_INVALID);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, NULL, NULL), 0);
	jsonio_reader_free(&r);
	fp = tmp_with("bad\n", 4, "{\"type\":\"hold\",\"call\":\"c\",\"ts\":1,\"on\":true}\n");
	ck_assert_int_eq(jsonio_reader_init(&r, fp), CODEC_OK);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, NULL, NULL), -1);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, NULL, NULL), 1);
	ck_assert_int_eq(jsonio_next(&r, &ev_b, NULL, NULL), 0);
	jsonio_reader_free(&r);
	fclose(fp);
	ck_assert_int_eq(jsonio_decode_event("{}", 2, NULL, NULL), CODEC_E_INVALID);
	ck_assert_int_eq(jsonio_encode_event(NULL, NULL), CODEC_E_INVALID);
}
END_TEST

static Suite *
jsonio_suite(void)
{
	Suite *s = suite_create("jsonio");
	TCase *tc = tcase_create("jsonio");

	tcase_add_loop_test(tc, event_json_round_trip, 0, PROTO_EV__COUNT);
	tcase_add_loop_test(tc, msg_json_round_trip, 0, PROTO_MSG__COUNT);
	tcase_add_test(tc, frame_detection);
	tcase_add_loop_test(tc, json_errors, 0, (int)(sizeof json_cases / sizeof json_cases[0]));
	tcase_add_test(tc, json_deep_and_big);
	tcase_add_test(tc, ndjson_reader);
	tcase_add_test(tc, ndjson_line_at_limit);
	tcase_add_test(tc, ndjson_transcript_round_trip);
	tcase_add_test(tc, ndjson_example_file);
	tcase_add_test(tc, reader_arguments);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(jsonio_suite());
}
