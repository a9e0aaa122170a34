// SPDX-License-Identifier: GPL-2.0
/*
 * Receive path.
 *
 * IPv4 hands every TCP segment to native TCP's tcp_v4_rcv(), which knows
 * nothing of xtcp sockets, and IPPROTO_TCP's slot cannot be taken. So xtcp
 * watches NF_INET_LOCAL_IN in each namespace: a segment whose 4-tuple is in
 * xtcp's table is stolen (NF_STOLEN) and processed here; every other
 * segment continues to native TCP untouched. The hook runs after the
 * firewall's INPUT rules and IP reassembly (just before conntrack confirms
 * at NF_IP_PRI_LAST), so xtcp traffic is filtered like native TCP traffic.
 *
 * Segment processing follows RFC 9293 3.10.7, with RFC 5961's defences
 * against blind resets and injection.
 */
#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <asm/unaligned.h>

#include "xtcp.h"
#include "xtcp_buf.h"
#include "xtcp_cong.h"
#include "xtcp_ehash.h"
#include "xtcp_input.h"
#include "xtcp_listen.h"
#include "xtcp_mem.h"
#include "xtcp_ofo.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_reqsk.h"
#include "xtcp_route.h"
#include "xtcp_sack.h"
#include "xtcp_sock.h"
#include "xtcp_timer.h"
#include "xtcp_trace.h"
#include "xtcp_tsq.h"
#include "xtcp_tw.h"

static void xtcp_parse_sacks(struct xtcp_options *opt, const unsigned char *ptr,
			     int opsize)
{
	int n = (opsize - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_PERBLOCK;
	int i;

	n = min(n, XTCP_MAX_SACKS);
	for (i = 0; i < n; i++, ptr += TCPOLEN_SACK_PERBLOCK) {
		opt->sacks[i].start = get_unaligned_be32(ptr);
		opt->sacks[i].end = get_unaligned_be32(ptr + 4);
	}
	opt->num_sacks = n;
}

/**
 * xtcp_input_parse_options() - read the options of a segment
 * @th: TCP header, with th->doff * 4 bytes readable
 * @opt: filled in; absent options get their "absent" value
 *
 * As tcp_parse_options(): SYN-only options count only on a SYN, and a
 * malformed option (length below 2 or past the header) ends the parsing,
 * keeping what was valid before it.
 */
void xtcp_input_parse_options(const struct tcphdr *th, struct xtcp_options *opt)
{
	const unsigned char *ptr = (const unsigned char *)(th + 1);
	int length = th->doff * 4 - (int)sizeof(struct tcphdr);

	memset(opt, 0, sizeof(*opt));
	opt->wscale = -1;
	while (length > 0) {
		int opcode = *ptr++;
		int opsize;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;
		switch (opcode) {
		case TCPOPT_MSS:
			if (opsize == TCPOLEN_MSS && th->syn)
				opt->mss = get_unaligned_be16(ptr);
			break;
		case TCPOPT_WINDOW:
			if (opsize == TCPOLEN_WINDOW && th->syn)
				opt->wscale = min_t(u8, *ptr, XTCP_MAX_WSCALE);
			break;
		case TCPOPT_TIMESTAMP:
			if (opsize == TCPOLEN_TIMESTAMP) {
				opt->saw_tstamp = true;
				opt->tsval = get_unaligned_be32(ptr);
				opt->tsecr = get_unaligned_be32(ptr + 4);
			}
			break;
		case TCPOPT_SACK_PERM:
			if (opsize == TCPOLEN_SACK_PERM && th->syn)
				opt->sack_ok = true;
			break;
		case TCPOPT_SACK:
			if (opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
			    !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK) &&
			    !th->syn)
				xtcp_parse_sacks(opt, ptr, opsize);
			break;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}
XTCP_EXPORT_FOR_KUNIT(xtcp_input_parse_options);

static void xtcp_ack_now(struct sock *sk)
{
	xtcp_sk(sk)->ack_pending = 1;
	xtcp_output_send_ack(sk);
}

/*
 * Report a duplicate we received (RFC 2883) on the next ACK, when the peer
 * does SACK and net.ipv4.tcp_dsack allows it (tcp_dsack_set()).
 */
static void xtcp_dsack_set(struct sock *sk, u32 seq, u32 end_seq)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->sack_ok || !READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_dsack))
		return;
	xtcp_net_stat_inc(sock_net(sk), xtcp_seq_before(seq, xs->rcv_nxt) ?
			  XTCP_STAT_DSACK_OLD_SENT : XTCP_STAT_DSACK_OFO_SENT);
	xs->dsack = 1;
	xs->dsack_start = seq;
	xs->dsack_end = end_seq;
}

/*
 * tcp_send_dupack(): a segment outside the window is answered at once; the
 * part of it we already had is a D-SACK, so that the sender can tell a
 * spurious retransmission.
 */
static void xtcp_send_dupack(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (cb->end_seq != cb->seq && xtcp_seq_before(cb->seq, xs->rcv_nxt)) {
		u32 end_seq = cb->end_seq;

		if (xtcp_seq_after(end_seq, xs->rcv_nxt))
			end_seq = xs->rcv_nxt;
		xtcp_dsack_set(sk, cb->seq, end_seq);
		xs->quickack = 1;
	}
	xtcp_ack_now(sk);
}

/* RFC 5961: answer a suspicious segment with an ACK and let the peer sort
 * it out; a blind attacker cannot see that ACK.
 */
static void xtcp_challenge_ack(struct sock *sk)
{
	xtcp_ack_now(sk);
}

/* RTT sample for newly acknowledged data: timestamps if both sides use
 * them (valid across retransmissions), else the send time of a segment
 * that was sent once (Karn's rule).
 */
