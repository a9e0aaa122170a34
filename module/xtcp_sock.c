// SPDX-License-Identifier: GPL-2.0
/*
 * The xtcp socket: creation, the socket calls, and the life cycle.
 *
 * Every socket call answers as native TCP does for a socket in the same
 * state, so a program sees the same errno from xtcp as from TCP.
 *
 * References: the socket starts with the one its struct socket owns. The
 * connection table holds one while the 4-tuple is in use (SYN_SENT until
 * CLOSE), each pending timer one. close() turns the first into the orphan's
 * own reference, which xtcp_sock_destroy() drops once the connection is
 * CLOSED.
 */
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sockios.h>
#include <linux/termios.h>
#include <linux/tcp.h>
#include <net/icmp.h>
#include <net/inet_common.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "xtcp_buf.h"
#include "xtcp_cong.h"
#include "xtcp_connect.h"
#include "xtcp_ehash.h"
#include "xtcp_input.h"
#include "xtcp_listen.h"
#include "xtcp_mem.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_reqsk.h"
#include "xtcp_route.h"
#include "xtcp_sack.h"
#include "xtcp_sock.h"
#include "xtcp_sockopt.h"
#include "xtcp_timer.h"
#include "xtcp_trace.h"
#include "xtcp_tsq.h"
#include "xtcp_tw.h"

/* RFC 791 minimum MTU, the floor tcp_mtu_to_mss() applies as well. */
#define XTCP_MIN_SND_MSS	48

/**
 * xtcp_sock_mtu_to_mss() - sending MSS for a path MTU, as native TCP derives it
 * @pmtu: path MTU in bytes
 * @ext_hdr_len: IP options length on this socket
 * @user_mss: clamp (TCP_MAXSEG or the peer's MSS), 0 if none
 * @min_mss: floor (net.ipv4.tcp_min_snd_mss)
 *
 * Return: the MSS; never below @min_mss.
 */
u32 xtcp_sock_mtu_to_mss(u32 pmtu, u32 ext_hdr_len, u32 user_mss, u32 min_mss)
{
	s64 mss = (s64)pmtu - sizeof(struct iphdr) - sizeof(struct tcphdr);

	if (user_mss && mss > user_mss)
		mss = user_mss;
	mss -= ext_hdr_len;
	return max_t(s64, mss, min_mss);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_sock_mtu_to_mss);

/* icsk_sync_mss: ip_setsockopt(IP_OPTIONS) calls it on every ICSK socket. */
static unsigned int xtcp_sync_mss(struct sock *sk, u32 pmtu)
{
	if (pmtu)
		inet_csk(sk)->icsk_pmtu_cookie = pmtu;
	xtcp_output_sync_mss(sk);
	return xtcp_sk(sk)->mss_cache;
}

/* sk_stream_write_space(), which the kernel does not export. */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sk_stream_is_writeable(sk) || !sock)
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
					   EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/**
 * xtcp_sock_orphan_retries() - retransmissions an orphan gets before it
 *	gives up (tcp_orphan_retries, 0 meaning 8 as in Linux)
 * @sk: orphaned socket
 *
 * Return: the count.
 */
unsigned int xtcp_sock_orphan_retries(const struct sock *sk)
{
	int retries = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_orphan_retries);

	return retries ? : 8;
}

/**
 * xtcp_sock_fin_timeout() - how long an orphan waits in FIN_WAIT2
 * @sk: socket
 *
 * Return: jiffies (net.ipv4.tcp_fin_timeout).
 */
unsigned long xtcp_sock_fin_timeout(const struct sock *sk)
{
	return READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_fin_timeout);
}

static int xtcp_init_sock(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);

	INIT_HLIST_NODE(&xs->table_node);
	xtcp_ofo_init(&xs->ofo);
	xtcp_timer_init(sk);
	xs->mss_cache = XTCP_DEFAULT_MSS;
	xs->rto = XTCP_RTO_INIT;
	xs->cwnd = XTCP_INIT_CWND;
	xs->ssthresh = U32_MAX;
	xtcp_cong_assign(sk);
	xtcp_sack_init(sk);
	inet_csk(sk)->icsk_sync_mss = xtcp_sync_mss;
	sk->sk_state = TCP_CLOSE;
	sk->sk_write_space = xtcp_write_space;
	/* sk_setup_caps() offers GSO (and so SG) for this kind of segment. */
	sk->sk_gso_type = SKB_GSO_TCPV4;
	/* sock_wfree() must not call it for every transmitted clone. */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	sk->sk_sndbuf = READ_ONCE(net->ipv4.sysctl_tcp_wmem[1]);
	sk->sk_rcvbuf = READ_ONCE(net->ipv4.sysctl_tcp_rmem[1]);
	xtcp_pernet_sock_add(sk);
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	sk_sockets_allocated_inc(sk);
	return 0;
}

static void xtcp_purge_write_queue(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue))) {
		xtcp_mem_wqueue_add(sk, -skb->truesize);
		kfree_skb(skb);
	}
	xtcp_sk(sk)->send_head = NULL;
}

