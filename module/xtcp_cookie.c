// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies. A cookie ISN is the sum of three parts:
 *
 *   H0(4-tuple) + peer ISN              hides the rest from the peer
 *   counter << 24                       when it was made (8 bits)
 *   (H1(4-tuple, peer ISN, counter) + MSS index) mod 2^24
 *                                       authenticates all of it and the MSS
 *
 * H0 and H1 are SipHash-2-4 under the two keys of the secret. The top byte
 * alone cannot be trusted: the counter it yields is fed back into H1, so a
 * forged value only passes when the low 24 bits land on a valid MSS index
 * (4 out of 2^24) within the accepted age (3 out of 256).
 *
 * Linux leaves the peer ISN out of H1, so there an ACK whose sequence
 * number is off by one or two still passes, with another MSS. Hashing it
 * makes any other sequence number fail; the peer cannot tell the
 * difference, the cookie being opaque to it either way.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/random.h>

#include "xtcp.h"
#include "xtcp_cookie.h"

#define XTCP_COOKIE_BITS	24
#define XTCP_COOKIE_MASK	((1U << XTCP_COOKIE_BITS) - 1)
#define XTCP_COOKIE_PERIOD	(60 * HZ)	/* TCP_SYNCOOKIE_PERIOD */
/*
 * Counter ticks a cookie stays valid after it was made, as Linux's check
 * (age < MAX_SYNCOOKIE_AGE): 60 to 120 s depending on when in its minute
 * it was sent.
 */
#define XTCP_COOKIE_MAX_AGE	1

/*
 * The MSS values a cookie can carry, Linux's msstab: the most common ones on
 * the Internet, so rounding down costs little.
 */
static const u16 xtcp_cookie_msstab[] = { 536, 1300, 1440, 1460 };

/* Timestamp low bits, laid out as Linux's so an echo means the same. */
#define XTCP_COOKIE_TS_BITS	6
#define XTCP_COOKIE_TS_WSCALE	0xfU	/* 0xf: the peer sent no window scale */
#define XTCP_COOKIE_TS_SACK	BIT(4)
#define XTCP_COOKIE_TS_ECN	BIT(5)
#define XTCP_COOKIE_WSCALE_MAX	14	/* RFC 7323 2.3 */

static u32 xtcp_cookie_ports(__be16 sport, __be16 dport)
{
	return (u32)(__force u16)sport << 16 | (__force u16)dport;
}

static u32 xtcp_cookie_h0(const struct xtcp_cookie_secret *s, __be32 saddr,
			  __be32 daddr, __be16 sport, __be16 dport)
{
	return siphash_3u32((__force u32)saddr, (__force u32)daddr,
			    xtcp_cookie_ports(sport, dport), &s->key[0]);
}

static u32 xtcp_cookie_h1(const struct xtcp_cookie_secret *s, __be32 saddr,
			  __be32 daddr, __be16 sport, __be16 dport,
			  u32 peer_isn, u32 clock)
{
	return siphash_3u64((u64)(__force u32)saddr << 32 | (__force u32)daddr,
			    (u64)xtcp_cookie_ports(sport, dport) << 32 | clock,
			    peer_isn, &s->key[1]);
}

/**
 * xtcp_cookie_secret_init() - draw fresh random cookie keys
 * @s: the secret to fill
 *
 * Both keys must stay the same for as long as cookies may come back, so
 * this is meant for namespace setup only.
 */
void xtcp_cookie_secret_init(struct xtcp_cookie_secret *s)
{
	get_random_bytes(s->key, sizeof(s->key));
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_secret_init);

/**
 * xtcp_cookie_clock() - the cookie counter now
 *
 * Counts minutes of jiffies, as Linux's tcp_cookie_time(); 64-bit jiffies so
 * the counter does not jump when 32-bit jiffies wrap.
 *
 * Return: the counter to pass to xtcp_cookie_make() and xtcp_cookie_check().
 */
u32 xtcp_cookie_clock(void)
{
	return (u32)div_u64(get_jiffies_64(), XTCP_COOKIE_PERIOD);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_clock);

/**
 * xtcp_cookie_make() - the ISN of a cookie SYN-ACK
 * @s: the namespace's secret
 * @saddr: source address of the SYN (the peer)
 * @daddr: destination address of the SYN (the listener)
 * @sport: source port of the SYN
 * @dport: destination port of the SYN
 * @peer_isn: the SYN's sequence number
 * @clock: xtcp_cookie_clock()
 * @mss: in, the MSS the peer offered (0 when it sent none: RFC 9293's
 *	default 536); out, the MSS the cookie carries, the largest table entry
 *	not above the offer (536 for smaller offers, as Linux)
 *
 * Return: the ISN to send.
 */
