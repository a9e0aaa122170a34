// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_listen: differential API semantics of the passive side (bind,
 * listen, accept, the listener's and the accepted socket's poll, shutdown
 * and close), xtcp against native TCP.
 *
 * Every test runs on two variants: "native" listens with a socket(AF_INET,
 * SOCK_STREAM, 0), "xtcp" with a socket of the protocol number the module
 * registered (/sys/module/xtcp/parameters/protocol). The expected results
 * are Linux 6.1 native TCP's, asserted explicitly, so the same assertions
 * hold for both variants. Where the protocol of the connecting side
 * matters, a case runs with a native client and with a client of the
 * variant's protocol (the same thing twice for the native variant).
 *
 * Each test runs in a network namespace of its own (unshare(CLONE_NEWNET)
 * in the fixture setup) where only lo is up, so ports, net.core.somaxconn
 * and net.ipv4.tcp_abort_on_overflow are the test's alone. Without the
 * privilege for that, the tests SKIP; the xtcp variant also SKIPs when the
 * module is not loaded. net.xtcp.tw_timeout_ms is per namespace: each test
 * takes over the caller's value.
 *
 * Blocking calls are bounded (SO_RCVTIMEO, poll timeouts), so that a case
 * whose peer never answers fails instead of hanging. SIGPIPE is ignored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "../include/uapi/linux/xtcp.h"
/* -Wextra is for this file: the harness has an unused parameter of its own. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "xtcp_helpers.h"

#define TW_TIMEOUT_SYSCTL	"/proc/sys/net/xtcp/tw_timeout_ms"
#define SOMAXCONN_SYSCTL	"/proc/sys/net/core/somaxconn"
#define ABORT_OVERFLOW_SYSCTL	"/proc/sys/net/ipv4/tcp_abort_on_overflow"

/* How long to wait for something loopback does at once. */
#define WAIT_MS		5000
/* How long a queued connection may take to make the listener readable. */
#define READY_MS	1000
/* How long to watch for something that must not happen. */
#define QUIET_MS	600

/* What an established socket with nothing to read reports. */
#define POLL_WRITABLE	(POLLOUT | POLLWRNORM)
/* ... once the peer's FIN is in. */
#define POLL_PEER_FIN	(POLLIN | POLLRDNORM | POLLRDHUP | POLL_WRITABLE)
/* ... once it was reset (or shut down both ways and done). */
#define POLL_RESET	(POLL_PEER_FIN | POLLHUP | POLLERR)

/* An int socket option; -1 and errno set on failure. */
static int get_int(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int val;

	if (getsockopt(fd, level, name, &val, &len))
		return -1;
	return val;
}

static bool same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_family == b->sin_family && a->sin_port == b->sin_port &&
	       a->sin_addr.s_addr == b->sin_addr.s_addr;
}

/* The pending error SO_ERROR reports (and thereby clears); -1 on failure. */
static int so_error(int fd)
{
	return get_int(fd, SOL_SOCKET, SO_ERROR);
}

static void sleep_ms(int ms)
{
	usleep(ms * 1000);
}

/* Blocking receives give up after @ms (EAGAIN). */
static void rcv_timeout(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

FIXTURE(lst) {
	int proto;	/* the variant's protocol number */
	int lfd;	/* the variant's listener, once listen_variant() ran */
	struct sockaddr_in laddr;	/* the address to connect to */
	int cprotos[2];	/* client protocols: native, the variant's */
	int ncprotos;
};

FIXTURE_VARIANT(lst) {
	bool is_xtcp;
};

FIXTURE_VARIANT_ADD(lst, native) {
	.is_xtcp = false,
};

FIXTURE_VARIANT_ADD(lst, xtcp) {
	.is_xtcp = true,
};

FIXTURE_SETUP(lst)
{
	char tw[32] = "";
	FILE *f;
	int fd;

	self->lfd = -1;
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	self->proto = variant->is_xtcp ? xtcp_protocol() : 0;
	self->cprotos[0] = 0;
	self->cprotos[1] = self->proto;
	self->ncprotos = variant->is_xtcp ? 2 : 1;
	/* A new namespace starts at 60 s: take over what the caller set. */
	f = fopen(TW_TIMEOUT_SYSCTL, "r");
	if (f) {
		if (!fgets(tw, sizeof(tw), f))
			tw[0] = 0;
		fclose(f);
	}
	if (unshare(CLONE_NEWNET))
		SKIP(return, "no private network namespace (%s): run as root",
		     strerror(errno));
	if (tw[0]) {
		ASSERT_EQ(0, sysctl_write(TW_TIMEOUT_SYSCTL, tw));
	}
	ASSERT_EQ(0, link_up("lo")) TH_LOG("lo: %s", strerror(errno));
	fd = socket(AF_INET, SOCK_STREAM, self->proto);
	if (fd < 0 && variant->is_xtcp && errno == EPROTONOSUPPORT)
		SKIP(return, "xtcp is not loaded (protocol %d)", self->proto);
	ASSERT_LE(0, fd) TH_LOG("socket(proto %d): %s", self->proto,
				strerror(errno));
	close(fd);
}

FIXTURE_TEARDOWN(lst)
{
	if (self->lfd >= 0)
		close(self->lfd);
}

/*
 * The 6.1 harness runs the test body even when the setup SKIP()ped; every
 * test starts with this so that it then ends at once, as a skip.
 *
 * Each EXPECT_*() and ASSERT_*() is two statements (the check, then the
 * loop that runs an optional TH_LOG()): under if, else or for they always
 * need braces.
 */
#define REQUIRE_SOCKET() do {			\
	if (_metadata->skip)			\
		return;				\
} while (0)

/* Another socket of the variant's protocol. */
#define variant_socket(flags)	socket(AF_INET, SOCK_STREAM | (flags), \
				       self->proto)

#define for_each_client(self, i, cproto)				\
	for ((i) = 0; (i) < (self)->ncprotos &&				\
	     ((cproto) = (self)->cprotos[i], 1); (i)++)

/* A listener of @proto on @addr, port 0 (any), backlog @backlog. */
static int listener(struct __test_metadata *_metadata, int proto,
		    const char *addr, int backlog)
{
	struct sockaddr_in sin = sin_of(addr, 0);
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	ASSERT_LE(0, fd) TH_LOG("socket(proto %d): %s", proto, strerror(errno));
	ASSERT_EQ(0, bind_in(fd, &sin)) TH_LOG("bind: %s", strerror(errno));
	ASSERT_EQ(0, listen(fd, backlog))
		TH_LOG("listen(proto %d): %s", proto, strerror(errno));
	return fd;
}

/* The variant's listener on 127.0.0.1, any port: self->lfd, self->laddr. */
static void listen_variant(struct __test_metadata *_metadata,
			   FIXTURE_DATA(lst) *self, int backlog)
{
	self->lfd = listener(_metadata, self->proto, "127.0.0.1", backlog);
	self->laddr = name_of(self->lfd);
}

/* A socket of @proto connected to @dst (blocking connect). */
static int client_to(struct __test_metadata *_metadata, int proto,
		     const struct sockaddr_in *dst)
{
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	ASSERT_LE(0, fd) TH_LOG("socket(proto %d): %s", proto, strerror(errno));
	rcv_timeout(fd, WAIT_MS);
	ASSERT_EQ(0, connect_in(fd, dst))
		TH_LOG("connect(proto %d) to %s: %s", proto, str_of(dst),
		       strerror(errno));
	return fd;
}

/*
 * accept4(@lfd, @addr, @len, @flags), retried until a connection is there or
 * WAIT_MS passed. It does not rely on the listener's poll(), which only the
 * poll tests judge; the listener's O_NONBLOCK is on meanwhile. Return: the
 * new fd, or -1 with errno set.
 */
