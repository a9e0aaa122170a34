// SPDX-License-Identifier: GPL-2.0
/*
 * Timers. Each handler runs in softirq with the socket's bh lock; when the
 * user owns the socket it tries again a little later instead of racing the
 * owner, as the owner will have changed what the timer was about anyway.
 */
#include <linux/jiffies.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_sack.h"
#include "xtcp_sock.h"
#include "xtcp_sockopt.h"
#include "xtcp_timer.h"

/* Retry delay for a timer that found the socket owned by the user. */
#define XTCP_TIMER_RETRY	(HZ / 20)

/**
 * xtcp_timer_rtt_sample() - RFC 6298 RTT estimator with Linux's RTO floor
 * @srtt_us: smoothed RTT, 0 before the first sample; updated
 * @rttvar_us: RTT variation; updated
 * @sample_us: the new measurement (Karn's rule already applied)
 * @rto_min_us: floor of the variation term (200 ms in Linux)
 *
 * SRTT and RTTVAR follow RFC 6298 2.2 and 2.3 (alpha 1/8, beta 1/4). The
 * timeout is SRTT + max(4 * RTTVAR, rto_min) as Linux computes it
 * (__tcp_set_rto with rttvar floored at tcp_rto_min), capped at 120 s.
 *
 * Return: the new RTO in jiffies.
 */
u32 xtcp_timer_rtt_sample(u32 *srtt_us, u32 *rttvar_us, u32 sample_us,
			  u32 rto_min_us)
{
	u64 rto_us;

	if (!sample_us)
		sample_us = 1;
	if (!*srtt_us) {
		*srtt_us = sample_us;
		*rttvar_us = sample_us / 2;
	} else {
		u32 delta = *srtt_us > sample_us ? *srtt_us - sample_us :
						   sample_us - *srtt_us;

		*rttvar_us = *rttvar_us - (*rttvar_us >> 2) + (delta >> 2);
		*srtt_us = *srtt_us - (*srtt_us >> 3) + (sample_us >> 3);
	}
	rto_us = (u64)*srtt_us + max_t(u64, 4ULL * *rttvar_us, rto_min_us);
	return min_t(u64, usecs_to_jiffies(min_t(u64, rto_us, U32_MAX)),
		     XTCP_RTO_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_timer_rtt_sample);

/**
 * xtcp_timer_rto_min_us() - the floor of the RTO's variation term
 * @sk: socket, locked, with its route set
 *
 * As tcp_rto_min(): the route's rto_min when set (ip route ... rto_min,
 * which iproute2 always locks), else TCP_RTO_MIN's 200 ms.
 *
 * Return: microseconds.
 */
u32 xtcp_timer_rto_min_us(const struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get((struct sock *)sk);

	if (dst && dst_metric_locked(dst, RTAX_RTO_MIN))
		return jiffies_to_usecs(dst_metric_rtt(dst, RTAX_RTO_MIN));
	return jiffies_to_usecs(XTCP_RTO_MIN);
}

/**
 * xtcp_timer_backoff() - RFC 6298 5.5: the RTO after a timeout
 * @rto: current RTO in jiffies
 *
 * Return: twice @rto, at most XTCP_RTO_MAX (120 s, as TCP_RTO_MAX).
 */
u32 xtcp_timer_backoff(u32 rto)
{
	return min_t(u64, (u64)rto << 1, XTCP_RTO_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_timer_backoff);

/**
 * xtcp_timer_reset_rto() - (re)arm the retransmission timer with the RTO
 * @sk: socket with something in flight
 */
void xtcp_timer_reset_rto(struct sock *sk)
{
	xtcp_timer_reset_rto_in(sk, xtcp_sk(sk)->rto);
}

/**
 * xtcp_timer_reset_rto_in() - fire the retransmission timer after @when
 *	instead of the RTO
 * @sk: socket with something in flight
 * @when: jiffies from now
 */
void xtcp_timer_reset_rto_in(struct sock *sk, unsigned long when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = ICSK_TIME_RETRANS;
	sk_reset_timer(sk, &icsk->icsk_retransmit_timer, jiffies + when);
}

/**
 * xtcp_timer_schedule_tlp() - arm a tail loss probe in the RTO's place
 *	(RFC 8985 7.2, as tcp_schedule_loss_probe())
 * @sk: socket, locked
 * @advancing_rto: called where the RTO would be restarted (an ACK of new
 *	data), so the RTO to stay ahead of is a whole one from now
 *
 * The probe timeout is two smoothed RTTs, plus TCP_RTO_MIN for the peer's
 * delayed ACK when a single segment is in flight, and never after the RTO
 * would fire. Only with SACK, with data in flight, nothing SACKed, lost or
 * resent (TCP_CA_Open: not in Disorder, recovery or loss) and
 * net.ipv4.tcp_early_retrans 3 or 4 (its default), as Linux.
 *
 * Return: true if the probe was armed; false if the caller must arm the
 * RTO as usual.
 */
bool xtcp_timer_schedule_tlp(struct sock *sk, bool advancing_rto)
{
	int early = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_early_retrans);
	struct sk_buff *head = skb_peek(&sk->sk_write_queue);
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 timeout;
	s64 rto_us;

	if ((early != 3 && early != 4) || !xs->sack_ok || !head ||
	    !xtcp_flight(xs) || xs->in_recovery || xs->in_loss ||
	    xs->sacked_out || xs->lost_out || xs->retrans_out ||
	    ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)))
		return false;
	if (xs->srtt_us) {
		timeout = usecs_to_jiffies(2 * xs->srtt_us);
		timeout += xtcp_packets(xs, xtcp_flight(xs)) == 1 ?
			   XTCP_RTO_MIN : XTCP_TIMEOUT_MIN;
	} else {
		timeout = XTCP_RTO_INIT;
	}
	rto_us = jiffies_to_usecs(xs->rto);
	if (!advancing_rto)
		rto_us -= tcp_clock_us() - XTCP_SKB_CB(head)->sent_us;
	if (rto_us > 0)
		timeout = min_t(u32, timeout, usecs_to_jiffies(rto_us));
	icsk->icsk_pending = ICSK_TIME_LOSS_PROBE;
	sk_reset_timer(sk, &icsk->icsk_retransmit_timer,
		       jiffies + max(timeout, 1U));
	return true;
}

