// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_cookie: SYN cookies and the options they carry in TSval. */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <kunit/test.h>

#include "xtcp_cookie.h"
#include "xtcp_kunit.h"

/*
 * Fixed keys make every case deterministic: with random ones, a wrong tuple
 * would pass by chance once in about 2^30 runs.
 */
static const struct xtcp_cookie_secret xtcp_test_secret = {
	.key = {
		{ { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } },
		{ { 0x0f1e2d3c4b5a6978ULL, 0x8796a5b4c3d2e1f0ULL } },
	},
};

#define T_SADDR	cpu_to_be32(0xc0a80a02)	/* 192.168.10.2, the peer */
#define T_DADDR	cpu_to_be32(0xc0a80a01)	/* 192.168.10.1, the listener */
#define T_SPORT	cpu_to_be16(40000)
#define T_DPORT	cpu_to_be16(80)
#define T_ISN	0x89abcdefU
#define T_CLOCK	1000U

static u32 xtcp_test_make(u32 clock, u16 *mss)
{
	return xtcp_cookie_make(&xtcp_test_secret, T_SADDR, T_DADDR, T_SPORT,
				T_DPORT, T_ISN, clock, mss);
}

static u16 xtcp_test_check(u32 cookie, u32 clock)
{
	return xtcp_cookie_check(&xtcp_test_secret, T_SADDR, T_DADDR, T_SPORT,
				 T_DPORT, T_ISN, cookie, clock);
}

struct xtcp_cookie_mss_case {
	u16 offered, encoded;
};

static const struct xtcp_cookie_mss_case xtcp_cookie_mss_cases[] = {
	{ 0, 536 }, { 1, 536 }, { 88, 536 }, { 535, 536 },
	{ 536, 536 }, { 537, 536 }, { 1299, 536 },
	{ 1300, 1300 }, { 1301, 1300 }, { 1439, 1300 },
	{ 1440, 1440 }, { 1441, 1440 }, { 1459, 1440 },
	{ 1460, 1460 }, { 1461, 1460 }, { 8960, 1460 }, { 65535, 1460 },
};

static void xtcp_cookie_mss_desc(const struct xtcp_cookie_mss_case *c,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "offered %u", c->offered);
}

KUNIT_ARRAY_PARAM(xtcp_cookie_mss, xtcp_cookie_mss_cases, xtcp_cookie_mss_desc);

/* The MSS comes back as the largest table entry not above the offer. */
static void xtcp_cookie_mss_round_trip(struct kunit *test)
{
	const struct xtcp_cookie_mss_case *c = test->param_value;
	u16 mss = c->offered;
	u32 cookie;

	cookie = xtcp_test_make(T_CLOCK, &mss);
	KUNIT_EXPECT_EQ(test, mss, c->encoded);
	KUNIT_EXPECT_EQ(test, xtcp_test_check(cookie, T_CLOCK), c->encoded);
}

/* Each input of the hashes is bound: changing one invalidates the cookie. */
static void xtcp_cookie_bound_to_inputs(struct kunit *test)
{
	const struct xtcp_cookie_secret *s = &xtcp_test_secret;
	struct xtcp_cookie_secret other = xtcp_test_secret;
	u16 mss = 1460;
	u32 cookie;

	cookie = xtcp_test_make(T_CLOCK, &mss);
	KUNIT_ASSERT_EQ(test, xtcp_test_check(cookie, T_CLOCK), 1460);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, cpu_to_be32(0xc0a80a03),
						T_DADDR, T_SPORT, T_DPORT,
						T_ISN, cookie, T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR,
						cpu_to_be32(0xc0a80b01),
						T_SPORT, T_DPORT, T_ISN,
						cookie, T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR, T_DADDR,
						cpu_to_be16(40001), T_DPORT,
						T_ISN, cookie, T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR, T_DADDR, T_SPORT,
						cpu_to_be16(81), T_ISN,
						cookie, T_CLOCK), 0);
	/* the same tuple seen from the other direction */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_DADDR, T_SADDR, T_DPORT,
						T_SPORT, T_ISN, cookie,
						T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR, T_DADDR, T_SPORT,
						T_DPORT, T_ISN + 1, cookie,
						T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR, T_DADDR, T_SPORT,
						T_DPORT, T_ISN - 1, cookie,
						T_CLOCK), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(s, T_SADDR, T_DADDR, T_SPORT,
						T_DPORT, T_ISN + (1U << 24),
						cookie, T_CLOCK), 0);

	/* either key alone matters */
	other.key[0].key[1] ^= 1;
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&other, T_SADDR, T_DADDR,
						T_SPORT, T_DPORT, T_ISN,
						cookie, T_CLOCK), 0);
	other = xtcp_test_secret;
	other.key[1].key[0] ^= 1ULL << 63;
	KUNIT_EXPECT_EQ(test, xtcp_cookie_check(&other, T_SADDR, T_DADDR,
						T_SPORT, T_DPORT, T_ISN,
						cookie, T_CLOCK), 0);
}

