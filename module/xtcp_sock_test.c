// SPDX-License-Identifier: GPL-2.0
/* KUnit suite xtcp_sock: socket lifecycle and MSS derivation. */
#include <linux/in.h>
#include <linux/net.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_kunit.h"
#include "xtcp_pernet.h"
#include "xtcp_proto.h"
#include "xtcp_sock.h"

struct xtcp_mss_case {
	const char *name;
	u32 pmtu, ext_hdr_len, user_mss, min_mss;
	u32 mss;
};

static const struct xtcp_mss_case xtcp_mss_cases[] = {
	{ "ethernet", 1500, 0, 0, 48, 1460 },
	{ "jumbo", 9000, 0, 0, 48, 8960 },
	{ "loopback", 65536, 0, 0, 48, 65496 },
	{ "user clamp below path", 1500, 0, 1000, 48, 1000 },
	{ "user clamp above path", 1500, 0, 4000, 48, 1460 },
	{ "ip options", 1500, 40, 0, 48, 1420 },
	{ "clamp then options", 1500, 12, 1000, 48, 988 },
	{ "tiny mtu hits floor", 68, 0, 0, 48, 48 },
	{ "zero mtu hits floor", 0, 0, 0, 48, 48 },
	{ "options eat all", 80, 40, 0, 48, 48 },
	{ "raised floor", 1500, 0, 0, 1460, 1460 },
};

static void xtcp_mss_desc(const struct xtcp_mss_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xtcp_mss, xtcp_mss_cases, xtcp_mss_desc);

static void xtcp_sock_mtu_to_mss_test(struct kunit *test)
{
	const struct xtcp_mss_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_sock_mtu_to_mss(c->pmtu, c->ext_hdr_len,
						   c->user_mss, c->min_mss),
			c->mss);
}

/* A kernel socket goes through the same inet_create() path as socket(2). */
static void xtcp_sock_lifecycle(struct kunit *test)
{
	unsigned int before = xtcp_pernet_sock_count(&init_net);
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
			       xtcp_proto_number(), &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	sk = sock->sk;
	KUNIT_EXPECT_STREQ(test, sk->sk_prot->name, "XTCP");
	KUNIT_EXPECT_EQ(test, sk->sk_protocol, xtcp_proto_number());
	KUNIT_EXPECT_EQ(test, sk->sk_type, SOCK_STREAM);
	KUNIT_EXPECT_EQ(test, sk->sk_state, TCP_CLOSE);
	KUNIT_EXPECT_TRUE(test, inet_sk(sk)->is_icsk);
	KUNIT_EXPECT_EQ(test, xtcp_pernet_sock_count(&init_net), before + 1);
	sock_release(sock);
	KUNIT_EXPECT_EQ(test, xtcp_pernet_sock_count(&init_net), before);
}

/* Calls that have no machinery yet say so instead of pretending. */
static void xtcp_sock_unconnected_calls(struct kunit *test)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(80),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
			       xtcp_proto_number(), &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, kernel_connect(sock, (struct sockaddr *)&sin,
					     sizeof(sin) - 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, kernel_sock_shutdown(sock, SHUT_RDWR), -ENOTCONN);
	/* A listener: shutdown() stops it, as for native TCP. */
	KUNIT_EXPECT_EQ(test, kernel_listen(sock, 1), 0);
	KUNIT_EXPECT_EQ(test, kernel_sock_shutdown(sock, SHUT_RDWR), 0);
	sock_release(sock);
}

static struct kunit_case xtcp_sock_test_cases[] = {
	KUNIT_CASE_PARAM(xtcp_sock_mtu_to_mss_test, xtcp_mss_gen_params),
	KUNIT_CASE(xtcp_sock_lifecycle),
	KUNIT_CASE(xtcp_sock_unconnected_calls),
	{}
};

struct kunit_suite xtcp_sock_test_suite = {
	.name = "xtcp_sock",
	.test_cases = xtcp_sock_test_cases,
};
