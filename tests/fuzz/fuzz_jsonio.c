/*
 * libFuzzer target: the JSON/NDJSON ingest parser. The bytes go to
 * jsonio_decode_frame (JSON or MessagePack by first byte), to
 * jsonio_to_msgpack, and through the NDJSON reader over a memory stream.
 * What decodes must encode to JSON and MessagePack, and both encodings must
 * decode to the same event (compared by re-encoding).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/jsonio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct codec_buf js, mp, mp2;

static void
check_event(const struct proto_event *ev)
{
	static struct proto_event ev2;

	if (jsonio_encode_event(ev, &js) != CODEC_OK || codec_encode_event(ev, &mp) != CODEC_OK)
		abort();
	if (js.len == 0 || js.data[js.len - 1] != '\n' || memchr(js.data, '\n', js.len - 1))
		abort();
	if (jsonio_decode_event(js.data, js.len, &ev2, NULL) != CODEC_OK ||
	    codec_encode_event(&ev2, &mp2) != CODEC_OK ||
	    mp.len != mp2.len || memcmp(mp.data, mp2.data, mp.len) != 0)
		abort();
}

static void
read_ndjson(const uint8_t *data, size_t size)
{
	static struct proto_event ev;
	struct jsonio_reader r;
	unsigned long last = 0;
	enum codec_err err;
	FILE *fp;
	int n, rounds = 0;

	if (size == 0)
		return;
	fp = fmemopen((void *)data, size, "r");
	if (!fp)
		return;
	if (jsonio_reader_init(&r, fp) == CODEC_OK) {
		while ((n = jsonio_next(&r, &ev, &err, NULL)) != 0) {
			if (r.lineno <= last || ++rounds > 100000)
				abort();   /* no progress: the reader would hang */
			last = r.lineno;
			if (n == 1)
				check_event(&ev);
		}
	}
	jsonio_reader_free(&r);
	fclose(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_event ev;

	if (jsonio_decode_frame(data, size, &ev, NULL) == CODEC_OK)
		check_event(&ev);
	(void)jsonio_to_msgpack((const char *)data, size, &mp2, NULL);
	read_ndjson(data, size);
	return 0;
}