static void xtcp_purge_queues(struct sock *sk)
{
	xtcp_purge_write_queue(sk);
	xtcp_ofo_purge(&xtcp_sk(sk)->ofo);
	skb_queue_purge(&sk->sk_receive_queue);
}

/* proto.destroy: runs once, when the socket is about to be freed. */
static void xtcp_destroy_sock(struct sock *sk)
{
	xtcp_timer_clear_all(sk);
	xtcp_purge_queues(sk);
	xtcp_port_release(sk);
	if (xtcp_pernet_sock_del(sk))
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	/* Counted by xtcp_init_sock() or, for a child, sk_clone_lock(). */
	sk_sockets_allocated_dec(sk);
}

/* proto.hash/unhash: the connection table (by 4-tuple). */
static int xtcp_hash(struct sock *sk)
{
	return xtcp_ehash_insert(xtcp_net_ehash(sock_net(sk)), sk);
}

static void xtcp_unhash(struct sock *sk)
{
	if (sk->sk_state == TCP_LISTEN)
		xtcp_listen_unhash(sk);
	else if (sk_hashed(sk))
		xtcp_ehash_remove(xtcp_net_ehash(sock_net(sk)), sk);
}

/* The transition as the trace shows it: @from need not be sk_state. */
static void xtcp_sock_move(struct sock *sk, int from, int state)
{
	trace_xtcp_state_change(sk, from, state);
	if (state == TCP_CLOSE) {
		sk->sk_prot->unhash(sk);
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			xtcp_port_release(sk);
	}
	/* inet_sk_state_store(): lockless readers see the state last. */
	smp_store_release(&sk->sk_state, state);
}

/**
 * xtcp_sock_set_state() - move @sk to @state (RFC 9293 state machine)
 * @sk: socket, locked
 * @state: TCP_* state
 *
 * Leaving for CLOSE takes the socket out of the connection table and gives
 * back a port that bind() did not choose, as tcp_set_state() does.
 */
void xtcp_sock_set_state(struct sock *sk, int state)
{
	if (sk->sk_state != state)
		xtcp_sock_move(sk, sk->sk_state, state);
}

/**
 * xtcp_sock_established() - the handshake completed
 * @sk: socket leaving SYN_SENT or SYN_RECV
 */
void xtcp_sock_established(struct sock *sk)
{
	xtcp_sock_set_state(sk, TCP_ESTABLISHED);
	trace_xtcp_established(sk);
	xtcp_timer_keepalive_init(sk);
	xtcp_buf_init(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
	}
}

/* Free an orphan that reached CLOSE: the reference close() left behind. */
static void xtcp_sock_destroy(struct sock *sk)
{
	WARN_ON_ONCE(sk->sk_state != TCP_CLOSE);
	sk->sk_prot->destroy(sk);
	sk_stream_kill_queues(sk);
	sock_put(sk);
}

