// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_route: the output route cache. Every case works on a cache
 * of its own on init_net, where only lo is up: 127.0.0.0/8 routes through
 * it, so keys that differ only in mark reach the same FIB answer cheaply.
 */
#include <linux/in.h>
#include <linux/inetdevice.h>
#include <linux/sched.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/route.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_kunit.h"
#include "xtcp_route.h"

#define XTCP_ROUTE_TEST_MAX	64

static struct xtcp_route_key xtcp_route_test_key(__be32 daddr, u32 mark)
{
	struct xtcp_route_key key = {
		.daddr	= daddr,
		.dport	= htons(80),
		.mark	= mark,
		.uid	= GLOBAL_ROOT_UID,
		.scope	= RT_SCOPE_UNIVERSE,
		.proto	= IPPROTO_TCP,
	};

	return key;
}

static struct xtcp_route_key xtcp_route_test_lo_key(u32 mark)
{
	return xtcp_route_test_key(htonl(INADDR_LOOPBACK), mark);
}

static struct xtcp_route_stats xtcp_route_test_stats(struct xtcp_route_cache *cache)
{
	struct xtcp_route_stats stats;

	xtcp_route_get_stats(cache, &stats);
	return stats;
}

/* Look @key up, expecting success, and give the reference straight back. */
static void xtcp_route_test_use(struct kunit *test,
				struct xtcp_route_cache *cache,
				const struct xtcp_route_key *key, u32 *pmtu)
{
	struct flowi4 fl4;
	struct rtable *rt;

	rt = xtcp_route_lookup(cache, key, &fl4, pmtu, NULL);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(rt), "lookup failed: %ld",
			       PTR_ERR(rt));
	ip_rt_put(rt);
}

static int xtcp_route_test_init(struct kunit *test)
{
	test->priv = xtcp_route_cache_create(&init_net, XTCP_ROUTE_TEST_MAX);
	if (!test->priv)
		return -ENOMEM;
	return 0;
}

static void xtcp_route_test_exit(struct kunit *test)
{
	xtcp_route_cache_destroy(test->priv);
}

static void xtcp_route_miss_then_hit(struct kunit *test)
{
	struct xtcp_route_key key = xtcp_route_test_lo_key(0);
	struct xtcp_route_cache *cache = test->priv;
	struct flowi4 fl4_miss, fl4_hit;
	struct rtable *rt_miss, *rt_hit;
	bool hit_miss = true, hit_hit = false;
	struct xtcp_route_stats s;
	u32 pmtu_miss, pmtu_hit;

	rt_miss = xtcp_route_lookup(cache, &key, &fl4_miss, &pmtu_miss,
				    &hit_miss);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt_miss));
	KUNIT_EXPECT_FALSE(test, hit_miss);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.lookups, 1);
	KUNIT_EXPECT_EQ(test, s.misses, 1);
	KUNIT_EXPECT_EQ(test, s.hits, 0);
	KUNIT_EXPECT_EQ(test, s.inserts, 1);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 1);
	/* The FIB picked the source address. */
	KUNIT_EXPECT_EQ(test, ntohl(fl4_miss.saddr), INADDR_LOOPBACK);
	KUNIT_EXPECT_EQ(test, pmtu_miss, dst_mtu(&rt_miss->dst));

	rt_hit = xtcp_route_lookup(cache, &key, &fl4_hit, &pmtu_hit, &hit_hit);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt_hit));
	KUNIT_EXPECT_TRUE(test, hit_hit);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.lookups, 2);
	KUNIT_EXPECT_EQ(test, s.misses, 1);
	KUNIT_EXPECT_EQ(test, s.hits, 1);
	KUNIT_EXPECT_EQ(test, s.inserts, 1);
	KUNIT_EXPECT_GE(test, s.searched, 1);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 1);
	KUNIT_EXPECT_PTR_EQ(test, rt_hit, rt_miss);
	KUNIT_EXPECT_EQ(test, ntohl(fl4_hit.saddr), ntohl(fl4_miss.saddr));
	KUNIT_EXPECT_EQ(test, ntohl(fl4_hit.daddr), INADDR_LOOPBACK);
	KUNIT_EXPECT_EQ(test, fl4_hit.flowi4_oif, fl4_miss.flowi4_oif);
	KUNIT_EXPECT_EQ(test, ntohs(fl4_hit.fl4_dport), 80);
	KUNIT_EXPECT_EQ(test, pmtu_hit, pmtu_miss);

	ip_rt_put(rt_hit);
	ip_rt_put(rt_miss);
}

