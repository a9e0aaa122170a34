// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-order queue, as Linux's tcp_data_queue_ofo(): a red-black tree
 * of segments keyed by sequence number. A segment held in full already is
 * dropped, one that covers queued segments replaces them, one that starts
 * where its predecessor ends is appended to it (so a run of segments after
 * a single hole stays one skb), and memory is given back from the highest
 * sequence first (tcp_prune_ofo_queue()), furthest from being readable.
 *
 * The functions take the queue, not the socket, so KUnit can drive them
 * with bare skbs; the socket is only needed to charge memory.
 */
#include <linux/skbuff.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "xtcp.h"
#include "xtcp_ofo.h"

static u32 xtcp_ofo_seq(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->seq;
}

static u32 xtcp_ofo_end(const struct sk_buff *skb)
{
	return XTCP_SKB_CB(skb)->end_seq;
}

/*
 * Append @from to @to when it starts where @to ends (tcp_ooo_try_coalesce()).
 * @from is not charged to the socket yet; only the growth of @to is.
 */
static bool xtcp_ofo_coalesce(struct sk_buff *to, struct sk_buff *from,
			      struct sock *sk)
{
	struct xtcp_skb_cb *tcb = XTCP_SKB_CB(to);
	struct xtcp_skb_cb *fcb = XTCP_SKB_CB(from);
	bool fragstolen;
	int delta;

	if (fcb->seq != tcb->end_seq || (tcb->flags & TCPHDR_FIN))
		return false;
	if (!skb_try_coalesce(to, from, &fragstolen, &delta))
		return false;
	if (sk) {
		atomic_add(delta, &sk->sk_rmem_alloc);
		sk_mem_charge(sk, delta);
	}
	tcb->end_seq = fcb->end_seq;
	tcb->flags |= fcb->flags;
	kfree_skb_partial(from, fragstolen);
	return true;
}

/* Drop the segments after @skb that it covers; it may become the last. */
static void xtcp_ofo_merge_right(struct xtcp_ofo *q, struct sk_buff *skb)
{
	u32 end_seq = xtcp_ofo_end(skb);
	struct sk_buff *next;

	while ((next = skb_rb_next(skb))) {
		if (!xtcp_seq_after(end_seq, xtcp_ofo_seq(next)))
			return;
		if (xtcp_seq_before(end_seq, xtcp_ofo_end(next)))
			return;		/* partial overlap: keep it */
		rb_erase(&next->rbnode, &q->root);
		kfree_skb(next);
	}
	q->last = skb;
}

/**
 * xtcp_ofo_insert() - keep a segment that arrived ahead of a gap
 * @q: the queue
 * @skb: the segment, XTCP_SKB_CB() seq and end_seq set, data at the payload,
 *	not owned by any socket yet
 * @sk: socket to charge the memory to (skb_set_owner_r()), NULL for none
 *
 * The tree never holds a segment wholly inside another: @skb is freed if
 * the queue has all its bytes, and replaces or drops what it covers.
 * Partial overlaps are kept as they are, as Linux does.
 *
 * Return: what became of @skb; it must not be used afterwards unless
 * %XTCP_OFO_QUEUED.
 */
enum xtcp_ofo_result xtcp_ofo_insert(struct xtcp_ofo *q, struct sk_buff *skb,
				     struct sock *sk)
{
	u32 seq = xtcp_ofo_seq(skb), end_seq = xtcp_ofo_end(skb);
	struct rb_node **p, *parent = NULL;
	struct sk_buff *skb1;

	q->recent = seq;
	p = &q->root.rb_node;
	if (q->last) {
		/* In-sequence after the last hole: the common case. */
		if (xtcp_ofo_coalesce(q->last, skb, sk))
			return XTCP_OFO_MERGED;
		if (!xtcp_seq_before(seq, xtcp_ofo_end(q->last))) {
			parent = &q->last->rbnode;
			p = &parent->rb_right;
			goto insert;
		}
	}
	while (*p) {
		parent = *p;
		skb1 = rb_to_skb(parent);
		if (xtcp_seq_before(seq, xtcp_ofo_seq(skb1))) {
			p = &parent->rb_left;
			continue;
		}
		if (xtcp_seq_before(seq, xtcp_ofo_end(skb1))) {
			if (!xtcp_seq_after(end_seq, xtcp_ofo_end(skb1))) {
				kfree_skb(skb);		/* all bits present */
				return XTCP_OFO_DUP;
			}
			if (seq == xtcp_ofo_seq(skb1)) {
				/* Same start, more bytes: take its place. */
				rb_replace_node(&skb1->rbnode, &skb->rbnode,
						&q->root);
				kfree_skb(skb1);
				goto merge;
			}
			/* Partial overlap: goes after it. */
		} else if (xtcp_ofo_coalesce(skb1, skb, sk)) {
			xtcp_ofo_merge_right(q, skb1);
			return XTCP_OFO_MERGED;
		}
		p = &parent->rb_right;
	}
insert:
	rb_link_node(&skb->rbnode, parent, p);
	rb_insert_color(&skb->rbnode, &q->root);
merge:
	xtcp_ofo_merge_right(q, skb);
	if (sk)
		skb_set_owner_r(skb, sk);
	return XTCP_OFO_QUEUED;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_insert);

