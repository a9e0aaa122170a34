// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control: Reno (RFC 5681) and CUBIC (RFC 9438), each an
 * xtcp_cong_ops, and what the socket code shares between them: slow start,
 * the choice per socket and per namespace, slow start after idle and
 * congestion window validation, as Linux 6.1 does them (tcp_cong.c,
 * tcp_cubic.c, tcp_output.c). Loss recovery itself (fast retransmit,
 * NewReno) stays in xtcp_input.c and the RTO in xtcp_timer.c; they ask the
 * socket's algorithm for the new threshold.
 */
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/sysctl.h>
#include <net/inet_connection_sock.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_pernet.h"

/**
 * xtcp_reno_ssthresh() - Reno's slow start threshold after a loss
 * @cwnd: congestion window when the loss was detected, in segments
 *
 * Return: half the window, at least 2 (tcp_reno_ssthresh()).
 */
u32 xtcp_reno_ssthresh(u32 cwnd)
{
	return max(cwnd >> 1, 2U);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_reno_ssthresh);

/**
 * xtcp_cong_slow_start() - RFC 5681 3.1 slow start, as tcp_slow_start()
 * @cwnd: congestion window in segments, grown in place up to @ssthresh
 * @ssthresh: slow start threshold
 * @acked: segments newly acknowledged
 *
 * Return: the part of @acked slow start did not use, for congestion
 * avoidance once the window reached @ssthresh.
 */
u32 xtcp_cong_slow_start(u32 *cwnd, u32 ssthresh, u32 acked)
{
	u32 new = min_t(u64, (u64)*cwnd + acked, ssthresh);

	acked -= new - *cwnd;
	*cwnd = min_t(u32, new, XTCP_CWND_MAX);
	return acked;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_slow_start);

/**
 * xtcp_cong_avoid_ai() - additive increase, as tcp_cong_avoid_ai()
 * @cwnd: congestion window in segments, grown in place
 * @cwnd_cnt: ACKed segments counted towards the next increase
 * @w: segments to be ACKed for one segment of growth (Reno: @cwnd)
 * @acked: segments newly acknowledged
 */
