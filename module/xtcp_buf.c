// SPDX-License-Identifier: GPL-2.0
/*
 * Buffer sizing.
 *
 * A connection starts with tcp_rmem[1] and tcp_wmem[1] and, unless the user
 * fixed them with SO_RCVBUF or SO_SNDBUF, grows them to what the path
 * needs, as native TCP does:
 *  - the receive buffer follows what the application read in the last
 *    receiver-side RTT (Dynamic Right-Sizing, tcp_rcv_space_adjust()):
 *    twice that plus headroom for the sender's growth, so that one
 *    connection can fill a long fat path, up to tcp_rmem[2]. The receiver
 *    learns the RTT from timestamps, or without them from how long a
 *    window of data takes to arrive (tcp_rcv_rtt_measure()).
 *  - the send buffer holds twice the congestion window of worst-case
 *    (non-GSO) segments, for CUBIC's fast recovery (tcp_sndbuf_expand()),
 *    up to tcp_wmem[2].
 * The window scale was chosen for the largest buffer (see
 * xtcp_output_initial_window()), so a grown buffer is a grown window.
 */
#include <linux/log2.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_buf.h"
#include "xtcp_mem.h"
#include "xtcp_output.h"

/**
 * xtcp_buf_rcv_rtt_update() - the receiver's RTT estimate (tcp_rcv_rtt_update())
 * @est_us8: current estimate, eight times the RTT in microseconds, 0 if none
 * @sample_us: the new sample
 * @win_dep: the sample is a window's arrival time, which can only
 *	overestimate: keep the smallest
 *
 * Return: the new estimate, eight times the RTT.
 */
u32 xtcp_buf_rcv_rtt_update(u32 est_us8, u32 sample_us, bool win_dep)
{
	s64 m = sample_us;

	if (!est_us8)
		return min_t(u64, (u64)m << 3, U32_MAX);
	if (win_dep)
		return min_t(u64, m << 3, est_us8);
	/* An EWMA with gain 1/8. */
	m -= est_us8 >> 3;
	return clamp_t(s64, (s64)est_us8 + m, 1, U32_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_buf_rcv_rtt_update);

/*
 * Buffer space per MSS of window: a full-sized skb's truesize, grown until
 * half of it (tcp_adv_win_scale 1, as tcp_win_from_space()) holds the MSS.
 */
static u32 xtcp_buf_rcvmem(u32 advmss)
{
	u32 rcvmem = SKB_TRUESIZE(advmss + MAX_TCP_HEADER);

	while (rcvmem - (rcvmem >> 1) < advmss)
		rcvmem += 128;
	return rcvmem;
}

/**
 * xtcp_buf_rcvbuf() - receive buffer for what the application reads
 * @copied: bytes read in the last RTT
 * @space: bytes read in the RTT before (the last measure), not 0
 * @advmss: the MSS we announced, not 0
 * @rmem_max: tcp_rmem[2]
 *
 * As tcp_rcv_space_adjust(): a window of twice what was read plus 16
 * segments covers losses in steady state; growth since the last RTT,
 * doubled, covers a sender still in slow start.
 *
 * Return: the buffer in bytes, at most @rmem_max.
 */
u64 xtcp_buf_rcvbuf(u32 copied, u32 space, u32 advmss, u32 rmem_max)
{
	u64 rcvwin = ((u64)copied << 1) + 16 * advmss;
	u64 grow = 0;

	if (copied > space)
		grow = div_u64(rcvwin * (copied - space), space);
	rcvwin += grow << 1;
	return min_t(u64, div_u64(rcvwin, advmss) * xtcp_buf_rcvmem(advmss),
		     rmem_max);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_buf_rcvbuf);

/**
 * xtcp_buf_sndmem() - send buffer for a congestion window (tcp_sndbuf_expand())
 * @cwnd: congestion window in segments
 * @mss: the sending MSS
 *
 * Worst case, without GSO: each segment its own skb with a power-of-two
 * head; twice the window (CUBIC's recovery needs 1.7 times), and no less
 * than the initial window's.
 *
 * Return: bytes.
 */
u32 xtcp_buf_sndmem(u32 cwnd, u32 mss)
{
	u32 per_mss = mss + MAX_TCP_HEADER +
		      SKB_DATA_ALIGN(sizeof(struct skb_shared_info));

	per_mss = roundup_pow_of_two(per_mss) +
		  SKB_DATA_ALIGN(sizeof(struct sk_buff));
	return min_t(u64, 2ULL * max_t(u32, cwnd, XTCP_INIT_CWND) * per_mss,
		     U32_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_buf_sndmem);

/**
 * xtcp_buf_sndbuf_expand() - grow the send buffer with the window
 * @sk: socket, locked
 *
 * Not when the user fixed the buffer (SO_SNDBUF) or when the protocol's
 * memory is short (above tcp_mem[0]), and never above tcp_wmem[2]; never
 * shrinks.
 */
void xtcp_buf_sndbuf_expand(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 sndmem;

	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || !xtcp_mem_may_grow(sk))
		return;
	sndmem = min_t(u32, xtcp_buf_sndmem(xs->cwnd, xs->mss_cache),
		       READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_wmem[2]));
	if (sk->sk_sndbuf < (int)sndmem)
		WRITE_ONCE(sk->sk_sndbuf, sndmem);
}