static void xtcp_rtt_sample(struct sock *sk, const struct xtcp_skb_cb *in,
			    u64 sent_us, u64 now_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 sample_us, ca_us = 0;

	if (sent_us)
		ca_us = now_us - sent_us;
	if (xs->tstamp_ok && in->saw_tstamp && in->tsecr) {
		u32 delta_ms = xtcp_output_tsval_at(sk, now_us) - in->tsecr;

		if ((s32)delta_ms < 0)
			return;
		sample_us = delta_ms * USEC_PER_MSEC;
	} else if (sent_us) {
		sample_us = ca_us;
	} else {
		return;
	}
	if (!xs->min_rtt_us || sample_us < xs->min_rtt_us)
		xs->min_rtt_us = max(sample_us, 1U);
	xs->rto = xtcp_timer_rtt_sample(&xs->srtt_us, &xs->rttvar_us, sample_us,
					xtcp_timer_rto_min_us(sk));
	/*
	 * The algorithm gets the microsecond sample of the newest segment
	 * acknowledged, as ca_rtt_us: HyStart compares RTTs well below the
	 * timestamps' millisecond.
	 */
	xtcp_cong_rtt_sample(sk, ca_us ? : sample_us);
}

/*
 * Drop what @ack, received at @now_us, acknowledges from the write queue
 * (one clock read per ACK: see xtcp_output_tsval_at()). Returns the number of
 * bytes newly acknowledged, the send time of the newest segment that was
 * sent only once (0 if none) for the RTT estimator, and the lowest sequence
 * of a segment sent once and not SACKed among them (snd_max if none), for
 * reordering.
 */
static u32 xtcp_clean_acked(struct sock *sk, u32 ack, u64 now_us,
			    u64 *sent_us, u32 *orig_low)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 acked = ack - xs->snd_una;
	struct sk_buff *skb;

	*sent_us = 0;
	*orig_low = xs->snd_max;
	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (xtcp_seq_after(cb->end_seq, ack))
			break;
		*sent_us = cb->retransmitted ? 0 : cb->sent_us;
		if (!cb->sacked)
			xtcp_sack_delivered(sk, skb, now_us);
		/* Sent once, delivered now: a hole the original filled. */
		if (!cb->sacked && !cb->retransmitted &&
		    xtcp_seq_before(cb->seq, *orig_low))
			*orig_low = cb->seq;
		if (xs->send_head == skb)
			xs->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
					NULL : skb->next;
		__skb_unlink(skb, &sk->sk_write_queue);
		xtcp_mem_wqueue_add(sk, -skb->truesize);
		consume_skb(skb);
	}
	/* A large segment partly acknowledged: resends start at the hole. */
	skb = skb_peek(&sk->sk_write_queue);
	if (skb && xtcp_seq_after(ack, XTCP_SKB_CB(skb)->seq) &&
	    !(XTCP_SKB_CB(skb)->flags & TCPHDR_SYN))
		xtcp_output_trim_head(sk, skb, ack - XTCP_SKB_CB(skb)->seq);
	xs->snd_una = ack;
	/* After going back on an RTO, the peer may ack what we resend anyway. */
	if (xtcp_seq_before(xs->snd_nxt, ack)) {
		xs->snd_nxt = ack;
		xs->send_head = skb_peek(&sk->sk_write_queue);
		while (xs->send_head &&
		       !xtcp_seq_after(XTCP_SKB_CB(xs->send_head)->end_seq, ack))
			xs->send_head = skb_queue_is_last(&sk->sk_write_queue,
							  xs->send_head) ?
					NULL : xs->send_head->next;
	}
	return acked;
}

/*
 * A duplicate ACK from a peer without SACK (RFC 5681 2). The first two
 * each let one new segment out (limited transmit, RFC 3042: counted as
 * having left the network, as tcp_add_reno_sack() does); the third starts
 * fast retransmit and fast recovery (RFC 5681 3.2, RFC 6582 NewReno);
 * further ones inflate the window by the segment each stands for.
 */
static void xtcp_dupack(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->in_recovery) {
		xs->cwnd++;
		return;
	}
	if (xs->in_loss)
		return;
	if (++xs->dupacks < 3) {
		xs->sacked_out = min(xs->dupacks * xs->mss_cache,
				     xtcp_flight(xs));
		return;
	}
	xs->sacked_out = 0;
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_RENO_RECOVERY);
	/* The socket's algorithm picks the threshold (Reno: half, CUBIC: 0.7). */
	xtcp_cong_enter_recovery(sk);
	xs->cwnd = min(xs->ssthresh + 3, XTCP_CWND_MAX);
	xs->recover = xs->snd_max;
	xs->in_recovery = 1;
	xtcp_output_retransmit_head(sk);
}

/* New data acknowledged during fast recovery (RFC 6582 3.2, steps 3-5). */
static void xtcp_recovery_ack(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 segs = acked / max(xs->mss_cache, 1U);

	if (!xtcp_seq_before(ack, xs->recover)) {
		/* Full acknowledgment: deflate and leave recovery. */
		xs->cwnd = xs->ssthresh;
		xs->in_recovery = 0;
		xtcp_cong_set_state(sk, TCP_CA_Open);
		return;
	}
	/* Partial: the next hole is lost too; resend it at once. */
	xtcp_output_retransmit_head(sk);
	xs->cwnd = xs->cwnd > segs ? xs->cwnd - segs + 1 : 1;
}

/* The SACK blocks of an ACK into the scoreboard; bytes newly SACKed. */
static u32 xtcp_sack_ack_blocks(struct sock *sk, const struct tcphdr *th,
				u32 ack)
{
	struct xtcp_options opt;

	if (th->doff * 4 < sizeof(*th) + TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK)
		return 0;
	xtcp_input_parse_options(th, &opt);
	return xtcp_sack_tag(sk, opt.sacks, opt.num_sacks, ack);
}

/* Whether our FIN, the last thing we queued, is acknowledged. */
static bool xtcp_fin_acked(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return (1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK) &&
	       xs->snd_una == xs->write_seq;
}

