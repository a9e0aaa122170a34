// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_timer: the RFC 6298 estimator behind the RTO. */
#include <linux/jiffies.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_kunit.h"
#include "xtcp_timer.h"

#define RTO_MIN_US	200000U

/* RFC 6298 2.2: SRTT = R, RTTVAR = R/2 on the first sample. */
static void xtcp_timer_first_sample(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto;

	rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 100000, RTO_MIN_US);
	KUNIT_EXPECT_EQ(test, srtt, 100000U);
	KUNIT_EXPECT_EQ(test, rttvar, 50000U);
	/* SRTT + max(4 * RTTVAR, rto_min) = 100 ms + 200 ms */
	KUNIT_EXPECT_EQ(test, rto, usecs_to_jiffies(300000));
}

/* RFC 6298 2.3: alpha = 1/8, beta = 1/4. */
static void xtcp_timer_later_sample(struct kunit *test)
{
	u32 srtt = 100000, rttvar = 50000, rto;

	rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 180000, RTO_MIN_US);
	/* RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 180000| = 57500 */
	KUNIT_EXPECT_EQ(test, rttvar, 57500U);
	/* SRTT = 7/8 * 100000 + 1/8 * 180000 = 110000 */
	KUNIT_EXPECT_EQ(test, srtt, 110000U);
	/* 4 * RTTVAR = 230 ms is above the floor */
	KUNIT_EXPECT_EQ(test, rto, usecs_to_jiffies(110000 + 230000));
}

/* A LAN: the floor decides, as in Linux (RTO = SRTT + 200 ms). */
static void xtcp_timer_floor(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto = 0;
	int i;

	for (i = 0; i < 50; i++)
		rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 100, RTO_MIN_US);
	KUNIT_EXPECT_EQ(test, srtt, 100U);
	KUNIT_EXPECT_EQ(test, rto, usecs_to_jiffies(100 + RTO_MIN_US));
}

/* RFC 6298 2.5: a maximum of at least 60 s; Linux uses 120 s. */
static void xtcp_timer_ceiling(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto;

	rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 200U * USEC_PER_SEC,
				    RTO_MIN_US);
	KUNIT_EXPECT_EQ(test, rto, (u32)XTCP_RTO_MAX);
}

static struct kunit_case xtcp_timer_test_cases[] = {
	KUNIT_CASE(xtcp_timer_first_sample),
	KUNIT_CASE(xtcp_timer_later_sample),
	KUNIT_CASE(xtcp_timer_floor),
	KUNIT_CASE(xtcp_timer_ceiling),
	{}
};

struct kunit_suite xtcp_timer_test_suite = {
	.name = "xtcp_timer",
	.test_cases = xtcp_timer_test_cases,
};
