/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control of xtcp: a small ops table per algorithm ("reno",
 * "cubic"), chosen per socket (TCP_CONGESTION) with a per-namespace default
 * (net.xtcp.congestion_control). The arithmetic is in pure functions on
 * plain values so that KUnit can check it.
 */
#ifndef _XTCP_CONG_H
#define _XTCP_CONG_H

#include <linux/types.h>

struct ctl_table;
struct net;
struct sock;

/* Events an algorithm may react to, as enum tcp_ca_event. */
enum xtcp_ca_event {
	XTCP_CA_EVENT_TX_START,		/* first data sent with nothing in flight */
	XTCP_CA_EVENT_CWND_RESTART,	/* restarting after an idle period */
};

/**
 * struct xtcp_cong_ops - one congestion control algorithm
 * @name: what TCP_CONGESTION and the sysctl call it
 * @init: reset the algorithm's state (inet_csk_ca()) when a connection starts
 * @ssthresh: the slow start threshold after a loss (required)
 * @cong_avoid: grow the window for @acked newly acknowledged segments
 *	(required; only called while the window limits the sender)
 * @set_state: the socket enters TCP_CA_Open, TCP_CA_Recovery or TCP_CA_Loss
 * @cwnd_event: see enum xtcp_ca_event
 * @pkts_acked: an RTT sample in microseconds was taken from an ACK
 */
struct xtcp_cong_ops {
	const char	*name;
	void		(*init)(struct sock *sk);
	u32		(*ssthresh)(struct sock *sk);
	void		(*cong_avoid)(struct sock *sk, u32 acked);
	void		(*set_state)(struct sock *sk, u8 new_state);
	void		(*cwnd_event)(struct sock *sk, enum xtcp_ca_event ev);
	void		(*pkts_acked)(struct sock *sk, u32 rtt_us);
};

/* CUBIC's constants as Linux 6.1 has them (tcp_cubic.c). */
#define XTCP_CUBIC_HZ_SHIFT	10	/* time unit: 1/1024 s */
#define XTCP_CUBIC_BETA		717	/* beta_cubic = 717/1024 ~ 0.7 */
#define XTCP_CUBIC_BETA_SCALE	1024
#define XTCP_CUBIC_C		410	/* C = 410/1024 ~ 0.4 */

/**
 * struct xtcp_cubic - CUBIC's per-connection state (in inet_csk_ca())
 * @cnt: ACKed segments per one segment of window growth
 * @last_max_cwnd: W_max, the window before the last reduction
 * @last_cwnd: window at the last update of @cnt
 * @last_time: jiffies of the last update of @cnt
 * @origin_point: the window the cubic curve is centred on
 * @k: K, in 1/1024 s, from the start of the epoch to @origin_point
 * @delay_min: smallest RTT seen, in microseconds
 * @epoch_start: jiffies the current epoch began, 0 when none
 * @ack_cnt: segments ACKed, for the Reno-friendly estimate
 * @tcp_cwnd: W_est, the window Reno would have (RFC 9438 4.3)
 * @round_start: HyStart: microseconds when the current round began
 * @last_ack: HyStart: microseconds of the last ACK of the current ACK train
 * @end_seq: HyStart: the round ends when this is acknowledged
 * @curr_rtt: HyStart: smallest RTT of the current round, microseconds
 * @sample_cnt: HyStart: RTT samples taken in the current round
 * @found: HyStart ended slow start; cleared by an RTO
 */
struct xtcp_cubic {
	u32	cnt;
	u32	last_max_cwnd;
	u32	last_cwnd;
	u32	last_time;
	u32	origin_point;
	u32	k;
	u32	delay_min;
	u32	epoch_start;
	u32	ack_cnt;
	u32	tcp_cwnd;
	u32	round_start;
	u32	last_ack;
	u32	end_seq;
	u32	curr_rtt;
	u8	sample_cnt;
	u8	found;
};

/* HyStart as Linux 6.1's tcp_cubic.c has it (hystart_detect = 3). */
#define XTCP_HYSTART_LOW_WINDOW		16	/* not below this window */
#define XTCP_HYSTART_ACK_DELTA_US	2000	/* ACKs this close form a train */
#define XTCP_HYSTART_MIN_SAMPLES	8	/* RTT samples per round */
#define XTCP_HYSTART_DELAY_MIN_US	4000	/* bounds of the delay increase */
#define XTCP_HYSTART_DELAY_MAX_US	16000	/* that ends slow start */

/* Why HyStart ended slow start. */
enum xtcp_hystart_exit {
	XTCP_HYSTART_NONE,
	XTCP_HYSTART_TRAIN,	/* an ACK train as long as half the RTT */
	XTCP_HYSTART_DELAY,	/* the round's RTT grew above delay_min */
};

extern const struct xtcp_cong_ops xtcp_cong_reno;
extern const struct xtcp_cong_ops xtcp_cong_cubic;

/* The algorithms (pure functions). */
u32 xtcp_reno_ssthresh(u32 cwnd);
u32 xtcp_cong_slow_start(u32 *cwnd, u32 ssthresh, u32 acked);
void xtcp_cong_avoid_ai(u32 *cwnd, u32 *cwnd_cnt, u32 w, u32 acked);
u32 xtcp_cong_current_ssthresh(u32 cwnd, u32 ssthresh, bool reducing);
u32 xtcp_cong_restart_cwnd(u32 cwnd, u32 init_cwnd, s32 idle, u32 rto);
u32 xtcp_cubic_root(u64 a);
u32 xtcp_cubic_k(u32 wmax, u32 cwnd);
u32 xtcp_cubic_target(u32 origin, u32 k, u32 t);
u32 xtcp_cubic_ssthresh(u32 cwnd);
u32 xtcp_cubic_wmax(u32 cwnd, u32 last_max_cwnd);
void xtcp_cubic_update(struct xtcp_cubic *ca, u32 cwnd, u32 acked, u32 now);
void xtcp_hystart_reset(struct xtcp_cubic *ca, u32 now_us, u32 snd_nxt);
enum xtcp_hystart_exit xtcp_hystart_update(struct xtcp_cubic *ca, u32 now_us,
					   u32 delay_us);

/* Lookup and the per-namespace default. */
const struct xtcp_cong_ops *xtcp_cong_find(const char *name);
const struct xtcp_cong_ops *xtcp_cong_default(const struct net *net);
int xtcp_cong_sysctl(struct ctl_table *table, int write, void *buffer,
		     size_t *lenp, loff_t *ppos);

/* What the socket code calls. */
void xtcp_cong_assign(struct sock *sk);
void xtcp_cong_openreq_child(struct sock *sk);
void xtcp_cong_init(struct sock *sk);
int xtcp_cong_set(struct sock *sk, const char *name);
void xtcp_cong_on_ack(struct sock *sk, u32 acked_bytes);
void xtcp_cong_rtt_sample(struct sock *sk, u32 rtt_us);
void xtcp_cong_enter_recovery(struct sock *sk);
void xtcp_cong_enter_loss(struct sock *sk);
void xtcp_cong_set_state(struct sock *sk, u8 new_state);
void xtcp_cong_data_sent(struct sock *sk);
void xtcp_cong_idle_check(struct sock *sk);
void xtcp_cong_validate(struct sock *sk, bool sent);

#endif /* _XTCP_CONG_H */
