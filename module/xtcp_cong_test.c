// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_cong: CUBIC (RFC 9438) and Reno (RFC 5681) arithmetic,
 * HyStart's two signals.
 * Expected values come from the RFC's formulas with C = 0.4 and
 * beta_cubic = 0.7, computed here independently of the code under test;
 * xtcp, as Linux, uses C = 410/1024 and beta = 717/1024, hence tolerances.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_kunit.h"

/* |a - b| <= tol */
#define EXPECT_NEAR(test, a, b, tol) \
	KUNIT_EXPECT_LE(test, abs((s64)(a) - (s64)(b)), (s64)(tol))

static void xtcp_cong_cube_root(struct kunit *test)
{
	static const u64 vals[] = {
		0, 1, 7, 8, 26, 27, 63, 64, 999, 1000, 123456789,
		1ULL << 40, (1ULL << 63) - 1, U64_MAX,
	};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(27), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(26), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(1000000000000ULL), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_root(U64_MAX), 2642245U);
	/* Always the floor: r^3 <= a < (r + 1)^3. */
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		u64 r = xtcp_cubic_root(vals[i]);

		KUNIT_EXPECT_LE(test, r * r * r, vals[i]);
		if (r < 2642245)
			KUNIT_EXPECT_GT(test, (r + 1) * (r + 1) * (r + 1), vals[i]);
	}
}

/*
 * K in 1/1024 s from RFC 9438 4.2, C = 0.4 = 2/5: the largest k with
 * 0.4 * (k / 1024)^3 <= dw, i.e. 2 * k^3 <= 5 * dw * 2^30, by bisection.
 */
static u32 rfc_k(u32 dw)
{
	u64 lo = 0, hi = 1 << 21, goal = 5ULL * dw << 30;

	while (lo < hi) {
		u64 mid = (lo + hi + 1) / 2;

		if (2 * mid * mid * mid <= goal)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* RFC 9438 4.2: W_cubic(t) = C (t - K)^3 + W_max, t and K in 1/1024 s. */
static s64 rfc_w(u32 wmax, u32 k, u32 t)
{
	s64 d = (s64)t - k;

	return wmax + div64_s64(2 * d * d * d, 5LL << 30);
}

static void xtcp_cong_cubic_k(struct kunit *test)
{
	static const struct {
		u32 wmax, cwnd, k;	/* k: RFC value, in 1/1024 s */
	} cases[] = {
		{ 100, 70, 4318 },	/* K = 4.217 s */
		{ 1000, 700, 9304 },
		{ 20, 14, 2525 },
		{ 10000, 7000, 20044 },
		{ 50, 49, 1390 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u32 k = xtcp_cubic_k(cases[i].wmax, cases[i].cwnd);
		u32 dw = cases[i].wmax - cases[i].cwnd;

		/* C = 0.4004 instead of 0.4 makes K 0.03% smaller. */
		EXPECT_NEAR(test, k, cases[i].k, cases[i].k / 500 + 1);
		EXPECT_NEAR(test, k, rfc_k(dw), rfc_k(dw) / 500 + 1);
	}
	/* No reduction below W_max: the curve starts at its plateau. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k(70, 70), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k(70, 100), 0U);
}

static void xtcp_cong_cubic_target(struct kunit *test)
{
	static const u32 wmaxes[] = { 20, 100, 1000, 10000 };
	static const u32 secs_x4[] = { 0, 1, 4, 8, 16, 40, 100 };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(wmaxes); i++) {
		u32 wmax = wmaxes[i];
		u32 cwnd = wmax * 7 / 10;
		u32 k = xtcp_cubic_k(wmax, cwnd);

		/* The epoch starts at the reduced window, reaches W_max at K. */
		EXPECT_NEAR(test, xtcp_cubic_target(wmax, k, 0), cwnd, 1);
		KUNIT_EXPECT_EQ(test, xtcp_cubic_target(wmax, k, k), wmax);
		for (j = 0; j < ARRAY_SIZE(secs_x4); j++) {
			u32 t = secs_x4[j] * 256;	/* quarters of a second */
			s64 want = max_t(s64, rfc_w(wmax, k, t), 0);
			u32 got = xtcp_cubic_target(wmax, k, t);

			/* 0.1% for C, one segment for rounding */
			EXPECT_NEAR(test, got, want, abs(want - wmax) / 500 + 1);
		}
	}
	/* Concave below W_max, convex above, symmetric about K. */
	KUNIT_EXPECT_EQ(test, 100 - xtcp_cubic_target(100, 8192, 8192 - 4096),
			xtcp_cubic_target(100, 8192, 8192 + 4096) - 100);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_target(100, 8192, 8192 + 4096), 125U);
}

/* RFC 9438 4.6: ssthresh = cwnd * beta_cubic; Linux's 717/1024. */
static void xtcp_cong_cubic_beta(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(100), 70U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(1000), 700U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(10000), 7001U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(10), 7U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(2), 2U);	/* floor of 2 */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh(1), 2U);
}

