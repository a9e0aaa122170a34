// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite xtcp_sack: the SACK scoreboard on a real socket's write queue
 * (marking, splitting at block edges, D-SACK, invalid blocks, RFC 6675
 * IsLost, RACK, the pipe) and Proportional Rate Reduction against the
 * formulas of RFC 6937.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <kunit/test.h>

#include "xtcp.h"
#include "xtcp_input.h"
#include "xtcp_kunit.h"
#include "xtcp_output.h"
#include "xtcp_proto.h"
#include "xtcp_sack.h"
#include "xtcp_timer.h"

#define ISS	1000
#define MSS	1000

/*
 * A locked xtcp socket whose write queue holds @n sent segments of @len
 * bytes from sequence ISS on, with an MSS of 1000.
 */
static struct socket *sack_sock(struct kunit *test, int n, u32 len)
{
	struct xtcp_sock *xs;
	struct socket *sock;
	int err, i;

	err = sock_create_kern(&init_net, PF_INET, SOCK_STREAM,
			       xtcp_proto_number(), &sock);
	KUNIT_ASSERT_EQ(test, err, 0);
	lock_sock(sock->sk);
	xs = xtcp_sk(sock->sk);
	xs->mss_cache = MSS;
	xs->snd_una = ISS;
	xs->write_seq = ISS;
	for (i = 0; i < n; i++) {
		struct sk_buff *skb;

		skb = xtcp_output_alloc_skb(sock->sk, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		skb_put_zero(skb, len);
		XTCP_SKB_CB(skb)->seq = xs->write_seq;
		XTCP_SKB_CB(skb)->end_seq = xs->write_seq + len;
		XTCP_SKB_CB(skb)->flags = TCPHDR_ACK;
		xtcp_output_queue_skb(sock->sk, skb);
	}
	xs->send_head = NULL;
	xs->snd_nxt = xs->write_seq;
	xs->snd_max = xs->write_seq;
	return sock;
}

static void sack_sock_done(struct socket *sock)
{
	release_sock(sock->sk);
	sock_release(sock);
}

/* The @i-th segment of the write queue, or NULL. */
static struct sk_buff *seg(struct sock *sk, int i)
{
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb)
		if (!i--)
			return skb;
	return NULL;
}

static bool sacked(struct sock *sk, int i)
{
	return XTCP_SKB_CB(seg(sk, i))->sacked;
}

static bool lost(struct sock *sk, int i)
{
	return XTCP_SKB_CB(seg(sk, i))->lost;
}

static void xtcp_sack_whole_segments(struct kunit *test)
{
	struct xtcp_sack_block b[] = { { ISS + 2000, ISS + 5000 } };
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int i;

	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, b, 1, ISS), 3000U);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, sacked(sk, i), i >= 2 && i < 5);
	KUNIT_EXPECT_EQ(test, xs->highest_sack, ISS + 5000);
	/* The same block again marks nothing new. */
	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, b, 1, ISS), 0U);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_EQ(test, xs->sacked_out, 3000U);
	/* IsLost: 3000 bytes SACKed above, more than (3 - 1) * MSS. */
	KUNIT_EXPECT_TRUE(test, lost(sk, 0));
	KUNIT_EXPECT_TRUE(test, lost(sk, 1));
	KUNIT_EXPECT_FALSE(test, lost(sk, 5));
	KUNIT_EXPECT_EQ(test, xs->lost_out, 2000U);
	/* pipe = 10000 sent - 3000 SACKed - 2000 lost */
	KUNIT_EXPECT_EQ(test, xtcp_in_flight(xs), 5000U);
	sack_sock_done(sock);
}

