// SPDX-License-Identifier: GPL-2.0
/*
 * Local port ownership.
 *
 * xtcp sockets are not in native TCP's tables, so nothing there would stop
 * native TCP from handing out a port an xtcp socket uses, and a native
 * connection could end up with the same 4-tuple as an xtcp one. Each port
 * an xtcp socket holds is therefore also held in native TCP's bind table:
 * native bind() and connect() see the port as taken, and binding it fails
 * for xtcp when native TCP already uses it. Since the reservations are
 * exclusive, xtcp sockets never share a port among themselves either, so a
 * 4-tuple can only ever exist once.
 *
 * The holder in native's table is not a TCP socket but the smallest object
 * inet_csk_get_port() accepts: a sock of a private proto that ends where
 * inet_connection_sock's bind fields end (about 1 KB, where a TCP socket
 * with its inode is over 3 KB). It is never hashed, locked or connected;
 * native's bind conflict checks read only struct sock fields of it. Taking
 * and releasing it needs no socket layer, so a release may run in any
 * context and frees the port at once.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/inet_connection_sock.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_trace.h"

/**
 * struct xtcp_port - a local port xtcp sockets hold
 * @owner: holder of the port in native TCP's bind table: a sock of
 *	xtcp_port_prot, or the xtcp socket itself (@self)
 * @refs: holders: the socket that bound it, then the children a listener
 *	accepted on it and the TIME_WAIT entries they leave behind, and
 *	sockets sharing it through SO_REUSEADDR or SO_REUSEPORT
 * @node: link in the namespace's port table (xtcp_port_table)
 * @table: that table
 * @addr: bound address
 * @num: port number
 * @uid: owner of the first holder (SO_REUSEPORT shares only within a user)
 * @reuse: every holder set SO_REUSEADDR
 * @reuseport: every holder set SO_REUSEPORT
 * @listeners: holders listening
 * @self: @owner is the socket that connected from this port, its only holder
 *	until a TIME_WAIT entry takes over (xtcp_port_hand_over())
 */
struct xtcp_port {
	struct sock		*owner;
	refcount_t		refs;
	struct hlist_node	node;
	struct xtcp_port_table	*table;
	__be32			addr;
	u16			num;
	kuid_t			uid;
	bool			reuse;
	bool			reuseport;
	bool			self;
	int			listeners;
};

/*
 * inet_csk_get_port() and inet_put_port() touch the sock, the inet_sock and
 * icsk_bind_hash/icsk_bind2_hash, nothing past them. With no hashinfo of its
 * own, the proto binds in the namespace's TCP table. No module owner: a
 * TIME_WAIT entry holding a port must not keep rmmod from purging it; every
 * holder is gone before xtcp_port_exit().
 */
static struct proto xtcp_port_prot = {
	.name		= "XTCP-PORT",
	.obj_size	= offsetofend(struct inet_connection_sock,
				      icsk_bind2_hash),
};

static siphash_key_t xtcp_port_secret __read_mostly;
static atomic_t xtcp_port_perturb = ATOMIC_INIT(0);

/**
 * xtcp_port_init() - set up port reservations at module load
 *
 * Return: 0 or the error of proto_register().
 */
int xtcp_port_init(void)
{
	get_random_bytes(&xtcp_port_secret, sizeof(xtcp_port_secret));
	return proto_register(&xtcp_port_prot, 1);
}

/**
 * xtcp_port_exit() - at module unload, once every xtcp socket and TIME_WAIT
 * entry is gone
 */
void xtcp_port_exit(void)
{
	proto_unregister(&xtcp_port_prot);
}

/*
 * A user-style sock (kern = 0) holds a reference on its namespace, as the
 * native socket did that held ports before: a TIME_WAIT entry may keep the
 * port after its socket is gone.
 */
static struct sock *xtcp_port_owner_alloc(struct sock *sk, gfp_t gfp)
{
	struct sock *owner;

