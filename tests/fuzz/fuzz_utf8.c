/* Fuzz target: utf8 validation, decoding and clipping agree with each other. */
#include <stdint.h>
#include <stdlib.h>
#include "undertone/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t off = 0, used, clip;
	int all_valid = 1;

	while (off < size) {
		if (utf8_decode(s + off, size - off, &used) == UTF8_INVALID)
			all_valid = 0;
		if (used == 0 || off + used > size)
			abort();
		off += used;
	}
	if (all_valid != (int)utf8_valid(s, size))
		abort();
	clip = utf8_clip(s, size, size / 2);
	if (clip > size / 2)
		abort();
	if (all_valid && !utf8_valid(s, clip))
		abort();
	return 0;
}