void xtcp_cong_avoid_ai(u32 *cwnd, u32 *cwnd_cnt, u32 w, u32 acked)
{
	w = max(w, 1U);
	/* Credit earned while @w was larger is spent gently: one segment. */
	if (*cwnd_cnt >= w) {
		*cwnd_cnt = 0;
		(*cwnd)++;
	}
	*cwnd_cnt += acked;
	if (*cwnd_cnt >= w) {
		u32 delta = *cwnd_cnt / w;

		*cwnd_cnt -= delta * w;
		*cwnd += delta;
	}
	*cwnd = min_t(u32, *cwnd, XTCP_CWND_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_avoid_ai);

/**
 * xtcp_cong_current_ssthresh() - the threshold to restart from, as
 *	tcp_current_ssthresh()
 * @cwnd: congestion window in segments
 * @ssthresh: slow start threshold
 * @reducing: in a window reduction (fast recovery)
 *
 * Return: @ssthresh during a reduction, else at least 3/4 of @cwnd, so that
 * slow start brings the connection back near where it was.
 */
u32 xtcp_cong_current_ssthresh(u32 cwnd, u32 ssthresh, bool reducing)
{
	if (reducing)
		return ssthresh;
	return max(ssthresh, (cwnd >> 1) + (cwnd >> 2));
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_current_ssthresh);

/**
 * xtcp_cong_restart_cwnd() - the window after an idle period, as
 *	tcp_cwnd_restart() (RFC 5681 4.1, RFC 2861)
 * @cwnd: congestion window before the idle period
 * @init_cwnd: the initial window
 * @idle: jiffies since data was last sent; more than @rto
 * @rto: retransmission timeout in jiffies
 *
 * Return: @cwnd halved for each RTO of idleness after the first, but not
 * below the initial window (or @cwnd, if that is smaller).
 */
u32 xtcp_cong_restart_cwnd(u32 cwnd, u32 init_cwnd, s32 idle, u32 rto)
{
	u32 restart = min(init_cwnd, cwnd);

	rto = max(rto, 1U);
	while ((idle -= rto) > 0 && cwnd > restart)
		cwnd >>= 1;
	return max(cwnd, restart);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_restart_cwnd);

/**
 * xtcp_cubic_root() - integer cube root
 * @a: value
 *
 * Digit by digit in base 8 (three bits of @a per bit of the root), so exact
 * where Linux's table and Newton step is within 0.2%.
 *
 * Return: the largest r with r^3 <= @a.
 */
u32 xtcp_cubic_root(u64 a)
{
	u64 r = 0, b;
	int s;

	for (s = 63; s >= 0; s -= 3) {
		r <<= 1;
		b = 3 * r * (r + 1) + 1;	/* (r + 1)^3 - r^3 */
		if ((a >> s) >= b) {
			a -= b << s;
			r++;
		}
	}
	return r;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_root);

/**
 * xtcp_cubic_k() - RFC 9438 4.2 K = cbrt((W_max - cwnd_epoch) / C)
 * @wmax: W_max in segments
 * @cwnd: congestion window at the start of the epoch
 *
 * Return: K in units of 1/1024 s; 0 when @cwnd is not below @wmax.
 */
u32 xtcp_cubic_k(u32 wmax, u32 cwnd)
{
	u64 scaled;

	if (cwnd >= wmax)
		return 0;
	/* K * 1024 = cbrt((wmax - cwnd) * 1024 / C * 1024^3) */
	scaled = div_u64((u64)(wmax - cwnd) << (10 + 3 * XTCP_CUBIC_HZ_SHIFT),
			 XTCP_CUBIC_C);
	return xtcp_cubic_root(scaled);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_k);

/* Largest |t - K| the cube is computed for: 2^18 / 1024 s = 256 s. */
#define XTCP_CUBIC_OFFS_MAX	(1U << 18)

/**
 * xtcp_cubic_target() - RFC 9438 4.2 W_cubic(t) = C * (t - K)^3 + W_max
 * @origin: W_max (the curve's origin point) in segments
 * @k: K in 1/1024 s, from xtcp_cubic_k()
 * @t: time since the start of the epoch, in 1/1024 s
 *
 * Return: the window in segments, 0 at the least, U32_MAX at the most.
 */
u32 xtcp_cubic_target(u32 origin, u32 k, u32 t)
{
	u64 offs = t < k ? k - t : t - k;
	u64 delta;

	/* Past 256 s from the origin the window is unbounded anyway. */
	offs = min_t(u64, offs, XTCP_CUBIC_OFFS_MAX);
	delta = (XTCP_CUBIC_C * offs * offs * offs) >>
		(10 + 3 * XTCP_CUBIC_HZ_SHIFT);
	if (t < k)
		return delta < origin ? origin - delta : 0;
	return min_t(u64, (u64)origin + delta, U32_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_target);

/**
 * xtcp_cubic_ssthresh() - RFC 9438 4.6 ssthresh = cwnd * beta_cubic
 * @cwnd: congestion window when the loss was detected
 *
 * Return: the threshold, at least 2.
 */
u32 xtcp_cubic_ssthresh(u32 cwnd)
{
	return max_t(u32, div_u64((u64)cwnd * XTCP_CUBIC_BETA,
				  XTCP_CUBIC_BETA_SCALE), 2U);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_ssthresh);

/**
 * xtcp_cubic_wmax() - W_max after a loss, with fast convergence
 *	(RFC 9438 4.7)
 * @cwnd: congestion window when the loss was detected
 * @last_max_cwnd: W_max before this loss
 *
 * Return: @cwnd, or @cwnd * (1 + beta_cubic) / 2 when the window did not
 * get back to the last W_max (another flow may have joined: yield).
 */
u32 xtcp_cubic_wmax(u32 cwnd, u32 last_max_cwnd)
{
	if (cwnd < last_max_cwnd)
		return div_u64((u64)cwnd * (XTCP_CUBIC_BETA_SCALE + XTCP_CUBIC_BETA),
			       2 * XTCP_CUBIC_BETA_SCALE);
	return cwnd;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_wmax);

/*
 * Segments ACKed per segment of growth of the Reno estimate W_est: cwnd /
 * alpha_cubic with alpha_cubic = 3 (1 - beta) / (1 + beta) (RFC 9438 4.3),
 * in eighths, as Linux's beta_scale: 8 * 1741 / 3 / 307 = 15.
 */
#define XTCP_CUBIC_RENO_SCALE	(8 * (XTCP_CUBIC_BETA_SCALE + XTCP_CUBIC_BETA) / 3 / \
				 (XTCP_CUBIC_BETA_SCALE - XTCP_CUBIC_BETA))

/**
 * xtcp_cubic_update() - CUBIC's growth rate for the next ACKs, as
 *	bictcp_update()
 * @ca: the connection's CUBIC state; @ca->cnt is the result
 * @cwnd: congestion window in segments
 * @acked: segments newly acknowledged
 * @now: jiffies
 *
 * Starts an epoch if none is running (K from W_max), then sets @ca->cnt so
 * that the window reaches W_cubic(t + RTT) in one RTT (RFC 9438 4.4-4.5),
 * no slower than the Reno estimate W_est (4.3) and at most 1.5 times per RTT.
 */
void xtcp_cubic_update(struct xtcp_cubic *ca, u32 cwnd, u32 acked, u32 now)
{
	u32 target, delta;
	u64 t;

	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (s32)(now - ca->last_time) <= HZ / 32)
		return;
	/* At most one update per jiffy; a reduction ends the epoch anyway. */
	if (ca->epoch_start && now == ca->last_time)
		goto reno_friendly;

	ca->last_cwnd = cwnd;
	ca->last_time = now;
	if (!ca->epoch_start) {
		ca->epoch_start = now ? : 1;	/* 0 means "no epoch" */
		ca->ack_cnt = acked;
		ca->tcp_cwnd = cwnd;
		if (ca->last_max_cwnd <= cwnd) {
			ca->k = 0;
			ca->origin_point = cwnd;
		} else {
			ca->k = xtcp_cubic_k(ca->last_max_cwnd, cwnd);
			ca->origin_point = ca->last_max_cwnd;
		}
	}

	/* Where the curve will be one (minimum) RTT from now. */
	t = (u32)((s32)(now - ca->epoch_start) + usecs_to_jiffies(ca->delay_min));
	t = div_u64(t << XTCP_CUBIC_HZ_SHIFT, HZ);
	target = xtcp_cubic_target(ca->origin_point, ca->k,
				   min_t(u64, t, U32_MAX));
	if (target > cwnd)
		ca->cnt = cwnd / (target - cwnd);
	else
		ca->cnt = 100 * cwnd;	/* at the plateau: barely grow */
	/* No W_max yet: do not be slower than 5% per RTT. */
	if (!ca->last_max_cwnd && ca->cnt > 20)
		ca->cnt = 20;

reno_friendly:
	delta = max((cwnd * XTCP_CUBIC_RENO_SCALE) >> 3, 1U);
	while (ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		u32 max_cnt = cwnd / (ca->tcp_cwnd - cwnd);

		ca->cnt = min(ca->cnt, max_cnt);
	}
	/* RFC 9438 4.4: at most 1.5 times per RTT. */
	ca->cnt = max(ca->cnt, 2U);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cubic_update);

