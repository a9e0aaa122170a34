/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small queues (native TCP's TSQ): how much of a socket's data may wait
 * below it, in qdiscs and device rings, at once. Each transmitted segment
 * stays charged to sk_wmem_alloc until the device is done with it; above
 * about a millisecond's worth the socket stops sending and resumes when the
 * device frees enough, not when the next ACK comes.
 */
#ifndef _XTCP_TSQ_H
#define _XTCP_TSQ_H

#include <linux/types.h>

struct sk_buff;
struct sock;

/* Bits of xtcp_sock.tsq_flags. */
enum {
	XTCP_TSQ_THROTTLED,	/* held back; wake on the next device free */
	XTCP_TSQ_QUEUED,	/* on a CPU's list to be woken */
	XTCP_TSQ_DEFERRED,	/* woken while the user held the lock */
};

void xtcp_tsq_init(void);
void xtcp_tsq_uninit(void);

void xtcp_tsq_set_owner(struct sock *sk, struct sk_buff *skb);
bool xtcp_tsq_full(struct sock *sk, const struct sk_buff *skb);
void xtcp_tsq_update_pacing_rate(struct sock *sk);
void xtcp_tsq_release_cb(struct sock *sk);

#endif /* _XTCP_TSQ_H */
