// SPDX-License-Identifier: GPL-2.0
/*
 * SOL_TCP socket options.
 *
 * A program must not be able to tell xtcp from TCP by its options: every
 * option Linux 6.1 knows is checked the same way (length first, then the
 * copy, then the value) and answers with the same errno and value. Options
 * whose mechanism xtcp does not have (repair, MD5 signatures, Fast Open,
 * ULPs, zerocopy receive) answer as native TCP does for a socket that never
 * used them, and refuse to be switched on.
 */
#include <linux/capability.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/uaccess.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_output.h"
#include "xtcp_sockopt.h"
#include "xtcp_timer.h"

/*
 * TCP_DEFER_ACCEPT is given in seconds but kept, as in Linux, as the number
 * of SYN-ACK retransmissions (1 s initial timeout, doubling, 120 s cap) whose
 * total first covers that time.
 */
static u8 xtcp_secs_to_retrans(int secs)
{
	int period = 1, timeout = 1;
	u8 n;

	if (secs <= 0)
		return 0;
	for (n = 1; secs > period && n < 255; n++) {
		timeout = min(timeout * 2, XTCP_RTO_MAX / HZ);
		period += timeout;
	}
	return n;
}

static int xtcp_retrans_to_secs(u8 n)
{
	int period = 0, timeout = 1;

	if (!n)
		return 0;
	for (period = timeout; --n; period += timeout)
		timeout = min(timeout * 2, XTCP_RTO_MAX / HZ);
	return period;
}

/* Set TCP_NAGLE_PUSH: what is queued now goes out whatever Nagle says. */
static void xtcp_sockopt_push(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->nonagle |= TCP_NAGLE_PUSH;
	xs->push_seq = xs->write_seq;
	xtcp_output_write_xmit(sk);
}

static void xtcp_sockopt_nodelay(struct sock *sk, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!val) {
		xs->nonagle &= ~TCP_NAGLE_OFF;
		return;
	}
	/* Overrides a cork for the data queued so far, not for later data. */
	xs->nonagle |= TCP_NAGLE_OFF;
	xtcp_sockopt_push(sk);
}

static void xtcp_sockopt_cork(struct sock *sk, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (val) {
		xs->nonagle |= TCP_NAGLE_CORK;
		return;
	}
	xs->nonagle &= ~TCP_NAGLE_CORK;
	if (xs->nonagle & TCP_NAGLE_OFF)
		xtcp_sockopt_push(sk);
	else
		xtcp_output_write_xmit(sk);
}

/*
 * TCP_QUICKACK: xtcp's delayed ACKs do not switch to an interactive mode of
 * their own, but the mode is kept where Linux keeps it, so that the value
 * reads back, and asking for quick ACKs sends an owed ACK at once.
 */
static void xtcp_sockopt_quickack(struct sock *sk, int val)
{
	if (!val) {
		inet_csk_enter_pingpong_mode(sk);
		return;
	}
	inet_csk_exit_pingpong_mode(sk);
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT) &&
	    xtcp_sk(sk)->ack_pending) {
		xtcp_output_send_ack(sk);
		if (!(val & 1))
			inet_csk_enter_pingpong_mode(sk);
	}
}

static int xtcp_sockopt_keepidle(struct sock *sk, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 elapsed, when;

	if (val < 1 || val > MAX_TCP_KEEPIDLE)
		return -EINVAL;
	WRITE_ONCE(xs->keepalive_time, val * HZ);
	/* A running keepalive timer follows the new idle time at once. */
	if (sock_flag(sk, SOCK_KEEPOPEN) &&
	    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN | TCPF_SYN_SENT |
				     TCPF_TIME_WAIT))) {
		when = xs->keepalive_time;
		elapsed = tcp_jiffies32 - xs->rcv_tstamp;
		xtcp_timer_reset_keepalive(sk, when > elapsed ? when - elapsed : 0);
	}
	return 0;
}

/* Linux raises the clamp to half the smallest receive buffer; 0 unsets it. */
static int xtcp_sockopt_window_clamp(struct sock *sk, int val)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!val) {
		if (sk->sk_state != TCP_CLOSE)
			return -EINVAL;
		xs->window_clamp = 0;
		return 0;
	}
	/* Compared as unsigned, as Linux does: a negative value is huge. */
	xs->window_clamp = max_t(u32, val, SOCK_MIN_RCVBUF / 2);
	return 0;
}