struct xtcp_cookie_age_case {
	u32 made, checked;
	bool valid;
};

static const struct xtcp_cookie_age_case xtcp_cookie_age_cases[] = {
	{ T_CLOCK, T_CLOCK, true },
	{ T_CLOCK, T_CLOCK + 1, true },
	{ T_CLOCK, T_CLOCK + 2, false },
	{ T_CLOCK, T_CLOCK + 3, false },
	{ T_CLOCK, T_CLOCK - 1, false },
	{ T_CLOCK, T_CLOCK + 100, false },
	/* same low 8 bits of the counter, but the hash sees all 32 */
	{ T_CLOCK, T_CLOCK + 256, false },
	{ T_CLOCK, T_CLOCK + 257, false },
	/* the 8-bit field and the counter itself wrap */
	{ 255, 256, true },
	{ 254, 256, false },
	{ 255, 254, false },
	{ U32_MAX, 0, true },
	{ U32_MAX - 1, 0, false },
	{ U32_MAX, 1, false },
	{ 0, U32_MAX, false },
};

static void xtcp_cookie_age_desc(const struct xtcp_cookie_age_case *c,
				 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "made %u checked %u", c->made,
		 c->checked);
}

KUNIT_ARRAY_PARAM(xtcp_cookie_age, xtcp_cookie_age_cases, xtcp_cookie_age_desc);

/* Valid for the counter it was made at and the next two, never before. */
static void xtcp_cookie_age(struct kunit *test)
{
	const struct xtcp_cookie_age_case *c = test->param_value;
	u16 mss = 1440;
	u32 cookie;

	cookie = xtcp_test_make(c->made, &mss);
	KUNIT_EXPECT_EQ(test, xtcp_test_check(cookie, c->checked),
			c->valid ? 1440 : 0);
}