/**
 * xtcp_timer_reset_probe() - arm the zero-window probe
 * @sk: socket whose peer offers no window while data waits
 */
void xtcp_timer_reset_probe(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	u32 when = min_t(u64, (u64)xtcp_sk(sk)->rto <<
				   min_t(u8, icsk->icsk_probes_out, 16),
			 XTCP_RTO_MAX);

	icsk->icsk_pending = ICSK_TIME_PROBE0;
	sk_reset_timer(sk, &icsk->icsk_retransmit_timer, jiffies + when);
}

/**
 * xtcp_timer_clear_rto() - nothing left to retransmit or probe
 * @sk: socket
 */
void xtcp_timer_clear_rto(struct sock *sk)
{
	inet_csk(sk)->icsk_pending = 0;
	sk_stop_timer(sk, &inet_csk(sk)->icsk_retransmit_timer);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_timer_clear_rto);

/**
 * xtcp_timer_rto_pending() - is a retransmission or probe scheduled?
 * @sk: socket
 *
 * Return: true if one is.
 */
bool xtcp_timer_rto_pending(const struct sock *sk)
{
	return inet_csk(sk)->icsk_pending &&
	       timer_pending(&inet_csk(sk)->icsk_retransmit_timer);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_timer_rto_pending);

/**
 * xtcp_timer_reset_delack() - send the owed ACK after @delay unless data
 *	carries it first
 * @sk: socket
 * @delay: jiffies
 */
void xtcp_timer_reset_delack(struct sock *sk, unsigned long delay)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (timer_pending(&icsk->icsk_delack_timer))
		return;
	icsk->icsk_ack.pending |= ICSK_ACK_TIMER;
	sk_reset_timer(sk, &icsk->icsk_delack_timer, jiffies + delay);
}

