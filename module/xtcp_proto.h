/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp's place in the inet layer: which protocol number it answers to and
 * its registration as a SOCK_STREAM protocol of AF_INET.
 */
#ifndef _XTCP_PROTO_H
#define _XTCP_PROTO_H

#include <linux/types.h>

struct net;

int xtcp_proto_check_number(int protocol);
bool xtcp_proto_in_use(struct net *net, int protocol);
int xtcp_proto_number(void);
int xtcp_proto_register(void);
void xtcp_proto_unregister(void);
void xtcp_proto_switch_register(int protocol);
void xtcp_proto_switch_unregister(void);

#endif /* _XTCP_PROTO_H */
