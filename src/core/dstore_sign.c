/*
 * dstore_sign: Ed25519 key pairs and signed checkpoints.
 *
 * A checkpoint is a small text file; the signature covers every byte before
 * the "sig " line:
 *   undertone-checkpoint 1\n seq N\n head HEX\n records N\n time MS\n key HEX\n sig HEX\n
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "dstore_internal.h"
#include "undertone/timing.h"

#define CP_MAX 2048

static int
write_file(const char *path, const char *data, size_t len, mode_t mode, bool excl)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (excl ? O_EXCL : O_TRUNC), mode);
	ssize_t w;
	int err = DSTORE_OK;

	if (fd < 0)
		return errno == ENOSPC ? DSTORE_EFULL : errno == EEXIST ? DSTORE_EKEY : DSTORE_EREADONLY;
	if (fchmod(fd, mode) != 0)
		err = DSTORE_EIO;
	w = write(fd, data, len);
	if (err == DSTORE_OK && (w < 0 || (size_t)w != len))
		err = errno == ENOSPC ? DSTORE_EFULL : DSTORE_EIO;
	if (err == DSTORE_OK && fsync(fd) != 0)
		err = DSTORE_EIO;
	if (close(fd) != 0 && err == DSTORE_OK)
		err = DSTORE_EIO;
	return err;
}

/* Reads at most cap - 1 bytes; a larger file is refused. */
static int
read_small(const char *path, char *buf, size_t cap, struct stat *sb)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return DSTORE_ENOTFOUND;
	if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode) || (size_t)sb->st_size >= cap) {
		close(fd);
		return DSTORE_EINVAL;
	}
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return DSTORE_EIO;
	buf[n] = '\0';
	return DSTORE_OK;
}

int
dstore_keygen(const char *secret_path, const char *public_path)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char hex[2 * crypto_sign_SECRETKEYBYTES + 2];
	int err;

	if (secret_path == NULL || public_path == NULL || sodium_init() < 0)
		return DSTORE_EINVAL;
	crypto_sign_keypair(pk, sk);
	dstore_hex(sk, sizeof(sk), hex);
	strcat(hex, "\n");
	err = write_file(secret_path, hex, strlen(hex), 0600, true);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(hex, sizeof(hex));
	if (err != DSTORE_OK)
		return err;
	dstore_hex(pk, sizeof(pk), hex);
	strcat(hex, "\n");
	err = write_file(public_path, hex, strlen(hex), 0644, true);
	if (err != DSTORE_OK)
		unlink(secret_path);
	return err;
}

static int
load_key(const char *path, unsigned char *key, size_t n, bool secret)
{
	char buf[256];
	struct stat sb;
	int err = read_small(path, buf, sizeof(buf), &sb);

	if (err != DSTORE_OK)
		return DSTORE_EKEY;
	/* A secret key others can read is no longer a secret. */
	if (secret && (sb.st_mode & 077) != 0)
		return DSTORE_EKEY;
	buf[strcspn(buf, "\r\n")] = '\0';
	err = dstore_unhex(buf, key, n) == 0 ? DSTORE_OK : DSTORE_EKEY;
	sodium_memzero(buf, sizeof(buf));
	return err;
}

int
dstore_checkpoint(struct dstore *st, const char *secret_path, const char *out_path)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
	unsigned char head[DSTORE_HASH_LEN];
	char text[CP_MAX], hhex[2 * DSTORE_HASH_LEN + 1], khex[65], shex[2 * crypto_sign_BYTES + 1];
	int64_t count, seq;
	int err, n;

	if (st == NULL || secret_path == NULL || out_path == NULL)
		return DSTORE_EINVAL;
	if (load_key(secret_path, sk, sizeof(sk), true) != DSTORE_OK)
		return dstore__fail(st, DSTORE_EKEY, "%s: missing, malformed or readable by others", secret_path);
	err = dstore_head(st, &count, &seq, head);
	if (err != DSTORE_OK) {
		sodium_memzero(sk, sizeof(sk));
		return err;
	}
	dstore_hex(head, sizeof(head), hhex);
	dstore_hex(sk + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES, khex);
	n = snprintf(text, sizeof(text), "undertone-checkpoint 1\nseq %" PRId64 "\nhead %s\n"
	    "records %" PRId64 "\ntime %" PRId64 "\nkey %s\n", seq, hhex, count,
	    timing_wall_ms(), khex);
	crypto_sign_detached(sig, NULL, (const unsigned char *)text, (unsigned long long)n, sk);
	sodium_memzero(sk, sizeof(sk));
	dstore_hex(sig, sizeof(sig), shex);
	snprintf(text + n, sizeof(text) - (size_t)n, "sig %s\n", shex);
	err = write_file(out_path, text, strlen(text), 0644, false);
	return err == DSTORE_OK ? DSTORE_OK : dstore__fail(st, err, "cannot write %s", out_path);
}

struct checkpoint {
	int64_t seq, records, time_ms;
	unsigned char head[DSTORE_HASH_LEN];
	unsigned char key[crypto_sign_PUBLICKEYBYTES];
	unsigned char sig[crypto_sign_BYTES];
	size_t signed_len;
};

