/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies (RFC 4987 3.6): a listener whose SYN queue is full answers
 * with a SYN-ACK whose ISN encodes what it would otherwise have stored, and
 * rebuilds the connection from the ACK. The layout follows Linux's, so that
 * a peer sees the same behaviour from xtcp as from native TCP. Everything
 * here is a pure function of its arguments; the secret is passed in.
 */
#ifndef _XTCP_COOKIE_H
#define _XTCP_COOKIE_H

#include <linux/siphash.h>
#include <linux/types.h>

/**
 * struct xtcp_cookie_secret - keys of the cookie hashes, one per namespace
 * @key: key[0] hides the 4-tuple, key[1] authenticates counter and MSS
 */
struct xtcp_cookie_secret {
	siphash_key_t key[2];
};

/**
 * struct xtcp_cookie_opts - SYN options carried in the timestamp
 * @wscale: the peer's window scale shift (0..14), -1 when it sent none
 * @sack_ok: the peer sent SACK-permitted
 */
struct xtcp_cookie_opts {
	s8 wscale;
	bool sack_ok;
};

void xtcp_cookie_secret_init(struct xtcp_cookie_secret *s);
u32 xtcp_cookie_clock(void);
u32 xtcp_cookie_make(const struct xtcp_cookie_secret *s, __be32 saddr,
		     __be32 daddr, __be16 sport, __be16 dport, u32 peer_isn,
		     u32 clock, u16 *mss);
u16 xtcp_cookie_check(const struct xtcp_cookie_secret *s, __be32 saddr,
		      __be32 daddr, __be16 sport, __be16 dport, u32 peer_isn,
		      u32 cookie, u32 clock);
u32 xtcp_cookie_ts_encode(u32 tsval_now, const struct xtcp_cookie_opts *o);
bool xtcp_cookie_ts_decode(u32 tsecr, struct xtcp_cookie_opts *o);

#endif /* _XTCP_COOKIE_H */
