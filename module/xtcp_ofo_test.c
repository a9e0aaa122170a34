// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_ofo: the out-of-order queue on bare skbs, no socket:
 * insertion order, duplicates, overlaps, coalescing, draining, pruning and
 * the SACK blocks it yields.
 */
#include <linux/skbuff.h>
#include <net/tcp.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_kunit.h"
#include "xtcp_ofo.h"

/* Payload byte at sequence number @seq, so merged data can be checked. */
static u8 xtcp_ofo_test_byte(u32 seq)
{
	return (seq * 7 + 3) & 0xff;
}

/* A received segment [seq, seq + len) (+1 with FIN), room to grow. */
static struct sk_buff *xtcp_ofo_test_skb(struct kunit *test, u32 seq,
					 u32 len, bool fin)
{
	struct sk_buff *skb = alloc_skb(1024, GFP_KERNEL);
	u8 *data;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	data = skb_put(skb, len);
	for (i = 0; i < len; i++)
		data[i] = xtcp_ofo_test_byte(seq + i);
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq + len + fin;
	XTCP_SKB_CB(skb)->flags = TCPHDR_ACK | (fin ? TCPHDR_FIN : 0);
	return skb;
}

static enum xtcp_ofo_result xtcp_ofo_test_add(struct kunit *test,
					      struct xtcp_ofo *q, u32 seq,
					      u32 len)
{
	return xtcp_ofo_insert(q, xtcp_ofo_test_skb(test, seq, len, false),
			       NULL);
}

/*
 * Check the tree's invariants (ordered, no segment inside another, @last
 * is the highest, payload matches sequence) and return its segments.
 */
static int xtcp_ofo_test_walk(struct kunit *test, const struct xtcp_ofo *q,
			      u32 *seq, u32 *end, int max)
{
	struct sk_buff *skb, *prev = NULL;
	int n = 0;

	for (skb = skb_rb_first(&q->root); skb; skb = skb_rb_next(skb)) {
		const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u8 byte;

		if (prev) {
			KUNIT_EXPECT_TRUE(test, xtcp_seq_before(XTCP_SKB_CB(prev)->seq, cb->seq));
			KUNIT_EXPECT_TRUE(test, xtcp_seq_before(XTCP_SKB_CB(prev)->end_seq,
								cb->end_seq));
		}
		if (skb->len) {
			KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, skb->len - 1, &byte, 1), 0);
			KUNIT_EXPECT_EQ(test, byte, xtcp_ofo_test_byte(cb->seq + skb->len - 1));
			KUNIT_EXPECT_EQ(test, skb_copy_bits(skb, 0, &byte, 1), 0);
			KUNIT_EXPECT_EQ(test, byte, xtcp_ofo_test_byte(cb->seq));
		}
		if (n < max) {
			seq[n] = cb->seq;
			end[n] = cb->end_seq;
		}
		n++;
		prev = skb;
	}
	KUNIT_EXPECT_PTR_EQ(test, q->last, prev);
	return n;
}

/* Segments in order after one hole become one skb, bytes in order. */
static void xtcp_ofo_coalesce_in_order(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 100, 100), XTCP_OFO_QUEUED);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 200, 100), XTCP_OFO_MERGED);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 300, 100), XTCP_OFO_MERGED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 1);
	KUNIT_EXPECT_EQ(test, seq[0], 100U);
	KUNIT_EXPECT_EQ(test, end[0], 400U);
	KUNIT_EXPECT_EQ(test, q.last->len, 300U);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_empty(&q));
}

