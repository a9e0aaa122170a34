// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_kunit.ko: every KUnit suite of xtcp in one module, run when it is
 * loaded next to xtcp.ko. Also holds the harness canary, a case that fails on
 * request so that the test pipeline can prove it notices KUnit failures.
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "xtcp_kunit.h"

static bool canary_fail;
module_param(canary_fail, bool, 0444);
MODULE_PARM_DESC(canary_fail, "Make the xtcp_harness canary case fail (harness self-test)");

static void xtcp_harness_canary(struct kunit *test)
{
	KUNIT_EXPECT_FALSE_MSG(test, canary_fail,
			       "failing on request (canary_fail=1)");
}

static struct kunit_case xtcp_harness_test_cases[] = {
	KUNIT_CASE(xtcp_harness_canary),
	{}
};

struct kunit_suite xtcp_harness_test_suite = {
	.name = "xtcp_harness",
	.test_cases = xtcp_harness_test_cases,
};

kunit_test_suites(&xtcp_harness_test_suite, &xtcp_proto_test_suite,
		  &xtcp_sock_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for xtcp");
MODULE_IMPORT_NS(XTCP_KUNIT);
