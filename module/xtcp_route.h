/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's own IPv4 route cache: a bounded, per-namespace hash table of output
 * routes keyed like the flow tcp_v4_connect() looks up, read under RCU,
 * revalidated on every hit, so that connects to a known destination skip
 * the FIB. See Documentation/design.md, "Route cache".
 */
#ifndef _XTCP_ROUTE_H
#define _XTCP_ROUTE_H

#include <linux/types.h>
#include <linux/uidgid.h>
#include <net/flow.h>

struct net;
struct rtable;
struct xtcp_route_cache;

/**
 * struct xtcp_route_key - what selects a route for a connect
 * @daddr: destination address
 * @saddr: source address, 0 when the socket is not bound
 * @dport: destination port
 * @sport: source port, 0 before one is chosen
 * @mark: SO_MARK
 * @oif: SO_BINDTODEVICE's ifindex, 0 if none
 * @uid: socket owner, for uid routing rules
 * @tos: RT_CONN_FLAGS(sk) (TOS plus the RTO_ONLINK bit)
 * @scope: RT_SCOPE_UNIVERSE or RT_SCOPE_LINK (SO_DONTROUTE)
 * @proto: IPPROTO_TCP, for ipproto routing rules
 * @pad: always zero
 *
 * Compared and hashed as raw bytes: initialise with memset() or = {}.
 */
struct xtcp_route_key {
	__be32	daddr;
	__be32	saddr;
	__be16	dport;
	__be16	sport;
	u32	mark;
	int	oif;
	kuid_t	uid;
	u8	tos;
	u8	scope;
	u8	proto;
	u8	pad;
};

/**
 * struct xtcp_route_stats - counters in the spirit of 2.6's rt_cache_stat
 * @lookups: calls to xtcp_route_lookup()
 * @hits: answered from the cache
 * @misses: went to the FIB (slow path)
 * @searched: chain entries compared during lookups
 * @inserts: entries added
 * @evictions: entries dropped to respect the bound
 * @invalidations: entries dropped because their route went stale
 */
struct xtcp_route_stats {
	u64	lookups;
	u64	hits;
	u64	misses;
	u64	searched;
	u64	inserts;
	u64	evictions;
	u64	invalidations;
};

struct xtcp_route_cache *xtcp_route_cache_create(struct net *net,
						 unsigned int max_entries);
void xtcp_route_cache_destroy(struct xtcp_route_cache *cache);
struct rtable *xtcp_route_lookup(struct xtcp_route_cache *cache,
				 const struct xtcp_route_key *key,
				 struct flowi4 *fl4, u32 *pmtu,
				 bool *hit);
void xtcp_route_learn_pmtu(struct xtcp_route_cache *cache, __be32 daddr,
			   u32 mtu);
void xtcp_route_flush(struct xtcp_route_cache *cache);
unsigned int xtcp_route_count(const struct xtcp_route_cache *cache);
void xtcp_route_set_max(struct xtcp_route_cache *cache, unsigned int max);
void xtcp_route_get_stats(const struct xtcp_route_cache *cache,
			  struct xtcp_route_stats *stats);
int xtcp_route_proc_init_net(struct net *net);
void xtcp_route_proc_exit_net(struct net *net);
unsigned int xtcp_route_default_max(void);
int xtcp_route_sysctl_init_net(struct net *net);
void xtcp_route_sysctl_exit_net(struct net *net);

#endif /* _XTCP_ROUTE_H */