static int accept_retry(int lfd, struct sockaddr *addr, socklen_t *len,
			int flags)
{
	int fl = fcntl(lfd, F_GETFL), fd, err;
	struct timespec t0;

	fcntl(lfd, F_SETFL, fl | O_NONBLOCK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((fd = accept4(lfd, addr, len, flags)) < 0 && errno == EAGAIN &&
	       ms_since(&t0) < WAIT_MS)
		sleep_ms(5);
	err = errno;
	fcntl(lfd, F_SETFL, fl);
	errno = err;
	return fd;
}

/* The next connection on @lfd, within WAIT_MS; blocking, SO_RCVTIMEO set. */
static int accept_wait(struct __test_metadata *_metadata, int lfd)
{
	int fd;

	fd = accept_retry(lfd, NULL, NULL, 0);
	ASSERT_LE(0, fd) TH_LOG("accept: %s", strerror(errno));
	rcv_timeout(fd, WAIT_MS);
	return fd;
}

/* A client of @cproto connected to self->lfd, and its accepted twin. */
static void conn_pair(struct __test_metadata *_metadata,
		      FIXTURE_DATA(lst) *self, int cproto, int *cfd, int *afd)
{
	*cfd = client_to(_metadata, cproto, &self->laddr);
	*afd = accept_wait(_metadata, self->lfd);
}

/* recv() on @fd fails with @err (a connection reset seen by the peer). */
#define EXPECT_RECV_ERR(err, fd, what) do {				\
	char __b[64];							\
	ssize_t __r;							\
									\
	wait_for(fd, POLLIN, WAIT_MS);					\
	__r = recv(fd, __b, sizeof(__b), MSG_DONTWAIT);			\
	EXPECT_EQ(-1, __r) TH_LOG("%s: recv gave %zd", what, __r);	\
	EXPECT_EQ(err, errno) TH_LOG("%s: recv: %s, expected %s", what,	\
				     strerror(errno), strerror(err));	\
} while (0)

/* ---------------------------------------------------------------- bind */

/* bind to 0.0.0.0:0 and 127.0.0.1:0, listen, connect to 127.0.0.1. */
static void bind_ephemeral(struct __test_metadata *_metadata,
			   FIXTURE_DATA(lst) *self, const char *addr)
{
	struct sockaddr_in sin = sin_of(addr, 0), name, cname, peer, dst;
	socklen_t len;
	int i, cproto, cfd, afd;

	self->lfd = variant_socket(0);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, bind_in(self->lfd, &sin)) TH_LOG("%s", strerror(errno));
	name = name_of(self->lfd);
	EXPECT_EQ(sin.sin_addr.s_addr, name.sin_addr.s_addr)
		TH_LOG("%s: getsockname %s", addr, str_of(&name));
	EXPECT_NE(0, name.sin_port) TH_LOG("%s: no port", addr);
	ASSERT_EQ(0, listen(self->lfd, 8)) TH_LOG("%s", strerror(errno));
	sin = name_of(self->lfd);
	EXPECT_TRUE(same_addr(&name, &sin)) TH_LOG("after listen: %s",
						   str_of(&sin));
	dst = sin_of("127.0.0.1", ntohs(name.sin_port));
	self->laddr = dst;
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		sin = name_of(afd);
		EXPECT_TRUE(same_addr(&dst, &sin))
			TH_LOG("%s, client %d: accepted at %s", addr, cproto,
			       str_of(&sin));
		cname = name_of(cfd);
		len = sizeof(peer);
		EXPECT_EQ(0, getpeername(afd, (struct sockaddr *)&peer, &len));
		EXPECT_TRUE(same_addr(&cname, &peer))
			TH_LOG("%s, client %d: peer %s, client %s", addr,
			       cproto, str_of(&peer), str_of(&cname));
		EXPECT_EQ(3, send(cfd, "abc", 3, 0));
		EXPECT_EQ(3, recv(afd, &peer, 3, MSG_WAITALL));
		close(cfd);
		close(afd);
	}
}

TEST_F(lst, bind_any_ephemeral)
{
	REQUIRE_SOCKET();
	bind_ephemeral(_metadata, self, "0.0.0.0");
}

TEST_F(lst, bind_loopback_ephemeral)
{
	REQUIRE_SOCKET();
	bind_ephemeral(_metadata, self, "127.0.0.1");
}

/* Try to bind a socket of @proto to @addr:@port, with SO_REUSEADDR or not. */
static int try_bind(int proto, const char *addr, unsigned short port,
		    bool reuse)
{
	struct sockaddr_in sin = sin_of(addr, port);
	int fd = socket(AF_INET, SOCK_STREAM, proto), r, err;

	if (fd < 0)
		return -1;
	if (reuse)
		set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	r = bind_in(fd, &sin);
	err = errno;
	close(fd);
	errno = err;
	return r;
}

/*
 * A listening port is taken for everyone: the same protocol and the other
 * stack, on the listener's address and on 0.0.0.0, with SO_REUSEADDR on
 * both sides or not.
 */
TEST_F(lst, bind_listening_port_in_use)
{
	static const char *const addrs[] = { "127.0.0.1", "0.0.0.0" };
	int i, a, reuse, proto, lfd, lproto;
	unsigned short port;

	REQUIRE_SOCKET();
	/* First the variant listens and both stacks try; then native does. */
	for (i = 0; i < 2; i++) {
		lproto = i ? 0 : self->proto;
		for (reuse = 0; reuse < 2; reuse++) {
			struct sockaddr_in sin = sin_of("127.0.0.1", 0);

			lfd = socket(AF_INET, SOCK_STREAM, lproto);
			ASSERT_LE(0, lfd);
			ASSERT_EQ(0, set_int(lfd, SOL_SOCKET, SO_REUSEADDR,
					     reuse));
			ASSERT_EQ(0, bind_in(lfd, &sin));
			ASSERT_EQ(0, listen(lfd, 4))
				TH_LOG("listen(proto %d): %s", lproto,
				       strerror(errno));
			port = ntohs(name_of(lfd).sin_port);
			for (a = 0; a < 2; a++) {
				for (proto = 0; proto < 2; proto++) {
					int p = proto ? self->proto : 0;

					EXPECT_EQ(-1, try_bind(p, addrs[a], port,
							       reuse))
						TH_LOG("proto %d bound %s:%u of a proto %d listener (reuse %d)",
						       p, addrs[a], port, lproto,
						       reuse);
					EXPECT_EQ(EADDRINUSE, errno)
						TH_LOG("proto %d, %s:%u, listener proto %d, reuse %d: %s",
						       p, addrs[a], port, lproto,
						       reuse, strerror(errno));
				}
			}
			close(lfd);
		}
	}
}

/* A non-local address: EADDRNOTAVAIL; with IP_FREEBIND, bound and listening. */
TEST_F(lst, bind_nonlocal_freebind)
{
	struct sockaddr_in sin = sin_of("192.0.2.77", 0), name;
	int fd;

	REQUIRE_SOCKET();
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EADDRNOTAVAIL, errno) TH_LOG("%s", strerror(errno));
	sin.sin_port = htons(4242);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EADDRNOTAVAIL, errno) TH_LOG("%s", strerror(errno));
	/* Nothing changed: still unbound. */
	name = name_of(fd);
	EXPECT_EQ(0, name.sin_port);
	EXPECT_EQ(htonl(INADDR_ANY), name.sin_addr.s_addr);
	ASSERT_EQ(0, set_int(fd, SOL_IP, IP_FREEBIND, 1));
	EXPECT_EQ(0, bind_in(fd, &sin)) TH_LOG("IP_FREEBIND: %s",
					       strerror(errno));
	name = name_of(fd);
	EXPECT_TRUE(same_addr(&sin, &name)) TH_LOG("%s", str_of(&name));
	EXPECT_EQ(0, listen(fd, 4)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_ACCEPTCONN));
	close(fd);
}

/* Bound is bound: a second bind is EINVAL, also once listening. */
TEST_F(lst, bind_twice)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0), name;
	int fd;

	REQUIRE_SOCKET();
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind_in(fd, &sin));
	name = name_of(fd);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, bind_in(fd, &name));
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, listen(fd, 4)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s", strerror(errno));
	sin = name_of(fd);
	EXPECT_TRUE(same_addr(&name, &sin));
	close(fd);
}

