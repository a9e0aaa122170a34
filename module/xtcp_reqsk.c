// SPDX-License-Identifier: GPL-2.0
/*
 * The passive open.
 *
 * A SYN to a listener becomes a request socket: a small object that holds
 * what the SYN offered and what we answered, waits in the connection table
 * (so the final ACK finds it by 4-tuple, as native TCP's TCP_NEW_SYN_RECV
 * entries) and counts in the listener's SYN queue. Its timer resends the
 * SYN-ACK with exponential backoff (net.ipv4.tcp_synack_retries). The ACK
 * that completes the handshake clones the listener into a full socket that
 * takes the request's place in the table and waits in the accept queue.
 *
 * When the SYN queue is full, SYN cookies (RFC 4987 3.6, xtcp_cookie.c)
 * keep the listener answering without keeping state; with
 * net.ipv4.tcp_syncookies = 2 they are always used, with 0 never.
 *
 * Listeners are not locked here: as in native TCP, the SYN queue is
 * counted atomically and the accept queue has its own lock.
 *
 * References of a request: the connection table's, the timer's while it is
 * pending, and one for whoever handles it (creator, lookup); the accept
 * queue inherits the last one and accept() drops it.
 */
#include <linux/tcp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/secure_seq.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cookie.h"
#include "xtcp_ehash.h"
#include "xtcp_input.h"
#include "xtcp_listen.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_reqsk.h"
#include "xtcp_sock.h"
#include "xtcp_trace.h"

/* Cookies are only checked this long after the SYN queue last overflowed. */
#define XTCP_COOKIE_VALID	(2 * 60 * HZ)

static void xtcp_reqsk_destructor(struct request_sock *req)
{
}

struct request_sock_ops xtcp_request_sock_ops = {
	.family		= PF_INET,
	.obj_size	= sizeof(struct xtcp_request_sock),
	.destructor	= xtcp_reqsk_destructor,
};

static struct net *xtcp_reqsk_net(const struct request_sock *req)
{
	return read_pnet(&inet_rsk(req)->ireq_net);
}

/* A segment on behalf of @req (SYN-ACK, ACK), options as negotiated. */
static void xtcp_reqsk_fill_reply(const struct request_sock *req,
				  struct xtcp_reply *r, u8 flags)
{
	const struct inet_request_sock *ireq = inet_rsk(req);
	const struct xtcp_request_sock *xreq = xtcp_rsk(req);
	const struct sock *lsk = req->rsk_listener;

	memset(r, 0, sizeof(*r));
	r->saddr = ireq->ir_loc_addr;
	r->daddr = ireq->ir_rmt_addr;
	r->sport = htons(ireq->ir_num);
	r->dport = ireq->ir_rmt_port;
	r->seq = xreq->snt_isn + !(flags & TCPHDR_SYN);
	r->ack = xreq->rcv_isn + 1;
	r->flags = flags;
	/* RFC 7323 2.2: the window of a SYN is never scaled. */
	r->window = min_t(u32, flags & TCPHDR_SYN ? xreq->rcv_wnd :
			  xreq->rcv_wnd >> ireq->rcv_wscale, U16_MAX);
	r->wscale = -1;
	if (flags & TCPHDR_SYN) {
		r->mss = xreq->adv_mss;
		r->sack_ok = ireq->sack_ok;
		if (ireq->wscale_ok)
			r->wscale = ireq->rcv_wscale;
	}
	r->tstamp = ireq->tstamp_ok;
	r->tsval = tcp_time_stamp_raw() + xreq->ts_off;
	r->tsecr = req->ts_recent;
	r->mark = ireq->ir_mark;
	if (lsk) {
		r->tos = inet_sk(lsk)->tos & ~INET_ECN_MASK;
		r->oif = lsk->sk_bound_dev_if;
		r->uid = lsk->sk_uid;
	}
}

static int xtcp_reqsk_send_synack(struct request_sock *req)
{
	struct xtcp_reply r;

	xtcp_reqsk_fill_reply(req, &r, TCPHDR_SYN | TCPHDR_ACK);
	trace_xtcp_synack_send(req, req->num_retrans,
				xtcp_rsk(req)->cookie);
	return xtcp_output_reply(xtcp_reqsk_net(req), &r);
}

