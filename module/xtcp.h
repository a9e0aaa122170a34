/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: what every file of the module shares: the socket structure, the
 * per-segment control block and sequence-space helpers.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/inet_connection_sock.h>
#include <net/tcp_states.h>
#include <uapi/linux/xtcp.h>

#include "xtcp_ofo.h"

/*
 * Functions the KUnit module (xtcp_kunit.ko) calls are exported into a
 * namespace of their own, and only when the kernel has KUnit at all, so the
 * production module exports nothing.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define XTCP_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, XTCP_KUNIT)
#else
#define XTCP_EXPORT_FOR_KUNIT(sym)
#endif

struct xtcp_cong_ops;
struct xtcp_port;

/* Values Linux 6.1's TCP uses, so that xtcp behaves the same by default. */
#define XTCP_RTO_INIT		(1 * HZ)	/* RFC 6298 2.1 */
#define XTCP_RTO_MIN		(HZ / 5)	/* TCP_RTO_MIN: 200 ms */
#define XTCP_RTO_MAX		(120 * HZ)	/* TCP_RTO_MAX */
#define XTCP_DELACK_MIN		(HZ / 25)	/* TCP_DELACK_MIN: 40 ms */
#define XTCP_TIMEOUT_MIN	2		/* TCP_TIMEOUT_MIN, jiffies */
#define XTCP_INIT_CWND		10		/* RFC 6928, TCP_INIT_CWND */
#define XTCP_CWND_MAX		U16_MAX		/* as snd_cwnd_clamp */
#define XTCP_MAX_WSCALE		14		/* RFC 7323 */
#define XTCP_DEFAULT_MSS	536		/* RFC 9293 3.7.1 */