static void xtcp_route_other_key_misses(struct kunit *test)
{
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key a = xtcp_route_test_lo_key(0);
	struct xtcp_route_key b = xtcp_route_test_lo_key(1);
	struct xtcp_route_key c = xtcp_route_test_key(htonl(0x7f000002), 0);
	struct xtcp_route_stats s;

	xtcp_route_test_use(test, cache, &a, NULL);
	xtcp_route_test_use(test, cache, &b, NULL);
	xtcp_route_test_use(test, cache, &c, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.misses, 3);
	KUNIT_EXPECT_EQ(test, s.hits, 0);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 3);

	xtcp_route_test_use(test, cache, &b, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.hits, 1);
}

/* A route change anywhere in the namespace must not be answered from here. */
static void xtcp_route_generation_invalidates(struct kunit *test)
{
	struct xtcp_route_key key = xtcp_route_test_lo_key(0);
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_stats s;

	xtcp_route_test_use(test, cache, &key, NULL);
	rt_genid_bump_ipv4(&init_net);
	xtcp_route_test_use(test, cache, &key, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.hits, 0);
	KUNIT_EXPECT_EQ(test, s.misses, 2);
	KUNIT_EXPECT_EQ(test, s.invalidations, 1);
	KUNIT_EXPECT_EQ(test, s.inserts, 2);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 1);

	/* The entry looked up again is current. */
	xtcp_route_test_use(test, cache, &key, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.hits, 1);
	KUNIT_EXPECT_EQ(test, s.invalidations, 1);
}

static void xtcp_route_eviction(struct kunit *test)
{
	const unsigned int max = 8, extra = 5;
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key;
	struct xtcp_route_stats s;
	unsigned int i;

	xtcp_route_set_max(cache, max);
	for (i = 0; i < max + extra; i++) {
		key = xtcp_route_test_lo_key(i);
		xtcp_route_test_use(test, cache, &key, NULL);
	}
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), max);
	KUNIT_EXPECT_EQ(test, s.inserts, max + extra);
	KUNIT_EXPECT_EQ(test, s.evictions, extra);

	/* The oldest went first: marks 0..extra-1 are gone, the rest stay. */
	key = xtcp_route_test_lo_key(max + extra - 1);
	xtcp_route_test_use(test, cache, &key, NULL);
	key = xtcp_route_test_lo_key(extra);
	xtcp_route_test_use(test, cache, &key, NULL);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).hits, 2);
	key = xtcp_route_test_lo_key(extra - 1);
	xtcp_route_test_use(test, cache, &key, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.hits, 2);
	KUNIT_EXPECT_EQ(test, s.evictions, extra + 1);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), max);
}

static void xtcp_route_set_max_shrinks(struct kunit *test)
{
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key;
	unsigned int i;

	for (i = 0; i < 10; i++) {
		key = xtcp_route_test_lo_key(i);
		xtcp_route_test_use(test, cache, &key, NULL);
	}
	xtcp_route_set_max(cache, 4);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 4);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).evictions, 6);

	/* 0 turns caching off: lookups still work, nothing is kept. */
	xtcp_route_set_max(cache, 0);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 0);
	xtcp_route_test_use(test, cache, &key, NULL);
	xtcp_route_test_use(test, cache, &key, NULL);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 0);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).inserts, 10);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).hits, 0);
}

/*
 * What killed the 2.6 route cache: a flood of distinct keys. The bound must
 * hold after every single insertion, not just at the end.
 */
