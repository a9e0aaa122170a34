// SPDX-License-Identifier: GPL-2.0
/*
 * The sender's SACK scoreboard and SACK-based loss recovery.
 *
 * What the peer holds above the cumulative ACK (RFC 2018) is kept in the
 * write queue itself, as tcp_sacktag_write_queue() keeps it: a segment a
 * block covers is marked sacked, one a block's edge cuts is split there
 * first. From the marks come the losses and the pipe (xtcp_in_flight()):
 *  - RFC 6675's IsLost: more than DupThresh - 1 segments' worth of bytes
 *    SACKed above a segment;
 *  - RACK's time rule (RFC 8985 6.2): sent before a segment that was
 *    delivered, and unanswered for that delivery's RTT plus a reordering
 *    window; it also finds a retransmission that was lost again, which
 *    would otherwise wait for the RTO.
 * Recovery sends what is lost, then new data, as Proportional Rate
 * Reduction (RFC 6937) allows, as Linux 6.1's tcp_cwnd_reduction() does.
 *
 * Counts are in bytes: a GSO segment holds many MSS and is split only where
 * the peer's view cuts it. All of it runs under the socket's lock.
 */
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_input.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_sack.h"
#include "xtcp_timer.h"

/* Recoveries without D-SACK before RACK's window shrinks back. */
#define XTCP_RACK_RECOVERY_THRESH	16

static struct sk_buff *xtcp_sack_next(const struct sock *sk,
				      const struct sk_buff *skb)
{
	return skb_queue_is_last(&sk->sk_write_queue, skb) ? NULL : skb->next;
}

/* RFC 2883 4: a first block below the ACK, or within the second block. */
static bool xtcp_sack_is_dsack(const struct xtcp_sack_block *b, int n, u32 ack)
{
	if (xtcp_seq_before(b[0].start, ack))
		return true;
	return n > 1 && !xtcp_seq_after(b[0].end, b[1].end) &&
	       !xtcp_seq_before(b[0].start, b[1].start);
}

/* As tcp_is_sackblock_valid(): not empty, above the ACK, not above snd_max. */
static bool xtcp_sack_block_ok(const struct xtcp_sock *xs,
			       const struct xtcp_sack_block *b, u32 ack)
{
	return xtcp_seq_after(b->end, b->start) &&
	       !xtcp_seq_before(b->start, ack) &&
	       !xtcp_seq_after(b->end, xs->snd_max);
}

/**
 * xtcp_sack_delivered() - RACK: note a segment the peer has (RFC 8985 6.2)
 * @sk: socket, locked
 * @skb: segment newly acknowledged or SACKed
 * @now_us: tcp_clock_us() of this ACK
 *
 * The most recently sent segment known delivered sets the time before
 * which unanswered segments may be lost. A retransmitted segment delivered
 * sooner than the minimum RTT was the original's delivery: it says nothing
 * of when the retransmission was sent.
 */
void xtcp_sack_delivered(struct sock *sk, const struct sk_buff *skb, u64 now_us)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 rtt_us;

	if (!cb->sent_us || cb->sent_us > now_us)
		return;
	rtt_us = min_t(u64, now_us - cb->sent_us, U32_MAX);
	if (cb->retransmitted && rtt_us < xs->min_rtt_us)
		return;
	if (cb->sent_us >= xs->rack_sent_us) {
		xs->rack_sent_us = cb->sent_us;
		xs->rack_rtt_us = rtt_us;
	}
}

/*
 * Mark what [start, end) covers, splitting the segments its edges cut.
 * Returns the bytes newly SACKed.
 */
static u32 xtcp_sack_tag_block(struct sock *sk, u32 start, u32 end, u64 now_us,
			       u32 *low)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	u32 newly = 0;

	for (skb = skb_peek(&sk->sk_write_queue); skb;
	     skb = xtcp_sack_next(sk, skb)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!xtcp_seq_before(cb->seq, end))
			break;
		if (!xtcp_seq_after(cb->end_seq, start) || cb->sacked)
			continue;
		/* Cut off the part below the block; the loop visits the rest. */
		if (xtcp_seq_before(cb->seq, start)) {
			xtcp_output_split(sk, skb, start - cb->seq);
			continue;
		}
		if (xtcp_seq_after(cb->end_seq, end) &&
		    xtcp_output_split(sk, skb, end - cb->seq))
			break;
		cb->sacked = 1;
		cb->lost = 0;
		cb->retrans = 0;
		newly += cb->end_seq - cb->seq;
		if (!cb->retransmitted && xtcp_seq_before(cb->seq, *low))
			*low = cb->seq;
		xtcp_sack_delivered(sk, skb, now_us);
		if (!xs->sacked_out || xtcp_seq_after(cb->end_seq, xs->highest_sack))
			xs->highest_sack = cb->end_seq;
	}
	return newly;
}