/* TCP_CONGESTION: "reno" or "cubic" (xtcp_cong.c), else ENOENT. */
static int xtcp_sockopt_congestion(struct sock *sk, sockptr_t optval,
				   unsigned int optlen)
{
	char name[TCP_CA_NAME_MAX];
	long n;
	int err;

	if (optlen < 1)
		return -EINVAL;
	n = strncpy_from_sockptr(name, optval,
				 min_t(long, TCP_CA_NAME_MAX - 1, optlen));
	if (n < 0)
		return -EFAULT;
	name[n] = 0;
	lock_sock(sk);
	err = xtcp_cong_set(sk, name);
	release_sock(sk);
	return err;
}

/* A ULP needs a TCP socket: none is ever found for an xtcp socket. */
static int xtcp_sockopt_ulp(sockptr_t optval, unsigned int optlen)
{
	char name[TCP_ULP_NAME_MAX];

	if (optlen < 1)
		return -EINVAL;
	if (strncpy_from_sockptr(name, optval,
				 min_t(long, TCP_ULP_NAME_MAX - 1, optlen)) < 0)
		return -EFAULT;
	return -ENOENT;
}

/*
 * TCP_MD5SIG(_EXT): the request is checked as Linux checks it; a valid one
 * is refused, as xtcp cannot sign segments.
 */
static int __maybe_unused xtcp_sockopt_md5(sockptr_t optval,
					   unsigned int optlen)
{
	struct tcp_md5sig cmd;

	if (optlen < sizeof(cmd))
		return -EINVAL;
	if (copy_from_sockptr(&cmd, optval, sizeof(cmd)))
		return -EFAULT;
	if (cmd.tcpm_addr.ss_family != AF_INET)
		return -EINVAL;
	return -EOPNOTSUPP;
}

/* Options with an int value, the socket locked. */
static int xtcp_sockopt_set_int(struct sock *sk, int optname, int val,
				sockptr_t optval, unsigned int optlen)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);

	switch (optname) {
	case TCP_MAXSEG:
		/* Bounded by the device only once the route is known. */
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW))
			return -EINVAL;
		xs->user_mss = val;
		return 0;
	case TCP_NODELAY:
		xtcp_sockopt_nodelay(sk, val);
		return 0;
	case TCP_CORK:
		xtcp_sockopt_cork(sk, val);
		return 0;
	case TCP_KEEPIDLE:
		return xtcp_sockopt_keepidle(sk, val);
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			return -EINVAL;
		WRITE_ONCE(xs->keepalive_intvl, val * HZ);
		return 0;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			return -EINVAL;
		WRITE_ONCE(xs->keepalive_probes, val);
		return 0;
	case TCP_SYNCNT:
		if (val < 1 || val > MAX_TCP_SYNCNT)
			return -EINVAL;
		WRITE_ONCE(icsk->icsk_syn_retries, val);
		return 0;
	case TCP_LINGER2:
		if (val < 0)
			WRITE_ONCE(xs->linger2, -1);
		else
			WRITE_ONCE(xs->linger2, min_t(int, val, TCP_FIN_TIMEOUT_MAX / HZ) * HZ);
		return 0;
	case TCP_DEFER_ACCEPT:
		WRITE_ONCE(icsk->icsk_accept_queue.rskq_defer_accept,
			   xtcp_secs_to_retrans(val));
		return 0;
	case TCP_WINDOW_CLAMP:
		return xtcp_sockopt_window_clamp(sk, val);
	case TCP_QUICKACK:
		xtcp_sockopt_quickack(sk, val);
		return 0;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			return -EINVAL;
		WRITE_ONCE(icsk->icsk_user_timeout, val);
		return 0;
	case TCP_THIN_LINEAR_TIMEOUTS:
		if (val < 0 || val > 1)
			return -EINVAL;
		xs->thin_lto = val;
		return 0;
	case TCP_THIN_DUPACK:
		return val < 0 || val > 1 ? -EINVAL : 0;
	case TCP_SAVE_SYN:
		if (val < 0 || val > 2)
			return -EINVAL;
		xs->save_syn = val;
		return 0;
	case TCP_NOTSENT_LOWAT:
		WRITE_ONCE(xs->notsent_lowat, val);
		sk->sk_write_space(sk);
		return 0;
	case TCP_INQ:
		if (val < 0 || val > 1)
			return -EINVAL;
		xs->recvmsg_inq = val;
		return 0;
	case TCP_TX_DELAY:
		WRITE_ONCE(xs->tx_delay, val);
		return 0;
	case TCP_REPAIR:
		if (!ns_capable(net->user_ns, CAP_NET_ADMIN) ||
		    sk->sk_state == TCP_LISTEN)
			return -EPERM;
		/* Repair mode is never on; turning it off drops the reuse
		 * setting all the same, as in Linux.
		 */
		if (val == TCP_REPAIR_OFF || val == TCP_REPAIR_OFF_NO_WP) {
			sk->sk_reuse = SK_NO_REUSE;
			return 0;
		}
		return val == TCP_REPAIR_ON ? -EPERM : -EINVAL;
	case TCP_REPAIR_QUEUE:
		return -EPERM;
	case TCP_QUEUE_SEQ:
		/* Without repair mode there is no queue to set. */
		return sk->sk_state != TCP_CLOSE ? -EPERM : -EINVAL;
	case TCP_REPAIR_OPTIONS:
		return -EINVAL;
	case TCP_REPAIR_WINDOW:
	case TCP_TIMESTAMP:
		return -EPERM;