/**
 * xtcp_ofo_pop() - take the first segment once the gap before it closed
 * @q: the queue
 * @rcv_nxt: next sequence number expected in order
 *
 * Return: the segment of lowest sequence, unlinked, if it starts at or
 * before @rcv_nxt (it may be a duplicate by now: the caller checks), else
 * NULL.
 */
struct sk_buff *xtcp_ofo_pop(struct xtcp_ofo *q, u32 rcv_nxt)
{
	struct sk_buff *skb = skb_rb_first(&q->root);

	if (!skb || xtcp_seq_after(xtcp_ofo_seq(skb), rcv_nxt))
		return NULL;
	rb_erase(&skb->rbnode, &q->root);
	if (q->last == skb)
		q->last = NULL;
	return skb;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_pop);

/**
 * xtcp_ofo_prune() - free segments from the highest sequence down
 * @q: the queue
 * @need: memory (truesize) to give back
 *
 * As tcp_prune_ofo_queue(): what is furthest from being readable goes
 * first, so that the segment filling the hole still finds room.
 *
 * Return: the truesize freed, at least @need unless the queue ran empty.
 */
unsigned int xtcp_ofo_prune(struct xtcp_ofo *q, unsigned int need)
{
	struct rb_node *node = q->last ? &q->last->rbnode : NULL;
	unsigned int freed = 0;

	while (node && freed < need) {
		struct sk_buff *skb = rb_to_skb(node);

		node = rb_prev(node);
		rb_erase(&skb->rbnode, &q->root);
		freed += skb->truesize;
		kfree_skb(skb);
	}
	q->last = node ? rb_to_skb(node) : NULL;
	return freed;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_prune);

/**
 * xtcp_ofo_purge() - free every segment of the queue
 * @q: the queue
 */
void xtcp_ofo_purge(struct xtcp_ofo *q)
{
	xtcp_ofo_prune(q, UINT_MAX);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_purge);

/* The segment holding @seq, or NULL; ends grow with starts in the tree. */
static struct sk_buff *xtcp_ofo_find(const struct xtcp_ofo *q, u32 seq)
{
	struct rb_node *node = q->root.rb_node;
	struct sk_buff *best = NULL;

	while (node) {
		struct sk_buff *skb = rb_to_skb(node);

		if (xtcp_seq_after(xtcp_ofo_seq(skb), seq)) {
			node = node->rb_left;
		} else {
			best = skb;
			node = node->rb_right;
		}
	}
	if (best && xtcp_seq_before(seq, xtcp_ofo_end(best)))
		return best;
	return NULL;
}

/**
 * xtcp_ofo_sack_blocks() - the SACK blocks (RFC 2018) the queue makes
 * @q: the queue
 * @start: filled with the left edges
 * @end: filled with the right edges
 * @max: room in @start and @end
 *
 * Contiguous or overlapping segments make one block. The block holding the
 * segment received last comes first (RFC 2018 4), then the others from the
 * lowest sequence up, as many as fit.
 *
 * Return: the number of blocks filled in.
 */
int xtcp_ofo_sack_blocks(const struct xtcp_ofo *q, u32 *start, u32 *end,
			 int max)
{
	struct sk_buff *skb, *recent;
	u32 rstart = 0;
	int n = 0;

	if (max <= 0 || xtcp_ofo_empty(q))
		return 0;
	recent = xtcp_ofo_find(q, q->recent);
	if (recent) {
		struct sk_buff *s;

		rstart = xtcp_ofo_seq(recent);
		end[0] = xtcp_ofo_end(recent);
		for (s = skb_rb_prev(recent);
		     s && !xtcp_seq_before(xtcp_ofo_end(s), rstart);
		     s = skb_rb_prev(s))
			rstart = xtcp_ofo_seq(s);
		for (s = skb_rb_next(recent);
		     s && !xtcp_seq_after(xtcp_ofo_seq(s), end[0]);
		     s = skb_rb_next(s))
			if (xtcp_seq_after(xtcp_ofo_end(s), end[0]))
				end[0] = xtcp_ofo_end(s);
		start[0] = rstart;
		n = 1;
	}
	skb = skb_rb_first(&q->root);
	while (skb && n < max) {
		u32 bstart = xtcp_ofo_seq(skb), bend = xtcp_ofo_end(skb);

		for (skb = skb_rb_next(skb);
		     skb && !xtcp_seq_after(xtcp_ofo_seq(skb), bend);
		     skb = skb_rb_next(skb))
			if (xtcp_seq_after(xtcp_ofo_end(skb), bend))
				bend = xtcp_ofo_end(skb);
		if (recent && bstart == rstart)
			continue;
		start[n] = bstart;
		end[n] = bend;
		n++;
	}
	return n;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_sack_blocks);
