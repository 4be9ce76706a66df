/* Unit tests for CURVE key files (curve.c) and the ZAP handler (zap.c):
 * real sockets on ipc endpoints in a temporary directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>
#include "undertone/transport.h"
#include "ut_check.h"

#define K TRANSPORT_KEY_Z85_LEN

static char dir[64], err[512];

static void
setup(void)
{
	char p[128];

	snprintf(dir, sizeof(dir), "/tmp/ut-curve.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/allow", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
}

static void
teardown(void)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
path(const char *name)
{
	static char buf[4][160];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

/* Make a key pair NAME / NAME_secret in the temp dir. */
static void
make_pair(const char *name, char pub[K + 1])
{
	char sec[K + 1];

	ck_assert_int_eq(transport_curve_keypair(pub, sec), TRANSPORT_CERT_OK);
	ck_assert_int_eq(transport_cert_save(path(name), pub, sec, name, err, sizeof(err)),
	    TRANSPORT_CERT_OK);
}

START_TEST(parse_cases)
{
	char pub[K + 1], sec[K + 1], p2[K + 1], s2[K + 1], text[512];

	ck_assert(transport_curve_available());
	ck_assert_int_eq(transport_curve_keypair(pub, sec), TRANSPORT_CERT_OK);
	ck_assert_int_eq(transport_curve_keypair(p2, s2), TRANSPORT_CERT_OK);
	snprintf(text, sizeof(text), "# c\nmetadata\ncurve\n    public-key = \"%s\"\n", pub);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), p2, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_OK);
	ck_assert_str_eq(p2, pub);
	/* A public file is not enough where a secret is wanted. */
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), p2, s2, err, sizeof(err)),
	    TRANSPORT_CERT_E_NOKEY);
	snprintf(text, sizeof(text), "curve\n public-key = \"%s\"\n secret-key = \"%s\"\r\n", pub, sec);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), p2, s2, err, sizeof(err)),
	    TRANSPORT_CERT_OK);
	ck_assert_str_eq(s2, sec);
	snprintf(text, sizeof(text), "curve\n public-key = \"%s\"\n secret-key = \"%s\"\n", p2, sec);
	ck_assert_int_eq(transport_curve_keypair(p2, s2), TRANSPORT_CERT_OK);
	snprintf(text, sizeof(text), "curve\n public-key = \"%s\"\n secret-key = \"%s\"\n", p2, sec);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), pub, s2, err, sizeof(err)),
	    TRANSPORT_CERT_E_MISMATCH);
	snprintf(text, sizeof(text), "public-key = \"%.39s\"\n", p2);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_KEY);
	snprintf(text, sizeof(text), "public-key = \"%.39s~\"\n", p2);   /* '~' is not Z85 */
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_KEY);
	snprintf(text, sizeof(text), "public-key = %s\n", p2);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_KEY);
	snprintf(text, sizeof(text), "public-key = \"%s\"\npublic-key = \"%s\"\n", p2, p2);
	ck_assert_int_eq(transport_cert_parse(text, strlen(text), pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_DUP);
	ck_assert_int_eq(transport_cert_parse("#public-key = x\n", 16, pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_NOKEY);
	ck_assert_int_eq(transport_cert_parse("", 0, pub, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_NOKEY);
}
END_TEST

/* Hostile key files: random edits of a valid one never crash the parser
 * (ASan/UBSan build) and never yield a key that is not valid Z85. */
START_TEST(parse_mutations)
{
	char pub[K + 1], sec[K + 1], text[600], out[K + 1], osec[K + 1];
	static const char alphabet[] = "\"= \t\n#-ak01~\x00\xff";
	unsigned seed = 12345, i, j;
	int n;

	ck_assert_int_eq(transport_curve_keypair(pub, sec), TRANSPORT_CERT_OK);
	n = snprintf(text, sizeof(text), "metadata\ncurve\n public-key = \"%s\"\n"
	    " secret-key = \"%s\"\n", pub, sec);
	for (i = 0; i < 20000; i++) {
		char m[600];
		size_t len = (size_t)n;
		memcpy(m, text, len);
		for (j = 0; j < 1 + i % 4; j++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;
			if ((seed >> 4) % 5 == 0 && len > 1)
				len = at + 1;                        /* truncate */
			else
				m[at] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (transport_cert_parse(m, len, out, osec, err, sizeof(err)) == TRANSPORT_CERT_OK) {
			ck_assert(transport_key_valid(out));
			ck_assert(transport_key_valid(osec));
		}
		if (transport_cert_parse(m, len, out, NULL, err, sizeof(err)) == TRANSPORT_CERT_OK)
			ck_assert(transport_key_valid(out));
	}
}
END_TEST

START_TEST(files_and_modes)
{
	char pub[K + 1], p2[K + 1], s2[K + 1];
	struct stat st;

	make_pair("a", pub);
	ck_assert_int_eq(stat(path("a_secret"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(path("a"), &st), 0);
	ck_assert_int_eq(st.st_mode & 0077 & ~0044, 0);
	ck_assert_int_eq(transport_cert_load(path("a"), p2, NULL, err, sizeof(err)), TRANSPORT_CERT_OK);
	ck_assert_str_eq(p2, pub);
	ck_assert_int_eq(transport_cert_load(path("a_secret"), p2, s2, err, sizeof(err)),
	    TRANSPORT_CERT_OK);
	ck_assert_str_eq(p2, pub);
	/* Never overwritten. */
	ck_assert_int_eq(transport_cert_save(path("a"), p2, s2, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_EXISTS);
	/* A secret readable by others is refused. */
	ck_assert_int_eq(chmod(path("a_secret"), 0644), 0);
	ck_assert_int_eq(transport_cert_load(path("a_secret"), p2, s2, err, sizeof(err)),
	    TRANSPORT_CERT_E_MODE);
	ck_assert_int_eq(transport_cert_load(path("missing"), p2, NULL, err, sizeof(err)),
	    TRANSPORT_CERT_E_OPEN);
	ck_assert_int_eq(transport_cert_load(dir, p2, NULL, err, sizeof(err)), TRANSPORT_CERT_E_SIZE);
}
END_TEST

/* ---- CURVE sockets with the ZAP handler ---- */

struct rig {
	struct transport *t;
	struct transport_zap *zap;
	struct transport_sock *pull;
};

static void
rig_start_domain(struct rig *r, const char *domain)
{
	struct transport_limits lim;
	char ep[128], pub[K + 1];

	make_pair("server", pub);
	r->t = transport_new(err, sizeof(err));
	ck_assert_ptr_nonnull(r->t);
	r->zap = transport_zap_start(r->t, path("allow"), NULL, err, sizeof(err));
	ck_assert_msg(r->zap != NULL, "%s", err);
	transport_limits_default(TRANSPORT_PULL, &lim);
	ck_assert_int_eq(transport_security_server(&lim.security, path("server_secret"),
	    path("server"), err, sizeof(err)), 0);
	snprintf(lim.security.zap_domain, sizeof(lim.security.zap_domain), "%s", domain);
	snprintf(ep, sizeof(ep), "ipc://%s/pull", dir);
	r->pull = transport_open(r->t, TRANSPORT_PULL, ep, true, &lim, err, sizeof(err));
	ck_assert_msg(r->pull != NULL, "%s", err);
	ck_assert_int_eq(transport_zap_watch(r->zap, r->pull, err, sizeof(err)), 0);
	transport_security_clear(&lim.security);
}

static void
rig_start(struct rig *r)
{
	rig_start_domain(r, "");
}

static void
rig_stop(struct rig *r)
{
	transport_close(r->pull);
	transport_zap_stop(r->zap);
	transport_free(r->t);
}

/* Connect a PUSH as client NAME (NULL: plaintext), send one message and
 * report whether the PULL received it within ms. */
static bool
delivered(struct rig *r, const char *name, long ms)
{
	struct transport_limits lim;
	struct transport_sock *push, *const socks[1] = { r->pull };
	struct transport_msg m = { 0 };
	char ep[128], sp[64];
	const void *fr[1] = { "hello" };
	size_t ln[1] = { 5 };
	bool ready = false, got;

	transport_limits_default(TRANSPORT_PUSH, &lim);
	lim.linger_ms = 0;
	if (name != NULL) {
		snprintf(sp, sizeof(sp), "%s_secret", name);
		ck_assert_int_eq(transport_security_client(&lim.security, path("server"), path(sp),
		    NULL, err, sizeof(err)), 0);
	}
	snprintf(ep, sizeof(ep), "ipc://%s/pull", dir);
	push = transport_open(r->t, TRANSPORT_PUSH, ep, false, &lim, err, sizeof(err));
	ck_assert_ptr_nonnull(push);
	transport_security_clear(&lim.security);
	transport_send(push, fr, ln, 1, false);
	got = transport_poll(socks, 1, &ready, ms) > 0 && transport_recv(r->pull, &m, false) == TRANSPORT_OK;
	transport_close(push);
	transport_msg_free(&m);
	return got;
}

static void
allow_in(const char *sub, const char *name)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/allow/%s' && cp '%s' '%s/allow/%s%s.key'",
	    dir, sub, path(name), dir, sub, name);
	ck_assert_int_eq(system(cmd), 0);
}

static void
allow(const char *name)
{
	allow_in("", name);
}

/* Keys in feeds/ may use only ingest sockets, keys in consoles/ only console
 * sockets, keys in the directory itself every socket. */
START_TEST(zap_roles)
{
	struct rig r;
	struct transport_zap_stats st;
	char pub[K + 1];

	make_pair("feeder", pub);
	make_pair("viewer", pub);
	make_pair("both", pub);
	allow_in("feeds/", "feeder");
	allow_in("consoles/", "viewer");
	allow("both");
	rig_start_domain(&r, TRANSPORT_ZAP_DOMAIN_INGEST);
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.keys, 3);
	ck_assert(delivered(&r, "feeder", 3000));
	ck_assert(delivered(&r, "both", 3000));
	ck_assert(!delivered(&r, "viewer", 500));
	/* viewer also listed as a feed: both roles after a reload. */
	allow_in("feeds/", "viewer");
	ck_assert_int_eq(transport_zap_reload(r.zap, err, sizeof(err)), 0);
	ck_assert(delivered(&r, "viewer", 3000));
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.keys, 3);
	rig_stop(&r);
}
END_TEST

START_TEST(zap_admits_only_listed_keys)
{
	struct rig r;
	struct transport_zap_stats st;
	char pub[K + 1];

	make_pair("alice", pub);
	make_pair("mallory", pub);
	allow("alice");
	rig_start(&r);
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.keys, 1);
	ck_assert(delivered(&r, "alice", 3000));
	ck_assert(!delivered(&r, "mallory", 500));
	ck_assert(!delivered(&r, NULL, 500));
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_ge(st.admitted, 1);
	ck_assert_uint_ge(st.refused_key, 1);
	/* The plaintext client failed its handshake before ZAP: counted by the watch. */
	for (int i = 0; i < 50 && st.handshake_failed == 0; i++) {
		usleep(20000);
		transport_zap_stats(r.zap, &st);
	}
	ck_assert_uint_ge(st.handshake_failed, 1);
	/* Allow-list mallory and reload: now admitted; alice removed: refused. */
	allow("mallory");
	ck_assert_int_eq(unlink(path("allow/alice.key")), 0);
	ck_assert_int_eq(transport_zap_reload(r.zap, err, sizeof(err)), 0);
	ck_assert(delivered(&r, "mallory", 3000));
	ck_assert(!delivered(&r, "alice", 500));
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.keys, 1);
	ck_assert_uint_eq(st.reloads, 2);
	rig_stop(&r);
}
END_TEST