/* A port below 1024 without CAP_NET_BIND_SERVICE: EACCES; with it, listens. */
TEST_F(lst, bind_privileged_port)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 81);
	int fd, status;
	pid_t pid;

	REQUIRE_SOCKET();
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = variant_socket(0);
		if (fd < 0)
			_exit(10);
		if (drop_net_bind_service())
			_exit(4);
		if (bind_in(fd, &sin) != -1)
			_exit(11);
		_exit(errno == EACCES ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 4)
		SKIP(return, "cannot drop CAP_NET_BIND_SERVICE");
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("no EACCES for port 81 (child exit %d)",
		       WEXITSTATUS(status));
	self->lfd = variant_socket(0);
	ASSERT_LE(0, self->lfd);
	EXPECT_EQ(0, bind_in(self->lfd, &sin)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, listen(self->lfd, 4)) TH_LOG("%s", strerror(errno));
}

/*
 * The server closes first: the accepted socket's TIME_WAIT holds the port
 * after the listener is gone. A new listener on the port needs
 * SO_REUSEADDR, on itself and on the old listener (whose accepted
 * sockets inherit it): native's inet_csk_bind_conflict().
 */
static void tw_restart(struct __test_metadata *_metadata,
		       FIXTURE_DATA(lst) *self, int cproto, bool old_reuse)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	int lfd, cfd, afd, fd, r;
	char b[4];

	lfd = socket(AF_INET, SOCK_STREAM, self->proto);
	ASSERT_LE(0, lfd);
	ASSERT_EQ(0, set_int(lfd, SOL_SOCKET, SO_REUSEADDR, old_reuse));
	ASSERT_EQ(0, bind_in(lfd, &sin));
	ASSERT_EQ(0, listen(lfd, 4)) TH_LOG("%s", strerror(errno));
	sin = name_of(lfd);
	cfd = client_to(_metadata, cproto, &sin);
	afd = accept_wait(_metadata, lfd);
	EXPECT_EQ(old_reuse, get_int(afd, SOL_SOCKET, SO_REUSEADDR));
	/* Server-side active close: the accepted socket goes to TIME_WAIT. */
	ASSERT_EQ(0, close(afd));
	EXPECT_EQ(0, recv(cfd, b, sizeof(b), 0)) TH_LOG("no EOF");
	close(cfd);
	/* Let the client's FIN and the last ACK pass. */
	sleep_ms(100);
	close(lfd);

	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, bind_in(fd, &sin))
		TH_LOG("client %d, old reuse %d: bound over TIME_WAIT without SO_REUSEADDR",
		       cproto, old_reuse);
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	if (old_reuse) {
		r = bind_in(fd, &sin);
		EXPECT_EQ(0, r) TH_LOG("client %d: SO_REUSEADDR over TIME_WAIT: %s",
				       cproto, strerror(errno));
		if (!r) {
			EXPECT_EQ(0, listen(fd, 4)) TH_LOG("%s", strerror(errno));
			/* And it serves. */
			cfd = client_to(_metadata, cproto, &sin);
			afd = accept_wait(_metadata, fd);
			close(afd);
			close(cfd);
		}
	} else {
		EXPECT_EQ(-1, bind_in(fd, &sin))
			TH_LOG("client %d: bound over a TIME_WAIT without SO_REUSEADDR",
			       cproto);
		EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	}
	close(fd);
}

TEST_F(lst, reuseaddr_time_wait)
{
	int i, cproto;

	REQUIRE_SOCKET();
	/* A TIME_WAIT that outlasts the test's look at the port, not more. */
	if (variant->is_xtcp) {
		ASSERT_EQ(0, sysctl_write(TW_TIMEOUT_SYSCTL, "3000"));
	}
	for_each_client(self, i, cproto) {
		tw_restart(_metadata, self, cproto, true);
		tw_restart(_metadata, self, cproto, false);
	}
}

/* ---------------------------------------------------------- SO_REUSEPORT */

static int reuseport_listener(struct __test_metadata *_metadata, int proto,
			      unsigned short port, bool reuseport)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", port);
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_REUSEPORT, reuseport))
		TH_LOG("SO_REUSEPORT: %s", strerror(errno));
	if (bind_in(fd, &sin)) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	ASSERT_EQ(0, listen(fd, 128)) TH_LOG("%s", strerror(errno));
	return fd;
}

/*
 * Two listeners with SO_REUSEPORT share the port (the first bound to port 0
 * or to a given port); 64 connections spread over both.
 */
static void reuseport_spread(struct __test_metadata *_metadata,
			     FIXTURE_DATA(lst) *self, unsigned short port)
{
	int l[2], n[2] = { 0, 0 }, cfd[64], i, j, cproto, afd;
	bool ephemeral = !port;
	struct sockaddr_in dst;

	l[0] = reuseport_listener(_metadata, self->proto, port, true);
	ASSERT_LE(0, l[0]) TH_LOG("first SO_REUSEPORT listener: %s",
				  strerror(errno));
	port = ntohs(name_of(l[0]).sin_port);
	l[1] = reuseport_listener(_metadata, self->proto, port, true);
	EXPECT_LE(0, l[1]) TH_LOG("second SO_REUSEPORT listener (first on %s port): %s",
				  ephemeral ? "an ephemeral" : "a given",
				  strerror(errno));
	if (l[1] < 0) {
		close(l[0]);
		return;
	}
	EXPECT_EQ(port, ntohs(name_of(l[1]).sin_port));
	dst = sin_of("127.0.0.1", port);
	set_nonblock(l[0], true);
	set_nonblock(l[1], true);
	for (i = 0; i < 64; i++) {
		struct timespec t0;

		cproto = self->cprotos[i % self->ncprotos];
		cfd[i] = client_to(_metadata, cproto, &dst);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (afd = -1; afd < 0 && ms_since(&t0) < WAIT_MS; sleep_ms(1)) {
			for (j = 0; j < 2 && afd < 0; j++) {
				afd = accept(l[j], NULL, NULL);
				if (afd >= 0)
					n[j]++;
			}
		}
		ASSERT_LE(0, afd) TH_LOG("connection %d: nothing to accept", i);
		close(afd);
	}
	EXPECT_EQ(64, n[0] + n[1]);
	EXPECT_LE(1, n[0]) TH_LOG("spread %d/%d", n[0], n[1]);
	EXPECT_LE(1, n[1]) TH_LOG("spread %d/%d", n[0], n[1]);
	for (i = 0; i < 64; i++)
		close(cfd[i]);
	close(l[0]);
	close(l[1]);
}

TEST_F(lst, reuseport_spread)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	unsigned short port;
	int fd;

	REQUIRE_SOCKET();
	reuseport_spread(_metadata, self, 0);
	/* A free port (the namespace is the test's alone). */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, bind_in(fd, &sin));
	port = ntohs(name_of(fd).sin_port);
	close(fd);
	reuseport_spread(_metadata, self, port);
}

/* SO_REUSEPORT must be on both listeners: else EADDRINUSE. */
TEST_F(lst, reuseport_needs_both)
{
	unsigned short port;
	int l, fd;

	REQUIRE_SOCKET();
	l = reuseport_listener(_metadata, self->proto, 0, true);
	ASSERT_LE(0, l);
	port = ntohs(name_of(l).sin_port);
	fd = reuseport_listener(_metadata, self->proto, port, false);
	EXPECT_EQ(-1, fd) TH_LOG("bound without SO_REUSEPORT");
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(l);

	l = reuseport_listener(_metadata, self->proto, 0, false);
	ASSERT_LE(0, l);
	port = ntohs(name_of(l).sin_port);
	fd = reuseport_listener(_metadata, self->proto, port, true);
	EXPECT_EQ(-1, fd) TH_LOG("bound next to a listener without SO_REUSEPORT");
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(l);
}

/* -------------------------------------------------------------- listen */

/* A non-blocking connect to @dst; then whether it completed within @ms. */
static int connect_nb(int proto, const struct sockaddr_in *dst, int ms,
		      bool *done)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, proto);

	if (fd < 0)
		return -1;
	if (connect_in(fd, dst) && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	*done = wait_for(fd, POLLOUT, ms) & POLLOUT && !so_error(fd);
	return fd;
}

/*
 * The accept queue holds backlog + 1 connections (sk_acceptq_is_full() is
 * "more than the backlog"); SYNs beyond are dropped, so the client stays
 * in SYN_SENT. listen(fd, 0) thus still takes one connection.
 */