/* What follows CLOSE: wake the user, or free an orphan. */
static void xtcp_sock_finish(struct sock *sk)
{
	xtcp_timer_clear_all(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		xtcp_sock_destroy(sk);
}

/**
 * xtcp_sock_done() - the connection is over (tcp_done())
 * @sk: socket, locked
 *
 * A socket the user still has is woken and stays until close(); an orphan
 * is freed.
 */
void xtcp_sock_done(struct sock *sk)
{
	xtcp_sock_set_state(sk, TCP_CLOSE);
	xtcp_sock_finish(sk);
}

/**
 * xtcp_sock_time_wait() - our side closed first and the peer's FIN came
 * @sk: socket, locked, entering TIME_WAIT
 *
 * A small entry takes over 2 MSL (xtcp_tw.c) and the socket is done, as
 * tcp_time_wait() does; if no entry can be had, TIME_WAIT is skipped.
 */
void xtcp_sock_time_wait(struct sock *sk)
{
	int from = sk->sk_state;

	/*
	 * The socket itself never takes the TIME_WAIT state, as native full
	 * sockets never do: the receive path takes an entry in that state for
	 * a struct xtcp_tw, and a lookup on another CPU may still hold this
	 * socket while the entry replaces it. The trace shows both steps.
	 */
	trace_xtcp_state_change(sk, from, TCP_TIME_WAIT);
	xtcp_tw_enter(sk);
	xtcp_sock_move(sk, TCP_TIME_WAIT, TCP_CLOSE);
	xtcp_sock_finish(sk);
}

/**
 * xtcp_sock_forget() - drop a child nobody will accept (inet_child_forget())
 * @child: socket created by the passive open, bh-locked, never accepted
 *
 * It is reset on the wire if the peer knows it, then freed.
 */
void xtcp_sock_forget(struct sock *child)
{
	child->sk_prot->disconnect(child, O_NONBLOCK);
	sock_orphan(child);
	xtcp_sock_destroy(child);
}

/**
 * xtcp_sock_clone() - the socket a completed passive open creates
 * @lsk: the listener
 * @req: the request the handshake completed
 * @skb: the segment that completed it (the ACK of our SYN-ACK)
 *
 * The child starts as a copy of the listener (its options, buffers,
 * owner) with the request's addresses, sequence numbers and options, as
 * tcp_v4_syn_recv_sock() and tcp_create_openreq_child() make it.
 *
 * Return: the child in SYN_RECV, bh-locked, with two references (the
 * caller's and the one a user will own), not yet in the connection table;
 * or NULL.
 */
struct sock *xtcp_sock_clone(struct sock *lsk, struct request_sock *req,
			     struct sk_buff *skb)
{
	const struct xtcp_request_sock *xreq = xtcp_rsk(req);
	const struct inet_request_sock *ireq = inet_rsk(req);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = sock_net(lsk);
	struct inet_sock *inet;
	struct xtcp_sock *xs;
	struct rtable *rt;
	struct sock *sk;

	sk = inet_csk_clone_lock(lsk, req, GFP_ATOMIC);
	if (!sk)
		return NULL;
	xs = xtcp_sk(sk);
	inet = inet_sk(sk);
	/* What the copy took from the listener but must be the child's own. */
	INIT_HLIST_NODE(&xs->table_node);
	xtcp_ofo_init(&xs->ofo);
	xtcp_timer_init(sk);
	xs->tsq_flags = 0;
	xs->port = xtcp_port_get(xtcp_sk(lsk)->port);
	RCU_INIT_POINTER(inet->inet_opt, NULL);
	inet_csk(sk)->icsk_ext_hdr_len = 0;
	xtcp_pernet_sock_add(sk);
	sock_prot_inuse_add(net, sk->sk_prot, 1);

	sk_daddr_set(sk, ireq->ir_rmt_addr);
	sk_rcv_saddr_set(sk, ireq->ir_loc_addr);
	inet->inet_saddr = ireq->ir_loc_addr;
	inet->mc_index = inet_iif(skb);
	inet->mc_ttl = ip_hdr(skb)->ttl;
	inet->rcv_tos = ip_hdr(skb)->tos;
	atomic_set(&inet->inet_id, get_random_u16());

	xs->iss = xreq->snt_isn;
	xs->snd_una = xs->iss + 1;
	xs->snd_nxt = xs->snd_una;
	xs->snd_max = xs->snd_una;
	xs->write_seq = xs->snd_una;
	xs->irs = xreq->rcv_isn;
	xs->rcv_nxt = xs->irs + 1;
	xs->rcv_wup = xs->rcv_nxt;
	xs->copied_seq = xs->rcv_nxt;
	xs->rcv_wnd = xreq->rcv_wnd;
	xs->wscale_ok = ireq->wscale_ok;
	xs->snd_wscale = ireq->snd_wscale;
	xs->rcv_wscale = ireq->rcv_wscale;
	xs->sack_ok = ireq->sack_ok;
	xs->tstamp_ok = ireq->tstamp_ok;
	xs->ts_recent = req->ts_recent;
	xs->ts_recent_stamp = ktime_get_seconds();
	xs->ts_off = xreq->ts_off;
	xs->rx_mss = req->mss;
	xs->adv_mss = xreq->adv_mss;
	xs->snd_wnd = (u32)ntohs(th->window) << xs->snd_wscale;
	xs->max_window = xs->snd_wnd;
	xs->snd_wl1 = cb->seq;
	xs->snd_wl2 = ntohl(th->ack_seq);
	xs->srtt_us = 0;
	xs->rttvar_us = 0;
	xs->rto = XTCP_RTO_INIT;
	xs->retransmits = 0;
	xs->cwnd = XTCP_INIT_CWND;
	xs->ssthresh = U32_MAX;
	xs->dupacks = 0;
	xs->in_recovery = 0;
	xs->undo_armed = 0;
	xs->total_retrans = req->num_retrans;	/* SYN-ACKs resent */
	xs->dsack_dups = 0;
	xtcp_sack_init(sk);
	xs->send_head = NULL;
	xtcp_cong_openreq_child(sk);
	xtcp_cong_init(sk);
	xs->quickack = 1;
	xs->ack_pending = 0;
	xs->unacked_segs = 0;
	xs->synq_overflow = 0;
	xs->snd_sml = xs->snd_una;
	xs->push_seq = 0;
	xs->rcv_tstamp = tcp_jiffies32;
	xs->retrans_stamp = 0;
	/* Without a route now, transmission looks again (xtcp_output_route()). */
	rt = xtcp_connect_route_sk(sk);
	if (!IS_ERR(rt))
		sk_setup_caps(sk, &rt->dst);
	xtcp_output_sync_mss(sk);
	/* Karn: a SYN-ACK sent once times the round trip. */
	if (!req->num_retrans && xreq->snt_synack_us)
		xs->rto = xtcp_timer_rtt_sample(&xs->srtt_us, &xs->rttvar_us,
						tcp_clock_us() - xreq->snt_synack_us,
						xtcp_timer_rto_min_us(sk));
	return sk;
}

/**
 * xtcp_sock_reset() - the peer reset the connection (tcp_reset())
 * @sk: socket, locked
 *
 * The errno the user sees is native TCP's: ECONNREFUSED for a connect,
 * EPIPE after the peer's FIN, ECONNRESET otherwise.
 */
void xtcp_sock_reset(struct sock *sk)
{
	int err;

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		err = ECONNRESET;
	}
	WRITE_ONCE(sk->sk_err, err);
	/* sk_err before the state change: wakers read it after. */
	smp_wmb();
	/* As tcp_reset(): what arrived in order can still be read. */
	xtcp_purge_write_queue(sk);
	xtcp_ofo_purge(&xtcp_sk(sk)->ofo);
	xtcp_sock_done(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/**
 * xtcp_sock_icmp_error() - an ICMP error quoting one of our segments
 * @sk: socket, bh-locked
 * @type: ICMP type (destination unreachable or time exceeded)
 * @code: ICMP code
 * @seq: sequence number of the quoted segment
 * @mtu: next-hop MTU for "fragmentation needed"
 *
 * As tcp_v4_err(): an error during the handshake fails the connect at once;
 * later it is reported only with IP_RECVERR, and otherwise remembered as the
 * reason a timeout gives. A quoted sequence number outside what is in
 * flight is ignored: it cannot come from our segments (RFC 5927).
 */
void xtcp_sock_icmp_error(struct sock *sk, int type, int code, u32 seq, u32 mtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int err;

	if (!xtcp_seq_between(xs->snd_una, seq, xs->snd_max))
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		struct dst_entry *dst;

		if (!mtu || mtu >= inet_csk(sk)->icsk_pmtu_cookie)
			return;
		xtcp_route_learn_pmtu(xtcp_net_routes(sock_net(sk)),
				      sk->sk_daddr, mtu);
		/* Owned by the user: the next RTO finds the route's new MTU. */
		if (sock_owned_by_user(sk))
			return;
		/* As tcp_v4_mtu_reduced(): shrink, then resend at the new size. */
		dst = inet_csk_update_pmtu(sk, mtu);
		if (!dst)
			return;
		xtcp_sync_mss(sk, dst_mtu(dst));
		if (xtcp_flight(xs))
			xtcp_output_retransmit_head(sk);
		return;
	}
	if (type == ICMP_DEST_UNREACH) {
		if (code > NR_ICMP_UNREACH)
			return;
		err = icmp_err_convert[code].errno;
	} else {
		err = EHOSTUNREACH;
	}
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		if (!sock_owned_by_user(sk)) {
			WRITE_ONCE(sk->sk_err, err);
			sk_error_report(sk);
			xtcp_sock_done(sk);
		} else {
			WRITE_ONCE(sk->sk_err_soft, err);
		}
		return;
	}
	if (!sock_owned_by_user(sk) && inet_sk(sk)->recverr) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/* tcp_close_state(): where close() or shutdown(SHUT_WR) takes us, and
 * whether a FIN goes out.
 */
static bool xtcp_close_state(struct sock *sk)
{
	switch (sk->sk_state) {
	case TCP_ESTABLISHED:
	case TCP_SYN_RECV:
		xtcp_sock_set_state(sk, TCP_FIN_WAIT1);
		return true;
	case TCP_CLOSE_WAIT:
		xtcp_sock_set_state(sk, TCP_LAST_ACK);
		return true;
	case TCP_SYN_SENT:
		xtcp_sock_set_state(sk, TCP_CLOSE);
		return false;
	default:
		return false;
	}
}

static int xtcp_disconnect(struct sock *sk, int flags)
{
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	int old_state = sk->sk_state;

	if (old_state == TCP_LISTEN)
		xtcp_listen_stop(sk);
	else if (old_state != TCP_CLOSE)
		xtcp_sock_set_state(sk, TCP_CLOSE);
	/* tcp_need_reset(), and unsent data in CLOSING/LAST_ACK. */
	if ((1 << old_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2 | TCPF_SYN_RECV) ||
	    ((1 << old_state) & (TCPF_CLOSING | TCPF_LAST_ACK) &&
	     xs->snd_nxt != xs->write_seq)) {
		xtcp_output_send_reset(sk, gfp_any());
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	} else if (old_state == TCP_SYN_SENT) {
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	}
	xtcp_timer_clear_all(sk);
	xtcp_purge_queues(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
		xtcp_port_release(sk);
	inet->inet_dport = 0;
	sk->sk_daddr = 0;
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		inet->inet_saddr = 0;
		sk->sk_rcv_saddr = 0;
	}
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	xs->srtt_us = 0;
	xs->rttvar_us = 0;
	xs->rto = XTCP_RTO_INIT;
	xs->cwnd = XTCP_INIT_CWND;
	xs->ssthresh = U32_MAX;
	xs->snd_wnd = 0;
	xs->rcv_nxt = 0;
	xs->copied_seq = 0;
	inet_csk(sk)->icsk_retransmits = 0;
	inet_csk(sk)->icsk_probes_out = 0;
	__sk_dst_reset(sk);
	sk_error_report(sk);
	return 0;
}

static void xtcp_close(struct sock *sk, long timeout)
{
	struct sk_buff *skb;
	u32 unread = 0;
	int state;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == TCP_LISTEN) {
		xtcp_listen_stop(sk);
		goto adjudge;
	}
	if (sk->sk_state == TCP_CLOSE)
		goto adjudge;

	while ((skb = __skb_dequeue(&sk->sk_receive_queue))) {
		unread += skb->len;
		kfree_skb(skb);
	}
	if (unread) {
		/* RFC 2525 2.17: data the user never read: reset, not FIN. */
		xtcp_sock_set_state(sk, TCP_CLOSE);
		xtcp_output_send_reset(sk, sk->sk_allocation);
	} else if (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) {
		/* SO_LINGER with a zero timeout: abort (RST). */
		sk->sk_prot->disconnect(sk, 0);
	} else if (xtcp_close_state(sk)) {
		xtcp_output_send_fin(sk);
	}
	sk_stream_wait_close(sk, timeout);

adjudge:
	state = sk->sk_state;
	sock_hold(sk);
	sock_orphan(sk);
	release_sock(sk);	/* runs the backlog: the state may move on */

	local_bh_disable();
	bh_lock_sock(sk);
	if (state == TCP_CLOSE) {
		/* Nobody else will see it reach CLOSE: free it now. */
		xtcp_timer_clear_all(sk);
		xtcp_sock_destroy(sk);
	} else if (sk->sk_state == TCP_CLOSE) {
		/* Became CLOSE after the orphaning and was freed then. */
	} else if (sk->sk_state == TCP_FIN_WAIT2) {
		xtcp_timer_start_wait(sk, xtcp_sock_fin_timeout(sk));
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

static void xtcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_SYN_SENT |
				   TCPF_SYN_RECV | TCPF_CLOSE_WAIT)) {
		if (xtcp_close_state(sk))
			xtcp_output_send_fin(sk);
	}
}