/* xorshift32: a fixed sequence, so a failure can be replayed. */
static u32 xtcp_test_next(u32 *state)
{
	u32 x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

#define XTCP_FORGED_TRIES	20000

/*
 * Guessed ACKs: a blind attacker passes with probability about 3/256 *
 * 4/2^24 per try, so none of these may.
 */
static void xtcp_cookie_forged(struct kunit *test)
{
	u32 state = 0x2545f491, passed = 0;
	int i;

	for (i = 0; i < XTCP_FORGED_TRIES; i++) {
		u32 ports = xtcp_test_next(&state);
		u32 isn = xtcp_test_next(&state);
		u32 cookie = xtcp_test_next(&state);

		if (xtcp_cookie_check(&xtcp_test_secret, T_SADDR, T_DADDR,
				      (__force __be16)(u16)(ports >> 16),
				      (__force __be16)(u16)ports, isn, cookie,
				      T_CLOCK))
			passed++;
		/* a guess at the right tuple and peer ISN */
		if (xtcp_test_check(cookie, T_CLOCK))
			passed++;
	}
	KUNIT_EXPECT_EQ(test, passed, 0U);
}

/* Two namespaces get different, non-zero keys. */
static void xtcp_cookie_secret_random(struct kunit *test)
{
	struct xtcp_cookie_secret a, b;

	xtcp_cookie_secret_init(&a);
	xtcp_cookie_secret_init(&b);
	KUNIT_EXPECT_FALSE(test, siphash_key_is_zero(&a.key[0]));
	KUNIT_EXPECT_FALSE(test, siphash_key_is_zero(&a.key[1]));
	KUNIT_EXPECT_NE(test, memcmp(&a, &b, sizeof(a)), 0);
	KUNIT_EXPECT_NE(test, memcmp(&a.key[0], &a.key[1], sizeof(a.key[0])),
			0);
}

/* The counter is minutes of jiffies, as tcp_cookie_time(). */
static void xtcp_cookie_clock_minutes(struct kunit *test)
{
	u32 before = (u32)div_u64(get_jiffies_64(), 60 * HZ);
	u32 clock = xtcp_cookie_clock();
	u32 after = (u32)div_u64(get_jiffies_64(), 60 * HZ);

	KUNIT_EXPECT_TRUE(test, clock == before || clock == after);
}

static const u32 xtcp_test_tsvals[] = {
	0, 1, 5, 63, 64, 65, 127, 1000, 0x12345678, 0x7fffffff, 0x80000000,
	0xffffffc0, U32_MAX,
};

/* Every option combination survives TSval -> TSecr, never from the future. */
static void xtcp_cookie_ts_round_trip(struct kunit *test)
{
	unsigned int i;
	int ws, sack;

	for (i = 0; i < ARRAY_SIZE(xtcp_test_tsvals); i++) {
		u32 now = xtcp_test_tsvals[i];

		for (ws = -1; ws <= 14; ws++) {
			for (sack = 0; sack <= 1; sack++) {
				struct xtcp_cookie_opts in = {
					.wscale = ws, .sack_ok = sack,
				};
				struct xtcp_cookie_opts out = {
					.wscale = 99, .sack_ok = !sack,
				};
				u32 ts = xtcp_cookie_ts_encode(now, &in);

				KUNIT_EXPECT_GE_MSG(test, (s32)(now - ts), 0,
						    "now %u ts %u", now, ts);
				/* 0 would read as "no timestamps" */
				if (now < 64 && ws == 0 && !sack)
					KUNIT_EXPECT_EQ(test, ts, (u32)-64);
				else
					KUNIT_EXPECT_LT_MSG(test, now - ts, 64U,
							    "now %u ts %u",
							    now, ts);
				KUNIT_EXPECT_NE(test, ts, 0U);
				KUNIT_EXPECT_TRUE_MSG(test,
					xtcp_cookie_ts_decode(ts, &out),
					"now %u ws %d sack %d", now, ws, sack);
				KUNIT_EXPECT_EQ(test, out.wscale, in.wscale);
				KUNIT_EXPECT_EQ(test, out.sack_ok, in.sack_ok);
			}
		}
	}
}

/* RFC 7323 2.3: a shift above 14 is used as 14. */
static void xtcp_cookie_ts_wscale_clamp(struct kunit *test)
{
	struct xtcp_cookie_opts in = { .wscale = 15, .sack_ok = true };
	struct xtcp_cookie_opts out;

	KUNIT_ASSERT_TRUE(test,
			  xtcp_cookie_ts_decode(xtcp_cookie_ts_encode(100000, &in),
						&out));
	KUNIT_EXPECT_EQ(test, out.wscale, 14);
	KUNIT_EXPECT_TRUE(test, out.sack_ok);
}

/* Echoes crafted by hand, as a peer could send them. */
static void xtcp_cookie_ts_decode_values(struct kunit *test)
{
	struct xtcp_cookie_opts o = { .wscale = 3, .sack_ok = true };

	/* no timestamps: no options */
	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(0, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, -1);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);

	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(0x40, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, 0);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);

	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(0xf, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, -1);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);

	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(0xabcdef1f, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, -1);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);

	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(0x1234560e, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);

	KUNIT_EXPECT_TRUE(test, xtcp_cookie_ts_decode(0x1e, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);

	/* ECN is never offered, so an echo with it is not one of ours */
	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(0x27, &o));
	KUNIT_EXPECT_EQ(test, o.wscale, -1);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_FALSE(test, xtcp_cookie_ts_decode(0x3f, &o));
}

static struct kunit_case xtcp_cookie_test_cases[] = {
	KUNIT_CASE_PARAM(xtcp_cookie_mss_round_trip,
			 xtcp_cookie_mss_gen_params),
	KUNIT_CASE(xtcp_cookie_bound_to_inputs),
	KUNIT_CASE_PARAM(xtcp_cookie_age, xtcp_cookie_age_gen_params),
	KUNIT_CASE(xtcp_cookie_forged),
	KUNIT_CASE(xtcp_cookie_secret_random),
	KUNIT_CASE(xtcp_cookie_clock_minutes),
	KUNIT_CASE(xtcp_cookie_ts_round_trip),
	KUNIT_CASE(xtcp_cookie_ts_wscale_clamp),
	KUNIT_CASE(xtcp_cookie_ts_decode_values),
	{}
};

struct kunit_suite xtcp_cookie_test_suite = {
	.name = "xtcp_cookie",
	.test_cases = xtcp_cookie_test_cases,
};
