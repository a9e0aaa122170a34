// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit path.
 *
 * Segments wait in sk->sk_write_queue from the moment the user hands over
 * their data until they are acknowledged; a clone of each goes to the wire
 * every time it is (re)sent. The clone gets its TCP header here, then its IP
 * header (protocol 6: on the wire xtcp is TCP), then goes to the neighbour
 * layer exactly as ip_finish_output2() would hand it: ARP resolution, with
 * segments waiting in the neighbour's queue while it is unresolved, then
 * dev_queue_xmit() to whatever NIC the route chose.
 */
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/dst.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_cong.h"
#include "xtcp_connect.h"
#include "xtcp_mem.h"
#include "xtcp_output.h"
#include "xtcp_pernet.h"
#include "xtcp_route.h"
#include "xtcp_sock.h"
#include "xtcp_timer.h"
#include "xtcp_trace.h"
#include "xtcp_tsq.h"

/**
 * xtcp_output_tsval() - our timestamp clock: 1 ms ticks plus the offset
 * @sk: socket
 *
 * Return: the TSval to send now.
 */
u32 xtcp_output_tsval(const struct sock *sk)
{
	return xtcp_output_tsval_at(sk, tcp_clock_us());
}

/**
 * xtcp_output_tsval_at() - the TSval of a time already read
 * @sk: socket
 * @now_us: tcp_clock_us() of the event being handled
 *
 * One clock read serves a whole event, as tcp_mstamp does for native TCP:
 * the clock may be an expensive device (HPET in the test VM).
 *
 * Return: the TSval at @now_us, as tcp_time_stamp_raw() would have said.
 */
u32 xtcp_output_tsval_at(const struct sock *sk, u64 now_us)
{
	return (u32)div_u64(now_us, USEC_PER_MSEC) + xtcp_sk(sk)->ts_off;
}

/* What the IP header of a segment needs. */
struct xtcp_ip_params {
	__be32	saddr;
	__be32	daddr;
	u8	tos;
	int	ttl;	/* -1: the route's */
	bool	df;
};

/* SACK blocks we report: a D-SACK, then ranges of the out-of-order queue. */
struct xtcp_sack_blocks {
	u32	start[4];
	u32	end[4];
	int	n;
};

/*
 * As many blocks as fit beside the timestamp option (3) or not (4). A
 * D-SACK goes first (RFC 2883 4) and only once, as tcp_options_write()
 * clears it when written.
 */
static void xtcp_sack_fill(struct sock *sk, struct xtcp_sack_blocks *b)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int max = xs->tstamp_ok ? 3 : 4;

	b->n = 0;
	if (!xs->sack_ok)
		return;
	if (xs->dsack) {
		b->start[0] = xs->dsack_start;
		b->end[0] = xs->dsack_end;
		b->n = 1;
		xs->dsack = 0;
	}
	b->n += xtcp_ofo_sack_blocks(&xs->ofo, b->start + b->n, b->end + b->n,
				     max - b->n);
}

/* Option space of a segment: Linux's order and padding (tcp_options_write). */
static unsigned int xtcp_options_size(const struct sock *sk, u8 flags,
				      const struct xtcp_sack_blocks *sack)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	if (flags & TCPHDR_SYN)
		/* MSS, SACK_PERM + TS (or NOP NOP TS / NOP NOP SACK_PERM), NOP WS */
		return TCPOLEN_MSS_ALIGNED +
		       (xs->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0) +
		       (xs->sack_ok && !xs->tstamp_ok ? TCPOLEN_SACKPERM_ALIGNED : 0) +
		       (xs->wscale_ok ? TCPOLEN_WSCALE_ALIGNED : 0);
	return (xs->tstamp_ok ? TCPOLEN_TSTAMP_ALIGNED : 0) +
	       (sack->n ? TCPOLEN_SACK_BASE_ALIGNED +
			  sack->n * TCPOLEN_SACK_PERBLOCK : 0);
}

static void xtcp_options_write(struct sock *sk, __be32 *ptr, u8 flags,
			       const struct xtcp_sack_blocks *sack, u32 tsval)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int i;

	if (flags & TCPHDR_SYN)
		*ptr++ = htonl((TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) |
			       xs->adv_mss);
	if (xs->tstamp_ok) {
		if ((flags & TCPHDR_SYN) && xs->sack_ok)
			*ptr++ = htonl((TCPOPT_SACK_PERM << 24) |
				       (TCPOLEN_SACK_PERM << 16) |
				       (TCPOPT_TIMESTAMP << 8) |
				       TCPOLEN_TIMESTAMP);
		else
			*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				       (TCPOPT_TIMESTAMP << 8) |
				       TCPOLEN_TIMESTAMP);
		*ptr++ = htonl(tsval);
		*ptr++ = htonl(xs->ts_recent);
	} else if ((flags & TCPHDR_SYN) && xs->sack_ok) {
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
			       (TCPOPT_SACK_PERM << 8) | TCPOLEN_SACK_PERM);
	}
	if ((flags & TCPHDR_SYN) && xs->wscale_ok)
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) |
			       (TCPOLEN_WINDOW << 8) | xs->rcv_wscale);
	if (!(flags & TCPHDR_SYN) && sack->n) {
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
			       (TCPOPT_SACK << 8) |
			       (TCPOLEN_SACK_BASE + sack->n * TCPOLEN_SACK_PERBLOCK));
		for (i = 0; i < sack->n; i++) {
			*ptr++ = htonl(sack->start[i]);
			*ptr++ = htonl(sack->end[i]);
		}
	}
}

/*
 * The window to advertise: half the free receive buffer (as
 * tcp_adv_win_scale = 1), at most four MSS more under memory pressure once
 * half the buffer is in use, never shrinking what was already offered
 * (RFC 9293 3.8.6.2.2), in units of our window scale.
 */