/* Bytes the user can read now. */
static int xtcp_inq(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV))
		return 0;
	return xs->rcv_nxt - xs->copied_seq -
	       !!(sk->sk_shutdown & RCV_SHUTDOWN && sock_flag(sk, SOCK_DONE) &&
		  xs->rcv_nxt != xs->copied_seq);
}

static int xtcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = xtcp_inq(sk);
		release_sock(sk);
		break;
	case SIOCATMARK:
		answ = 0;	/* urgent data is not supported */
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) ?
		       0 : READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}

/* Native TCP answers options of every level but SOL_TCP through IP. */
static int xtcp_setsockopt(struct sock *sk, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	if (level != SOL_TCP)
		return ip_setsockopt(sk, level, optname, optval, optlen);
	return xtcp_sockopt_set(sk, optname, optval, optlen);
}

static int xtcp_getsockopt(struct sock *sk, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	return xtcp_sockopt_get(sk, optname, optval, optlen);
}

/* A segment sendmsg() queued but could not fill goes again (EFAULT). */
static void xtcp_remove_empty_skb(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (skb->len || XTCP_SKB_CB(skb)->flags & TCPHDR_FIN)
		return;
	if (xs->send_head == skb)
		xs->send_head = NULL;
	__skb_unlink(skb, &sk->sk_write_queue);
	xtcp_mem_wqueue_add(sk, -skb->truesize);
	kfree_skb(skb);
}

