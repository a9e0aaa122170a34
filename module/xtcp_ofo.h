/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The out-of-order queue: segments received above rcv_nxt, in a red-black
 * tree keyed by sequence number (as Linux's out_of_order_queue), so that a
 * large window with many holes costs O(log n) per segment.
 */
#ifndef _XTCP_OFO_H
#define _XTCP_OFO_H

#include <linux/rbtree.h>
#include <linux/types.h>

struct sk_buff;
struct sock;

/* SACK blocks remembered in the order they last changed (TCP_NUM_SACKS). */
#define XTCP_OFO_SACKS	4

/**
 * struct xtcp_ofo - an out-of-order queue
 * @root: segments by sequence number; no segment lies wholly inside another
 * @last: the segment of highest sequence, where most insertions land
 * @sack_start: left edges of the blocks that changed last, the most recent
 *	first (RFC 2018 4: the block of the segment just received leads, the
 *	ones reported before follow, so that each is repeated in several
 *	ACKs, as native's selective_acks)
 * @sack_end: their right edges
 * @nr_sacks: entries in @sack_start and @sack_end
 */
struct xtcp_ofo {
	struct rb_root	root;
	struct sk_buff	*last;
	u32		sack_start[XTCP_OFO_SACKS];
	u32		sack_end[XTCP_OFO_SACKS];
	u8		nr_sacks;
};

/* What xtcp_ofo_insert() did with a segment. */
enum xtcp_ofo_result {
	XTCP_OFO_QUEUED,	/* a segment of its own in the tree */
	XTCP_OFO_MERGED,	/* its bytes appended to the segment before it */
	XTCP_OFO_DUP,		/* already held in full: freed */
};

static inline void xtcp_ofo_init(struct xtcp_ofo *q)
{
	q->root = RB_ROOT;
	q->last = NULL;
	q->nr_sacks = 0;
}

static inline bool xtcp_ofo_empty(const struct xtcp_ofo *q)
{
	return RB_EMPTY_ROOT(&q->root);
}

enum xtcp_ofo_result xtcp_ofo_insert(struct xtcp_ofo *q, struct sk_buff *skb,
				     struct sock *sk);
struct sk_buff *xtcp_ofo_pop(struct xtcp_ofo *q, u32 rcv_nxt);
unsigned int xtcp_ofo_prune(struct xtcp_ofo *q, unsigned int need);
void xtcp_ofo_purge(struct xtcp_ofo *q);
int xtcp_ofo_sack_blocks(const struct xtcp_ofo *q, u32 *start, u32 *end,
			 int max);

#endif /* _XTCP_OFO_H */