/**
 * xtcp_hystart_reset() - start a HyStart round (bictcp_hystart_reset())
 * @ca: CUBIC's state
 * @now_us: the time, microseconds
 * @snd_nxt: the round lasts until this is acknowledged
 */
void xtcp_hystart_reset(struct xtcp_cubic *ca, u32 now_us, u32 snd_nxt)
{
	ca->round_start = now_us;
	ca->last_ack = now_us;
	ca->end_seq = snd_nxt;
	ca->curr_rtt = ~0U;
	ca->sample_cnt = 0;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_hystart_reset);

/**
 * xtcp_hystart_update() - look for the end of slow start in an RTT sample
 *	(hystart_update())
 * @ca: CUBIC's state; @ca->delay_min already includes @delay_us
 * @now_us: when the ACK arrived, microseconds
 * @delay_us: the RTT sample it gave
 *
 * Two signals, as Linux: a train of ACKs no more than 2 ms apart that lasts
 * longer than half the minimum RTT (the window fills the path: without
 * pacing the train is the window draining at the bottleneck rate), or,
 * after 8 samples of a round, a round whose smallest RTT exceeds the
 * minimum by an eighth of it (4 to 16 ms: a queue builds). Sets @ca->found.
 *
 * Return: which signal fired, XTCP_HYSTART_NONE if none.
 */
