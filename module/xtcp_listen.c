// SPDX-License-Identifier: GPL-2.0
/*
 * Listening sockets.
 *
 * listen() puts a socket into its namespace's listener table, keyed by local
 * port; the receive path looks a listener up for every SYN (and every ACK
 * that may carry a SYN cookie) no connection claims. Lookups run under RCU
 * without locks, so listeners are freed only after a grace period
 * (SOCK_RCU_FREE): a chain walk never lands on memory reused elsewhere.
 *
 * The accept queue is the inet layer's (icsk_accept_queue), so accept()
 * itself is inet_csk_accept(): blocking, O_NONBLOCK, SO_RCVTIMEO and
 * signals behave as for native TCP.
 */
#include <linux/siphash.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "xtcp.h"
#include "xtcp_listen.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_sock.h"
#include "xtcp_trace.h"

/**
 * xtcp_listen_init_table() - set up an empty listener table
 * @lh: table of a new namespace
 */
void xtcp_listen_init_table(struct xtcp_lhash *lh)
{
	unsigned int i;

	spin_lock_init(&lh->lock);
	get_random_bytes(&lh->secret, sizeof(lh->secret));
	for (i = 0; i < XTCP_LHASH_SIZE; i++)
		INIT_HLIST_HEAD(&lh->buckets[i]);
}

static struct hlist_head *xtcp_listen_bucket(struct xtcp_lhash *lh, u16 port)
{
	return &lh->buckets[port % XTCP_LHASH_SIZE];
}

/* inet_csk_listen_start()'s queue set-up (reqsk_queue_alloc() is not exported). */
static void xtcp_listen_queue_init(struct request_sock_queue *queue)
{
	memset(queue, 0, sizeof(*queue));
	spin_lock_init(&queue->rskq_lock);
	spin_lock_init(&queue->fastopenq.lock);
}

/**
 * xtcp_listen_start() - make @sk a listener (inet_csk_listen_start())
 * @sk: socket in CLOSE, locked by the caller; sk_max_ack_backlog set
 *
 * An unbound socket gets an ephemeral port first, as native listen() does.
 *
 * Return: 0 or the errno of the port allocation.
 */
int xtcp_listen_start(struct sock *sk)
{
	struct xtcp_lhash *lh = xtcp_net_lhash(sock_net(sk));
	struct inet_sock *inet = inet_sk(sk);
	int err;

	sock_owned_by_me(sk);
	if (!inet->inet_num) {
		err = xtcp_port_bind(sk, sk->sk_rcv_saddr, 0);
		if (err)
			return err;
	}
	xtcp_listen_queue_init(&inet_csk(sk)->icsk_accept_queue);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	inet->inet_sport = htons(inet->inet_num);
	inet->inet_daddr = 0;
	inet->inet_dport = 0;
	sk_dst_reset(sk);
	/* Lookups walk the chains locklessly: free only after a grace period. */
	sock_set_flag(sk, SOCK_RCU_FREE);
	xtcp_port_listen(xtcp_sk(sk)->port, 1);
	xtcp_sock_set_state(sk, TCP_LISTEN);
	spin_lock_bh(&lh->lock);
	sk_add_node_rcu(sk, xtcp_listen_bucket(lh, inet->inet_num));
	spin_unlock_bh(&lh->lock);
	return 0;
}

/**
 * xtcp_listen_unhash() - take a listener out of the table
 * @sk: listener leaving LISTEN
 */
void xtcp_listen_unhash(struct sock *sk)
{
	struct xtcp_lhash *lh = xtcp_net_lhash(sock_net(sk));

	spin_lock_bh(&lh->lock);
	sk_del_node_init_rcu(sk);
	spin_unlock_bh(&lh->lock);
	xtcp_port_listen(xtcp_sk(sk)->port, -1);
}

/**
 * xtcp_listen_stop() - close a listener and what waits in its accept queue
 * @sk: listener, locked by the caller (close(), shutdown(SHUT_RD))
 *
 * Connections nobody accepted are reset, as native TCP resets them.
 * Requests still in the SYN queue hold the listener until their timer or
 * their ACK finds it no longer listening.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct request_sock_queue *queue = &inet_csk(sk)->icsk_accept_queue;
	struct request_sock *req;

	/* After this no child joins the queue (xtcp_listen_queue_add()). */
	xtcp_sock_set_state(sk, TCP_CLOSE);
	while ((req = reqsk_queue_remove(queue, sk))) {
		struct sock *child = req->sk;

		local_bh_disable();
		bh_lock_sock(child);
		sock_hold(child);
		xtcp_sock_forget(child);
		bh_unlock_sock(child);
		local_bh_enable();
		sock_put(child);
		reqsk_put(req);
		cond_resched();
	}
}

