/* utf8: strict UTF-8 validation and decoding (see utf8.h). */
#include "undertone/utf8.h"
#include <string.h>

/* Decode per RFC 3629 table 3-7: the second-byte range depends on the lead. */
uint32_t
utf8_decode(const char *s, size_t len, size_t *used)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n, i;
	unsigned char lo = 0x80, hi = 0xBF;

	*used = 0;
	if (len == 0)
		return UTF8_INVALID;
	*used = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] < 0xC2)
		return UTF8_INVALID;
	if (p[0] < 0xE0) {
		n = 2; cp = p[0] & 0x1F;
	} else if (p[0] < 0xF0) {
		n = 3; cp = p[0] & 0x0F;
		if (p[0] == 0xE0) lo = 0xA0;
		if (p[0] == 0xED) hi = 0x9F;
	} else if (p[0] < 0xF5) {
		n = 4; cp = p[0] & 0x07;
		if (p[0] == 0xF0) lo = 0x90;
		if (p[0] == 0xF4) hi = 0x8F;
	} else
		return UTF8_INVALID;
	for (i = 1; i < n; i++) {
		if (i >= len)
			return UTF8_INVALID;
		if (p[i] < (i == 1 ? lo : 0x80) || p[i] > (i == 1 ? hi : 0xBF))
			return UTF8_INVALID;
		cp = (cp << 6) | (p[i] & 0x3F);
		*used = i + 1;
	}
	return cp;
}

bool
utf8_valid(const char *s, size_t len)
{
	size_t off = 0, used;

	while (off < len) {
		/* Fast path for ASCII runs. */
		if ((unsigned char)s[off] < 0x80) {
			off++;
			continue;
		}
		if (utf8_decode(s + off, len - off, &used) == UTF8_INVALID)
			return false;
		off += used;
	}
	return true;
}

size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t
utf8_clip(const char *s, size_t len, size_t max)
{
	size_t off = 0, used;

	if (len <= max)
		return len;
	while (off < max) {
		utf8_decode(s + off, len - off, &used);
		if (off + used > max)
			break;
		off += used;
	}
	return off;
}

size_t
utf8_copy_clip(char *dst, size_t cap, const char *src)
{
	size_t n = utf8_clip(src, strlen(src), cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}