static void xtcp_reqsk_send_ack(struct request_sock *req)
{
	struct xtcp_reply r;

	xtcp_reqsk_fill_reply(req, &r, TCPHDR_ACK);
	xtcp_output_reply(xtcp_reqsk_net(req), &r);
}

/* Leave the SYN queue; the caller holds a reference. */
static bool xtcp_reqsk_unlink(struct request_sock *req)
{
	struct sock *lsk = req->rsk_listener;

	if (!xtcp_ehash_remove(xtcp_net_ehash(xtcp_reqsk_net(req)),
			       req_to_sk(req)))
		return false;
	reqsk_queue_removed(&inet_csk(lsk)->icsk_accept_queue, req);
	return true;
}

/* Drop a request from outside its timer: unlinked, timer stopped. */
static void xtcp_reqsk_drop(struct request_sock *req)
{
	xtcp_reqsk_unlink(req);
	if (del_timer_sync(&req->rsk_timer))
		reqsk_put(req);
}

/* Exponential backoff of the SYN-ACK, from TCP_TIMEOUT_INIT. */
static unsigned long xtcp_reqsk_timeout(const struct request_sock *req)
{
	return min_t(unsigned long, TCP_TIMEOUT_INIT << req->num_timeout,
		     TCP_RTO_MAX);
}

/* SYN-ACK retransmission (reqsk_timer_handler()). */
static void xtcp_reqsk_timer(struct timer_list *t)
{
	struct request_sock *req = from_timer(req, t, rsk_timer);
	struct sock *lsk = req->rsk_listener;
	struct net *net = sock_net(lsk);

	if (lsk->sk_state != TCP_LISTEN ||
	    req->num_timeout >= READ_ONCE(net->ipv4.sysctl_tcp_synack_retries) ||
	    hlist_nulls_unhashed(&req_to_sk(req)->sk_nulls_node)) {
		xtcp_reqsk_unlink(req);
		reqsk_put(req);
		return;
	}
	if (!req->num_timeout)
		atomic_dec(&inet_csk(lsk)->icsk_accept_queue.young);
	req->num_timeout++;
	req->num_retrans++;
	xtcp_reqsk_send_synack(req);
	mod_timer(&req->rsk_timer, jiffies + xtcp_reqsk_timeout(req));
}

/* Fill a request from the SYN (tcp_openreq_init() and friends). */
static void xtcp_reqsk_init(struct request_sock *req, struct sock *lsk,
			    struct sk_buff *skb, const struct xtcp_options *opt)
{
	struct xtcp_request_sock *xreq = xtcp_rsk(req);
	struct inet_request_sock *ireq = inet_rsk(req);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = sock_net(lsk);
	u16 user_mss = xtcp_sk(lsk)->user_mss;
	u32 advmss;
	u8 wscale;

	sk_rcv_saddr_set(req_to_sk(req), iph->daddr);
	sk_daddr_set(req_to_sk(req), iph->saddr);
	ireq->ir_num = ntohs(th->dest);
	ireq->ir_rmt_port = th->source;
	ireq->ir_mark = inet_request_mark(lsk, skb);
	ireq->ir_iif = inet_iif(skb);
	xreq->rcv_isn = ntohl(th->seq);
	/* Slab memory: set when a SYN-ACK leaves from the SYN queue, else 0. */
	xreq->snt_synack_us = 0;
	req->mss = opt->mss ? : XTCP_DEFAULT_MSS;
	if (user_mss && user_mss < req->mss)
		req->mss = user_mss;
	ireq->tstamp_ok = opt->saw_tstamp &&
			  READ_ONCE(net->ipv4.sysctl_tcp_timestamps);
	req->ts_recent = ireq->tstamp_ok ? opt->tsval : 0;
	ireq->sack_ok = opt->sack_ok && READ_ONCE(net->ipv4.sysctl_tcp_sack);
	ireq->wscale_ok = opt->wscale >= 0 &&
			  READ_ONCE(net->ipv4.sysctl_tcp_window_scaling);
	ireq->snd_wscale = ireq->wscale_ok ? opt->wscale : 0;

	advmss = xtcp_output_reply_advmss(net, iph->daddr, iph->saddr,
					  th->dest, th->source, lsk);
	if (user_mss && user_mss < advmss)
		advmss = user_mss;
	xreq->adv_mss = advmss;
	xtcp_output_initial_window(lsk, advmss, ireq->wscale_ok, &xreq->rcv_wnd,
				   &wscale);
	ireq->rcv_wscale = wscale;
	req->rsk_rcv_wnd = xreq->rcv_wnd;
}