/* RFC 9438 4.7: W_max = cwnd * (1 + beta) / 2 when below the last W_max. */
static void xtcp_cong_cubic_fast_convergence(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cubic_wmax(80, 100), 68U);	/* 80 * 0.85 */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_wmax(1000, 2000), 850U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_wmax(100, 100), 100U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_wmax(120, 100), 120U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_wmax(50, 0), 50U);
}

static void xtcp_cong_cubic_epoch(struct kunit *test)
{
	struct xtcp_cubic ca = { .last_max_cwnd = 100 };
	u32 now = 1000;

	/* The first update after a reduction starts an epoch with K. */
	xtcp_cubic_update(&ca, 70, 1, now);
	KUNIT_EXPECT_EQ(test, ca.epoch_start, now);
	KUNIT_EXPECT_EQ(test, ca.origin_point, 100U);
	KUNIT_EXPECT_EQ(test, ca.k, xtcp_cubic_k(100, 70));
	KUNIT_EXPECT_EQ(test, ca.tcp_cwnd, 70U);
	/* Far below the target: grow by one segment per two ACKs at most. */
	xtcp_cubic_update(&ca, 70, 1, now + 2 * HZ);
	KUNIT_EXPECT_EQ(test, ca.cnt, 2U);
	/* On the plateau (t = K, cwnd = W_max): barely grow. */
	xtcp_cubic_update(&ca, 100, 1, now + DIV_ROUND_UP(ca.k * HZ, 1024));
	KUNIT_EXPECT_EQ(test, ca.cnt, 100U * 100);
}

/* Before any loss, no W_max: at least 5% per RTT (cnt <= 20). */
static void xtcp_cong_cubic_no_wmax(struct kunit *test)
{
	struct xtcp_cubic ca = {};

	xtcp_cubic_update(&ca, 10, 1, 5000);
	KUNIT_EXPECT_EQ(test, ca.k, 0U);
	KUNIT_EXPECT_EQ(test, ca.origin_point, 10U);
	KUNIT_EXPECT_EQ(test, ca.cnt, 20U);
}

/*
 * RFC 9438 4.3: when Reno would be faster (W_est > W_cubic), follow W_est:
 * alpha_cubic = 3 (1 - beta) / (1 + beta), so W_est grows one segment per
 * cwnd / alpha ~ 1.875 cwnd ACKs (Linux: cwnd * 15 / 8).
 */
static void xtcp_cong_cubic_reno_friendly(struct kunit *test)
{
	struct xtcp_cubic ca = { .last_max_cwnd = 100 };
	u32 now = 1000, per_seg = 70 * 15 / 8;

	xtcp_cubic_update(&ca, 70, 1, now);
	/* Ten segments' worth of W_est growth within 1/16 s. */
	xtcp_cubic_update(&ca, 70, 10 * per_seg, now + HZ / 16);
	KUNIT_EXPECT_EQ(test, ca.tcp_cwnd, 80U);
	/* W_cubic is still near 70 there; W_est = 80 sets the pace. */
	KUNIT_EXPECT_LE(test, xtcp_cubic_target(100, ca.k, 1024 / 16 + 1), 72U);
	KUNIT_EXPECT_EQ(test, ca.cnt, 70U / (80 - 70));
}

/* RFC 5681 3.1 (3): ssthresh = max(FlightSize / 2, 2), Linux: cwnd / 2. */
static void xtcp_cong_reno_halving(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_reno_ssthresh(100), 50U);
	KUNIT_EXPECT_EQ(test, xtcp_reno_ssthresh(11), 5U);
	KUNIT_EXPECT_EQ(test, xtcp_reno_ssthresh(3), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_reno_ssthresh(1), 2U);
}

