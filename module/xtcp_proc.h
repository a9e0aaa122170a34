/* SPDX-License-Identifier: GPL-2.0 */
/* xtcp's views under /proc/net. */
#ifndef _XTCP_PROC_H
#define _XTCP_PROC_H

struct net;

int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);

#endif /* _XTCP_PROC_H */