static u16 xtcp_select_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int free_space, rcvbuf;
	u32 cur, win;

	rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	free_space = rcvbuf - atomic_read(&sk->sk_rmem_alloc);
	win = free_space > 0 ? free_space / 2 : 0;
	/* Short of memory, a filling buffer offers little more (as
	 * tcp_adjust_rcv_ssthresh()).
	 */
	if (free_space < rcvbuf / 2 && xtcp_mem_under_pressure())
		win = min_t(u32, win, 4 * xs->adv_mss);
	win = min_t(u32, win, U16_MAX << xs->rcv_wscale);
	win = round_down(win, 1U << xs->rcv_wscale);

	cur = xs->rcv_wup + xs->rcv_wnd - xs->rcv_nxt;
	if ((s32)cur > 0 && win < cur)
		win = round_up(cur, 1U << xs->rcv_wscale);
	xs->rcv_wnd = win;
	xs->rcv_wup = xs->rcv_nxt;
	return win >> xs->rcv_wscale;
}

/*
 * Same software/hardware split as ip_finish_output2() meets in drivers. A
 * GSO super-packet always leaves its checksum partial: the device or the
 * software segmentation in validate_xmit_skb() completes it per segment.
 */
static void xtcp_checksum(struct sk_buff *skb, struct net_device *dev,
			  __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);
	unsigned int len = skb->len;

	if (skb_is_gso(skb) ||
	    dev->features & (NETIF_F_IP_CSUM | NETIF_F_HW_CSUM)) {
		th->check = ~tcp_v4_check(len, saddr, daddr, 0);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
	} else {
		th->check = 0;
		th->check = tcp_v4_check(len, saddr, daddr,
					 skb_checksum(skb, 0, len, 0));
		skb->ip_summed = CHECKSUM_NONE;
	}
}

/* The route to send on: the socket's cached dst, or a fresh lookup. */
static struct rtable *xtcp_output_route(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_check(sk, 0);
	struct rtable *rt;

	if (dst)
		return (struct rtable *)dst;
	rt = xtcp_connect_route_sk(sk);
	if (IS_ERR(rt))
		return rt;
	sk_setup_caps(sk, &rt->dst);	/* takes over our reference */
	return rt;
}

/*
 * The next hop, as ip_finish_output2() finds it: the neighbour entry for
 * the route's gateway (or the destination), created on first use; frames
 * wait in its queue while ARP resolves, then go to dev_queue_xmit().
 */
static int xtcp_output_neigh(struct net *net, struct sock *sk,
			     struct sk_buff *skb)
{
	struct rtable *rt = skb_rtable(skb);
	struct net_device *dev = rt->dst.dev;
	unsigned int hh_len = LL_RESERVED_SPACE(dev);
	struct neighbour *neigh;
	bool is_v6gw = false;
	int err;

	skb->dev = dev;
	if (unlikely(skb_headroom(skb) < hh_len && dev->header_ops)) {
		skb = skb_expand_head(skb, hh_len);
		if (!skb)
			return -ENOMEM;
	}
	/* As ip_finish_output2() in 6.1: the neighbour tables are plain RCU. */
	rcu_read_lock();
	neigh = ip_neigh_for_gw(rt, skb, &is_v6gw);
	if (!IS_ERR(neigh)) {
		sock_confirm_neigh(skb, neigh);
		err = neigh_output(neigh, skb, is_v6gw);
	} else {
		kfree_skb(skb);
		err = -EHOSTUNREACH;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Add the IP header and hand the frame to the neighbour layer, for a socket
 * or (@sk NULL) for a reply no full socket stands behind. Netfilter's output
 * hooks are not traversed (see Documentation/design.md).
 */
static int xtcp_output_ip_route(struct net *net, struct sock *sk,
				struct sk_buff *skb, struct rtable *rt,
				const struct xtcp_ip_params *ip)
{
	struct iphdr *iph;
	int err;

	skb_dst_set(skb, dst_clone(&rt->dst));
	xtcp_checksum(skb, rt->dst.dev, ip->saddr, ip->daddr);

	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	*((__be16 *)iph) = htons((4 << 12) | (5 << 8) | ip->tos);
	iph->tot_len = htons(skb->len);
	iph->frag_off = ip->df ? htons(IP_DF) : 0;
	iph->ttl = ip->ttl < 0 ? ip4_dst_hoplimit(&rt->dst) : ip->ttl;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = ip->saddr;
	iph->daddr = ip->daddr;
	/* Each segment GSO cuts from it takes the next ID, as native TCP. */
	ip_select_ident_segs(net, skb, sk, skb_shinfo(skb)->gso_segs ? : 1);
	ip_send_check(iph);

	skb->protocol = htons(ETH_P_IP);
	/* Lower layers read IPCB; the control block held xtcp's until now. */
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));

	/* net_xmit_eval() evaluates its argument twice: never a call. */
	err = xtcp_output_neigh(net, sk, skb);
	return net_xmit_eval(err);
}

static int xtcp_output_ip(struct sock *sk, struct sk_buff *skb)
{
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_ip_params ip;
	struct rtable *rt;

	rt = xtcp_output_route(sk);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	ip.saddr = inet->inet_saddr;
	ip.daddr = inet->inet_daddr;
	ip.tos = inet->tos & 0xff;
	ip.ttl = inet->uc_ttl;
	ip.df = ip_dont_fragment(sk, &rt->dst);
	skb->priority = sk->sk_priority;
	skb->mark = sk->sk_mark;
	return xtcp_output_ip_route(sock_net(sk), sk, skb, rt, &ip);
}