/**
 * xtcp_timer_clear_delack() - the owed ACK went out
 * @sk: socket
 */
void xtcp_timer_clear_delack(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	if (!(icsk->icsk_ack.pending & ICSK_ACK_TIMER))
		return;
	icsk->icsk_ack.pending = 0;
	sk_stop_timer(sk, &icsk->icsk_delack_timer);
}

/**
 * xtcp_timer_start_wait() - close an orphan in FIN_WAIT2 after @delay
 * @sk: socket
 * @delay: jiffies
 */
void xtcp_timer_start_wait(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &inet_csk(sk)->icsk_keepalive_timer, jiffies + delay);
}

/**
 * xtcp_timer_clear_all() - stop every timer of a socket that is done
 * @sk: socket
 */
void xtcp_timer_clear_all(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = 0;
	icsk->icsk_ack.pending = 0;
	sk_stop_timer(sk, &icsk->icsk_retransmit_timer);
	sk_stop_timer(sk, &icsk->icsk_delack_timer);
	sk_stop_timer(sk, &icsk->icsk_keepalive_timer);
}

/*
 * TCP_USER_TIMEOUT counts from when the oldest unacknowledged segment was
 * first sent (Linux's retrans_stamp), taken at its first timeout.
 */
static void xtcp_user_timeout_start(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	u64 ago_us = 0;

	if (skb && XTCP_SKB_CB(skb)->sent_us)
		ago_us = tcp_clock_us() - XTCP_SKB_CB(skb)->sent_us;
	xtcp_sk(sk)->retrans_stamp = tcp_jiffies32 -
				     usecs_to_jiffies(min_t(u64, ago_us, U32_MAX));
}

static bool xtcp_user_timeout_expired(const struct sock *sk)
{
	u32 timeout = READ_ONCE(inet_csk(sk)->icsk_user_timeout);

	return timeout && inet_csk(sk)->icsk_retransmits &&
	       (s32)(tcp_jiffies32 - xtcp_sk(sk)->retrans_stamp -
		     msecs_to_jiffies(timeout)) >= 0;
}

/* The next retransmission comes no later than the user timeout's end. */
static void xtcp_user_timeout_clamp(struct sock *sk)
{
	u32 timeout = READ_ONCE(inet_csk(sk)->icsk_user_timeout);
	s32 left;

	if (!timeout)
		return;
	left = msecs_to_jiffies(timeout) -
	       (tcp_jiffies32 - xtcp_sk(sk)->retrans_stamp);
	if (left < (s32)xtcp_sk(sk)->rto)
		sk_reset_timer(sk, &inet_csk(sk)->icsk_retransmit_timer,
			       jiffies + max(left, 1));
}

static void xtcp_timer_give_up(struct sock *sk)
{
	WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
	sk_error_report(sk);
	xtcp_sock_done(sk);
}

/*
 * RTO expired (RFC 6298 5.4-5.6): resend the oldest segment, back off, and
 * restart from it with one segment of congestion window (RFC 5681 3.1).
 */
