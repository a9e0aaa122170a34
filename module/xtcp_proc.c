// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/xtcp: the xtcp sockets of the reader's namespace, in the spirit of
 * /proc/net/tcp (addresses and ports in hex, network order shown as numbers).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/inet_connection_sock.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/request_sock.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_ehash.h"
#include "xtcp_pernet.h"
#include "xtcp_proc.h"
#include "xtcp_tw.h"

/*
 * The file lists every socket of the namespace's socket list (listeners,
 * connections, closed sockets), then the request and TIME_WAIT entries of
 * the connection table, which are not sockets.
 */
struct xtcp_proc_iter {
	struct seq_net_private	p;
	bool			entries;	/* in the table walk */
	unsigned int		bucket;
};

/* The next request or TIME_WAIT entry from @sk on (NULL: from @bucket's head). */
static struct sock *xtcp_seq_entry(struct seq_file *seq, struct sock *sk)
{
	struct xtcp_ehash *eh = xtcp_net_ehash(seq_file_net(seq));
	struct xtcp_proc_iter *it = seq->private;
	struct hlist_nulls_node *node;

	for (; it->bucket < xtcp_ehash_size(eh); it->bucket++, sk = NULL) {
		node = sk ? rcu_dereference(hlist_nulls_next_rcu(&sk->sk_nulls_node)) :
			    rcu_dereference(hlist_nulls_first_rcu(xtcp_ehash_bucket(eh,
										     it->bucket)));
		for (; !is_a_nulls(node); node = rcu_dereference(hlist_nulls_next_rcu(node))) {
			sk = hlist_nulls_entry(node, struct sock, sk_nulls_node);
			if ((1 << sk->sk_state) & (TCPF_NEW_SYN_RECV | TCPF_TIME_WAIT))
				return sk;
		}
	}
	return NULL;
}

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&xn->socks_lock) __acquires(RCU)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));
	struct xtcp_proc_iter *it = seq->private;
	loff_t n = *pos;
	void *v;

	spin_lock_bh(&xn->socks_lock);
	rcu_read_lock();
	it->entries = false;
	it->bucket = 0;
	v = seq_hlist_start_head(&xn->socks, n);
	if (v)
		return v;
	n -= (loff_t)xn->nsocks + 1;
	it->entries = true;
	v = xtcp_seq_entry(seq, NULL);
	while (v && n-- > 0)
		v = xtcp_seq_entry(seq, v);
	return v;
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));
	struct xtcp_proc_iter *it = seq->private;
	void *next;

	if (!it->entries) {
		next = seq_hlist_next(v, &xn->socks, pos);
		if (next)
			return next;
		/* seq_hlist_next() moved *pos past the last socket already. */
		it->entries = true;
		it->bucket = 0;
		return xtcp_seq_entry(seq, NULL);
	}
	++*pos;
	return xtcp_seq_entry(seq, v);
}

static void xtcp_seq_stop(struct seq_file *seq, void *v)
	__releases(RCU) __releases(&xn->socks_lock)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));

	rcu_read_unlock();
	spin_unlock_bh(&xn->socks_lock);
}

/* A request or TIME_WAIT entry, in /proc/net/tcp's form for them. */
static void xtcp_seq_show_entry(struct seq_file *seq, struct sock *sk)
{
	unsigned long expires;
	int which;

	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		struct request_sock *req = inet_reqsk(sk);

		which = 1;
		expires = req->rsk_timer.expires;
		seq_printf(seq, "%4u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8u\n",
			   (unsigned int)seq->index - 1,
			   sk->sk_rcv_saddr, sk->sk_num, sk->sk_daddr,
			   ntohs(sk->sk_dport), TCP_SYN_RECV, 0, 0, which,
			   jiffies_delta_to_clock_t(expires - jiffies),
			   req->num_timeout,
			   from_kuid_munged(seq_user_ns(seq),
					    sock_i_uid(req->rsk_listener)), 0);
		return;
	}
	expires = xtcp_tw(sk)->timer.expires;
	seq_printf(seq, "%4u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5d %8d\n",
		   (unsigned int)seq->index - 1, sk->sk_rcv_saddr, sk->sk_num,
		   sk->sk_daddr, ntohs(sk->sk_dport), TCP_TIME_WAIT, 0, 0, 3,
		   jiffies_delta_to_clock_t(expires - jiffies), 0, 0, 0);
}