/*
 * A segment longer than the MSS goes as one GSO super-packet: the device
 * (TSO) or dev_queue_xmit()'s software GSO cuts it into MSS-sized segments,
 * each with a copy of our TCP header and options (so every one carries the
 * timestamp), FIN and PSH only on the last. The fields live in the shared
 * info a clone shares with its queued original; xtcp_transmit_skb() makes a
 * private copy when an earlier clone may still be reading them.
 */
static void xtcp_output_set_gso(const struct sock *sk, struct sk_buff *skb,
				unsigned int payload)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	u32 mss = xtcp_sk(sk)->mss_cache;

	if (payload <= mss || !mss) {
		shinfo->gso_size = 0;
		shinfo->gso_segs = 0;
		shinfo->gso_type = 0;
		return;
	}
	shinfo->gso_size = mss;
	shinfo->gso_segs = DIV_ROUND_UP(payload, mss);
	shinfo->gso_type = SKB_GSO_TCPV4;
}

/*
 * Send one segment: a clone of @skb (which stays queued for retransmission)
 * or @skb itself when @clone is false. The header carries the sequence
 * numbers from the control block and our current ACK and window.
 */
static int xtcp_transmit_skb(struct sock *sk, struct sk_buff *skb, bool clone)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int opt_size, hdr_size;
	struct xtcp_sack_blocks sack;
	u64 now_us = tcp_clock_us();
	struct tcphdr *th;
	u8 flags = cb->flags;

	if (clone) {
		cb->sent_us = now_us;
		/* A clone still in a qdisc shares our headroom: copy then. */
		skb = skb_cloned(skb) ? pskb_copy(skb, GFP_ATOMIC) :
					skb_clone(skb, GFP_ATOMIC);
		if (!skb)
			return -ENOBUFS;
	}
	skb_orphan(skb);
	xtcp_tsq_set_owner(sk, skb);

	sack.n = 0;
	if (!(flags & TCPHDR_SYN))
		xtcp_sack_fill(sk, &sack);
	opt_size = xtcp_options_size(sk, flags, &sack);
	hdr_size = sizeof(struct tcphdr) + opt_size;
	skb_push(skb, hdr_size);
	skb_reset_transport_header(skb);
	th = tcp_hdr(skb);
	memset(th, 0, sizeof(*th));
	th->source = inet->inet_sport;
	th->dest = inet->inet_dport;
	th->seq = htonl(cb->seq);
	th->doff = hdr_size >> 2;
	tcp_flag_byte(th) = flags;
	if (flags & TCPHDR_ACK)
		th->ack_seq = htonl(xs->rcv_nxt);
	if (flags & TCPHDR_SYN)
		/* RFC 7323 2.2: the window of a SYN is never scaled. */
		th->window = htons(min(xs->rcv_wnd, 65535U));
	else
		th->window = htons(xtcp_select_window(sk));
	xtcp_options_write(sk, (__be32 *)(th + 1), flags, &sack,
			   xtcp_output_tsval_at(sk, now_us));
	xtcp_output_set_gso(sk, skb, skb->len - hdr_size);

	if (flags & TCPHDR_ACK) {
		/* Whatever we owed the peer goes with this segment. */
		xs->ack_pending = 0;
		xs->unacked_segs = 0;
		xtcp_timer_clear_delack(sk);
	}
	return xtcp_output_ip(sk, skb);
}

/**
 * xtcp_output_alloc_skb() - a segment buffer with room for all headers
 * @sk: owning socket
 * @size: payload bytes it must hold
 * @gfp: allocation flags
 *
 * Return: the skb (control block zeroed) or NULL.
 */
struct sk_buff *xtcp_output_alloc_skb(struct sock *sk, unsigned int size,
				      gfp_t gfp)
{
	struct sk_buff *skb;

	BUILD_BUG_ON(sizeof(struct xtcp_skb_cb) > sizeof_field(struct sk_buff, cb));
	skb = alloc_skb(MAX_TCP_HEADER + size, gfp);
	if (!skb)
		return NULL;
	skb_reserve(skb, MAX_TCP_HEADER);
	memset(skb->cb, 0, sizeof(skb->cb));
	/* No checksum while copying in: xtcp_checksum() decides at transmit. */
	skb->ip_summed = CHECKSUM_PARTIAL;
	return skb;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_output_alloc_skb);

/**
 * xtcp_output_queue_skb() - append a segment to the write queue
 * @sk: socket, locked
 * @skb: segment with seq, end_seq and flags set in its control block
 *
 * The segment is charged to sk_wmem_queued until it is acknowledged.
 */
void xtcp_output_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	__skb_queue_tail(&sk->sk_write_queue, skb);
	xtcp_mem_wqueue_add(sk, skb->truesize);
	if (!xs->send_head)
		xs->send_head = skb;
	xs->write_seq = XTCP_SKB_CB(skb)->end_seq;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_output_queue_skb);

/**
 * xtcp_output_initial_window() - our first window and its scale
 * @sk: the connecting socket, or the listener of a request
 * @mss: MSS we announce
 * @wscale_ok: whether window scaling will be used
 * @wnd: the window to offer in the SYN or SYN-ACK
 * @wscale: our shift, 0 without scaling
 *
 * Mirrors tcp_select_initial_window(): offer half the receive buffer rounded
 * to the MSS and capped to 64 KiB, and a shift large enough for the most the
 * buffer may grow to (tcp_rmem[2], rmem_max), but no larger than the window
 * clamp: TCP_WINDOW_CLAMP, and a receive buffer fixed by SO_RCVBUF, which
 * cannot grow (tcp_connect_init(), tcp_openreq_init_rwin()).
 */
