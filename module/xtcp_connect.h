/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The active open, layered as Linux layers it: the socket-state part of
 * inet_stream_connect() (xtcp_connect_stream) over the address, route, port
 * and ISN part of tcp_v4_connect() (xtcp_connect_v4).
 */
#ifndef _XTCP_CONNECT_H
#define _XTCP_CONNECT_H

#include <linux/types.h>

struct net;
struct rtable;
struct sock;
struct sockaddr;
struct socket;

int xtcp_connect_stream(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags);
int xtcp_connect_v4(struct sock *sk, struct sockaddr *uaddr, int addr_len);
struct rtable *xtcp_connect_route_sk(struct sock *sk);
bool xtcp_connect_rules_use_ports(const struct net *net);

#endif /* _XTCP_CONNECT_H */