/* RFC 9293 3.10.7.4, fifth check: the ACK field. Returns false to drop. */
static bool xtcp_ack(struct sock *sk, struct sk_buff *skb, const struct tcphdr *th)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ack = ntohl(th->ack_seq);
	u32 acked = 0, sacked = 0;
	u32 prior_fack, orig_low;
	u64 sent_us;

	if (xtcp_seq_after(ack, xs->snd_max)) {
		/* Acknowledges something never sent. */
		xtcp_ack_now(sk);
		return false;
	}
	if (xtcp_seq_before(ack, xs->snd_una - xs->max_window)) {
		xtcp_challenge_ack(sk);		/* RFC 5961 5.2 */
		return false;
	}
	/* The peer is alive: zero-window probing starts over (as native). */
	inet_csk(sk)->icsk_probes_out = 0;
	xs->rcv_tstamp = tcp_jiffies32;		/* keepalive idle time */

	prior_fack = xtcp_sack_fack(sk);	/* before this ACK's blocks */
	if (xs->sack_ok)
		sacked = xtcp_sack_ack_blocks(sk, th, ack);
	else if (ack == xs->snd_una && xtcp_flight(xs) && cb->end_seq == cb->seq &&
		 ((u32)ntohs(th->window) << xs->snd_wscale) == xs->snd_wnd)
		xtcp_dupack(sk);

	if (xtcp_seq_after(ack, xs->snd_una)) {
		u64 now_us = tcp_clock_us();

		acked = xtcp_clean_acked(sk, ack, now_us, &sent_us, &orig_low);
		if (xs->sack_ok)
			xtcp_sack_reordering(sk, orig_low, prior_fack);
		xtcp_rtt_sample(sk, cb, sent_us, now_us);
		inet_csk(sk)->icsk_retransmits = 0;
		inet_csk(sk)->icsk_probes_out = 0;
		xs->retransmits = 0;
		/* The data sent before the RTO is all acknowledged (Loss -> Open). */
		if (xs->in_loss && !xtcp_seq_before(ack, xs->recover)) {
			xs->in_loss = 0;
			xtcp_cong_set_state(sk, TCP_CA_Open);
		}
		if (!xs->sack_ok) {
			if (xs->in_recovery)
				xtcp_recovery_ack(sk, ack, acked);
			else
				xtcp_cong_on_ack(sk, acked);
			xs->dupacks = 0;
			xs->sacked_out = 0;
		}
		/* The tail the probe was for is acknowledged. */
		if (xs->tlp_high_seq && !xtcp_seq_before(ack, xs->tlp_high_seq))
			xs->tlp_high_seq = 0;
		/* With nothing in flight, a shut window needs the probe timer
		 * (armed by xtcp_output_write_xmit()), not the RTO.
		 */
		if (!xtcp_flight(xs))
			xtcp_timer_clear_rto(sk);
		else if (!xtcp_timer_schedule_tlp(sk, true))
			xtcp_timer_reset_rto(sk);	/* RFC 6298 5.3 */
		sk->sk_write_space(sk);
	}
	if (xs->sack_ok && !xtcp_sack_ack(sk, acked, sacked) && acked)
		xtcp_cong_on_ack(sk, acked);
	/* The window grew: room to queue it (not when the window is full). */
	if (acked && xtcp_packets(xs, xtcp_in_flight(xs)) < xs->cwnd)
		xtcp_buf_sndbuf_expand(sk);
	if (acked || sacked)
		xtcp_tsq_update_pacing_rate(sk);

	/* RFC 9293 3.10.7.4: take the window from the newest segment. */
	if (xtcp_seq_before(xs->snd_wl1, cb->seq) ||
	    (xs->snd_wl1 == cb->seq && !xtcp_seq_before(ack, xs->snd_wl2))) {
		xs->snd_wnd = (u32)ntohs(th->window) << xs->snd_wscale;
		xs->max_window = max(xs->max_window, xs->snd_wnd);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = ack;
	}

	if (!xtcp_fin_acked(sk))
		return true;
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
		xtcp_sock_set_state(sk, TCP_FIN_WAIT2);
		sk->sk_state_change(sk);
		/* An orphan waits for the peer's FIN only tcp_fin_timeout. */
		if (sock_flag(sk, SOCK_DEAD))
			xtcp_timer_start_wait(sk, xtcp_sock_fin_timeout(sk));
		break;
	case TCP_CLOSING:
		xtcp_sock_time_wait(sk);
		return false;
	case TCP_LAST_ACK:
		xtcp_sock_done(sk);
		return false;
	}
	return true;
}

/* The peer closed its direction (RFC 9293 3.10.7.4, eighth check). */
static void xtcp_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	switch (sk->sk_state) {
	case TCP_SYN_RECV:
	case TCP_ESTABLISHED:
		xtcp_sock_set_state(sk, TCP_CLOSE_WAIT);
		break;
	case TCP_FIN_WAIT1:
		/* Simultaneous close: our FIN is not acknowledged yet. */
		xtcp_sock_set_state(sk, TCP_CLOSING);
		break;
	case TCP_FIN_WAIT2:
		/* tcp_fin(): acknowledge the FIN, then hand over to TIME_WAIT. */
		xtcp_ofo_purge(&xs->ofo);
		xtcp_ack_now(sk);
		xtcp_sock_time_wait(sk);
		if (!sock_flag(sk, SOCK_DEAD))
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		return;
	}
	/* Nothing can follow a FIN. */
	xtcp_ofo_purge(&xs->ofo);
	xs->quickack = 1;
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* Hand an in-order segment to the receive queue; true if it carried data. */
static bool xtcp_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 trim = xs->rcv_nxt - cb->seq;
	bool fin = cb->flags & TCPHDR_FIN;

	if (trim) {
		/* The head overlaps what we have: keep only the new bytes. */
		if (trim >= skb->len) {
			cb->seq += skb->len;
			__skb_trim(skb, 0);
		} else {
			if (!pskb_pull(skb, trim)) {
				kfree_skb(skb);
				return false;
			}
			cb->seq += trim;
		}
	}
	xs->rcv_nxt = cb->end_seq;
	if (!skb->len) {
		kfree_skb(skb);
		if (fin)
			xtcp_fin(sk);
		return false;
	}
	skb_dst_drop(skb);
	/* From the out-of-order queue it is charged already. */
	if (skb->sk != sk || skb->destructor != sock_rfree)
		skb_set_owner_r(skb, sk);
	__skb_queue_tail(&sk->sk_receive_queue, skb);
	if (fin)
		xtcp_fin(sk);
	return true;
}

