/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SOL_TCP socket options, with the validation, errnos and values of Linux
 * 6.1's TCP, and the keepalive parameters they set.
 */
#ifndef _XTCP_SOCKOPT_H
#define _XTCP_SOCKOPT_H

#include <linux/sockptr.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "xtcp.h"

int xtcp_sockopt_set(struct sock *sk, int optname, sockptr_t optval,
		     unsigned int optlen);
int xtcp_sockopt_get(struct sock *sk, int optname, char __user *optval,
		     int __user *optlen);

/* Keepalive parameters: the socket's own (TCP_KEEP*) or the namespace's. */
static inline u32 xtcp_keepalive_time(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepalive_time) ? :
	       READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_keepalive_time);
}

static inline u32 xtcp_keepalive_intvl(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepalive_intvl) ? :
	       READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_keepalive_intvl);
}

static inline u32 xtcp_keepalive_probes(const struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->keepalive_probes) ? :
	       READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_keepalive_probes);
}

#endif /* _XTCP_SOCKOPT_H */