/*
 * Payload per queued segment, as tcp_xmit_size_goal(): with GSO as many whole
 * segments as the device takes in one (sk_gso_max_size, sk_gso_max_segs),
 * but no more than half the largest window the peer offered, so that a
 * small window still sees two segments in flight; without GSO the MSS,
 * within one linear buffer.
 */
static unsigned int xtcp_size_goal(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = max(xs->mss_cache, 1U);
	u32 goal;

	if (!sk_can_gso(sk))
		return min_t(u32, mss, XTCP_SKB_MAX_PAYLOAD);
	goal = sk->sk_gso_max_size;
	if (xs->max_window > XTCP_DEFAULT_MSS)
		goal = min(goal, xs->max_window / 2);
	goal = min(goal / mss, (u32)sk->sk_gso_max_segs) * mss;
	return max(goal, mss);
}

/* A new segment at the tail of the write queue, or NULL to wait for room. */
static struct sk_buff *xtcp_send_new_skb(struct sock *sk, unsigned int size)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	if (!sk_stream_memory_free(sk))
		return NULL;
	skb = xtcp_output_alloc_skb(sk, size, sk->sk_allocation);
	if (!skb)
		return NULL;
	/* With nothing queued no ACK would ever wake a waiting sender. */
	if (!xtcp_mem_new_skb(sk, skb,
			      skb_queue_empty(&sk->sk_write_queue))) {
		kfree_skb(skb);
		return NULL;
	}
	XTCP_SKB_CB(skb)->seq = xs->write_seq;
	XTCP_SKB_CB(skb)->end_seq = xs->write_seq;
	XTCP_SKB_CB(skb)->flags = TCPHDR_ACK;
	xtcp_output_queue_skb(sk, skb);
	return skb;
}

