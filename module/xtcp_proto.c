// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of xtcp with the inet layer.
 *
 * xtcp is one more entry in inetsw[SOCK_STREAM]: inet_create() picks it for
 * socket(AF_INET, SOCK_STREAM, <protocol>) and every other stream socket keeps
 * native TCP. The entry is never INET_PROTOSW_PERMANENT, so rmmod can take it
 * out again.
 */
#include <linux/in.h>
#include <linux/net.h>
#include <net/protocol.h>
#include <net/sock.h>

#include "xtcp.h"
#include "xtcp_mem.h"
#include "xtcp_proto.h"
#include "xtcp_sock.h"
#include "xtcp_tsq.h"

static struct inet_protosw xtcp_protosw = {
	.type		= SOCK_STREAM,
	.prot		= &xtcp_prot,
	.ops		= &xtcp_stream_ops,
	/* is_icsk: ip_setsockopt() then treats us as native TCP does. */
	.flags		= INET_PROTOSW_ICSK,
};

/**
 * xtcp_proto_check_number() - may xtcp register as this protocol number?
 * @protocol: candidate number for socket(AF_INET, SOCK_STREAM, @protocol)
 *
 * Rejects numbers whose stream sockets belong to someone else by design:
 * 0 is the wildcard that selects native TCP, 6 is TCP itself, IPPROTO_MPTCP
 * is MPTCP, and inet_create() refuses anything at or above IPPROTO_MAX.
 * Whether another module holds the number right now is xtcp_proto_in_use().
 *
 * Return: 0 if @protocol is acceptable, -EINVAL otherwise.
 */
int xtcp_proto_check_number(int protocol)
{
	if (protocol <= IPPROTO_IP || protocol >= IPPROTO_MAX)
		return -EINVAL;
	if (protocol == IPPROTO_TCP || protocol == IPPROTO_MPTCP)
		return -EINVAL;
	return 0;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_proto_check_number);

/**
 * xtcp_proto_in_use() - does a stream protocol already answer to @protocol?
 * @net: namespace to create the probe socket in
 * @protocol: number to probe
 *
 * inetsw is private to af_inet.c and inet_register_protosw() silently shadows
 * a non-permanent entry, so the only reliable question is to ask inet_create()
 * for a socket. Like socket(2), this may autoload a module that claims the
 * number; that module then owns it and the answer is rightly "in use".
 *
 * Return: true if a socket could be created.
 */
bool xtcp_proto_in_use(struct net *net, int protocol)
{
	struct socket *sock;

	if (sock_create_kern(net, PF_INET, SOCK_STREAM, protocol, &sock))
		return false;
	sock_release(sock);
	return true;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_proto_in_use);

/**
 * xtcp_proto_number() - the protocol number xtcp is registered as
 *
 * Return: the number, or 0 before xtcp_proto_switch_register().
 */
int xtcp_proto_number(void)
{
	return xtcp_protosw.protocol;
}
XTCP_EXPORT_FOR_KUNIT(xtcp_proto_number);

/**
 * xtcp_proto_register() - register struct proto (slab cache, /proc/net/protocols)
 *	and set up its memory pool's socket counter
 *
 * Return: 0, -ENOMEM or a negative errno from proto_register().
 */
int xtcp_proto_register(void)
{
	int err;

	err = xtcp_mem_init();
	if (err)
		return err;
	xtcp_tsq_init();
	err = proto_register(&xtcp_prot, 1);
	if (err)
		goto err_uninit_tsq;
	return 0;

err_uninit_tsq:
	xtcp_tsq_uninit();
	xtcp_mem_uninit();
	return err;
}

/** xtcp_proto_unregister() - undo xtcp_proto_register() */
void xtcp_proto_unregister(void)
{
	proto_unregister(&xtcp_prot);
	xtcp_tsq_uninit();
	xtcp_mem_uninit();
}

/**
 * xtcp_proto_switch_register() - make socket() hand out xtcp sockets
 * @protocol: number checked by xtcp_proto_check_number() and not in use
 *
 * Last step of loading: from here on user space can create sockets.
 */
void xtcp_proto_switch_register(int protocol)
{
	xtcp_protosw.protocol = protocol;
	inet_register_protosw(&xtcp_protosw);
}

/**
 * xtcp_proto_switch_unregister() - stop handing out xtcp sockets
 *
 * Waits (synchronize_net()) until no inet_create() can still see the entry.
 * Sockets already created pin the module, so none exist when this runs on
 * unload.
 */
void xtcp_proto_switch_unregister(void)
{
	inet_unregister_protosw(&xtcp_protosw);
}
