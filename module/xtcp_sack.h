/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sender's SACK scoreboard and SACK-based loss recovery (RFC 2018,
 * 2883, 6675, 6937, the loss detection of RFC 8985).
 */
#ifndef _XTCP_SACK_H
#define _XTCP_SACK_H

#include <linux/types.h>

struct sk_buff;
struct sock;
struct xtcp_sack_block;

u32 xtcp_sack_tag(struct sock *sk, const struct xtcp_sack_block *blocks,
		  int n, u32 ack);
void xtcp_sack_delivered(struct sock *sk, const struct sk_buff *skb,
			 u64 now_us);
void xtcp_sack_update(struct sock *sk);
void xtcp_sack_clear(struct sock *sk, bool sacked);
bool xtcp_sack_reneged(struct sock *sk);
void xtcp_sack_init(struct sock *sk);
u32 xtcp_sack_fack(const struct sock *sk);
void xtcp_sack_reordering(struct sock *sk, u32 low_seq, u32 fack);
bool xtcp_sack_ack(struct sock *sk, u32 acked, u32 sacked);
u32 xtcp_sack_prr(u32 ssthresh, u32 prior_cwnd, u32 in_flight,
		  u32 prr_delivered, u32 prr_out, u32 delivered,
		  bool una_advanced);

#endif /* _XTCP_SACK_H */
