/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-network-namespace state of xtcp. Only xtcp_pernet.c knows how it is
 * stored; everyone else goes through these accessors.
 */
#ifndef _XTCP_PERNET_H
#define _XTCP_PERNET_H

#include <linux/list.h>
#include <linux/spinlock.h>

#include "xtcp_cookie.h"
#include "xtcp_ehash.h"
#include "xtcp_listen.h"
#include "xtcp_port.h"

struct net;
struct sock;
struct xtcp_cong_ops;
struct xtcp_route_cache;

/* Counters shown in /proc/net/stat/xtcp. */
enum xtcp_stat {
	XTCP_STAT_SYNQ_OVERFLOW,	/* SYN queue full when a SYN came */
	XTCP_STAT_LISTEN_OVERFLOW,	/* accept queue full (ListenOverflows) */
	XTCP_STAT_LISTEN_DROP,		/* SYN or ACK dropped (ListenDrops) */
	XTCP_STAT_COOKIE_SENT,		/* SyncookiesSent */
	XTCP_STAT_COOKIE_RECV,		/* SyncookiesRecv: valid cookie ACKs */
	XTCP_STAT_COOKIE_FAILED,	/* SyncookiesFailed */
	XTCP_STAT_PAWS_ESTAB,		/* PAWSEstab: old timestamp dropped */
	XTCP_STAT_RENO_RECOVERY,	/* TCPRenoRecovery: NewReno fast recovery */
	XTCP_STAT_SACK_RECOVERY,	/* TCPSackRecovery: SACK-based recovery */
	XTCP_STAT_FAST_RETRANS,		/* TCPFastRetrans: resent in recovery */
	XTCP_STAT_LOST_RETRANSMIT,	/* TCPLostRetransmit: (RACK) */
	XTCP_STAT_DSACK_RECV,		/* TCPDSACKRecv */
	XTCP_STAT_DSACK_OLD_SENT,	/* TCPDSACKOldSent: below rcv_nxt */
	XTCP_STAT_DSACK_OFO_SENT,	/* TCPDSACKOfoSent: out of order */
	XTCP_STAT_SACK_RENEGING,	/* TCPSACKReneging */
	XTCP_STAT_DSACK_UNDO,		/* TCPDSACKUndo */
	XTCP_STAT_SACK_REORDER,		/* TCPSACKReorder */
	XTCP_STAT_LOSS_PROBES,		/* TCPLossProbes: tail loss probes */
	XTCP_STAT_BACKLOG_DROP,		/* TCPBacklogDrop: socket backlog full */
	XTCP_STAT_OFO_QUEUE,		/* TCPOFOQueue: queued out of order */
	XTCP_STAT_OFO_DROP,		/* TCPOFODrop: out of order, no memory */
	XTCP_STAT_OFO_PRUNED,		/* OfoPruned: freed to make room */
	XTCP_STAT_RCVQ_DROP,		/* TCPRcvQDrop: in order, no memory */
	XTCP_STAT_MEM_PRESSURES,	/* TCPMemoryPressures: entered */
	XTCP_STAT_MEM_PRESSURES_MS,	/* TCPMemoryPressuresChrono: ms in it */
	XTCP_STAT_TIMEOUTS,		/* TCPTimeouts: RTO expirations */
	XTCP_STAT_HYSTART_TRAIN,	/* TCPHystartTrainDetect */
	XTCP_STAT_HYSTART_TRAIN_CWND,	/* TCPHystartTrainCwnd: sum of cwnd */
	XTCP_STAT_HYSTART_DELAY,	/* TCPHystartDelayDetect */
	XTCP_STAT_HYSTART_DELAY_CWND,	/* TCPHystartDelayCwnd: sum of cwnd */
	XTCP_STAT_MAX
};

/**
 * struct xtcp_net - xtcp's state in one network namespace
 * @socks_lock: protects @socks and @nsocks
 * @socks: every xtcp socket of the namespace, whatever its state
 * @nsocks: number of entries in @socks
 * @routes: the namespace's output route cache
 * @ehash: connected sockets by 4-tuple, for the receive path
 * @tw_timeout: TIME_WAIT length in jiffies (net.xtcp.tw_timeout_ms)
 * @sysctl: net.xtcp settings owned here
 * @cong_default: congestion control of new sockets
 *	(net.xtcp.congestion_control)
 * @listeners: listening sockets by port
 * @cookie_secret: keys of this namespace's SYN cookies
 * @ports: local ports held, for SO_REUSEADDR/SO_REUSEPORT sharing
 * @tw_count: TIME_WAIT entries alive (net.ipv4.tcp_max_tw_buckets bounds it)
 * @stats: per-CPU counters (enum xtcp_stat)
 */
struct xtcp_net {
	spinlock_t		socks_lock;
	struct hlist_head	socks;
	unsigned int		nsocks;
	struct xtcp_route_cache	*routes;
	struct xtcp_ehash	ehash;
	int			tw_timeout;
	struct ctl_table_header	*sysctl;
	const struct xtcp_cong_ops *cong_default;
	struct xtcp_lhash	listeners;
	struct xtcp_cookie_secret cookie_secret;
	struct xtcp_port_table	ports;
	atomic_t		tw_count;
	unsigned long __percpu	*stats;
};

struct xtcp_net *xtcp_net(const struct net *net);
int xtcp_pernet_register(void);
void xtcp_pernet_unregister(void);
void xtcp_pernet_sock_add(struct sock *sk);
bool xtcp_pernet_sock_del(struct sock *sk);
unsigned int xtcp_pernet_sock_count(const struct net *net);
struct xtcp_route_cache *xtcp_net_routes(const struct net *net);
struct xtcp_ehash *xtcp_net_ehash(const struct net *net);
u32 xtcp_net_tw_timeout(const struct net *net);
struct xtcp_lhash *xtcp_net_lhash(const struct net *net);
struct xtcp_port_table *xtcp_net_ports(const struct net *net);
const struct xtcp_cookie_secret *xtcp_net_cookie_secret(const struct net *net);
int xtcp_net_tw_count_add(const struct net *net, int delta);
void xtcp_net_stat_inc(const struct net *net, enum xtcp_stat item);
void xtcp_net_stat_add(const struct net *net, enum xtcp_stat item,
		       unsigned long val);
unsigned long xtcp_net_stat_read(const struct net *net, enum xtcp_stat item);

#endif /* _XTCP_PERNET_H */
