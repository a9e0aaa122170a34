/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of xtcp. Only xtcp_pernet.c knows how it is
 * stored; everyone else goes through these accessors.
 */
#ifndef _XTCP_PERNET_H
#define _XTCP_PERNET_H

#include <linux/list.h>
#include <linux/spinlock.h>

#include "xtcp_ehash.h"

struct net;
struct sock;
struct xtcp_route_cache;

/**
 * struct xtcp_net - xtcp's state in one network namespace
 * @socks_lock: protects @socks and @nsocks
 * @socks: every xtcp socket of the namespace, whatever its state
 * @nsocks: number of entries in @socks
 * @routes: the namespace's output route cache
 * @ehash: connected sockets by 4-tuple, for the receive path
 * @tw_timeout: TIME_WAIT length in jiffies (net.xtcp.tw_timeout_ms)
 * @sysctl: net.xtcp settings owned here
 */
struct xtcp_net {
	spinlock_t		socks_lock;
	struct hlist_head	socks;
	unsigned int		nsocks;
	struct xtcp_route_cache	*routes;
	struct xtcp_ehash	ehash;
	int			tw_timeout;
	struct ctl_table_header	*sysctl;
};

struct xtcp_net *xtcp_net(const struct net *net);
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);
void xtcp_pernet_sock_add(struct sock *sk);
bool xtcp_pernet_sock_del(struct sock *sk);
unsigned int xtcp_pernet_sock_count(const struct net *net);
struct xtcp_route_cache *xtcp_net_routes(const struct net *net);
struct xtcp_ehash *xtcp_net_ehash(const struct net *net);
u32 xtcp_net_tw_timeout(const struct net *net);

#endif /* _XTCP_PERNET_H */
