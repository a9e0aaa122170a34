/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the C selftests share: addresses, socket options, polling, the
 * protocol number xtcp registered, sysctls and capabilities. Included after
 * kselftest_harness.h; every helper is static inline so that a test uses
 * what it needs.
 */
#ifndef _XTCP_HELPERS_H
#define _XTCP_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "../include/uapi/linux/xtcp.h"

/* Every poll event a stream socket can report. */
#define ALL_POLL_EVENTS	(POLLIN | POLLPRI | POLLOUT | POLLRDNORM | \
			 POLLRDBAND | POLLWRNORM | POLLWRBAND | POLLRDHUP)

/* The protocol number xtcp registered, 253 if the module does not say. */
static inline int xtcp_protocol(void)
{
	int proto = IPPROTO_XTCP;
	FILE *f;

	f = fopen(XTCP_PROTOCOL_PARAM, "r");
	if (!f)
		return IPPROTO_XTCP;
	if (fscanf(f, "%d", &proto) != 1)
		proto = IPPROTO_XTCP;
	fclose(f);
	return proto;
}

static inline struct sockaddr_in sin_of(const char *addr, unsigned short port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
	};

	inet_pton(AF_INET, addr, &sin.sin_addr);
	return sin;
}

static inline const char *str_of(const struct sockaddr_in *sin)
{
	static char buf[4][32];
	static int n;
	char *b = buf[n++ % 4];

	inet_ntop(AF_INET, &sin->sin_addr, b, 16);
	sprintf(b + strlen(b), ":%u", ntohs(sin->sin_port));
	return b;
}

static inline int set_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* What poll() reports for @fd right now, all events asked for. */
static inline int poll_mask(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = ALL_POLL_EVENTS };

	if (poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

/* Wait up to @ms for one of @events; then what poll() reports, all asked. */
static inline int wait_for(int fd, short events, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	if (poll(&pfd, 1, ms) < 0)
		return -1;
	return poll_mask(fd);
}

static inline int connect_in(int fd, const struct sockaddr_in *sin)
{
	return connect(fd, (const struct sockaddr *)sin, sizeof(*sin));
}

static inline int bind_in(int fd, const struct sockaddr_in *sin)
{
	return bind(fd, (const struct sockaddr *)sin, sizeof(*sin));
}

static inline struct sockaddr_in name_of(int fd)
{
	struct sockaddr_in sin = { 0 };
	socklen_t len = sizeof(sin);

	getsockname(fd, (struct sockaddr *)&sin, &len);
	return sin;
}

static inline void set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

static inline long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Bring a link up by name, without depending on any tool. */
static inline int link_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int fd, r;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return -1;
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	if (!r) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
	return r;
}

/* Write a sysctl of the test's own namespace. */
static inline int sysctl_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -1;
	r = fputs(val, f) < 0;
	return fclose(f) || r ? -1 : 0;
}

/* capset() without libcap: drop CAP_NET_BIND_SERVICE from the effective set. */
static inline int drop_net_bind_service(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_NET_BIND_SERVICE / 32].effective &=
		~(1U << (CAP_NET_BIND_SERVICE % 32));
	return syscall(SYS_capset, &hdr, data);
}

#endif /* _XTCP_HELPERS_H */