/**
 * xtcp_sack_init() - no reordering known on a new connection
 * @sk: socket about to connect, or a child socket
 */
void xtcp_sack_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->reordering = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_reordering);
	xs->reord_seen = 0;
	xs->reo_wnd_steps = 1;
	xs->reo_wnd_persist = 0;
	xs->reo_wnd_stamp_us = 0;
}

/**
 * xtcp_sack_fack() - the highest SACKed sequence, as tcp_highest_sack_seq()
 * @sk: socket, locked
 *
 * Return: the end of the highest SACKed segment, snd_una if none is.
 */
u32 xtcp_sack_fack(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xs->sacked_out ? xs->highest_sack : xs->snd_una;
}

/**
 * xtcp_sack_reordering() - a segment sent once was delivered below the
 *	highest SACKed one: the path reorders (tcp_check_sack_reordering())
 * @sk: socket, locked
 * @low_seq: lowest such segment of this ACK
 * @fack: the highest SACKed sequence before this ACK
 *
 * The distance raises the reordering degree (up to
 * net.ipv4.tcp_max_reordering); counted in TCPSACKReorder.
 */
void xtcp_sack_reordering(struct sock *sk, u32 low_seq, u32 fack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = max(xs->mss_cache, 1U), metric;

	if (!xtcp_seq_before(low_seq, fack))
		return;
	metric = fack - low_seq;
	if (metric > xs->reordering * mss)
		xs->reordering = min_t(u32, DIV_ROUND_UP(metric, mss),
				       READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_max_reordering));
	xs->reord_seen++;
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_SACK_REORDER);
}

/*
 * RACK's reordering window (tcp_rack_reo_wnd()): none while no reordering
 * was seen, in recovery or with a duplicate threshold's worth SACKed (as
 * the classic rule); else a quarter of the minimum RTT per step, within
 * SRTT.
 */
static u32 xtcp_rack_reo_wnd(const struct xtcp_sock *xs)
{
	if (!xs->reord_seen &&
	    (xs->in_recovery ||
	     xs->sacked_out >= xs->reordering * max(xs->mss_cache, 1U)))
		return 0;
	return min(xs->min_rtt_us / 4 * xs->reo_wnd_steps, xs->srtt_us);
}

/*
 * D-SACKs after reordering was seen may mean RACK's window is too short:
 * one step more, at most once an RTT (tcp_rack_update_reo_wnd()).
 */
static void xtcp_rack_dsack(struct xtcp_sock *xs)
{
	u64 now_us = tcp_clock_us();

	if (!xs->reord_seen ||
	    now_us - xs->reo_wnd_stamp_us < max(xs->srtt_us, 1U))
		return;
	xs->reo_wnd_steps = min(xs->reo_wnd_steps + 1, 0xff);
	xs->reo_wnd_stamp_us = now_us;
	xs->reo_wnd_persist = XTCP_RACK_RECOVERY_THRESH;
}

/*
 * A D-SACK above where the last recovery began reports one of its
 * retransmissions as a duplicate: the original had arrived (RFC 3708 2,
 * as tcp_check_dsack() and tcp_dsack_seen() count). Not one larger than
 * the peer's window, nor once the D-SACKs outnumber what we resent: the
 * network duplicated those.
 */
static bool xtcp_sack_dsack_undo_count(struct xtcp_sock *xs,
				       const struct xtcp_sack_block *b)
{
	u32 len = b->end - b->start, segs;

	if (!xtcp_seq_after(b->end, b->start) || len > xs->max_window)
		return false;
	segs = xtcp_packets(xs, len);
	xs->dsack_dups += segs;
	if (xs->dsack_dups > xs->total_retrans)
		return false;
	if (xs->undo_armed && xs->undo_retrans > 0 &&
	    xtcp_seq_after(b->end, xs->undo_marker))
		xs->undo_retrans = max_t(int, 0, xs->undo_retrans - (int)segs);
	return true;
}