	owner = sk_alloc(sock_net(sk), PF_INET, gfp, &xtcp_port_prot, 0);
	if (!owner)
		return NULL;
	sock_init_data(NULL, owner);
	/*
	 * Never SO_REUSEADDR: a native socket could then share the port and,
	 * with it, a 4-tuple. The device binding follows the xtcp socket.
	 */
	owner->sk_reuse = SK_NO_REUSE;
	owner->sk_bound_dev_if = sk->sk_bound_dev_if;
	return owner;
}

/* @self: @sk itself holds the port in native's table (see xtcp_port). */
static struct xtcp_port *xtcp_port_alloc(struct sock *sk, bool self)
{
	struct xtcp_port *p;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return ERR_PTR(-ENOBUFS);
	p->owner = self ? sk : xtcp_port_owner_alloc(sk, GFP_KERNEL);
	if (!p->owner) {
		kfree(p);
		return ERR_PTR(-ENOBUFS);
	}
	p->self = self;
	refcount_set(&p->refs, 1);
	return p;
}

static void xtcp_port_free(struct xtcp_port *p)
{
	struct sock *owner = p->owner;

	if (inet_sk(owner)->inet_num) {
		/* native's bhash2 bucket is found by the bound address */
		DEBUG_NET_WARN_ON_ONCE(owner->sk_rcv_saddr != p->addr);
		inet_put_port(owner);
	}
	if (!p->self)
		sk_free(owner);
	kfree(p);
}

/* The address was checked by the caller, as inet_bind() checks it. */
static int xtcp_port_try_owner(struct sock *owner, __be32 addr, u16 port)
{
	owner->sk_rcv_saddr = addr;
	return inet_csk_get_port(owner, port) ? -EADDRINUSE : 0;
}

static int xtcp_port_try(struct xtcp_port *p, __be32 addr, u16 port)
{
	return xtcp_port_try_owner(p->owner, addr, port);
}

/**
 * xtcp_port_table_init() - an empty port table for a new namespace
 * @t: the table
 */
void xtcp_port_table_init(struct xtcp_port_table *t)
{
	unsigned int i;

	spin_lock_init(&t->lock);
	for (i = 0; i < XTCP_PORT_TABLE_SIZE; i++)
		INIT_HLIST_HEAD(&t->buckets[i]);
}

static struct hlist_head *xtcp_port_bucket(struct xtcp_port_table *t, u16 num)
{
	return &t->buckets[num % XTCP_PORT_TABLE_SIZE];
}

/* @sk holds @p from now on. */
static void xtcp_port_hold_by(struct sock *sk, struct xtcp_port *p, u16 port)
{
	xtcp_sk(sk)->port = p;
	inet_sk(sk)->inet_num = port;
	inet_sk(sk)->inet_sport = htons(port);
}

/* A new reservation: into the namespace's table, held by @sk. */
static void xtcp_port_attach(struct sock *sk, struct xtcp_port *p,
			     __be32 addr, u16 port)
{
	struct xtcp_port_table *t = xtcp_net_ports(sock_net(sk));

	p->table = t;
	p->addr = addr;
	p->num = port;
	p->uid = sock_i_uid(sk);
	p->reuse = sk->sk_reuse;
	p->reuseport = sk->sk_reuseport;
	spin_lock_bh(&t->lock);
	hlist_add_head(&p->node, xtcp_port_bucket(t, port));
	spin_unlock_bh(&t->lock);
	xtcp_port_hold_by(sk, p, port);
}

/*
 * Native TCP lets sockets share a port when all set SO_REUSEADDR and none
 * listens, or all set SO_REUSEPORT under one user (inet_csk_bind_conflict());
 * among xtcp sockets on the same address, so does xtcp. The reservation
 * socket stays exclusive against native TCP.
 */