TEST_F(lst, listen_backlog_zero)
{
	int i, cproto, a, b, afd;
	bool done;

	REQUIRE_SOCKET();
	for_each_client(self, i, cproto) {
		listen_variant(_metadata, self, 0);
		a = connect_nb(cproto, &self->laddr, WAIT_MS, &done);
		ASSERT_LE(0, a);
		EXPECT_TRUE(done) TH_LOG("client %d: backlog 0 took nothing",
					 cproto);
		b = connect_nb(cproto, &self->laddr, QUIET_MS, &done);
		ASSERT_LE(0, b);
		EXPECT_FALSE(done) TH_LOG("client %d: backlog 0 took two",
					  cproto);
		EXPECT_EQ(0, so_error(b));
		afd = accept_wait(_metadata, self->lfd);
		close(afd);
		close(a);
		close(b);
		close(self->lfd);
		self->lfd = -1;
	}
}

/* Connect @n clients one by one; how many completed. */
static int fill_queue(int proto, const struct sockaddr_in *dst, int n,
		      int *fds)
{
	int i, ok = 0;
	bool done;

	for (i = 0; i < n; i++) {
		fds[i] = connect_nb(proto, dst, QUIET_MS, &done);
		ok += fds[i] >= 0 && done;
	}
	return ok;
}

/* A backlog above net.core.somaxconn is capped to it. */
TEST_F(lst, listen_somaxconn_cap)
{
	int fds[6], i;

	REQUIRE_SOCKET();
	ASSERT_EQ(0, sysctl_write(SOMAXCONN_SYSCTL, "2"));
	listen_variant(_metadata, self, 1000);
	EXPECT_EQ(3, fill_queue(self->proto, &self->laddr, 6, fds))
		TH_LOG("backlog 1000 with somaxconn 2: not 3 queued");
	for (i = 0; i < 6; i++)
		close(fds[i]);
}

/*
 * listen() on a listener changes the backlog and nothing else: the socket
 * stays listening, its queue is kept.
 */
TEST_F(lst, listen_twice)
{
	int fds[4], more[4], i, afd, n = 0;
	struct sockaddr_in name;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 0);
	EXPECT_EQ(1, fill_queue(self->proto, &self->laddr, 2, fds));
	ASSERT_EQ(0, listen(self->lfd, 3)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
	name = name_of(self->lfd);
	EXPECT_TRUE(same_addr(&self->laddr, &name)) TH_LOG("%s", str_of(&name));
	/* Room for 3 more than the one queued (4 in all)... */
	EXPECT_EQ(3, fill_queue(self->proto, &self->laddr, 3, more));
	/* ... and the queue kept the first one. */
	set_nonblock(self->lfd, true);
	while ((afd = accept(self->lfd, NULL, NULL)) >= 0) {
		n++;
		close(afd);
	}
	/* The second of the first two may have got in on a retransmission. */
	EXPECT_LE(4, n);
	EXPECT_GE(5, n);
	for (i = 0; i < 2; i++)
		close(fds[i]);
	for (i = 0; i < 3; i++)
		close(more[i]);
	/* Back to 0 (shrinking): it still listens. */
	EXPECT_EQ(0, listen(self->lfd, 0));
	EXPECT_EQ(1, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
}

/* listen() on a connected socket (either end) is EINVAL. */
TEST_F(lst, listen_connected)
{
	int i, cproto, cfd, afd;
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		EXPECT_EQ(-1, listen(afd, 4));
		EXPECT_EQ(EINVAL, errno) TH_LOG("accepted: %s", strerror(errno));
		EXPECT_EQ(0, get_int(afd, SOL_SOCKET, SO_ACCEPTCONN));
		close(cfd);
		close(afd);
	}
	/* The variant's own connected client, to a native listener. */
	i = listener(_metadata, 0, "127.0.0.1", 4);
	sin = name_of(i);
	cfd = client_to(_metadata, self->proto, &sin);
	EXPECT_EQ(-1, listen(cfd, 4));
	EXPECT_EQ(EINVAL, errno) TH_LOG("connected: %s", strerror(errno));
	close(cfd);
	close(i);
}

/* listen() on an unbound socket picks a port, on 0.0.0.0. */
TEST_F(lst, listen_unbound_autobind)
{
	struct sockaddr_in name;
	int cfd, afd;

	REQUIRE_SOCKET();
	self->lfd = variant_socket(0);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, listen(self->lfd, 4)) TH_LOG("%s", strerror(errno));
	name = name_of(self->lfd);
	EXPECT_EQ(htonl(INADDR_ANY), name.sin_addr.s_addr) TH_LOG("%s",
								  str_of(&name));
	EXPECT_NE(0, name.sin_port);
	self->laddr = sin_of("127.0.0.1", ntohs(name.sin_port));
	conn_pair(_metadata, self, self->proto, &cfd, &afd);
	close(cfd);
	close(afd);
}

