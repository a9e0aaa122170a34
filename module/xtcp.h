/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp: what every file of the module shares: the socket structure and the
 * few helpers that go with it.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <net/inet_connection_sock.h>
#include <uapi/linux/xtcp.h>

/*
 * Functions the KUnit module (xtcp_kunit.ko) calls are exported into a
 * namespace of their own, and only when the kernel has KUnit at all, so the
 * production module exports nothing.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define XTCP_EXPORT_FOR_KUNIT(sym)	EXPORT_SYMBOL_NS_GPL(sym, XTCP_KUNIT)
#else
#define XTCP_EXPORT_FOR_KUNIT(sym)
#endif

/**
 * struct xtcp_sock - an xtcp socket
 * @icsk: the inet connection socket it is built on; must stay first so that
 *	inet_sk() and inet_csk() work on it
 * @table_node: link in the owning namespace's socket table
 * @mss_cache: current effective sending MSS
 * @user_mss: MSS clamp set by the user (TCP_MAXSEG), 0 when unset
 */
struct xtcp_sock {
	struct inet_connection_sock	icsk;
	struct hlist_node		table_node;
	u32				mss_cache;
	u16				user_mss;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

#endif /* _XTCP_H */
