/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Receive: a netfilter hook per namespace takes the TCP segments that
 * belong to xtcp sockets; the state machine of RFC 9293 3.10.7 processes
 * them.
 */
#ifndef _XTCP_INPUT_H
#define _XTCP_INPUT_H

#include <linux/types.h>

struct net;
struct sock;
struct sk_buff;
struct tcphdr;

/* Most SACK blocks an option carries: 4 fill the 40 option bytes. */
#define XTCP_MAX_SACKS	4

/**
 * struct xtcp_sack_block - one SACK block: [@start, @end) was received
 * @start: first sequence number of the block
 * @end: sequence number after the block
 */
struct xtcp_sack_block {
	u32	start;
	u32	end;
};

/**
 * struct xtcp_options - TCP options found in a segment
 * @mss: MSS option, 0 if absent
 * @wscale: window shift, -1 if absent
 * @sack_ok: SACK-permitted seen
 * @saw_tstamp: timestamp option seen
 * @tsval: its value
 * @tsecr: its echo reply
 * @num_sacks: SACK blocks in @sacks (not on a SYN)
 * @sacks: the SACK option's blocks, in the order sent (RFC 2018)
 */
struct xtcp_options {
	u16	mss;
	s8	wscale;
	bool	sack_ok;
	bool	saw_tstamp;
	u8	num_sacks;
	u32	tsval;
	u32	tsecr;
	struct xtcp_sack_block	sacks[XTCP_MAX_SACKS];
};

bool xtcp_input_paws_ok(u32 ts_recent, u32 ts_recent_stamp, u32 tsval,
			u32 now, int win);
void xtcp_input_parse_options(const struct tcphdr *th,
			      struct xtcp_options *opt);
int xtcp_input_init_net(struct net *net);
void xtcp_input_exit_net(struct net *net);
int xtcp_input_backlog_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_input_child_rcv(struct sock *child, struct sk_buff *skb);
void xtcp_input_sk_rcv(struct sock *sk, struct sk_buff *skb);

#endif /* _XTCP_INPUT_H */