/* Holes filled from below: a segment joins the one it follows. */
static void xtcp_ofo_fill_holes(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 300, 100);
	xtcp_ofo_test_add(test, &q, 100, 100);
	xtcp_ofo_test_add(test, &q, 500, 100);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 3);
	KUNIT_EXPECT_EQ(test, seq[0], 100U);
	KUNIT_EXPECT_EQ(test, seq[1], 300U);
	KUNIT_EXPECT_EQ(test, seq[2], 500U);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 200, 100), XTCP_OFO_MERGED);
	/* As Linux: appended to its predecessor, not joined to its successor. */
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 3);
	KUNIT_EXPECT_EQ(test, end[0], 300U);
	KUNIT_EXPECT_EQ(test, seq[1], 300U);
	/* The two touching segments make one SACK block, the recent first. */
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, seq, end, 4), 2);
	KUNIT_EXPECT_EQ(test, seq[0], 100U);
	KUNIT_EXPECT_EQ(test, end[0], 400U);
	KUNIT_EXPECT_EQ(test, seq[1], 500U);
	xtcp_ofo_purge(&q);
}

/* A segment held in full already is dropped, wherever it lies. */
static void xtcp_ofo_duplicates(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 100, 200);
	xtcp_ofo_test_add(test, &q, 1000, 100);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 150, 100), XTCP_OFO_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 100, 200), XTCP_OFO_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 200, 100), XTCP_OFO_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 1000, 100), XTCP_OFO_DUP);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 2);
	xtcp_ofo_purge(&q);
}

/* A segment covering others replaces them; partial overlaps stay. */
static void xtcp_ofo_overlaps(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 200, 50);
	xtcp_ofo_test_add(test, &q, 300, 50);
	xtcp_ofo_test_add(test, &q, 400, 50);
	/* Same start as the first, covers the three. */
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 200, 300), XTCP_OFO_QUEUED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 1);
	KUNIT_EXPECT_EQ(test, end[0], 500U);
	/* Starts lower and covers it. */
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 100, 500), XTCP_OFO_QUEUED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 1);
	KUNIT_EXPECT_EQ(test, seq[0], 100U);
	KUNIT_EXPECT_EQ(test, end[0], 600U);
	/* Overlaps its tail: kept beside it. */
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 550, 100), XTCP_OFO_QUEUED);
	/* Overlaps the head of the first: kept before it. */
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 50, 100), XTCP_OFO_QUEUED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 3);
	KUNIT_EXPECT_EQ(test, seq[0], 50U);
	KUNIT_EXPECT_EQ(test, seq[2], 550U);
	KUNIT_EXPECT_EQ(test, end[2], 650U);
	xtcp_ofo_purge(&q);
}

/* Coalescing a segment that reaches into the next one drops what it covers. */
static void xtcp_ofo_coalesce_covers_next(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 100, 100);
	xtcp_ofo_test_add(test, &q, 250, 50);
	xtcp_ofo_test_add(test, &q, 400, 100);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 200, 150), XTCP_OFO_MERGED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 2);
	KUNIT_EXPECT_EQ(test, seq[0], 100U);
	KUNIT_EXPECT_EQ(test, end[0], 350U);
	KUNIT_EXPECT_EQ(test, seq[1], 400U);
	xtcp_ofo_purge(&q);
}

/* A FIN ends a block: it is kept, and nothing is appended after it. */
static void xtcp_ofo_fin(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 100, 100);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_insert(&q, xtcp_ofo_test_skb(test, 200, 0, true),
					      NULL), XTCP_OFO_MERGED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 1);
	KUNIT_EXPECT_EQ(test, end[0], 201U);
	KUNIT_EXPECT_TRUE(test, XTCP_SKB_CB(q.last)->flags & TCPHDR_FIN);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 201, 10), XTCP_OFO_QUEUED);
	xtcp_ofo_purge(&q);
}

/* Sequence numbers wrapping around 2^32. */
static void xtcp_ofo_wrap(struct kunit *test)
{
	struct xtcp_ofo q;
	u32 seq[4], end[4];

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 0x40, 0x40);
	xtcp_ofo_test_add(test, &q, 0xffffffc0U, 0x40);
	xtcp_ofo_test_add(test, &q, 0xffffff00U, 0x80);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 3);
	KUNIT_EXPECT_EQ(test, seq[0], 0xffffff00U);
	KUNIT_EXPECT_EQ(test, seq[1], 0xffffffc0U);
	KUNIT_EXPECT_EQ(test, end[1], 0U);
	KUNIT_EXPECT_EQ(test, seq[2], 0x40U);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_test_add(test, &q, 0, 0x40), XTCP_OFO_MERGED);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 3);
	KUNIT_EXPECT_EQ(test, end[1], 0x40U);
	xtcp_ofo_purge(&q);
}