static void xtcp_cong_slow_start_cases(struct kunit *test)
{
	u32 cwnd = 10;

	/* One segment per ACKed segment... */
	KUNIT_EXPECT_EQ(test, xtcp_cong_slow_start(&cwnd, U32_MAX, 5), 0U);
	KUNIT_EXPECT_EQ(test, cwnd, 15U);
	/* ...up to ssthresh; the rest is for congestion avoidance. */
	KUNIT_EXPECT_EQ(test, xtcp_cong_slow_start(&cwnd, 18, 5), 2U);
	KUNIT_EXPECT_EQ(test, cwnd, 18U);
	/* Never past the clamp. */
	cwnd = XTCP_CWND_MAX - 1;
	xtcp_cong_slow_start(&cwnd, U32_MAX, 10);
	KUNIT_EXPECT_EQ(test, cwnd, (u32)XTCP_CWND_MAX);
}

/* RFC 5681 3.1: one segment per window of ACKs. */
static void xtcp_cong_reno_additive_increase(struct kunit *test)
{
	u32 cwnd = 20, cnt = 0, i;
	int rtt;

	for (rtt = 0; rtt < 10; rtt++) {
		u32 w = cwnd;

		for (i = 0; i < w; i++)
			xtcp_cong_avoid_ai(&cwnd, &cnt, cwnd, 1);
	}
	KUNIT_EXPECT_EQ(test, cwnd, 30U);

	/* A stretch ACK counts all it covers. */
	cwnd = 10;
	cnt = 0;
	xtcp_cong_avoid_ai(&cwnd, &cnt, cwnd, 25);
	KUNIT_EXPECT_EQ(test, cwnd, 12U);
	KUNIT_EXPECT_EQ(test, cnt, 5U);
}

/* tcp_cwnd_restart(): halve per idle RTO, down to the initial window. */
static void xtcp_cong_restart_after_idle(struct kunit *test)
{
	u32 rto = HZ / 5;

	KUNIT_EXPECT_EQ(test, xtcp_cong_restart_cwnd(40, 10, rto + 1, rto), 20U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_restart_cwnd(40, 10, 2 * rto + 1, rto), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_restart_cwnd(40, 10, 100 * rto, rto), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_restart_cwnd(5, 10, 100 * rto, rto), 5U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_restart_cwnd(12, 10, 3 * rto, rto), 10U);
}

static void xtcp_cong_current_ssthresh_cases(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cong_current_ssthresh(100, 50, false), 75U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_current_ssthresh(100, 90, false), 90U);
	KUNIT_EXPECT_EQ(test, xtcp_cong_current_ssthresh(100, 50, true), 50U);
}

static void xtcp_cong_lookup(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cong_find("cubic"), &xtcp_cong_cubic);
	KUNIT_EXPECT_PTR_EQ(test, xtcp_cong_find("reno"), &xtcp_cong_reno);
	KUNIT_EXPECT_NULL(test, xtcp_cong_find("bbr"));
	KUNIT_EXPECT_NULL(test, xtcp_cong_find(""));
	KUNIT_EXPECT_NULL(test, xtcp_cong_find("Cubic"));
}

/*
 * HyStart's ACK train: ACKs at most 2 ms apart, from the round's start, end
 * slow start once the train outlasts half the minimum RTT (10 ms here).
 */
static void xtcp_cong_hystart_train(struct kunit *test)
{
	struct xtcp_cubic ca = { .delay_min = 10000 };
	u32 t = 1000000, i;

	xtcp_hystart_reset(&ca, t, 5000);
	KUNIT_EXPECT_EQ(test, ca.end_seq, 5000U);
	/* Every 1 ms, RTT at its minimum: 5 ms of train is not yet enough. */
	for (i = 1; i <= 5; i++)
		KUNIT_EXPECT_EQ(test, xtcp_hystart_update(&ca, t + i * 1000, 10000),
				XTCP_HYSTART_NONE);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_update(&ca, t + 5001, 10000),
			XTCP_HYSTART_TRAIN);
	KUNIT_EXPECT_EQ(test, ca.found, 1);

	/* A gap over 2 ms breaks the train: it never grows long enough. */
	ca.found = 0;
	xtcp_hystart_reset(&ca, t, 5000);
	for (i = 1; i <= 6; i++)
		KUNIT_EXPECT_EQ(test, xtcp_hystart_update(&ca, t + i * 2500, 10000),
				XTCP_HYSTART_NONE);
	KUNIT_EXPECT_EQ(test, ca.found, 0);
}