START_TEST(zap_skips_bad_files)
{
	struct rig r;
	struct transport_zap_stats st;
	FILE *f = fopen(path("allow/junk.key"), "w");

	ck_assert_ptr_nonnull(f);
	fputs("public-key = \"not a key\"\n", f);
	fclose(f);
	ck_assert_int_eq(mkdir(path("allow/subdir"), 0700), 0);
	rig_start(&r);
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.keys, 0);
	ck_assert_ptr_null(transport_zap_start(r.t, path("nowhere"), NULL, err, sizeof(err)));
	rig_stop(&r);
}
END_TEST

/* Send a raw ZAP request of n frames; return the status code frame ("" if none). */
static const char *
zap_call(void *req, const char *const *fr, const size_t *len, unsigned n)
{
	static char status[8];
	zmq_msg_t m;
	unsigned i;
	int part = 0, more = 1;

	for (i = 0; i < n; i++)
		ck_assert_int_ge(zmq_send(req, fr[i], len[i], i + 1 < n ? ZMQ_SNDMORE : 0), 0);
	status[0] = '\0';
	while (more) {
		zmq_msg_init(&m);
		ck_assert_int_ge(zmq_msg_recv(&m, req, 0), 0);
		if (part == 2)
			snprintf(status, sizeof(status), "%.*s", (int)zmq_msg_size(&m),
			    (const char *)zmq_msg_data(&m));
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
		part++;
	}
	ck_assert_int_eq(part, 6);
	return status;
}

