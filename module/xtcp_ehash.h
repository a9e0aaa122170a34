/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's table of connections (sockets, requests, TIME_WAIT entries),
 * looked up by 4-tuple for every incoming segment. It is xtcp's own: native TCP's tables never hold an
 * xtcp socket, so native lookups (tcp_v4_rcv, early demux, tcp_diag) never
 * mistake one for a struct tcp_sock.
 */
#ifndef _XTCP_EHASH_H
#define _XTCP_EHASH_H

#include <linux/list_nulls.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct net;
struct sock;

/**
 * struct xtcp_ehash - connected sockets of one namespace
 * @buckets: chains, read under RCU (sockets are SLAB_TYPESAFE_BY_RCU)
 * @locks: one writer lock per bucket
 * @mask: number of buckets minus one
 * @secret: key of the bucket hash, so remote peers cannot aim at a chain
 */
struct xtcp_ehash {
	struct hlist_nulls_head	*buckets;
	spinlock_t		*locks;
	unsigned int		mask;
	siphash_key_t		secret;
};

int xtcp_ehash_init(struct xtcp_ehash *eh, unsigned int size);
void xtcp_ehash_destroy(struct xtcp_ehash *eh);
int xtcp_ehash_insert(struct xtcp_ehash *eh, struct sock *sk);
bool xtcp_ehash_replace(struct xtcp_ehash *eh, struct sock *old,
			struct sock *new);
bool xtcp_ehash_remove(struct xtcp_ehash *eh, struct sock *sk);
unsigned int xtcp_ehash_size(const struct xtcp_ehash *eh);
struct hlist_nulls_head *xtcp_ehash_bucket(struct xtcp_ehash *eh,
					   unsigned int slot);
void xtcp_ehash_put(struct sock *sk);
struct sock *xtcp_ehash_lookup(struct xtcp_ehash *eh, const struct net *net,
			       __be32 raddr, __be16 rport,
			       __be32 laddr, __be16 lport);

#endif /* _XTCP_EHASH_H */
