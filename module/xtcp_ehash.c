// SPDX-License-Identifier: GPL-2.0
/*
 * Table of xtcp connections, keyed by 4-tuple.
 *
 * It holds three kinds of entries, all starting with a struct sock_common
 * and told apart by their state, as native TCP's established table does:
 * full sockets, request sockets (TCP_NEW_SYN_RECV: a SYN a listener
 * answered) and TIME_WAIT entries (TCP_TIME_WAIT, see xtcp_tw.c).
 *
 * Readers (the receive hook, in softirq) walk a chain under RCU without
 * taking a lock. Socket memory is SLAB_TYPESAFE_BY_RCU, as for native TCP:
 * a socket found may be freed and reused while we look at it, so a match
 * takes a reference with refcount_inc_not_zero() and is checked again, and a
 * walk that ends on the wrong nulls marker (the socket moved to another
 * chain) starts over.
 */
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_ehash.h"
#include "xtcp_tw.h"

/**
 * xtcp_ehash_init() - allocate an empty table
 * @eh: table to set up
 * @size: number of buckets, a power of two
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_ehash_init(struct xtcp_ehash *eh, unsigned int size)
{
	unsigned int i;

	eh->buckets = kvmalloc_array(size, sizeof(*eh->buckets), GFP_KERNEL);
	if (!eh->buckets)
		return -ENOMEM;
	eh->locks = kvmalloc_array(size, sizeof(*eh->locks), GFP_KERNEL);
	if (!eh->locks) {
		kvfree(eh->buckets);
		return -ENOMEM;
	}
	for (i = 0; i < size; i++) {
		INIT_HLIST_NULLS_HEAD(&eh->buckets[i], i);
		spin_lock_init(&eh->locks[i]);
	}
	eh->mask = size - 1;
	get_random_bytes(&eh->secret, sizeof(eh->secret));
	return 0;
}

/**
 * xtcp_ehash_destroy() - free an empty table
 * @eh: table; every socket has left it (each holds its namespace)
 */
void xtcp_ehash_destroy(struct xtcp_ehash *eh)
{
	kvfree(eh->locks);
	kvfree(eh->buckets);
}

static unsigned int xtcp_ehash_slot(const struct xtcp_ehash *eh,
				    __be32 raddr, __be16 rport,
				    __be32 laddr, __be16 lport)
{
	return siphash_3u32((__force u32)raddr, (__force u32)laddr,
			    ((__force u32)rport << 16) | (__force u32)lport,
			    &eh->secret) & eh->mask;
}

/* Only sock_common fields: every kind of entry has them. */
static bool xtcp_ehash_match(const struct sock *sk, const struct net *net,
			     __be32 raddr, __be16 rport,
			     __be32 laddr, __be16 lport)
{
	return sk->sk_daddr == raddr && sk->sk_rcv_saddr == laddr &&
	       sk->sk_dport == rport && sk->sk_num == ntohs(lport) &&
	       net_eq(sock_net(sk), net);
}

/**
 * xtcp_ehash_insert() - make an entry findable by its 4-tuple
 * @eh: its namespace's table
 * @sk: socket, request or TIME_WAIT entry with addresses and ports set
 *
 * The table holds a reference on @sk until xtcp_ehash_remove().
 *
 * Return: 0, or -EADDRNOTAVAIL if the 4-tuple is already in use.
 */
int xtcp_ehash_insert(struct xtcp_ehash *eh, struct sock *sk)
{
	__be16 lport = htons(sk->sk_num);
	struct hlist_nulls_node *node;
	unsigned int slot;
	struct sock *other;

	slot = xtcp_ehash_slot(eh, sk->sk_daddr, sk->sk_dport,
			       sk->sk_rcv_saddr, lport);
	spin_lock_bh(&eh->locks[slot]);
	sk_nulls_for_each(other, node, &eh->buckets[slot]) {
		if (xtcp_ehash_match(other, sock_net(sk), sk->sk_daddr,
				     sk->sk_dport, sk->sk_rcv_saddr, lport)) {
			spin_unlock_bh(&eh->locks[slot]);
			return -EADDRNOTAVAIL;
		}
	}
	sk->sk_hash = slot;
	sk_nulls_add_node_rcu(sk, &eh->buckets[slot]);
	spin_unlock_bh(&eh->locks[slot]);
	return 0;
}

