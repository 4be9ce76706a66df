/* curve: CURVE key pairs in zcert text files (see transport.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>
#include "undertone/transport.h"

#define KEYLEN TRANSPORT_KEY_Z85_LEN

bool
transport_curve_available(void)
{
	return zmq_has("curve") != 0;
}

bool
transport_key_decode(const char *z85, unsigned char out[32])
{
	char tmp[KEYLEN + 1];

	if (z85 == NULL || strnlen(z85, KEYLEN + 1) != KEYLEN)
		return false;
	memcpy(tmp, z85, KEYLEN + 1);
	return zmq_z85_decode(out, tmp) != NULL;
}

bool
transport_key_valid(const char *s)
{
	unsigned char raw[32];

	return transport_key_decode(s, raw);
}

int
transport_curve_keypair(char pub[KEYLEN + 1], char sec[KEYLEN + 1])
{
	if (!transport_curve_available() || zmq_curve_keypair(pub, sec) != 0)
		return TRANSPORT_CERT_E_CURVE;
	return TRANSPORT_CERT_OK;
}

/* ---- parsing ---- */

/* If line (trimmed) is `name = "KEY"`, copy KEY (any length up to 63) to
 * out and return 1; 0 if the line is not about name; -1 if it is but is
 * malformed. */
static int
key_line(const char *line, size_t len, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name), i, start;

	if (len < nl || memcmp(line, name, nl) != 0)
		return 0;
	i = nl;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '=')
		return i == nl && i < len ? 0 : -1;  /* "public-keyX": another name */
	i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '"')
		return -1;
	start = ++i;
	while (i < len && line[i] != '"')
		i++;
	if (i >= len || i - start >= outsz)
		return -1;
	memcpy(out, line + start, i - start);
	out[i - start] = '\0';
	return 1;
}

struct certkeys {
	char pub[KEYLEN + 1], sec[KEYLEN + 1];
	int npub, nsec;
	bool bad_pub, bad_sec;
};

static void
scan_line(struct certkeys *k, const char *line, size_t len, bool want_sec)
{
	char v[64];
	int r;

	if ((r = key_line(line, len, "public-key", v, sizeof(v))) != 0) {
		k->npub++;
		if (r < 0 || !transport_key_valid(v))
			k->bad_pub = true;
		else
			memcpy(k->pub, v, KEYLEN + 1);
	} else if (want_sec && (r = key_line(line, len, "secret-key", v, sizeof(v))) != 0) {
		k->nsec++;
		if (r < 0 || !transport_key_valid(v))
			k->bad_sec = true;
		else
			memcpy(k->sec, v, KEYLEN + 1);
	}
	explicit_bzero(v, sizeof(v));
}

static int
cert_verdict(const struct certkeys *k, bool want_sec, char *err, size_t errlen)
{
	char derived[KEYLEN + 1];

	if (k->bad_pub || k->bad_sec) {
		snprintf(err, errlen, "%s-key is not 40 Z85 characters", k->bad_pub ? "public" : "secret");
		return TRANSPORT_CERT_E_KEY;
	}
	if (k->npub > 1 || k->nsec > 1) {
		snprintf(err, errlen, "%s-key given twice", k->npub > 1 ? "public" : "secret");
		return TRANSPORT_CERT_E_DUP;
	}
	if (k->npub == 0 || (want_sec && k->nsec == 0)) {
		snprintf(err, errlen, "no %s-key line", k->npub == 0 ? "public" : "secret");
		return TRANSPORT_CERT_E_NOKEY;
	}
	if (!want_sec)
		return TRANSPORT_CERT_OK;
	if (!transport_curve_available() || zmq_curve_public(derived, k->sec) != 0) {
		snprintf(err, errlen, "this libzmq has no CURVE support");
		return TRANSPORT_CERT_E_CURVE;
	}
	if (strcmp(derived, k->pub) != 0) {
		snprintf(err, errlen, "secret-key does not belong to public-key");
		return TRANSPORT_CERT_E_MISMATCH;
	}
	return TRANSPORT_CERT_OK;
}

