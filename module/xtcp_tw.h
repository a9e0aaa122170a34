/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIME_WAIT in small objects: what a closed connection must remember for
 * 2 MSL, without the full socket.
 */
#ifndef _XTCP_TW_H
#define _XTCP_TW_H

#include <linux/timer.h>
#include <net/sock.h>

struct sk_buff;
struct xtcp_port;

/**
 * struct xtcp_tw - a connection in TIME_WAIT
 * @common: addresses, ports, namespace, state (TCP_TIME_WAIT), reference
 *	count and the link in the connection table, as every table entry has
 * @timer: ends TIME_WAIT; holds a reference while pending
 * @port: the local port, held until the end
 * @rcv_nxt: next sequence number expected from the peer
 * @snd_nxt: our next sequence number (the new ISN after a reopening SYN
 *	is chosen above it)
 * @ts_recent: the peer's last timestamp value
 * @ts_off: our timestamp offset
 * @rcv_wnd: window we offered last, already scaled down
 * @tstamp_ok: the connection used timestamps
 * @tos: IP TOS of our segments
 * @mark: fwmark of our segments
 * @uid: owner, for routing
 */
struct xtcp_tw {
	struct sock_common	common;
	struct timer_list	timer;
	struct xtcp_port	*port;
	u32			rcv_nxt;
	u32			snd_nxt;
	u32			ts_recent;
	u32			ts_off;
	u16			rcv_wnd;
	u8			tstamp_ok:1;
	u8			tos;
	u32			mark;
	kuid_t			uid;
};

/* What a segment to a TIME_WAIT entry amounts to. */
enum xtcp_tw_verdict {
	XTCP_TW_DONE,		/* consumed (acknowledged or dropped) */
	XTCP_TW_SYN,		/* a new connection may reuse the 4-tuple */
};

extern struct timewait_sock_ops xtcp_timewait_sock_ops;

bool xtcp_tw_enter(struct sock *sk);
enum xtcp_tw_verdict xtcp_tw_rcv(struct xtcp_tw *tw, struct sk_buff *skb,
				 u32 *isn);
void xtcp_tw_put(struct xtcp_tw *tw);
void xtcp_tw_reuse(struct xtcp_tw *tw);
void xtcp_tw_send_ack(const struct xtcp_tw *tw, const struct sk_buff *skb);

static inline struct xtcp_tw *xtcp_tw(const struct sock *sk)
{
	return (struct xtcp_tw *)sk;
}

#endif /* _XTCP_TW_H */