#ifdef CONFIG_TCP_MD5SIG
	case TCP_MD5SIG:
	case TCP_MD5SIG_EXT:
		return xtcp_sockopt_md5(optval, optlen);
#endif
	case TCP_FASTOPEN:
		if (val < 0 || !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			return -EINVAL;
		WRITE_ONCE(icsk->icsk_accept_queue.fastopenq.max_qlen,
			   min_t(unsigned int, val, READ_ONCE(net->core.sysctl_somaxconn)));
		return 0;
	case TCP_FASTOPEN_CONNECT:
		if (val < 0 || val > 1)
			return -EINVAL;
		if (!(READ_ONCE(net->ipv4.sysctl_tcp_fastopen) & TFO_CLIENT_ENABLE))
			return -EOPNOTSUPP;
		if (sk->sk_state != TCP_CLOSE)
			return -EINVAL;
		/* No Fast Open: refused as if the sysctl disabled it. */
		return val ? -EOPNOTSUPP : 0;
	case TCP_FASTOPEN_NO_COOKIE:
		if (val < 0 || val > 1 ||
		    !((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			return -EINVAL;
		xs->fastopen_no_cookie = val;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * xtcp_sockopt_set() - setsockopt(SOL_TCP) on an xtcp socket
 * @sk: socket
 * @optname: TCP_* option
 * @optval: the value, in user or kernel memory
 * @optlen: its length
 *
 * Return: 0 or a negative errno, as do_tcp_setsockopt() would give.
 */
int xtcp_sockopt_set(struct sock *sk, int optname, sockptr_t optval,
		     unsigned int optlen)
{
	int val, err;

	/* The options whose value is not an int. */
	switch (optname) {
	case TCP_CONGESTION:
		return xtcp_sockopt_congestion(sk, optval, optlen);
	case TCP_ULP:
		return xtcp_sockopt_ulp(optval, optlen);
	case TCP_FASTOPEN_KEY:
		if (optlen != TCP_FASTOPEN_KEY_LENGTH &&
		    optlen != TCP_FASTOPEN_KEY_BUF_LENGTH)
			return -EINVAL;
		return -ENOPROTOOPT;
	}

	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;
	lock_sock(sk);
	err = xtcp_sockopt_set_int(sk, optname, val, optval, optlen);
	release_sock(sk);
	return err;
}

/* The unacknowledged segments, and those of them sent more than once. */
static void xtcp_sockopt_count_flight(struct sock *sk, u32 *unacked,
				      u32 *retrans)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	*unacked = 0;
	*retrans = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (!xtcp_seq_before(XTCP_SKB_CB(skb)->seq, xs->snd_nxt))
			break;
		(*unacked)++;
		if (XTCP_SKB_CB(skb)->retransmitted)
			(*retrans)++;
	}
}

/*
 * struct tcp_info as tcp_get_info() fills it, from what xtcp keeps; what it
 * does not count (bytes, segments, delivery rate, chrono stats...) stays 0.
 */
static void xtcp_sockopt_info(struct sock *sk, struct tcp_info *info)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long rate;
	u32 now = tcp_jiffies32;
	bool slow;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = inet_sk_state_load(sk);
	rate = READ_ONCE(sk->sk_pacing_rate);
	info->tcpi_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	rate = READ_ONCE(sk->sk_max_pacing_rate);
	info->tcpi_max_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	info->tcpi_reordering = xs->reordering;
	info->tcpi_reord_seen = xs->reord_seen;
	info->tcpi_snd_cwnd = xs->cwnd;
	if (info->tcpi_state == TCP_LISTEN)
		return;

	slow = lock_sock_fast(sk);
	info->tcpi_ca_state = xs->in_recovery ? TCP_CA_Recovery :
			      xs->retransmits || xs->in_loss ? TCP_CA_Loss :
			      TCP_CA_Open;
	info->tcpi_retransmits = icsk->icsk_retransmits;
	info->tcpi_probes = icsk->icsk_probes_out;
	info->tcpi_backoff = icsk->icsk_retransmits;
	if (xs->tstamp_ok)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (xs->sack_ok)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (xs->wscale_ok) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = xs->snd_wscale;
		info->tcpi_rcv_wscale = xs->rcv_wscale;
	}
	info->tcpi_rto = jiffies_to_usecs(xs->rto);
	info->tcpi_snd_mss = xs->mss_cache;
	info->tcpi_advmss = xs->adv_mss;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT))) {
		/* Linux counts the timestamp option out of advmss once agreed. */
		if (xs->tstamp_ok)
			info->tcpi_advmss -= TCPOLEN_TSTAMP_ALIGNED;
		info->tcpi_ato = jiffies_to_usecs(XTCP_DELACK_MIN);
		/* The first estimate tcp_initialize_rcv_mss() makes. */
		info->tcpi_rcv_mss = min3(info->tcpi_advmss, xs->mss_cache,
					  (u32)XTCP_DEFAULT_MSS);
		info->tcpi_last_ack_recv = jiffies_to_msecs(now - xs->rcv_tstamp);
		info->tcpi_rcv_space = xs->rcvq_space ?:
				       min(xs->rcv_wnd,
					   (u32)XTCP_INIT_CWND * xs->adv_mss);
		info->tcpi_rcv_rtt = xs->rcv_rtt_us8 >> 3;
		info->tcpi_rcv_ssthresh = xs->rcv_wnd;
	}
	xtcp_sockopt_count_flight(sk, &info->tcpi_unacked, &info->tcpi_retrans);
	info->tcpi_pmtu = icsk->icsk_pmtu_cookie;
	info->tcpi_rtt = xs->srtt_us;
	info->tcpi_rttvar = xs->rttvar_us;
	info->tcpi_snd_ssthresh = min_t(u32, xs->ssthresh, TCP_INFINITE_SSTHRESH);
	info->tcpi_notsent_bytes = max_t(int, 0, xs->write_seq - xs->snd_nxt);
	info->tcpi_min_rtt = xs->min_rtt_us ?: ~0U;
	if (xs->sack_ok) {
		info->tcpi_sacked = xtcp_packets(xs, xs->sacked_out);
		info->tcpi_lost = xtcp_packets(xs, xs->lost_out);
	}
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_dsack_dups = xs->dsack_dups;
	info->tcpi_snd_wnd = xs->snd_wnd;
	unlock_sock_fast(sk, slow);
}

