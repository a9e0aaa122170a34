/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timers of an xtcp socket: retransmission (SYN, data, FIN) and zero-window
 * probe on icsk_retransmit_timer, delayed ACK on icsk_delack_timer,
 * keepalive and orphaned FIN_WAIT2 on icsk_keepalive_timer; and
 * the RTT estimator that sets the retransmission timeout.
 */
#ifndef _XTCP_TIMER_H
#define _XTCP_TIMER_H

#include <linux/types.h>

struct sock;

void xtcp_timer_init(struct sock *sk);
void xtcp_timer_clear_all(struct sock *sk);
void xtcp_timer_reset_rto(struct sock *sk);
void xtcp_timer_reset_rto_in(struct sock *sk, unsigned long when);
void xtcp_timer_clear_rto(struct sock *sk);
bool xtcp_timer_rto_pending(const struct sock *sk);
u32 xtcp_timer_rto_min_us(const struct sock *sk);
bool xtcp_timer_schedule_tlp(struct sock *sk, bool advancing_rto);
void xtcp_timer_reset_probe(struct sock *sk);
void xtcp_timer_reset_delack(struct sock *sk, unsigned long delay);
void xtcp_timer_clear_delack(struct sock *sk);
void xtcp_timer_start_wait(struct sock *sk, unsigned long delay);
void xtcp_timer_reset_keepalive(struct sock *sk, unsigned long delay);
void xtcp_timer_keepalive_init(struct sock *sk);
void xtcp_timer_set_keepalive(struct sock *sk, int val);
u32 xtcp_timer_rtt_sample(u32 *srtt_us, u32 *rttvar_us, u32 sample_us,
			  u32 rto_min_us);
u32 xtcp_timer_backoff(u32 rto);

#endif /* _XTCP_TIMER_H */
