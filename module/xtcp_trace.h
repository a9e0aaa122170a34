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
#include <net/inet_sock.h>
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
	TP_PROTO(const struct sock *sk, int newstate),
	TP_ARGS(sk, newstate),
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

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE xtcp_trace
#include <trace/define_trace.h>