int
transport_cert_parse(const char *text, size_t len, char pub[KEYLEN + 1], char *sec,
    char *err, size_t errlen)
{
	struct certkeys k;
	size_t i = 0;
	int rc;

	memset(&k, 0, sizeof(k));
	while (i < len) {
		size_t e = i, b;
		while (e < len && text[e] != '\n')
			e++;
		b = i;
		while (b < e && (text[b] == ' ' || text[b] == '\t'))
			b++;
		size_t t = e;
		while (t > b && (text[t - 1] == '\r' || text[t - 1] == ' ' || text[t - 1] == '\t'))
			t--;
		if (t > b && text[b] != '#')
			scan_line(&k, text + b, t - b, sec != NULL);
		i = e + 1;
	}
	rc = cert_verdict(&k, sec != NULL, err, errlen);
	if (rc == TRANSPORT_CERT_OK) {
		memcpy(pub, k.pub, KEYLEN + 1);
		if (sec != NULL)
			memcpy(sec, k.sec, KEYLEN + 1);
	}
	explicit_bzero(&k, sizeof(k));
	return rc;
}

/* ---- files ---- */

static int
read_bounded(const char *path, bool secret, char *buf, size_t cap, size_t *len,
    char *err, size_t errlen)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return TRANSPORT_CERT_E_OPEN;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size >= (off_t)cap) {
		snprintf(err, errlen, "%s: not a regular file of at most %u bytes", path,
		    (unsigned)cap - 1);
		close(fd);
		return TRANSPORT_CERT_E_SIZE;
	}
	if (secret && (st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: permissions %04o are too open for a secret key "
		    "(chmod 600 it)", path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return TRANSPORT_CERT_E_MODE;
	}
	*len = 0;
	while ((n = read(fd, buf + *len, cap - 1 - *len)) > 0)
		*len += (size_t)n;
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return TRANSPORT_CERT_E_OPEN;
	}
	buf[*len] = '\0';
	return TRANSPORT_CERT_OK;
}

int
transport_cert_load(const char *path, char pub[KEYLEN + 1], char *sec, char *err, size_t errlen)
{
	char buf[TRANSPORT_CERT_FILE_MAX + 1], why[160];
	size_t len;
	int rc = read_bounded(path, sec != NULL, buf, sizeof(buf), &len, err, errlen);

	if (rc != TRANSPORT_CERT_OK)
		return rc;
	rc = transport_cert_parse(buf, len, pub, sec, why, sizeof(why));
	if (rc != TRANSPORT_CERT_OK)
		snprintf(err, errlen, "%s: %s", path, why);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

static int
write_cert(const char *path, mode_t mode, const char *pub, const char *sec,
    const char *comment, char *err, size_t errlen)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f;
	int fd, ok;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return errno == EEXIST ? TRANSPORT_CERT_E_EXISTS : TRANSPORT_CERT_E_OPEN;
	}
	f = fdopen(fd, "w");
	if (f == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return TRANSPORT_CERT_E_OPEN;
	}
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "#   ****  Generated on %s by undertone-keygen  ****\n", stamp);
	if (sec != NULL)
		fprintf(f, "#   ZeroMQ CURVE **Secret** Certificate\n"
		    "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n");
	else
		fprintf(f, "#   ZeroMQ CURVE Public Certificate\n"
		    "#   Give this file to the analyzer's operator to allow-list this key.\n\n");
	fprintf(f, "metadata\n");
	if (comment != NULL && comment[0] != '\0')
		fprintf(f, "    name = \"%s\"\n", comment);
	fprintf(f, "curve\n    public-key = \"%s\"\n", pub);
	if (sec != NULL)
		fprintf(f, "    secret-key = \"%s\"\n", sec);
	ok = fflush(f) == 0 && fsync(fd) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		snprintf(err, errlen, "%s: write failed", path);
		unlink(path);
		return TRANSPORT_CERT_E_OPEN;
	}
	return TRANSPORT_CERT_OK;
}