/* Move segments the gap was waiting for from the out-of-order queue. */
static bool xtcp_drain_ofo(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool data = false;

	while ((skb = xtcp_ofo_pop(&xs->ofo, xs->rcv_nxt))) {
		if (!xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq, xs->rcv_nxt)) {
			kfree_skb(skb);		/* wholly duplicate */
			continue;
		}
		data |= xtcp_queue_rcv(sk, skb);
	}
	return data;
}

/*
 * The peer's full-segment size (tcp_measure_rcv_mss()): the largest payload
 * per segment seen, never above the MSS we announced. Timestamps and the
 * peer's own path MTU make it smaller than that MSS, and "a full segment"
 * decides both when to ACK and which segments give an RTT sample.
 */
static void xtcp_measure_rcv_mss(struct xtcp_sock *xs, const struct sk_buff *skb)
{
	unsigned int len = skb_shinfo(skb)->gso_size ? : skb->len;

	if (len > xs->rcv_mss)
		xs->rcv_mss = min_t(unsigned int, len, xs->adv_mss);
}

/*
 * Memory from the protocol's pool for a segment (tcp_try_rmem_schedule()).
 * For the next in-order segment the out-of-order queue gives its memory
 * back first, from the highest sequence: what can be read soonest matters
 * most.
 */
static bool xtcp_rmem_schedule(struct sock *sk, struct sk_buff *skb)
{
	bool in_order = !xtcp_seq_after(XTCP_SKB_CB(skb)->seq,
					xtcp_sk(sk)->rcv_nxt);

	if (!skb->len)
		return true;		/* a bare FIN is not charged */
	if (xtcp_mem_rmem_schedule(sk, skb, in_order &&
				   skb_queue_empty(&sk->sk_receive_queue)))
		return true;
	if (!in_order || !xtcp_ofo_prune(&xtcp_sk(sk)->ofo, skb->truesize))
		return false;
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_OFO_PRUNED);
	return xtcp_mem_rmem_schedule(sk, skb, false);
}

/* RFC 9293 3.10.7.4, seventh and eighth checks: segment text and FIN. */
static void xtcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool data = false;
	int rcvbuf, over;
	u32 full;

	if (!xtcp_seq_after(cb->end_seq, xs->rcv_nxt)) {
		/* A duplicate: our ACK was probably lost. */
		xtcp_dsack_set(sk, cb->seq, cb->end_seq);
		kfree_skb(skb);
		xs->quickack = 1;
		xs->ack_pending = 1;
		return;
	}
	/*
	 * The peer must respect our window; memory is what really bounds it.
	 * Segments ahead of a gap give way first, from the highest sequence
	 * (tcp_prune_ofo_queue()): the one that fills the gap must always get
	 * in, or nothing ever drains.
	 */
	rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	over = atomic_read(&sk->sk_rmem_alloc) - rcvbuf;
	if (skb->len && over > 0) {
		if (xtcp_ofo_prune(&xs->ofo, max(over, rcvbuf >> 3)))
			xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_OFO_PRUNED);
		if (xtcp_seq_after(cb->seq, xs->rcv_nxt) &&
		    atomic_read(&sk->sk_rmem_alloc) > rcvbuf) {
			xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_OFO_DROP);
			kfree_skb(skb);
			xs->ack_pending = 1;
			return;
		}
	}
	if (!xtcp_rmem_schedule(sk, skb)) {
		xtcp_net_stat_inc(sock_net(sk),
				  xtcp_seq_after(cb->seq, xs->rcv_nxt) ?
				  XTCP_STAT_OFO_DROP : XTCP_STAT_RCVQ_DROP);
		kfree_skb(skb);
		xs->ack_pending = 1;
		return;
	}
	if (xtcp_seq_after(cb->seq, xs->rcv_nxt)) {
		u32 seq = cb->seq, end_seq = cb->end_seq;

		skb_dst_drop(skb);
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_OFO_QUEUE);
		if (xtcp_ofo_insert(&xs->ofo, skb, sk) == XTCP_OFO_DUP)
			xtcp_dsack_set(sk, seq, end_seq);
		/* Tell the sender about the gap at once (RFC 5681 4.2). */
		xs->quickack = 1;
		xs->ack_pending = 1;
		return;
	}
	/* Its head we had already (tcp_data_queue()'s partial packet). */
	if (xtcp_seq_before(cb->seq, xs->rcv_nxt))
		xtcp_dsack_set(sk, cb->seq, xs->rcv_nxt);
	xtcp_measure_rcv_mss(xs, skb);
	xtcp_buf_rcv_rtt_measure(sk, skb);
	/* A GRO-merged skb counts for each full segment in it. */
	full = max_t(u32, xs->rcv_mss, 1);
	xs->unacked_segs = min_t(u32, xs->unacked_segs + skb->len / full, U8_MAX);
	data = xtcp_queue_rcv(sk, skb);
	if (!xtcp_ofo_empty(&xs->ofo)) {
		data |= xtcp_drain_ofo(sk);
		xs->quickack = 1;	/* the gap just closed */
	}
	xs->ack_pending = 1;
	if (data && !sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
}