/* SO_ACCEPTCONN, SO_TYPE, SO_PROTOCOL, SO_DOMAIN before and after listen. */
TEST_F(lst, listen_sockopts)
{
	int fd, cfd, afd, sproto = variant->is_xtcp ? self->proto : IPPROTO_TCP;

	REQUIRE_SOCKET();
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, get_int(fd, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(SOCK_STREAM, get_int(fd, SOL_SOCKET, SO_TYPE));
	EXPECT_EQ(sproto, get_int(fd, SOL_SOCKET, SO_PROTOCOL));
	EXPECT_EQ(AF_INET, get_int(fd, SOL_SOCKET, SO_DOMAIN));
	ASSERT_EQ(0, listen(fd, 4)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, get_int(fd, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(SOCK_STREAM, get_int(fd, SOL_SOCKET, SO_TYPE));
	EXPECT_EQ(sproto, get_int(fd, SOL_SOCKET, SO_PROTOCOL));
	self->lfd = fd;
	self->laddr = sin_of("127.0.0.1", ntohs(name_of(fd).sin_port));
	conn_pair(_metadata, self, 0, &cfd, &afd);
	/* The accepted socket is the listener's protocol, not listening. */
	EXPECT_EQ(0, get_int(afd, SOL_SOCKET, SO_ACCEPTCONN));
	EXPECT_EQ(SOCK_STREAM, get_int(afd, SOL_SOCKET, SO_TYPE));
	EXPECT_EQ(sproto, get_int(afd, SOL_SOCKET, SO_PROTOCOL));
	EXPECT_EQ(AF_INET, get_int(afd, SOL_SOCKET, SO_DOMAIN));
	close(cfd);
	close(afd);
}

/* -------------------------------------------------------------- accept */

/* Nothing pending: a non-blocking accept is EAGAIN, also via accept4. */
TEST_F(lst, accept_nonblock_empty)
{
	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	set_nonblock(self->lfd, true);
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(-1, accept4(self->lfd, NULL, NULL, SOCK_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, poll_mask(self->lfd));
}

struct delayed_connect {
	int proto;
	int delay_ms;
	struct sockaddr_in dst;
	int fd;		/* out: the connected socket, or -1 */
	int err;
};

static void *delayed_connect_fn(void *arg)
{
	struct delayed_connect *dc = arg;

	sleep_ms(dc->delay_ms);
	dc->fd = socket(AF_INET, SOCK_STREAM, dc->proto);
	dc->err = 0;
	if (dc->fd >= 0 && connect_in(dc->fd, &dc->dst))
		dc->err = errno;
	return NULL;
}

/* A blocking accept returns the connection another thread makes later. */
TEST_F(lst, accept_blocking)
{
	struct delayed_connect dc;
	struct sockaddr_in peer, cname;
	socklen_t len;
	struct timespec t0;
	pthread_t th;
	int i, cproto, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	rcv_timeout(self->lfd, WAIT_MS);
	for_each_client(self, i, cproto) {
		dc = (struct delayed_connect){ .proto = cproto, .delay_ms = 300,
					       .dst = self->laddr };
		ASSERT_EQ(0, pthread_create(&th, NULL, delayed_connect_fn, &dc));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		len = sizeof(peer);
		afd = accept(self->lfd, (struct sockaddr *)&peer, &len);
		EXPECT_LE(0, afd) TH_LOG("client %d: %s", cproto,
					 strerror(errno));
		EXPECT_LE(250, ms_since(&t0));
		pthread_join(th, NULL);
		EXPECT_EQ(0, dc.err) TH_LOG("connect: %s", strerror(dc.err));
		cname = name_of(dc.fd);
		EXPECT_TRUE(same_addr(&cname, &peer))
			TH_LOG("peer %s, client %s", str_of(&peer),
			       str_of(&cname));
		close(afd);
		close(dc.fd);
	}
}

/* accept4() flags land on the new fd; plain accept() sets neither. */
TEST_F(lst, accept4_flags)
{
	static const int flags[] = { 0, SOCK_NONBLOCK, SOCK_CLOEXEC,
				     SOCK_NONBLOCK | SOCK_CLOEXEC };
	int i, cfd, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for (i = 0; i < 4; i++) {
		/*
		 * accept_retry() has the listener O_NONBLOCK: that is not
		 * inherited.
		 */
		cfd = client_to(_metadata, self->cprotos[i % self->ncprotos],
				&self->laddr);
		afd = accept_retry(self->lfd, NULL, NULL, flags[i]);
		ASSERT_LE(0, afd) TH_LOG("%s", strerror(errno));
		EXPECT_EQ(!!(flags[i] & SOCK_NONBLOCK),
			  !!(fcntl(afd, F_GETFL) & O_NONBLOCK)) TH_LOG("flags %#x", flags[i]);
		EXPECT_EQ(!!(flags[i] & SOCK_CLOEXEC),
			  !!(fcntl(afd, F_GETFD) & FD_CLOEXEC)) TH_LOG("flags %#x", flags[i]);
		if (flags[i] & SOCK_NONBLOCK) {
			char b;

			EXPECT_EQ(-1, recv(afd, &b, 1, 0));
			EXPECT_EQ(EAGAIN, errno);
		}
		close(afd);
		close(cfd);
	}
	/* Unknown flags: EINVAL. */
	set_nonblock(self->lfd, true);
	EXPECT_EQ(-1, accept4(self->lfd, NULL, NULL, 0x40));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * The peer address is the client's own name; a short addrlen truncates the
 * address and reports the full length; a longer one gets the full length.
 */
TEST_F(lst, accept_addrlen)
{
	struct sockaddr_in cname;
	unsigned char buf[32];
	socklen_t len;
	int i, cfd, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for (i = 0; i < 3; i++) {
		static const socklen_t lens[] = { sizeof(cname), 4, 32 };

		cfd = client_to(_metadata, self->cprotos[i % self->ncprotos],
				&self->laddr);
		cname = name_of(cfd);
		memset(buf, 0xa5, sizeof(buf));
		len = lens[i];
		afd = accept_retry(self->lfd, (struct sockaddr *)buf, &len, 0);
		ASSERT_LE(0, afd) TH_LOG("%s", strerror(errno));
		EXPECT_EQ(sizeof(cname), len) TH_LOG("addrlen in %u",
						     lens[i]);
		if (lens[i] < sizeof(cname)) {
			EXPECT_EQ(0, memcmp(buf, &cname, lens[i]));
			EXPECT_EQ(0xa5, buf[lens[i]]) TH_LOG("wrote past addrlen");
		} else {
			EXPECT_TRUE(same_addr(&cname, (struct sockaddr_in *)buf))
				TH_LOG("peer %s, client %s",
				       str_of((struct sockaddr_in *)buf),
				       str_of(&cname));
			EXPECT_EQ(0xa5, buf[sizeof(cname)]);
		}
		close(afd);
		close(cfd);
	}
	/* NULL addr with a length: fine. */
	cfd = client_to(_metadata, self->proto, &self->laddr);
	len = sizeof(cname);
	afd = accept_retry(self->lfd, NULL, &len, 0);
	EXPECT_LE(0, afd);
	close(afd);
	close(cfd);
}

/* SO_RCVTIMEO on the listener bounds a blocking accept: EAGAIN. */
TEST_F(lst, accept_rcvtimeo)
{
	struct timespec t0;
	long ms;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	rcv_timeout(self->lfd, 300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EAGAIN, errno) TH_LOG("%s", strerror(errno));
	ms = ms_since(&t0);
	EXPECT_LE(250, ms);
	EXPECT_GT(3000, ms);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void arm_timer(int ms)
{
	struct itimerval it = {
		.it_value = { .tv_sec = ms / 1000,
			      .tv_usec = (ms % 1000) * 1000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * A signal whose handler has no SA_RESTART ends a blocking accept with
 * EINTR; with SA_RESTART the accept goes on and gets the connection.
 */
TEST_F(lst, accept_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct delayed_connect dc;
	struct timespec t0;
	pthread_t th;
	int afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	arm_timer(200);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EINTR, errno) TH_LOG("%s", strerror(errno));
	EXPECT_GT(WAIT_MS, ms_since(&t0));

	sa.sa_flags = SA_RESTART;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	dc = (struct delayed_connect){ .proto = self->proto, .delay_ms = 600,
				       .dst = self->laddr };
	ASSERT_EQ(0, pthread_create(&th, NULL, delayed_connect_fn, &dc));
	arm_timer(200);
	afd = accept(self->lfd, NULL, NULL);
	EXPECT_LE(0, afd) TH_LOG("SA_RESTART: %s", strerror(errno));
	pthread_join(th, NULL);
	EXPECT_EQ(0, dc.err);
	close(afd);
	close(dc.fd);
	signal(SIGALRM, SIG_DFL);
}

/* accept() on a socket that does not listen: EINVAL. */
TEST_F(lst, accept_not_listening)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	int fd, cfd, afd;

	REQUIRE_SOCKET();
	fd = variant_socket(SOCK_NONBLOCK);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno) TH_LOG("fresh: %s", strerror(errno));
	ASSERT_EQ(0, bind_in(fd, &sin));
	EXPECT_EQ(-1, accept(fd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno) TH_LOG("bound: %s", strerror(errno));
	close(fd);
	/* Connected sockets, accepted and connecting end. */
	listen_variant(_metadata, self, 4);
	conn_pair(_metadata, self, self->proto, &cfd, &afd);
	set_nonblock(afd, true);
	set_nonblock(cfd, true);
	EXPECT_EQ(-1, accept(afd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno) TH_LOG("accepted: %s", strerror(errno));
	EXPECT_EQ(-1, accept(cfd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno) TH_LOG("connected: %s", strerror(errno));
	close(afd);
	close(cfd);
}

/*
 * What the accepted socket inherits from the listener: buffer sizes (as
 * set, doubled, before listen), SO_KEEPALIVE, SO_LINGER, SO_RCVTIMEO,
 * TCP_NODELAY.
 */
TEST_F(lst, accept_inherits_options)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	struct linger lg = { .l_onoff = 1, .l_linger = 7 }, lg2;
	struct timeval tv = { .tv_sec = 3 }, tv2;
	int cfd, afd, rcv, snd, r;
	bool tcp_opts = true;
	socklen_t len;

	REQUIRE_SOCKET();
	self->lfd = variant_socket(0);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, set_int(self->lfd, SOL_SOCKET, SO_RCVBUF, 48 * 1024));
	ASSERT_EQ(0, set_int(self->lfd, SOL_SOCKET, SO_SNDBUF, 40 * 1024));
	ASSERT_EQ(0, set_int(self->lfd, SOL_SOCKET, SO_KEEPALIVE, 1));
	ASSERT_EQ(0, setsockopt(self->lfd, SOL_SOCKET, SO_LINGER, &lg,
				sizeof(lg)));
	ASSERT_EQ(0, setsockopt(self->lfd, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)));
	r = set_int(self->lfd, SOL_TCP, TCP_NODELAY, 1);
	EXPECT_EQ(0, r) TH_LOG("setsockopt(SOL_TCP, TCP_NODELAY): %s",
			       strerror(errno));
	if (r)
		tcp_opts = false;
	rcv = get_int(self->lfd, SOL_SOCKET, SO_RCVBUF);
	snd = get_int(self->lfd, SOL_SOCKET, SO_SNDBUF);
	EXPECT_EQ(96 * 1024, rcv);
	EXPECT_EQ(80 * 1024, snd);
	ASSERT_EQ(0, bind_in(self->lfd, &sin));
	ASSERT_EQ(0, listen(self->lfd, 4)) TH_LOG("%s", strerror(errno));
	self->laddr = name_of(self->lfd);
	conn_pair(_metadata, self, 0, &cfd, &afd);
	EXPECT_EQ(rcv, get_int(afd, SOL_SOCKET, SO_RCVBUF));
	EXPECT_EQ(snd, get_int(afd, SOL_SOCKET, SO_SNDBUF));
	EXPECT_EQ(1, get_int(afd, SOL_SOCKET, SO_KEEPALIVE));
	len = sizeof(lg2);
	EXPECT_EQ(0, getsockopt(afd, SOL_SOCKET, SO_LINGER, &lg2, &len));
	EXPECT_EQ(1, lg2.l_onoff);
	EXPECT_EQ(7, lg2.l_linger);
	/* accept_wait() set WAIT_MS on the accepted socket: look first. */
	close(afd);
	close(cfd);
	cfd = client_to(_metadata, 0, &self->laddr);
	afd = accept_retry(self->lfd, NULL, NULL, 0);
	ASSERT_LE(0, afd);
	len = sizeof(tv2);
	EXPECT_EQ(0, getsockopt(afd, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len));
	EXPECT_EQ(3, tv2.tv_sec);
	if (tcp_opts) {
		r = get_int(afd, SOL_TCP, TCP_NODELAY);
		EXPECT_EQ(1, r) TH_LOG("getsockopt(SOL_TCP, TCP_NODELAY) on the accepted socket: %d (%s)",
				       r, r < 0 ? strerror(errno) : "value");
	}
	/* The linger setting would make close() wait: none is needed here. */
	lg.l_onoff = 0;
	setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(afd);
	close(cfd);
}

/* ---------------------------------------------------- poll, select, epoll */

/* The listener is readable while a connection waits, and only then. */
TEST_F(lst, poll_select_listener)
{
	struct timeval tv = { .tv_sec = 0 };
	int i, cproto, cfd, afd;
	fd_set rd, wr;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	EXPECT_EQ(0, poll_mask(self->lfd));
	for_each_client(self, i, cproto) {
		cfd = client_to(_metadata, cproto, &self->laddr);
		EXPECT_EQ(POLLIN | POLLRDNORM,
			  wait_for(self->lfd, POLLIN, READY_MS))
			TH_LOG("client %d", cproto);
		/* Level: still readable. */
		EXPECT_EQ(POLLIN | POLLRDNORM, poll_mask(self->lfd));
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_SET(self->lfd, &rd);
		FD_SET(self->lfd, &wr);
		EXPECT_EQ(1, select(self->lfd + 1, &rd, &wr, NULL, &tv));
		EXPECT_TRUE(FD_ISSET(self->lfd, &rd));
		EXPECT_FALSE(FD_ISSET(self->lfd, &wr));
		afd = accept_retry(self->lfd, NULL, NULL, 0);
		EXPECT_LE(0, afd);
		EXPECT_EQ(0, poll_mask(self->lfd));
		close(afd);
		close(cfd);
	}
}

static int epoll_events(int ep, int ms)
{
	struct epoll_event ev[4];
	int n = epoll_wait(ep, ev, 4, ms);

	if (n < 0)
		return -1;
	return n ? (int)ev[0].events : 0;
}

/*
 * epoll on the listener: level-triggered reports again and again until the
 * connection is accepted; edge-triggered once per new connection.
 */
TEST_F(lst, epoll_listener)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int lt, et, c1, c2, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	lt = epoll_create1(0);
	et = epoll_create1(0);
	ASSERT_LE(0, lt);
	ASSERT_LE(0, et);
	ASSERT_EQ(0, epoll_ctl(lt, EPOLL_CTL_ADD, self->lfd, &ev));
	ev.events = EPOLLIN | EPOLLET;
	ASSERT_EQ(0, epoll_ctl(et, EPOLL_CTL_ADD, self->lfd, &ev));
	EXPECT_EQ(0, epoll_events(lt, 0));
	EXPECT_EQ(0, epoll_events(et, 0));

	c1 = client_to(_metadata, self->proto, &self->laddr);
	EXPECT_EQ(EPOLLIN, epoll_events(lt, READY_MS));
	EXPECT_EQ(EPOLLIN, epoll_events(lt, 0));
	EXPECT_EQ(EPOLLIN, epoll_events(et, READY_MS));
	EXPECT_EQ(0, epoll_events(et, 0)) TH_LOG("EPOLLET reported twice");
	/* A second connection is a new edge. */
	c2 = client_to(_metadata, self->cprotos[0], &self->laddr);
	EXPECT_EQ(EPOLLIN, epoll_events(et, READY_MS)) TH_LOG("no second edge");
	EXPECT_EQ(0, epoll_events(et, 0));
	EXPECT_EQ(EPOLLIN, epoll_events(lt, 0));
	/* Accept both: level-triggered goes quiet. */
	afd = accept_retry(self->lfd, NULL, NULL, 0);
	EXPECT_LE(0, afd);
	close(afd);
	EXPECT_EQ(EPOLLIN, epoll_events(lt, 0)) TH_LOG("one still queued");
	afd = accept_retry(self->lfd, NULL, NULL, 0);
	EXPECT_LE(0, afd);
	close(afd);
	EXPECT_EQ(0, epoll_events(lt, 0));
	EXPECT_EQ(0, epoll_events(et, 0));
	close(c1);
	close(c2);
	close(lt);
	close(et);
}

/*
 * The accepted socket: writable at once; the peer's SHUT_WR gives
 * POLLIN|POLLRDHUP (and EPOLLRDHUP); the peer's reset POLLHUP|POLLERR,
 * with EPIPE pending (tcp_reset() in CLOSE_WAIT).
 */
TEST_F(lst, poll_accepted)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET };
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i, cproto, cfd, afd, ep, m;
	char b[4];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		EXPECT_EQ(POLL_WRITABLE, poll_mask(afd)) TH_LOG("client %d", cproto);
		ep = epoll_create1(0);
		ASSERT_LE(0, ep);
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, afd, &ev));
		EXPECT_EQ(0, epoll_events(ep, 0));
		/* Data: readable. */
		ASSERT_EQ(2, send(cfd, "hi", 2, 0));
		m = wait_for(afd, POLLIN, WAIT_MS);
		EXPECT_EQ(POLL_WRITABLE | POLLIN | POLLRDNORM, m)
			TH_LOG("client %d: with data %#x", cproto, m);
		EXPECT_EQ(EPOLLIN, epoll_events(ep, WAIT_MS));
		EXPECT_EQ(2, recv(afd, b, sizeof(b), 0));
		/* The peer's FIN. */
		ASSERT_EQ(0, shutdown(cfd, SHUT_WR));
		m = wait_for(afd, POLLRDHUP, WAIT_MS);
		EXPECT_EQ(POLL_PEER_FIN, m) TH_LOG("client %d: after FIN %#x",
						   cproto, m);
		EXPECT_EQ(EPOLLIN | EPOLLRDHUP, epoll_events(ep, WAIT_MS));
		EXPECT_EQ(0, recv(afd, b, sizeof(b), 0));
		/* Then its reset. */
		ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		close(cfd);
		m = wait_for(afd, POLLERR | POLLHUP, WAIT_MS);
		EXPECT_EQ(POLL_RESET, m) TH_LOG("client %d: after RST %#x",
						cproto, m);
		/* After the peer's FIN (CLOSE_WAIT) a reset is EPIPE. */
		EXPECT_EQ(EPIPE, so_error(afd));
		EXPECT_EQ(POLL_RESET & ~POLLERR, poll_mask(afd));
		close(ep);
		close(afd);
	}
}

