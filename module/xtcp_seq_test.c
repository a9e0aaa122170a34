// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_seq: sequence-space comparisons, modulo 2^32
 * (RFC 9293 3.4), as Linux's before()/after()/between(), and the PAWS
 * test on timestamps (RFC 7323 5).
 */
#include <net/tcp.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_input.h"
#include "xtcp_kunit.h"

static void xtcp_seq_before_after(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(2, 2));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(2, 1));
	/* Up to 2^31 - 1 ahead is "after". */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x7fffffffU, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0, 0x7fffffffU));
}

static void xtcp_seq_wraparound(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(U32_MAX, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0, U32_MAX));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x10, 0xfffffff0U));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0xfffffff0U, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(0x10, 0xfffffff0U));
	/* Far apart in integers, close in sequence space. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(5, 0x80000006U));
}

/*
 * Exactly 2^31 apart the answer is ambiguous; as Linux's before(), each is
 * "before" the other (the sign bit of the difference is set both ways).
 */
static void xtcp_seq_half_space(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0, 0x80000000U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0x80000000U, 0));
}

/* between(a, b, c): a <= b <= c going forward from a. */
static void xtcp_seq_between_cases(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 5, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 5, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 10, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 7, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(5, 4, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(5, 11, 10));
	/* A window that wraps. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0U, 0x5, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0U, U32_MAX, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0U, 0, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xfffffff0U, 0x11, 0x10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xfffffff0U, 0xffffffefU, 0x10));
	/* Not a signed comparison: the whole space may be a window. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(1, 0x90000000U, 0));
}

/* RFC 7323 5: PAWS as tcp_paws_check(), window 0 and TCP_PAWS_WINDOW. */
static void xtcp_seq_paws(struct kunit *test)
{
	const u32 now = 1000000;

	/* Same or newer timestamp, also across the 2^32 wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(100, now, 100, now, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(100, now, 101, now, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(0xfffffff0U, now, 5, now, 0));
	/* Older: rejected, unless within the window given. */
	KUNIT_EXPECT_FALSE(test, xtcp_input_paws_ok(100, now, 99, now, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(100, now, 99, now, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_input_paws_ok(100, now, 98, now, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_input_paws_ok(5, now, 0xfffffff0U, now, 1));
	/* ts_recent older than 24 days: anything goes (the peer's clock wrapped). */
	KUNIT_EXPECT_FALSE(test, xtcp_input_paws_ok(100, now - TCP_PAWS_24DAYS + 1,
						    50, now, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(100, now - TCP_PAWS_24DAYS,
						   50, now, 0));
	/* No timestamp taken yet. */
	KUNIT_EXPECT_TRUE(test, xtcp_input_paws_ok(0, now, 0x80000001U, now, 0));
}

static struct kunit_case xtcp_seq_test_cases[] = {
	KUNIT_CASE(xtcp_seq_before_after),
	KUNIT_CASE(xtcp_seq_wraparound),
	KUNIT_CASE(xtcp_seq_half_space),
	KUNIT_CASE(xtcp_seq_between_cases),
	KUNIT_CASE(xtcp_seq_paws),
	{}
};

struct kunit_suite xtcp_seq_test_suite = {
	.name = "xtcp_seq",
	.test_cases = xtcp_seq_test_cases,
};