/* Our ISN and timestamp offset for a new connection (RFC 6528). */
static void xtcp_reqsk_isn(struct request_sock *req, struct sk_buff *skb,
			   u32 isn)
{
	struct xtcp_request_sock *xreq = xtcp_rsk(req);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = xtcp_reqsk_net(req);
	union tcp_seq_and_ts_off st;

	st = secure_tcp_seq_and_ts_off(net, iph->daddr, iph->saddr, th->dest,
				       th->source);
	xreq->snt_isn = isn ? : st.seq;
	xreq->ts_off = READ_ONCE(net->ipv4.sysctl_tcp_timestamps) == 1 ?
		       st.ts_off : 0;
}

/*
 * Whether this SYN gets a cookie rather than a place in the SYN queue. The
 * queue is full only above the backlog (inet_csk_reqsk_queue_is_full() of
 * 6.1.192), and a SYN that reopens a TIME_WAIT 4-tuple (@isn set) always
 * gets a place, as native's tcp_conn_request().
 */
static bool xtcp_reqsk_want_cookie(struct sock *lsk, u32 isn, bool *drop)
{
	struct request_sock_queue *queue = &inet_csk(lsk)->icsk_accept_queue;
	int syncookies = READ_ONCE(sock_net(lsk)->ipv4.sysctl_tcp_syncookies);

	*drop = false;
	if (isn)
		return false;
	if (syncookies == 2)
		return true;
	if (reqsk_queue_len(queue) <= READ_ONCE(lsk->sk_max_ack_backlog))
		return false;
	/* The SYN queue overflows: remember when, for the ACK's sake. */
	WRITE_ONCE(xtcp_sk(lsk)->synq_overflow, jiffies);
	xtcp_net_stat_inc(sock_net(lsk), XTCP_STAT_SYNQ_OVERFLOW);
	if (!syncookies) {
		*drop = true;
		return false;
	}
	return true;
}

/**
 * xtcp_reqsk_syn() - a SYN for a listener (tcp_conn_request())
 * @lsk: the listener, referenced by the caller
 * @skb: the SYN, control block filled; the caller frees it
 * @isn: ISN to use (a SYN that reopens a TIME_WAIT 4-tuple), 0 to choose
 */
void xtcp_reqsk_syn(struct sock *lsk, struct sk_buff *skb, u32 isn)
{
	struct net *net = sock_net(lsk);
	struct xtcp_request_sock *xreq;
	struct request_sock *req;
	struct xtcp_options opt;
	bool cookie, drop;

	trace_xtcp_syn_recv(lsk, skb, 0);
	cookie = xtcp_reqsk_want_cookie(lsk, isn, &drop);
	if (drop) {
		xtcp_net_stat_inc(net, XTCP_STAT_LISTEN_DROP);
		return;
	}
	/* As native: a full accept queue drops SYNs, cookies or not. */
	if (sk_acceptq_is_full(lsk)) {
		xtcp_net_stat_inc(net, XTCP_STAT_LISTEN_OVERFLOW);
		return;
	}
	req = inet_reqsk_alloc(&xtcp_request_sock_ops, lsk, true);
	if (!req) {
		xtcp_net_stat_inc(net, XTCP_STAT_LISTEN_DROP);
		return;
	}
	xreq = xtcp_rsk(req);
	xtcp_input_parse_options(tcp_hdr(skb), &opt);
	xtcp_reqsk_init(req, lsk, skb, &opt);
	xtcp_reqsk_isn(req, skb, isn);
	xreq->cookie = cookie;

	if (cookie) {
		const struct iphdr *iph = ip_hdr(skb);
		const struct tcphdr *th = tcp_hdr(skb);
		struct xtcp_cookie_opts copts = {
			.wscale = inet_rsk(req)->wscale_ok ?
				  inet_rsk(req)->snd_wscale : -1,
			.sack_ok = inet_rsk(req)->sack_ok,
		};
		u16 mss = req->mss;

		xreq->snt_isn = xtcp_cookie_make(xtcp_net_cookie_secret(net),
						 iph->saddr, iph->daddr,
						 th->source, th->dest,
						 xreq->rcv_isn,
						 xtcp_cookie_clock(), &mss);
		/* Without timestamps the options beyond the MSS are lost. */
		if (inet_rsk(req)->tstamp_ok) {
			u32 now = tcp_time_stamp_raw() + xreq->ts_off;

			xreq->ts_off += xtcp_cookie_ts_encode(now, &copts) - now;
		} else {
			inet_rsk(req)->wscale_ok = 0;
			inet_rsk(req)->sack_ok = 0;
		}
		req->mss = mss;
		xtcp_net_stat_inc(net, XTCP_STAT_COOKIE_SENT);
		trace_xtcp_cookie_send(req, mss, 0);
		xtcp_reqsk_send_synack(req);
		reqsk_free(req);
		return;
	}

	timer_setup(&req->rsk_timer, xtcp_reqsk_timer, TIMER_PINNED);
	/* The timer's reference and ours; the table takes its own. */
	refcount_set(&req->rsk_refcnt, 2);
	if (xtcp_ehash_insert(xtcp_net_ehash(net), req_to_sk(req))) {
		/* The same SYN, handled on another CPU right now. */
		refcount_set(&req->rsk_refcnt, 0);
		reqsk_free(req);
		return;
	}
	reqsk_queue_added(&inet_csk(lsk)->icsk_accept_queue);
	trace_xtcp_reqsk_queued(req,
				reqsk_queue_len(&inet_csk(lsk)->icsk_accept_queue), 0);
	xreq->snt_synack_us = tcp_clock_us();
	mod_timer(&req->rsk_timer, jiffies + TCP_TIMEOUT_INIT);
	xtcp_reqsk_send_synack(req);
	reqsk_put(req);
}