/* Copy @len bytes of a reply whose length is given back first. */
static int xtcp_sockopt_reply(char __user *optval, int __user *optlen,
			      const void *data, int len)
{
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, data, len))
		return -EFAULT;
	return 0;
}

/* TCP_INFO, TCP_CONGESTION, ...: @len is the caller's full length. */
static int xtcp_sockopt_get_buf(struct sock *sk, int optname, int len,
				char __user *optval, int __user *optlen)
{
	char name[TCP_CA_NAME_MAX] = {};
	struct tcp_info info;

	switch (optname) {
	case TCP_INFO:
		xtcp_sockopt_info(sk, &info);
		return xtcp_sockopt_reply(optval, optlen, &info,
					  min_t(unsigned int, len, sizeof(info)));
	case TCP_CONGESTION:
		strscpy(name, READ_ONCE(xtcp_sk(sk)->cong_ops)->name, sizeof(name));
		return xtcp_sockopt_reply(optval, optlen, name,
					  min_t(unsigned int, len, sizeof(name)));
	case TCP_CC_INFO:	/* neither Reno nor CUBIC has a get_info */
	case TCP_ULP:		/* none attached */
	case TCP_SAVED_SYN:	/* none saved */
		return put_user(0, optlen) ? -EFAULT : 0;
	case TCP_REPAIR_WINDOW:
		if (len != sizeof(struct tcp_repair_window))
			return -EINVAL;
		return -EPERM;
	default:
		return -ENOPROTOOPT;
	}
}