static void xtcp_sack_split_at_edges(struct kunit *test)
{
	struct xtcp_sack_block b[] = { { ISS + 1000, ISS + 3000 } };
	struct socket *sock = sack_sock(test, 1, 5 * MSS);
	struct sock *sk = sock->sk;
	int wmem = sk->sk_wmem_queued;

	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, b, 1, ISS), 2000U);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sk->sk_write_queue), 3U);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(seg(sk, 0))->end_seq, ISS + 1000);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(seg(sk, 1))->seq, ISS + 1000);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(seg(sk, 1))->end_seq, ISS + 3000);
	KUNIT_EXPECT_EQ(test, seg(sk, 1)->len, 2000U);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(seg(sk, 2))->seq, ISS + 3000);
	KUNIT_EXPECT_FALSE(test, sacked(sk, 0));
	KUNIT_EXPECT_TRUE(test, sacked(sk, 1));
	KUNIT_EXPECT_FALSE(test, sacked(sk, 2));
	/* Splitting adds buffers: the charge can only grow. */
	KUNIT_EXPECT_GE(test, sk->sk_wmem_queued, wmem);
	sack_sock_done(sock);
}

static void xtcp_sack_dsack(struct kunit *test)
{
	struct xtcp_sack_block below[] = { { ISS - 500, ISS } };
	struct xtcp_sack_block inside[] = {
		{ ISS + 3000, ISS + 4000 }, { ISS + 2000, ISS + 5000 },
	};
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	int i;

	/* A block below the ACK reports a duplicate: nothing to mark. */
	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, below, 1, ISS), 0U);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_FALSE(test, sacked(sk, i));
	/* A first block inside the second: the second still counts. */
	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, inside, 2, ISS), 3000U);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, sacked(sk, i), i >= 2 && i < 5);
	sack_sock_done(sock);
}

static void xtcp_sack_invalid_blocks(struct kunit *test)
{
	struct xtcp_sack_block b[] = {
		{ ISS + 9000, ISS + 12000 },	/* above snd_max */
		{ ISS + 3000, ISS + 3000 },	/* empty */
		{ ISS + 5000, ISS + 4000 },	/* reversed */
	};
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	int i;

	KUNIT_EXPECT_EQ(test, xtcp_sack_tag(sk, b, 3, ISS), 0U);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_FALSE(test, sacked(sk, i));
	KUNIT_EXPECT_EQ(test, skb_queue_len(&sk->sk_write_queue), 10U);
	sack_sock_done(sock);
}

/* RFC 6675 IsLost: more than DupThresh - 1 segments' worth above. */
static void xtcp_sack_islost_threshold(struct kunit *test)
{
	struct xtcp_sack_block two[] = { { ISS + 2000, ISS + 4000 } };
	struct xtcp_sack_block three[] = { { ISS + 2000, ISS + 5000 } };
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;

	xtcp_sack_tag(sk, two, 1, ISS);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_FALSE(test, lost(sk, 0));
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->lost_out, 0U);
	xtcp_sack_tag(sk, three, 1, ISS);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_TRUE(test, lost(sk, 0));
	KUNIT_EXPECT_TRUE(test, lost(sk, 1));
	sack_sock_done(sock);
}

/* RACK: a retransmission sent before a later delivery, and unanswered for
 * that delivery's RTT plus the reordering window, was lost again.
 */
static void xtcp_sack_rack_lost_retransmission(struct kunit *test)
{
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now = tcp_clock_us();
	struct xtcp_skb_cb *cb;
	struct sk_buff *skb;

	xs->min_rtt_us = 1000;
	xs->srtt_us = 1000;
	/* All sent a moment ago but the first, resent long ago. */
	skb_queue_walk(&sk->sk_write_queue, skb)
		XTCP_SKB_CB(skb)->sent_us = now - 100;
	cb = XTCP_SKB_CB(seg(sk, 0));
	cb->lost = 1;
	cb->retrans = 1;
	cb->sent_us = now - 50000;
	/* The others were sent after it, but not long ago: not lost yet. */
	xs->rack_sent_us = now - 20;
	xs->rack_rtt_us = 1000;
	xtcp_sack_update(sk);
	KUNIT_EXPECT_TRUE(test, lost(sk, 0));
	KUNIT_EXPECT_FALSE(test, XTCP_SKB_CB(seg(sk, 0))->retrans);
	KUNIT_EXPECT_FALSE(test, lost(sk, 1));
	KUNIT_EXPECT_EQ(test, xs->lost_out, 1000U);
	KUNIT_EXPECT_EQ(test, xs->retrans_out, 0U);
	sack_sock_done(sock);
}