/*
 * A handshake ACK whose 4-tuple already has an entry (ours lost a race, or
 * a cookie ACK came while a request waits): a full socket takes the
 * segment, anything else drops it silently, since a RST would kill the
 * connection the entry stands for. Consumes @skb if it returns true.
 * Context: RCU read side (softirq), for the lookup.
 */
static bool xtcp_reqsk_to_existing(struct net *net, struct sk_buff *skb)
{
	struct sock *sk;

	sk = xtcp_ehash_lookup(xtcp_net_ehash(net), net, ip_hdr(skb)->saddr,
			       tcp_hdr(skb)->source, ip_hdr(skb)->daddr,
			       tcp_hdr(skb)->dest);
	if (!sk)
		return false;
	if (sk_fullsock(sk)) {
		xtcp_input_sk_rcv(sk, skb);
		return true;
	}
	xtcp_ehash_put(sk);
	kfree_skb(skb);
	return true;
}

/*
 * The handshake completed: clone the listener, put the child where the
 * request was in the connection table and into the accept queue, then let
 * the child process the rest of the segment (data may ride on the ACK).
 * Consumes @skb.
 */
static void xtcp_reqsk_complete(struct sock *lsk, struct request_sock *req,
				struct sk_buff *skb)
{
	struct net *net = sock_net(lsk);
	struct sock *child;

	if (sk_acceptq_is_full(lsk)) {
		xtcp_net_stat_inc(net, XTCP_STAT_LISTEN_OVERFLOW);
		if (READ_ONCE(net->ipv4.sysctl_tcp_abort_on_overflow)) {
			xtcp_output_reset_reply(net, ip_hdr(skb), tcp_hdr(skb),
						skb->len);
			if (!xtcp_rsk(req)->cookie)
				xtcp_reqsk_drop(req);
		} else {
			/* Drop the ACK; the SYN-ACK timer makes the peer resend. */
			inet_rsk(req)->acked = 1;
		}
		goto drop;
	}
	child = xtcp_sock_clone(lsk, req, skb);
	if (!child) {
		xtcp_net_stat_inc(net, XTCP_STAT_LISTEN_DROP);
		goto drop;
	}
	__acquire(&child->sk_lock.slock);	/* for sparse: returned locked */
	if (xtcp_rsk(req)->cookie) {
		if (xtcp_ehash_insert(xtcp_net_ehash(net), child))
			goto err_discard;
	} else {
		if (!xtcp_ehash_replace(xtcp_net_ehash(net), req_to_sk(req),
					child))
			goto err_discard;	/* another CPU won the race */
		reqsk_queue_removed(&inet_csk(lsk)->icsk_accept_queue, req);
		if (del_timer_sync(&req->rsk_timer))
			reqsk_put(req);
	}
	trace_xtcp_child_create(child, req->num_retrans);
	/* The accept queue takes our reference on the request. */
	refcount_inc(&req->rsk_refcnt);
	if (!xtcp_listen_queue_add(lsk, req, child)) {
		refcount_dec(&req->rsk_refcnt);
		xtcp_sock_forget(child);
		bh_unlock_sock(child);
		sock_put(child);
		xtcp_output_reset_reply(net, ip_hdr(skb), tcp_hdr(skb), skb->len);
		goto drop;
	}
	xtcp_input_child_rcv(child, skb);
	bh_unlock_sock(child);
	sock_put(child);
	return;

err_discard:
	/*
	 * Another CPU completed this handshake first (the ACK and the first
	 * data segment may be handled at once): our copy goes without a
	 * word, a RST would kill the winner's connection, and the segment
	 * goes to the winner, as tcp_v4_rcv() does with a stolen request.
	 */
	xtcp_sock_set_state(child, TCP_CLOSE);
	xtcp_sock_forget(child);
	bh_unlock_sock(child);
	sock_put(child);
	if (xtcp_reqsk_to_existing(net, skb))
		return;
drop:
	kfree_skb(skb);
}

