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
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_proc.h"

static void *xtcp_seq_start(struct seq_file *seq, loff_t *pos)
	__acquires(&xn->socks_lock)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));

	spin_lock_bh(&xn->socks_lock);
	return seq_hlist_start_head(&xn->socks, *pos);
}

static void *xtcp_seq_next(struct seq_file *seq, void *v, loff_t *pos)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));

	return seq_hlist_next(v, &xn->socks, pos);
}

static void xtcp_seq_stop(struct seq_file *seq, void *v)
	__releases(&xn->socks_lock)
{
	struct xtcp_net *xn = xtcp_net(seq_file_net(seq));

	spin_unlock_bh(&xn->socks_lock);
}

/* Which timer runs and when it fires, coded as /proc/net/tcp does. */
static void xtcp_seq_timer(struct sock *sk, int *which, unsigned long *when)
{
	struct inet_connection_sock *icsk = inet_csk(sk);

	*which = 0;
	*when = jiffies;
	if (icsk->icsk_pending == ICSK_TIME_RETRANS &&
	    timer_pending(&icsk->icsk_retransmit_timer)) {
		*which = 1;
		*when = icsk->icsk_retransmit_timer.expires;
	} else if (icsk->icsk_pending == ICSK_TIME_PROBE0 &&
		   timer_pending(&icsk->icsk_retransmit_timer)) {
		*which = 4;
		*when = icsk->icsk_retransmit_timer.expires;
	} else if (timer_pending(&icsk->icsk_keepalive_timer)) {
		*which = sk->sk_state == TCP_TIME_WAIT ? 3 : 2;
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
			     sizeof(struct seq_net_private)))
		return -ENOMEM;
	return 0;
}

/**
 * xtcp_proc_exit_net() - remove what xtcp_proc_init_net() created
 * @net: namespace going away
 */
void xtcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("xtcp", net->proc_net);
}