/**
 * struct xtcp_sock - an xtcp socket
 * @icsk: the inet connection socket it is built on; must stay first so that
 *	inet_sk() and inet_csk() work on it. Its retransmit timer serves SYN
 *	and data retransmission and the zero-window probe, its delack timer
 *	delayed ACKs; icsk_keepalive_timer serves keepalive and FIN_WAIT_2 of
 *	orphans.
 * @table_node: link in the owning namespace's table of all sockets
 * @port: the local port this socket holds (see xtcp_port.c), or NULL
 * @iss: initial send sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send (rewinds to @snd_una on RTO)
 * @snd_max: highest sequence number sent so far, plus one
 * @write_seq: sequence number after the last byte the user queued
 * @snd_wnd: send window the peer offered, already scaled
 * @max_window: largest window the peer ever offered (RFC 5961 ACK check)
 * @snd_wl1: segment sequence number used for the last window update
 * @snd_wl2: segment acknowledgment number used for the last window update
 * @irs: initial receive sequence number
 * @rcv_nxt: next sequence number expected
 * @rcv_wnd: receive window we advertised last
 * @rcv_wup: @rcv_nxt when @rcv_wnd was advertised
 * @copied_seq: next sequence number to hand to the user
 * @mss_cache: current effective sending MSS (payload bytes)
 * @rx_mss: MSS the peer announced, clamped by @user_mss
 * @adv_mss: MSS we announced
 * @rcv_mss: size of the peer's full segments, as seen (icsk_ack.rcv_mss)
 * @user_mss: MSS clamp set by the user (TCP_MAXSEG), 0 when unset
 * @snd_wscale: the peer's window shift
 * @rcv_wscale: our window shift
 * @wscale_ok: both sides offered window scaling
 * @sack_ok: the peer offered SACK
 * @tstamp_ok: both sides use timestamps (RFC 7323)
 * @quickack: ACK every segment for now (connection start, out-of-order data)
 * @ack_pending: an ACK is owed to the peer
 * @dsack: the next ACK reports @dsack_start..@dsack_end as a D-SACK
 * @unacked_segs: full-sized segments received since the last ACK we sent
 * @dsack_start: first sequence number of a duplicate we received
 * @dsack_end: sequence number after it
 * @ts_recent: the peer's last timestamp value, echoed back
 * @ts_recent_stamp: when @ts_recent was taken, in seconds (PAWS ages it)
 * @ts_off: offset added to our timestamp clock (RFC 7323 5.4)
 * @srtt_us: smoothed RTT in microseconds, 0 before the first sample
 * @rttvar_us: RTT variation in microseconds
 * @rto: current retransmission timeout in jiffies, backoff included
 * @retransmits: consecutive retransmission timeouts without progress
 * @cong_ops: the congestion control algorithm (xtcp_cong.c); its state is
 *	in inet_csk_ca()
 * @cong_setsockopt: @cong_ops was chosen with TCP_CONGESTION (children of a
 *	listener inherit it only then)
 * @is_cwnd_limited: the window limited sending in the current window of data
 * @cwnd: congestion window in segments
 * @ssthresh: slow start threshold in segments
 * @cwnd_cnt: ACKed segments counted towards the next congestion-avoidance step
 * @lsndtime: jiffies data was last sent (slow start after idle)
 * @cwnd_stamp: jiffies the window last grew or was last fully used
 * @cwnd_used: most segments in flight since @cwnd_stamp while not window
 *	limited
 * @max_packets_out: most segments in flight in the current window of data
 * @cwnd_usage_seq: @snd_nxt when the current window of data started
 * @dupacks: duplicate ACKs in a row (RFC 5681 2)
 * @in_recovery: in fast recovery (RFC 6582) until @recover is acknowledged
 * @recover: highest sequence number sent when fast recovery began
 * @sacked_out: bytes below @snd_nxt the peer SACKed (xtcp_sack.c); for a
 *	peer without SACK, an MSS per duplicate ACK before recovery (so that
 *	limited transmit, RFC 3042, sends new data on the first two)
 * @lost_out: bytes below @snd_nxt marked lost, retransmitted or not
 * @retrans_out: bytes of lost segments retransmitted and not yet
 *	acknowledged or SACKed
 * @highest_sack: end of the highest SACKed sequence, valid while
 *	@sacked_out
 * @prior_cwnd: @cwnd when SACK recovery began (RFC 6937 RecoverFS)
 * @prior_ssthresh: the threshold before that recovery, to return to if it
 *	is undone
 * @undo_marker: @snd_una when that recovery began, valid while @undo_armed
 * @undo_retrans: its retransmissions no D-SACK has reported yet, -1 while
 *	there were none; at 0 every one was spurious (RFC 3708)
 * @total_retrans: segments retransmitted over the connection's life
 * @dsack_dups: segments D-SACKs reported over it; more than @total_retrans
 *	and the D-SACKs cannot all be about our retransmissions
 * @prr_delivered: segments delivered during SACK recovery (RFC 6937)
 * @prr_out: segments sent during SACK recovery (RFC 6937)
 * @rack_sent_us: send time of the most recently sent segment known to have
 *	been delivered (RFC 8985 RACK.xmit_ts)
 * @rack_rtt_us: the RTT that delivery measured (RACK.rtt)
 * @min_rtt_us: smallest RTT sample of the connection, 0 before the first
 * @reordering: how many segments the path may reorder (tp->reordering):
 *	net.ipv4.tcp_reordering, raised to the distances seen
 * @reord_seen: times a segment sent once was delivered after one sent later was
 *	SACKed; from then on RACK alone finds losses, with its window
 * @reo_wnd_steps: RACK's window in quarters of the minimum RTT, one more
 *	per RTT with D-SACKs (rack.reo_wnd_steps)
 * @reo_wnd_persist: recoveries left before @reo_wnd_steps returns to 1
 * @reo_wnd_stamp_us: when @reo_wnd_steps last grew
 * @tlp_high_seq: @snd_nxt when a tail loss probe left, 0 once that is
 *	acknowledged (one probe per tail episode)
 * @in_loss: after an RTO, until what was sent before it is acknowledged
 *	(TCP_CA_Loss): no fast recovery, @recover marks the end
 * @undo_armed: the last SACK recovery may still be undone, during it and
 *	after (undo_marker in tcp_sock); not after an RTO
 * @send_head: first segment of the write queue not sent yet, or NULL
 * @ofo: segments above @rcv_nxt, by sequence number
 * @syn_retries: SYN retransmissions before connect() fails (TCP_SYNCNT)
 * @rcvq_space: bytes the application read in the last measured receiver
 *	RTT (receive-buffer autotuning, xtcp_buf.c)
 * @rcvq_seq: @copied_seq when that measure began
 * @rcvq_time_us: when it began
 * @rcv_rtt_us8: the receiver's RTT estimate, eight times, in microseconds
 * @rcv_rtt_seq: without timestamps, the sequence number whose arrival ends
 *	the current RTT measure
 * @rcv_rtt_time_us: when that measure began, 0 before the first
 * @synq_overflow: listener: jiffies when its SYN queue last overflowed (SYN
 *	cookies are checked for a while after), 0 if never
 * @nonagle: TCP_NAGLE_OFF (TCP_NODELAY), TCP_NAGLE_CORK (TCP_CORK) and
 *	TCP_NAGLE_PUSH (send what is queued up to @push_seq regardless)
 * @push_seq: @write_seq when TCP_NAGLE_PUSH was set
 * @snd_sml: end of the last sub-MSS segment sent (Minshall's Nagle rule)
 * @keepalive_time: TCP_KEEPIDLE in jiffies, 0 for tcp_keepalive_time
 * @keepalive_intvl: TCP_KEEPINTVL in jiffies, 0 for tcp_keepalive_intvl
 * @keepalive_probes: TCP_KEEPCNT, 0 for tcp_keepalive_probes
 * @rcv_tstamp: jiffies of the last acceptable ACK (keepalive idle time)
 * @retrans_stamp: jiffies the oldest unacknowledged segment was sent, from
 *	its first timeout on (TCP_USER_TIMEOUT)
 * @linger2: TCP_LINGER2 in jiffies, 0 for tcp_fin_timeout, -1 for none
 * @window_clamp: TCP_WINDOW_CLAMP, 0 if unset
 * @notsent_lowat: TCP_NOTSENT_LOWAT (kept, not applied yet)
 * @tx_delay: TCP_TX_DELAY in microseconds (kept, not applied)
 * @save_syn: TCP_SAVE_SYN (kept; no SYN is ever saved)
 * @thin_lto: TCP_THIN_LINEAR_TIMEOUTS (kept, not applied)
 * @recvmsg_inq: TCP_INQ (kept; no TCP_CM_INQ message is sent)
 * @fastopen_no_cookie: TCP_FASTOPEN_NO_COOKIE (kept; no Fast Open)
 */