/* RFC 9293 3.10.7.4's window test for a request (rcv_nxt = IRS + 1). */
static bool xtcp_reqsk_in_window(const struct request_sock *req, u32 seq,
				 u32 end_seq)
{
	u32 rcv_nxt = xtcp_rsk(req)->rcv_isn + 1;

	return !xtcp_seq_before(end_seq, rcv_nxt) &&
	       !xtcp_seq_after(seq, rcv_nxt + req->rsk_rcv_wnd);
}

/**
 * xtcp_reqsk_rcv() - a segment for a request in the SYN queue
 * @req: the request, referenced by the caller (dropped here)
 * @skb: the segment, control block filled; consumed
 *
 * As tcp_check_req(), with RFC 5961's checks: a retransmitted SYN gets the
 * SYN-ACK again, an ACK of something else goes to the listener (a SYN
 * cookie's ACK, or a RST), an out-of-window segment an ACK, a RST at
 * exactly the expected sequence number drops the request while any other
 * in-window RST or SYN gets a challenge ACK; the ACK of our SYN-ACK
 * completes the handshake.
 */
void xtcp_reqsk_rcv(struct request_sock *req, struct sk_buff *skb)
{
	struct xtcp_request_sock *xreq = xtcp_rsk(req);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct sock *lsk = req->rsk_listener;
	struct net *net = sock_net(lsk);

	if (lsk->sk_state != TCP_LISTEN) {
		xtcp_reqsk_drop(req);
		xtcp_output_reset_reply(net, ip_hdr(skb), th, skb->len);
		goto drop;
	}
	if (th->syn && !th->rst && !th->ack && cb->seq == xreq->rcv_isn) {
		/* Our SYN-ACK was lost: send it again, restart the timer. */
		req->num_retrans++;
		if (!xtcp_reqsk_send_synack(req))
			mod_timer_pending(&req->rsk_timer,
					  jiffies + xtcp_reqsk_timeout(req));
		goto drop;
	}
	if (th->ack && ntohl(th->ack_seq) != xreq->snt_isn + 1) {
		if (th->syn || th->rst) {
			/* What the listener does with them (never RST a RST). */
			xtcp_output_reset_reply(net, ip_hdr(skb), th, skb->len);
			goto drop;
		}
		/*
		 * Maybe the answer to a cookie SYN-ACK sent for an earlier SYN
		 * of this peer, overtaken by the SYN that made this request:
		 * as native, the listener judges it. A valid cookie finds this
		 * request and is dropped without a RST, so that the peer,
		 * which believes itself connected, is left to retransmit
		 * until our SYN-ACK's ACK completes the handshake; an invalid
		 * one gets the listener's RST. Only our reference on the
		 * request pins the listener: take one of our own first.
		 */
		sock_hold(lsk);
		reqsk_put(req);
		xtcp_reqsk_ack(lsk, skb);
		sock_put(lsk);
		return;
	}
	if (!xtcp_reqsk_in_window(req, cb->seq, cb->end_seq)) {
		if (!th->rst)
			xtcp_reqsk_send_ack(req);
		goto drop;
	}
	if (th->rst) {
		if (cb->seq == xreq->rcv_isn + 1)
			xtcp_reqsk_drop(req);
		else
			xtcp_reqsk_send_ack(req);	/* RFC 5961 3.2 */
		goto drop;
	}
	if (th->syn) {
		xtcp_reqsk_send_ack(req);		/* RFC 5961 4.2 */
		goto drop;
	}
	if (!th->ack)
		goto drop;
	if (inet_rsk(req)->tstamp_ok && cb->saw_tstamp)
		req->ts_recent = cb->tsval;
	xtcp_reqsk_complete(lsk, req, skb);
	reqsk_put(req);
	return;
drop:
	kfree_skb(skb);
	reqsk_put(req);
}