/* Strict parse: exact line order, decimal numbers, exact hex lengths. */
static int
parse_line(char **p, const char *name, char *val, size_t cap)
{
	size_t nl = strlen(name);
	char *eol;

	if (strncmp(*p, name, nl) != 0 || (*p)[nl] != ' ')
		return -1;
	eol = strchr(*p, '\n');
	if (eol == NULL || (size_t)(eol - (*p + nl + 1)) >= cap)
		return -1;
	memcpy(val, *p + nl + 1, (size_t)(eol - (*p + nl + 1)));
	val[eol - (*p + nl + 1)] = '\0';
	*p = eol + 1;
	return 0;
}

static int
parse_num(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_checkpoint(char *text, struct checkpoint *cp)
{
	char v[160], *p = text;

	if (strncmp(p, "undertone-checkpoint 1\n", 23) != 0)
		return -1;
	p += 23;
	if (parse_line(&p, "seq", v, sizeof(v)) || parse_num(v, &cp->seq) ||
	    parse_line(&p, "head", v, sizeof(v)) || dstore_unhex(v, cp->head, DSTORE_HASH_LEN) ||
	    parse_line(&p, "records", v, sizeof(v)) || parse_num(v, &cp->records) ||
	    parse_line(&p, "time", v, sizeof(v)) || parse_num(v, &cp->time_ms) ||
	    parse_line(&p, "key", v, sizeof(v)) || dstore_unhex(v, cp->key, sizeof(cp->key)))
		return -1;
	cp->signed_len = (size_t)(p - text);
	if (parse_line(&p, "sig", v, sizeof(v)) || dstore_unhex(v, cp->sig, sizeof(cp->sig)) ||
	    *p != '\0')
		return -1;
	return 0;
}

/* Hash of record cp->seq in the current log (or the retention anchor). */
static int
hash_at(struct dstore *st, int64_t seq, const struct dstore_verify_result *res,
        unsigned char out[DSTORE_HASH_LEN])
{
	struct dstore_record *r;
	int err;

	if (seq == 0) {
		memset(out, 0, DSTORE_HASH_LEN);
		return DSTORE_OK;
	}
	if (seq > res->head_seq)
		return dstore__fail(st, DSTORE_EEXTEND, "checkpoint covers #%lld but the log ends at #%lld",
		    (long long)seq, (long long)res->head_seq);
	if (seq < res->first_seq) {
		if (dstore__anchor(st, seq, out) == DSTORE_OK)
			return DSTORE_OK;
		return dstore__fail(st, DSTORE_EEXTEND, "record #%lld was removed by retention;"
		    " the checkpoint predates the retained log", (long long)seq);
	}
	if ((r = malloc(sizeof(*r))) == NULL)
		return DSTORE_ENOMEM;
	err = dstore_get_seq(st, seq, r);
	if (err == DSTORE_OK)
		memcpy(out, r->hash, DSTORE_HASH_LEN);
	free(r);
	return err;
}

int
dstore_checkpoint_verify(struct dstore *st, const char *checkpoint_path,
                         const char *public_path, struct dstore_verify_result *res)
{
	unsigned char pinned[crypto_sign_PUBLICKEYBYTES], h[DSTORE_HASH_LEN];
	struct checkpoint cp;
	struct stat sb;
	char text[CP_MAX];
	int err;

	if (st == NULL || checkpoint_path == NULL || res == NULL)
		return DSTORE_EINVAL;
	memset(res, 0, sizeof(*res));
	if (read_small(checkpoint_path, text, sizeof(text), &sb) != DSTORE_OK || parse_checkpoint(text, &cp))
		return dstore__fail(st, DSTORE_ESIG, "%s: not a readable checkpoint", checkpoint_path);
	if (public_path != NULL) {
		if (load_key(public_path, pinned, sizeof(pinned), false) != DSTORE_OK)
			return dstore__fail(st, DSTORE_EKEY, "%s: bad public key", public_path);
		if (sodium_memcmp(pinned, cp.key, sizeof(pinned)) != 0)
			return dstore__fail(st, DSTORE_ESIG, "checkpoint was signed by another key");
	}
	if (crypto_sign_verify_detached(cp.sig, (const unsigned char *)text, cp.signed_len, cp.key) != 0)
		return dstore__fail(st, DSTORE_ESIG, "checkpoint signature is invalid");
	err = dstore_verify(st, res);
	if (err != DSTORE_OK)
		return err;
	if ((err = hash_at(st, cp.seq, res, h)) != DSTORE_OK)
		return err;
	if (sodium_memcmp(h, cp.head, DSTORE_HASH_LEN) != 0) {
		res->bad_seq = cp.seq;
		snprintf(res->detail, sizeof(res->detail), "record #%lld differs from the checkpoint's head",
		    (long long)cp.seq);
		return dstore__fail(st, DSTORE_EEXTEND, "%s", res->detail);
	}
	return DSTORE_OK;
}