static void xtcp_retransmit_expired(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int limit;

	if (skb_queue_empty(&sk->sk_write_queue))
		return;
	if (!icsk->icsk_retransmits)
		xtcp_user_timeout_start(sk);
	if (sk->sk_state == TCP_SYN_SENT)
		limit = xs->syn_retries;
	else if (icsk->icsk_user_timeout)
		limit = UINT_MAX;	/* TCP_USER_TIMEOUT replaces the count */
	else if (sock_flag(sk, SOCK_DEAD))
		limit = xtcp_sock_orphan_retries(sk);
	else
		limit = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_retries2);
	if (icsk->icsk_retransmits >= limit || xtcp_user_timeout_expired(sk)) {
		xtcp_timer_give_up(sk);
		return;
	}
	xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_TIMEOUTS);

	if (sk->sk_state != TCP_SYN_SENT) {
		int reord = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_reordering);

		/*
		 * A timeout outside recovery with many SACKed: the reordering
		 * degree was overestimated (tcp_enter_loss()).
		 */
		if (!xs->in_recovery && !xs->in_loss &&
		    xs->sacked_out >= reord * xs->mss_cache)
			xs->reordering = min_t(u32, xs->reordering, reord);
		xtcp_cong_enter_loss(sk);
		xs->dupacks = 0;
		xs->in_recovery = 0;
		xs->in_loss = 1;
		xs->undo_armed = 0;	/* no undo of an RTO's reduction */
		xs->recover = xs->snd_max;
		xs->tlp_high_seq = 0;
		/*
		 * Go back to the oldest segment; the receiver drops duplicates,
		 * and what it SACKed is skipped.
		 */
		xs->snd_nxt = xs->snd_una;
		xs->send_head = skb_peek(&sk->sk_write_queue);
		xtcp_sack_clear(sk, xtcp_sack_reneged(sk));
		xs->sacked_out = 0;
	}
	icsk->icsk_retransmits++;
	xs->retransmits = icsk->icsk_retransmits;
	/* The path MTU may have dropped while the user held the socket. */
	if (sk->sk_state != TCP_SYN_SENT)
		xtcp_output_sync_mss(sk);
	if (sk->sk_state == TCP_SYN_SENT) {
		xtcp_output_retransmit_head(sk);
	} else {
		xtcp_output_write_xmit(sk);
		if (xs->snd_nxt == xs->snd_una)	/* nothing fit: force the head out */
			xtcp_output_retransmit_head(sk);
	}
	xs->rto = xtcp_timer_backoff(xs->rto);
	xtcp_timer_reset_rto(sk);
	xtcp_user_timeout_clamp(sk);
}

/*
 * The tail loss probe timer: one probe per tail episode (until what was in
 * flight when it left is acknowledged), then the RTO takes over again.
 */
static void xtcp_tlp_expired(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_flight(xs))
		return;
	/* Recovery began since it was armed: recovery has the losses. */
	if (!xs->tlp_high_seq && !xs->in_recovery && !xs->in_loss &&
	    !xtcp_output_loss_probe(sk)) {
		xs->tlp_high_seq = xs->snd_nxt;
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_LOSS_PROBES);
	}
	xtcp_timer_reset_rto(sk);
}

static void xtcp_probe_expired(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_flight(xs)) {
		/* Data left since: it needs the retransmission timer. */
		xtcp_timer_reset_rto(sk);
		return;
	}
	if (!xs->send_head)
		return;
	if (xs->snd_wnd) {
		/* Data Nagle or a cork held goes now (tcp_write_wakeup()). */
		xs->nonagle |= TCP_NAGLE_PUSH;
		xs->push_seq = xs->write_seq;
		xtcp_output_write_xmit(sk);
		return;
	}
	if (icsk->icsk_probes_out >=
	    READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_retries2)) {
		xtcp_timer_give_up(sk);
		return;
	}
	xtcp_output_send_probe(sk);
	icsk->icsk_probes_out++;
	xtcp_timer_reset_probe(sk);
}