enum xtcp_hystart_exit xtcp_hystart_update(struct xtcp_cubic *ca, u32 now_us,
					   u32 delay_us)
{
	if ((s32)(now_us - ca->last_ack) <= XTCP_HYSTART_ACK_DELTA_US) {
		ca->last_ack = now_us;
		if ((s32)(now_us - ca->round_start) > ca->delay_min >> 1) {
			ca->found = 1;
			return XTCP_HYSTART_TRAIN;
		}
	}
	if (ca->curr_rtt > delay_us)
		ca->curr_rtt = delay_us;
	if (ca->sample_cnt < XTCP_HYSTART_MIN_SAMPLES) {
		ca->sample_cnt++;
		return XTCP_HYSTART_NONE;
	}
	if (ca->curr_rtt > ca->delay_min +
	    clamp(ca->delay_min >> 3, (u32)XTCP_HYSTART_DELAY_MIN_US,
		  (u32)XTCP_HYSTART_DELAY_MAX_US)) {
		ca->found = 1;
		return XTCP_HYSTART_DELAY;
	}
	return XTCP_HYSTART_NONE;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_hystart_update);

static bool xtcp_in_slow_start(const struct xtcp_sock *xs)
{
	return xs->cwnd < xs->ssthresh;
}

/* Reno (RFC 5681): slow start, then one segment per window of ACKs. */
static u32 xtcp_reno_ops_ssthresh(struct sock *sk)
{
	return xtcp_reno_ssthresh(xtcp_sk(sk)->cwnd);
}

static void xtcp_reno_cong_avoid(struct sock *sk, u32 acked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_in_slow_start(xs)) {
		acked = xtcp_cong_slow_start(&xs->cwnd, xs->ssthresh, acked);
		if (!acked)
			return;
	}
	xtcp_cong_avoid_ai(&xs->cwnd, &xs->cwnd_cnt, xs->cwnd, acked);
}

const struct xtcp_cong_ops xtcp_cong_reno = {
	.name		= "reno",
	.ssthresh	= xtcp_reno_ops_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
};
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_reno);

/* CUBIC (RFC 9438) with HyStart, as Linux's tcp_cubic.c. */
static struct xtcp_cubic *xtcp_cubic_ca(struct sock *sk)
{
	BUILD_BUG_ON(sizeof(struct xtcp_cubic) > ICSK_CA_PRIV_SIZE);
	return inet_csk_ca(sk);
}

static void xtcp_cubic_init(struct sock *sk)
{
	struct xtcp_cubic *ca = xtcp_cubic_ca(sk);

	memset(ca, 0, sizeof(*ca));
	xtcp_hystart_reset(ca, tcp_clock_us(), xtcp_sk(sk)->snd_nxt);
}

static u32 xtcp_cubic_ops_ssthresh(struct sock *sk)
{
	struct xtcp_cubic *ca = xtcp_cubic_ca(sk);
	u32 cwnd = xtcp_sk(sk)->cwnd;

	ca->epoch_start = 0;	/* the epoch ends with the reduction */
	ca->last_max_cwnd = xtcp_cubic_wmax(cwnd, ca->last_max_cwnd);
	return xtcp_cubic_ssthresh(cwnd);
}

static void xtcp_cubic_cong_avoid(struct sock *sk, u32 acked)
{
	struct xtcp_cubic *ca = xtcp_cubic_ca(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xtcp_in_slow_start(xs)) {
		if (after(xs->snd_una, ca->end_seq))
			xtcp_hystart_reset(ca, tcp_clock_us(), xs->snd_nxt);
		acked = xtcp_cong_slow_start(&xs->cwnd, xs->ssthresh, acked);
		if (!acked)
			return;
	}
	xtcp_cubic_update(ca, xs->cwnd, acked, tcp_jiffies32);
	xtcp_cong_avoid_ai(&xs->cwnd, &xs->cwnd_cnt, ca->cnt, acked);
}

/* After an RTO nothing learnt holds: start over (W_max, HyStart). */
static void xtcp_cubic_set_state(struct sock *sk, u8 new_state)
{
	if (new_state == TCP_CA_Loss)
		xtcp_cubic_init(sk);
}

static void xtcp_cubic_cwnd_event(struct sock *sk, enum xtcp_ca_event ev)
{
	struct xtcp_cubic *ca = xtcp_cubic_ca(sk);
	u32 now = tcp_jiffies32;
	s32 delta;

	if (ev != XTCP_CA_EVENT_TX_START)
		return;
	/* Idle time does not count: keep to the curve where it was. */
	delta = now - xtcp_sk(sk)->lsndtime;
	if (ca->epoch_start && delta > 0) {
		ca->epoch_start += delta;
		if (after(ca->epoch_start, now))
			ca->epoch_start = now;
	}
}