/* Which timer runs and when it fires, coded as /proc/net/tcp does. */
static void xtcp_seq_timer(struct sock *sk, int *which, unsigned long *when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	*which = 0;
	*when = jiffies;
	/* A loss probe shows as the retransmission timer, as in /proc/net/tcp. */
	if ((icsk->icsk_pending == ICSK_TIME_RETRANS ||
	     icsk->icsk_pending == ICSK_TIME_LOSS_PROBE) &&
	    timer_pending(&icsk->icsk_retransmit_timer)) {
		*which = 1;
		*when = icsk->icsk_retransmit_timer.expires;
	} else if (icsk->icsk_pending == ICSK_TIME_PROBE0 &&
		   timer_pending(&icsk->icsk_retransmit_timer)) {
		*which = 4;
		*when = icsk->icsk_retransmit_timer.expires;
	} else if (timer_pending(&icsk->icsk_keepalive_timer)) {
		*which = 2;
		*when = icsk->icsk_keepalive_timer.expires;
	}
}

static int xtcp_seq_show(struct seq_file *seq, void *v)
{
	const struct inet_sock *inet;
	struct xtcp_sock *xs;
	unsigned long when;
	struct sock *sk;
	int which;

	if (v == SEQ_START_TOKEN) {
		seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid    inode\n");
		return 0;
	}
	if (((struct xtcp_proc_iter *)seq->private)->entries) {
		/*
		 * Entries are walked without references, and their memory may
		 * go to a new entry meanwhile (SLAB_TYPESAFE_BY_RCU): hold it
		 * while reading, as a lookup does, and check it is one still.
		 */
		sk = v;
		if (!refcount_inc_not_zero(&sk->sk_refcnt))
			return SEQ_SKIP;
		if ((1 << sk->sk_state) & (TCPF_NEW_SYN_RECV | TCPF_TIME_WAIT))
			xtcp_seq_show_entry(seq, sk);
		xtcp_ehash_put(sk);
		return 0;
	}
	xs = hlist_entry(v, struct xtcp_sock, table_node);
	sk = (struct sock *)xs;
	inet = inet_sk(sk);
	xtcp_seq_timer(sk, &which, &when);
	seq_printf(seq, "%4u: %08X:%04X %08X:%04X %02X %08X:%08X %02X:%08lX %08X %5u %8lu\n",
		   (unsigned int)seq->index - 1,
		   inet->inet_rcv_saddr, ntohs(inet->inet_sport),
		   inet->inet_daddr, ntohs(inet->inet_dport),
		   sk->sk_state,
		   READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una),
		   READ_ONCE(xs->rcv_nxt) - READ_ONCE(xs->copied_seq),
		   which, jiffies_delta_to_clock_t(when - jiffies),
		   inet_csk(sk)->icsk_retransmits,
		   from_kuid_munged(seq_user_ns(seq), sock_i_uid(sk)),
		   sock_i_ino(sk));
	return 0;
}

