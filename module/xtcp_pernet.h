/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of xtcp. Only xtcp_pernet.c knows how it is
 * stored; everyone else goes through these accessors.
 */
#ifndef _XTCP_PERNET_H
#define _XTCP_PERNET_H

#include <linux/list.h>
#include <linux/spinlock.h>

struct net;
struct sock;

/**
 * struct xtcp_net - xtcp's state in one network namespace
 * @socks_lock: protects @socks and @nsocks
 * @socks: every xtcp socket of the namespace, whatever its state
 * @nsocks: number of entries in @socks
 */
struct xtcp_net {
	spinlock_t		socks_lock;
	struct hlist_head	socks;
	unsigned int		nsocks;
};

struct xtcp_net *xtcp_net(const struct net *net);
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);
void xtcp_pernet_sock_add(struct sock *sk);
bool xtcp_pernet_sock_del(struct sock *sk);
unsigned int xtcp_pernet_sock_count(const struct net *net);

#endif /* _XTCP_PERNET_H */