static void xtcp_cubic_pkts_acked(struct sock *sk, u32 rtt_us)
{
	struct xtcp_cubic *ca = xtcp_cubic_ca(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	enum xtcp_hystart_exit why;
	struct net *net;
	u32 now_us;

	/* Samples right after a reduction are inflated by the queue. */
	if (ca->epoch_start && (s32)(tcp_jiffies32 - ca->epoch_start) < HZ)
		return;
	rtt_us = max(rtt_us, 1U);
	if (!ca->delay_min || ca->delay_min > rtt_us)
		ca->delay_min = rtt_us;

	if (ca->found || !xtcp_in_slow_start(xs) ||
	    xs->cwnd < XTCP_HYSTART_LOW_WINDOW)
		return;
	now_us = tcp_clock_us();
	if (after(xs->snd_una, ca->end_seq))
		xtcp_hystart_reset(ca, now_us, xs->snd_nxt);
	why = xtcp_hystart_update(ca, now_us, rtt_us);
	if (why == XTCP_HYSTART_NONE)
		return;
	xs->ssthresh = xs->cwnd;
	net = sock_net(sk);
	if (why == XTCP_HYSTART_TRAIN) {
		xtcp_net_stat_inc(net, XTCP_STAT_HYSTART_TRAIN);
		xtcp_net_stat_add(net, XTCP_STAT_HYSTART_TRAIN_CWND, xs->cwnd);
	} else {
		xtcp_net_stat_inc(net, XTCP_STAT_HYSTART_DELAY);
		xtcp_net_stat_add(net, XTCP_STAT_HYSTART_DELAY_CWND, xs->cwnd);
	}
}

const struct xtcp_cong_ops xtcp_cong_cubic = {
	.name		= "cubic",
	.init		= xtcp_cubic_init,
	.ssthresh	= xtcp_cubic_ops_ssthresh,
	.cong_avoid	= xtcp_cubic_cong_avoid,
	.set_state	= xtcp_cubic_set_state,
	.cwnd_event	= xtcp_cubic_cwnd_event,
	.pkts_acked	= xtcp_cubic_pkts_acked,
};
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_cubic);

static const struct xtcp_cong_ops *const xtcp_cong_all[] = {
	&xtcp_cong_cubic,
	&xtcp_cong_reno,
};

/**
 * xtcp_cong_find() - an algorithm by name
 * @name: "reno" or "cubic"
 *
 * Return: its ops, or NULL.
 */
const struct xtcp_cong_ops *xtcp_cong_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(xtcp_cong_all); i++)
		if (!strcmp(xtcp_cong_all[i]->name, name))
			return xtcp_cong_all[i];
	return NULL;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cong_find);

/**
 * xtcp_cong_default() - what new sockets of @net get
 * @net: namespace
 *
 * Return: net.xtcp.congestion_control's algorithm.
 */
const struct xtcp_cong_ops *xtcp_cong_default(const struct net *net)
{
	return READ_ONCE(xtcp_net(net)->cong_default);
}

/**
 * xtcp_cong_sysctl() - net.xtcp.congestion_control
 * @table: the entry; its data points to the namespace's default ops
 * @write: whether this is a write
 * @buffer: user data
 * @lenp: its length
 * @ppos: file position
 *
 * As proc_tcp_congestion_control(): reads give the name, writes of an
 * unknown name fail with ENOENT.
 *
 * Return: 0 or a negative errno.
 */
int xtcp_cong_sysctl(struct ctl_table *table, int write, void *buffer,
		     size_t *lenp, loff_t *ppos)
{
	const struct xtcp_cong_ops **def = table->data;
	const struct xtcp_cong_ops *ops;
	char val[TCP_CA_NAME_MAX];
	struct ctl_table tbl = {
		.data	= val,
		.maxlen	= TCP_CA_NAME_MAX,
	};
	int ret;

	strscpy(val, READ_ONCE(*def)->name, sizeof(val));
	ret = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (!write || ret)
		return ret;
	ops = xtcp_cong_find(val);
	if (!ops)
		return -ENOENT;
	WRITE_ONCE(*def, ops);
	return 0;
}

/**
 * xtcp_cong_assign() - give a new socket its namespace's default algorithm
 * @sk: socket being initialised
 */
void xtcp_cong_assign(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->cong_ops = xtcp_cong_default(sock_net(sk));
	xs->cong_setsockopt = 0;
}