/**
 * xtcp_sockopt_get() - getsockopt(SOL_TCP) on an xtcp socket
 * @sk: socket
 * @optname: TCP_* option
 * @optval: user buffer
 * @optlen: user length, in and out
 *
 * Return: 0 or a negative errno, as do_tcp_getsockopt() would give.
 */
int xtcp_sockopt_get(struct sock *sk, int optname, char __user *optval,
		     int __user *optlen)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	int val, len;

	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case TCP_MAXSEG:
		val = xs->mss_cache;
		if (xs->user_mss &&
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			val = xs->user_mss;
		break;
	case TCP_NODELAY:
		val = !!(xs->nonagle & TCP_NAGLE_OFF);
		break;
	case TCP_CORK:
		val = !!(xs->nonagle & TCP_NAGLE_CORK);
		break;
	case TCP_KEEPIDLE:
		val = xtcp_keepalive_time(sk) / HZ;
		break;
	case TCP_KEEPINTVL:
		val = xtcp_keepalive_intvl(sk) / HZ;
		break;
	case TCP_KEEPCNT:
		val = xtcp_keepalive_probes(sk);
		break;
	case TCP_SYNCNT:
		val = READ_ONCE(icsk->icsk_syn_retries) ? :
		      READ_ONCE(net->ipv4.sysctl_tcp_syn_retries);
		break;
	case TCP_LINGER2:
		val = READ_ONCE(xs->linger2);
		if (val >= 0)
			val = (val ? : READ_ONCE(net->ipv4.sysctl_tcp_fin_timeout)) / HZ;
		break;
	case TCP_DEFER_ACCEPT:
		val = xtcp_retrans_to_secs(READ_ONCE(icsk->icsk_accept_queue.rskq_defer_accept));
		break;
	case TCP_WINDOW_CLAMP:
		val = xs->window_clamp;
		break;
	case TCP_QUICKACK:
		val = !inet_csk_in_pingpong_mode(sk);
		break;
	case TCP_USER_TIMEOUT:
		val = READ_ONCE(icsk->icsk_user_timeout);
		break;
	case TCP_THIN_LINEAR_TIMEOUTS:
		val = xs->thin_lto;
		break;
	case TCP_THIN_DUPACK:
	case TCP_REPAIR:
	case TCP_FASTOPEN_CONNECT:
		val = 0;
		break;
	case TCP_REPAIR_QUEUE:
	case TCP_QUEUE_SEQ:
		return -EINVAL;
	case TCP_FASTOPEN:
		val = READ_ONCE(icsk->icsk_accept_queue.fastopenq.max_qlen);
		break;
	case TCP_FASTOPEN_NO_COOKIE:
		val = xs->fastopen_no_cookie;
		break;
	case TCP_TX_DELAY:
		val = READ_ONCE(xs->tx_delay);
		break;
	case TCP_TIMESTAMP:
		val = xtcp_output_tsval(sk);
		break;
	case TCP_NOTSENT_LOWAT:
		val = READ_ONCE(xs->notsent_lowat);
		break;
	case TCP_INQ:
		val = xs->recvmsg_inq;
		break;
	case TCP_SAVE_SYN:
		val = xs->save_syn;
		break;
	default:
		return xtcp_sockopt_get_buf(sk, optname, len, optval, optlen);
	}

	len = min_t(unsigned int, len, sizeof(int));
	return xtcp_sockopt_reply(optval, optlen, &val, len);
}
