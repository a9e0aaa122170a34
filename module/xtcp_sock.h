/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xtcp socket: its struct proto and struct proto_ops, and the socket
 * calls behind them.
 */
#ifndef _XTCP_SOCK_H
#define _XTCP_SOCK_H

#include <linux/net.h>
#include <net/sock.h>

extern struct proto xtcp_prot;
extern const struct proto_ops xtcp_stream_ops;

u32 xtcp_sock_mtu_to_mss(u32 pmtu, u32 ext_hdr_len, u32 user_mss,
			 u32 min_mss);

#endif /* _XTCP_SOCK_H */
