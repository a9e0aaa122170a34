/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transmit: xtcp builds every TCP and IP header itself and hands frames to
 * the neighbour layer, which resolves the next hop and calls
 * dev_queue_xmit().
 */
#ifndef _XTCP_OUTPUT_H
#define _XTCP_OUTPUT_H

#include <linux/types.h>

struct sock;
struct sk_buff;

/* Payload bytes one queued segment holds at most (linear skb of 16 KiB). */
#define XTCP_SKB_MAX_PAYLOAD	(SKB_WITH_OVERHEAD(16384) - MAX_TCP_HEADER)

struct sk_buff *xtcp_output_alloc_skb(struct sock *sk, unsigned int size,
				      gfp_t gfp);
void xtcp_output_queue_skb(struct sock *sk, struct sk_buff *skb);
int xtcp_output_send_syn(struct sock *sk);
int xtcp_output_retransmit_head(struct sock *sk);
void xtcp_output_write_xmit(struct sock *sk);
void xtcp_output_send_ack(struct sock *sk);
void xtcp_output_send_fin(struct sock *sk);
void xtcp_output_send_reset(struct sock *sk, gfp_t gfp);
void xtcp_output_send_reset_to(struct sock *sk, u32 seq);
void xtcp_output_send_probe(struct sock *sk);
void xtcp_output_init_window(struct sock *sk);
u32 xtcp_output_tsval(const struct sock *sk);
void xtcp_output_sync_mss(struct sock *sk);

#endif /* _XTCP_OUTPUT_H */
