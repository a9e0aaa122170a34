// SPDX-License-Identifier: GPL-2.0
/*
 * Active open.
 *
 * connect(2) -> __sys_connect() -> proto_ops.connect = xtcp_connect_stream()
 * (socket states: EISCONN, EALREADY, EINPROGRESS, waiting, signals) ->
 * proto.connect = xtcp_connect_v4() (address checks, route through xtcp's
 * route cache, source address and port, ISN, SYN_SENT, SYN). The SYN-ACK is
 * taken by xtcp_input.c, which wakes the task waiting here.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <linux/random.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/secure_seq.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_connect.h"
#include "xtcp_ehash.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_route.h"
#include "xtcp_sack.h"
#include "xtcp_sock.h"
#include "xtcp_timer.h"
#include "xtcp_trace.h"

/* The flow key tcp_v4_connect() builds with ip_route_connect(). */
static void xtcp_connect_key(const struct sock *sk, __be32 daddr, __be32 saddr,
			     __be16 dport, __be16 sport,
			     struct xtcp_route_key *key)
{
	memset(key, 0, sizeof(*key));
	key->daddr = daddr;
	key->saddr = saddr;
	key->dport = dport;
	key->sport = sport;
	key->mark = sk->sk_mark;
	key->oif = sk->sk_bound_dev_if;
	key->uid = sk->sk_uid;
	key->tos = RT_CONN_FLAGS(sk);
	key->scope = ip_sock_rt_scope(sk);
	key->proto = IPPROTO_TCP;
}

static struct rtable *xtcp_connect_lookup(struct sock *sk,
					  const struct xtcp_route_key *key,
					  struct flowi4 *fl4)
{
	struct xtcp_route_cache *routes = xtcp_net_routes(sock_net(sk));
	bool hit = false;
	struct rtable *rt;
	u32 pmtu;

	rt = xtcp_route_lookup(routes, key, fl4, &pmtu, &hit);
	trace_xtcp_route_lookup(key->daddr, IS_ERR(rt) ? 0 : fl4->saddr, hit,
				IS_ERR(rt) ? PTR_ERR(rt) : 0);
	if (!IS_ERR(rt))
		inet_csk(sk)->icsk_pmtu_cookie = pmtu;
	return rt;
}

/**
 * xtcp_connect_route_sk() - the route of a connected socket, looked up again
 * @sk: socket with both addresses and ports set
 *
 * Used when the socket's cached dst went stale (route change, link down).
 *
 * Return: a route the caller owns, or an ERR_PTR.
 */
struct rtable *xtcp_connect_route_sk(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct xtcp_route_key key;
	struct flowi4 fl4;

	xtcp_connect_key(sk, inet->inet_daddr, inet->inet_saddr,
			 inet->inet_dport, inet->inet_sport, &key);
	return xtcp_connect_lookup(sk, &key, &fl4);
}

/**
 * xtcp_connect_rules_use_ports() - whether policy routing may look at ports
 * @net: namespace
 *
 * Then the ports are part of a route lookup, and a connect's lookup must be
 * made again once the source port is known.
 *
 * Return: true with custom FIB rules.
 */
bool xtcp_connect_rules_use_ports(const struct net *net)
{
#ifdef CONFIG_IP_MULTIPLE_TABLES
	return net->ipv4.fib_has_custom_rules;
#else
	return false;
#endif
}

/* Options we offer in the SYN follow native TCP's sysctls. */
static void xtcp_connect_init(struct sock *sk, struct rtable *rt)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	u32 advmss = dst_metric_advmss(&rt->dst);

	if (xs->user_mss && xs->user_mss < advmss)
		advmss = xs->user_mss;
	xs->adv_mss = advmss;
	xs->wscale_ok = !!READ_ONCE(net->ipv4.sysctl_tcp_window_scaling);
	xs->sack_ok = !!READ_ONCE(net->ipv4.sysctl_tcp_sack);
	xs->tstamp_ok = !!READ_ONCE(net->ipv4.sysctl_tcp_timestamps);
	xs->syn_retries = READ_ONCE(inet_csk(sk)->icsk_syn_retries) ? :
			  READ_ONCE(net->ipv4.sysctl_tcp_syn_retries);
	xtcp_output_init_window(sk);
	xs->rcv_wup = 0;
	xs->rcv_nxt = 0;
	xs->snd_una = xs->iss;
	xs->snd_nxt = xs->iss;
	xs->snd_max = xs->iss;
	xs->write_seq = xs->iss;
	xs->snd_sml = xs->iss;
	xs->snd_wnd = 0;
	xs->max_window = 0;
	xs->rto = XTCP_RTO_INIT;
	xs->srtt_us = 0;
	xs->rttvar_us = 0;
	xs->cwnd = XTCP_INIT_CWND;
	xs->ssthresh = U32_MAX;
	xs->cwnd_cnt = 0;
	xs->dupacks = 0;
	xs->in_recovery = 0;
	xs->undo_armed = 0;
	xs->total_retrans = 0;
	xs->dsack_dups = 0;
	xtcp_sack_init(sk);
	xs->recover = 0;
	xs->snd_wl1 = 0;
	xs->snd_wl2 = 0;
	xs->quickack = 0;
	xs->ack_pending = 0;
	xs->unacked_segs = 0;
	WRITE_ONCE(sk->sk_err_soft, 0);
	xs->ts_recent = 0;
	xs->mss_cache = XTCP_DEFAULT_MSS;
	inet_csk(sk)->icsk_retransmits = 0;
}

