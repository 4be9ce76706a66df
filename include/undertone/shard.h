/*
 * shard: which analyzer owns a call when several share one floor.
 *
 * Contract: a call belongs to shard FNV-1a-64(call id bytes) mod N. The
 * hash is stable across processes, hosts and versions (it is part of the
 * deployment contract: the feed router, undertone-proxy's decision routing
 * and undertone-analyzer --shard must agree), so it is never seeded. No I/O,
 * no allocation. N is 1..SHARD_MAX.
 */
#ifndef UNDERTONE_SHARD_H
#define UNDERTONE_SHARD_H

#include <stddef.h>
#include <stdint.h>

#define SHARD_MAX 64

struct shard_spec {
	unsigned index;   /* 0..count-1 */
	unsigned count;   /* 1 = unsharded */
};

/* FNV-1a, 64 bits, over len bytes. */
uint64_t shard_hash(const void *data, size_t len);
/* Shard of a NUL-terminated call id among count (count 0 or 1: 0). */
unsigned shard_of(const char *call, unsigned count);
/* Parse "I/N" (0 <= I < N <= SHARD_MAX, decimal, nothing else); 0 or -1. */
int shard_parse(const char *text, struct shard_spec *out);

#endif