void xtcp_output_initial_window(const struct sock *sk, u32 mss,
				bool wscale_ok, u32 *wnd, u8 *wscale)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf) / 2;
	u32 clamp = xtcp_sk(sk)->window_clamp;

	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) && (!clamp || clamp > space))
		clamp = space;
	if (!clamp)
		clamp = U16_MAX << XTCP_MAX_WSCALE;
	space = min(space, clamp);
	if (space > mss)
		space = rounddown(space, mss);
	*wnd = min_t(u32, space, U16_MAX);
	*wscale = 0;
	if (wscale_ok) {
		space = max_t(u32, space,
			      READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[2]));
		space = max_t(u32, space, READ_ONCE(sysctl_rmem_max));
		space = min(space, clamp);
		*wscale = clamp_t(int, ilog2(space) - 15, 0, XTCP_MAX_WSCALE);
	}
}

/**
 * xtcp_output_init_window() - choose our window and its scale before the SYN
 * @sk: connecting socket
 */
void xtcp_output_init_window(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 wscale;

	xtcp_output_initial_window(sk, xs->adv_mss, xs->wscale_ok, &xs->rcv_wnd,
				   &wscale);
	xs->rcv_wscale = wscale;
}

/**
 * xtcp_output_sync_mss() - recompute the sending MSS from route and peer
 * @sk: socket with a route and, once synchronised, the peer's options
 */
void xtcp_output_sync_mss(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst = __sk_dst_get(sk);
	u32 clamp, pmtu;

	pmtu = dst ? dst_mtu(dst) : inet_csk(sk)->icsk_pmtu_cookie;
	if (!pmtu)
		return;
	clamp = xs->rx_mss;
	if (xs->user_mss && (!clamp || xs->user_mss < clamp))
		clamp = xs->user_mss;
	inet_csk(sk)->icsk_pmtu_cookie = pmtu;
	xs->mss_cache = xtcp_sock_mtu_to_mss(pmtu,
					     inet_csk(sk)->icsk_ext_hdr_len,
					     clamp,
					     READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_min_snd_mss));
	if (xs->tstamp_ok && xs->mss_cache > TCPOLEN_TSTAMP_ALIGNED + 8)
		xs->mss_cache -= TCPOLEN_TSTAMP_ALIGNED;
}

/*
 * Give a queued segment its own head and shared info before editing its
 * fragments: a clone still in a qdisc or driver shares them. The charge to
 * sk_wmem_queued stays as it was (skb_unclone_keeptruesize(), which 6.1
 * does not export).
 */
static int xtcp_unclone(struct sk_buff *skb)
{
	unsigned int truesize = skb->truesize;

	if (!skb_cloned(skb))
		return 0;
	if (pskb_expand_head(skb, 0, 0, GFP_ATOMIC))
		return -ENOBUFS;
	skb->truesize = truesize;
	return 0;
}

/**
 * xtcp_output_split() - cut a queued segment in two (tcp_fragment())
 * @sk: socket, locked
 * @skb: segment of the write queue
 * @len: payload bytes that stay in @skb; the rest goes to a new segment
 *	queued right after it
 *
 * So that a window or a (shrunken) MSS smaller than the segment can still be
 * used, one lost MSS of a large segment resent, or a SACK block's edge
 * marked. Payload in page frags moves to the new segment by reference. The
 * split edits the shared info, so a clone of @skb still in flight first gets
 * @skb's own copy of it. The new segment inherits @skb's marks.
 *
 * Return: 0, -EINVAL if @len does not fall inside the payload, -ENOBUFS.
 */
int xtcp_output_split(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb), *tcb;
	u32 rest = skb->len - len;
	struct sk_buff *tail;
	int nsize;

	if (!len || len >= skb->len)
		return -EINVAL;
	if (xtcp_unclone(skb))
		return -ENOBUFS;
	nsize = max_t(int, skb_headlen(skb) - (int)len, 0);
	tail = xtcp_output_alloc_skb(sk, nsize, GFP_ATOMIC);
	if (!tail)
		return -ENOBUFS;
	/* A loss repair or a SACK edge cannot wait for memory. */
	xtcp_mem_force(sk, tail->truesize, SK_MEM_SEND);
	xtcp_mem_wqueue_add(sk, tail->truesize);
	/* The moved bytes' charge moves with them. */
	tail->truesize += rest;
	skb->truesize -= rest;
	skb_split(skb, tail, len);
	tcb = XTCP_SKB_CB(tail);
	tcb->seq = cb->seq + len;
	tcb->end_seq = cb->end_seq;
	tcb->flags = cb->flags;
	tcb->retransmitted = cb->retransmitted;
	tcb->sacked = cb->sacked;
	tcb->lost = cb->lost;
	tcb->retrans = cb->retrans;
	tcb->sent_us = cb->sent_us;
	/* FIN and PSH belong to the last byte. */
	cb->flags &= ~(TCPHDR_FIN | TCPHDR_PSH);
	cb->end_seq = cb->seq + len;
	__skb_queue_after(&sk->sk_write_queue, skb, tail);
	return 0;
}

/**
 * xtcp_output_trim_head() - drop acknowledged bytes from the front of a
 *	queued segment (tcp_trim_head())
 * @sk: socket, locked
 * @skb: the oldest segment of the write queue, partly acknowledged
 * @len: payload bytes acknowledged, less than @skb->len
 *
 * A large segment is acknowledged an MSS or two at a time; trimming it keeps
 * a retransmission from starting at bytes the peer already has, and gives
 * the memory of fragments wholly acknowledged back at once.
 *
 * Return: 0, or -ENOBUFS if the segment could not be made private.
 */
