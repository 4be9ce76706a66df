/*
 * codec_walk: structural pre-check of untrusted MessagePack (see
 * codec_internal.h). msgpack-c 4 allocates what a header declares before it
 * has seen the elements, so a 5-byte "array of 4 billion" would cost
 * gigabytes; here every declared size is compared with what is left first.
 */
#include <stdint.h>

#include "codec_internal.h"

struct walk {
	const unsigned char *p;
	size_t len;
	size_t pos;
	struct codec_diag *diag;
};

static enum codec_err
walk_fail(struct walk *w, enum codec_err e)
{
	if (w->diag) {
		w->diag->field = "";
		w->diag->offset = w->pos;
	}
	return e;
}

/* Read an n-byte big-endian unsigned integer at the cursor. */
static enum codec_err
walk_uint(struct walk *w, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (w->len - w->pos < n)
		return walk_fail(w, CODEC_E_TRUNCATED);
	for (i = 0; i < n; i++)
		v = (v << 8) | w->p[w->pos + i];
	w->pos += n;
	*out = v;
	return CODEC_OK;
}

/* Skip n bytes of payload (string, binary, number or extension data). */
static enum codec_err
walk_skip(struct walk *w, uint64_t n)
{
	if (n > w->len - w->pos)
		return walk_fail(w, CODEC_E_TRUNCATED);
	w->pos += (size_t)n;
	return CODEC_OK;
}

static enum codec_err walk_value(struct walk *w, int depth);

/* An array of n values or a map of n pairs (elems = n or 2n). */
static enum codec_err
walk_container(struct walk *w, uint64_t n, int is_map, int depth)
{
	uint64_t left = w->len - w->pos, i;
	enum codec_err e;

	if (depth + 1 > PROTO_DEPTH_MAX)
		return walk_fail(w, CODEC_E_DEPTH);
	/* Each element takes at least one byte. */
	if (n > left || (is_map && n > left / 2))
		return walk_fail(w, CODEC_E_COUNT_EXCEEDS);
	if (is_map && n > PROTO_KEYS_MAX)
		return walk_fail(w, CODEC_E_COUNT_BOUND);
	for (i = 0; i < (is_map ? 2 * n : n); i++)
		if ((e = walk_value(w, depth + 1)) != CODEC_OK)
			return e;
	return CODEC_OK;
}

/* Payload size of the fixed-width formats 0xc0..0xdf, or -1 if variable. */
static int
fixed_size(unsigned char b)
{
	switch (b) {
	case 0xc0: case 0xc2: case 0xc3: return 0;
	case 0xca: return 4;
	case 0xcb: return 8;
	case 0xcc: case 0xd0: return 1;
	case 0xcd: case 0xd1: return 2;
	case 0xce: case 0xd2: return 4;
	case 0xcf: case 0xd3: return 8;
	case 0xd4: return 2;
	case 0xd5: return 3;
	case 0xd6: return 5;
	case 0xd7: return 9;
	case 0xd8: return 17;
	default: return -1;
	}
}

/* Formats with a length prefix: str, bin, ext (ext adds a type byte). */
static enum codec_err
walk_sized(struct walk *w, unsigned char b)
{
	static const unsigned char width[] = {
		/* c4..c9 */ 1, 2, 4, 1, 2, 4,
	};
	uint64_t n;
	enum codec_err e;
	size_t wd;

	if (b >= 0xc4 && b <= 0xc9)
		wd = width[b - 0xc4];
	else /* d9..db */
		wd = (size_t)1 << (b - 0xd9);
	if ((e = walk_uint(w, wd, &n)) != CODEC_OK)
		return e;
	if (b >= 0xc7 && b <= 0xc9)
		n += 1;
	return walk_skip(w, n);
}

static enum codec_err
walk_value(struct walk *w, int depth)
{
	unsigned char b;
	uint64_t n;
	enum codec_err e;
	int fs;

	if (w->pos >= w->len)
		return walk_fail(w, CODEC_E_TRUNCATED);
	b = w->p[w->pos++];
	if (b <= 0x7f || b >= 0xe0)
		return CODEC_OK;
	if (b <= 0x8f)
		return walk_container(w, b & 0x0f, 1, depth);
	if (b <= 0x9f)
		return walk_container(w, b & 0x0f, 0, depth);
	if (b <= 0xbf)
		return walk_skip(w, b & 0x1f);
	if (b == 0xc1) {
		w->pos--;
		return walk_fail(w, CODEC_E_TYPE);
	}
	if ((fs = fixed_size(b)) >= 0)
		return walk_skip(w, (uint64_t)fs);
	if ((b >= 0xc4 && b <= 0xc9) || (b >= 0xd9 && b <= 0xdb))
		return walk_sized(w, b);
	/* dc, dd arrays; de, df maps */
	if ((e = walk_uint(w, (b & 1) ? 4 : 2, &n)) != CODEC_OK)
		return e;
	return walk_container(w, n, b >= 0xde, depth);
}

static int
is_map_head(unsigned char b)
{
	return (b >= 0x80 && b <= 0x8f) || b == 0xde || b == 0xdf;
}

enum codec_err
codec_walk(const void *data, size_t len, struct codec_diag *diag)
{
	struct walk w = { data, len, 0, diag };
	enum codec_err e;

	if (data == NULL && len > 0)
		return walk_fail(&w, CODEC_E_INVALID);
	if (len > PROTO_MSG_MAX)
		return walk_fail(&w, CODEC_E_TOO_BIG);
	if (len == 0)
		return walk_fail(&w, CODEC_E_TRUNCATED);
	if (!is_map_head(w.p[0]))
		return walk_fail(&w, CODEC_E_TYPE);
	if ((e = walk_value(&w, 0)) != CODEC_OK)
		return e;
	if (w.pos != len)
		return walk_fail(&w, CODEC_E_TRAILING);
	return CODEC_OK;
}