u32 xtcp_cookie_make(const struct xtcp_cookie_secret *s, __be32 saddr,
		     __be32 daddr, __be16 sport, __be16 dport, u32 peer_isn,
		     u32 clock, u16 *mss)
{
	u32 idx = ARRAY_SIZE(xtcp_cookie_msstab) - 1;

	while (idx && *mss < xtcp_cookie_msstab[idx])
		idx--;
	*mss = xtcp_cookie_msstab[idx];

	return xtcp_cookie_h0(s, saddr, daddr, sport, dport) + peer_isn +
	       (clock << XTCP_COOKIE_BITS) +
	       ((xtcp_cookie_h1(s, saddr, daddr, sport, dport, peer_isn, clock) +
		 idx) & XTCP_COOKIE_MASK);
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_make);

/**
 * xtcp_cookie_check() - validate the ACK of a cookie SYN-ACK
 * @s: the namespace's secret
 * @saddr: source address of the ACK (the peer)
 * @daddr: destination address of the ACK (the listener)
 * @sport: source port of the ACK
 * @dport: destination port of the ACK
 * @peer_isn: the ACK's sequence number minus one
 * @cookie: the ACK's acknowledgment number minus one
 * @clock: xtcp_cookie_clock()
 *
 * Return: the MSS the cookie carries, or 0 when it was not made with this
 * secret for this 4-tuple and peer ISN, was made more than
 * %XTCP_COOKIE_MAX_AGE counter ticks ago, or claims a later counter.
 */
u16 xtcp_cookie_check(const struct xtcp_cookie_secret *s, __be32 saddr,
		      __be32 daddr, __be16 sport, __be16 dport, u32 peer_isn,
		      u32 cookie, u32 clock)
{
	u32 rest, age, idx;

	rest = cookie - xtcp_cookie_h0(s, saddr, daddr, sport, dport) - peer_isn;
	/*
	 * Only the counter's low 8 bits travel; a cookie from the future
	 * shows up as a very old one.
	 */
	age = (clock - (rest >> XTCP_COOKIE_BITS)) & (U32_MAX >> XTCP_COOKIE_BITS);
	if (age > XTCP_COOKIE_MAX_AGE)
		return 0;
	idx = (rest - xtcp_cookie_h1(s, saddr, daddr, sport, dport, peer_isn,
				     clock - age)) & XTCP_COOKIE_MASK;
	if (idx >= ARRAY_SIZE(xtcp_cookie_msstab))
		return 0;
	return xtcp_cookie_msstab[idx];
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_check);

/**
 * xtcp_cookie_ts_encode() - the TSval of a cookie SYN-ACK
 * @tsval_now: the timestamp clock now
 * @o: the SYN's window scale (above 14 is taken as 14, RFC 7323 2.3) and
 *	SACK-permitted
 *
 * The options the ISN has no room for go in the low 6 bits, which the peer
 * echoes back in TSecr: window scale in bits 0-3 (0xf for none), SACK in
 * bit 4, ECN in bit 5 (never set: xtcp does not negotiate ECN). The value
 * is moved one 64-tick step back if that is needed to keep it from being
 * later than @tsval_now, and also when it would be 0, which
 * xtcp_cookie_ts_decode() reads as "no timestamps".
 *
 * Return: the TSval to send.
 */
u32 xtcp_cookie_ts_encode(u32 tsval_now, const struct xtcp_cookie_opts *o)
{
	u32 opts, ts;

	if (o->wscale < 0)
		opts = XTCP_COOKIE_TS_WSCALE;
	else
		opts = min_t(u32, o->wscale, XTCP_COOKIE_WSCALE_MAX);
	if (o->sack_ok)
		opts |= XTCP_COOKIE_TS_SACK;

	ts = (tsval_now & ~((1U << XTCP_COOKIE_TS_BITS) - 1)) | opts;
	if (ts > tsval_now || !ts)
		ts -= 1U << XTCP_COOKIE_TS_BITS;
	return ts;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_ts_encode);

/**
 * xtcp_cookie_ts_decode() - the SYN's options from the echo of a cookie TSval
 * @tsecr: TSecr of the ACK, 0 when it carries no timestamp option
 * @o: out: the options; none when this returns false
 *
 * Without timestamps nothing came back, so the connection goes on without
 * window scaling and SACK, as in Linux.
 *
 * Return: true when @tsecr carries options xtcp_cookie_ts_encode() can have
 * made, false when it is 0 or has the ECN bit set.
 */
bool xtcp_cookie_ts_decode(u32 tsecr, struct xtcp_cookie_opts *o)
{
	u32 wscale = tsecr & XTCP_COOKIE_TS_WSCALE;

	o->wscale = -1;
	o->sack_ok = false;
	/*
	 * The 4 bits hold 0..15, and 15 means none, so a shift above 14
	 * cannot be expressed; only ECN is left to reject.
	 */
	if (!tsecr || (tsecr & XTCP_COOKIE_TS_ECN))
		return false;
	if (wscale != XTCP_COOKIE_TS_WSCALE)
		o->wscale = wscale;
	o->sack_ok = !!(tsecr & XTCP_COOKIE_TS_SACK);
	return true;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_cookie_ts_decode);