struct xtcp_sock {
	struct inet_connection_sock	icsk;
	struct hlist_node		table_node;
	struct xtcp_port		*port;

	u32	iss;
	u32	snd_una;
	u32	snd_nxt;
	u32	snd_max;
	u32	write_seq;
	u32	snd_wnd;
	u32	max_window;
	u32	snd_wl1;
	u32	snd_wl2;

	u32	irs;
	u32	rcv_nxt;
	u32	rcv_wnd;
	u32	rcv_wup;
	u32	copied_seq;

	u32	mss_cache;
	u16	rx_mss;
	u16	adv_mss;
	u16	rcv_mss;
	u16	user_mss;
	u8	snd_wscale;
	u8	rcv_wscale;
	u8	wscale_ok:1,
		sack_ok:1,
		tstamp_ok:1,
		quickack:1,
		ack_pending:1,
		dsack:1;
	u8	unacked_segs;
	u32	dsack_start;
	u32	dsack_end;

	u32	ts_recent;
	u32	ts_recent_stamp;
	u32	ts_off;

	u32	srtt_us;
	u32	rttvar_us;
	u32	rto;
	u8	retransmits;
	u8	syn_retries;

	const struct xtcp_cong_ops	*cong_ops;
	u8	cong_setsockopt:1,
		is_cwnd_limited:1;
	u32	cwnd;
	u32	ssthresh;
	u32	cwnd_cnt;
	u32	lsndtime;
	u32	cwnd_stamp;
	u32	cwnd_used;
	u32	max_packets_out;
	u32	cwnd_usage_seq;
	u8	dupacks;
	u8	in_recovery:1,
		in_loss:1,
		undo_armed:1;
	u32	recover;
	u32	sacked_out;
	u32	lost_out;
	u32	retrans_out;
	u32	highest_sack;
	u32	prior_cwnd;
	u32	prior_ssthresh;
	u32	undo_marker;
	int	undo_retrans;
	u32	total_retrans;
	u32	dsack_dups;
	u32	prr_delivered;
	u32	prr_out;
	u64	rack_sent_us;
	u32	rack_rtt_us;
	u32	min_rtt_us;
	u32	tlp_high_seq;
	u32	reordering;
	u32	reord_seen;
	u8	reo_wnd_steps;
	u8	reo_wnd_persist;
	u64	reo_wnd_stamp_us;

