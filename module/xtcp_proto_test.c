// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_proto: choice and validation of the protocol number. */
#include <linux/in.h>
#include <net/net_namespace.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_kunit.h"
#include "xtcp_proto.h"

struct xtcp_proto_number_case {
	int protocol;
	int err;
};

static const struct xtcp_proto_number_case xtcp_proto_number_cases[] = {
	{ 0, -EINVAL },			/* wildcard: native TCP */
	{ -1, -EINVAL },
	{ INT_MIN, -EINVAL },
	{ IPPROTO_TCP, -EINVAL },
	{ IPPROTO_MPTCP, -EINVAL },
	{ IPPROTO_MAX, -EINVAL },	/* inet_create() refuses it */
	{ IPPROTO_MAX + 1, -EINVAL },
	{ INT_MAX, -EINVAL },
	{ IPPROTO_XTCP, 0 },
	{ 254, 0 },			/* RFC 3692's other number */
	{ 1, 0 },
	{ IPPROTO_MPTCP - 1, 0 },	/* 261: free, just below MPTCP */
};

static void xtcp_proto_number_desc(const struct xtcp_proto_number_case *c,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "protocol %d", c->protocol);
}

KUNIT_ARRAY_PARAM(xtcp_proto_number, xtcp_proto_number_cases,
		  xtcp_proto_number_desc);

static void xtcp_proto_check_number_test(struct kunit *test)
{
	const struct xtcp_proto_number_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_proto_check_number(c->protocol), c->err);
}

/* The number xtcp registered answers with an xtcp socket, so it is taken. */
static void xtcp_proto_in_use_own_number(struct kunit *test)
{
	int protocol = xtcp_proto_number();

	KUNIT_ASSERT_GT(test, protocol, 0);
	KUNIT_EXPECT_TRUE(test, xtcp_proto_in_use(&init_net, protocol));
}

static void xtcp_proto_in_use_native_tcp(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_proto_in_use(&init_net, IPPROTO_TCP));
	/* The wildcard resolves to native TCP too. */
	KUNIT_EXPECT_TRUE(test, xtcp_proto_in_use(&init_net, 0));
}

static void xtcp_proto_in_use_free_number(struct kunit *test)
{
	int protocol = xtcp_proto_number() == 254 ? 252 : 254;

	KUNIT_EXPECT_FALSE(test, xtcp_proto_in_use(&init_net, protocol));
	KUNIT_EXPECT_FALSE(test, xtcp_proto_in_use(&init_net, IPPROTO_MAX));
}

static struct kunit_case xtcp_proto_test_cases[] = {
	KUNIT_CASE_PARAM(xtcp_proto_check_number_test,
			 xtcp_proto_number_gen_params),
	KUNIT_CASE(xtcp_proto_in_use_own_number),
	KUNIT_CASE(xtcp_proto_in_use_native_tcp),
	KUNIT_CASE(xtcp_proto_in_use_free_number),
	{}
};

struct kunit_suite xtcp_proto_test_suite = {
	.name = "xtcp_proto",
	.test_cases = xtcp_proto_test_cases,
};