/* Delayed ACKs as Linux does: every second full segment, or after 40 ms. */
static void xtcp_ack_decide(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->ack_pending)
		return;
	if (xs->quickack || xs->unacked_segs >= 2 ||
	    !xtcp_ofo_empty(&xs->ofo) ||
	    (1 << sk->sk_state) & (TCPF_CLOSE_WAIT | TCPF_CLOSING)) {
		xs->quickack = 0;
		xtcp_output_send_ack(sk);
	} else {
		xtcp_timer_reset_delack(sk, XTCP_DELACK_MIN);
	}
}

/* RFC 9293 3.10.7.4, first check, in Linux's form (tcp_sequence()). */
static bool xtcp_sequence_ok(const struct xtcp_sock *xs, u32 seq, u32 end_seq)
{
	u32 wnd = xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt;

	if ((s32)wnd < 0)
		wnd = 0;
	return !xtcp_seq_before(end_seq, xs->rcv_wup) &&
	       !xtcp_seq_after(seq, xs->rcv_nxt + wnd);
}

/**
 * xtcp_input_paws_ok() - RFC 7323 5's PAWS test (tcp_paws_check())
 * @ts_recent: the last timestamp taken from the peer, 0 if none
 * @ts_recent_stamp: when, in seconds
 * @tsval: the segment's timestamp
 * @now: the time in seconds
 * @win: how far back @tsval may be
 *
 * A timestamp that went back is accepted still when ours is older than 24
 * days (the peer's clock may have wrapped meanwhile) or unset.
 *
 * Return: true if the segment passes.
 */
bool xtcp_input_paws_ok(u32 ts_recent, u32 ts_recent_stamp, u32 tsval,
			u32 now, int win)
{
	if ((s32)(ts_recent - tsval) <= win)
		return true;
	if (!time_before32(now, ts_recent_stamp + TCP_PAWS_24DAYS))
		return true;
	return !ts_recent;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_input_paws_ok);

/*
 * tcp_disordered_ack(): a duplicate pure ACK may carry an older timestamp
 * than a data segment the peer sent just before it, and must not be lost
 * to PAWS, or fast retransmit would miss it.
 */
static bool xtcp_disordered_ack(const struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_sock *xs = xtcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);

	return th->ack && cb->seq == cb->end_seq && cb->seq == xs->rcv_nxt &&
	       ntohl(th->ack_seq) == xs->snd_una &&
	       ((u32)ntohs(th->window) << xs->snd_wscale) == xs->snd_wnd &&
	       (s32)(xs->ts_recent - cb->tsval) <=
	       (s32)(inet_csk(sk)->icsk_rto * 1024 / HZ);
}

/* tcp_paws_discard(): an old duplicate from an earlier wrap of seq space. */
static bool xtcp_paws_discard(const struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xs->tstamp_ok && cb->saw_tstamp &&
	       !xtcp_input_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
				   ktime_get_seconds(), TCP_PAWS_WINDOW) &&
	       !xtcp_disordered_ack(sk, skb);
}

/*
 * RFC 5961 3.2 as tcp_validate_incoming() widens it: a RST resets at
 * rcv_nxt, at rcv_nxt - 1 once the peer's FIN came (its RST may follow a
 * FIN we acknowledged), or at the right edge of the SACK blocks we report.
 */
static bool xtcp_rst_exact(const struct sock *sk, u32 seq)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 right;
	int i;

	if (seq == xs->rcv_nxt)
		return true;
	if (seq == xs->rcv_nxt - 1 &&
	    (1 << sk->sk_state) & (TCPF_CLOSE_WAIT | TCPF_LAST_ACK | TCPF_CLOSING))
		return true;
	if (!xs->sack_ok || !xs->ofo.nr_sacks)
		return false;
	right = xs->ofo.sack_end[0];
	for (i = 1; i < xs->ofo.nr_sacks; i++)
		if (xtcp_seq_after(xs->ofo.sack_end[i], right))
			right = xs->ofo.sack_end[i];
	return seq == right;
}

/*
 * In SYN_RECV after crossed SYNs, the peer's SYN-ACK: its SYN is the one we
 * took, it acknowledges ours (the second segment of a simultaneous open).
 */
static bool xtcp_synack_crossed(const struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return sk->sk_state == TCP_SYN_RECV && tcp_hdr(skb)->ack &&
	       cb->seq + 1 == cb->end_seq && cb->seq + 1 == xs->rcv_nxt &&
	       ntohl(tcp_hdr(skb)->ack_seq) == xs->snd_nxt;
}

/*
 * RFC 9293 3.10.7.4, checks one to four (PAWS, sequence number, RST, SYN)
 * as tcp_validate_incoming(), for every state past SYN_SENT.
 *
 * Return: false if the segment was answered or acted on and must be dropped.
 */
static bool xtcp_validate_incoming(struct sock *sk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* RFC 7323 5.3: PAWS first; a RST is judged on its sequence number. */
	if (!th->rst && xtcp_paws_discard(sk, skb)) {
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_PAWS_ESTAB);
		xtcp_send_dupack(sk, skb);
		return false;
	}
	if (!xtcp_sequence_ok(xs, cb->seq, cb->end_seq)) {
		if (th->rst) {
			if (xtcp_rst_exact(sk, cb->seq))
				xtcp_sock_reset(sk);
		} else if (th->syn) {
			xtcp_challenge_ack(sk);
		} else {
			xtcp_send_dupack(sk, skb);
		}
		return false;
	}
	if (th->rst) {
		if (xtcp_rst_exact(sk, cb->seq))
			xtcp_sock_reset(sk);
		else
			xtcp_challenge_ack(sk);
		return false;
	}
	if (th->syn && !xtcp_synack_crossed(sk, skb)) {
		xtcp_challenge_ack(sk);		/* RFC 5961 4.2 */
		return false;
	}
	/* RFC 7323 4.3, and never backwards (tcp_replace_ts_recent()). */
	if (xs->tstamp_ok && cb->saw_tstamp &&
	    !xtcp_seq_after(cb->seq, xs->rcv_wup) &&
	    xtcp_input_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
			       ktime_get_seconds(), 0)) {
		xs->ts_recent = cb->tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}
	return true;
}

