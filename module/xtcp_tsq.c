// SPDX-License-Identifier: GPL-2.0
/*
 * Small queues, as native TCP's tcp_small_queue_check() and tcp_wfree().
 *
 * Without a bound, a sender puts its whole congestion window into the qdisc
 * and the device ring at once: other flows queue behind it, the ring
 * overflows into requeues, and a segment taken for lost may still be
 * waiting there when it is sent again. So a socket keeps at most about a
 * millisecond of data (at its pacing rate, two segments at least) below it.
 * The device's free of a segment, not the next ACK, resumes it: ACKs may all
 * be in before the ring lets the last segments go.
 *
 * A woken socket goes on a per-CPU list that a tasklet serves, as native's
 * tsq tasklets do; the segment's last unit of sk_wmem_alloc holds the socket
 * until then.
 */

#include <linux/interrupt.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_output.h"
#include "xtcp_tsq.h"

struct xtcp_tsq {
	struct tasklet_struct	tasklet;
	struct list_head	head;
};

static DEFINE_PER_CPU(struct xtcp_tsq, xtcp_tsq);

/* Data may leave in these states only. */
#define XTCP_TSQ_STATES	(TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_CLOSING | \
			 TCPF_CLOSE_WAIT | TCPF_LAST_ACK)

static void xtcp_tsq_write(struct sock *sk)
{
	if ((1 << sk->sk_state) & XTCP_TSQ_STATES)
		xtcp_output_write_xmit(sk);
}

static void xtcp_tsq_wake(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk))
		xtcp_tsq_write(sk);
	else if (!test_and_set_bit(XTCP_TSQ_DEFERRED, &xs->tsq_flags))
		sock_hold(sk);		/* dropped by xtcp_tsq_release_cb() */
	bh_unlock_sock(sk);
}

static void xtcp_tsq_tasklet(struct tasklet_struct *t)
{
	struct xtcp_tsq *tsq = from_tasklet(tsq, t, tasklet);
	struct xtcp_sock *xs, *next;
	unsigned long flags;
	LIST_HEAD(list);

	local_irq_save(flags);
	list_splice_init(&tsq->head, &list);
	local_irq_restore(flags);

	list_for_each_entry_safe(xs, next, &list, tsq_node) {
		struct sock *sk = &xs->icsk.icsk_inet.sk;

		list_del(&xs->tsq_node);
		/* The node is free before a free may queue it again. */
		smp_mb__before_atomic();
		clear_bit(XTCP_TSQ_QUEUED, &xs->tsq_flags);
		xtcp_tsq_wake(sk);
		sk_free(sk);	/* the unit xtcp_tsq_wfree() kept */
	}
}

/*
 * Destructor of every segment xtcp hands to the IP layer. It keeps one unit
 * of sk_wmem_alloc while it looks at the socket, and leaves that unit to
 * the tasklet if it queues the socket there.
 */
static void xtcp_tsq_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long flags, oval, nval;
	struct xtcp_tsq *tsq;
	bool empty;

	WARN_ON(refcount_sub_and_test(skb->truesize - 1, &sk->sk_wmem_alloc));

	/* Pairs with the barrier after the bit is set in xtcp_tsq_full(). */
	oval = smp_load_acquire(&xs->tsq_flags);
	do {
		if (!(oval & BIT(XTCP_TSQ_THROTTLED)) ||
		    (oval & BIT(XTCP_TSQ_QUEUED)))
			goto out;
		nval = (oval & ~BIT(XTCP_TSQ_THROTTLED)) | BIT(XTCP_TSQ_QUEUED);
	} while (!try_cmpxchg(&xs->tsq_flags, &oval, nval));

	local_irq_save(flags);
	tsq = this_cpu_ptr(&xtcp_tsq);
	empty = list_empty(&tsq->head);
	list_add(&xs->tsq_node, &tsq->head);
	if (empty)
		tasklet_schedule(&tsq->tasklet);
	local_irq_restore(flags);
	return;
out:
	sk_free(sk);
}