/* Segments leave from the bottom, once rcv_nxt reached them. */
static void xtcp_ofo_pop_order(struct kunit *test)
{
	struct sk_buff *skb;
	struct xtcp_ofo q;

	xtcp_ofo_init(&q);
	xtcp_ofo_test_add(test, &q, 300, 100);
	xtcp_ofo_test_add(test, &q, 100, 100);
	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(&q, 99));
	skb = xtcp_ofo_pop(&q, 100);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, 100U);
	kfree_skb(skb);
	KUNIT_EXPECT_NULL(test, xtcp_ofo_pop(&q, 200));
	skb = xtcp_ofo_pop(&q, 350);	/* partly a duplicate by now */
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, 300U);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_empty(&q));
	KUNIT_EXPECT_NULL(test, q.last);
	/* The tree keeps working after the last one left. */
	xtcp_ofo_test_add(test, &q, 500, 100);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(q.last)->seq, 500U);
	xtcp_ofo_purge(&q);
}

/* Pruning frees from the highest sequence, and only what is needed. */
static void xtcp_ofo_prune_top(struct kunit *test)
{
	unsigned int one, freed;
	struct xtcp_ofo q;
	u32 seq[4], end[4];
	int i;

	xtcp_ofo_init(&q);
	for (i = 0; i < 4; i++)
		xtcp_ofo_test_add(test, &q, 100 + 200 * i, 100);
	one = q.last->truesize;
	KUNIT_EXPECT_EQ(test, xtcp_ofo_prune(&q, 0), 0U);
	freed = xtcp_ofo_prune(&q, one + 1);
	KUNIT_EXPECT_GE(test, freed, one + 1);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_test_walk(test, &q, seq, end, 4), 2);
	KUNIT_EXPECT_EQ(test, seq[1], 300U);
	/* Room at the top again: the next insertion becomes the last. */
	xtcp_ofo_test_add(test, &q, 900, 100);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(q.last)->seq, 900U);
	xtcp_ofo_prune(&q, UINT_MAX);
	KUNIT_EXPECT_TRUE(test, xtcp_ofo_empty(&q));
	KUNIT_EXPECT_NULL(test, q.last);
}

/* RFC 2018 4: the block just received first, then the ones before it. */
static void xtcp_ofo_sack(struct kunit *test)
{
	u32 start[4], end[4];
	struct xtcp_ofo q;
	int i;

	xtcp_ofo_init(&q);
	KUNIT_EXPECT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 4), 0);
	for (i = 4; i >= 0; i--)
		xtcp_ofo_test_add(test, &q, 1000 * i, 100);
	xtcp_ofo_test_add(test, &q, 3050, 100);	/* overlaps 3000 */
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 3), 3);
	KUNIT_EXPECT_EQ(test, start[0], 3000U);
	KUNIT_EXPECT_EQ(test, end[0], 3150U);
	KUNIT_EXPECT_EQ(test, start[1], 0U);
	KUNIT_EXPECT_EQ(test, start[2], 1000U);
	/*
	 * A duplicate still counts as the most recent segment; 4000 had given
	 * way as the oldest of five, 2000 gives way now.
	 */
	xtcp_ofo_test_add(test, &q, 4000, 50);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 4), 4);
	KUNIT_EXPECT_EQ(test, start[0], 4000U);
	KUNIT_EXPECT_EQ(test, end[0], 4100U);
	KUNIT_EXPECT_EQ(test, start[1], 3000U);
	KUNIT_EXPECT_EQ(test, start[2], 0U);
	KUNIT_EXPECT_EQ(test, start[3], 1000U);
	/* A pruned block is not reported; a free slot goes to the lowest. */
	xtcp_ofo_prune(&q, 1);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 4), 4);
	KUNIT_EXPECT_EQ(test, start[0], 3000U);
	KUNIT_EXPECT_EQ(test, end[0], 3150U);
	KUNIT_EXPECT_EQ(test, start[1], 0U);
	KUNIT_EXPECT_EQ(test, start[2], 1000U);
	KUNIT_EXPECT_EQ(test, start[3], 2000U);
	xtcp_ofo_purge(&q);
}