int xtcp_output_trim_head(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct skb_shared_info *shinfo;
	u32 eat, freed = 0;
	int i, k = 0;

	if (!len || len >= skb->len)
		return 0;
	if (xtcp_unclone(skb))
		return -ENOBUFS;
	eat = min_t(u32, len, skb_headlen(skb));
	__skb_pull(skb, eat);
	eat = len - eat;
	shinfo = skb_shinfo(skb);
	for (i = 0; i < shinfo->nr_frags; i++) {
		skb_frag_t *frag = &shinfo->frags[i];
		u32 size = skb_frag_size(frag);

		if (size <= eat) {
			/* Whole fragment acknowledged: release the page. */
			skb_frag_unref(skb, i);
			eat -= size;
			freed += size;
			continue;
		}
		shinfo->frags[k] = *frag;
		if (eat) {
			skb_frag_off_add(&shinfo->frags[k], eat);
			skb_frag_size_sub(&shinfo->frags[k], eat);
			freed += eat;
			eat = 0;
		}
		k++;
	}
	shinfo->nr_frags = k;
	skb->data_len -= freed;
	skb->len -= freed;
	/* Bytes in page frags were charged one for one (sendmsg). */
	skb->truesize -= freed;
	xtcp_mem_wqueue_add(sk, -(int)freed);
	XTCP_SKB_CB(skb)->seq += len;
	return 0;
}

/**
 * xtcp_output_send_syn() - queue and send the SYN of an active open
 * @sk: socket in SYN_SENT with iss, ports and route set
 *
 * Return: 0 or -ENOBUFS; a SYN lost to the device is retransmitted by the
 * timer like any lost SYN.
 */
int xtcp_output_send_syn(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	skb = xtcp_output_alloc_skb(sk, 0, sk->sk_allocation);
	if (!skb)
		return -ENOBUFS;
	xtcp_mem_force(sk, skb->truesize, SK_MEM_SEND);
	XTCP_SKB_CB(skb)->seq = xs->iss;
	XTCP_SKB_CB(skb)->end_seq = xs->iss + 1;
	XTCP_SKB_CB(skb)->flags = TCPHDR_SYN;
	xtcp_output_queue_skb(sk, skb);
	xs->send_head = NULL;
	xs->snd_nxt = xs->iss + 1;
	xs->snd_max = xs->snd_nxt;
	trace_xtcp_syn_send(sk, xs->iss, xs->adv_mss, xs->rcv_wscale, 0);
	xtcp_transmit_skb(sk, skb, true);
	xtcp_timer_reset_rto(sk);
	return 0;
}

/*
 * A segment sent again (tcp_retransmit_skb()): the connection's count, and
 * one more a D-SACK must report before the last recovery is undone. A
 * bare SYN or FIN counts as one.
 */
static void xtcp_count_retrans(struct xtcp_sock *xs, const struct sk_buff *skb)
{
	u32 segs = max(xtcp_packets(xs, skb->len), 1U);

	xs->total_retrans += segs;
	if (xs->undo_armed)
		xs->undo_retrans = max(xs->undo_retrans, 0) + segs;
}

/**
 * xtcp_output_retransmit() - send a segment of the write queue again
 * @sk: socket, locked (socket lock or bh lock with the owner absent)
 * @skb: the segment, sent before; cut to one MSS first
 *
 * Return: 0, or a negative errno if it could not be sent now.
 */
int xtcp_output_retransmit(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/*
	 * One MSS: the hole at the head of a large segment, or the path MTU
	 * shrank since it was queued.
	 */
	if (skb->len > xs->mss_cache)
		xtcp_output_split(sk, skb, xs->mss_cache);
	XTCP_SKB_CB(skb)->retransmitted = 1;
	xtcp_count_retrans(xs, skb);
	if (XTCP_SKB_CB(skb)->flags & TCPHDR_SYN)
		trace_xtcp_syn_send(sk, XTCP_SKB_CB(skb)->seq, xs->adv_mss,
				    xs->rcv_wscale, inet_csk(sk)->icsk_retransmits);
	else
		trace_xtcp_retransmit(sk, XTCP_SKB_CB(skb)->seq,
				      jiffies_to_msecs(xs->rto),
				      inet_csk(sk)->icsk_retransmits);
	/* A SYN_SENT socket has nothing to acknowledge yet. */
	if (sk->sk_state != TCP_SYN_SENT)
		XTCP_SKB_CB(skb)->flags |= TCPHDR_ACK;
	return xtcp_transmit_skb(sk, skb, true);
}

/**
 * xtcp_output_retransmit_head() - send the oldest unacknowledged segment again
 * @sk: socket, locked (socket lock or bh lock with the owner absent)
 *
 * Return: 0, or a negative errno if it could not be sent now.
 */
int xtcp_output_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	return skb ? xtcp_output_retransmit(sk, skb) : 0;
}

/*
 * Usable window in bytes: what the congestion window allows beyond what is
 * in the network (RFC 5681; RFC 6675's pipe with SACK), within what the
 * peer's window offers beyond the oldest unacknowledged byte.
 */
static u32 xtcp_send_window(const struct xtcp_sock *xs)
{
	u32 cwnd_bytes = min_t(u64, (u64)xs->cwnd * xs->mss_cache, U32_MAX);
	u32 in_flight = xtcp_in_flight(xs);
	u32 flight = xtcp_flight(xs);
	u32 cwnd_room, rwnd_room;

	cwnd_room = cwnd_bytes > in_flight ? cwnd_bytes - in_flight : 0;
	rwnd_room = xs->snd_wnd > flight ? xs->snd_wnd - flight : 0;
	return min(cwnd_room, rwnd_room);
}