/**
 * xtcp_tsq_set_owner() - charge a segment about to be sent to its socket
 * @sk: sending socket
 * @skb: the segment (or its clone), not owned by anyone
 *
 * Like skb_set_owner_w(), with a destructor that wakes a held-back socket.
 */
void xtcp_tsq_set_owner(struct sock *sk, struct sk_buff *skb)
{
	skb->sk = sk;
	skb->destructor = xtcp_tsq_wfree;
	skb_set_hash_from_sk(skb, sk);
	refcount_add(skb->truesize, &sk->sk_wmem_alloc);
}

/**
 * xtcp_tsq_full() - whether @skb must wait for the device to free some of
 *	what @sk sent (tcp_small_queue_check())
 * @sk: socket, locked
 * @skb: the next segment to send
 *
 * A socket with at most one segment unacknowledged is never held back, so
 * that something is always in flight to bring the next ACK.
 *
 * Return: true if the socket is held back; the device's next free of one of
 *	its segments sends more.
 */
bool xtcp_tsq_full(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long limit;
	struct sk_buff *una;

	sock_owned_by_me(sk);
	limit = max_t(unsigned long, 2 * skb->truesize,
		      READ_ONCE(sk->sk_pacing_rate) >> READ_ONCE(sk->sk_pacing_shift));
	limit = min_t(unsigned long, limit,
		      READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_limit_output_bytes));
	if (refcount_read(&sk->sk_wmem_alloc) <= limit)
		return false;
	una = skb_peek(&sk->sk_write_queue);
	if (!una || una == skb || una->next == skb)
		return false;
	set_bit(XTCP_TSQ_THROTTLED, &xs->tsq_flags);
	/* A free between the test and the bit must see the bit. */
	smp_mb__after_atomic();
	return refcount_read(&sk->sk_wmem_alloc) > limit;
}

/**
 * xtcp_tsq_update_pacing_rate() - the rate the small-queue bound follows
 *	(tcp_update_pacing_rate())
 * @sk: socket, locked, after an ACK moved the window
 *
 * Twice the window per smoothed RTT in slow start, 1.2 times it after
 * (net.ipv4.tcp_pacing_ss_ratio and tcp_pacing_ca_ratio, as native).
 * xtcp does not pace; the rate only sizes what may wait in the host.
 */
void xtcp_tsq_update_pacing_rate(struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	u64 rate;

	if (!xs->srtt_us)
		return;
	rate = (u64)xs->mss_cache * (USEC_PER_SEC / 100);
	if (xs->cwnd < xs->ssthresh / 2)
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ss_ratio);
	else
		rate *= READ_ONCE(net->ipv4.sysctl_tcp_pacing_ca_ratio);
	rate *= max(xs->cwnd, xtcp_packets(xs, xtcp_flight(xs)));
	rate = div_u64(rate, xs->srtt_us);
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));
}

/**
 * xtcp_tsq_release_cb() - &proto.release_cb: send what a device free
 *	released while the user held the socket
 * @sk: socket, still owned, its spinlock held (release_sock())
 */
void xtcp_tsq_release_cb(struct sock *sk)
{
	if (!test_and_clear_bit(XTCP_TSQ_DEFERRED, &xtcp_sk(sk)->tsq_flags))
		return;
	xtcp_tsq_write(sk);
	__sock_put(sk);
}

/** xtcp_tsq_init() - set up each CPU's list of sockets to wake */
void xtcp_tsq_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct xtcp_tsq *tsq = per_cpu_ptr(&xtcp_tsq, cpu);

		INIT_LIST_HEAD(&tsq->head);
		tasklet_setup(&tsq->tasklet, xtcp_tsq_tasklet);
	}
}

/**
 * xtcp_tsq_uninit() - wait for the tasklets; call when no xtcp socket is
 *	left (a queued socket pins the module through its sk_wmem_alloc)
 */
void xtcp_tsq_uninit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu_ptr(&xtcp_tsq, cpu)->tasklet);
}
