// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_options: parsing TCP options as tcp_parse_options() does,
 * malformed ones included, and building them in Linux's order.
 */
#include <linux/tcp.h>
#include <net/tcp.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_input.h"
#include "xtcp_kunit.h"
#include "xtcp_output.h"

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
	if (len)
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

/*
 * A bad length on a known option is skipped like an unknown option, and
 * parsing goes on (tcp_parse_options() checks each option's own size).
 */
static void xtcp_input_parse_skip(struct kunit *test)
{
	static const u8 opts[] = {
		3, 4, 7, 0,			/* WS of length 4: ignored */
		99, 6, 1, 2, 3, 4,		/* unknown kind, skipped */
		4, 3, 0,			/* SACK_PERM of length 3: ignored */
		1, 1, 1,
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
	};
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 1460);
	KUNIT_EXPECT_EQ(test, opt.wscale, -1);
	KUNIT_EXPECT_FALSE(test, opt.sack_ok);
}

/* Timestamps count on any segment; what came before a bad option stays. */
static void xtcp_input_parse_keep_before_bad(struct kunit *test)
{
	static const u8 opts[] = {
		1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 3,	/* NOP NOP TS 9 3 */
		5, 1, 0, 0,				/* length 1: stop */
	};
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, false, opts, sizeof(opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_TRUE(test, opt.saw_tstamp);
	KUNIT_EXPECT_EQ(test, opt.tsval, 9U);
	KUNIT_EXPECT_EQ(test, opt.tsecr, 3U);
}

/* A header without options: everything absent. */
static void xtcp_input_parse_none(struct kunit *test)
{
	struct xtcp_test_seg seg;
	struct xtcp_options opt;

	xtcp_test_seg_init(&seg, true, NULL, 0);
	/* Bytes past doff are payload, not options. */
	memset(seg.opts, 2, sizeof(seg.opts));
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 0);
	KUNIT_EXPECT_EQ(test, opt.wscale, -1);
	KUNIT_EXPECT_FALSE(test, opt.sack_ok);
	KUNIT_EXPECT_FALSE(test, opt.saw_tstamp);
}

/* Building: a SYN-ACK with everything, byte for byte as Linux sends it. */
static void xtcp_output_build_synack(struct kunit *test)
{
	static const u8 want[] = {
		2, 4, 0x05, 0xb4,			/* MSS 1460 */
		4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 5,	/* SACK_PERM, TS 7 5 */
		1, 3, 3, 7,				/* NOP, WS 7 */
	};
	struct xtcp_reply r = {
		.flags = TCPHDR_SYN | TCPHDR_ACK, .mss = 1460, .wscale = 7,
		.sack_ok = true, .tstamp = true, .tsval = 7, .tsecr = 5,
	};
	struct xtcp_test_seg seg;
	struct xtcp_options opt;
	unsigned int len;

	memset(&seg, 0, sizeof(seg));
	len = xtcp_output_reply_options(&r, (__be32 *)seg.opts);
	KUNIT_ASSERT_EQ(test, len, sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(seg.opts, want, sizeof(want)), 0);
	/* And it parses back to what was put in. */
	seg.th.syn = 1;
	seg.th.doff = (sizeof(struct tcphdr) + len) / 4;
	xtcp_input_parse_options(&seg.th, &opt);
	KUNIT_EXPECT_EQ(test, opt.mss, 1460);
	KUNIT_EXPECT_EQ(test, opt.wscale, 7);
	KUNIT_EXPECT_TRUE(test, opt.sack_ok);
	KUNIT_EXPECT_EQ(test, opt.tsval, 7U);
	KUNIT_EXPECT_EQ(test, opt.tsecr, 5U);
}

/* Without timestamps SACK_PERM takes two NOPs; no WS without scaling. */
static void xtcp_output_build_no_ts(struct kunit *test)
{
	static const u8 want[] = { 2, 4, 0x02, 0x18, 1, 1, 4, 2 };
	struct xtcp_reply r = {
		.flags = TCPHDR_SYN | TCPHDR_ACK, .mss = 536, .wscale = -1,
		.sack_ok = true,
	};
	u8 buf[40] = {};

	KUNIT_ASSERT_EQ(test, xtcp_output_reply_options(&r, (__be32 *)buf),
			sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

/* Not a SYN: only NOP, NOP, timestamps (the SYN-only options are left out). */
static void xtcp_output_build_not_syn(struct kunit *test)
{
	static const u8 want[] = { 1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 0, 2 };
	struct xtcp_reply r = {
		.flags = TCPHDR_ACK, .mss = 1460, .wscale = 7, .sack_ok = true,
		.tstamp = true, .tsval = 256, .tsecr = 2,
	};
	u8 buf[40] = {};

	KUNIT_ASSERT_EQ(test, xtcp_output_reply_options(&r, (__be32 *)buf),
			sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
	r.tstamp = false;
	KUNIT_EXPECT_EQ(test, xtcp_output_reply_options(&r, (__be32 *)buf), 0U);
}

static struct kunit_case xtcp_options_test_cases[] = {
	KUNIT_CASE(xtcp_input_parse_linux_syn),
	KUNIT_CASE(xtcp_input_parse_syn_only),
	KUNIT_CASE(xtcp_input_parse_wscale_clamp),
	KUNIT_CASE_PARAM(xtcp_input_parse_malformed, xtcp_bad_opts_gen_params),
	KUNIT_CASE(xtcp_input_parse_eol),
	KUNIT_CASE(xtcp_input_parse_skip),
	KUNIT_CASE(xtcp_input_parse_keep_before_bad),
	KUNIT_CASE(xtcp_input_parse_none),
	KUNIT_CASE(xtcp_output_build_synack),
	KUNIT_CASE(xtcp_output_build_no_ts),
	KUNIT_CASE(xtcp_output_build_not_syn),
	{}
};

struct kunit_suite xtcp_options_test_suite = {
	.name = "xtcp_options",
	.test_cases = xtcp_options_test_cases,
};