/* What sendmsg() or sendpage() returns when they stop early. */
static int xtcp_send_error(struct sock *sk, int flags, int copied, int err)
{
	if (copied) {
		xtcp_output_write_xmit(sk);
		return copied;
	}
	return sk_stream_error(sk, flags, err);
}

/*
 * Copy up to @copy bytes into page fragments of @skb (tcp_sendmsg_locked()'s
 * scatter-gather branch): the socket's page frag is filled and shared by
 * consecutive segments, adjacent bytes extend the last fragment. Returns the
 * bytes copied, 0 when @skb has no fragment slot left, or a negative errno.
 */
static int xtcp_sendmsg_frag(struct sock *sk, struct sk_buff *skb,
			     struct msghdr *msg, int copy)
{
	struct page_frag *pfrag = sk_page_frag(sk);
	int i = skb_shinfo(skb)->nr_frags;
	bool merge;
	int err;

	if (!sk_page_frag_refill(sk, pfrag))
		return -ENOMEM;
	merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
	if (!merge && i >= READ_ONCE(sysctl_max_skb_frags))
		return 0;
	copy = xtcp_mem_wmem_schedule(sk, min_t(int, copy,
						pfrag->size - pfrag->offset));
	if (!copy)
		return -ENOMEM;
	err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
				       pfrag->offset, copy);
	if (err)
		return err;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, copy);
		get_page(pfrag->page);
	}
	pfrag->offset += copy;
	return copy;
}

static int xtcp_sendmsg_locked(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags;
	size_t copied = 0;
	long timeo;
	int err;

	if (flags & MSG_FASTOPEN)
		return -EOPNOTSUPP;
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	sk_clear_bit(SOCKWQ_ASYNC_NOSPACE, sk);
	xtcp_cong_idle_check(sk);

	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		unsigned int goal = xtcp_size_goal(sk);
		bool sg = sk->sk_route_caps & NETIF_F_SG;
		int copy;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;
		/* Fill the last segment if it has not left yet. */
		/* The MSS may have grown since it was allocated: check room. */
		if (!skb || !xs->send_head || skb->len >= goal ||
		    (XTCP_SKB_CB(skb)->flags & TCPHDR_FIN) ||
		    (!skb_is_nonlinear(skb) && !skb_tailroom(skb) && !sg)) {
new_segment:
			/* With scatter-gather the payload goes in page frags. */
			skb = xtcp_send_new_skb(sk, sg ? 0 : goal);
			if (!skb)
				goto wait_for_space;
		}
		copy = min_t(size_t, goal - skb->len, msg_data_left(msg));
		if (!skb_is_nonlinear(skb) && skb_tailroom(skb)) {
			/* Linear room first: no device, or the head has space. */
			copy = min_t(int, copy, skb_tailroom(skb));
			err = skb_add_data_nocache(sk, skb, &msg->msg_iter, copy);
		} else if (sg) {
			copy = xtcp_sendmsg_frag(sk, skb, msg, copy);
			if (!copy)
				goto new_segment;	/* no fragment slot left */
			err = copy < 0 ? copy : 0;
		} else {
			goto new_segment;
		}
		if (err) {
			xtcp_remove_empty_skb(sk, skb);
			if (err == -ENOMEM)
				goto wait_for_space;
			goto out_err;
		}
		XTCP_SKB_CB(skb)->end_seq += copy;
		xs->write_seq += copy;
		copied += copy;
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		if (copied)
			xtcp_output_write_xmit(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto out_err;
	}
	xtcp_output_write_xmit(sk);
	return copied;

out_err:
	return xtcp_send_error(sk, flags, copied, err);
}

/*
 * Queue @size bytes of @page by reference (do_tcp_sendpages()): sendfile()
 * and splice() hand over page-cache pages, which become fragments of the
 * segments without a copy. Only with scatter-gather (the caller checks).
 */
