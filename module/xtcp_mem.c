// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol-wide memory accounting, as native TCP's (tcp_memory_allocated).
 *
 * Queued buffers are charged to the socket's forward allocation, which the
 * socket core (__sk_mem_schedule()) fills from xtcp_memory_allocated in
 * pages and which returns to it as buffers are freed. Above tcp_mem[1] the
 * pool is under pressure (buffers stop growing); above tcp_mem[2] new
 * buffers are refused: a sender waits for memory, a receiver drops what it
 * cannot hold and the peer retransmits.
 *
 * Some buffers must be taken whatever the pool says, or a connection could
 * stop for good: the first segment of an empty write queue, a FIN, a
 * segment split, the first segment of an empty receive queue
 * (sk_forced_mem_schedule(), which 6.1 does not export). They are charged
 * even when the pool refuses; the socket's forward allocation then goes
 * below zero and the next release pays it back, so the pages the socket
 * takes from the pool and the pages it returns still balance.
 */
#include <linux/mm.h>
#include <net/tcp.h>

#include "xtcp_mem.h"
#include "xtcp_pernet.h"

atomic_long_t xtcp_memory_allocated;
DEFINE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
struct percpu_counter xtcp_sockets_allocated;
/* jiffies when pressure began (never 0), 0 when none: tcp_memory_pressure */
unsigned long xtcp_memory_pressure;

/**
 * xtcp_mem_init() - set up the socket counter of /proc/net/protocols
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_mem_init(void)
{
	return percpu_counter_init(&xtcp_sockets_allocated, 0, GFP_KERNEL);
}

/** xtcp_mem_uninit() - undo xtcp_mem_init() */
void xtcp_mem_uninit(void)
{
	percpu_counter_destroy(&xtcp_sockets_allocated);
}

/**
 * xtcp_mem_enter_pressure() - proto.enter_memory_pressure
 * @sk: socket whose allocation crossed tcp_mem[1] or failed
 */
void xtcp_mem_enter_pressure(struct sock *sk)
{
	unsigned long val;

	if (READ_ONCE(xtcp_memory_pressure))
		return;
	val = jiffies ? : 1;
	if (!cmpxchg(&xtcp_memory_pressure, 0, val))
		xtcp_net_stat_inc(sock_net(sk), XTCP_STAT_MEM_PRESSURES);
}

/**
 * xtcp_mem_leave_pressure() - proto.leave_memory_pressure
 * @sk: socket whose release brought the pool under tcp_mem[0]
 */
void xtcp_mem_leave_pressure(struct sock *sk)
{
	unsigned long val;

	if (!READ_ONCE(xtcp_memory_pressure))
		return;
	val = xchg(&xtcp_memory_pressure, 0);
	if (val)
		xtcp_net_stat_add(sock_net(sk), XTCP_STAT_MEM_PRESSURES_MS,
				  jiffies_to_msecs(jiffies - val));
}

/**
 * xtcp_mem_may_grow() - whether buffers may grow (tcp_should_expand_sndbuf())
 * @sk: socket
 *
 * Return: false under pressure or with the pool above tcp_mem[0].
 */
bool xtcp_mem_may_grow(const struct sock *sk)
{
	if (xtcp_mem_under_pressure())
		return false;
	return sk_memory_allocated(sk) < sk_prot_mem_limits(sk, 0);
}

/**
 * xtcp_mem_force() - make room for @size bytes that must be taken
 * @sk: socket, locked
 * @size: bytes about to be charged
 * @kind: SK_MEM_SEND or SK_MEM_RECV
 *
 * Asks the pool as usual; if it refuses, the charge that follows takes the
 * forward allocation below zero (see the top of this file).
 */
void xtcp_mem_force(struct sock *sk, int size, int kind)
{
	int delta = size - sk->sk_forward_alloc;

	if (sk_has_account(sk) && delta > 0)
		__sk_mem_schedule(sk, delta, kind);
}

/**
 * xtcp_mem_wmem_schedule() - room for @copy bytes of new payload
 *	(tcp_wmem_schedule())
 * @sk: socket, locked
 * @copy: bytes the caller would like to copy
 *
 * When the pool refuses, a socket with less than tcp_wmem[0] queued may
 * still take that much, so that a sender always makes progress.
 *
 * Return: the bytes that may be copied and charged, 0 to wait for memory.
 */
int xtcp_mem_wmem_schedule(struct sock *sk, int copy)
{
	int left;

	if (sk_wmem_schedule(sk, copy))
		return copy;
	left = READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_wmem[0]) -
	       sk->sk_wmem_queued;
	if (left <= 0)
		return 0;
	copy = min(copy, left);
	xtcp_mem_force(sk, copy, SK_MEM_SEND);
	return copy;
}

/**
 * xtcp_mem_new_skb() - room for a new write-queue segment
 *	(tcp_stream_alloc_skb())
 * @sk: socket, locked
 * @skb: the segment, not yet queued
 * @force: the segment must be taken (the queue is empty, a FIN, a split)
 *
 * On refusal the pool is under pressure and the send buffer shrinks to what
 * is queued (sk_stream_moderate_sndbuf()).
 *
 * Return: true if the caller may queue @skb (xtcp_mem_wqueue_add() charges
 * it), false if it must free it and wait for memory.
 */
bool xtcp_mem_new_skb(struct sock *sk, struct sk_buff *skb, bool force)
{
	if (force) {
		xtcp_mem_force(sk, skb->truesize, SK_MEM_SEND);
		return true;
	}
	if (sk_wmem_schedule(sk, skb->truesize))
		return true;
	xtcp_mem_enter_pressure(sk);
	sk_stream_moderate_sndbuf(sk);
	return false;
}

/**
 * xtcp_mem_rmem_schedule() - room for a received segment
 * @sk: socket, locked
 * @skb: segment about to be charged with skb_set_owner_r()
 * @force: the segment must be taken: the first of an empty receive queue,
 *	without which the reader could never free anything (tcp_data_queue())
 *
 * Return: true if @skb may be queued.
 */
bool xtcp_mem_rmem_schedule(struct sock *sk, struct sk_buff *skb, bool force)
{
	if (force) {
		xtcp_mem_force(sk, skb->truesize, SK_MEM_RECV);
		return true;
	}
	return sk_rmem_schedule(sk, skb, skb->truesize);
}