/**
 * xtcp_sack_tag() - take in the SACK blocks of an ACK
 * @sk: socket, locked, that negotiated SACK
 * @blocks: the blocks, in the order the peer sent them
 * @n: how many
 * @ack: the ACK's acknowledgment number, not above snd_max
 *
 * A D-SACK block (RFC 2883: the peer got something twice) is counted in
 * TCPDSACKRecv and marks nothing; blocks outside [@ack, snd_max) are
 * ignored as Linux ignores them.
 *
 * Return: bytes newly SACKed.
 */
u32 xtcp_sack_tag(struct sock *sk, const struct xtcp_sack_block *blocks,
		  int n, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 fack = xtcp_sack_fack(sk);
	u64 now_us = tcp_clock_us();
	u32 newly = 0, low = fack;
	int i = 0;

	lockdep_assert(lockdep_sock_is_held(sk));
	if (n <= 0)
		return 0;
	if (xtcp_sack_is_dsack(blocks, n, ack)) {
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_DSACK_RECV);
		/* Not for a tail loss probe's duplicate: RACK did not send it. */
		if (xtcp_sack_dsack_undo_count(xs, &blocks[0]) &&
		    !(xs->tlp_high_seq && xs->tlp_high_seq == blocks[0].end))
			xtcp_rack_dsack(xs);
		i = 1;
	}
	for (; i < n; i++)
		if (xtcp_sack_block_ok(xs, &blocks[i], ack))
			newly += xtcp_sack_tag_block(sk, blocks[i].start,
						     blocks[i].end, now_us, &low);
	xtcp_sack_reordering(sk, low, fack);
	return newly;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_tag);

/* RFC 8985 6.2 step 5, without the timer: lost by now? */
static bool xtcp_rack_lost(const struct xtcp_sock *xs,
			   const struct xtcp_skb_cb *cb, u64 now_us)
{
	if (!xs->rack_sent_us || !cb->sent_us || cb->sent_us >= xs->rack_sent_us)
		return false;
	return now_us - cb->sent_us >=
	       (u64)xs->rack_rtt_us + xtcp_rack_reo_wnd(xs);
}

/**
 * xtcp_sack_update() - recount the scoreboard and mark losses
 * @sk: socket, locked, that negotiated SACK, after the ACK's cleaning
 *
 * Walks what was sent: sacked_out, lost_out and retrans_out are recounted,
 * and segments IsLost or RACK finds lost are marked (not while an RTO's
 * go-back-N resends everything anyway).
 */
void xtcp_sack_update(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = max(xs->mss_cache, 1U);
	u64 now_us = tcp_clock_us();
	u32 sacked = 0, seen = 0;
	struct sk_buff *skb;

	lockdep_assert(lockdep_sock_is_held(sk));
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (!xtcp_seq_before(cb->seq, xs->snd_nxt))
			break;
		if (cb->sacked) {
			sacked += cb->end_seq - cb->seq;
			xs->highest_sack = cb->end_seq;
		}
	}
	xs->sacked_out = sacked;
	xs->lost_out = 0;
	xs->retrans_out = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 len = cb->end_seq - cb->seq;

		if (!xtcp_seq_before(cb->seq, xs->snd_nxt))
			break;
		if (cb->sacked) {
			seen += len;
			continue;
		}
		if (!xs->in_loss) {
			/*
			 * RFC 6675's IsLost, DupThresh the reordering degree
			 * learnt so far. Linux leaves it to RACK, whose
			 * reordering timer xtcp lacks: without this a loss
			 * inside RACK's window at the end of a flight would
			 * wait for the RTO.
			 */
			if (!cb->lost &&
			    sacked - seen > (max(xs->reordering, 1U) - 1) * mss)
				cb->lost = 1;
			if ((!cb->lost || cb->retrans) &&
			    xtcp_rack_lost(xs, cb, now_us)) {
				if (cb->retrans)
					xtcp_net_stat_inc(sock_net(sk),
							  XTCP_STAT_LOST_RETRANSMIT);
				cb->lost = 1;
				cb->retrans = 0;
			}
		}
		if (cb->lost)
			xs->lost_out += len;
		if (cb->retrans)
			xs->retrans_out += len;
	}
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_update);

/**
 * xtcp_sack_clear() - forget loss marks (and SACK marks too, if reneged)
 * @sk: socket, locked
 * @sacked: also forget what the peer SACKed
 *
 * After an RTO everything not SACKed is resent by going back to snd_una;
 * after the peer reneged (it acknowledged up to a segment it had SACKed,
 * so it dropped what it held out of order), its SACKs cannot be trusted.
 */
