/* ut_check: the main() of every Check unit test: run its one suite and
 * exit non-zero when any test failed. */
#ifndef UT_CHECK_H
#define UT_CHECK_H

#include <check.h>
#include <stdlib.h>

static inline int
ut_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
