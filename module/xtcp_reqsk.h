/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The passive open: request sockets (the SYN queue), SYN-ACKs and their
 * retransmission, SYN cookies, and the final ACK that turns a request into
 * a socket in the listener's accept queue.
 */
#ifndef _XTCP_REQSK_H
#define _XTCP_REQSK_H

#include <net/inet_sock.h>
#include <net/request_sock.h>

struct sk_buff;
struct sock;

/**
 * struct xtcp_request_sock - a SYN a listener answered, waiting for the ACK
 * @ireq: inet part; addresses, ports, negotiated options, timer, listener
 * @snt_isn: our initial sequence number (the SYN-ACK's)
 * @rcv_isn: the peer's initial sequence number
 * @ts_off: offset of our timestamp clock for this connection
 * @rcv_wnd: window offered in the SYN-ACK
 * @adv_mss: MSS offered in the SYN-ACK
 * @snt_synack_us: when the first SYN-ACK left (RTT sample, Karn permitting)
 * @cookie: made from a SYN cookie; never in the SYN queue
 */
struct xtcp_request_sock {
	struct inet_request_sock	ireq;
	u32				snt_isn;
	u32				rcv_isn;
	u32				ts_off;
	u32				rcv_wnd;
	u16				adv_mss;
	u64				snt_synack_us;
	bool				cookie;
};

static inline struct xtcp_request_sock *xtcp_rsk(const struct request_sock *req)
{
	return (struct xtcp_request_sock *)req;
}

extern struct request_sock_ops xtcp_request_sock_ops;

void xtcp_reqsk_syn(struct sock *lsk, struct sk_buff *skb, u32 isn);
void xtcp_reqsk_ack(struct sock *lsk, struct sk_buff *skb);
void xtcp_reqsk_rcv(struct request_sock *req, struct sk_buff *skb);

#endif /* _XTCP_REQSK_H */