/**
 * xtcp_cong_openreq_child() - the algorithm of an accepted socket
 * @sk: child just cloned from its listener
 *
 * As tcp_ca_openreq_child(): the listener's algorithm if it was set with
 * TCP_CONGESTION, the namespace's current default otherwise.
 */
void xtcp_cong_openreq_child(struct sock *sk)
{
	if (!xtcp_sk(sk)->cong_setsockopt)
		xtcp_cong_assign(sk);
}

/**
 * xtcp_cong_init() - congestion state for a connection that starts
 * @sk: socket becoming established (or getting a new algorithm while so)
 *
 * The window itself is set by the caller (the initial window, or what lost
 * SYNs leave of it).
 */
void xtcp_cong_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	memset(inet_csk(sk)->icsk_ca_priv, 0, sizeof(inet_csk(sk)->icsk_ca_priv));
	xs->cwnd_cnt = 0;
	xs->lsndtime = tcp_jiffies32;
	xs->cwnd_stamp = tcp_jiffies32;
	xs->cwnd_used = 0;
	xs->is_cwnd_limited = 0;
	xs->max_packets_out = 0;
	xs->cwnd_usage_seq = xs->snd_nxt;
	if (xs->cong_ops->init)
		xs->cong_ops->init(sk);
}

/**
 * xtcp_cong_set() - TCP_CONGESTION
 * @sk: socket, locked
 * @name: the algorithm asked for
 *
 * As tcp_set_congestion_control(): remembered as the user's choice (which
 * accepted sockets inherit); a connection in progress restarts the new
 * algorithm's state.
 *
 * Return: 0, or -ENOENT for an algorithm xtcp does not have.
 */
int xtcp_cong_set(struct sock *sk, const char *name)
{
	const struct xtcp_cong_ops *ops = xtcp_cong_find(name);
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!ops)
		return -ENOENT;
	xs->cong_setsockopt = 1;
	if (ops == xs->cong_ops)
		return 0;
	xs->cong_ops = ops;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		xtcp_cong_init(sk);
	return 0;
}

/* As tcp_is_cwnd_limited(): did the window, not the application, limit us? */
static bool xtcp_is_cwnd_limited(const struct xtcp_sock *xs)
{
	if (xs->is_cwnd_limited)
		return true;
	/* In slow start, let the window grow to twice what was in flight. */
	if (xtcp_in_slow_start(xs))
		return xs->cwnd < 2 * xs->max_packets_out;
	return false;
}

/**
 * xtcp_cong_on_ack() - new data was acknowledged outside fast recovery
 * @sk: socket, locked
 * @acked_bytes: bytes newly acknowledged
 *
 * Grows the window only while it limits the sender (RFC 7661, as Linux).
 */
void xtcp_cong_on_ack(struct sock *sk, u32 acked_bytes)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_is_cwnd_limited(xs))
		return;
	xs->cong_ops->cong_avoid(sk, max(xtcp_packets(xs, acked_bytes), 1U));
	xs->cwnd_stamp = tcp_jiffies32;
}

/**
 * xtcp_cong_rtt_sample() - hand an RTT sample to the algorithm
 * @sk: socket, locked
 * @rtt_us: the sample in microseconds
 */
void xtcp_cong_rtt_sample(struct sock *sk, u32 rtt_us)
{
	const struct xtcp_cong_ops *ops = xtcp_sk(sk)->cong_ops;

	if (ops->pkts_acked)
		ops->pkts_acked(sk, rtt_us);
}

/**
 * xtcp_cong_set_state() - tell the algorithm of a congestion state change
 * @sk: socket, locked
 * @new_state: TCP_CA_Open, TCP_CA_Recovery or TCP_CA_Loss
 */
void xtcp_cong_set_state(struct sock *sk, u8 new_state)
{
	const struct xtcp_cong_ops *ops = xtcp_sk(sk)->cong_ops;

	if (ops->set_state)
		ops->set_state(sk, new_state);
}

/**
 * xtcp_cong_enter_recovery() - fast retransmit: the new threshold
 * @sk: socket, locked, not yet in recovery
 */
void xtcp_cong_enter_recovery(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ssthresh = xs->cong_ops->ssthresh(sk);
	xtcp_cong_set_state(sk, TCP_CA_Recovery);
}

/**
 * xtcp_cong_enter_loss() - an RTO: one segment of window, as tcp_enter_loss()
 * @sk: socket, locked, before the timeout is counted in icsk_retransmits
 *
 * The threshold comes down once per loss episode: not again on a repeated
 * timeout nor when fast recovery already lowered it.
 */