/* A comment becomes a quoted metadata value: keep it to safe characters. */
static bool
comment_ok(const char *c)
{
	size_t i;

	if (c == NULL)
		return true;
	for (i = 0; c[i] != '\0'; i++)
		if (i >= 64 || (unsigned char)c[i] < 0x20 || c[i] == '"' || c[i] == '\\' ||
		    (unsigned char)c[i] == 0x7f)
			return false;
	return true;
}

int
transport_cert_save(const char *path, const char *pub, const char *sec, const char *comment,
    char *err, size_t errlen)
{
	char spath[1024];
	mode_t old;
	int rc;

	if (!transport_key_valid(pub) || !transport_key_valid(sec)) {
		snprintf(err, errlen, "invalid key");
		return TRANSPORT_CERT_E_KEY;
	}
	if (!comment_ok(comment)) {
		snprintf(err, errlen, "the name must be at most 64 printable characters without quotes");
		return TRANSPORT_CERT_E_KEY;
	}
	if ((size_t)snprintf(spath, sizeof(spath), "%s%s", path, TRANSPORT_CERT_SECRET_SUFFIX) >=
	    sizeof(spath)) {
		snprintf(err, errlen, "path too long");
		return TRANSPORT_CERT_E_OPEN;
	}
	/* The secret first: if it cannot be made, no orphan public file is left. */
	old = umask(077);
	rc = write_cert(spath, 0600, pub, sec, comment, err, errlen);
	umask(old);
	if (rc != TRANSPORT_CERT_OK)
		return rc;
	rc = write_cert(path, 0644, pub, NULL, comment, err, errlen);
	if (rc != TRANSPORT_CERT_OK)
		unlink(spath);
	return rc;
}

/* ---- socket security from files ---- */

void
transport_security_clear(struct transport_security *sec)
{
	explicit_bzero(sec, sizeof(*sec));
}

static int
check_public(const char *public_path, const char *pub, char *err, size_t errlen)
{
	char other[KEYLEN + 1];

	if (public_path == NULL || public_path[0] == '\0')
		return 0;
	if (transport_cert_load(public_path, other, NULL, err, errlen) != TRANSPORT_CERT_OK)
		return -1;
	if (strcmp(other, pub) != 0) {
		snprintf(err, errlen, "%s: public key does not match the secret key file", public_path);
		return -1;
	}
	return 0;
}

int
transport_security_server(struct transport_security *sec, const char *secret_path,
    const char *public_path, char *err, size_t errlen)
{
	transport_security_clear(sec);
	if (!transport_curve_available()) {
		snprintf(err, errlen, "this libzmq has no CURVE support (zmq_has(\"curve\") is false)");
		return -1;
	}
	if (transport_cert_load(secret_path, sec->public_key, sec->secret_key, err, errlen) !=
	    TRANSPORT_CERT_OK || check_public(public_path, sec->public_key, err, errlen) != 0) {
		transport_security_clear(sec);
		return -1;
	}
	sec->curve = true;
	sec->server = true;
	return 0;
}

int
transport_security_client(struct transport_security *sec, const char *server_public_path,
    const char *secret_path, const char *public_path, char *err, size_t errlen)
{
	transport_security_clear(sec);
	if (!transport_curve_available()) {
		snprintf(err, errlen, "this libzmq has no CURVE support (zmq_has(\"curve\") is false)");
		return -1;
	}
	if (transport_cert_load(server_public_path, sec->server_key, NULL, err, errlen) !=
	    TRANSPORT_CERT_OK ||
	    transport_cert_load(secret_path, sec->public_key, sec->secret_key, err, errlen) !=
	    TRANSPORT_CERT_OK || check_public(public_path, sec->public_key, err, errlen) != 0) {
		transport_security_clear(sec);
		return -1;
	}
	sec->curve = true;
	return 0;
}