/*
 * RFC 9293 3.10.7.4 from the fifth check (ACK field) on, for a segment that
 * passed xtcp_validate_incoming() in a synchronized state.
 */
static void xtcp_rcv_validated(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!th->ack)
		goto drop;
	if (!xtcp_ack(sk, skb, th))
		goto drop;

	if (cb->end_seq != cb->seq) {
		switch (sk->sk_state) {
		case TCP_FIN_WAIT1:
		case TCP_FIN_WAIT2:
			/* Closed by the user: new data can never be read (RFC 2525). */
			if ((sk->sk_shutdown & RCV_SHUTDOWN) && skb->len &&
			    xtcp_seq_after(cb->end_seq - !!th->fin, xs->rcv_nxt)) {
				xtcp_output_send_reset(sk, GFP_ATOMIC);
				xtcp_sock_reset(sk);
				goto drop;
			}
			fallthrough;
		case TCP_ESTABLISHED:
			xtcp_data_queue(sk, skb);
			skb = NULL;
			break;
		default:
			/* CLOSE_WAIT, CLOSING, LAST_ACK: the peer's FIN came
			 * already; re-acknowledge a retransmission. TIME_WAIT
			 * is an entry of its own (xtcp_tw.c).
			 */
			xs->ack_pending = 1;
			break;
		}
	}
	if (sk->sk_state == TCP_CLOSE)
		goto drop;
	xtcp_output_write_xmit(sk);
	xtcp_ack_decide(sk);
drop:
	kfree_skb(skb);
}

/* Segment for a synchronized connection (RFC 9293 3.10.7.4). */
static void xtcp_rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	if (!xtcp_validate_incoming(sk, skb)) {
		kfree_skb(skb);
		return;
	}
	xtcp_rcv_validated(sk, skb);
}

/* RFC 9293 3.10.7.3: the answer to our SYN. */
static void xtcp_rcv_synsent(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_options opt;
	u32 ack = ntohl(th->ack_seq);
	u64 sent_us, now_us;
	u32 orig_low;

	if (th->ack && (!xtcp_seq_after(ack, xs->iss) ||
			xtcp_seq_after(ack, xs->snd_max))) {
		/* Not for our SYN: <SEQ=SEG.ACK><CTL=RST>, unless it is one. */
		if (!th->rst)
			xtcp_output_send_reset_to(sk, ack);
		goto drop;
	}
	if (th->rst) {
		if (th->ack)
			xtcp_sock_reset(sk);	/* ECONNREFUSED */
		goto drop;
	}
	if (!th->syn)
		goto drop;

	xtcp_input_parse_options(th, &opt);
	xs->irs = cb->seq;
	xs->rcv_nxt = cb->seq + 1;
	xs->rcv_wup = xs->rcv_nxt;
	xs->copied_seq = xs->rcv_nxt;
	if (xs->wscale_ok && opt.wscale >= 0) {
		xs->snd_wscale = opt.wscale;
	} else {
		xs->wscale_ok = 0;
		xs->snd_wscale = 0;
		xs->rcv_wscale = 0;
	}
	xs->sack_ok = xs->sack_ok && opt.sack_ok;
	xs->tstamp_ok = xs->tstamp_ok && opt.saw_tstamp;
	if (xs->tstamp_ok) {
		xs->ts_recent = opt.tsval;
		xs->ts_recent_stamp = ktime_get_seconds();
	}
	xs->rx_mss = opt.mss ? : XTCP_DEFAULT_MSS;
	trace_xtcp_synack_recv(sk, cb->seq, ack, opt.mss,
			       xs->wscale_ok ? xs->snd_wscale : -1,
			       xs->sack_ok, xs->tstamp_ok);

	if (!th->ack) {
		/* Simultaneous open (RFC 9293 3.5, figure 8). */
		xs->snd_wnd = ntohs(th->window);
		xs->snd_wl1 = cb->seq;
		xtcp_sock_set_state(sk, TCP_SYN_RECV);
		xtcp_output_retransmit_head(sk);
		goto drop;
	}

	now_us = tcp_clock_us();
	xtcp_clean_acked(sk, ack, now_us, &sent_us, &orig_low);
	xtcp_rtt_sample(sk, cb, sent_us, now_us);
	xtcp_timer_clear_rto(sk);
	xs->snd_wnd = ntohs(th->window);	/* never scaled in a SYN */
	xs->max_window = xs->snd_wnd;
	xs->snd_wl1 = cb->seq;
	xs->snd_wl2 = ack;
	xtcp_output_sync_mss(sk);
	/* RFC 6298 5.7 as Linux applies it: lost SYNs shrink the first window. */
	xs->cwnd = inet_csk(sk)->icsk_retransmits > 1 ? 1 : XTCP_INIT_CWND;
	xtcp_cong_init(sk);
	inet_csk(sk)->icsk_retransmits = 0;
	xtcp_sock_established(sk);

	xs->quickack = 1;
	if (cb->end_seq - cb->seq > 1 || (cb->flags & TCPHDR_FIN)) {
		/* Data (or FIN) on the SYN-ACK: take it after the SYN. */
		cb->seq++;
		xtcp_data_queue(sk, skb);
		skb = NULL;
	}
	xtcp_ack_now(sk);
	xtcp_output_write_xmit(sk);
drop:
	kfree_skb(skb);
}

/*
 * SYN_RECV after crossed SYNs (RFC 9293 3.5, figure 8), as
 * tcp_rcv_state_process(): the segment is validated as in a synchronized
 * state, and only an ACK of our SYN completes the open; any other ACK gets
 * <SEQ=SEG.ACK><CTL=RST>, so that a peer which took a stale SYN of ours
 * for the connection resets its half (RFC 9293 3.10.7.4, fifth check).
 */
