/* shard: the stable call hash and the --shard I/N parser. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "undertone/shard.h"
#include "ut_check.h"

START_TEST(fnv1a_vectors)
{
	/* Published FNV-1a 64 test vectors: the hash is a deployment contract. */
	ck_assert_uint_eq(shard_hash("", 0), 0xcbf29ce484222325ull);
	ck_assert_uint_eq(shard_hash("a", 1), 0xaf63dc4c8601ec8cull);
	ck_assert_uint_eq(shard_hash("foobar", 6), 0x85944171f73967e8ull);
}
END_TEST

START_TEST(shard_of_spreads_and_is_stable)
{
	unsigned count[3] = { 0, 0, 0 };
	char id[32];
	for (int i = 1; i <= 3000; i++) {
		snprintf(id, sizeof id, "sim-9-%d", i);
		unsigned s = shard_of(id, 3);
		ck_assert_uint_lt(s, 3);
		ck_assert_uint_eq(s, shard_of(id, 3));
		count[s]++;
	}
	for (int s = 0; s < 3; s++)
		ck_assert_uint_gt(count[s], 900);   /* about 1,000 each */
	ck_assert_uint_eq(shard_of("anything", 1), 0);
	ck_assert_uint_eq(shard_of("anything", 0), 0);
	/* The same ids the integration test's Python peer computes. */
	ck_assert_uint_eq(shard_of("sim-9-1", 3), 2);
	ck_assert_uint_eq(shard_of("sim-9-3", 3), 1);
	ck_assert_uint_eq(shard_of("sim-9-5", 3), 0);
}
END_TEST

START_TEST(parse)
{
	struct shard_spec s;
	ck_assert_int_eq(shard_parse("0/3", &s), 0);
	ck_assert_uint_eq(s.index, 0);
	ck_assert_uint_eq(s.count, 3);
	ck_assert_int_eq(shard_parse("63/64", &s), 0);
	ck_assert_int_eq(shard_parse("0/1", &s), 0);
	const char *bad[] = { "", "/", "1/", "/3", "3/3", "4/3", "0/0", "0/65", "-1/3", "+1/3",
		"1/3x", "1 /3", "1/ 3", "a/3", "1/3/5", "00000/3", "1", "0x1/3" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(shard_parse(bad[i], &s) == -1, "accepted '%s'", bad[i]);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("shard");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, fnv1a_vectors);
	tcase_add_test(tc, shard_of_spreads_and_is_stable);
	tcase_add_test(tc, parse);
	suite_add_tcase(su, tc);
	return ut_check_run(su);
}