void xtcp_sack_clear(struct sock *sk, bool sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		cb->lost = 0;
		cb->retrans = 0;
		if (sacked)
			cb->sacked = 0;
	}
	xs->lost_out = 0;
	xs->retrans_out = 0;
	if (sacked)
		xs->sacked_out = 0;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_clear);

/**
 * xtcp_sack_prr() - the congestion window PRR allows (RFC 6937, as
 *	tcp_cwnd_reduction())
 * @ssthresh: the target window, segments
 * @prior_cwnd: the window when recovery began (RecoverFS), not 0
 * @in_flight: segments in the network now (pipe)
 * @prr_delivered: segments delivered since recovery began, this ACK's
 *	included
 * @prr_out: segments sent since recovery began
 * @delivered: segments this ACK delivered (acknowledged or SACKed)
 * @una_advanced: this ACK moved snd_una and marked nothing newly lost
 *
 * Above ssthresh, sending follows delivery in the ratio ssthresh /
 * prior_cwnd; below it, slow start brings the pipe back up to ssthresh
 * (the slow-start reduction bound). At least one segment goes out on
 * entering recovery: the fast retransmission.
 *
 * Return: the new congestion window, in segments, at least 1.
 */
u32 xtcp_sack_prr(u32 ssthresh, u32 prior_cwnd, u32 in_flight,
		  u32 prr_delivered, u32 prr_out, u32 delivered,
		  bool una_advanced)
{
	s64 delta = (s64)ssthresh - in_flight;
	s64 sndcnt;

	if (delta < 0) {
		sndcnt = (s64)div_u64((u64)ssthresh * prr_delivered +
				      prior_cwnd - 1, prior_cwnd) - prr_out;
	} else {
		sndcnt = max_t(s64, (s64)prr_delivered - prr_out, delivered);
		if (una_advanced)
			sndcnt++;
		sndcnt = min(delta, sndcnt);
	}
	sndcnt = max_t(s64, sndcnt, prr_out ? 0 : 1);
	return max_t(u64, in_flight + sndcnt, 1);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_prr);

/* Fast retransmit (RFC 6675 5): the window comes down as PRR says. */
static void xtcp_sack_enter_recovery(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->prior_ssthresh = xtcp_cong_current_ssthresh(xs->cwnd, xs->ssthresh,
							false);
	xs->undo_marker = xs->snd_una;
	xs->undo_retrans = xs->retrans_out ? xtcp_packets(xs, xs->retrans_out) : -1;
	xs->undo_armed = 1;
	xtcp_cong_enter_recovery(sk);
	xs->prior_cwnd = max(xs->cwnd, 1U);
	xs->prr_delivered = 0;
	xs->prr_out = 0;
	xs->recover = xs->snd_max;
	xs->in_recovery = 1;
	xs->dupacks = 0;
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_SACK_RECOVERY);
}

/* RFC 6675 NextSeg() rule 1: lost and not resent, within the window. */
static void xtcp_sack_retransmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	for (skb = skb_peek(&sk->sk_write_queue); skb;
	     skb = xtcp_sack_next(sk, skb)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 len;

		if (!xtcp_seq_before(cb->seq, xs->snd_nxt))
			break;
		if (!cb->lost || cb->retrans || cb->sacked)
			continue;
		if (xtcp_packets(xs, xtcp_in_flight(xs)) >= xs->cwnd)
			break;
		if (xtcp_output_retransmit(sk, skb))
			break;
		len = cb->end_seq - cb->seq;
		cb->retrans = 1;
		xs->retrans_out += len;
		xs->prr_out += xtcp_packets(xs, len);
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_FAST_RETRANS);
	}
}

/*
 * The oldest unacknowledged segment is marked SACKed: the peer acknowledged
 * up to data it had reported held out of order, and then did not take it
 * in, so it freed it (a receiver short of memory prunes its out-of-order
 * queue, tcp_prune_ofo_queue()).
 */
static bool xtcp_sack_head_sacked(const struct sock *sk)
{
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);

	return head && XTCP_SKB_CB(head)->sacked;
}

/**
 * xtcp_sack_reneged() - at an RTO: did the peer drop what it SACKed?
 * @sk: socket, locked
 *
 * As tcp_timeout_mark_lost(): the oldest segment still marked SACKed means
 * the peer reneged; counted in TCPSACKReneging.
 *
 * Return: true if so; the SACK marks must not be trusted any longer.
 */
