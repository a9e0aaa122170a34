/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Buffer sizing: receive-buffer autotuning and send-buffer growth, as
 * Linux 6.1's tcp_rcv_space_adjust() and tcp_sndbuf_expand().
 */
#ifndef _XTCP_BUF_H
#define _XTCP_BUF_H

#include <linux/types.h>

struct sk_buff;
struct sock;

/* The arithmetic (pure functions, for KUnit). */
u32 xtcp_buf_rcv_rtt_update(u32 est_us8, u32 sample_us, bool win_dep);
u64 xtcp_buf_rcvbuf(u32 copied, u32 space, u32 advmss, u32 rmem_max);
u32 xtcp_buf_sndmem(u32 cwnd, u32 mss);

/* What the socket code calls. */
void xtcp_buf_init(struct sock *sk);
void xtcp_buf_rcv_rtt_measure(struct sock *sk, const struct sk_buff *skb);
void xtcp_buf_rcv_space_adjust(struct sock *sk);
void xtcp_buf_sndbuf_expand(struct sock *sk);

#endif /* _XTCP_BUF_H */