/**
 * xtcp_buf_init() - buffers at the end of the handshake
 *	(tcp_init_buffer_space())
 * @sk: socket becoming established, locked
 */
void xtcp_buf_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xtcp_buf_sndbuf_expand(sk);
	/* Grows to the real size with the first full segments. */
	xs->rcv_mss = clamp_t(u32, min3((u32)xs->adv_mss, xs->mss_cache,
					xs->rcv_wnd / 2), TCP_MIN_MSS, TCP_MSS_DEFAULT);
	xs->rcvq_space = min3(xs->rcv_wnd, (u32)XTCP_INIT_CWND * xs->adv_mss,
			      (u32)READ_ONCE(sk->sk_rcvbuf) / 2);
	xs->rcvq_space = max(xs->rcvq_space, 1U);
	xs->rcvq_seq = xs->copied_seq;
	xs->rcvq_time_us = tcp_clock_us();
	xs->rcv_rtt_us8 = 0;
	xs->rcv_rtt_time_us = 0;
}

/**
 * xtcp_buf_rcv_rtt_measure() - a receiver-side RTT sample from in-order data
 * @sk: socket, locked
 * @skb: the segment that just arrived in order
 *
 * From the timestamp it echoes when it is a full segment (the sender sent
 * it on the ACK that carried that timestamp: tcp_rcv_rtt_measure_ts()),
 * else from the time a window of data took (tcp_rcv_rtt_measure()).
 */
void xtcp_buf_rcv_rtt_measure(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now_us;

	if (xs->tstamp_ok) {
		s32 delta_ms;

		if (!cb->saw_tstamp || !cb->tsecr || skb->len < xs->rcv_mss)
			return;
		delta_ms = xtcp_output_tsval(sk) - cb->tsecr;
		if (delta_ms < 0 || delta_ms > 60 * MSEC_PER_SEC)
			return;
		xs->rcv_rtt_us8 = xtcp_buf_rcv_rtt_update(xs->rcv_rtt_us8,
							  max(delta_ms, 1) *
							  USEC_PER_MSEC, false);
		return;
	}
	now_us = tcp_clock_us();
	if (xs->rcv_rtt_time_us) {
		if (xtcp_seq_before(xs->rcv_nxt, xs->rcv_rtt_seq))
			return;
		xs->rcv_rtt_us8 = xtcp_buf_rcv_rtt_update(xs->rcv_rtt_us8,
							  max_t(u64, now_us - xs->rcv_rtt_time_us, 1),
							  true);
	}
	xs->rcv_rtt_seq = xs->rcv_nxt + xs->rcv_wnd;
	xs->rcv_rtt_time_us = now_us;
}

/**
 * xtcp_buf_rcv_space_adjust() - after a read: grow the receive buffer to
 *	what the application consumes per RTT (tcp_rcv_space_adjust())
 * @sk: socket, locked
 *
 * Once per receiver RTT; only with net.ipv4.tcp_moderate_rcvbuf and a
 * buffer the user did not fix with SO_RCVBUF. Never shrinks.
 */
void xtcp_buf_rcv_space_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now_us = tcp_clock_us();
	u32 copied;

	if (!xs->rcv_rtt_us8 || now_us - xs->rcvq_time_us < xs->rcv_rtt_us8 >> 3)
		return;
	copied = xs->copied_seq - xs->rcvq_seq;
	if (copied > xs->rcvq_space) {
		if (READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_moderate_rcvbuf) &&
		    !(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
			u64 rcvbuf = xtcp_buf_rcvbuf(copied, xs->rcvq_space,
						     max_t(u32, xs->adv_mss, 1),
						     READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[2]));

			if (rcvbuf > (u64)sk->sk_rcvbuf)
				WRITE_ONCE(sk->sk_rcvbuf, rcvbuf);
		}
		xs->rcvq_space = copied;
	}
	xs->rcvq_seq = xs->copied_seq;
	xs->rcvq_time_us = now_us;
}
