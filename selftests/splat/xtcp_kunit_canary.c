// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only KUnit module for the harness: its one case always fails, so
 * `make check` can prove that a failing KUnit case is counted as a failure.
 * It is never part of the counted results.
 */
#include <linux/module.h>
#include <kunit/test.h>

static void xtcp_harness_canary(struct kunit *test)
{
	KUNIT_FAIL(test, "failing on purpose: harness self-test");
}

static struct kunit_case xtcp_harness_cases[] = {
	KUNIT_CASE(xtcp_harness_canary),
	{}
};

static struct kunit_suite xtcp_harness_suite = {
	.name = "xtcp_harness",
	.test_cases = xtcp_harness_cases,
};

kunit_test_suite(xtcp_harness_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("xtcp harness self-test: a KUnit case that always fails");