/* ------------------------------------------------- names and SO_ERROR */

TEST_F(lst, names)
{
	struct sockaddr_in sin, cname;
	socklen_t len = sizeof(sin);
	int i, cproto, cfd, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	EXPECT_EQ(-1, getpeername(self->lfd, (struct sockaddr *)&sin, &len));
	EXPECT_EQ(ENOTCONN, errno) TH_LOG("%s", strerror(errno));
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		cname = name_of(cfd);
		sin = name_of(afd);
		EXPECT_TRUE(same_addr(&self->laddr, &sin)) TH_LOG("%s",
								  str_of(&sin));
		len = sizeof(sin);
		EXPECT_EQ(0, getpeername(afd, (struct sockaddr *)&sin, &len));
		EXPECT_EQ(sizeof(sin), len);
		EXPECT_TRUE(same_addr(&cname, &sin)) TH_LOG("peer %s, client %s",
							    str_of(&sin),
							    str_of(&cname));
		len = sizeof(sin);
		EXPECT_EQ(0, getpeername(cfd, (struct sockaddr *)&sin, &len));
		EXPECT_TRUE(same_addr(&self->laddr, &sin));
		close(cfd);
		close(afd);
	}
	/* The listener's name did not change. */
	sin = name_of(self->lfd);
	EXPECT_TRUE(same_addr(&self->laddr, &sin));
}