static void xtcp_retransmit_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_retransmit_timer);
	struct sock *sk = &icsk->icsk_inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &icsk->icsk_retransmit_timer,
			       jiffies + XTCP_TIMER_RETRY);
	} else if (sk->sk_state != TCP_CLOSE) {
		u8 event = icsk->icsk_pending;

		icsk->icsk_pending = 0;
		if (event == ICSK_TIME_RETRANS)
			xtcp_retransmit_expired(sk);
		else if (event == ICSK_TIME_PROBE0)
			xtcp_probe_expired(sk);
		else if (event == ICSK_TIME_LOSS_PROBE)
			xtcp_tlp_expired(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void xtcp_delack_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_delack_timer);
	struct sock *sk = &icsk->icsk_inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &icsk->icsk_delack_timer,
			       jiffies + XTCP_TIMER_RETRY);
	} else if (icsk->icsk_ack.pending & ICSK_ACK_TIMER) {
		icsk->icsk_ack.pending = 0;
		if (xtcp_sk(sk)->ack_pending)
			xtcp_output_send_ack(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * xtcp_timer_reset_keepalive() - (re)arm the keepalive timer
 * @sk: socket
 * @delay: jiffies
 */
void xtcp_timer_reset_keepalive(struct sock *sk, unsigned long delay)
{
	sk_reset_timer(sk, &inet_csk(sk)->icsk_keepalive_timer, jiffies + delay);
}

/**
 * xtcp_timer_keepalive_init() - the connection is established: the peer was
 *	just heard, and keepalive starts if SO_KEEPALIVE is on
 * @sk: socket
 */
void xtcp_timer_keepalive_init(struct sock *sk)
{
	xtcp_sk(sk)->rcv_tstamp = tcp_jiffies32;
	if (sock_flag(sk, SOCK_KEEPOPEN))
		xtcp_timer_reset_keepalive(sk, xtcp_keepalive_time(sk));
}

/**
 * xtcp_timer_set_keepalive() - proto.keepalive: SO_KEEPALIVE changed
 * @sk: socket, locked
 * @val: the new value
 *
 * The timer runs in the synchronised states. TIME_WAIT is left alone: its
 * end is on the same timer (native TCP's user socket is CLOSE by then).
 */
void xtcp_timer_set_keepalive(struct sock *sk, int val)
{
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_TIME_WAIT))
		return;
	if (val && !sock_flag(sk, SOCK_KEEPOPEN))
		xtcp_timer_reset_keepalive(sk, xtcp_keepalive_time(sk));
	else if (!val)
		sk_stop_timer(sk, &inet_csk(sk)->icsk_keepalive_timer);
}

/*
 * Keepalive (RFC 1122 4.2.3.6, as tcp_keepalive_timer()): after
 * keepalive_time without hearing from the peer, an ACK below snd_una asks it
 * to answer; probes repeat every keepalive_intvl and after keepalive_probes
 * unanswered ones (or TCP_USER_TIMEOUT) the connection is reset with
 * ETIMEDOUT. Any ACK from the peer resets icsk_probes_out and rcv_tstamp.
 */
static void xtcp_keepalive_expired(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 when = xtcp_keepalive_time(sk);
	u32 user_timeout, elapsed;

	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT | TCPF_LISTEN)))
		return;
	/* Data in flight or waiting: the retransmission timer watches it. */
	if (!skb_queue_empty(&sk->sk_write_queue))
		goto rearm;
	elapsed = tcp_jiffies32 - xs->rcv_tstamp;
	if (elapsed < when) {
		when -= elapsed;
		goto rearm;
	}
	user_timeout = READ_ONCE(icsk->icsk_user_timeout);
	if (user_timeout ? elapsed >= msecs_to_jiffies(user_timeout) &&
			   icsk->icsk_probes_out :
			   icsk->icsk_probes_out >= xtcp_keepalive_probes(sk)) {
		xtcp_output_send_reset(sk, GFP_ATOMIC);
		xtcp_timer_give_up(sk);
		return;
	}
	xtcp_output_send_probe(sk);
	icsk->icsk_probes_out++;
	when = xtcp_keepalive_intvl(sk);
rearm:
	xtcp_timer_reset_keepalive(sk, when);
}

/*
 * One timer, as native TCP's: keepalive, and for orphans the FIN_WAIT2
 * timeout (TIME_WAIT has entries of its own, xtcp_tw.c).
 */
static void xtcp_wait_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_keepalive_timer);
	struct sock *sk = &icsk->icsk_inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &icsk->icsk_keepalive_timer,
			       jiffies + XTCP_TIMER_RETRY);
	else if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD))
		xtcp_sock_done(sk);
	else
		xtcp_keepalive_expired(sk);
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * xtcp_timer_init() - set up the timers of a new socket
 * @sk: socket
 */
void xtcp_timer_init(struct sock *sk)
{
	inet_csk_init_xmit_timers(sk, xtcp_retransmit_timer, xtcp_delack_timer,
				  xtcp_wait_timer);
}