/*
 * Nagle's algorithm (RFC 896) with Minshall's change, as tcp_nagle_test():
 * the last queued segment, if shorter than the MSS and new, waits while a
 * short segment sent earlier is unacknowledged, or while the socket is
 * corked; TCP_NODELAY turns the first rule off, TCP_NAGLE_PUSH both for
 * what was queued when it was set. A FIN never waits.
 */
static bool xtcp_nagle_hold(const struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u8 nonagle = xs->nonagle;

	if (!skb_queue_is_last(&sk->sk_write_queue, skb) ||
	    skb->len >= xs->mss_cache || (cb->flags & TCPHDR_FIN) ||
	    xtcp_seq_before(cb->seq, xs->snd_max))
		return false;
	if ((nonagle & TCP_NAGLE_PUSH) && xtcp_seq_before(cb->seq, xs->push_seq))
		return false;
	if (nonagle & TCP_NAGLE_CORK)
		return true;
	return !(nonagle & TCP_NAGLE_OFF) && xtcp_flight(xs) &&
	       xtcp_seq_after(xs->snd_sml, xs->snd_una) &&
	       !xtcp_seq_after(xs->snd_sml, xs->snd_nxt);
}

/* Send @skb, the send head, and move the send head past it. */
static int xtcp_xmit_new(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);

	cb->flags |= TCPHDR_ACK;
	if (xtcp_seq_before(cb->seq, xs->snd_max)) {
		cb->retransmitted = 1;
		xtcp_count_retrans(xs, skb);	/* resent after an RTO */
	}
	xtcp_cong_data_sent(sk);
	if (xtcp_transmit_skb(sk, skb, true) == -ENOBUFS)
		return -ENOBUFS;
	if (xs->in_recovery)
		xs->prr_out += xtcp_packets(xs, cb->end_seq - xs->snd_nxt);
	xs->snd_nxt = cb->end_seq;
	/* Minshall: its last segment (or it) was short. */
	if (skb->len % max(xs->mss_cache, 1U))
		xs->snd_sml = cb->end_seq;
	if (xtcp_seq_after(xs->snd_nxt, xs->snd_max))
		xs->snd_max = xs->snd_nxt;
	xs->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			NULL : skb->next;
	return 0;
}

/**
 * xtcp_output_loss_probe() - send a tail loss probe (RFC 8985 7.3, as
 *	tcp_send_loss_probe())
 * @sk: established socket with data in flight, locked
 *
 * One segment of new data if the peer's window takes it (the congestion
 * window aside, as Linux), else the last segment sent once more: either
 * way its ACK, with SACK, shows what the tail lost, so that fast recovery
 * repairs it instead of the RTO.
 *
 * Return: 0 if a probe left, else a negative errno.
 */
int xtcp_output_loss_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = max(xs->mss_cache, 1U);
	struct sk_buff *skb = xs->send_head;

	if (skb && skb->len) {
		if (skb->len > mss)
			xtcp_output_split(sk, skb, mss);
		if (!xtcp_seq_after(XTCP_SKB_CB(skb)->end_seq,
				    xs->snd_una + xs->snd_wnd))
			return xtcp_xmit_new(sk, skb);
	}
	if (!skb)
		skb = skb_peek_tail(&sk->sk_write_queue);
	else if (!skb_queue_is_first(&sk->sk_write_queue, skb))
		skb = skb->prev;
	else
		skb = NULL;
	if (!skb || !xtcp_seq_before(XTCP_SKB_CB(skb)->seq, xs->snd_nxt))
		return -EAGAIN;
	/* Only its last MSS. */
	if (skb->len > mss &&
	    !xtcp_output_split(sk, skb, rounddown(skb->len - 1, mss)))
		skb = skb->next;
	if (XTCP_SKB_CB(skb)->sacked)
		return -EAGAIN;
	return xtcp_output_retransmit(sk, skb);
}

/**
 * xtcp_output_write_xmit() - send queued data as far as the windows allow
 * @sk: established (or closing) socket, locked
 */
void xtcp_output_write_xmit(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = max(xs->mss_cache, 1U);
	bool sent = false;
	struct sk_buff *skb;

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_CLOSE | TCPF_LISTEN))
		return;
	while ((skb = xs->send_head)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 len = cb->end_seq - xs->snd_nxt;
		u32 max_len;

		/*
		 * Segments resent after an RTO may start below snd_nxt; what
		 * the peer SACKed is not resent.
		 */
		if ((xtcp_seq_before(cb->seq, xs->snd_nxt) &&
		     !xtcp_seq_after(cb->end_seq, xs->snd_nxt)) || cb->sacked) {
			if (xtcp_seq_after(cb->end_seq, xs->snd_nxt)) {
				xs->sacked_out += cb->end_seq - xs->snd_nxt;
				xs->snd_nxt = cb->end_seq;
			}
			xs->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
					NULL : skb->next;
			continue;
		}
		/*
		 * Without GSO one MSS per frame; with it as many as the
		 * device takes (the MSS may have shrunk since sendmsg()).
		 */
		max_len = sk_can_gso(sk) ? sk->sk_gso_max_segs * mss : mss;
		if (skb->len > max_len)
			xtcp_output_split(sk, skb, max_len);
		if (xtcp_nagle_hold(sk, skb) || xtcp_tsq_full(sk, skb))
			break;
		len = cb->end_seq - xs->snd_nxt;
		/* A lone FIN needs no window. */
		if (len > xtcp_send_window(xs) && skb->len) {
			u32 wnd = xtcp_send_window(xs);

			/*
			 * Room for whole segments of a large one: send those
			 * now, the rest when ACKs open the window (as
			 * tcp_mss_split_point()).
			 */
			if (wnd >= mss && !xtcp_output_split(sk, skb, rounddown(wnd, mss)))
				goto send;
			/*
			 * A window smaller than the segment, with nothing in
			 * flight to open it further: use what there is
			 * (tcp_write_wakeup()), else the sender would stall.
			 */
			if (xtcp_flight(xs) || !wnd || xtcp_output_split(sk, skb, wnd))
				break;
			len = wnd;
		}
send:
		if (xtcp_xmit_new(sk, skb))
			break;
		sent = true;
	}
	xtcp_cong_validate(sk, sent);
	/* What TCP_NAGLE_PUSH was set for has left. */
	if (!xs->send_head ||
	    !xtcp_seq_before(XTCP_SKB_CB(xs->send_head)->seq, xs->push_seq))
		xs->nonagle &= ~TCP_NAGLE_PUSH;
	/* A tail loss probe before the RTO (as tcp_event_new_data_sent()). */
	if (sent && !xtcp_timer_schedule_tlp(sk, false) &&
	    inet_csk(sk)->icsk_pending != ICSK_TIME_RETRANS)
		xtcp_timer_reset_rto(sk);
	/* Data waits, nothing is in flight, the peer's window is shut: probe. */
	if (xs->send_head && !xtcp_flight(xs) && !xtcp_timer_rto_pending(sk))
		xtcp_timer_reset_probe(sk);
}