bool xtcp_sack_reneged(struct sock *sk)
{
	if (!xtcp_sack_head_sacked(sk))
		return false;
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_SACK_RENEGING);
	return true;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_reneged);

/*
 * Every retransmission of the last recovery came back as a D-SACK: the
 * losses were reorderings, so the window goes back to where it was
 * (tcp_try_undo_dsack(), in recovery or after it; TCPDSACKUndo).
 */
static bool xtcp_sack_try_undo(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->undo_armed || xs->undo_retrans)
		return false;
	xs->undo_armed = 0;
	xs->reo_wnd_persist = min(xs->reo_wnd_persist + 1,
				  XTCP_RACK_RECOVERY_THRESH);
	xs->cwnd = max(xs->cwnd, xs->prior_cwnd);
	xs->ssthresh = max(xs->ssthresh, xs->prior_ssthresh);
	xs->cwnd_stamp = tcp_jiffies32;
	if (xs->in_recovery) {
		xs->in_recovery = 0;
		xtcp_cong_set_state(sk, TCP_CA_Open);
	}
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_DSACK_UNDO);
	return true;
}

/**
 * xtcp_sack_ack() - loss recovery for a connection that negotiated SACK
 * @sk: socket, locked, after the ACK's SACK blocks were taken in and what
 *	it acknowledges was cleaned
 * @acked: bytes the ACK newly acknowledged
 * @sacked: bytes its SACK blocks newly marked
 *
 * Enters recovery when a segment is found lost, leaves it once everything
 * sent before is acknowledged (window ssthresh, as tcp_end_cwnd_reduction()),
 * and in between sets the window by PRR and resends what is lost. New data
 * follows through xtcp_output_write_xmit().
 *
 * Return: true if the ACK was taken by recovery (the window must not grow).
 */
bool xtcp_sack_ack(struct sock *sk, u32 acked, u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 prior_sacked = xs->sacked_out + sacked;
	u32 prior_lost = xs->lost_out;
	u32 delivered, gone;

	/*
	 * The ACK reached a SACKed segment: the peer reneged. What it SACKed
	 * must be resent, and only an RTO goes back for it (and forgets the
	 * marks, xtcp_sack_reneged()): soon, as tcp_check_sack_reneging(), half
	 * an RTT for the ACKs of what is on the way to arrive first; no tail
	 * loss probe takes its place while segments are SACKed. Checked before
	 * anything else: after an RTO the marks stay while sacked_out does not
	 * count them yet.
	 */
	if (acked && xtcp_sack_head_sacked(sk)) {
		xtcp_sack_update(sk);
		xtcp_timer_reset_rto_in(sk, max(usecs_to_jiffies(xs->srtt_us / 2),
						msecs_to_jiffies(10)));
		return false;
	}
	if (!xs->in_loss && xtcp_sack_try_undo(sk)) {
		xtcp_sack_update(sk);
		return true;
	}
	if (!xs->in_recovery && !xs->sacked_out && !sacked && !xs->lost_out)
		return false;
	xtcp_sack_update(sk);
	if (xs->in_loss)
		return false;
	if (!xs->in_recovery) {
		if (!xs->lost_out)
			return false;
		xtcp_sack_enter_recovery(sk);
	} else if (!xtcp_seq_before(xs->snd_una, xs->recover)) {
		xs->cwnd = xs->ssthresh ?: 1;
		xs->in_recovery = 0;
		/* A recovery nothing undid: RACK's window may shrink back. */
		if (xs->reo_wnd_persist)
			xs->reo_wnd_persist--;
		if (!xs->reo_wnd_persist)
			xs->reo_wnd_steps = 1;
		xs->cwnd_stamp = tcp_jiffies32;
		xtcp_cong_set_state(sk, TCP_CA_Open);
		return true;
	}
	/* What the ACK covered that was SACKed before was delivered then. */
	gone = prior_sacked > xs->sacked_out ? prior_sacked - xs->sacked_out : 0;
	delivered = xtcp_packets(xs, (acked > gone ? acked - gone : 0) + sacked);
	if (delivered) {
		xs->prr_delivered += delivered;
		xs->cwnd = xtcp_sack_prr(xs->ssthresh, xs->prior_cwnd,
					 xtcp_packets(xs, xtcp_in_flight(xs)),
					 xs->prr_delivered, xs->prr_out,
					 delivered,
					 acked && xs->lost_out <= prior_lost);
	}
	xtcp_sack_retransmit(sk);
	return true;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sack_ack);