/* /proc/net/stat/xtcp: xtcp's counters, as netstat names them. */
static int xtcp_stat_show(struct seq_file *seq, void *v)
{
	static const char * const names[XTCP_STAT_MAX] = {
		[XTCP_STAT_SYNQ_OVERFLOW]	= "SynQueueOverflows",
		[XTCP_STAT_LISTEN_OVERFLOW]	= "ListenOverflows",
		[XTCP_STAT_LISTEN_DROP]		= "ListenDrops",
		[XTCP_STAT_COOKIE_SENT]		= "SyncookiesSent",
		[XTCP_STAT_COOKIE_RECV]		= "SyncookiesRecv",
		[XTCP_STAT_COOKIE_FAILED]	= "SyncookiesFailed",
		[XTCP_STAT_PAWS_ESTAB]		= "PAWSEstab",
		[XTCP_STAT_RENO_RECOVERY]	= "TCPRenoRecovery",
		[XTCP_STAT_SACK_RECOVERY]	= "TCPSackRecovery",
		[XTCP_STAT_FAST_RETRANS]	= "TCPFastRetrans",
		[XTCP_STAT_LOST_RETRANSMIT]	= "TCPLostRetransmit",
		[XTCP_STAT_DSACK_RECV]		= "TCPDSACKRecv",
		[XTCP_STAT_DSACK_OLD_SENT]	= "TCPDSACKOldSent",
		[XTCP_STAT_DSACK_OFO_SENT]	= "TCPDSACKOfoSent",
		[XTCP_STAT_SACK_RENEGING]	= "TCPSACKReneging",
		[XTCP_STAT_DSACK_UNDO]		= "TCPDSACKUndo",
		[XTCP_STAT_SACK_REORDER]	= "TCPSACKReorder",
		[XTCP_STAT_LOSS_PROBES]		= "TCPLossProbes",
		[XTCP_STAT_BACKLOG_DROP]	= "TCPBacklogDrop",
		[XTCP_STAT_OFO_QUEUE]		= "TCPOFOQueue",
		[XTCP_STAT_OFO_DROP]		= "TCPOFODrop",
		[XTCP_STAT_OFO_PRUNED]		= "OfoPruned",
		[XTCP_STAT_RCVQ_DROP]		= "TCPRcvQDrop",
		[XTCP_STAT_MEM_PRESSURES]	= "TCPMemoryPressures",
		[XTCP_STAT_MEM_PRESSURES_MS]	= "TCPMemoryPressuresChrono",
		[XTCP_STAT_TIMEOUTS]		= "TCPTimeouts",
		[XTCP_STAT_HYSTART_TRAIN]	= "TCPHystartTrainDetect",
		[XTCP_STAT_HYSTART_TRAIN_CWND]	= "TCPHystartTrainCwnd",
		[XTCP_STAT_HYSTART_DELAY]	= "TCPHystartDelayDetect",
		[XTCP_STAT_HYSTART_DELAY_CWND]	= "TCPHystartDelayCwnd",
	};
	struct net *net = seq_file_single_net(seq);
	int i;

	for (i = 0; i < XTCP_STAT_MAX; i++)
		seq_printf(seq, "%s %lu\n", names[i], xtcp_net_stat_read(net, i));
	seq_printf(seq, "TimeWait %d\n", xtcp_net_tw_count_add(net, 0));
	return 0;
}

static const struct seq_operations xtcp_seq_ops = {
	.start	= xtcp_seq_start,
	.next	= xtcp_seq_next,
	.stop	= xtcp_seq_stop,
	.show	= xtcp_seq_show,
};

/**
 * xtcp_proc_init_net() - create xtcp's /proc/net entries for @net
 * @net: namespace being set up
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_proc_init_net(struct net *net)
{
	if (!proc_create_net("xtcp", 0444, net->proc_net, &xtcp_seq_ops,
			     sizeof(struct xtcp_proc_iter)))
		return -ENOMEM;
	if (!proc_create_net_single("xtcp", 0444, net->proc_net_stat,
				    xtcp_stat_show, NULL)) {
		remove_proc_entry("xtcp", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xtcp_proc_exit_net() - remove what xtcp_proc_init_net() created
 * @net: namespace going away
 */
void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp", net->proc_net_stat);
	remove_proc_entry("xtcp", net->proc_net);
}
