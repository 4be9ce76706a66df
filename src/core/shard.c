/* shard: stable call-id hashing (see shard.h). */
#include "undertone/shard.h"

#include <string.h>

uint64_t
shard_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a 64 offset basis */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;            /* FNV 64 prime */
	}
	return h;
}

unsigned
shard_of(const char *call, unsigned count)
{
	if (count <= 1)
		return 0;
	return (unsigned)(shard_hash(call, strlen(call)) % count);
}

/* Digits only, no sign, no leading '+', at most 4 digits. */
static int
parse_small(const char *s, size_t len, unsigned *out)
{
	unsigned v = 0;
	size_t i;

	if (len == 0 || len > 4)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
shard_parse(const char *text, struct shard_spec *out)
{
	const char *slash = strchr(text, '/');
	struct shard_spec s;

	if (slash == NULL || parse_small(text, (size_t)(slash - text), &s.index) != 0 ||
	    parse_small(slash + 1, strlen(slash + 1), &s.count) != 0)
		return -1;
	if (s.count < 1 || s.count > SHARD_MAX || s.index >= s.count)
		return -1;
	*out = s;
	return 0;
}
