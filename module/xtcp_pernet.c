// SPDX-License-Identifier: GPL-2.0
/*
 * Per-network-namespace state, kept with net_generic(). Everything that is
 * per namespace in xtcp is reached through xtcp_net() so that a namespace
 * going away takes all of it along.
 */
#include <linux/module.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_proc.h"

static unsigned int xtcp_net_id __read_mostly;

/**
 * xtcp_net() - xtcp's state in @net
 * @net: a namespace that is alive (xtcp's init for it has run)
 *
 * Return: never NULL.
 */
struct xtcp_net *xtcp_net(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_net);

/**
 * xtcp_pernet_sock_add() - file a new socket in its namespace's table
 * @sk: socket being initialised, not yet visible to anyone else
 */
void xtcp_pernet_sock_add(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));

	spin_lock_bh(&xn->socks_lock);
	hlist_add_head(&xtcp_sk(sk)->table_node, &xn->socks);
	xn->nsocks++;
	spin_unlock_bh(&xn->socks_lock);
}

/**
 * xtcp_pernet_sock_del() - take a socket out of its namespace's table
 * @sk: socket being destroyed
 *
 * Safe to call for a socket that was never added or is already removed,
 * because sk_common_release() may reach us after a failed init.
 *
 * Return: true if @sk was in the table.
 */
bool xtcp_pernet_sock_del(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_net(sock_net(sk));
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool was_hashed;

	spin_lock_bh(&xn->socks_lock);
	was_hashed = !hlist_unhashed(&xs->table_node);
	if (was_hashed) {
		hlist_del_init(&xs->table_node);
		xn->nsocks--;
	}
	spin_unlock_bh(&xn->socks_lock);
	return was_hashed;
}

/**
 * xtcp_pernet_sock_count() - number of xtcp sockets in @net
 * @net: namespace
 *
 * Return: a snapshot; it may change as soon as it is returned.
 */
unsigned int xtcp_pernet_sock_count(const struct net *net)
{
	return READ_ONCE(xtcp_net(net)->nsocks);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_pernet_sock_count);

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	spin_lock_init(&xn->socks_lock);
	INIT_HLIST_HEAD(&xn->socks);
	xn->nsocks = 0;
	return xtcp_proc_init_net(net);
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	xtcp_proc_exit_net(net);
	/* Each socket holds a reference on its namespace. */
	WARN_ON_ONCE(!hlist_empty(&xn->socks));
}

static struct pernet_operations xtcp_net_ops = {
	.init	= xtcp_net_init,
	.exit	= xtcp_net_exit,
	.id	= &xtcp_net_id,
	.size	= sizeof(struct xtcp_net),
};

/**
 * xtcp_pernet_register() - set up xtcp in every namespace, present and future
 *
 * Return: 0 or a negative errno; on error nothing is left registered.
 */
int xtcp_pernet_register(void)
{
	return register_pernet_subsys(&xtcp_net_ops);
}

/** xtcp_pernet_unregister() - undo xtcp_pernet_register() in every namespace */
void xtcp_pernet_unregister(void)
{
	unregister_pernet_subsys(&xtcp_net_ops);
}