/* After a reset, SO_ERROR is ECONNRESET once, then 0. */
TEST_F(lst, so_error_after_reset)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i, cproto, cfd, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		EXPECT_EQ(0, so_error(afd));
		ASSERT_EQ(0, setsockopt(cfd, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		close(cfd);
		EXPECT_NE(0, wait_for(afd, POLLERR, WAIT_MS) & POLLERR);
		EXPECT_EQ(ECONNRESET, so_error(afd)) TH_LOG("client %d", cproto);
		EXPECT_EQ(0, so_error(afd));
		close(afd);
	}
}

/* ------------------------------------------------------------ shutdown */

/*
 * The accepted socket half-closes: the client reads EOF, still sends, and
 * what it sends is read.
 */
TEST_F(lst, shutdown_wr)
{
	int i, cproto, cfd, afd;
	char b[16];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		ASSERT_EQ(3, send(afd, "abc", 3, 0));
		EXPECT_EQ(0, shutdown(afd, SHUT_WR));
		EXPECT_EQ(3, recv(cfd, b, sizeof(b), MSG_WAITALL));
		EXPECT_EQ(0, recv(cfd, b, sizeof(b), 0)) TH_LOG("client %d: no EOF",
								cproto);
		EXPECT_EQ(-1, send(afd, "x", 1, 0));
		EXPECT_EQ(EPIPE, errno) TH_LOG("%s", strerror(errno));
		ASSERT_EQ(5, send(cfd, "hello", 5, 0));
		memset(b, 0, sizeof(b));
		EXPECT_EQ(5, recv(afd, b, 5, MSG_WAITALL));
		EXPECT_EQ(0, memcmp(b, "hello", 5));
		EXPECT_EQ(POLL_WRITABLE, poll_mask(afd));
		EXPECT_EQ(POLL_PEER_FIN, poll_mask(cfd));
		/* The client closes too: both see EOF. */
		EXPECT_EQ(0, shutdown(cfd, SHUT_WR));
		EXPECT_EQ(0, recv(afd, b, sizeof(b), 0));
		close(cfd);
		close(afd);
	}
}

/*
 * SHUT_RD: recv() returns 0 at once; nothing goes to the peer; sending
 * still works.
 */
TEST_F(lst, shutdown_rd)
{
	int i, cproto, cfd, afd, m;
	char b[16];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		EXPECT_EQ(0, shutdown(afd, SHUT_RD));
		EXPECT_EQ(0, recv(afd, b, sizeof(b), 0));
		m = poll_mask(afd);
		EXPECT_EQ(POLL_PEER_FIN, m) TH_LOG("client %d: %#x", cproto, m);
		sleep_ms(50);
		EXPECT_EQ(POLL_WRITABLE, poll_mask(cfd)) TH_LOG("client %d", cproto);
		ASSERT_EQ(3, send(afd, "abc", 3, 0));
		EXPECT_EQ(3, recv(cfd, b, sizeof(b), MSG_WAITALL));
		close(cfd);
		close(afd);
	}
}

/* SHUT_RDWR: the peer reads EOF; recv() 0, send() EPIPE; POLLHUP. */
TEST_F(lst, shutdown_rdwr)
{
	int i, cproto, cfd, afd, m;
	char b[16];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		EXPECT_EQ(0, shutdown(afd, SHUT_RDWR));
		EXPECT_EQ(0, recv(cfd, b, sizeof(b), 0)) TH_LOG("no EOF");
		EXPECT_EQ(0, recv(afd, b, sizeof(b), 0));
		EXPECT_EQ(-1, send(afd, "x", 1, 0));
		EXPECT_EQ(EPIPE, errno);
		m = poll_mask(afd);
		EXPECT_EQ(POLL_PEER_FIN | POLLHUP, m) TH_LOG("client %d: %#x",
							     cproto, m);
		close(cfd);
		close(afd);
	}
}

struct blocked_accept {
	int lfd;
	int ret, err;
};

static void *blocked_accept_fn(void *arg)
{
	struct blocked_accept *ba = arg;

	ba->ret = accept(ba->lfd, NULL, NULL);
	ba->err = errno;
	return NULL;
}

/*
 * shutdown() on a listener: SHUT_WR does nothing; SHUT_RD stops listening
 * (tcp_disconnect(): a blocked accept returns EINVAL, queued connections
 * are reset). The socket can listen again: on its port if the port was
 * bound explicitly, else on a new ephemeral one (the old one was released),
 * the address kept. On a socket that is not connected, ENOTCONN.
 */
static void shutdown_rd_listener(struct __test_metadata *_metadata,
				 FIXTURE_DATA(lst) *self, bool fixed_port)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0), name;
	struct blocked_accept ba;
	pthread_t th;
	int cfd, afd, i, cproto;

	if (fixed_port) {
		/* A free port (the namespace is the test's alone). */
		i = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, i);
		ASSERT_EQ(0, bind_in(i, &sin));
		sin = name_of(i);
		close(i);
	}
	self->lfd = variant_socket(0);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, bind_in(self->lfd, &sin)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, listen(self->lfd, 4)) TH_LOG("%s", strerror(errno));
	self->laddr = name_of(self->lfd);

	/* A blocked accept, woken by SHUT_RD. */
	ba = (struct blocked_accept){ .lfd = self->lfd };
	rcv_timeout(self->lfd, WAIT_MS);
	ASSERT_EQ(0, pthread_create(&th, NULL, blocked_accept_fn, &ba));
	sleep_ms(300);
	EXPECT_EQ(0, shutdown(self->lfd, SHUT_RD)) TH_LOG("%s", strerror(errno));
	pthread_join(th, NULL);
	EXPECT_EQ(-1, ba.ret);
	EXPECT_EQ(EINVAL, ba.err) TH_LOG("blocked accept: %s", strerror(ba.err));
	EXPECT_EQ(0, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
	set_nonblock(self->lfd, true);
	EXPECT_EQ(-1, accept(self->lfd, NULL, NULL));
	EXPECT_EQ(EINVAL, errno) TH_LOG("%s", strerror(errno));
	set_nonblock(self->lfd, false);
	/* Shut down, not listening: a connect to the port is refused. */
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, cfd);
	EXPECT_EQ(-1, connect_in(cfd, &self->laddr));
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
	close(cfd);
	/* The port is still held if it was bound explicitly, else released. */
	if (fixed_port) {
		EXPECT_EQ(-1, try_bind(0, "127.0.0.1",
				       ntohs(self->laddr.sin_port), false));
		EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	} else {
		EXPECT_EQ(0, try_bind(0, "127.0.0.1",
				      ntohs(self->laddr.sin_port), false))
			TH_LOG("ephemeral port still held: %s", strerror(errno));
	}

	/* Listening again. */
	EXPECT_EQ(0, listen(self->lfd, 4)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
	name = name_of(self->lfd);
	EXPECT_EQ(self->laddr.sin_addr.s_addr, name.sin_addr.s_addr);
	EXPECT_NE(0, name.sin_port);
	if (fixed_port) {
		EXPECT_EQ(self->laddr.sin_port, name.sin_port)
			TH_LOG("now %s", str_of(&name));
	}
	self->laddr = name;
	/* Connections queued, never accepted, then SHUT_RD: reset. */
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		close(afd);
		close(cfd);
	}
	cfd = client_to(_metadata, self->cprotos[self->ncprotos - 1],
			&self->laddr);
	/* Let the handshake's last ACK reach the listener. */
	sleep_ms(200);
	EXPECT_EQ(0, shutdown(self->lfd, SHUT_RD)) TH_LOG("%s", strerror(errno));
	EXPECT_RECV_ERR(ECONNRESET, cfd, "queued, listener shut down");
	close(cfd);
	close(self->lfd);
	self->lfd = -1;
}