static bool xtcp_port_share(struct sock *sk, __be32 addr, u16 port)
{
	struct xtcp_port_table *t = xtcp_net_ports(sock_net(sk));
	struct xtcp_port *p;
	bool shared = false;

	spin_lock_bh(&t->lock);
	hlist_for_each_entry(p, xtcp_port_bucket(t, port), node) {
		if (p->num != port || p->addr != addr)
			continue;
		if ((sk->sk_reuseport && p->reuseport &&
		     uid_eq(p->uid, sock_i_uid(sk))) ||
		    (sk->sk_reuse && p->reuse && !p->listeners)) {
			refcount_inc(&p->refs);
			p->reuse &= !!sk->sk_reuse;
			p->reuseport &= !!sk->sk_reuseport;
			shared = true;
		}
		break;
	}
	spin_unlock_bh(&t->lock);
	if (shared)
		xtcp_port_hold_by(sk, p, port);
	return shared;
}

/**
 * xtcp_port_listen() - a holder starts or stops listening
 * @p: its port
 * @delta: +1 or -1
 *
 * A port with a listener is no longer shared through SO_REUSEADDR.
 */
void xtcp_port_listen(struct xtcp_port *p, int delta)
{
	spin_lock_bh(&p->table->lock);
	p->listeners += delta;
	spin_unlock_bh(&p->table->lock);
}

/**
 * xtcp_port_bind() - take @addr:@port for @sk, as bind() does
 * @sk: unbound socket, locked by the caller
 * @addr: local address, INADDR_ANY for all
 * @port: port in host order; 0 picks a free one from ip_local_port_range
 *
 * Return: 0, -EADDRINUSE when native TCP or another xtcp socket holds the
 * port (or no ephemeral port is free), -EADDRNOTAVAIL when native TCP
 * refuses the address, or -ENOBUFS.
 */
int xtcp_port_bind(struct sock *sk, __be32 addr, u16 port)
{
	int low, high, remaining, offset, i, err;
	struct xtcp_port *p;

	if (port && (sk->sk_reuse || sk->sk_reuseport) &&
	    xtcp_port_share(sk, addr, port))
		return 0;
	p = xtcp_port_alloc(sk, false);
	if (IS_ERR(p))
		return PTR_ERR(p);
	if (port) {
		err = xtcp_port_try(p, addr, port);
		if (err)
			goto err_free;
		xtcp_port_attach(sk, p, addr, port);
		return 0;
	}

	/* bind(port 0): any free port, from a random start. */
	inet_get_local_port_range(sock_net(sk), &low, &high);
	remaining = high - low + 1;
	offset = get_random_u32_below(remaining);
	err = -EADDRINUSE;
	for (i = 0; i < remaining; i++) {
		int candidate = low + (offset + i) % remaining;

		if (inet_is_local_reserved_port(sock_net(sk), candidate))
			continue;
		err = xtcp_port_try(p, addr, candidate);
		if (!err) {
			xtcp_port_attach(sk, p, addr, candidate);
			return 0;
		}
		if (err != -EADDRINUSE)
			break;
	}
err_free:
	xtcp_port_free(p);
	return err;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_port_bind);

/**
 * xtcp_port_connect() - choose the source port of a connect
 * @sk: socket being connected, locked, not bound to a port yet
 * @saddr: source address the route chose
 * @daddr: destination address
 * @dport: destination port
 *
 * Like __inet_hash_connect(): the scan starts at an offset from a keyed hash
 * of the destination plus a perturbation, so ports are spread and hard to
 * predict (RFC 6056, algorithm 3), tries ports of low's parity first,
 * respects ip_local_port_range and ip_local_reserved_ports.
 *
 * The port is never shared, so unless @sk asks for sharing (which native
 * TCP would read from the holder), @sk itself holds it in native's table.
 *
 * Return: 0 with inet_num/inet_sport set, -EADDRNOTAVAIL when every port is
 * taken (as native TCP says), or -ENOBUFS.
 */