	struct sk_buff		*send_head;
	unsigned long		tsq_flags;
	struct list_head	tsq_node;
	struct xtcp_ofo		ofo;
	u32	rcvq_space;
	u32	rcvq_seq;
	u64	rcvq_time_us;
	u32	rcv_rtt_us8;
	u32	rcv_rtt_seq;
	u64	rcv_rtt_time_us;
	unsigned long		synq_overflow;

	u8	nonagle;
	u32	push_seq;
	u32	snd_sml;
	u32	keepalive_time;
	u32	keepalive_intvl;
	u8	keepalive_probes;
	u32	rcv_tstamp;
	u32	retrans_stamp;
	int	linger2;
	u32	window_clamp;
	u32	notsent_lowat;
	u32	tx_delay;
	u8	save_syn:2,
		thin_lto:1,
		recvmsg_inq:1,
		fastopen_no_cookie:1;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/**
 * struct xtcp_skb_cb - what xtcp keeps about a segment in skb->cb
 * @seq: first sequence number of the segment
 * @end_seq: @seq + SYN + FIN + payload length
 * @flags: TCP header flags (TCPHDR_*)
 * @retransmitted: sent more than once (Karn's rule: no RTT sample)
 * @sacked: the peer SACKed all of it (xtcp_sack.c)
 * @lost: taken for lost (RFC 6675 IsLost, or RACK), until acknowledged
 * @retrans: lost and retransmitted since, not yet acknowledged or SACKed
 * @sent_us: when it was last sent, in microseconds (tcp_clock_us())
 * @tsval: received: the peer's timestamp value
 * @tsecr: received: the timestamp the peer echoes, 0 if none
 * @saw_tstamp: received: carries a timestamp option
 */
struct xtcp_skb_cb {
	u32	seq;
	u32	end_seq;
	u8	flags;
	u8	retransmitted:1,
		saw_tstamp:1,
		sacked:1,
		lost:1,
		retrans:1;
	u64	sent_us;
	u32	tsval;
	u32	tsecr;
};

#define XTCP_SKB_CB(skb)	((struct xtcp_skb_cb *)&((skb)->cb[0]))

/* Sequence-space comparisons, modulo 2^32 (RFC 9293 3.4). */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* a <= b <= c, in sequence space */
static inline bool xtcp_seq_between(u32 a, u32 b, u32 c)
{
	return c - a >= b - a;
}

/* Bytes sent and not yet acknowledged. */
static inline u32 xtcp_flight(const struct xtcp_sock *xs)
{
	return xs->snd_nxt - xs->snd_una;
}

/*
 * Bytes still in the network (RFC 6675 "pipe", tcp_packets_in_flight()):
 * sent and not acknowledged, less what the peer SACKed and what is lost,
 * plus the retransmissions of what is lost.
 */
static inline u32 xtcp_in_flight(const struct xtcp_sock *xs)
{
	u32 left = xs->sacked_out + xs->lost_out;
	u32 out = xtcp_flight(xs) + xs->retrans_out;

	return out > left ? out - left : 0;
}

/* Bytes as segments of the current MSS, rounded up. */
static inline u32 xtcp_packets(const struct xtcp_sock *xs, u32 bytes)
{
	return DIV_ROUND_UP(bytes, max(xs->mss_cache, 1U));
}

#endif /* _XTCP_H */