static ssize_t xtcp_sendpage_locked(struct sock *sk, struct page *page,
				    int offset, size_t size, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	ssize_t copied = 0;
	long timeo;
	int err;

	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto out_err;
	}
	sk_clear_bit(SOCKWQ_ASYNC_NOSPACE, sk);

	while (size > 0) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		unsigned int goal = xtcp_size_goal(sk);
		bool merge;
		int copy, i;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto out_err;
		if (!skb || !xs->send_head || skb->len >= goal ||
		    (XTCP_SKB_CB(skb)->flags & TCPHDR_FIN)) {
new_segment:
			skb = xtcp_send_new_skb(sk, 0);
			if (!skb)
				goto wait_for_space;
		}
		copy = min_t(size_t, size, goal - skb->len);
		i = skb_shinfo(skb)->nr_frags;
		merge = skb_can_coalesce(skb, i, page, offset);
		if (!merge && i >= READ_ONCE(sysctl_max_skb_frags))
			goto new_segment;	/* a new one has all slots free */
		copy = xtcp_mem_wmem_schedule(sk, copy);
		if (!copy) {
			xtcp_remove_empty_skb(sk, skb);
			goto wait_for_space;
		}
		if (merge) {
			skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
		} else {
			get_page(page);
			skb_fill_page_desc_noacc(skb, i, page, offset, copy);
		}
		/* The page may change under us (a file being written). */
		if (!(flags & MSG_NO_SHARED_FRAGS))
			skb_shinfo(skb)->flags |= SKBFL_SHARED_FRAG;
		skb_len_add(skb, copy);
		xtcp_mem_wqueue_add(sk, copy);
		XTCP_SKB_CB(skb)->end_seq += copy;
		xs->write_seq += copy;
		copied += copy;
		offset += copy;
		size -= copy;
		/* A full segment goes at once; more pages follow. */
		if (skb->len >= goal)
			xtcp_output_write_xmit(sk);
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		if (copied)
			xtcp_output_write_xmit(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto out_err;
	}
	/* splice() marks every page but its last: send with that one. */
	if (!(flags & (MSG_MORE | MSG_SENDPAGE_NOTLAST)))
		xtcp_output_write_xmit(sk);
	return copied;

out_err:
	return xtcp_send_error(sk, flags, copied, err);
}

static ssize_t xtcp_sendpage(struct socket *sock, struct page *page,
			     int offset, size_t size, int flags)
{
	struct sock *sk = sock->sk;
	ssize_t ret;

	lock_sock(sk);
	if (!(sk->sk_route_caps & NETIF_F_SG)) {
		/* No device to read fragments: copy, as sendmsg() does. */
		release_sock(sk);
		return sock_no_sendpage(sock, page, offset, size, flags);
	}
	ret = xtcp_sendpage_locked(sk, page, offset, size, flags);
	release_sock(sk);
	return ret;
}

static int xtcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	int ret;

	lock_sock(sk);
	ret = xtcp_sendmsg_locked(sk, msg, size);
	release_sock(sk);
	return ret;
}

/* After the user read: open the window if it grew a lot (tcp_cleanup_rbuf). */
static void xtcp_cleanup_rbuf(struct sock *sk, int copied)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	s32 now_wnd;
	int free_space;

	if (copied <= 0 || !((1 << sk->sk_state) & (TCPF_ESTABLISHED |
						    TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	now_wnd = xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt;
	if (now_wnd < 0)
		now_wnd = 0;
	free_space = (READ_ONCE(sk->sk_rcvbuf) -
		      atomic_read(&sk->sk_rmem_alloc)) / 2;
	/*
	 * As tcp_cleanup_rbuf(): announce a window that at least doubled.
	 * A full segment's worth is enough, or a quarter of the buffer when
	 * it is smaller than one segment (loopback's MSS is 64 KiB).
	 */
	if (free_space >= 2 * now_wnd &&
	    free_space >= min_t(int, xs->adv_mss, READ_ONCE(sk->sk_rcvbuf) / 4))
		xtcp_output_send_ack(sk);
}

static int xtcp_recvmsg_locked(struct sock *sk, struct msghdr *msg, size_t len,
			       int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0;
	long timeo;
	int target;
	int err;

	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;
	if (flags & MSG_OOB)
		return -EINVAL;		/* no urgent data, as tcp_recv_urg() */
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	seq = &xs->copied_seq;
	if (flags & MSG_PEEK) {
		peek_seq = xs->copied_seq;
		seq = &peek_seq;
	}
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);

	do {
		struct sk_buff *skb, *last = NULL;
		u32 offset, used;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			last = skb;
			offset = *seq - XTCP_SKB_CB(skb)->seq;
			if (offset < skb->len)
				goto found;
		}

		if (copied >= target) {
			/* Enough: process what softirq queued meanwhile, then go. */
			if (!READ_ONCE(sk->sk_backlog.tail))
				break;
			__sk_flush_backlog(sk);
			continue;
		}
		if (copied) {
			if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		xtcp_cleanup_rbuf(sk, copied);
		sk_wait_data(sk, &timeo, last);
		continue;

found:
		used = min_t(size_t, skb->len - offset, len);
		if (!(flags & MSG_TRUNC)) {
			err = skb_copy_datagram_msg(skb, offset, msg, used);
			if (err) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
		}
		*seq += used;
		copied += used;
		len -= used;
		if (!(flags & MSG_PEEK) && used + offset >= skb->len) {
			__skb_unlink(skb, &sk->sk_receive_queue);
			consume_skb(skb);
		}
	} while (len > 0);

	if (copied > 0)
		xtcp_buf_rcv_space_adjust(sk);
	xtcp_cleanup_rbuf(sk, copied);
	return copied;
}

static int xtcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			int flags, int *addr_len)
{
	int ret;

	if (unlikely(flags & MSG_ERRQUEUE))
		return inet_recv_error(sk, msg, len, addr_len);
	lock_sock(sk);
	ret = xtcp_recvmsg_locked(sk, msg, len, flags);
	release_sock(sk);
	return ret;
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	/* Lookups walk chains under RCU, as native TCP's do. */
	.slab_flags	= SLAB_TYPESAFE_BY_RCU,
	.init		= xtcp_init_sock,
	.destroy	= xtcp_destroy_sock,
	.accept		= inet_csk_accept,
	.close		= xtcp_close,
	.connect	= xtcp_connect_v4,
	.disconnect	= xtcp_disconnect,
	.shutdown	= xtcp_shutdown,
	.ioctl		= xtcp_ioctl,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.keepalive	= xtcp_timer_set_keepalive,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.backlog_rcv	= xtcp_input_backlog_rcv,
	.release_cb	= xtcp_tsq_release_cb,
	.hash		= xtcp_hash,
	.unhash		= xtcp_unhash,
	/* bind() and connect() choose ports; nothing may bind behind our back. */
	.no_autobind	= true,
	.rsk_prot	= &xtcp_request_sock_ops,
	.twsk_prot	= &xtcp_timewait_sock_ops,
	/* One pool for all xtcp sockets, bounded by native TCP's settings. */
	.enter_memory_pressure	= xtcp_mem_enter_pressure,
	.leave_memory_pressure	= xtcp_mem_leave_pressure,
	.sockets_allocated	= &xtcp_sockets_allocated,
	.memory_allocated	= &xtcp_memory_allocated,
	.per_cpu_fw_alloc	= &xtcp_memory_per_cpu_fw_alloc,
	.memory_pressure	= &xtcp_memory_pressure,
	.sysctl_mem		= sysctl_tcp_mem,
	.sysctl_wmem_offset	= offsetof(struct net, ipv4.sysctl_tcp_wmem),
	.sysctl_rmem_offset	= offsetof(struct net, ipv4.sysctl_tcp_rmem),
};

