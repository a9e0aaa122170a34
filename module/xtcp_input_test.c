// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_input: option parsing and sequence-space arithmetic. */
#include <linux/tcp.h>
#include <net/tcp.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_input.h"
#include "xtcp_kunit.h"

/* A TCP header followed by up to 40 bytes of options. */
struct xtcp_test_seg {
	struct tcphdr th;
	u8 opts[40];
} __packed;

static void xtcp_test_seg_init(struct xtcp_test_seg *seg, bool syn,
			       const u8 *opts, unsigned int len)
{
	memset(seg, 0, sizeof(*seg));
	seg->th.syn = syn;
	seg->th.doff = (sizeof(struct tcphdr) + len) / 4;
	memcpy(seg->opts, opts, len);
}

/* What Linux puts in a SYN: MSS, SACK_PERM + TS, NOP + WS. */
static void xtcp_input_parse_linux_syn(struct kunit *test)
{
	static const u8 opts[] = {
		2, 4, 0x05, 0xb4,			/* MSS 1460 */
		4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0,	/* SACK_PERM, TS 7 0 */
		1, 3, 3, 7,				/* NOP, WS 7 */
	};
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 1460);
	KUNIT_EXPECT_EQ(test, opt.wscale, 7);
	KUNIT_EXPECT_TRUE(test, opt.sack_ok);
	KUNIT_EXPECT_TRUE(test, opt.saw_tstamp);
	KUNIT_EXPECT_EQ(test, opt.tsval, 7U);
	KUNIT_EXPECT_EQ(test, opt.tsecr, 0U);
}

/* SYN-only options mean nothing on other segments. */
static void xtcp_input_parse_syn_only(struct kunit *test)
{
	static const u8 opts[] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7 };
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, false, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 0);
	KUNIT_EXPECT_EQ(test, opt.wscale, -1);
}

/* RFC 7323 2.3: a shift above 14 is used as 14. */
static void xtcp_input_parse_wscale_clamp(struct kunit *test)
{
	static const u8 opts[] = { 3, 3, 15, 0 };
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.wscale, 14);
}

struct xtcp_bad_opts {
	const char *name;
	u8 opts[12];
	unsigned int len;
};

/* Malformed lengths stop the parser; it never reads past the header. */
static const struct xtcp_bad_opts xtcp_bad_opts_cases[] = {
	{ "length 0", { 2, 0, 0x05, 0xb4 }, 4 },
	{ "length 1", { 2, 1, 0x05, 0xb4 }, 4 },
	{ "length past the header", { 1, 1, 8, 10, 0, 0, 0, 1 }, 8 },
	{ "truncated kind", { 1, 1, 1, 2 }, 4 },
	{ "wrong MSS length", { 2, 3, 0x05, 1 }, 4 },
	{ "wrong TS length", { 8, 6, 0, 0, 0, 1, 0, 0 }, 8 },
};

static void xtcp_bad_opts_desc(const struct xtcp_bad_opts *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xtcp_bad_opts, xtcp_bad_opts_cases, xtcp_bad_opts_desc);

static void xtcp_input_parse_malformed(struct kunit *test)
{
	const struct xtcp_bad_opts *c = test->param_value;
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, c->opts, c->len);
	/* Poison what follows: the parser must not read it. */
	memset(seg.opts + c->len, 2, sizeof(seg.opts) - c->len);
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 0);
	KUNIT_EXPECT_FALSE(test, opt.saw_tstamp);
}

/* An EOL ends the list even with options after it. */
static void xtcp_input_parse_eol(struct kunit *test)
{
	static const u8 opts[] = { 0, 0, 0, 0, 2, 4, 0x05, 0xb4 };
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 0);
}

/* RFC 9293 3.4: comparisons are modulo 2^32. */
static void xtcp_input_seq_arith(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 2));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x10, 0xfffffff0U));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0xfffffff0U, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0U, 0x5, 0x10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(5, 5, 5));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(5, 4, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(5, 11, 10));
}

/* RFC 7323 5: PAWS as tcp_paws_check(), window 0 and TCP_PAWS_WINDOW. */
static void xtcp_input_paws(struct kunit *test)
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

static struct kunit_case xtcp_input_test_cases[] = {
	KUNIT_CASE(xtcp_input_parse_linux_syn),
	KUNIT_CASE(xtcp_input_parse_syn_only),
	KUNIT_CASE(xtcp_input_parse_wscale_clamp),
	KUNIT_CASE_PARAM(xtcp_input_parse_malformed, xtcp_bad_opts_gen_params),
	KUNIT_CASE(xtcp_input_parse_eol),
	KUNIT_CASE(xtcp_input_seq_arith),
	KUNIT_CASE(xtcp_input_paws),
	{}
};

struct kunit_suite xtcp_input_test_suite = {
	.name = "xtcp_input",
	.test_cases = xtcp_input_test_cases,
};
