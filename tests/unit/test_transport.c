/* Unit tests for transport: limits enforced on real sockets (ipc in a temp dir). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "undertone/transport.h"
#include "ut_check.h"

static char dir[64];
static char err[256];
static struct transport *T;

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ut-transport.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	T = transport_new(err, sizeof(err));
	ck_assert_ptr_nonnull(T);
}

static void
teardown(void)
{
	char p[128];
	const char *names[] = { "a", "b", "c" };
	size_t i;

	transport_free(T);
	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static const char *
ep(const char *name)
{
	static char buf[128];
	snprintf(buf, sizeof(buf), "ipc://%s/%s", dir, name);
	return buf;
}

/* Receive with a bounded wait so a broken test fails instead of hanging. */
static int
recv_within(struct transport_sock *s, struct transport_msg *m, long ms)
{
	bool r = false;
	struct transport_sock *const socks[1] = { s };

	if (transport_poll(socks, 1, &r, ms) <= 0)
		return TRANSPORT_AGAIN;
	return transport_recv(s, m, false);
}

START_TEST(endpoints_validated)
{
	ck_assert(transport_endpoint_valid("tcp://127.0.0.1:7411"));
	ck_assert(transport_endpoint_valid("ipc:///tmp/x"));
	ck_assert(transport_endpoint_valid("inproc://x"));
	ck_assert(!transport_endpoint_valid("tcp://"));
	ck_assert(!transport_endpoint_valid("udp://1.2.3.4:5"));
	ck_assert(!transport_endpoint_valid("tcp://a\nb"));
	ck_assert(!transport_endpoint_valid(NULL));
	ck_assert_ptr_null(transport_open(T, TRANSPORT_PULL, "bogus", true, NULL, err, sizeof(err)));
	ck_assert(strstr(err, "invalid endpoint") != NULL);
}
END_TEST

START_TEST(push_pull_roundtrip_and_frame_cap)
{
	struct transport_limits lim;
	struct transport_sock *pull, *push;
	struct transport_msg m = { 0 };
	const void *fr[6] = { "a", "bb", "ccc", "d", "e", "f" };
	size_t ln[6] = { 1, 2, 3, 1, 1, 1 };
	const unsigned char *p;
	size_t len;

	transport_limits_default(TRANSPORT_PULL, &lim);
	lim.max_frames = 3;
	pull = transport_open(T, TRANSPORT_PULL, ep("a"), true, &lim, err, sizeof(err));
	ck_assert_ptr_nonnull(pull);
	push = transport_open(T, TRANSPORT_PUSH, ep("a"), false, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(push);

	ck_assert_int_eq(transport_send(push, fr, ln, 6, true), TRANSPORT_OK);
	ck_assert_int_eq(transport_send(push, fr, ln, 3, true), TRANSPORT_OK);
	ck_assert_int_eq(recv_within(pull, &m, 2000), TRANSPORT_E_FRAMES);
	ck_assert_int_eq(recv_within(pull, &m, 2000), TRANSPORT_OK);
	ck_assert_uint_eq(m.nframes, 3);
	p = transport_msg_frame(&m, 2, &len);
	ck_assert_uint_eq(len, 3);
	ck_assert(memcmp(p, "ccc", 3) == 0);
	ck_assert_ptr_null(transport_msg_frame(&m, 3, &len));
	ck_assert_uint_eq(transport_sock_stats(pull)->rx, 1);
	ck_assert_uint_eq(transport_sock_stats(pull)->rx_frames_dropped, 1);
	ck_assert_int_eq(transport_recv(pull, &m, false), TRANSPORT_AGAIN);
	transport_msg_free(&m);
	transport_close(push);
	transport_close(pull);
}
END_TEST

START_TEST(oversized_frame_never_delivered)
{
	struct transport_limits lim;
	struct transport_sock *pull, *push;
	struct transport_msg m = { 0 };
	static char big[5000];
	const void *fr[1];
	size_t ln[1];

	transport_limits_default(TRANSPORT_PULL, &lim);
	lim.max_msg = 4096;
	pull = transport_open(T, TRANSPORT_PULL, ep("b"), true, &lim, err, sizeof(err));
	push = transport_open(T, TRANSPORT_PUSH, ep("b"), false, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(pull);
	ck_assert_ptr_nonnull(push);
	fr[0] = big;
	ln[0] = sizeof(big);
	ck_assert_int_eq(transport_send(push, fr, ln, 1, true), TRANSPORT_OK);
	ck_assert_int_eq(recv_within(pull, &m, 500), TRANSPORT_AGAIN);
	transport_msg_free(&m);
	transport_close(push);
	transport_close(pull);
}
END_TEST

static struct transport_sock *
dealer(const char *id)
{
	struct transport_sock *d = transport_open(T, TRANSPORT_DEALER, ep("c"), false, NULL, err, sizeof(err));
	const void *fr[2] = { "", id };
	size_t ln[2] = { 0, strlen(id) };

	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(transport_send(d, fr, ln, 2, true), TRANSPORT_OK);
	return d;
}

START_TEST(router_client_cap)
{
	struct transport_limits lim;
	struct transport_sock *r, *d[3];
	struct transport_msg m = { 0 };
	int i, ok = 0, refused = 0, rc;
	const void *fr[3];
	size_t ln[3], idlen;

	transport_limits_default(TRANSPORT_ROUTER, &lim);
	lim.max_clients = 2;
	r = transport_open(T, TRANSPORT_ROUTER, ep("c"), true, &lim, err, sizeof(err));
	ck_assert_ptr_nonnull(r);
	for (i = 0; i < 3; i++)
		d[i] = dealer("hello");
	for (i = 0; i < 3; i++) {
		rc = recv_within(r, &m, 2000);
		if (rc == TRANSPORT_OK) {
			ok++;
			ck_assert_uint_eq(m.nframes, 3);
			/* Reply to the admitted peer by identity. */
			fr[0] = transport_msg_frame(&m, 0, &idlen);
			ln[0] = idlen;
			fr[1] = "";
			ln[1] = 0;
			fr[2] = "ok";
			ln[2] = 2;
			ck_assert_int_eq(transport_send(r, fr, ln, 3, false), TRANSPORT_OK);
		} else {
			ck_assert_int_eq(rc, TRANSPORT_E_CLIENTS);
			refused++;
		}
	}
	ck_assert_int_eq(ok, 2);
	ck_assert_int_eq(refused, 1);
	ck_assert_uint_eq(transport_sock_stats(r)->clients_refused, 1);
	/* Unknown identity: unroutable, reported as AGAIN and counted. */
	fr[0] = "nobody";
	ln[0] = 6;
	ck_assert_int_eq(transport_send(r, fr, ln, 3, false), TRANSPORT_AGAIN);
	ck_assert_uint_eq(transport_sock_stats(r)->tx_unroutable, 1);
	for (i = 0; i < 3; i++)
		transport_close(d[i]);
	transport_msg_free(&m);
	transport_close(r);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("transport");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, endpoints_validated);
	tcase_add_test(tc, push_pull_roundtrip_and_frame_cap);
	tcase_add_test(tc, oversized_frame_never_delivered);
	tcase_add_test(tc, router_client_cap);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return ut_check_run(suite());
}