static void xtcp_rcv_synrecv(struct sock *sk, struct sk_buff *skb)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ack = ntohl(th->ack_seq);
	u32 orig_low;
	u64 sent_us;

	if (!th->ack && !th->rst && !th->syn)
		goto drop;
	if (!xtcp_validate_incoming(sk, skb))
		goto drop;
	if (!th->ack)
		goto drop;
	if (!xtcp_seq_after(ack, xs->iss) || xtcp_seq_after(ack, xs->snd_max)) {
		xtcp_output_send_reset_to(sk, ack);
		goto drop;
	}
	xtcp_clean_acked(sk, ack, tcp_clock_us(), &sent_us, &orig_low);
	xtcp_timer_clear_rto(sk);
	/*
	 * As tcp_ack() for an ACK that advances: the retransmission count
	 * starts over, the window is the one this segment offers.
	 */
	inet_csk(sk)->icsk_retransmits = 0;
	xs->retransmits = 0;
	xs->in_loss = 0;
	xs->snd_wnd = (u32)ntohs(th->window) << xs->snd_wscale;
	xs->max_window = max(xs->max_window, xs->snd_wnd);
	xs->snd_wl1 = XTCP_SKB_CB(skb)->seq;
	xs->snd_wl2 = ack;
	xtcp_output_sync_mss(sk);
	xs->cwnd = XTCP_INIT_CWND;
	xtcp_cong_init(sk);
	xtcp_sock_established(sk);
	xtcp_rcv_validated(sk, skb);
	return;
drop:
	kfree_skb(skb);
}

/**
 * xtcp_input_child_rcv() - the ACK that completed a passive open, for the
 *	new socket
 * @child: socket in SYN_RECV just created for it, bh-locked
 * @skb: the segment; it may carry data and even a FIN; consumed
 */
void xtcp_input_child_rcv(struct sock *child, struct sk_buff *skb)
{
	xtcp_sock_established(child);
	xtcp_rcv_synchronized(child, skb);
}

/* Process one segment; the socket is owned by us (bh lock or user lock). */
static int xtcp_rcv(struct sock *sk, struct sk_buff *skb)
{
	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		xtcp_rcv_synsent(sk, skb);
		break;
	case TCP_SYN_RECV:
		xtcp_rcv_synrecv(sk, skb);
		break;
	case TCP_CLOSE:
	case TCP_LISTEN:
		kfree_skb(skb);
		break;
	default:
		xtcp_rcv_synchronized(sk, skb);
		break;
	}
	return 0;
}

/*
 * As tcp_add_backlog(): backlog.len only drops back to zero when
 * __release_sock() has run the whole backlog, so while it runs both that
 * and sk_rmem_alloc may reach sk_rcvbuf; the 64 KB are headroom for a
 * burst that arrives meanwhile. A lower limit drops in-window segments of
 * a busy receiver and the sender takes them for losses.
 */
static u32 xtcp_backlog_limit(const struct sock *sk)
{
	u64 limit = (u64)READ_ONCE(sk->sk_rcvbuf) << 1;

	limit += (u32)READ_ONCE(sk->sk_sndbuf) >> 1;
	limit += SZ_64K;
	return min_t(u64, limit, UINT_MAX);
}

/**
 * xtcp_input_sk_rcv() - hand a segment to a full socket
 * @sk: the socket, referenced by the caller (dropped here)
 * @skb: the segment, control block filled, data at the payload; consumed
 *
 * Processed now, or queued in the backlog while a user holds the socket.
 */
void xtcp_input_sk_rcv(struct sock *sk, struct sk_buff *skb)
{
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		xtcp_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, xtcp_backlog_limit(sk))) {
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_BACKLOG_DROP);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * xtcp_input_backlog_rcv() - process a segment queued while the user held
 *	the socket
 * @sk: socket, owned by the caller (release_sock())
 * @skb: segment prepared by the hook
 *
 * Return: 0.
 */
int xtcp_input_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	return xtcp_rcv(sk, skb);
}

/* Fill the control block from the headers; the skb then starts at payload. */
static void xtcp_fill_cb(struct sk_buff *skb, const struct iphdr *iph,
			 const struct tcphdr *th)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_options opt;

	xtcp_input_parse_options(th, &opt);
	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + th->syn + th->fin + skb->len;
	cb->flags = tcp_flag_byte(th);
	cb->saw_tstamp = opt.saw_tstamp;
	cb->tsval = opt.tsval;
	cb->tsecr = opt.tsecr;
}

/* An ICMP error about one of our connections (as tcp_v4_err()). */
static void xtcp_input_icmp(struct net *net, struct sk_buff *skb)
{
	unsigned int icmp_off = ip_hdrlen(skb), th_off;
	const struct icmphdr *icmph;
	const struct iphdr *inner;
	const struct tcphdr *th;
	struct sock *sk;

	if (!pskb_may_pull(skb, icmp_off + sizeof(*icmph) + sizeof(*inner)))
		return;
	icmph = (const struct icmphdr *)(skb->data + icmp_off);
	if (icmph->type != ICMP_DEST_UNREACH && icmph->type != ICMP_TIME_EXCEEDED)
		return;
	/*
	 * The host unreachable this host sends itself when ARP fails is not
	 * acted on: the connect ends in ETIMEDOUT, as native's usually does
	 * (native fails with EHOSTUNREACH when a SYN still waited in the
	 * neighbour's queue at the failure). A local "fragmentation needed"
	 * (tunnels) still counts.
	 */
	if (!(icmph->type == ICMP_DEST_UNREACH && icmph->code == ICMP_FRAG_NEEDED) &&
	    inet_addr_type(net, ip_hdr(skb)->saddr) == RTN_LOCAL)
		return;
	inner = (const struct iphdr *)(icmph + 1);
	if (inner->ihl < 5)
		return;
	th_off = icmp_off + sizeof(*icmph) + inner->ihl * 4;
	/* The quoted header must hold the ports and the sequence number. */
	if (inner->protocol != IPPROTO_TCP || !pskb_may_pull(skb, th_off + 8))
		return;
	icmph = (const struct icmphdr *)(skb->data + icmp_off);
	inner = (const struct iphdr *)(icmph + 1);
	th = (const struct tcphdr *)(skb->data + th_off);
	sk = xtcp_ehash_lookup(xtcp_net_ehash(net), net, inner->daddr, th->dest,
			       inner->saddr, th->source);
	if (!sk)
		return;
	trace_xtcp_icmp_error(sk, ip_hdr(skb)->saddr, icmph->type, icmph->code,
			      ntohl(th->seq), 0);
	bh_lock_sock(sk);
	xtcp_sock_icmp_error(sk, icmph->type, icmph->code, ntohl(th->seq),
			     ntohs(icmph->un.frag.mtu));
	bh_unlock_sock(sk);
	sock_put(sk);
}

