// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_rto: the RFC 6298 estimator behind the RTO, and backoff. */
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

/* The RTT drops and stays: SRTT follows, RTTVAR decays, RTO to the floor. */
static void xtcp_timer_converge(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto = 0;
	int i;

	xtcp_timer_rtt_sample(&srtt, &rttvar, 400000, RTO_MIN_US);
	for (i = 0; i < 200; i++)
		rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 100000, RTO_MIN_US);
	/* Integer EWMAs settle within their rounding: SRTT/8 and RTTVAR/4. */
	KUNIT_EXPECT_GE(test, srtt, 100000U);
	KUNIT_EXPECT_LT(test, srtt, 100008U);
	KUNIT_EXPECT_LT(test, rttvar, 8U);
	KUNIT_EXPECT_EQ(test, rto, usecs_to_jiffies(srtt + RTO_MIN_US));
}

/* A zero sample (sub-microsecond LAN) counts as 1 us, keeping SRTT > 0. */
static void xtcp_timer_zero_sample(struct kunit *test)
{
	u32 srtt = 0, rttvar = 0, rto;

	rto = xtcp_timer_rtt_sample(&srtt, &rttvar, 0, RTO_MIN_US);
	KUNIT_EXPECT_EQ(test, srtt, 1U);
	KUNIT_EXPECT_EQ(test, rto, usecs_to_jiffies(1 + RTO_MIN_US));
}

/* RFC 6298 5.5: each timeout doubles the RTO, up to the 120 s maximum. */
static void xtcp_timer_backoff_cases(struct kunit *test)
{
	u32 rto = XTCP_RTO_INIT;
	int i;

	KUNIT_EXPECT_EQ(test, xtcp_timer_backoff(XTCP_RTO_MIN), (u32)(2 * XTCP_RTO_MIN));
	for (i = 0; i < 6; i++)
		rto = xtcp_timer_backoff(rto);
	KUNIT_EXPECT_EQ(test, rto, (u32)(64 * XTCP_RTO_INIT));
	rto = xtcp_timer_backoff(rto);		/* 128 s: capped */
	KUNIT_EXPECT_EQ(test, rto, (u32)XTCP_RTO_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_timer_backoff(rto), (u32)XTCP_RTO_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_timer_backoff(U32_MAX), (u32)XTCP_RTO_MAX);
}

static struct kunit_case xtcp_timer_test_cases[] = {
	KUNIT_CASE(xtcp_timer_first_sample),
	KUNIT_CASE(xtcp_timer_later_sample),
	KUNIT_CASE(xtcp_timer_floor),
	KUNIT_CASE(xtcp_timer_ceiling),
	KUNIT_CASE(xtcp_timer_converge),
	KUNIT_CASE(xtcp_timer_zero_sample),
	KUNIT_CASE(xtcp_timer_backoff_cases),
	{}
};

struct kunit_suite xtcp_rto_test_suite = {
	.name = "xtcp_rto",
	.test_cases = xtcp_timer_test_cases,
};
