// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT entries.
 *
 * A connection that closed first on our side must stay recognisable for
 * 2 MSL (RFC 9293 3.6.1): a retransmitted FIN must be acknowledged again and
 * old duplicates must not reach a new incarnation of the 4-tuple. A full
 * socket is far more than that needs, and a busy server closes many
 * connections, so, as native TCP does, the socket hands its place in the
 * connection table to a small struct xtcp_tw and goes away.
 *
 * References: the connection table holds one, the pending timer one, and a
 * lookup one while a segment is handled. The entry holds the local port and
 * pins the module until it is freed.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_ehash.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_trace.h"
#include "xtcp_tw.h"

struct timewait_sock_ops xtcp_timewait_sock_ops = {
	.twsk_obj_size	= sizeof(struct xtcp_tw),
};

static struct net *xtcp_tw_net(const struct xtcp_tw *tw)
{
	return read_pnet(&tw->common.skc_net);
}

/**
 * xtcp_tw_put() - drop a reference on a TIME_WAIT entry
 * @tw: entry; freed with its port when this was the last reference
 */
void xtcp_tw_put(struct xtcp_tw *tw)
{
	struct net *net;

	if (!refcount_dec_and_test(&tw->common.skc_refcnt))
		return;
	net = xtcp_tw_net(tw);
	xtcp_port_put(tw->port);
	xtcp_net_tw_count_add(net, -1);
	kmem_cache_free(xtcp_timewait_sock_ops.twsk_slab, tw);
	module_put(THIS_MODULE);
}

static void xtcp_tw_unhash(struct xtcp_tw *tw)
{
	xtcp_ehash_remove(xtcp_net_ehash(xtcp_tw_net(tw)), (struct sock *)tw);
}

static void xtcp_tw_timer(struct timer_list *t)
{
	struct xtcp_tw *tw = from_timer(tw, t, timer);

	xtcp_tw_unhash(tw);
	xtcp_tw_put(tw);
}

/* End TIME_WAIT now (a reset, or a new connection on the 4-tuple). */
static void xtcp_tw_kill(struct xtcp_tw *tw)
{
	xtcp_tw_unhash(tw);
	if (del_timer_sync(&tw->timer))
		xtcp_tw_put(tw);
}

static void xtcp_tw_restart(struct xtcp_tw *tw)
{
	mod_timer_pending(&tw->timer,
			  jiffies + xtcp_net_tw_timeout(xtcp_tw_net(tw)));
}

/**
 * xtcp_tw_enter() - hand a connection entering TIME_WAIT to a small entry
 * @sk: socket moving to TIME_WAIT, locked, in the connection table
 *
 * The entry takes over the socket's place in the connection table and its
 * local port; the caller then closes the socket (xtcp_sock_done()). As with
 * native TCP, when net.ipv4.tcp_max_tw_buckets entries exist already the
 * connection skips TIME_WAIT.
 *
 * Return: true if the entry took over.
 */
bool xtcp_tw_enter(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct net *net = sock_net(sk);
	unsigned long timeout;
	struct xtcp_tw *tw;

	if (xtcp_net_tw_count_add(net, 1) >
	    READ_ONCE(net->ipv4.tcp_death_row.sysctl_max_tw_buckets))
		goto err_count;
	tw = kmem_cache_alloc(xtcp_timewait_sock_ops.twsk_slab, GFP_ATOMIC);
	if (!tw)
		goto err_count;
	if (xs->port && xtcp_port_hand_over(xs->port, sk)) {
		kmem_cache_free(xtcp_timewait_sock_ops.twsk_slab, tw);
		goto err_count;
	}
	/* Lookups may still see the memory's last user: fill, then publish. */
	tw->common.skc_daddr = sk->sk_daddr;
	tw->common.skc_rcv_saddr = sk->sk_rcv_saddr;
	tw->common.skc_dport = sk->sk_dport;
	tw->common.skc_num = sk->sk_num;
	tw->common.skc_family = sk->sk_family;
	tw->common.skc_bound_dev_if = sk->sk_bound_dev_if;
	tw->common.skc_reuse = sk->sk_reuse;
	tw->common.skc_prot = sk->sk_prot;
	write_pnet(&tw->common.skc_net, net);
	tw->rcv_nxt = xs->rcv_nxt;
	tw->snd_nxt = xs->snd_nxt;
	tw->ts_recent = xs->ts_recent;
	tw->ts_off = xs->ts_off;
	tw->rcv_wnd = min_t(u32, xs->rcv_wnd >> xs->rcv_wscale, U16_MAX);
	tw->tstamp_ok = xs->tstamp_ok;
	tw->tos = inet_sk(sk)->tos;
	tw->mark = sk->sk_mark;
	tw->uid = sk->sk_uid;
	tw->port = xs->port;
	timer_setup(&tw->timer, xtcp_tw_timer, 0);
	__module_get(THIS_MODULE);
	/* The timer's reference and ours; the table takes its own. */
	refcount_set(&tw->common.skc_refcnt, 2);
	/* A lookup that sees TIME_WAIT must see the fields above too. */
	smp_wmb();
	tw->common.skc_state = TCP_TIME_WAIT;
	if (!xtcp_ehash_replace(xtcp_net_ehash(net), sk, (struct sock *)tw)) {
		tw->port = NULL;
		refcount_set(&tw->common.skc_refcnt, 1);
		xtcp_tw_put(tw);
		return false;
	}
	xs->port = NULL;
	timeout = xtcp_net_tw_timeout(net);
	mod_timer(&tw->timer, jiffies + timeout);
	trace_xtcp_tw_enter(sk, jiffies_to_msecs(timeout));
	xtcp_tw_put(tw);
	return true;

err_count:
	xtcp_net_tw_count_add(net, -1);
	net_info_ratelimited("xtcp: time wait bucket table overflow\n");
	return false;
}