/**
 * xtcp_connect_v4() - what tcp_v4_connect() does, for xtcp
 * @sk: socket in TCP_CLOSE, locked
 * @uaddr: destination
 * @addr_len: its length
 *
 * Return: 0 with the SYN sent and the socket in SYN_SENT, or -EINVAL,
 * -EAFNOSUPPORT, -ENETUNREACH (no route, broadcast or multicast),
 * -EADDRNOTAVAIL (no free port), -ENOBUFS... as native TCP returns them.
 */
int xtcp_connect_v4(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	union tcp_seq_and_ts_off st;
	struct xtcp_route_key key;
	struct flowi4 fl4;
	struct rtable *rt;
	__be32 daddr;
	int err;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	daddr = usin->sin_addr.s_addr;
	xtcp_connect_key(sk, daddr, inet->inet_saddr, usin->sin_port,
			 inet->inet_sport, &key);
	rt = xtcp_connect_lookup(sk, &key, &fl4);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		if (err == -ENETUNREACH)
			IP_INC_STATS(sock_net(sk), IPSTATS_MIB_OUTNOROUTES);
		return err;
	}
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}

	if (!inet->inet_saddr)
		inet->inet_saddr = fl4.saddr;
	sk_rcv_saddr_set(sk, inet->inet_saddr);
	inet->inet_dport = usin->sin_port;
	sk_daddr_set(sk, fl4.daddr);
	inet_csk(sk)->icsk_ext_hdr_len = 0;

	if (!inet->inet_num) {
		err = xtcp_port_connect(sk, inet->inet_saddr, sk->sk_daddr,
					inet->inet_dport);
		if (err)
			goto failure;
	}
	trace_xtcp_connect_source(sk);

	/* Policy routing may look at ports: ask again with the real ones. */
	if (xtcp_connect_rules_use_ports(sock_net(sk))) {
		ip_rt_put(rt);
		xtcp_connect_key(sk, sk->sk_daddr, inet->inet_saddr,
				 inet->inet_dport, inet->inet_sport, &key);
		rt = xtcp_connect_lookup(sk, &key, &fl4);
		if (IS_ERR(rt)) {
			err = PTR_ERR(rt);
			rt = NULL;
			goto failure;
		}
	}
	sk_setup_caps(sk, &rt->dst);	/* the socket keeps our reference */
	rt = NULL;

	/* RFC 6528: keyed hash of the 4-tuple plus a clock, as native TCP. */
	st = secure_tcp_seq_and_ts_off(sock_net(sk), inet->inet_saddr,
				       inet->inet_daddr, inet->inet_sport,
				       inet->inet_dport);
	xs->iss = st.seq;
	xs->ts_off = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_timestamps) == 1 ?
		     st.ts_off : 0;
	atomic_set(&inet->inet_id, get_random_u16());
	trace_xtcp_isn(sk, xs->iss);

	xtcp_connect_init(sk, (struct rtable *)__sk_dst_get(sk));
	xtcp_sock_set_state(sk, TCP_SYN_SENT);
	err = sk->sk_prot->hash(sk);
	if (err)
		goto failure;
	err = xtcp_output_send_syn(sk);
	if (err)
		goto failure;
	return 0;

failure:
	/* As tcp_v4_connect(): back to a closed, reusable socket; the port
	 * goes too unless bind() chose it.
	 */
	xtcp_sock_set_state(sk, TCP_CLOSE);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_port_release(sk);
	if (rt)
		ip_rt_put(rt);
	__sk_dst_reset(sk);
	sk->sk_route_caps = 0;
	inet->inet_dport = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		sk_rcv_saddr_set(sk, 0);
	}
	return err;
}

/* inet_wait_for_connect(): sleep until the handshake ends or time is up. */
static long xtcp_wait_for_connect(struct sock *sk, long timeo, int writebias)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	sk->sk_write_pending += writebias;
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	sk->sk_write_pending -= writebias;
	return timeo;
}

/* __inet_stream_connect(), the socket-state half of connect(2). */
static int __xtcp_connect_stream(struct socket *sock, struct sockaddr *uaddr,
				 int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC) {
		err = sk->sk_prot->disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		return err;
	}

	switch (sock->state) {
	default:
		return -EINVAL;
	case SS_CONNECTED:
		return -EISCONN;
	case SS_CONNECTING:
		/* A blocking caller still waits for the outcome below. */
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		if (sk->sk_state != TCP_CLOSE)
			return -EISCONN;
		err = sk->sk_prot->connect(sk, uaddr, addr_len);
		if (err < 0)
			return err;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		/* Error code is set above */
		if (!timeo || !xtcp_wait_for_connect(sk, timeo, 0))
			return err;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			return err;
	}

	/* Connection was closed by RST, timeout, ICMP error or another
	 * process disconnecting the socket.
	 */
	if (sk->sk_state == TCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		if (sk->sk_prot->disconnect(sk, flags))
			sock->state = SS_DISCONNECTING;
		return err;
	}
	sock->state = SS_CONNECTED;
	return 0;
}

/**
 * xtcp_connect_stream() - proto_ops.connect of xtcp sockets
 * @sock: the socket
 * @uaddr: destination, or AF_UNSPEC to disconnect
 * @addr_len: length of @uaddr
 * @flags: file flags (O_NONBLOCK)
 *
 * Return: 0 once connected; -EINPROGRESS (non-blocking), -EALREADY,
 * -EISCONN, -EINTR/-ERESTARTSYS on a signal, -ETIMEDOUT, -ECONNREFUSED...
 * with native TCP's semantics.
 */
int xtcp_connect_stream(struct socket *sock, struct sockaddr *uaddr,
			int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	int state, err;

	lock_sock(sk);
	state = sock->state;
	err = __xtcp_connect_stream(sock, uaddr, addr_len, flags);
	trace_xtcp_stream_connect(sk, state, flags, err);
	release_sock(sk);
	return err;
}