/*
 * With more holes than fit in the option, the blocks that changed last are
 * reported, each again in the ACKs that follow (RFC 2018 4), so that one
 * lost ACK does not hide a block from the sender; read in order, a block
 * is reported no more.
 */
static void xtcp_ofo_sack_recent(struct kunit *test)
{
	u32 start[4], end[4];
	struct xtcp_ofo q;
	int i;

	xtcp_ofo_init(&q);
	for (i = 1; i <= 5; i++)
		xtcp_ofo_test_add(test, &q, 1000 * i, 100);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 3), 3);
	KUNIT_EXPECT_EQ(test, start[0], 5000U);
	KUNIT_EXPECT_EQ(test, start[1], 4000U);
	KUNIT_EXPECT_EQ(test, start[2], 3000U);
	/* Growing a block brings it to the front, merged with what it joins. */
	xtcp_ofo_test_add(test, &q, 2100, 100);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 3), 3);
	KUNIT_EXPECT_EQ(test, start[0], 2000U);
	KUNIT_EXPECT_EQ(test, end[0], 2200U);
	KUNIT_EXPECT_EQ(test, start[1], 5000U);
	KUNIT_EXPECT_EQ(test, start[2], 4000U);
	xtcp_ofo_test_add(test, &q, 2200, 800);
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 4), 4);
	KUNIT_EXPECT_EQ(test, start[0], 2000U);
	KUNIT_EXPECT_EQ(test, end[0], 3100U);
	KUNIT_EXPECT_EQ(test, start[1], 5000U);
	KUNIT_EXPECT_EQ(test, start[2], 4000U);
	KUNIT_EXPECT_EQ(test, start[3], 1000U);
	/* rcv_nxt reaches 1000: that block is read, the others stay. */
	kfree_skb(xtcp_ofo_pop(&q, 1000));
	KUNIT_ASSERT_EQ(test, xtcp_ofo_sack_blocks(&q, start, end, 4), 3);
	KUNIT_EXPECT_EQ(test, start[0], 2000U);
	KUNIT_EXPECT_EQ(test, start[1], 5000U);
	KUNIT_EXPECT_EQ(test, start[2], 4000U);
	KUNIT_EXPECT_EQ(test, q.nr_sacks, 3);
	xtcp_ofo_purge(&q);
	KUNIT_EXPECT_EQ(test, q.nr_sacks, 0);
}

static struct kunit_case xtcp_ofo_test_cases[] = {
	KUNIT_CASE(xtcp_ofo_coalesce_in_order),
	KUNIT_CASE(xtcp_ofo_fill_holes),
	KUNIT_CASE(xtcp_ofo_duplicates),
	KUNIT_CASE(xtcp_ofo_overlaps),
	KUNIT_CASE(xtcp_ofo_coalesce_covers_next),
	KUNIT_CASE(xtcp_ofo_fin),
	KUNIT_CASE(xtcp_ofo_wrap),
	KUNIT_CASE(xtcp_ofo_pop_order),
	KUNIT_CASE(xtcp_ofo_prune_top),
	KUNIT_CASE(xtcp_ofo_sack),
	KUNIT_CASE(xtcp_ofo_sack_recent),
	{}
};

struct kunit_suite xtcp_ofo_test_suite = {
	.name = "xtcp_ofo",
	.test_cases = xtcp_ofo_test_cases,
};
