/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transmit: xtcp builds every TCP and IP header itself and hands frames to
 * the neighbour layer, which resolves the next hop and calls
 * dev_queue_xmit().
 */
#ifndef _XTCP_OUTPUT_H
#define _XTCP_OUTPUT_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct iphdr;
struct net;
struct sock;
struct sk_buff;
struct tcphdr;

/**
 * struct xtcp_reply - a segment sent without a full socket (xtcp_output_reply)
 * @saddr: our address
 * @daddr: the peer's address
 * @sport: our port
 * @dport: the peer's port
 * @seq: sequence number
 * @ack: acknowledgment number (with TCPHDR_ACK)
 * @flags: TCPHDR_* flags
 * @window: window field as sent (already scaled down)
 * @mss: MSS option of a SYN-ACK, 0 for none
 * @wscale: window scale option of a SYN-ACK, -1 for none
 * @sack_ok: SACK-permitted option of a SYN-ACK
 * @tstamp: carry the timestamp option
 * @tsval: its value
 * @tsecr: its echo reply
 * @tos: IP TOS byte
 * @oif: output interface constraint, 0 for none
 * @mark: fwmark for routing
 * @uid: owner, for uid routing rules
 */
struct xtcp_reply {
	__be32	saddr;
	__be32	daddr;
	__be16	sport;
	__be16	dport;
	u32	seq;
	u32	ack;
	u8	flags;
	u16	window;
	u16	mss;
	s8	wscale;
	bool	sack_ok;
	bool	tstamp;
	u32	tsval;
	u32	tsecr;
	u8	tos;
	int	oif;
	u32	mark;
	kuid_t	uid;
};

/* Payload bytes a linear queued segment holds at most (skb of 16 KiB). */
#define XTCP_SKB_MAX_PAYLOAD	(SKB_WITH_OVERHEAD(16384) - MAX_TCP_HEADER)

struct sk_buff *xtcp_output_alloc_skb(struct sock *sk, unsigned int size,
				      gfp_t gfp);
void xtcp_output_queue_skb(struct sock *sk, struct sk_buff *skb);
int xtcp_output_send_syn(struct sock *sk);
int xtcp_output_retransmit(struct sock *sk, struct sk_buff *skb);
int xtcp_output_retransmit_head(struct sock *sk);
int xtcp_output_loss_probe(struct sock *sk);
int xtcp_output_split(struct sock *sk, struct sk_buff *skb, u32 len);
int xtcp_output_trim_head(struct sock *sk, struct sk_buff *skb, u32 len);
void xtcp_output_write_xmit(struct sock *sk);
void xtcp_output_send_ack(struct sock *sk);
void xtcp_output_send_fin(struct sock *sk);
void xtcp_output_send_reset(struct sock *sk, gfp_t gfp);
void xtcp_output_send_reset_to(struct sock *sk, u32 seq);
void xtcp_output_send_probe(struct sock *sk);
void xtcp_output_init_window(struct sock *sk);
void xtcp_output_initial_window(const struct sock *sk, u32 mss,
				bool wscale_ok, u32 *wnd, u8 *wscale);
int xtcp_output_reply(struct net *net, const struct xtcp_reply *r);
unsigned int xtcp_output_reply_options(const struct xtcp_reply *r, __be32 *ptr);
u32 xtcp_output_reply_advmss(struct net *net, __be32 saddr, __be32 daddr,
			     __be16 sport, __be16 dport, const struct sock *lsk);
void xtcp_output_reset_reply(struct net *net, const struct iphdr *iph,
			     const struct tcphdr *th, u32 len);
u32 xtcp_output_tsval(const struct sock *sk);
u32 xtcp_output_tsval_at(const struct sock *sk, u64 now_us);
void xtcp_output_sync_mss(struct sock *sk);

#endif /* _XTCP_OUTPUT_H */