static void xtcp_sack_clear_marks(struct kunit *test)
{
	struct xtcp_sack_block b[] = { { ISS + 2000, ISS + 5000 } };
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;

	xtcp_sack_tag(sk, b, 1, ISS);
	xtcp_sack_update(sk);
	xtcp_sack_clear(sk, false);
	KUNIT_EXPECT_FALSE(test, lost(sk, 0));
	KUNIT_EXPECT_TRUE(test, sacked(sk, 2));
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->lost_out, 0U);
	/* Reneging: the SACKs go too. */
	xtcp_sack_clear(sk, true);
	KUNIT_EXPECT_FALSE(test, sacked(sk, 2));
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->sacked_out, 0U);
	sack_sock_done(sock);
}

/*
 * The cumulative ACK reached segments the peer had SACKed: it reneged. The
 * retransmission timer fires soon (tcp_check_sack_reneging(), at least
 * 10 ms; no RTT sample yet), and that RTO finds the reneging and forgets
 * the marks (tcp_timeout_mark_lost()).
 */
static void xtcp_sack_reneging(struct kunit *test)
{
	struct xtcp_sack_block b[] = { { ISS + 3000, ISS + 5000 } };
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	unsigned long expires;
	int i;

	xtcp_sack_tag(sk, b, 1, ISS);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_FALSE(test, xtcp_sack_reneged(sk));
	/* As if ISS..ISS+3000 had been acknowledged: the head is SACKed. */
	for (i = 0; i < 3; i++)
		XTCP_SKB_CB(seg(sk, i))->sacked = 1;
	xtcp_sack_update(sk);
	/* Without an advance of snd_una it is no news. */
	KUNIT_EXPECT_FALSE(test, xtcp_sack_ack(sk, 0, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_timer_rto_pending(sk));
	KUNIT_EXPECT_FALSE(test, xtcp_sack_ack(sk, MSS, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_timer_rto_pending(sk));
	expires = inet_csk(sk)->icsk_retransmit_timer.expires;
	KUNIT_EXPECT_TRUE(test, time_before_eq(expires,
					       jiffies + msecs_to_jiffies(10)));
	xtcp_timer_clear_rto(sk);
	/* The RTO's check. */
	KUNIT_EXPECT_TRUE(test, xtcp_sack_reneged(sk));
	xtcp_sack_clear(sk, true);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_FALSE(test, sacked(sk, i));
	KUNIT_EXPECT_EQ(test, xtcp_sk(sk)->sacked_out, 0U);
	KUNIT_EXPECT_FALSE(test, xtcp_sack_reneged(sk));
	sack_sock_done(sock);
}

/*
 * A segment sent once and SACKed below the highest SACKed one was
 * reordered, not lost (tcp_check_sack_reordering()): the degree grows to
 * the distance, and IsLost gives way to RACK, so segments with three
 * SACKed above them are no longer taken for lost.
 */
static void xtcp_sack_reorder(struct kunit *test)
{
	struct xtcp_sack_block high[] = { { ISS + 5000, ISS + 8000 } };
	struct xtcp_sack_block low[] = { { ISS + 1000, ISS + 2000 },
					 { ISS + 5000, ISS + 8000 } };
	struct socket *sock = sack_sock(test, 10, MSS);
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);

	KUNIT_EXPECT_EQ(test, xs->reordering, 3U);
	xtcp_sack_tag(sk, high, 1, ISS);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_FALSE(test, xs->reord_seen);
	KUNIT_EXPECT_TRUE(test, lost(sk, 0));
	xtcp_sack_tag(sk, low, 2, ISS);
	KUNIT_EXPECT_TRUE(test, xs->reord_seen);
	KUNIT_EXPECT_EQ(test, xs->reordering, 7U);
	xtcp_sack_clear(sk, false);
	xtcp_sack_update(sk);
	KUNIT_EXPECT_FALSE(test, lost(sk, 0));
	KUNIT_EXPECT_EQ(test, xs->lost_out, 0U);
	sack_sock_done(sock);
}

struct xtcp_prr_case {
	const char *name;
	u32 ssthresh, prior_cwnd, in_flight, prr_delivered, prr_out;
	u32 delivered;
	bool una_advanced;
	u32 cwnd;
};

/*
 * Expected windows from RFC 6937 3: above ssthresh
 * sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out; below it
 * (slow-start reduction bound) sndcnt = MIN(ssthresh - pipe,
 * MAX(prr_delivered - prr_out, DeliveredData) + 1 when snd_una moved);
 * cwnd = pipe + sndcnt, one segment forced out first.
 */
static const struct xtcp_prr_case xtcp_prr_cases[] = {
	{ "first ack above ssthresh", 7, 10, 9, 1, 0, 1, false, 10 },
	{ "proportional, second", 7, 10, 8, 2, 1, 1, false, 9 },
	{ "proportional, ceil", 7, 10, 8, 3, 2, 1, false, 9 },
	{ "sent ahead: nothing", 7, 10, 8, 2, 5, 1, false, 8 },
	{ "fast retransmit forced", 7, 10, 10, 0, 0, 0, false, 11 },
	{ "ssrb with snd_una moved", 7, 10, 4, 6, 4, 1, true, 7 },
	{ "ssrb without", 7, 10, 4, 6, 4, 1, false, 6 },
	{ "ssrb capped at ssthresh", 7, 10, 6, 6, 2, 1, true, 7 },
	{ "delivered beats the difference", 7, 10, 2, 6, 6, 3, false, 5 },
	{ "cubic beta", 717, 1024, 1000, 100, 60, 1, false, 1011 },
	{ "empty pipe", 1, 10, 0, 1, 1, 0, false, 1 },
};

static void xtcp_prr_desc(const struct xtcp_prr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(xtcp_prr, xtcp_prr_cases, xtcp_prr_desc);

static void xtcp_sack_prr_test(struct kunit *test)
{
	const struct xtcp_prr_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, xtcp_sack_prr(c->ssthresh, c->prior_cwnd,
					    c->in_flight, c->prr_delivered,
					    c->prr_out, c->delivered,
					    c->una_advanced),
			c->cwnd);
}

/*
 * A whole recovery where each ACK delivers one segment: PRR never sends
 * ahead of ssthresh / RecoverFS of what was delivered, and after RecoverFS
 * segments delivered exactly ssthresh were sent and are in flight
 * (RFC 6937 3).
 */
static void xtcp_sack_prr_conservation(struct kunit *test)
{
	const u32 prior = 20, ssthresh = 14;
	u32 in_flight = prior, out = 0, i;

	for (i = 1; i <= prior; i++) {
		u32 cwnd;

		in_flight--;		/* one segment delivered */
		cwnd = xtcp_sack_prr(ssthresh, prior, in_flight, i, out, 1,
				     false);
		if (cwnd > in_flight) {
			out += cwnd - in_flight;
			in_flight = cwnd;
		}
		KUNIT_EXPECT_LE(test, out, DIV_ROUND_UP(i * ssthresh, prior));
	}
	KUNIT_EXPECT_EQ(test, out, ssthresh);
	KUNIT_EXPECT_EQ(test, in_flight, ssthresh);
}

static struct kunit_case xtcp_sack_test_cases[] = {
	KUNIT_CASE(xtcp_sack_whole_segments),
	KUNIT_CASE(xtcp_sack_split_at_edges),
	KUNIT_CASE(xtcp_sack_dsack),
	KUNIT_CASE(xtcp_sack_invalid_blocks),
	KUNIT_CASE(xtcp_sack_islost_threshold),
	KUNIT_CASE(xtcp_sack_rack_lost_retransmission),
	KUNIT_CASE(xtcp_sack_clear_marks),
	KUNIT_CASE(xtcp_sack_reneging),
	KUNIT_CASE(xtcp_sack_reorder),
	KUNIT_CASE_PARAM(xtcp_sack_prr_test, xtcp_prr_gen_params),
	KUNIT_CASE(xtcp_sack_prr_conservation),
	{}
};

struct kunit_suite xtcp_sack_test_suite = {
	.name = "xtcp_sack",
	.test_cases = xtcp_sack_test_cases,
};