/**
 * xtcp_reqsk_ack() - an ACK for a listener: the answer to a SYN cookie?
 * @lsk: the listener, referenced by the caller
 * @skb: a segment with ACK and neither SYN nor RST; consumed
 *
 * A valid cookie rebuilds the request from the ACK (MSS from the cookie,
 * window scale and SACK from the echoed timestamp) and completes the
 * handshake, unless the 4-tuple has an entry already; anything else gets a
 * RST, as a listener answers an ACK.
 *
 * Context: RCU read side (softirq); also called by xtcp_reqsk_rcv() for an
 * ACK that does not acknowledge a request's SYN-ACK.
 */
void xtcp_reqsk_ack(struct sock *lsk, struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = sock_net(lsk);
	struct xtcp_cookie_opts copts;
	struct xtcp_request_sock *xreq;
	struct request_sock *req;
	struct xtcp_options opt;
	u32 cookie = ntohl(th->ack_seq) - 1;
	u16 mss = 0;

	if (READ_ONCE(net->ipv4.sysctl_tcp_syncookies) &&
	    (READ_ONCE(net->ipv4.sysctl_tcp_syncookies) == 2 ||
	     time_before(jiffies, READ_ONCE(xtcp_sk(lsk)->synq_overflow) +
			 XTCP_COOKIE_VALID)))
		mss = xtcp_cookie_check(xtcp_net_cookie_secret(net), iph->saddr,
					iph->daddr, th->source, th->dest,
					cb->seq - 1, cookie,
					xtcp_cookie_clock());
	trace_xtcp_cookie_check(lsk, skb, mss);
	if (!mss) {
		if (READ_ONCE(xtcp_sk(lsk)->synq_overflow))
			xtcp_net_stat_inc(net, XTCP_STAT_COOKIE_FAILED);
		xtcp_output_reset_reply(net, iph, th, skb->len);
		goto drop;
	}
	xtcp_net_stat_inc(net, XTCP_STAT_COOKIE_RECV);
	/*
	 * A request or socket for this 4-tuple (a cookie ACK sent on to us by
	 * a request, or a race): as native's duplicate check at insertion,
	 * but before a child is cloned for nothing.
	 */
	if (xtcp_reqsk_to_existing(net, skb))
		return;
	req = inet_reqsk_alloc(&xtcp_request_sock_ops, lsk, true);
	if (!req)
		goto drop;
	xreq = xtcp_rsk(req);
	/*
	 * The SYN is gone: rebuild what it offered from the ACK (whose own
	 * options never carry window scale or SACK-permitted).
	 */
	xtcp_input_parse_options(th, &opt);
	if (opt.saw_tstamp && xtcp_cookie_ts_decode(opt.tsecr, &copts)) {
		opt.wscale = copts.wscale;
		opt.sack_ok = copts.sack_ok;
	}
	opt.mss = mss;
	/* xtcp_reqsk_init() reads the SYN's sequence number. */
	xtcp_reqsk_init(req, lsk, skb, &opt);
	xreq->rcv_isn = cb->seq - 1;
	xreq->snt_isn = cookie;
	xreq->ts_off = 0;
	if (inet_rsk(req)->tstamp_ok)
		/* Our clock as the SYN-ACK showed it: offset from its echo. */
		xreq->ts_off = opt.tsecr - tcp_time_stamp_raw();
	xreq->cookie = true;
	refcount_set(&req->rsk_refcnt, 1);
	xtcp_reqsk_complete(lsk, req, skb);
	reqsk_put(req);
	return;
drop:
	kfree_skb(skb);
}
