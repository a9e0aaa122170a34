/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace events for every step of xtcp's connect path, visible under
 * /sys/kernel/tracing/events/xtcp/ (and to perf and trace-cmd).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tracepoint.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>

/*
 * Every socket event carries who (addresses in network order, stored raw
 * for %pI4) and in which state; XTCP_TP_SOCK_ASSIGN fills those fields.
 */
#define XTCP_TP_SOCK_ASSIGN(sk)						\
	do {								\
		__entry->skaddr = (sk);					\
		__entry->saddr = (__force u32)inet_sk(sk)->inet_saddr;	\
		__entry->daddr = (__force u32)inet_sk(sk)->inet_daddr;	\
		__entry->sport = ntohs(inet_sk(sk)->inet_sport);	\
		__entry->dport = ntohs(inet_sk(sk)->inet_dport);	\
		__entry->state = (sk)->sk_state;			\
	} while (0)

#define XTCP_TP_STATE_NAME(s)						\
	__print_symbolic(s,						\
		{ TCP_ESTABLISHED, "ESTABLISHED" },			\
		{ TCP_SYN_SENT, "SYN_SENT" },				\
		{ TCP_SYN_RECV, "SYN_RECV" },				\
		{ TCP_FIN_WAIT1, "FIN_WAIT1" },				\
		{ TCP_FIN_WAIT2, "FIN_WAIT2" },				\
		{ TCP_TIME_WAIT, "TIME_WAIT" },				\
		{ TCP_CLOSE, "CLOSE" },					\
		{ TCP_CLOSE_WAIT, "CLOSE_WAIT" },			\
		{ TCP_LAST_ACK, "LAST_ACK" },				\
		{ TCP_LISTEN, "LISTEN" },				\
		{ TCP_CLOSING, "CLOSING" })

TRACE_EVENT(xtcp_stream_connect,
	TP_PROTO(const struct sock *sk, int sock_state, int flags, int err),
	TP_ARGS(sk, sock_state, flags, err),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(int, sock_state)
		__field(int, flags)
		__field(int, err)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->sock_state = sock_state;
		__entry->flags = flags;
		__entry->err = err;
	),
	TP_printk("sk=%p socket=%s tcp=%s nonblock=%d err=%d",
		  __entry->skaddr,
		  __print_symbolic(__entry->sock_state,
				   { SS_UNCONNECTED, "UNCONNECTED" },
				   { SS_CONNECTING, "CONNECTING" },
				   { SS_CONNECTED, "CONNECTED" },
				   { SS_DISCONNECTING, "DISCONNECTING" }),
		  XTCP_TP_STATE_NAME(__entry->state),
		  !!(__entry->flags & O_NONBLOCK), __entry->err)
);

TRACE_EVENT(xtcp_route_lookup,
	TP_PROTO(__be32 daddr, __be32 saddr, bool hit, int err),
	TP_ARGS(daddr, saddr, hit, err),
	TP_STRUCT__entry(
		__field(u32, daddr)
		__field(u32, saddr)
		__field(bool, hit)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->daddr = (__force u32)daddr;
		__entry->saddr = (__force u32)saddr;
		__entry->hit = hit;
		__entry->err = err;
	),
	TP_printk("daddr=%pI4 saddr=%pI4 %s err=%d", &__entry->daddr,
		  &__entry->saddr, __entry->hit ? "hit" : "miss", __entry->err)
);

DECLARE_EVENT_CLASS(xtcp_sock_event,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u %s", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, XTCP_TP_STATE_NAME(__entry->state))
);

/* Source address and port chosen for a connect. */
DEFINE_EVENT(xtcp_sock_event, xtcp_connect_source,
	TP_PROTO(const struct sock *sk), TP_ARGS(sk));

DEFINE_EVENT(xtcp_sock_event, xtcp_established,
	TP_PROTO(const struct sock *sk), TP_ARGS(sk));

TRACE_EVENT(xtcp_isn,
	TP_PROTO(const struct sock *sk, u32 isn),
	TP_ARGS(sk, isn),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, isn)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->isn = isn;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u isn=%u", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->isn)
);

TRACE_EVENT(xtcp_syn_send,
	TP_PROTO(const struct sock *sk, u32 seq, u16 mss, u8 wscale,
		 unsigned int retransmits),
	TP_ARGS(sk, seq, mss, wscale, retransmits),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, seq)
		__field(u16, mss)
		__field(u8, wscale)
		__field(unsigned int, retransmits)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->seq = seq;
		__entry->mss = mss;
		__entry->wscale = wscale;
		__entry->retransmits = retransmits;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u seq=%u mss=%u wscale=%u retransmit=%u",
		  __entry->skaddr, &__entry->saddr, __entry->sport,
		  &__entry->daddr, __entry->dport, __entry->seq, __entry->mss,
		  __entry->wscale, __entry->retransmits)
);

