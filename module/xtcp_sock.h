/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xtcp socket: its struct proto and struct proto_ops, the socket calls
 * behind them, and the life cycle every other file drives through
 * xtcp_sock_set_state() and xtcp_sock_done().
 */
#ifndef _XTCP_SOCK_H
#define _XTCP_SOCK_H

#include <linux/net.h>
#include <net/sock.h>

struct request_sock;

extern struct proto xtcp_prot;
extern const struct proto_ops xtcp_stream_ops;

u32 xtcp_sock_mtu_to_mss(u32 pmtu, u32 ext_hdr_len, u32 user_mss,
			 u32 min_mss);
void xtcp_sock_set_state(struct sock *sk, int state);
void xtcp_sock_established(struct sock *sk);
void xtcp_sock_done(struct sock *sk);
void xtcp_sock_reset(struct sock *sk);
void xtcp_sock_time_wait(struct sock *sk);
void xtcp_sock_forget(struct sock *child);
struct sock *xtcp_sock_clone(struct sock *lsk, struct request_sock *req,
			     struct sk_buff *skb);
void xtcp_sock_icmp_error(struct sock *sk, int type, int code, u32 seq,
			  u32 mtu);
unsigned int xtcp_sock_orphan_retries(const struct sock *sk);
unsigned long xtcp_sock_fin_timeout(const struct sock *sk);

#endif /* _XTCP_SOCK_H */