/**
 * xtcp_ehash_replace() - put @new where @old is, in one step
 * @eh: their namespace's table
 * @old: entry in the table (a request becoming a socket, a socket becoming
 *	a TIME_WAIT entry)
 * @new: entry with the same 4-tuple
 *
 * A lookup finds one or the other, never neither.
 *
 * Return: false if @old had left the table already (nothing changed).
 */
bool xtcp_ehash_replace(struct xtcp_ehash *eh, struct sock *old,
			struct sock *new)
{
	unsigned int slot = old->sk_hash & eh->mask;

	spin_lock_bh(&eh->locks[slot]);
	if (hlist_nulls_unhashed(&old->sk_nulls_node)) {
		spin_unlock_bh(&eh->locks[slot]);
		return false;
	}
	new->sk_hash = slot;
	sk_nulls_add_node_rcu(new, &eh->buckets[slot]);
	sk_nulls_del_node_init_rcu(old);
	spin_unlock_bh(&eh->locks[slot]);
	return true;
}

/**
 * xtcp_ehash_remove() - take an entry out of the table, if it is in
 * @eh: its namespace's table
 * @sk: entry; the table's reference is dropped (never the last one)
 *
 * Return: true if this call removed it.
 */
bool xtcp_ehash_remove(struct xtcp_ehash *eh, struct sock *sk)
{
	unsigned int slot = sk->sk_hash & eh->mask;
	bool removed;

	spin_lock_bh(&eh->locks[slot]);
	removed = sk_nulls_del_node_init_rcu(sk);
	spin_unlock_bh(&eh->locks[slot]);
	return removed;
}

/**
 * xtcp_ehash_size() - number of buckets
 * @eh: table
 *
 * Return: the count; buckets are numbered from 0.
 */
unsigned int xtcp_ehash_size(const struct xtcp_ehash *eh)
{
	return eh->mask + 1;
}

/**
 * xtcp_ehash_bucket() - one chain, for walkers such as /proc/net/xtcp
 * @eh: table
 * @slot: bucket number below xtcp_ehash_size()
 *
 * Return: the chain head; walk it under rcu_read_lock().
 */
struct hlist_nulls_head *xtcp_ehash_bucket(struct xtcp_ehash *eh,
					   unsigned int slot)
{
	return &eh->buckets[slot];
}

/**
 * xtcp_ehash_put() - drop a reference on an entry, whatever its kind
 * @sk: socket, request or TIME_WAIT entry
 *
 * Each kind lives in its own slab and is freed its own way; a request or
 * TIME_WAIT entry never becomes another kind, so its state tells.
 */
void xtcp_ehash_put(struct sock *sk)
{
	if (sk->sk_state == TCP_NEW_SYN_RECV)
		reqsk_put(inet_reqsk(sk));
	else if (sk->sk_state == TCP_TIME_WAIT)
		xtcp_tw_put(xtcp_tw(sk));
	else
		sock_put(sk);
}

/**
 * xtcp_ehash_lookup() - the socket a segment belongs to
 * @eh: table of the namespace the segment arrived in
 * @net: that namespace
 * @raddr: segment's source address (the peer)
 * @rport: segment's source port
 * @laddr: segment's destination address (ours)
 * @lport: segment's destination port
 *
 * Context: RCU read side (softirq).
 * Return: the entry (socket, request or TIME_WAIT) with a reference the
 * caller drops with xtcp_ehash_put(), or NULL.
 */
struct sock *xtcp_ehash_lookup(struct xtcp_ehash *eh, const struct net *net,
			       __be32 raddr, __be16 rport,
			       __be32 laddr, __be16 lport)
{
	unsigned int slot = xtcp_ehash_slot(eh, raddr, rport, laddr, lport);
	struct hlist_nulls_node *node;
	struct sock *sk;

begin:
	sk_nulls_for_each_rcu(sk, node, &eh->buckets[slot]) {
		if (!xtcp_ehash_match(sk, net, raddr, rport, laddr, lport))
			continue;
		if (unlikely(!refcount_inc_not_zero(&sk->sk_refcnt)))
			goto begin;
		if (unlikely(!xtcp_ehash_match(sk, net, raddr, rport, laddr,
					       lport))) {
			xtcp_ehash_put(sk);
			goto begin;
		}
		return sk;
	}
	/* Ended on another chain's marker: the walk was diverted, redo it. */
	if (get_nulls_value(node) != slot)
		goto begin;
	return NULL;
}