void xtcp_cong_enter_loss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!inet_csk(sk)->icsk_retransmits && !xs->in_recovery)
		xs->ssthresh = xs->cong_ops->ssthresh(sk);
	xs->cwnd = 1;
	xs->cwnd_cnt = 0;
	xs->cwnd_stamp = tcp_jiffies32;
	xtcp_cong_set_state(sk, TCP_CA_Loss);
}

/**
 * xtcp_cong_data_sent() - a data segment is about to leave
 * @sk: socket, locked
 *
 * As tcp_event_data_sent(): the first one with nothing in flight is
 * CA_EVENT_TX_START; the time is kept for slow start after idle.
 */
void xtcp_cong_data_sent(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_flight(xs) && xs->cong_ops->cwnd_event)
		xs->cong_ops->cwnd_event(sk, XTCP_CA_EVENT_TX_START);
	xs->lsndtime = tcp_jiffies32;
}

/**
 * xtcp_cong_idle_check() - slow start after idle, as
 *	tcp_slow_start_after_idle_check()
 * @sk: socket, locked, about to queue new data
 *
 * With net.ipv4.tcp_slow_start_after_idle, a connection that sent nothing
 * for longer than an RTO and has nothing in flight restarts from a smaller
 * window (tcp_cwnd_restart()): the path may have changed meanwhile.
 */
void xtcp_cong_idle_check(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	s32 delta;

	if (!READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle) ||
	    xs->snd_max != xs->snd_una)
		return;
	delta = tcp_jiffies32 - xs->lsndtime;
	if (delta <= (s32)xs->rto)
		return;
	if (xs->cong_ops->cwnd_event)
		xs->cong_ops->cwnd_event(sk, XTCP_CA_EVENT_CWND_RESTART);
	xs->ssthresh = xtcp_cong_current_ssthresh(xs->cwnd, xs->ssthresh,
						  xs->in_recovery);
	xs->cwnd = xtcp_cong_restart_cwnd(xs->cwnd, XTCP_INIT_CWND, delta,
					  xs->rto);
	xs->cwnd_stamp = tcp_jiffies32;
	xs->cwnd_used = 0;
}

/*
 * RFC 2861 as tcp_cwnd_application_limited(): a window the application
 * has not used for an RTO decays towards what it did use.
 */
static void xtcp_cwnd_application_limited(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->in_recovery && !inet_csk(sk)->icsk_retransmits &&
	    sk->sk_socket && !test_bit(SOCK_NOSPACE, &sk->sk_socket->flags)) {
		u32 win_used = max_t(u32, xs->cwnd_used, XTCP_INIT_CWND);

		if (win_used < xs->cwnd) {
			xs->ssthresh = xtcp_cong_current_ssthresh(xs->cwnd,
								  xs->ssthresh,
								  false);
			xs->cwnd = (xs->cwnd + win_used) >> 1;
		}
		xs->cwnd_used = 0;
	}
	xs->cwnd_stamp = tcp_jiffies32;
}

/**
 * xtcp_cong_validate() - after sending: note whether the window or the
 *	application limits the connection, as tcp_cwnd_validate()
 * @sk: socket, locked
 * @sent: whether anything was sent
 */
void xtcp_cong_validate(struct sock *sk, bool sent)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 in_flight = xtcp_packets(xs, xtcp_in_flight(xs));
	bool limited = in_flight >= xs->cwnd;

	if (!sent && !limited)
		return;
	/* Keep the strongest signal seen over the current window of data. */
	if (!xtcp_seq_before(xs->snd_una, xs->cwnd_usage_seq) || limited ||
	    (!xs->is_cwnd_limited && in_flight > xs->max_packets_out)) {
		xs->is_cwnd_limited = limited;
		xs->max_packets_out = in_flight;
		xs->cwnd_usage_seq = xs->snd_nxt;
	}
	if (xtcp_is_cwnd_limited(xs)) {
		xs->cwnd_used = 0;
		xs->cwnd_stamp = tcp_jiffies32;
		return;
	}
	xs->cwnd_used = max(xs->cwnd_used, in_flight);
	if (READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_slow_start_after_idle) &&
	    (s32)(tcp_jiffies32 - xs->cwnd_stamp) >= (s32)xs->rto)
		xtcp_cwnd_application_limited(sk);
}
