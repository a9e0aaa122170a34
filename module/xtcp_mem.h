/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Protocol-wide memory accounting: every xtcp socket's queued buffers count
 * against one pool bounded by net.ipv4.tcp_mem, as native TCP's do against
 * theirs. The pool is xtcp's own (shown in /proc/net/protocols), the limits
 * are native TCP's, so one setting bounds both stacks.
 */
#ifndef _XTCP_MEM_H
#define _XTCP_MEM_H

#include <linux/percpu.h>
#include <linux/percpu_counter.h>
#include <net/sock.h>

struct sk_buff;

extern atomic_long_t xtcp_memory_allocated;
DECLARE_PER_CPU(int, xtcp_memory_per_cpu_fw_alloc);
extern struct percpu_counter xtcp_sockets_allocated;
extern unsigned long xtcp_memory_pressure;

int xtcp_mem_init(void);
void xtcp_mem_uninit(void);

void xtcp_mem_enter_pressure(struct sock *sk);
void xtcp_mem_leave_pressure(struct sock *sk);
bool xtcp_mem_may_grow(const struct sock *sk);

void xtcp_mem_force(struct sock *sk, int size, int kind);
int xtcp_mem_wmem_schedule(struct sock *sk, int copy);
bool xtcp_mem_new_skb(struct sock *sk, struct sk_buff *skb, bool force);
bool xtcp_mem_rmem_schedule(struct sock *sk, struct sk_buff *skb, bool force);

/**
 * xtcp_mem_under_pressure() - the pool is above tcp_mem[1] and not yet
 *	back under tcp_mem[0] (tcp_under_memory_pressure())
 *
 * Return: true while under pressure.
 */
static inline bool xtcp_mem_under_pressure(void)
{
	return READ_ONCE(xtcp_memory_pressure);
}

/**
 * xtcp_mem_wqueue_add() - charge (@size > 0) or release write-queue memory
 * @sk: socket, locked
 * @size: bytes of truesize
 *
 * sk_wmem_queued and the forward allocation always move together, so that
 * a queue that empties hands every page back to the pool.
 */
static inline void xtcp_mem_wqueue_add(struct sock *sk, int size)
{
	sk_wmem_queued_add(sk, size);
	if (size >= 0)
		sk_mem_charge(sk, size);
	else
		sk_mem_uncharge(sk, -size);
}

#endif /* _XTCP_MEM_H */
