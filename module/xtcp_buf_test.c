// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_buf: the arithmetic of receive-buffer autotuning and
 * send-buffer growth, against tcp_rcv_rtt_update(), tcp_rcv_space_adjust()
 * and tcp_sndbuf_expand().
 */
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_buf.h"
#include "xtcp_kunit.h"

#define RMEM_MAX	(6 << 20)	/* tcp_rmem[2]'s default */

static void xtcp_buf_rtt_first_sample(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(0, 1000, false), 8000U);
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(0, 1000, true), 8000U);
}

/* Timestamp samples: an EWMA with gain 1/8, both ways. */
static void xtcp_buf_rtt_ewma(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(8000, 2000, false), 9000U);
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(8000, 200, false), 7200U);
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(8000, 1000, false), 8000U);
}

/* A window's arrival time only overestimates: the smallest stays. */
static void xtcp_buf_rtt_window(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(8000, 500, true), 4000U);
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcv_rtt_update(8000, 2000, true), 8000U);
}

/*
 * The buffer's window (half of it, tcp_adv_win_scale 1) holds twice what
 * was read plus 16 segments, less rounding to whole segments.
 */
static void xtcp_buf_rcvbuf_steady(struct kunit *test)
{
	u32 advmss = 1460, copied = 100000;
	u64 buf = xtcp_buf_rcvbuf(copied, copied, advmss, RMEM_MAX);

	KUNIT_EXPECT_GE(test, buf / 2, 2ULL * copied + 15 * advmss);
	/* ... and not much more: each segment's skb overhead at most. */
	KUNIT_EXPECT_LE(test, buf, 2 * (2ULL * copied + 16 * advmss) * 2);
}

/* A sender still speeding up: the read rate's growth counts twice. */
static void xtcp_buf_rcvbuf_growth(struct kunit *test)
{
	u64 steady = xtcp_buf_rcvbuf(100000, 100000, 1460, RMEM_MAX);
	u64 doubled = xtcp_buf_rcvbuf(100000, 50000, 1460, RMEM_MAX);

	/*
	 * rcvwin = 2 * 100000 + 16 * 1460, plus twice that again: three
	 * times the steady buffer, give or take the rounding to segments.
	 */
	KUNIT_EXPECT_GE(test, doubled, 3 * steady);
	KUNIT_EXPECT_LE(test, doubled, 3 * steady + 3 * steady / 100);
}

static void xtcp_buf_rcvbuf_capped(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcvbuf(50 << 20, 1 << 20, 1460, RMEM_MAX),
			(u64)RMEM_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_buf_rcvbuf(U32_MAX, 1, 1460, RMEM_MAX),
			(u64)RMEM_MAX);
}

static void xtcp_buf_rcvbuf_monotonic(struct kunit *test)
{
	u64 prev = 0;
	u32 copied;

	for (copied = 10000; copied <= 2000000; copied += 10000) {
		u64 buf = xtcp_buf_rcvbuf(copied, copied, 1460, RMEM_MAX);

		KUNIT_EXPECT_GE(test, buf, prev);
		prev = buf;
	}
}

/* Twice the window of worst-case segments, the initial window at least. */
static void xtcp_buf_sndmem_cases(struct kunit *test)
{
	u32 ten = xtcp_buf_sndmem(10, 1448);

	KUNIT_EXPECT_EQ(test, xtcp_buf_sndmem(1, 1448), ten);
	KUNIT_EXPECT_EQ(test, xtcp_buf_sndmem(5, 1448), ten);
	KUNIT_EXPECT_EQ(test, xtcp_buf_sndmem(100, 1448), 10 * ten);
	KUNIT_EXPECT_GE(test, ten, 2U * 10 * 1448);
	/* A power-of-two head: 1448 and 1460 need the same. */
	KUNIT_EXPECT_EQ(test, xtcp_buf_sndmem(10, 1460), ten);
	KUNIT_EXPECT_GT(test, xtcp_buf_sndmem(10, 9000), ten);
	KUNIT_EXPECT_EQ(test, xtcp_buf_sndmem(U32_MAX, 65483), U32_MAX);
}

static struct kunit_case xtcp_buf_test_cases[] = {
	KUNIT_CASE(xtcp_buf_rtt_first_sample),
	KUNIT_CASE(xtcp_buf_rtt_ewma),
	KUNIT_CASE(xtcp_buf_rtt_window),
	KUNIT_CASE(xtcp_buf_rcvbuf_steady),
	KUNIT_CASE(xtcp_buf_rcvbuf_growth),
	KUNIT_CASE(xtcp_buf_rcvbuf_capped),
	KUNIT_CASE(xtcp_buf_rcvbuf_monotonic),
	KUNIT_CASE(xtcp_buf_sndmem_cases),
	{}
};

struct kunit_suite xtcp_buf_test_suite = {
	.name = "xtcp_buf",
	.test_cases = xtcp_buf_test_cases,
};