static void xtcp_route_flood_bound(struct kunit *test)
{
	const unsigned int max = 256, flood = 100000;
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key;
	struct xtcp_route_stats s;
	unsigned int i, count;

	xtcp_route_set_max(cache, max);
	for (i = 0; i < flood; i++) {
		key = xtcp_route_test_lo_key(i);
		key.sport = htons(1024 + i % 50000);
		xtcp_route_test_use(test, cache, &key, NULL);
		count = xtcp_route_count(cache);
		if (count > max) {
			KUNIT_FAIL(test, "%u entries after %u inserts, bound %u",
				   count, i + 1, max);
			break;
		}
		cond_resched();
	}
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), max);
	KUNIT_EXPECT_EQ(test, s.misses, flood);
	KUNIT_EXPECT_EQ(test, s.inserts, flood);
	KUNIT_EXPECT_EQ(test, s.evictions, flood - max);
	/* Keyed siphash keeps chains short even for sequential keys. */
	KUNIT_EXPECT_LT(test, s.searched, 8ULL * flood);
}

static void xtcp_route_pmtu_learning(struct kunit *test)
{
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key a0 = xtcp_route_test_lo_key(0);
	struct xtcp_route_key a1 = xtcp_route_test_lo_key(1);
	struct xtcp_route_key b = xtcp_route_test_key(htonl(0x7f000002), 0);
	__be32 daddr = a0.daddr;
	u32 pmtu, lo_mtu;

	xtcp_route_test_use(test, cache, &a0, &lo_mtu);
	xtcp_route_test_use(test, cache, &a1, NULL);
	xtcp_route_test_use(test, cache, &b, NULL);
	KUNIT_ASSERT_GT(test, lo_mtu, 1400);

	xtcp_route_learn_pmtu(cache, daddr, 1400);
	xtcp_route_test_use(test, cache, &a0, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, 1400);
	xtcp_route_test_use(test, cache, &a1, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, 1400);
	/* Another destination is not affected. */
	xtcp_route_test_use(test, cache, &b, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, lo_mtu);

	/* Never raised... */
	xtcp_route_learn_pmtu(cache, daddr, 1500);
	xtcp_route_test_use(test, cache, &a0, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, 1400);

	/* ...and never below the IPv4 minimum. */
	xtcp_route_learn_pmtu(cache, daddr, 20);
	xtcp_route_test_use(test, cache, &a0, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, IPV4_MIN_MTU);
	xtcp_route_learn_pmtu(cache, daddr, 0);
	xtcp_route_test_use(test, cache, &a1, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, IPV4_MIN_MTU);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).misses, 3);
}

/* A new connection to a destination starts from what was learned for it. */
static void xtcp_route_pmtu_inherited(struct kunit *test)
{
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key = xtcp_route_test_lo_key(0);
	u32 pmtu, lo_mtu;

	xtcp_route_test_use(test, cache, &key, &lo_mtu);
	xtcp_route_learn_pmtu(cache, key.daddr, 1280);

	key.sport = htons(40000);
	xtcp_route_test_use(test, cache, &key, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, 1280);
	KUNIT_EXPECT_EQ(test, xtcp_route_test_stats(cache).misses, 2);
	xtcp_route_test_use(test, cache, &key, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, 1280);

	/* After a route change the old path's MTU no longer applies. */
	rt_genid_bump_ipv4(&init_net);
	key.sport = htons(40001);
	xtcp_route_test_use(test, cache, &key, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, lo_mtu);

	/* Nor for a destination nothing was learned for. */
	key = xtcp_route_test_key(htonl(0x7f000002), 0);
	xtcp_route_test_use(test, cache, &key, &pmtu);
	KUNIT_EXPECT_EQ(test, pmtu, lo_mtu);
}

static void xtcp_route_flush_empties(struct kunit *test)
{
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key;
	struct xtcp_route_stats s;
	unsigned int i;

	for (i = 0; i < 5; i++) {
		key = xtcp_route_test_lo_key(i);
		xtcp_route_test_use(test, cache, &key, NULL);
	}
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 5);
	xtcp_route_flush(cache);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 0);

	xtcp_route_test_use(test, cache, &key, NULL);
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.misses, 6);
	KUNIT_EXPECT_EQ(test, s.hits, 0);
	KUNIT_EXPECT_EQ(test, s.evictions, 0);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 1);
}

struct xtcp_route_error_case {
	const char *name;
	__be32 daddr;
	__be32 saddr;
	int oif;
	int err;
	bool needs_no_default_route;
};