/*
 * HyStart's delay signal: after 8 samples of a round, a round minimum
 * above delay_min + clamp(delay_min / 8, 4 ms, 16 ms). Samples come 3 ms
 * apart so that no ACK train forms.
 */
static void xtcp_cong_hystart_delay(struct kunit *test)
{
	static const struct {
		u32 delay_min, rtt;
		enum xtcp_hystart_exit want;
	} cases[] = {
		{ 10000, 13999, XTCP_HYSTART_NONE },	/* threshold 4 ms */
		{ 10000, 14001, XTCP_HYSTART_DELAY },
		{ 80000, 89999, XTCP_HYSTART_NONE },	/* 80/8 = 10 ms */
		{ 80000, 90001, XTCP_HYSTART_DELAY },
		{ 200000, 215999, XTCP_HYSTART_NONE },	/* capped at 16 ms */
		{ 200000, 216001, XTCP_HYSTART_DELAY },
	};
	u32 t = 1000000, i, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct xtcp_cubic ca = { .delay_min = cases[i].delay_min };

		xtcp_hystart_reset(&ca, t, 1);
		for (j = 1; j <= XTCP_HYSTART_MIN_SAMPLES; j++)
			KUNIT_EXPECT_EQ(test,
					xtcp_hystart_update(&ca, t + j * 3000,
							    cases[i].rtt),
					XTCP_HYSTART_NONE);
		KUNIT_EXPECT_EQ_MSG(test,
				    xtcp_hystart_update(&ca, t + j * 3000,
							cases[i].rtt),
				    cases[i].want, "delay_min %u rtt %u",
				    cases[i].delay_min, cases[i].rtt);
	}
}

/* The round's minimum counts: one low sample keeps it in slow start. */
static void xtcp_cong_hystart_round_min(struct kunit *test)
{
	struct xtcp_cubic ca = { .delay_min = 10000 };
	u32 t = 1000000, j;

	xtcp_hystart_reset(&ca, t, 1);
	KUNIT_EXPECT_EQ(test, xtcp_hystart_update(&ca, t + 3000, 10500),
			XTCP_HYSTART_NONE);
	for (j = 2; j <= 12; j++)
		KUNIT_EXPECT_EQ(test, xtcp_hystart_update(&ca, t + j * 3000, 30000),
				XTCP_HYSTART_NONE);
	KUNIT_EXPECT_EQ(test, ca.curr_rtt, 10500U);
	/* A new round forgets it. */
	xtcp_hystart_reset(&ca, t + 40000, 2);
	KUNIT_EXPECT_EQ(test, ca.curr_rtt, ~0U);
	KUNIT_EXPECT_EQ(test, ca.sample_cnt, 0);
}

static struct kunit_case xtcp_cong_test_cases[] = {
	KUNIT_CASE(xtcp_cong_cube_root),
	KUNIT_CASE(xtcp_cong_cubic_k),
	KUNIT_CASE(xtcp_cong_cubic_target),
	KUNIT_CASE(xtcp_cong_cubic_beta),
	KUNIT_CASE(xtcp_cong_cubic_fast_convergence),
	KUNIT_CASE(xtcp_cong_cubic_epoch),
	KUNIT_CASE(xtcp_cong_cubic_no_wmax),
	KUNIT_CASE(xtcp_cong_cubic_reno_friendly),
	KUNIT_CASE(xtcp_cong_reno_halving),
	KUNIT_CASE(xtcp_cong_slow_start_cases),
	KUNIT_CASE(xtcp_cong_reno_additive_increase),
	KUNIT_CASE(xtcp_cong_restart_after_idle),
	KUNIT_CASE(xtcp_cong_current_ssthresh_cases),
	KUNIT_CASE(xtcp_cong_lookup),
	KUNIT_CASE(xtcp_cong_hystart_train),
	KUNIT_CASE(xtcp_cong_hystart_delay),
	KUNIT_CASE(xtcp_cong_hystart_round_min),
	{}
};

struct kunit_suite xtcp_cong_test_suite = {
	.name = "xtcp_cong",
	.test_cases = xtcp_cong_test_cases,
};
