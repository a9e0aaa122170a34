/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Listening sockets: listen() and its undoing, the per-namespace table of
 * listeners looked up for every SYN, and the accept queue.
 */
#ifndef _XTCP_LISTEN_H
#define _XTCP_LISTEN_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct net;
struct request_sock;
struct sock;

#define XTCP_LHASH_SIZE	256

/**
 * struct xtcp_lhash - listeners of one namespace, by local port
 * @lock: writers (listen(), close())
 * @secret: key of the hash that spreads connections over SO_REUSEPORT
 *	listeners
 * @buckets: chains of listening sockets (sk_node), read under RCU
 */
struct xtcp_lhash {
	spinlock_t		lock;
	siphash_key_t		secret;
	struct hlist_head	buckets[XTCP_LHASH_SIZE];
};

void xtcp_listen_init_table(struct xtcp_lhash *lh);
int xtcp_listen_start(struct sock *sk);
void xtcp_listen_stop(struct sock *sk);
void xtcp_listen_unhash(struct sock *sk);
struct sock *xtcp_listen_lookup(struct xtcp_lhash *lh, const struct net *net,
				__be32 raddr, __be16 rport,
				__be32 laddr, __be16 lport, int dif);
bool xtcp_listen_queue_add(struct sock *lsk, struct request_sock *req,
			   struct sock *child);

#endif /* _XTCP_LISTEN_H */