/**
 * xtcp_tw_send_ack() - what a TIME_WAIT entry answers: an ACK
 * @tw: the entry
 * @skb: the segment it answers
 */
void xtcp_tw_send_ack(const struct xtcp_tw *tw, const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_reply r = {
		.saddr = iph->daddr,
		.daddr = iph->saddr,
		.sport = th->dest,
		.dport = th->source,
		.seq = tw->snd_nxt,
		.ack = tw->rcv_nxt,
		.flags = TCPHDR_ACK,
		.window = tw->rcv_wnd,
		.wscale = -1,
		.tstamp = tw->tstamp_ok,
		.tsval = tcp_time_stamp_raw() + tw->ts_off,
		.tsecr = tw->ts_recent,
		.tos = tw->tos,
		.oif = tw->common.skc_bound_dev_if,
		.mark = tw->mark,
		.uid = tw->uid,
	};

	xtcp_output_reply(xtcp_tw_net(tw), &r);
}

/**
 * xtcp_tw_rcv() - a segment for a connection in TIME_WAIT
 * @tw: its entry, referenced by the caller
 * @skb: the segment, control block filled, data at the payload
 * @isn: set for XTCP_TW_SYN: the ISN the new connection should use
 *
 * As tcp_timewait_state_process(): a segment exactly at rcv_nxt may restart
 * 2 MSL or, being a RST, end TIME_WAIT (unless net.ipv4.tcp_rfc1337); a
 * SYN whose sequence number or timestamp is newer than the old connection's
 * may open a new one (RFC 1122 4.2.2.13, RFC 6191); everything else gets an
 * ACK and restarts 2 MSL.
 *
 * Return: what the caller must do with the segment (it always frees it).
 */
enum xtcp_tw_verdict xtcp_tw_rcv(struct xtcp_tw *tw, struct sk_buff *skb,
				 u32 *isn)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = xtcp_tw_net(tw);
	bool paws_reject;

	/* RFC 7323 5: a timestamp older than the last one is an old duplicate. */
	paws_reject = tw->tstamp_ok && cb->saw_tstamp && !th->rst &&
		      (s32)(cb->tsval - tw->ts_recent) < 0;

	if (!paws_reject && cb->seq == tw->rcv_nxt &&
	    (cb->seq == cb->end_seq || th->rst)) {
		if (th->rst) {
			if (!READ_ONCE(net->ipv4.sysctl_tcp_rfc1337)) {
				xtcp_tw_kill(tw);
				return XTCP_TW_DONE;
			}
		} else {
			xtcp_tw_restart(tw);
		}
		if (cb->saw_tstamp)
			tw->ts_recent = cb->tsval;
		return XTCP_TW_DONE;
	}

	if (th->syn && !th->rst && !th->ack && !paws_reject &&
	    (xtcp_seq_after(cb->seq, tw->rcv_nxt) ||
	     (tw->tstamp_ok && cb->saw_tstamp &&
	      (s32)(tw->ts_recent - cb->tsval) < 0))) {
		/* Above anything the old incarnation may still have in flight. */
		*isn = tw->snd_nxt + 65535 + 2 ? : 1;
		return XTCP_TW_SYN;
	}

	if (!th->rst) {
		/* A SYN without ACK may be a new SYN with a smaller ISN. */
		if (paws_reject || th->ack)
			xtcp_tw_restart(tw);
		xtcp_tw_send_ack(tw, skb);
	}
	return XTCP_TW_DONE;
}

/**
 * xtcp_tw_reuse() - end TIME_WAIT for a new connection on its 4-tuple
 * @tw: entry, referenced by the caller (who still drops that reference)
 */
void xtcp_tw_reuse(struct xtcp_tw *tw)
{
	xtcp_tw_kill(tw);
}