START_TEST(zap_protocol_errors)
{
	struct rig r;
	struct transport_zap_stats st;
	char pub[K + 1];
	unsigned char raw[32];
	int timeout = 3000, i;
	const char *many[20];
	size_t manylen[20];

	make_pair("alice", pub);
	allow("alice");
	rig_start(&r);
	void *req = zmq_socket(transport_zmq_context(r.t), ZMQ_REQ);
	ck_assert_ptr_nonnull(req);
	zmq_setsockopt(req, ZMQ_RCVTIMEO, &timeout, sizeof(timeout));
	ck_assert_int_eq(zmq_connect(req, "inproc://zeromq.zap.01"), 0);
	ck_assert(transport_key_decode(pub, raw));
	{
		const char *fr[] = { "1.0", "1", "undertone" };
		size_t ln[] = { 3, 1, 9 };
		ck_assert_str_eq(zap_call(req, fr, ln, 3), "500");
	}
	{
		const char *fr[] = { "1.0", "2", "undertone", "127.0.0.1", "", "NULL" };
		size_t ln[] = { 3, 1, 9, 9, 0, 4 };
		ck_assert_str_eq(zap_call(req, fr, ln, 6), "400");
	}
	{
		const char *fr[] = { "1.0", "3", "undertone", "127.0.0.1", "", "CURVE", (char *)raw };
		size_t ln[] = { 3, 1, 9, 9, 0, 5, 31 };
		ck_assert_str_eq(zap_call(req, fr, ln, 7), "500");
	}
	for (i = 0; i < 20; i++) {
		many[i] = "1.0";
		manylen[i] = 3;
	}
	ck_assert_str_eq(zap_call(req, many, manylen, 20), "500");
	{
		/* Still in step: a listed key is admitted. */
		const char *fr[] = { "1.0", "5", "undertone", "127.0.0.1", "", "CURVE", (char *)raw };
		size_t ln[] = { 3, 1, 9, 9, 0, 5, 32 };
		ck_assert_str_eq(zap_call(req, fr, ln, 7), "200");
	}
	transport_zap_stats(r.zap, &st);
	ck_assert_uint_eq(st.malformed, 3);
	ck_assert_uint_eq(st.refused_mechanism, 1);
	ck_assert_uint_eq(st.admitted, 1);
	zmq_close(req);
	rig_stop(&r);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("curve");
	TCase *tc = tcase_create("curve");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, parse_cases);
	tcase_add_test(tc, parse_mutations);
	tcase_add_test(tc, files_and_modes);
	tcase_add_test(tc, zap_admits_only_listed_keys);
	tcase_add_test(tc, zap_skips_bad_files);
	tcase_add_test(tc, zap_protocol_errors);
	tcase_add_test(tc, zap_roles);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