/* compute_score() of inet_hashtables.c: exact address and device win. */
static int xtcp_listen_score(const struct sock *sk, const struct net *net,
			     __be32 laddr, u16 hnum, int dif)
{
	int score = 1;

	if (!net_eq(sock_net(sk), net) || sk->sk_num != hnum ||
	    sk->sk_state != TCP_LISTEN)
		return -1;
	if (sk->sk_rcv_saddr) {
		if (sk->sk_rcv_saddr != laddr)
			return -1;
		score += 4;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score++;
	}
	return score;
}

/**
 * xtcp_listen_lookup() - the listener a new connection is for
 * @lh: listener table of the namespace the segment arrived in
 * @net: that namespace
 * @raddr: the peer's address
 * @rport: the peer's port
 * @laddr: our address (the segment's destination)
 * @lport: our port
 * @dif: interface the segment arrived on
 *
 * The best match wins (a specific address over the wildcard); among
 * SO_REUSEPORT listeners with the same score, a keyed hash of the peer picks
 * one, so connections spread and each peer keeps to one listener.
 *
 * Context: RCU read side.
 * Return: the listener with a reference the caller drops, or NULL.
 */
struct sock *xtcp_listen_lookup(struct xtcp_lhash *lh, const struct net *net,
				__be32 raddr, __be16 rport,
				__be32 laddr, __be16 lport, int dif)
{
	struct hlist_head *head = xtcp_listen_bucket(lh, ntohs(lport));
	u16 hnum = ntohs(lport);
	int best, matches, score;
	struct sock *sk, *pick;
	u32 hash, n;

begin:
	best = 0;
	matches = 0;
	sk_for_each_rcu(sk, head) {
		score = xtcp_listen_score(sk, net, laddr, hnum, dif);
		if (score > best) {
			best = score;
			matches = 1;
		} else if (score == best && score > 0 && sk->sk_reuseport) {
			matches++;
		}
	}
	if (!matches)
		return NULL;
	hash = siphash_3u32((__force u32)raddr, (__force u32)laddr,
			    ((__force u32)rport << 16) | hnum, &lh->secret);
	n = reciprocal_scale(hash, matches);
	pick = NULL;
	sk_for_each_rcu(sk, head) {
		if (xtcp_listen_score(sk, net, laddr, hnum, dif) != best)
			continue;
		pick = sk;
		if (!n--)
			break;
	}
	if (!pick || !refcount_inc_not_zero(&pick->sk_refcnt))
		goto begin;
	if (xtcp_listen_score(pick, net, laddr, hnum, dif) != best) {
		sock_put(pick);
		goto begin;
	}
	return pick;
}

/**
 * xtcp_listen_queue_add() - a new connection is ready for accept()
 * @lsk: its listener
 * @req: its request, which now refers to @child
 * @child: the new socket
 *
 * Return: false if @lsk stopped listening meanwhile (nothing queued).
 */
bool xtcp_listen_queue_add(struct sock *lsk, struct request_sock *req,
			   struct sock *child)
{
	struct request_sock_queue *queue = &inet_csk(lsk)->icsk_accept_queue;

	spin_lock(&queue->rskq_lock);
	if (unlikely(lsk->sk_state != TCP_LISTEN)) {
		spin_unlock(&queue->rskq_lock);
		return false;
	}
	req->sk = child;
	req->dl_next = NULL;
	if (!queue->rskq_accept_head)
		WRITE_ONCE(queue->rskq_accept_head, req);
	else
		queue->rskq_accept_tail->dl_next = req;
	queue->rskq_accept_tail = req;
	sk_acceptq_added(lsk);
	spin_unlock(&queue->rskq_lock);
	trace_xtcp_accept_queue_add(lsk, child, READ_ONCE(lsk->sk_ack_backlog));
	lsk->sk_data_ready(lsk);
	return true;
}