int xtcp_port_connect(struct sock *sk, __be32 saddr, __be32 daddr,
		      __be16 dport)
{
	u32 remaining, offset, i;
	struct xtcp_port *p;
	int low, high, err;
	u32 port;

	p = xtcp_port_alloc(sk, !sk->sk_reuse && !sk->sk_reuseport);
	if (IS_ERR(p))
		return PTR_ERR(p);

	inet_get_local_port_range(sock_net(sk), &low, &high);
	remaining = high - low + 1;
	if (remaining > 1)
		remaining &= ~1U;
	offset = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			      (__force u32)dport, &xtcp_port_secret);
	offset += atomic_read(&xtcp_port_perturb);
	offset %= remaining;
	offset &= ~1U;

	for (i = 0; i < remaining; i++) {
		/* even offsets first, then the odd ones */
		u32 step = i < remaining / 2 ? 2 * i : 2 * (i - remaining / 2) + 1;

		port = low + (offset + step) % remaining;
		if (inet_is_local_reserved_port(sock_net(sk), port))
			continue;
		err = xtcp_port_try(p, saddr, port);
		if (!err) {
			xtcp_port_attach(sk, p, saddr, port);
			/*
			 * As __inet_hash_connect(): the next scan starts past
			 * the ports this one found taken, else each connect
			 * walks again over every port the previous ones hold;
			 * some randomness while few are taken.
			 */
			atomic_add(max_t(u32, i, get_random_u32_below(8) * 2) + 2,
				   &xtcp_port_perturb);
			return 0;
		}
		if (err != -EADDRINUSE)
			break;
	}
	xtcp_port_free(p);
	return -EADDRNOTAVAIL;
}

/**
 * xtcp_port_get() - one more holder of a port
 * @p: port held by the caller
 *
 * Return: @p.
 */
struct xtcp_port *xtcp_port_get(struct xtcp_port *p)
{
	refcount_inc(&p->refs);
	return p;
}

/**
 * xtcp_port_put() - a holder lets go of a port
 * @p: port, or NULL
 *
 * The last holder frees it, in any context: the port is free when this
 * returns, as with native TCP.
 */
void xtcp_port_put(struct xtcp_port *p)
{
	struct xtcp_port_table *t;

	if (!p)
		return;
	t = p->table;
	spin_lock_bh(&t->lock);
	if (!refcount_dec_and_test(&p->refs)) {
		spin_unlock_bh(&t->lock);
		return;
	}
	hlist_del(&p->node);
	spin_unlock_bh(&t->lock);
	xtcp_port_free(p);
}

/**
 * xtcp_port_release() - give up the port @sk holds, if any
 * @sk: socket; any context
 */
void xtcp_port_release(struct sock *sk)
{
	struct xtcp_port *p = xtcp_sk(sk)->port;

	if (!p)
		return;
	xtcp_sk(sk)->port = NULL;
	/* Before inet_num goes: it finds @sk in native's table if @sk holds
	 * the port there.
	 */
	xtcp_port_put(p);
	/* As __inet_put_port(): inet_sport stays for a last RST to carry. */
	inet_sk(sk)->inet_num = 0;
}

/**
 * xtcp_port_hand_over() - let the port outlive the socket holding it
 * @p: port of a socket about to leave it to its TIME_WAIT entry
 * @sk: that socket, locked
 *
 * A socket that holds its port in native's table itself (@p->self) gives
 * that place to a sock of xtcp_port_prot; forced reuse lets both be there
 * for a moment, so the port is never free in between.
 *
 * Return: 0, or -ENOBUFS (no memory in atomic context).
 */
int xtcp_port_hand_over(struct xtcp_port *p, struct sock *sk)
{
	struct sock *owner;
	int err;

	if (!p->self)
		return 0;
	owner = xtcp_port_owner_alloc(sk, GFP_ATOMIC);
	if (!owner)
		return -ENOBUFS;
	owner->sk_reuse = SK_FORCE_REUSE;
	err = xtcp_port_try_owner(owner, p->addr, p->num);
	owner->sk_reuse = SK_NO_REUSE;
	if (err) {
		sk_free(owner);
		return err;
	}
	inet_put_port(sk);
	/* @sk keeps its number until it lets go of @p. */
	inet_sk(sk)->inet_num = p->num;
	p->owner = owner;
	p->self = false;
	return 0;
}