TEST_F(lst, shutdown_listener)
{
	int cfd, afd, fd;

	REQUIRE_SOCKET();
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, shutdown(fd, SHUT_RDWR));
	EXPECT_EQ(ENOTCONN, errno) TH_LOG("%s", strerror(errno));
	close(fd);

	listen_variant(_metadata, self, 4);
	EXPECT_EQ(0, shutdown(self->lfd, SHUT_WR)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(1, get_int(self->lfd, SOL_SOCKET, SO_ACCEPTCONN));
	conn_pair(_metadata, self, self->proto, &cfd, &afd);
	close(cfd);
	close(afd);
	close(self->lfd);
	self->lfd = -1;

	shutdown_rd_listener(_metadata, self, true);
	shutdown_rd_listener(_metadata, self, false);
}

/* --------------------------------------------------------------- close */

/* close() with unread data resets the connection, either end. */
TEST_F(lst, close_unread_rst)
{
	int i, cproto, cfd, afd;
	char b[4];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		/* The accepted socket closes with data unread. */
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		ASSERT_EQ(3, send(cfd, "abc", 3, 0));
		EXPECT_NE(0, wait_for(afd, POLLIN, WAIT_MS) & POLLIN);
		close(afd);
		EXPECT_RECV_ERR(ECONNRESET, cfd, "accepted closed unread");
		close(cfd);
		/* The client does. */
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		ASSERT_EQ(3, send(afd, "abc", 3, 0));
		EXPECT_EQ(1, recv(cfd, b, 1, 0));
		close(cfd);
		EXPECT_RECV_ERR(ECONNRESET, afd, "client closed unread");
		close(afd);
	}
}

/* SO_LINGER {1, 0}: close() aborts, the peer gets ECONNRESET. */
TEST_F(lst, linger_zero)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int i, cproto, cfd, afd;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		conn_pair(_metadata, self, cproto, &cfd, &afd);
		ASSERT_EQ(0, setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		close(afd);
		EXPECT_RECV_ERR(ECONNRESET, cfd, "SO_LINGER 0");
		close(cfd);
	}
}

struct slow_reader {
	int fd;
	int delay_ms;
	size_t total;	/* out: bytes read until EOF */
	int err;	/* out: errno of a failed recv, 0 at EOF */
};

static void *slow_reader_fn(void *arg)
{
	struct slow_reader *sr = arg;
	char buf[16384];
	ssize_t n;

	sleep_ms(sr->delay_ms);
	sr->total = 0;
	sr->err = 0;
	while ((n = recv(sr->fd, buf, sizeof(buf), 0)) > 0)
		sr->total += n;
	if (n < 0)
		sr->err = errno;
	return NULL;
}

/*
 * SO_LINGER {1, N}: close() waits until the data sent (and the FIN) are
 * acknowledged: the peer's window is shut until it starts reading.
 */
TEST_F(lst, linger_waits_for_ack)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 5 };
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	static char buf[16384];
	struct slow_reader sr;
	struct timespec t0;
	size_t sent = 0;
	pthread_t th;
	int cfd, afd, i;
	ssize_t n;
	long ms;

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for (i = 0; i < self->ncprotos; i++) {
		cfd = socket(AF_INET, SOCK_STREAM, self->cprotos[i]);
		ASSERT_LE(0, cfd);
		/* A small receive window, so that the data cannot all go. */
		ASSERT_EQ(0, set_int(cfd, SOL_SOCKET, SO_RCVBUF, 4096));
		rcv_timeout(cfd, WAIT_MS);
		ASSERT_EQ(0, bind_in(cfd, &sin));
		ASSERT_EQ(0, connect_in(cfd, &self->laddr));
		afd = accept_wait(_metadata, self->lfd);
		ASSERT_EQ(0, setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg,
					sizeof(lg)));
		set_nonblock(afd, true);
		memset(buf, 'x', sizeof(buf));
		while (sent < 256 * 1024 &&
		       (n = send(afd, buf, sizeof(buf), 0)) > 0)
			sent += n;
		set_nonblock(afd, false);
		ASSERT_LT(0U, sent);
		sr = (struct slow_reader){ .fd = cfd, .delay_ms = 600 };
		ASSERT_EQ(0, pthread_create(&th, NULL, slow_reader_fn, &sr));
		clock_gettime(CLOCK_MONOTONIC, &t0);
		EXPECT_EQ(0, close(afd));
		ms = ms_since(&t0);
		pthread_join(th, NULL);
		EXPECT_LE(400, ms) TH_LOG("client %d: close() did not wait (%ld ms)",
					  self->cprotos[i], ms);
		EXPECT_GT(4500, ms) TH_LOG("client %d: close() waited for the timeout",
					   self->cprotos[i]);
		EXPECT_EQ(sent, sr.total) TH_LOG("client %d: read %zu of %zu (%s)",
						 self->cprotos[i], sr.total,
						 sent, strerror(sr.err));
		EXPECT_EQ(0, sr.err);
		close(cfd);
		sent = 0;
	}
}

/* Connections queued on a listener that closes are reset. */
TEST_F(lst, listener_close_resets_queued)
{
	int i, cproto, cfd[2];

	REQUIRE_SOCKET();
	listen_variant(_metadata, self, 4);
	for_each_client(self, i, cproto) {
		cfd[i] = client_to(_metadata, cproto, &self->laddr);
		ASSERT_EQ(2, send(cfd[i], "hi", 2, 0));
	}
	/* Let the handshakes' last ACKs reach the listener. */
	sleep_ms(200);
	close(self->lfd);
	self->lfd = -1;
	for_each_client(self, i, cproto) {
		EXPECT_RECV_ERR(ECONNRESET, cfd[i], "listener closed");
		EXPECT_EQ(-1, send(cfd[i], "x", 1, 0));
		EXPECT_EQ(EPIPE, errno);
		close(cfd[i]);
	}
}

/*
 * Accept queue overflow with tcp_abort_on_overflow=1. On loopback the
 * handshake of one connect() completes before the next starts, so the
 * queue is full when the extra client's SYN arrives: native TCP drops the
 * SYN (tcp_conn_request()), no reset. The client stays in SYN_SENT, and
 * once a connection is accepted, its SYN retransmission (1 s) gets in.
 */
TEST_F(lst, backlog_overflow)
{
	struct timespec t0;
	int fds[2], x, i, afd, m;
	bool done;

	REQUIRE_SOCKET();
	ASSERT_EQ(0, sysctl_write(ABORT_OVERFLOW_SYSCTL, "1"));
	listen_variant(_metadata, self, 1);
	EXPECT_EQ(2, fill_queue(self->cprotos[self->ncprotos - 1],
				&self->laddr, 2, fds));
	x = connect_nb(self->cprotos[0], &self->laddr, 1500, &done);
	ASSERT_LE(0, x);
	EXPECT_FALSE(done) TH_LOG("the extra client got in");
	m = poll_mask(x);
	EXPECT_EQ(0, m) TH_LOG("the extra client: %#x (%s)", m,
			       strerror(so_error(x)));
	EXPECT_EQ(0, so_error(x));
	EXPECT_EQ(POLL_WRITABLE, poll_mask(fds[0]));
	/* Room again: the retransmitted SYN gets in. */
	afd = accept_retry(self->lfd, NULL, NULL, 0);
	EXPECT_LE(0, afd);
	close(afd);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	m = wait_for(x, POLLOUT, 4000);
	EXPECT_EQ(POLL_WRITABLE, m) TH_LOG("the extra client: %#x after %ld ms",
					   m, ms_since(&t0));
	EXPECT_EQ(0, so_error(x));
	for (i = 0; i < 2; i++)
		close(fds[i]);
	close(x);
}

TEST_HARNESS_MAIN
