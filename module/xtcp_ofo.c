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

/* Whether [@seq, @end) touches block @i; if so, it grows to cover both. */
static bool xtcp_ofo_sack_extend(struct xtcp_ofo *q, int i, u32 seq, u32 end)
{
	if (xtcp_seq_after(seq, q->sack_end[i]) ||
	    xtcp_seq_after(q->sack_start[i], end))
		return false;
	if (xtcp_seq_before(seq, q->sack_start[i]))
		q->sack_start[i] = seq;
	if (xtcp_seq_after(end, q->sack_end[i]))
		q->sack_end[i] = end;
	return true;
}

static void xtcp_ofo_sack_drop(struct xtcp_ofo *q, int i)
{
	q->nr_sacks--;
	memmove(&q->sack_start[i], &q->sack_start[i + 1],
		(q->nr_sacks - i) * sizeof(q->sack_start[0]));
	memmove(&q->sack_end[i], &q->sack_end[i + 1],
		(q->nr_sacks - i) * sizeof(q->sack_end[0]));
}

/* Move block @i to the front, the ones before it one down. */
static void xtcp_ofo_sack_to_front(struct xtcp_ofo *q, int i)
{
	u32 start = q->sack_start[i], end = q->sack_end[i];

	memmove(&q->sack_start[1], &q->sack_start[0], i * sizeof(start));
	memmove(&q->sack_end[1], &q->sack_end[0], i * sizeof(end));
	q->sack_start[0] = start;
	q->sack_end[0] = end;
}

/*
 * A segment [@seq, @end) arrived out of order (or again): its block becomes
 * the first, merged with any it now joins (tcp_sack_new_ofo_skb()); the
 * oldest block gives way to a new one.
 */
static void xtcp_ofo_sack_note(struct xtcp_ofo *q, u32 seq, u32 end)
{
	int i, j;

	for (i = 0; i < q->nr_sacks; i++) {
		if (!xtcp_ofo_sack_extend(q, i, seq, end))
			continue;
		xtcp_ofo_sack_to_front(q, i);
		for (j = 1; j < q->nr_sacks; )
			if (xtcp_ofo_sack_extend(q, 0, q->sack_start[j],
						 q->sack_end[j]))
				xtcp_ofo_sack_drop(q, j);
			else
				j++;
		return;
	}
	if (q->nr_sacks == XTCP_OFO_SACKS)
		q->nr_sacks--;
	memmove(&q->sack_start[1], &q->sack_start[0],
		q->nr_sacks * sizeof(q->sack_start[0]));
	memmove(&q->sack_end[1], &q->sack_end[0],
		q->nr_sacks * sizeof(q->sack_end[0]));
	q->sack_start[0] = seq;
	q->sack_end[0] = end;
	q->nr_sacks++;
}

/* Blocks up to @end are about to be read in order: forget them. */
static void xtcp_ofo_sack_below(struct xtcp_ofo *q, u32 end)
{
	int i;

	for (i = 0; i < q->nr_sacks; )
		if (!xtcp_seq_after(q->sack_start[i], end))
			xtcp_ofo_sack_drop(q, i);
		else
			i++;
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

	xtcp_ofo_sack_note(q, seq, end_seq);
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
	xtcp_ofo_sack_below(q, xtcp_ofo_end(skb));
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
	if (!q->last)
		q->nr_sacks = 0;
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

/* The block (contiguous bytes of the queue) that @skb is part of. */
static void xtcp_ofo_block(struct sk_buff *skb, u32 *start, u32 *end)
{
	struct sk_buff *s;

	*start = xtcp_ofo_seq(skb);
	*end = xtcp_ofo_end(skb);
	for (s = skb_rb_prev(skb);
	     s && !xtcp_seq_before(xtcp_ofo_end(s), *start); s = skb_rb_prev(s))
		*start = xtcp_ofo_seq(s);
	for (s = skb_rb_next(skb);
	     s && !xtcp_seq_after(xtcp_ofo_seq(s), *end); s = skb_rb_next(s))
		if (xtcp_seq_after(xtcp_ofo_end(s), *end))
			*end = xtcp_ofo_end(s);
}

/* Adds [@bstart, @bend) unless a block with that left edge is there. */
static int xtcp_ofo_sack_add(u32 *start, u32 *end, int n, u32 bstart,
			     u32 bend)
{
	int i;

	for (i = 0; i < n; i++)
		if (start[i] == bstart)
			return n;
	start[n] = bstart;
	end[n] = bend;
	return n + 1;
}

/**
 * xtcp_ofo_sack_blocks() - the SACK blocks (RFC 2018) the queue makes
 * @q: the queue
 * @start: filled with the left edges
 * @end: filled with the right edges
 * @max: room in @start and @end
 *
 * Contiguous or overlapping segments make one block. The blocks that
 * changed last come first, the most recent leading (RFC 2018 4), each as
 * the queue holds it now (a pruned tail is not reported); slots left over
 * go to the other blocks from the lowest sequence up.
 *
 * Return: the number of blocks filled in.
 */
int xtcp_ofo_sack_blocks(const struct xtcp_ofo *q, u32 *start, u32 *end,
			 int max)
{
	struct sk_buff *skb;
	u32 bstart, bend;
	int i, n = 0;

	if (max <= 0 || xtcp_ofo_empty(q))
		return 0;
	for (i = 0; i < q->nr_sacks && n < max; i++) {
		skb = xtcp_ofo_find(q, q->sack_start[i]);
		if (!skb)
			continue;
		xtcp_ofo_block(skb, &bstart, &bend);
		n = xtcp_ofo_sack_add(start, end, n, bstart, bend);
	}
	skb = skb_rb_first(&q->root);
	while (skb && n < max) {
		xtcp_ofo_block(skb, &bstart, &bend);
		n = xtcp_ofo_sack_add(start, end, n, bstart, bend);
		while (skb && !xtcp_seq_after(xtcp_ofo_seq(skb), bend))
			skb = skb_rb_next(skb);
	}
	return n;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_ofo_sack_blocks);
