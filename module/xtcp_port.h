/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Local ports: which xtcp socket holds which port, kept exclusive against
 * native TCP in both directions.
 */
#ifndef _XTCP_PORT_H
#define _XTCP_PORT_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct sock;
struct xtcp_port;

#define XTCP_PORT_TABLE_SIZE	256

/**
 * struct xtcp_port_table - the ports xtcp sockets of a namespace hold
 * @lock: protects the chains and the sharing state of every port
 * @buckets: ports by number
 */
struct xtcp_port_table {
	spinlock_t		lock;
	struct hlist_head	buckets[XTCP_PORT_TABLE_SIZE];
};

void xtcp_port_table_init(struct xtcp_port_table *t);
void xtcp_port_listen(struct xtcp_port *p, int delta);

int xtcp_port_init(void);
void xtcp_port_exit(void);
int xtcp_port_bind(struct sock *sk, __be32 addr, u16 port);
int xtcp_port_connect(struct sock *sk, __be32 saddr, __be32 daddr,
		      __be16 dport);
void xtcp_port_release(struct sock *sk);
int xtcp_port_hand_over(struct xtcp_port *p, struct sock *sk);
struct xtcp_port *xtcp_port_get(struct xtcp_port *p);
void xtcp_port_put(struct xtcp_port *p);

#endif /* _XTCP_PORT_H */
