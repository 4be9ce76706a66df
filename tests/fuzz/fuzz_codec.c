/*
 * libFuzzer target: the MessagePack codec, every message type. The bytes are
 * decoded both as an ingest event and as a feed message/request/reply; what
 * decodes must re-encode, and the re-encoding must decode again to the same
 * bytes on a second round (encode(decode(x)) is a fixed point).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "undertone/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct codec_buf b1, b2;

static void
round_event(const uint8_t *data, size_t size)
{
	static struct proto_event ev, ev2;
	struct codec_diag d;

	if (codec_decode_event(data, size, &ev, &d) != CODEC_OK) {
		if (d.offset > size)
			abort();
		return;
	}
	if (codec_check_event(&ev, NULL) != CODEC_OK ||
	    codec_encode_event(&ev, &b1) != CODEC_OK ||
	    codec_decode_event(b1.data, b1.len, &ev2, NULL) != CODEC_OK ||
	    codec_encode_event(&ev2, &b2) != CODEC_OK ||
	    b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
		abort();
}

static void
round_msg(const uint8_t *data, size_t size)
{
	static struct proto_msg m, m2;
	struct codec_diag d;

	if (codec_decode_msg(data, size, &m, &d) != CODEC_OK) {
		if (d.offset > size)
			abort();
		return;
	}
	if (m.type >= PROTO_MSG__COUNT || codec_check_msg(&m, NULL) != CODEC_OK ||
	    codec_encode_msg(&m, &b1) != CODEC_OK ||
	    codec_decode_msg(b1.data, b1.len, &m2, NULL) != CODEC_OK ||
	    m2.type != m.type || codec_encode_msg(&m2, &b2) != CODEC_OK ||
	    b1.len != b2.len || memcmp(b1.data, b2.data, b1.len) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	round_event(data, size);
	round_msg(data, size);
	return 0;
}
