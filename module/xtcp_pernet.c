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
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_pernet.h"
#include "xtcp_input.h"
#include "xtcp_proc.h"
#include "xtcp_route.h"

/* Longest TIME_WAIT a sysctl write can ask for. */
#define XTCP_TW_TIMEOUT_MAX	(600 * HZ)

/* Buckets of a namespace's connection table. */
#define XTCP_EHASH_SIZE		4096

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

/**
 * xtcp_net_routes() - the route cache of @net
 * @net: namespace
 *
 * Return: never NULL.
 */
struct xtcp_route_cache *xtcp_net_routes(const struct net *net)
{
	return xtcp_net(net)->routes;
}

/**
 * xtcp_net_ehash() - the connection table of @net
 * @net: namespace
 *
 * Return: never NULL.
 */
struct xtcp_ehash *xtcp_net_ehash(const struct net *net)
{
	return &xtcp_net(net)->ehash;
}

/**
 * xtcp_net_tw_timeout() - how long TIME_WAIT lasts in @net
 * @net: namespace
 *
 * Return: jiffies; 60 s (2 MSL as Linux counts it) unless
 * net.xtcp.tw_timeout_ms says otherwise.
 */
u32 xtcp_net_tw_timeout(const struct net *net)
{
	return clamp_val(READ_ONCE(xtcp_net(net)->tw_timeout), 0, XTCP_TW_TIMEOUT_MAX);
}

/**
 * xtcp_net_lhash() - the listener table of @net
 * @net: namespace
 *
 * Return: the table.
 */
struct xtcp_lhash *xtcp_net_lhash(const struct net *net)
{
	return &xtcp_net(net)->listeners;
}

/**
 * xtcp_net_ports() - the port table of @net
 * @net: namespace
 *
 * Return: the table.
 */
struct xtcp_port_table *xtcp_net_ports(const struct net *net)
{
	return &xtcp_net(net)->ports;
}

/**
 * xtcp_net_cookie_secret() - the SYN cookie keys of @net
 * @net: namespace
 *
 * Return: the keys.
 */
const struct xtcp_cookie_secret *xtcp_net_cookie_secret(const struct net *net)
{
	return &xtcp_net(net)->cookie_secret;
}

/**
 * xtcp_net_tw_count_add() - count TIME_WAIT entries in and out
 * @net: namespace
 * @delta: +1 or -1
 *
 * Return: the count after the change.
 */
int xtcp_net_tw_count_add(const struct net *net, int delta)
{
	return atomic_add_return(delta, &xtcp_net(net)->tw_count);
}

/**
 * xtcp_net_stat_inc() - count an event
 * @net: namespace
 * @item: which counter
 */
void xtcp_net_stat_inc(const struct net *net, enum xtcp_stat item)
{
	this_cpu_inc(xtcp_net(net)->stats[item]);
}

/**
 * xtcp_net_stat_add() - add to a counter that sums amounts
 * @net: namespace
 * @item: which counter
 * @val: amount
 */
void xtcp_net_stat_add(const struct net *net, enum xtcp_stat item,
		       unsigned long val)
{
	this_cpu_add(xtcp_net(net)->stats[item], val);
}

/**
 * xtcp_net_stat_read() - sum a counter over all CPUs
 * @net: namespace
 * @item: which counter
 *
 * Return: the sum.
 */
unsigned long xtcp_net_stat_read(const struct net *net, enum xtcp_stat item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(xtcp_net(net)->stats, cpu)[item];
	return sum;
}

static struct ctl_table xtcp_net_sysctl_table[] = {
	{
		.procname	= "tw_timeout_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_ms_jiffies,
	},
	{
		.procname	= "congestion_control",
		.maxlen		= TCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= xtcp_cong_sysctl,
	},
	{}
};

static int xtcp_net_sysctl_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct ctl_table *table;

	table = kmemdup(xtcp_net_sysctl_table, sizeof(xtcp_net_sysctl_table),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	table[0].data = &xn->tw_timeout;
	table[1].data = &xn->cong_default;
	xn->sysctl = register_net_sysctl(net, "net/xtcp", table);
	if (!xn->sysctl) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

static void xtcp_net_sysctl_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	struct ctl_table *table = xn->sysctl->ctl_table_arg;

	unregister_net_sysctl_table(xn->sysctl);
	kfree(table);
}

static int __net_init xtcp_net_init(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);
	int err;

	spin_lock_init(&xn->socks_lock);
	INIT_HLIST_HEAD(&xn->socks);
	xn->nsocks = 0;
	xn->tw_timeout = TCP_TIMEWAIT_LEN;
	/* As native TCP: a new namespace starts with the initial one's choice. */
	xn->cong_default = net_eq(net, &init_net) ? &xtcp_cong_cubic :
			   xtcp_cong_default(&init_net);
	xtcp_listen_init_table(&xn->listeners);
	xtcp_port_table_init(&xn->ports);
	xtcp_cookie_secret_init(&xn->cookie_secret);
	atomic_set(&xn->tw_count, 0);
	xn->stats = __alloc_percpu(sizeof(unsigned long) * XTCP_STAT_MAX,
				   sizeof(unsigned long));
	if (!xn->stats)
		return -ENOMEM;

	err = xtcp_ehash_init(&xn->ehash, XTCP_EHASH_SIZE);
	if (err)
		goto err_free_stats;

	err = xtcp_net_sysctl_init(net);
	if (err)
		goto err_destroy_ehash;

	xn->routes = xtcp_route_cache_create(net, xtcp_route_default_max());
	if (!xn->routes) {
		err = -ENOMEM;
		goto err_sysctl_exit;
	}

	err = xtcp_route_proc_init_net(net);
	if (err)
		goto err_destroy_routes;

	err = xtcp_route_sysctl_init_net(net);
	if (err)
		goto err_route_proc_exit;

	err = xtcp_proc_init_net(net);
	if (err)
		goto err_route_sysctl_exit;

	/* Last: from here on segments reach the tables set up above. */
	err = xtcp_input_init_net(net);
	if (err)
		goto err_proc_exit;
	return 0;

err_proc_exit:
	xtcp_proc_exit_net(net);
err_route_sysctl_exit:
	xtcp_route_sysctl_exit_net(net);
err_route_proc_exit:
	xtcp_route_proc_exit_net(net);
err_destroy_routes:
	xtcp_route_cache_destroy(xn->routes);
err_sysctl_exit:
	xtcp_net_sysctl_exit(net);
err_destroy_ehash:
	xtcp_ehash_destroy(&xn->ehash);
err_free_stats:
	free_percpu(xn->stats);
	return err;
}

static void __net_exit xtcp_net_exit(struct net *net)
{
	struct xtcp_net *xn = xtcp_net(net);

	xtcp_input_exit_net(net);
	xtcp_proc_exit_net(net);
	xtcp_route_sysctl_exit_net(net);
	xtcp_route_proc_exit_net(net);
	xtcp_route_cache_destroy(xn->routes);
	xtcp_net_sysctl_exit(net);
	xtcp_ehash_destroy(&xn->ehash);
	free_percpu(xn->stats);
	/*
	 * Each socket holds a reference on its namespace, and each request
	 * and TIME_WAIT entry holds something that does (listener, port).
	 */
	WARN_ON_ONCE(!hlist_empty(&xn->socks));
	WARN_ON_ONCE(atomic_read(&xn->tw_count));
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