static const struct xtcp_route_error_case xtcp_route_error_cases[] = {
	{ "no such device", htonl(INADDR_LOOPBACK), 0, INT_MAX, -ENODEV },
	{ "multicast source", htonl(INADDR_LOOPBACK), htonl(0xe0000001), 0,
	  -EINVAL },
	/* 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never assigned here. */
	{ "source not local", htonl(INADDR_LOOPBACK), htonl(0xcb007107), 0,
	  -ENETUNREACH },
	{ "no route", htonl(0xcb007101), 0, 0, -ENETUNREACH, true },
};

static void xtcp_route_error_desc(const struct xtcp_route_error_case *c,
				  char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xtcp_route_error, xtcp_route_error_cases,
		  xtcp_route_error_desc);

/* A failure is the FIB's answer for now only: it must not be remembered. */
static void xtcp_route_error_not_cached(struct kunit *test)
{
	const struct xtcp_route_error_case *c = test->param_value;
	struct xtcp_route_cache *cache = test->priv;
	struct xtcp_route_key key;
	struct xtcp_route_stats s;
	struct flowi4 fl4;
	struct rtable *rt;
	int i;

	key = xtcp_route_test_key(c->daddr, 0);
	key.saddr = c->saddr;
	key.oif = c->oif;

	if (c->needs_no_default_route) {
		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = c->daddr;
		rt = ip_route_output_key(&init_net, &fl4);
		if (!IS_ERR(rt)) {
			ip_rt_put(rt);
			kunit_skip(test, "%pI4 is routable here", &c->daddr);
		}
	}

	for (i = 0; i < 2; i++) {
		rt = xtcp_route_lookup(cache, &key, &fl4, NULL, NULL);
		KUNIT_ASSERT_TRUE(test, IS_ERR(rt));
		KUNIT_EXPECT_EQ(test, PTR_ERR(rt), c->err);
	}
	s = xtcp_route_test_stats(cache);
	KUNIT_EXPECT_EQ(test, s.misses, 2);
	KUNIT_EXPECT_EQ(test, s.hits, 0);
	KUNIT_EXPECT_EQ(test, s.inserts, 0);
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 0);
}

/*
 * The caller's reference is its own: it survives the cache. The limited
 * broadcast with a loopback source gets a route the FIB does not keep
 * (no nexthop to cache it in), so its refcount counts only us and the cache.
 */
static void xtcp_route_caller_owns_ref(struct kunit *test)
{
	struct xtcp_route_key key = xtcp_route_test_key(htonl(INADDR_BROADCAST),
							0);
	struct xtcp_route_cache *cache = test->priv;
	struct flowi4 fl4;
	struct rtable *rt;

	key.saddr = htonl(INADDR_LOOPBACK);
	rt = xtcp_route_lookup(cache, &key, &fl4, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rt));
	KUNIT_EXPECT_EQ(test, xtcp_route_count(cache), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&rt->dst.__refcnt), 2);

	xtcp_route_cache_destroy(cache);
	test->priv = NULL;

	KUNIT_EXPECT_EQ(test, atomic_read(&rt->dst.__refcnt), 1);
	KUNIT_EXPECT_GT(test, dst_mtu(&rt->dst), 0);
	KUNIT_EXPECT_STREQ(test, rt->dst.dev->name, "lo");
	ip_rt_put(rt);
}

static struct kunit_case xtcp_route_test_cases[] = {
	KUNIT_CASE(xtcp_route_miss_then_hit),
	KUNIT_CASE(xtcp_route_other_key_misses),
	KUNIT_CASE(xtcp_route_generation_invalidates),
	KUNIT_CASE(xtcp_route_eviction),
	KUNIT_CASE(xtcp_route_set_max_shrinks),
	KUNIT_CASE(xtcp_route_flood_bound),
	KUNIT_CASE(xtcp_route_pmtu_learning),
	KUNIT_CASE(xtcp_route_pmtu_inherited),
	KUNIT_CASE(xtcp_route_flush_empties),
	KUNIT_CASE_PARAM(xtcp_route_error_not_cached,
			 xtcp_route_error_gen_params),
	KUNIT_CASE(xtcp_route_caller_owns_ref),
	{}
};

struct kunit_suite xtcp_route_test_suite = {
	.name = "xtcp_route",
	.init = xtcp_route_test_init,
	.exit = xtcp_route_test_exit,
	.test_cases = xtcp_route_test_cases,
};
