// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp: an alternate, wire-compatible TCP stack as a loadable module.
 *
 * This file only loads and unloads: each step has its undo, and a failed
 * step unwinds the ones before it in reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <net/net_namespace.h>

#include "xtcp.h"
#include "xtcp_pernet.h"
#include "xtcp_port.h"
#include "xtcp_proto.h"

static int protocol = IPPROTO_XTCP;
module_param(protocol, int, 0444);
MODULE_PARM_DESC(protocol,
		 "IP protocol number selecting xtcp in socket(AF_INET, SOCK_STREAM, n) (default 253)");

/*
 * Loading steps, in order. inject_init_fault=N makes step N fail, so tests can
 * prove that every failure unwinds exactly what came before it.
 */
enum xtcp_init_step {
	XTCP_INIT_CHECK_PROTOCOL = 1,
	XTCP_INIT_PROTO,
	XTCP_INIT_PORT,
	XTCP_INIT_PERNET,
	XTCP_INIT_PROTOSW,
};

static int inject_init_fault;
module_param(inject_init_fault, int, 0444);
MODULE_PARM_DESC(inject_init_fault,
		 "Debug: make loading step N (1 = first) fail with -ENOMEM, 0 = off");

static int xtcp_init_fault(enum xtcp_init_step step)
{
	if (step != inject_init_fault)
		return 0;
	pr_info("injected failure at init step %d\n", step);
	return -ENOMEM;
}

static int xtcp_check_protocol(void)
{
	int err;

	err = xtcp_proto_check_number(protocol);
	if (err) {
		pr_err("protocol %d is reserved or out of range\n", protocol);
		return err;
	}
	if (xtcp_proto_in_use(&init_net, protocol)) {
		pr_err("protocol %d is already taken by another stream protocol\n",
		       protocol);
		return -EBUSY;
	}
	return 0;
}

static int __init xtcp_init(void)
{
	int err;

	err = xtcp_init_fault(XTCP_INIT_CHECK_PROTOCOL) ?: xtcp_check_protocol();
	if (err)
		return err;

	err = xtcp_init_fault(XTCP_INIT_PROTO) ?: xtcp_proto_register();
	if (err)
		return err;

	err = xtcp_init_fault(XTCP_INIT_PORT) ?: xtcp_port_init();
	if (err)
		goto err_unregister_proto;

	err = xtcp_init_fault(XTCP_INIT_PERNET) ?: xtcp_pernet_register();
	if (err)
		goto err_port_exit;

	/* inet_register_protosw() cannot fail; the fault stands in for a check. */
	err = xtcp_init_fault(XTCP_INIT_PROTOSW);
	if (err)
		goto err_unregister_pernet;
	xtcp_proto_switch_register(protocol);

	pr_info("loaded: socket(AF_INET, SOCK_STREAM, %d) is xtcp\n", protocol);
	return 0;

err_unregister_pernet:
	xtcp_pernet_unregister();
err_port_exit:
	xtcp_port_exit();
err_unregister_proto:
	xtcp_proto_unregister();
	return err;
}

static void __exit xtcp_exit(void)
{
	xtcp_proto_switch_unregister();
	xtcp_pernet_unregister();
	xtcp_port_exit();
	xtcp_proto_unregister();
	pr_info("unloaded\n");
}

module_init(xtcp_init);
module_exit(xtcp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The xtcp developers");
MODULE_DESCRIPTION("xtcp: an alternate, wire-compatible TCP stack");
/*
 * socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP) autoloads us via modprobe. The
 * literal 1 is SOCK_STREAM, an enum that __stringify() cannot expand.
 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_XTCP, 1);