/* A segment without payload that is not queued: ACK, RST, window probe. */
static void xtcp_send_bare(struct sock *sk, u32 seq, u8 flags, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = xtcp_output_alloc_skb(sk, 0, gfp);
	if (!skb) {
		/* Try again from the delayed-ACK timer. */
		if (flags == TCPHDR_ACK)
			xtcp_timer_reset_delack(sk, XTCP_DELACK_MIN);
		return;
	}
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq;
	XTCP_SKB_CB(skb)->flags = flags;
	xtcp_transmit_skb(sk, skb, false);
}

/**
 * xtcp_output_send_ack() - send a pure ACK now
 * @sk: synchronised socket
 */
void xtcp_output_send_ack(struct sock *sk)
{
	if (sk->sk_state == TCP_CLOSE)
		return;
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_nxt, TCPHDR_ACK, GFP_ATOMIC);
}

/**
 * xtcp_output_send_probe() - zero-window probe, as tcp_xmit_probe_skb()
 * @sk: socket whose peer offers no window while data waits
 *
 * An ACK with an already acknowledged sequence number makes the peer answer
 * with its current window without our sending any data into a shut window.
 */
void xtcp_output_send_probe(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_una - 1, TCPHDR_ACK, GFP_ATOMIC);
}

/**
 * xtcp_output_send_fin() - queue our FIN behind any data and send what may go
 * @sk: socket moving to FIN_WAIT1 or LAST_ACK, locked
 */
void xtcp_output_send_fin(struct sock *sk)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_write_queue);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	/* Ride on the last unsent segment when there is one. */
	if (tail && xs->send_head && !(XTCP_SKB_CB(tail)->flags & TCPHDR_FIN)) {
		XTCP_SKB_CB(tail)->flags |= TCPHDR_FIN;
		XTCP_SKB_CB(tail)->end_seq++;
		xs->write_seq++;
	} else {
		/* A FIN must go out: wait for memory, as tcp_send_fin(). */
		skb = xtcp_output_alloc_skb(sk, 0, GFP_KERNEL | __GFP_NOFAIL);
		xtcp_mem_force(sk, skb->truesize, SK_MEM_SEND);
		XTCP_SKB_CB(skb)->seq = xs->write_seq;
		XTCP_SKB_CB(skb)->end_seq = xs->write_seq + 1;
		XTCP_SKB_CB(skb)->flags = TCPHDR_FIN | TCPHDR_ACK;
		xtcp_output_queue_skb(sk, skb);
	}
	xtcp_output_write_xmit(sk);
}

/**
 * xtcp_output_send_reset_to() - RST for a segment that is not for us
 * @sk: socket in SYN_SENT that received an unacceptable ACK
 * @seq: that segment's ACK number (RFC 9293 3.10.7.3: <SEQ=SEG.ACK><CTL=RST>)
 */
void xtcp_output_send_reset_to(struct sock *sk, u32 seq)
{
	xtcp_send_bare(sk, seq, TCPHDR_RST, GFP_ATOMIC);
}

/**
 * xtcp_output_send_reset() - abort the connection on the wire
 * @sk: socket whose peer must forget the connection
 * @gfp: allocation flags of the caller's context
 */
void xtcp_output_send_reset(struct sock *sk, gfp_t gfp)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_nxt, TCPHDR_RST | TCPHDR_ACK, gfp);
}

/**
 * xtcp_output_reply_options() - the options of a reply, in Linux's order
 *	(see xtcp_options_write()): MSS, SACK-permitted + timestamps, NOP +
 *	window scale
 * @r: what the reply carries
 * @ptr: where to write them, room for 40 bytes
 *
 * Return: the bytes written, a multiple of 4.
 */
unsigned int xtcp_output_reply_options(const struct xtcp_reply *r, __be32 *ptr)
{
	bool syn = r->flags & TCPHDR_SYN;
	__be32 *start = ptr;

	if (syn && r->mss)
		*ptr++ = htonl((TCPOPT_MSS << 24) | (TCPOLEN_MSS << 16) | r->mss);
	if (r->tstamp) {
		if (syn && r->sack_ok)
			*ptr++ = htonl((TCPOPT_SACK_PERM << 24) |
				       (TCPOLEN_SACK_PERM << 16) |
				       (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
		else
			*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
				       (TCPOPT_TIMESTAMP << 8) | TCPOLEN_TIMESTAMP);
		*ptr++ = htonl(r->tsval);
		*ptr++ = htonl(r->tsecr);
	} else if (syn && r->sack_ok) {
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_NOP << 16) |
			       (TCPOPT_SACK_PERM << 8) | TCPOLEN_SACK_PERM);
	}
	if (syn && r->wscale >= 0)
		*ptr++ = htonl((TCPOPT_NOP << 24) | (TCPOPT_WINDOW << 16) |
			       (TCPOLEN_WINDOW << 8) | r->wscale);
	return (ptr - start) * 4;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_output_reply_options);