/* __inet_bind() for xtcp: same checks, same errnos. */
static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	int chk_addr_ret, err;
	u32 tb_id = RT_TABLE_LOCAL;
	unsigned short snum;

	if (addr_len < (int)sizeof(struct sockaddr_in))
		return -EINVAL;
	/* AF_UNSPEC is tolerated for INADDR_ANY only, as native. */
	if (addr->sin_family != AF_INET &&
	    (addr->sin_family != AF_UNSPEC ||
	     addr->sin_addr.s_addr != htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;

	tb_id = l3mdev_fib_table_by_index(net, sk->sk_bound_dev_if) ? : tb_id;
	chk_addr_ret = inet_addr_type_table(net, addr->sin_addr.s_addr, tb_id);
	if (!inet_addr_valid_or_nonlocal(net, inet, addr->sin_addr.s_addr,
					 chk_addr_ret))
		return -EADDRNOTAVAIL;
	snum = ntohs(addr->sin_port);
	if (snum && inet_port_requires_bind_service(net, snum) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || inet->inet_num)
		goto out;
	err = xtcp_port_bind(sk, addr->sin_addr.s_addr, snum);
	if (err)
		goto out;
	inet->inet_rcv_saddr = addr->sin_addr.s_addr;
	inet->inet_saddr = addr->sin_addr.s_addr;
	if (chk_addr_ret == RTN_MULTICAST || chk_addr_ret == RTN_BROADCAST)
		inet->inet_saddr = 0;
	if (inet->inet_rcv_saddr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
out:
	release_sock(sk);
	return err;
}

/* inet_listen() */
static int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED)
		goto out;
	if (!((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;
	/* Listening again only changes the backlog, as native. */
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	err = 0;
	if (sk->sk_state != TCP_LISTEN)
		err = xtcp_listen_start(sk);
	trace_xtcp_listen(sk, backlog, err);
out:
	release_sock(sk);
	return err;
}

/* inet_accept() over inet_csk_accept(): the accept queue is the inet layer's. */
static int xtcp_accept(struct socket *sock, struct socket *newsock, int flags,
		       bool kern)
{
	int err = inet_accept(sock, newsock, flags, kern);

	if (!err)
		trace_xtcp_accept(sock->sk, newsock->sk, 0);
	return err;
}

/* tcp_poll() */
static __poll_t xtcp_poll(struct file *file, struct socket *sock,
			  poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return inet_csk_listen_poll(sk);
	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (!skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (shutdown & SEND_SHUTDOWN) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else if (sk_stream_is_writeable(sk)) {
			mask |= EPOLLOUT | EPOLLWRNORM;
		} else {
			sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			/* Race with the ACK that frees space (see tcp_poll()). */
			smp_mb__after_atomic();
			if (sk_stream_is_writeable(sk))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	smp_rmb();	/* check error state after the state, as tcp_poll() */
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

const struct proto_ops xtcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_connect_stream,
	.socketpair	= sock_no_socketpair,
	.accept		= xtcp_accept,
	.getname	= inet_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= xtcp_sendpage,
};