TRACE_EVENT(xtcp_synack_recv,
	TP_PROTO(const struct sock *sk, u32 seq, u32 ack, u16 mss, int wscale,
		 bool sack, bool tstamp),
	TP_ARGS(sk, seq, ack, mss, wscale, sack, tstamp),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, seq)
		__field(u32, ack)
		__field(u16, mss)
		__field(int, wscale)
		__field(bool, sack)
		__field(bool, tstamp)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->seq = seq;
		__entry->ack = ack;
		__entry->mss = mss;
		__entry->wscale = wscale;
		__entry->sack = sack;
		__entry->tstamp = tstamp;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u seq=%u ack=%u mss=%u wscale=%d sack=%d ts=%d",
		  __entry->skaddr, &__entry->saddr, __entry->sport,
		  &__entry->daddr, __entry->dport, __entry->seq, __entry->ack,
		  __entry->mss, __entry->wscale, __entry->sack, __entry->tstamp)
);

TRACE_EVENT(xtcp_state_change,
	TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	TP_ARGS(sk, oldstate, newstate),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u8, newstate)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->state = oldstate;
		__entry->newstate = newstate;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u %s -> %s", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, XTCP_TP_STATE_NAME(__entry->state),
		  XTCP_TP_STATE_NAME(__entry->newstate))
);

TRACE_EVENT(xtcp_retransmit,
	TP_PROTO(const struct sock *sk, u32 seq, u32 rto, unsigned int count),
	TP_ARGS(sk, seq, rto, count),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, seq)
		__field(u32, rto)
		__field(unsigned int, count)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->seq = seq;
		__entry->rto = rto;
		__entry->count = count;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u seq=%u rto_ms=%u count=%u",
		  __entry->skaddr, &__entry->saddr, __entry->sport,
		  &__entry->daddr, __entry->dport, __entry->seq,
		  __entry->rto, __entry->count)
);

TRACE_EVENT(xtcp_icmp_error,
	TP_PROTO(const struct sock *sk, __be32 from, int type, int code,
		 u32 seq, int err),
	TP_ARGS(sk, from, type, code, seq, err),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, from)
		__field(int, type)
		__field(int, code)
		__field(u32, seq)
		__field(int, err)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->from = (__force u32)from;
		__entry->type = type;
		__entry->code = code;
		__entry->seq = seq;
		__entry->err = err;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u %s from=%pI4 type=%d code=%d seq=%u err=%d",
		  __entry->skaddr, &__entry->saddr, __entry->sport,
		  &__entry->daddr, __entry->dport,
		  XTCP_TP_STATE_NAME(__entry->state), &__entry->from,
		  __entry->type, __entry->code, __entry->seq, __entry->err)
);

/* The passive open: how a listener notices a connect, step by step. */

TRACE_EVENT(xtcp_listen,
	TP_PROTO(const struct sock *sk, int backlog, int err),
	TP_ARGS(sk, backlog, err),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(int, backlog)
		__field(int, err)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->backlog = backlog;
		__entry->err = err;
	),
	TP_printk("sk=%p %pI4:%u backlog=%d err=%d", __entry->skaddr,
		  &__entry->saddr, __entry->sport, __entry->backlog,
		  __entry->err)
);

/* A segment's addresses: peer (remote) and ours (local). */
DECLARE_EVENT_CLASS(xtcp_segment_event,
	TP_PROTO(const struct sock *lsk, const struct sk_buff *skb, int val),
	TP_ARGS(lsk, skb, val),
	TP_STRUCT__entry(
		__field(const void *, lskaddr)
		__field(u32, raddr)
		__field(u32, laddr)
		__field(u16, rport)
		__field(u16, lport)
		__field(u32, seq)
		__field(u32, qlen)
		__field(u32, backlog)
		__field(int, val)
	),
	TP_fast_assign(
		__entry->lskaddr = lsk;
		__entry->raddr = (__force u32)ip_hdr(skb)->saddr;
		__entry->laddr = (__force u32)ip_hdr(skb)->daddr;
		__entry->rport = ntohs(tcp_hdr(skb)->source);
		__entry->lport = ntohs(tcp_hdr(skb)->dest);
		__entry->seq = ntohl(tcp_hdr(skb)->seq);
		__entry->qlen = reqsk_queue_len(&inet_csk(lsk)->icsk_accept_queue);
		__entry->backlog = READ_ONCE(lsk->sk_max_ack_backlog);
		__entry->val = val;
	),
	TP_printk("listener=%p %pI4:%u -> %pI4:%u seq=%u synq=%u backlog=%u val=%d",
		  __entry->lskaddr, &__entry->raddr, __entry->rport,
		  &__entry->laddr, __entry->lport, __entry->seq,
		  __entry->qlen, __entry->backlog, __entry->val)
);