/*
 * The route of a reply, from the namespace's route cache. Ports stay out of
 * the key unless policy rules may look at them, so that replies to one host
 * (and the SYN-ACK's MSS lookup) share an entry.
 */
static struct rtable *xtcp_reply_route(struct net *net,
				       const struct xtcp_reply *r)
{
	struct xtcp_route_key key = {
		.daddr = r->daddr,
		.saddr = r->saddr,
		.mark = r->mark,
		.oif = r->oif,
		.uid = r->uid,
		.tos = RT_TOS(r->tos),
		.proto = IPPROTO_TCP,
	};
	struct flowi4 fl4;
	u32 pmtu;

	if (xtcp_connect_rules_use_ports(net)) {
		key.dport = r->dport;
		key.sport = r->sport;
	}
	return xtcp_route_lookup(xtcp_net_routes(net), &key, &fl4, &pmtu, NULL);
}

/**
 * xtcp_output_reply() - send a segment no full socket stands behind
 * @net: namespace to send in
 * @r: the segment: addresses, sequence numbers, flags, window, options
 *
 * SYN-ACKs of request sockets and SYN cookies, ACKs from TIME_WAIT entries
 * and resets for segments no socket wants go out this way: routed through
 * the namespace's route cache (xtcp_reply_route()), then like any segment
 * to the neighbour layer.
 *
 * Return: 0 or a negative errno.
 */
int xtcp_output_reply(struct net *net, const struct xtcp_reply *r)
{
	struct xtcp_ip_params ip;
	struct sk_buff *skb;
	struct tcphdr *th;
	__be32 opts[10];
	unsigned int olen;
	struct rtable *rt;
	int err;

	rt = xtcp_reply_route(net, r);
	if (IS_ERR(rt))
		return PTR_ERR(rt);

	skb = alloc_skb(MAX_TCP_HEADER, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return -ENOBUFS;
	}
	skb_reserve(skb, MAX_TCP_HEADER);
	olen = xtcp_output_reply_options(r, opts);
	th = skb_push(skb, sizeof(*th) + olen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = r->sport;
	th->dest = r->dport;
	th->seq = htonl(r->seq);
	th->ack_seq = htonl(r->ack);
	th->doff = (sizeof(*th) + olen) >> 2;
	tcp_flag_byte(th) = r->flags;
	th->window = htons(r->window);
	memcpy(th + 1, opts, olen);

	ip.saddr = r->saddr;
	ip.daddr = r->daddr;
	ip.tos = r->tos;
	ip.ttl = -1;
	/* As ip_build_and_send_pkt(): DF unless PMTU discovery is off. */
	ip.df = READ_ONCE(net->ipv4.sysctl_ip_no_pmtu_disc) ? false : true;
	skb->mark = r->mark;
	err = xtcp_output_ip_route(net, NULL, skb, rt, &ip);
	ip_rt_put(rt);
	return err;
}

/**
 * xtcp_output_reply_advmss() - the MSS to offer a peer in a SYN-ACK
 * @net: namespace
 * @saddr: our address
 * @daddr: the peer's
 * @sport: our port
 * @dport: the peer's
 * @lsk: the listener (mark, device, owner, TOS of its routes)
 *
 * Return: the route's advertised MSS (dst_metric_advmss()), or the
 * RFC 9293 default when there is no route back.
 */
u32 xtcp_output_reply_advmss(struct net *net, __be32 saddr, __be32 daddr,
			     __be16 sport, __be16 dport, const struct sock *lsk)
{
	struct xtcp_reply r = {
		.saddr = saddr,
		.daddr = daddr,
		.sport = sport,
		.dport = dport,
		.tos = inet_sk(lsk)->tos,
		.oif = lsk->sk_bound_dev_if,
		.mark = lsk->sk_mark,
		.uid = lsk->sk_uid,
	};
	struct rtable *rt;
	u32 advmss;

	rt = xtcp_reply_route(net, &r);
	if (IS_ERR(rt))
		return XTCP_DEFAULT_MSS;
	advmss = dst_metric_advmss(&rt->dst);
	ip_rt_put(rt);
	return advmss;
}

/**
 * xtcp_output_reset_reply() - RST for a segment no connection wants
 * @net: namespace it arrived in
 * @iph: its IP header
 * @th: its TCP header
 * @len: its payload length
 *
 * RFC 9293 3.10.7.1: <SEQ=SEG.ACK><CTL=RST> for a segment with ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; never for a RST.
 */
void xtcp_output_reset_reply(struct net *net, const struct iphdr *iph,
			     const struct tcphdr *th, u32 len)
{
	struct xtcp_reply r = {
		.saddr = iph->daddr,
		.daddr = iph->saddr,
		.sport = th->dest,
		.dport = th->source,
		.tos = iph->tos & ~INET_ECN_MASK,
		.wscale = -1,
		.uid = sock_net_uid(net, NULL),
	};

	if (th->rst)
		return;
	if (th->ack) {
		r.seq = ntohl(th->ack_seq);
		r.flags = TCPHDR_RST;
	} else {
		r.ack = ntohl(th->seq) + th->syn + th->fin + len;
		r.flags = TCPHDR_RST | TCPHDR_ACK;
	}
	xtcp_output_reply(net, &r);
}
