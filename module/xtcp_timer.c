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
#include "xtcp_output.h"
#include "xtcp_sock.h"
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
 * xtcp_timer_reset_rto() - (re)arm the retransmission timer with the RTO
 * @sk: socket with something in flight
 */
void xtcp_timer_reset_rto(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	icsk->icsk_pending = ICSK_TIME_RETRANS;
	sk_reset_timer(sk, &icsk->icsk_retransmit_timer,
		       jiffies + xtcp_sk(sk)->rto);
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
 * xtcp_timer_start_wait() - close @sk after @delay (TIME_WAIT, FIN_WAIT2)
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
	if (sk->sk_state == TCP_SYN_SENT)
		limit = xs->syn_retries;
	else if (sock_flag(sk, SOCK_DEAD))
		limit = xtcp_sock_orphan_retries(sk);
	else
		limit = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_retries2);
	if (icsk->icsk_retransmits >= limit) {
		xtcp_timer_give_up(sk);
		return;
	}

	if (sk->sk_state != TCP_SYN_SENT) {
		u32 flight_segs = xtcp_flight(xs) / max(xs->mss_cache, 1U);

		xs->ssthresh = max(flight_segs / 2, 2U);
		xs->cwnd = 1;
		xs->cwnd_cnt = 0;
		xs->dupacks = 0;
		xs->in_recovery = 0;
		/* Go back to the oldest segment; the receiver drops duplicates. */
		xs->snd_nxt = xs->snd_una;
		xs->send_head = skb_peek(&sk->sk_write_queue);
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
	xs->rto = min_t(u32, xs->rto << 1, XTCP_RTO_MAX);
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

/* TIME_WAIT over, or an orphan gave up waiting for the peer's FIN. */
static void xtcp_wait_timer(struct timer_list *t)
{
	struct inet_connection_sock *icsk =
		from_timer(icsk, t, icsk_keepalive_timer);
	struct sock *sk = &icsk->icsk_inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &icsk->icsk_keepalive_timer,
			       jiffies + XTCP_TIMER_RETRY);
	else if (sk->sk_state == TCP_TIME_WAIT || sk->sk_state == TCP_FIN_WAIT2)
		xtcp_sock_done(sk);
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
