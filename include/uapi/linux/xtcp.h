/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xtcp: an alternate, wire-compatible TCP stack loaded as a module.
 *
 * What user space shares with the module. A program opts in per socket with
 * socket(AF_INET, SOCK_STREAM, IPPROTO_XTCP); on the wire xtcp speaks plain
 * TCP (IP protocol 6).
 */
#ifndef _UAPI_LINUX_XTCP_H
#define _UAPI_LINUX_XTCP_H

/*
 * Default protocol number: 253 is reserved by RFC 3692 for experiments. The
 * module parameter "protocol" can pick another free number; read the one in
 * use from /sys/module/xtcp/parameters/protocol.
 */
#define IPPROTO_XTCP		253

/* Where the module publishes the protocol number it registered. */
#define XTCP_PROTOCOL_PARAM	"/sys/module/xtcp/parameters/protocol"

#endif /* _UAPI_LINUX_XTCP_H */