DEFINE_EVENT(xtcp_segment_event, xtcp_syn_recv,
	TP_PROTO(const struct sock *lsk, const struct sk_buff *skb, int val),
	TP_ARGS(lsk, skb, val));
/* A SYN opens a new connection on a 4-tuple in TIME_WAIT; val: the ISN */
DEFINE_EVENT(xtcp_segment_event, xtcp_tw_reuse,
	TP_PROTO(const struct sock *lsk, const struct sk_buff *skb, int val),
	TP_ARGS(lsk, skb, val));
/* val: the MSS a valid cookie carried, 0 for an invalid one */
DEFINE_EVENT(xtcp_segment_event, xtcp_cookie_check,
	TP_PROTO(const struct sock *lsk, const struct sk_buff *skb, int val),
	TP_ARGS(lsk, skb, val));

/* A request socket: peer (remote) and ours (local). */
DECLARE_EVENT_CLASS(xtcp_req_event,
	TP_PROTO(const struct request_sock *req, int val, int val2),
	TP_ARGS(req, val, val2),
	TP_STRUCT__entry(
		__field(const void *, reqaddr)
		__field(u32, raddr)
		__field(u32, laddr)
		__field(u16, rport)
		__field(u16, lport)
		__field(int, val)
		__field(int, val2)
	),
	TP_fast_assign(
		__entry->reqaddr = req;
		__entry->raddr = (__force u32)inet_rsk(req)->ir_rmt_addr;
		__entry->laddr = (__force u32)inet_rsk(req)->ir_loc_addr;
		__entry->rport = ntohs(inet_rsk(req)->ir_rmt_port);
		__entry->lport = inet_rsk(req)->ir_num;
		__entry->val = val;
		__entry->val2 = val2;
	),
	TP_printk("req=%p %pI4:%u -> %pI4:%u val=%d val2=%d", __entry->reqaddr,
		  &__entry->raddr, __entry->rport, &__entry->laddr,
		  __entry->lport, __entry->val, __entry->val2)
);

/* val: SYN queue length after adding */
DEFINE_EVENT(xtcp_req_event, xtcp_reqsk_queued,
	TP_PROTO(const struct request_sock *req, int val, int val2),
	TP_ARGS(req, val, val2));
/* val: retransmission count, val2: 1 for a SYN cookie */
DEFINE_EVENT(xtcp_req_event, xtcp_synack_send,
	TP_PROTO(const struct request_sock *req, int val, int val2),
	TP_ARGS(req, val, val2));
/* val: the MSS the cookie encodes */
DEFINE_EVENT(xtcp_req_event, xtcp_cookie_send,
	TP_PROTO(const struct request_sock *req, int val, int val2),
	TP_ARGS(req, val, val2));

TRACE_EVENT(xtcp_child_create,
	TP_PROTO(const struct sock *sk, int retrans),
	TP_ARGS(sk, retrans),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(int, retrans)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->retrans = retrans;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u synack_retrans=%d", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->retrans)
);

DECLARE_EVENT_CLASS(xtcp_accept_event,
	TP_PROTO(const struct sock *lsk, const struct sock *sk, int val),
	TP_ARGS(lsk, sk, val),
	TP_STRUCT__entry(
		__field(const void *, lskaddr)
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(int, val)
	),
	TP_fast_assign(
		__entry->lskaddr = lsk;
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->val = val;
	),
	TP_printk("listener=%p sk=%p %pI4:%u -> %pI4:%u %s val=%d",
		  __entry->lskaddr, __entry->skaddr, &__entry->saddr,
		  __entry->sport, &__entry->daddr, __entry->dport,
		  XTCP_TP_STATE_NAME(__entry->state), __entry->val)
);

/* val: accept queue length after adding */
DEFINE_EVENT(xtcp_accept_event, xtcp_accept_queue_add,
	TP_PROTO(const struct sock *lsk, const struct sock *sk, int val),
	TP_ARGS(lsk, sk, val));
DEFINE_EVENT(xtcp_accept_event, xtcp_accept,
	TP_PROTO(const struct sock *lsk, const struct sock *sk, int val),
	TP_ARGS(lsk, sk, val));

TRACE_EVENT(xtcp_tw_enter,
	TP_PROTO(const struct sock *sk, u32 timeout_ms),
	TP_ARGS(sk, timeout_ms),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u8, state)
		__field(u32, timeout_ms)
	),
	TP_fast_assign(
		XTCP_TP_SOCK_ASSIGN(sk);
		__entry->timeout_ms = timeout_ms;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u timeout_ms=%u", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr,
		  __entry->dport, __entry->timeout_ms)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xtcp_trace
#include <trace/define_trace.h>