/* RFC 9293 3.10.7.2: a segment for a listener. Consumes @skb. */
static void xtcp_rcv_listen(struct sock *lsk, struct sk_buff *skb, u32 isn)
{
	const struct tcphdr *th = tcp_hdr(skb);

	if (th->rst)
		goto drop;
	if (th->ack) {
		if (th->syn) {
			xtcp_output_reset_reply(sock_net(lsk), ip_hdr(skb), th,
						skb->len);
			goto drop;
		}
		xtcp_reqsk_ack(lsk, skb);
		return;
	}
	/* A SYN with FIN makes no sense; tcp_rcv_state_process() drops it too. */
	if (th->syn && !th->fin)
		xtcp_reqsk_syn(lsk, skb, isn);
drop:
	kfree_skb(skb);
}

/* A segment for a connection in TIME_WAIT. Consumes @skb and @tw's reference. */
static void xtcp_rcv_tw(struct net *net, struct xtcp_tw *tw,
			struct sk_buff *skb, int dif)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *lsk;
	u32 isn;

	if (xtcp_tw_rcv(tw, skb, &isn) == XTCP_TW_SYN) {
		lsk = xtcp_listen_lookup(xtcp_net_lhash(net), net, iph->saddr,
					 th->source, iph->daddr, th->dest, dif);
		if (lsk) {
			trace_xtcp_tw_reuse(lsk, skb, isn);
			xtcp_tw_reuse(tw);
			xtcp_tw_put(tw);
			xtcp_rcv_listen(lsk, skb, isn);
			sock_put(lsk);
			return;
		}
		xtcp_tw_send_ack(tw, skb);
	}
	xtcp_tw_put(tw);
	kfree_skb(skb);
}

static unsigned int xtcp_input_hook(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct net *net = state->net;
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th;
	unsigned int ihl;
	struct sock *sk;
	int dif;

	if (iph->protocol == IPPROTO_ICMP) {
		xtcp_input_icmp(net, skb);
		return NF_ACCEPT;	/* native ICMP handling goes on */
	}
	if (iph->protocol != IPPROTO_TCP || skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	ihl = ip_hdrlen(skb);
	if (!pskb_may_pull(skb, ihl + sizeof(struct tcphdr)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	th = (const struct tcphdr *)(skb->data + ihl);
	dif = inet_iif(skb);
	sk = xtcp_ehash_lookup(xtcp_net_ehash(net), net, iph->saddr, th->source,
			       iph->daddr, th->dest);
	if (!sk)
		sk = xtcp_listen_lookup(xtcp_net_lhash(net), net, iph->saddr,
					th->source, iph->daddr, th->dest, dif);
	if (!sk)
		return NF_ACCEPT;

	/* From here on the segment is ours. */
	if (th->doff < sizeof(struct tcphdr) / 4 ||
	    !pskb_may_pull(skb, ihl + th->doff * 4))
		goto discard;
	__skb_pull(skb, ihl);
	skb_reset_transport_header(skb);
	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo) ||
	    (!skb_csum_unnecessary(skb) && __skb_checksum_complete(skb))) {
		/* Counted as tcp_v4_rcv() does, where nstat looks. */
		TCP_INC_STATS(net, TCP_MIB_CSUMERRORS);
		TCP_INC_STATS(net, TCP_MIB_INERRS);
		goto discard;
	}
	th = tcp_hdr(skb);
	iph = ip_hdr(skb);
	nf_reset_ct(skb);
	__skb_pull(skb, th->doff * 4);
	xtcp_fill_cb(skb, iph, th);

	switch (sk->sk_state) {
	case TCP_NEW_SYN_RECV:
		xtcp_reqsk_rcv(inet_reqsk(sk), skb);
		return NF_STOLEN;
	case TCP_TIME_WAIT:
		xtcp_rcv_tw(net, xtcp_tw(sk), skb, dif);
		return NF_STOLEN;
	case TCP_LISTEN:
		xtcp_rcv_listen(sk, skb, 0);
		sock_put(sk);
		return NF_STOLEN;
	}

	xtcp_input_sk_rcv(sk, skb);
	return NF_STOLEN;

discard:
	kfree_skb(skb);
	xtcp_ehash_put(sk);
	return NF_STOLEN;
}

static const struct nf_hook_ops xtcp_input_ops = {
	.hook		= xtcp_input_hook,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	/* After the firewall, before conntrack confirms (NF_IP_PRI_LAST). */
	.priority	= NF_IP_PRI_LAST - 1,
};

/**
 * xtcp_input_init_net() - start taking xtcp's segments in @net
 * @net: new namespace
 *
 * Return: 0 or a negative errno.
 */
int xtcp_input_init_net(struct net *net)
{
	return nf_register_net_hook(net, &xtcp_input_ops);
}

/**
 * xtcp_input_exit_net() - stop taking segments in a namespace
 * @net: namespace going away
 */
void xtcp_input_exit_net(struct net *net)
{
	nf_unregister_net_hook(net, &xtcp_input_ops);
}
