/*
 * dstore_canon: canonical bytes v1 of a record and the hash chain.
 *
 * Encoding (doc/decision-log.md): "UTDL" 0x01, the field count (1 byte), then
 * each of the DSTORE_NFIELDS fields in column order as a type byte followed by
 * its payload: 0 NULL (nothing), 1 INTEGER (8 bytes big-endian two's
 * complement), 2 TEXT and 3 BLOB (4-byte big-endian length, then the bytes),
 * 4 REAL (8 bytes big-endian IEEE 754). The chain hash of a record is
 * SHA-256(previous record's hash || canonical bytes); the first record's
 * previous hash is 32 zero bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "dstore_internal.h"

void
dstore__buf_free(struct dstore_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int
buf_reserve(struct dstore_buf *b, size_t more)
{
	size_t ncap;
	unsigned char *np;

	if (b->len + more <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 1024;
	while (ncap < b->len + more)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (np == NULL)
		return -1;
	b->p = np;
	b->cap = ncap;
	return 0;
}

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static int
put_val(struct dstore_buf *b, const struct dstore_val *v)
{
	uint64_t u;

	if (v->len > 0xffffffffu || buf_reserve(b, 9 + v->len) != 0)
		return DSTORE_ENOMEM;
	b->p[b->len++] = (unsigned char)v->t;
	switch (v->t) {
	case DV_NULL:
		break;
	case DV_INT:
		put_be(b->p + b->len, (uint64_t)v->i, 8);
		b->len += 8;
		break;
	case DV_REAL:
		memcpy(&u, &v->r, sizeof(u));
		put_be(b->p + b->len, u, 8);
		b->len += 8;
		break;
	case DV_TEXT: case DV_BLOB:
		put_be(b->p + b->len, v->len, 4);
		b->len += 4;
		if (v->len > 0)
			memcpy(b->p + b->len, v->s, v->len);
		b->len += v->len;
		break;
	}
	return DSTORE_OK;
}

int
dstore__canon_append(const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *b)
{
	int i;

	if (buf_reserve(b, 6) != 0)
		return DSTORE_ENOMEM;
	memcpy(b->p + b->len, "UTDL", 4);
	b->p[b->len + 4] = DSTORE_CANON_VERSION;
	b->p[b->len + 5] = DSTORE_NFIELDS;
	b->len += 6;
	for (i = 0; i < DSTORE_NFIELDS; i++)
		if (put_val(b, &v[i]) != DSTORE_OK)
			return DSTORE_ENOMEM;
	return DSTORE_OK;
}

int
dstore__canon(const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *b)
{
	b->len = 0;
	return dstore__canon_append(v, b);
}

int
dstore__chain(const unsigned char prev[DSTORE_HASH_LEN],
              const struct dstore_val v[DSTORE_NFIELDS], struct dstore_buf *scratch,
              unsigned char out[DSTORE_HASH_LEN])
{
	crypto_hash_sha256_state h;
	int err = dstore__canon(v, scratch);

	if (err != DSTORE_OK)
		return err;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, DSTORE_HASH_LEN);
	crypto_hash_sha256_update(&h, scratch->p, scratch->len);
	crypto_hash_sha256_final(&h, out);
	return DSTORE_OK;
}

/* Read the canonical fields from columns first_col.. of a row, by their
 * stored type, so any change of value or type changes the bytes. */
int
dstore__row_vals(sqlite3_stmt *s, int first_col, struct dstore_val v[DSTORE_NFIELDS])
{
	int i, c;

	for (i = 0; i < DSTORE_NFIELDS; i++) {
		c = first_col + i;
		memset(&v[i], 0, sizeof(v[i]));
		switch (sqlite3_column_type(s, c)) {
		case SQLITE_NULL:
			v[i].t = DV_NULL;
			break;
		case SQLITE_INTEGER:
			v[i].t = DV_INT;
			v[i].i = sqlite3_column_int64(s, c);
			break;
		case SQLITE_FLOAT:
			v[i].t = DV_REAL;
			v[i].r = sqlite3_column_double(s, c);
			break;
		case SQLITE_BLOB:
			v[i].t = DV_BLOB;
			v[i].s = sqlite3_column_blob(s, c);
			v[i].len = (size_t)sqlite3_column_bytes(s, c);
			break;
		default:
			v[i].t = DV_TEXT;
			v[i].s = (const char *)sqlite3_column_text(s, c);
			v[i].len = (size_t)sqlite3_column_bytes(s, c);
			if (v[i].s == NULL && v[i].len > 0)
				return DSTORE_ENOMEM;
			break;
		}
	}
	return DSTORE_OK;
}

/* Append n raw bytes to b. */
int
dstore__buf_put(struct dstore_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return DSTORE_ENOMEM;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return DSTORE_OK;
}

/* Verify's hot path: append a row's canonical bytes straight from the
 * SQLite values of its DSTORE_NFIELDS columns (as dstore__row_vals reads
 * them), with one buffer reservation per row. */
int
dstore__vals_canon(sqlite3_value **col, struct dstore_buf *b)
{
	struct dstore_val v[DSTORE_NFIELDS];
	sqlite3_value *sv;
	size_t need = 6;
	int i;

	for (i = 0; i < DSTORE_NFIELDS; i++) {
		sv = col[i];
		v[i].s = NULL;
		v[i].len = 0;
		switch (sqlite3_value_type(sv)) {
		case SQLITE_NULL:
			v[i].t = DV_NULL;
			break;
		case SQLITE_INTEGER:
			v[i].t = DV_INT;
			v[i].i = sqlite3_value_int64(sv);
			break;
		case SQLITE_FLOAT:
			v[i].t = DV_REAL;
			v[i].r = sqlite3_value_double(sv);
			break;
		case SQLITE_BLOB:
			v[i].t = DV_BLOB;
			v[i].s = sqlite3_value_blob(sv);
			v[i].len = (size_t)sqlite3_value_bytes(sv);
			break;
		default:
			v[i].t = DV_TEXT;
			v[i].s = (const char *)sqlite3_value_text(sv);
			v[i].len = (size_t)sqlite3_value_bytes(sv);
			break;
		}
		if (v[i].s == NULL && v[i].len > 0)
			return DSTORE_ENOMEM;
		need += 9 + v[i].len;
	}
	if (buf_reserve(b, need) != 0)
		return DSTORE_ENOMEM;
	return dstore__canon_append(v, b);
}

void
dstore_hex(const unsigned char *in, size_t n, char *out)
{
	sodium_bin2hex(out, 2 * n + 1, in, n);
}

int
dstore_unhex(const char *in, unsigned char *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	if (in == NULL || strlen(in) != 2 * n)
		return -1;
	if (sodium_hex2bin(out, n, in, 2 * n, NULL, &got, &end) != 0 || got != n || *end != '\0')
		return -1;
	return 0;
}
