// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_connect: differential connect() semantics, xtcp against native TCP.
 *
 * Every test runs on two variants: "native" drives a socket(AF_INET,
 * SOCK_STREAM, 0), "xtcp" a socket of the protocol number the module
 * registered (/sys/module/xtcp/parameters/protocol). Each error case is run
 * on both and asserts the errno native TCP gives on 6.1, so both variants
 * must pass it. Where the state a case leaves behind (poll mask, pending
 * error, local and peer address) is not a constant, the test drives a
 * native twin through the same steps and the two states must match
 * (EXPECT_SAME_STATE).
 *
 * Peers are always native TCP (xtcp servers are tested elsewhere: xtcp_listen
 * and xtcp_passive.sh), so every listener and accepted socket is protocol 0.
 *
 * Each test runs in a network namespace of its own (unshare(CLONE_NEWNET) in
 * the fixture setup), where only lo is up: nothing else on the machine can
 * take a port, listen, or route. Without the privilege for that, the tests
 * SKIP; the xtcp variant also SKIPs when the module is not loaded. The cases
 * that need a path where SYNs vanish add a veth pair with `ip`, and SKIP if
 * that fails. net.xtcp.tw_timeout_ms is per namespace: each test's copies
 * the caller's, so that closed connections end as soon as the caller wants.
 *
 * SIGPIPE is ignored throughout: EPIPE is the answer looked for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "../include/uapi/linux/xtcp.h"
/* -Wextra is for this file: the harness has an unused parameter of its own. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "xtcp_helpers.h"

/* What a socket in CLOSE that never saw a shutdown reports. */
#define POLL_CLOSED	(POLLOUT | POLLWRNORM | POLLHUP)
/* ... and one that was shut down both ways (reset, refused, timed out). */
#define POLL_DONE	(POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | \
			 POLLWRNORM | POLLHUP)

/* The veth pair's subnet (/24), where SYNs vanish (see blackhole()). */
#define BLACKHOLE_NET	"10.9.9"
#define BLACKHOLE_DST	"198.51.100.1"	/* TEST-NET-2, via the default route */

#define TW_TIMEOUT_SYSCTL	"/proc/sys/net/xtcp/tw_timeout_ms"

/* How long to wait for something loopback does at once. */
#define WAIT_MS		5000

/* The pending error SO_ERROR reports (and thereby clears); -1 on failure. */
static int so_error(int fd)
{
	socklen_t len = sizeof(int);
	int err;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -1;
	return err;
}

static int disconnect(int fd)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };

	return connect(fd, &unspec, sizeof(unspec));
}

/* A port of 127.0.0.1 that nothing holds (the namespace is ours alone). */
static unsigned short free_port(void)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind_in(fd, &sin)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	sin = name_of(fd);
	close(fd);
	return ntohs(sin.sin_port);
}

/* Run a shell command; its standard output is dropped. Return: its status. */
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 16, fmt, ap);
	va_end(ap);
	strcat(cmd, " >/dev/null");
	return system(cmd);
}

static bool local_port_range(int *lo, int *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%d %d", lo, hi) == 2;
	fclose(f);
	return ok;
}

/*
 * A path where SYNs vanish: veth xv0 (BLACKHOLE_NET.1/24, the default
 * route via BLACKHOLE_NET.2), its peer xv1 up without an address, and a
 * permanent neighbour entry for .2 with a MAC nobody has. Frames reach xv1,
 * which drops them as addressed to another host: no RST, no ICMP, and no
 * ARP failure (that would end the connect with EHOSTUNREACH).
 */
static bool blackhole(void)
{
	return !sh("ip link add xv0 type veth peer name xv1") &&
	       !sh("ip addr add " BLACKHOLE_NET ".1/24 brd + dev xv0") &&
	       !sh("ip link set xv1 up") && !sh("ip link set xv0 up") &&
	       !sh("ip neigh replace " BLACKHOLE_NET ".2 lladdr 02:00:00:00:00:99 dev xv0 nud permanent") &&
	       !sh("ip route add default via " BLACKHOLE_NET ".2 dev xv0");
}

/*
 * The state a socket shows from outside: poll mask, local and peer
 * address, and the pending error. Taking it clears the pending error, as
 * SO_ERROR does, and nothing else.
 */
struct state {
	int revents;
	int name_err, peer_err;
	struct sockaddr_in name, peer;
	int so_error;
};

static void take_state(int fd, struct state *st)
{
	socklen_t len;

	memset(st, 0, sizeof(*st));
	st->revents = poll_mask(fd);
	len = sizeof(st->name);
	st->name_err = getsockname(fd, (struct sockaddr *)&st->name, &len) ?
		       errno : 0;
	len = sizeof(st->peer);
	st->peer_err = getpeername(fd, (struct sockaddr *)&st->peer, &len) ?
		       errno : 0;
	st->so_error = so_error(fd);
}

/*
 * The socket under test (@x) in the same state as its native twin (@n):
 * every field the same, except that two sockets have two local ports, so
 * only whether there is one at all must match, and that only while
 * connected: what getsockname() shows once the connection is over is the
 * business of local_port_after_close alone.
 */
#define EXPECT_SAME_STATE(n, x, what) do {				\
	EXPECT_EQ((n)->revents, (x)->revents)				\
		TH_LOG("%s: poll %#x, native %#x", what,		\
		       (x)->revents, (n)->revents);			\
	EXPECT_EQ((n)->so_error, (x)->so_error)				\
		TH_LOG("%s: SO_ERROR %s, native %s", what,		\
		       strerror((x)->so_error), strerror((n)->so_error)); \
	EXPECT_EQ((n)->name_err, (x)->name_err) TH_LOG("%s", what);	\
	EXPECT_EQ((n)->name.sin_addr.s_addr, (x)->name.sin_addr.s_addr) \
		TH_LOG("%s: getsockname %s, native %s", what,		\
		       str_of(&(x)->name), str_of(&(n)->name));		\
	if (!(n)->peer_err) {						\
		EXPECT_EQ(!(n)->name.sin_port, !(x)->name.sin_port)	\
			TH_LOG("%s: getsockname %s, native %s", what,	\
			       str_of(&(x)->name), str_of(&(n)->name));	\
	}								\
	EXPECT_EQ((n)->peer_err, (x)->peer_err)				\
		TH_LOG("%s: getpeername %s, native %s", what,		\
		       strerror((x)->peer_err), strerror((n)->peer_err)); \
	if (!(n)->peer_err && !(x)->peer_err) {				\
		EXPECT_EQ(0, memcmp(&(n)->peer, &(x)->peer,		\
				    sizeof((n)->peer)))			\
			TH_LOG("%s: getpeername %s, native %s", what,	\
			       str_of(&(x)->peer), str_of(&(n)->peer));	\
	}								\
} while (0)

/*
 * Blocking receives give up after WAIT_MS (EAGAIN): a test whose peer never
 * answers fails instead of hanging until the harness kills it.
 */
static void rcv_timeout(int fd)
{
	struct timeval tv = { .tv_sec = WAIT_MS / 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

FIXTURE(conn) {
	int proto;	/* the variant's protocol number */
	int fd;		/* a socket of that protocol */
	int lfd;	/* native listener on 127.0.0.1, once listen_native() ran */
	struct sockaddr_in laddr;	/* its address */
	char *buf;	/* 2 * BIG bytes for the data tests */
};

FIXTURE_VARIANT(conn) {
	bool is_xtcp;
};

FIXTURE_VARIANT_ADD(conn, native) {
	.is_xtcp = false,
};

FIXTURE_VARIANT_ADD(conn, xtcp) {
	.is_xtcp = true,
};

FIXTURE_SETUP(conn)
{
	char tw[32] = "";
	FILE *f;

	self->fd = -1;
	self->lfd = -1;
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	self->proto = variant->is_xtcp ? xtcp_protocol() : 0;
	/*
	 * net.xtcp.tw_timeout_ms is per namespace: a new one starts at 60 s.
	 * Take over what the caller set (a short TIME_WAIT, so that the
	 * module can be unloaded soon after the tests).
	 */
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
	self->fd = socket(AF_INET, SOCK_STREAM, self->proto);
	if (self->fd < 0 && variant->is_xtcp && errno == EPROTONOSUPPORT)
		SKIP(return, "xtcp is not loaded (protocol %d)", self->proto);
	ASSERT_LE(0, self->fd) TH_LOG("socket(proto %d): %s", self->proto,
				      strerror(errno));
	rcv_timeout(self->fd);
}

FIXTURE_TEARDOWN(conn)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->lfd >= 0)
		close(self->lfd);
	free(self->buf);
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

/* A native TCP listener on 127.0.0.1, any port: self->lfd, self->laddr. */
static void listen_native(struct __test_metadata *_metadata,
			  FIXTURE_DATA(conn) *self)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);

	self->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->lfd);
	ASSERT_EQ(0, bind_in(self->lfd, &sin));
	ASSERT_EQ(0, listen(self->lfd, 64));
	self->laddr = name_of(self->lfd);
}

/* The next connection on the listener, within WAIT_MS. */
static int accept_one(struct __test_metadata *_metadata,
		      FIXTURE_DATA(conn) *self)
{
	struct pollfd pfd = { .fd = self->lfd, .events = POLLIN };
	int fd;

	EXPECT_EQ(1, poll(&pfd, 1, WAIT_MS)) TH_LOG("nothing to accept");
	fd = accept4(self->lfd, NULL, NULL, SOCK_NONBLOCK);
	EXPECT_LE(0, fd) TH_LOG("accept: %s", strerror(errno));
	if (fd >= 0) {
		set_nonblock(fd, false);
		rcv_timeout(fd);
	}
	return fd;
}

/* A socket of @proto connected to the listener (blocking connect). */
static int connected(struct __test_metadata *_metadata,
		     FIXTURE_DATA(conn) *self, int proto, int *peer)
{
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect_in(fd, &self->laddr))
		TH_LOG("connect(proto %d): %s", proto, strerror(errno));
	*peer = accept_one(_metadata, self);
	ASSERT_LE(0, *peer);
	return fd;
}

/* The native peer @afd was reset: poll() says so, recv() is ECONNRESET. */
static void expect_peer_reset(struct __test_metadata *_metadata, int afd,
			      const char *what)
{
	char buf[16];
	int ev;

	ev = wait_for(afd, POLLIN, WAIT_MS);
	EXPECT_EQ(POLL_DONE | POLLERR, ev) TH_LOG("%s: the peer's poll %#x",
						  what, ev);
	EXPECT_EQ(-1, recv(afd, buf, sizeof(buf), MSG_DONTWAIT))
		TH_LOG("%s: the peer read data", what);
	EXPECT_EQ(ECONNRESET, errno) TH_LOG("%s: the peer's recv: %s", what,
					    strerror(errno));
	close(afd);
}

/* A fresh socket's state, and nothing pending: what failed changed nothing. */
static void expect_untouched(struct __test_metadata *_metadata, int fd,
			     const char *what)
{
	struct state st;

	take_state(fd, &st);
	EXPECT_EQ(POLL_CLOSED, st.revents) TH_LOG("%s: poll %#x", what,
						  st.revents);
	EXPECT_EQ(0, st.so_error) TH_LOG("%s: SO_ERROR %s", what,
					 strerror(st.so_error));
	EXPECT_EQ(0, st.name_err);
	EXPECT_EQ(htonl(INADDR_ANY), st.name.sin_addr.s_addr)
		TH_LOG("%s: getsockname %s", what, str_of(&st.name));
	EXPECT_EQ(0, st.name.sin_port) TH_LOG("%s: getsockname %s", what,
					      str_of(&st.name));
	EXPECT_EQ(ENOTCONN, st.peer_err) TH_LOG("%s", what);
}

/* connect() with @len bytes of @sa fails with @err, and changes nothing. */
#define EXPECT_CONNECT_ERR(err, fd, sa, len, what) do {			\
	EXPECT_EQ(-1, connect(fd, (const struct sockaddr *)(sa), len))	\
		TH_LOG("%s: connected", what);				\
	EXPECT_EQ(err, errno) TH_LOG("%s: %s, expected %s", what,	\
				     strerror(errno), strerror(err));	\
	expect_untouched(_metadata, fd, what);				\
} while (0)

TEST_F(conn, short_addrlen)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 9);
	static const socklen_t lens[] = { 0, 1, 2, 8, sizeof(sin) - 1 };
	char what[32];
	int i;

	REQUIRE_SOCKET();
	for (i = 0; i < (int)ARRAY_SIZE(lens); i++) {
		snprintf(what, sizeof(what), "addrlen %u", lens[i]);
		EXPECT_CONNECT_ERR(EINVAL, self->fd, &sin, lens[i], what);
	}
	/* The same with O_NONBLOCK. */
	set_nonblock(self->fd, true);
	EXPECT_CONNECT_ERR(EINVAL, self->fd, &sin, sizeof(sin) - 1, "nonblock");
}

TEST_F(conn, bad_family)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 9);
	struct sockaddr_in6 sin6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(9),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};

	REQUIRE_SOCKET();
	/* AF_INET6 in a sockaddr_in-sized buffer: the family decides. */
	sin.sin_family = AF_INET6;
	EXPECT_CONNECT_ERR(EAFNOSUPPORT, self->fd, &sin, sizeof(sin), "AF_INET6");
	EXPECT_CONNECT_ERR(EAFNOSUPPORT, self->fd, &sin6, sizeof(sin6),
			   "sockaddr_in6");
	sin.sin_family = AF_UNIX;
	EXPECT_CONNECT_ERR(EAFNOSUPPORT, self->fd, &sin, sizeof(sin), "AF_UNIX");
	sin.sin_family = 0xffff;
	EXPECT_CONNECT_ERR(EAFNOSUPPORT, self->fd, &sin, sizeof(sin), "0xffff");
}

/*
 * Broadcast and multicast destinations are ENETUNREACH for a stream
 * socket: with no route at all, and with a route whose type is broadcast or
 * multicast (tcp_v4_connect() checks the route's flags).
 */
TEST_F(conn, broadcast_multicast)
{
	static const char *const dsts[] = {
		"255.255.255.255", "224.0.0.1", "239.1.2.3",
	};
	struct sockaddr_in sin;
	int i;

	REQUIRE_SOCKET();
	for (i = 0; i < (int)ARRAY_SIZE(dsts); i++) {
		sin = sin_of(dsts[i], 80);
		EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin),
				   dsts[i]);
	}
	if (!blackhole())
		SKIP(return, "cannot set up a veth pair with ip(8)");
	for (i = 0; i < (int)ARRAY_SIZE(dsts); i++) {
		sin = sin_of(dsts[i], 80);
		EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin),
				   dsts[i]);
	}
	/* The subnet's broadcast address, a local broadcast route. */
	sin = sin_of(BLACKHOLE_NET ".255", 80);
	EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin),
			   BLACKHOLE_NET ".255");
	/* Non-blocking changes none of it. */
	set_nonblock(self->fd, true);
	sin = sin_of("255.255.255.255", 80);
	EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin),
			   "nonblock");
}

/* No route: ENETUNREACH; after it, the same socket connects normally. */
TEST_F(conn, no_route)
{
	static const char *const dsts[] = {
		"203.0.113.1", "10.1.2.3", "192.0.2.1",
	};
	struct sockaddr_in sin;
	int i, peer;

	REQUIRE_SOCKET();
	for (i = 0; i < (int)ARRAY_SIZE(dsts); i++) {
		sin = sin_of(dsts[i], 80);
		EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin),
				   dsts[i]);
	}
	set_nonblock(self->fd, true);
	sin = sin_of(dsts[0], 80);
	EXPECT_CONNECT_ERR(ENETUNREACH, self->fd, &sin, sizeof(sin), "nonblock");
	set_nonblock(self->fd, false);

	listen_native(_metadata, self);
	EXPECT_EQ(0, connect_in(self->fd, &self->laddr))
		TH_LOG("connect after ENETUNREACH: %s", strerror(errno));
	peer = accept_one(_metadata, self);
	close(peer);
}

/*
 * Blocking connect() to a port nothing listens on: the RST makes it
 * ECONNREFUSED, the error is consumed, the socket is reusable, and its state
 * is native TCP's.
 */
static void refused_blocking(struct __test_metadata *_metadata, int fd,
			     const struct sockaddr_in *dst, struct state *st)
{
	EXPECT_EQ(-1, connect_in(fd, dst));
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
	take_state(fd, st);
	EXPECT_EQ(POLL_CLOSED, st->revents);
	EXPECT_EQ(0, st->so_error);
	EXPECT_EQ(ENOTCONN, st->peer_err);
	EXPECT_EQ(htonl(INADDR_ANY), st->name.sin_addr.s_addr);
	/* Again: the same answer. */
	EXPECT_EQ(-1, connect_in(fd, dst));
	EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
}

TEST_F(conn, refused)
{
	struct sockaddr_in dst = sin_of("127.0.0.1", free_port());
	struct state n, x;
	char buf[4];
	int ref, peer;

	REQUIRE_SOCKET();
	ASSERT_NE(0, dst.sin_port);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	refused_blocking(_metadata, ref, &dst, &n);
	refused_blocking(_metadata, self->fd, &dst, &x);
	EXPECT_SAME_STATE(&n, &x, "after ECONNREFUSED");
	/* Neither connected nor shut down. */
	EXPECT_EQ(-1, recv(self->fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENOTCONN, errno);
	EXPECT_EQ(-1, send(self->fd, "x", 1, MSG_DONTWAIT));
	EXPECT_EQ(EPIPE, errno);
	close(ref);

	/* The same socket then connects to a listener. */
	listen_native(_metadata, self);
	EXPECT_EQ(0, connect_in(self->fd, &self->laddr))
		TH_LOG("connect after ECONNREFUSED: %s", strerror(errno));
	peer = accept_one(_metadata, self);
	close(peer);
}

/*
 * Non-blocking: EINPROGRESS, then poll() reports the failure with every
 * event a dead connection has, SO_ERROR says ECONNREFUSED once, and the
 * next connect() reports the abort. @take_error: read SO_ERROR first; if
 * not, the next connect() reports the refusal instead.
 */
static void refused_nonblock(struct __test_metadata *_metadata, int fd,
			     const struct sockaddr_in *dst, bool take_error,
			     struct state *done, struct state *after)
{
	char buf[4];

	set_nonblock(fd, true);
	EXPECT_EQ(-1, connect_in(fd, dst));
	EXPECT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	wait_for(fd, POLLOUT, WAIT_MS);
	if (take_error) {
		take_state(fd, done);
		EXPECT_EQ(POLL_DONE | POLLERR, done->revents)
			TH_LOG("poll %#x", done->revents);
		EXPECT_EQ(ECONNREFUSED, done->so_error);
		EXPECT_EQ(ENOTCONN, done->peer_err);
		/* Taken: POLLERR is gone, the rest stays. */
		EXPECT_EQ(POLL_DONE, poll_mask(fd));
		EXPECT_EQ(0, recv(fd, buf, sizeof(buf), 0));
		EXPECT_EQ(-1, connect_in(fd, dst));
		EXPECT_EQ(ECONNABORTED, errno) TH_LOG("%s", strerror(errno));
	} else {
		memset(done, 0, sizeof(*done));
		EXPECT_EQ(-1, connect_in(fd, dst));
		EXPECT_EQ(ECONNREFUSED, errno) TH_LOG("%s", strerror(errno));
	}
	take_state(fd, after);
	EXPECT_EQ(POLL_CLOSED, after->revents) TH_LOG("poll %#x", after->revents);
	EXPECT_EQ(0, after->so_error);
	EXPECT_EQ(ENOTCONN, after->peer_err);
}

TEST_F(conn, refused_nonblock)
{
	struct sockaddr_in dst = sin_of("127.0.0.1", free_port());
	struct state nd, na, xd, xa;
	int ref, peer, take;

	REQUIRE_SOCKET();
	ASSERT_NE(0, dst.sin_port);
	for (take = 1; take >= 0; take--) {
		ref = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, ref);
		refused_nonblock(_metadata, ref, &dst, take, &nd, &na);
		refused_nonblock(_metadata, self->fd, &dst, take, &xd, &xa);
		EXPECT_SAME_STATE(&nd, &xd, take ? "refused" : "refused, untaken");
		EXPECT_SAME_STATE(&na, &xa, take ? "aborted" : "refused again");
		close(ref);
	}

	/* After all that, a non-blocking connect to a listener works. */
	listen_native(_metadata, self);
	EXPECT_EQ(-1, connect_in(self->fd, &self->laddr));
	EXPECT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(POLLOUT | POLLWRNORM, wait_for(self->fd, POLLOUT, WAIT_MS));
	EXPECT_EQ(0, so_error(self->fd));
	peer = accept_one(_metadata, self);
	close(peer);
}

TEST_F(conn, blocking)
{
	struct sockaddr_in name, peer, aname, apeer, other;
	socklen_t len = sizeof(peer);
	int lo, hi, afd, mtu, rmtu, ref;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr))
		TH_LOG("connect: %s", strerror(errno));
	name = name_of(self->fd);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), name.sin_addr.s_addr);
	ASSERT_TRUE(local_port_range(&lo, &hi));
	EXPECT_LE(lo, ntohs(name.sin_port)) TH_LOG("port %u", ntohs(name.sin_port));
	EXPECT_GE(hi, ntohs(name.sin_port)) TH_LOG("port %u", ntohs(name.sin_port));
	ASSERT_EQ(0, getpeername(self->fd, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(sizeof(peer), len);
	EXPECT_EQ(0, memcmp(&self->laddr, &peer, sizeof(peer)))
		TH_LOG("peer %s, listener %s", str_of(&peer), str_of(&self->laddr));
	EXPECT_EQ(POLLOUT | POLLWRNORM, poll_mask(self->fd));
	EXPECT_EQ(0, so_error(self->fd));
	/* The route's MTU (lo's), as a native connection has it. */
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	ASSERT_EQ(0, connect_in(ref, &self->laddr));
	len = sizeof(rmtu);
	ASSERT_EQ(0, getsockopt(ref, SOL_IP, IP_MTU, &rmtu, &len));
	len = sizeof(mtu);
	EXPECT_EQ(0, getsockopt(self->fd, SOL_IP, IP_MTU, &mtu, &len))
		TH_LOG("IP_MTU: %s", strerror(errno));
	EXPECT_EQ(rmtu, mtu);

	/* The accepted end sees the same two addresses, the other way round. */
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	aname = name_of(afd);
	len = sizeof(apeer);
	ASSERT_EQ(0, getpeername(afd, (struct sockaddr *)&apeer, &len));
	EXPECT_EQ(0, memcmp(&self->laddr, &aname, sizeof(aname)));
	EXPECT_EQ(0, memcmp(&name, &apeer, sizeof(apeer)))
		TH_LOG("accepted peer %s, client %s", str_of(&apeer), str_of(&name));

	/* Connected is connected, whatever the address. */
	EXPECT_EQ(-1, connect_in(self->fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno);
	other = sin_of("127.0.0.2", 80);
	EXPECT_EQ(-1, connect_in(self->fd, &other));
	EXPECT_EQ(EISCONN, errno);
	set_nonblock(self->fd, true);
	EXPECT_EQ(-1, connect_in(self->fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno);
	/* ... but arguments are still checked first. */
	EXPECT_EQ(-1, connect(self->fd, (struct sockaddr *)&other, 1));
	EXPECT_EQ(EINVAL, errno);
	/* bind() on a connected socket: EINVAL. */
	other = sin_of("127.0.0.1", 0);
	EXPECT_EQ(-1, bind_in(self->fd, &other));
	EXPECT_EQ(EINVAL, errno);
	/* Still the same connection. */
	other = name_of(self->fd);
	EXPECT_EQ(0, memcmp(&name, &other, sizeof(name)));
	close(afd);
	close(ref);
	/* The native connection was accepted second; close it too. */
	afd = accept_one(_metadata, self);
	close(afd);
}

/*
 * Non-blocking connect to a listener: EINPROGRESS. On loopback the
 * handshake may be over by the time connect() returns, so a second
 * connect() is EALREADY (still in SYN_SENT) or 0 (the one that reports the
 * completion); every connect() after the completed one is EISCONN.
 */
static void nonblock_connect(struct __test_metadata *_metadata, int fd,
			     FIXTURE_DATA(conn) *self, int *second)
{
	int r, e;

	set_nonblock(fd, true);
	EXPECT_EQ(-1, connect_in(fd, &self->laddr));
	EXPECT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	r = connect_in(fd, &self->laddr);
	e = r ? errno : 0;
	*second = e;
	EXPECT_TRUE(e == EALREADY || e == 0) TH_LOG("second connect: %s",
						    strerror(e));
	EXPECT_EQ(POLLOUT | POLLWRNORM, wait_for(fd, POLLOUT, WAIT_MS));
	EXPECT_EQ(0, so_error(fd));
	if (e == EALREADY) {
		EXPECT_EQ(0, connect_in(fd, &self->laddr))
			TH_LOG("connect once done: %s", strerror(errno));
	}
	EXPECT_EQ(-1, connect_in(fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno);
}

TEST_F(conn, nonblock)
{
	int ref, afd, nsecond, xsecond;
	struct state n, x;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	nonblock_connect(_metadata, ref, self, &nsecond);
	nonblock_connect(_metadata, self->fd, self, &xsecond);
	TH_LOG("second connect: %s, native %s", strerror(xsecond),
	       strerror(nsecond));
	take_state(ref, &n);
	take_state(self->fd, &x);
	EXPECT_SAME_STATE(&n, &x, "connected");
	EXPECT_EQ(0, x.peer_err);
	afd = accept_one(_metadata, self);
	close(afd);
	afd = accept_one(_metadata, self);
	close(afd);
	close(ref);
}

/*
 * connect(AF_UNSPEC) on a connected socket: 0; the connection is reset
 * (the peer reads ECONNRESET), the socket is unconnected with ECONNRESET
 * pending, and it can connect again.
 */
static void disconnect_connected(struct __test_metadata *_metadata,
				 FIXTURE_DATA(conn) *self, int fd,
				 struct state *st)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char buf[4];
	int afd;

	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	EXPECT_EQ(0, disconnect(fd));
	take_state(fd, st);
	EXPECT_EQ(POLL_CLOSED | POLLERR, st->revents) TH_LOG("poll %#x",
							     st->revents);
	EXPECT_EQ(ECONNRESET, st->so_error) TH_LOG("%s", strerror(st->so_error));
	EXPECT_EQ(ENOTCONN, st->peer_err);
	EXPECT_EQ(htonl(INADDR_ANY), st->name.sin_addr.s_addr);
	EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	EXPECT_EQ(ENOTCONN, errno);
	/* The peer saw the reset. */
	expect_peer_reset(_metadata, afd, "AF_UNSPEC");
	/* Twice is fine. */
	EXPECT_EQ(0, disconnect(fd));
	/* And the socket connects again. */
	EXPECT_EQ(0, connect_in(fd, &self->laddr))
		TH_LOG("connect after AF_UNSPEC: %s", strerror(errno));
	EXPECT_EQ(0, getpeername(fd, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(0, memcmp(&self->laddr, &peer, sizeof(peer)));
	afd = accept_one(_metadata, self);
	close(afd);
}

TEST_F(conn, disconnect_unspec)
{
	struct state n, x;
	int ref;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	disconnect_connected(_metadata, self, ref, &n);
	disconnect_connected(_metadata, self, self->fd, &x);
	EXPECT_SAME_STATE(&n, &x, "after AF_UNSPEC");
	close(ref);
}

/*
 * What getsockname() shows once a connection whose port connect() chose is
 * over. Native TCP gives the port back (inet_put_port() clears inet_num)
 * but leaves it in inet_sport: the port still shows, though anyone may bind
 * it again. The address shows as long as the socket is not disconnected.
 */
TEST_F(conn, local_port_after_close)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in dst, name;
	unsigned short port;
	int fd, afd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);

	/* Refused: connect() disconnected the socket already. */
	dst = sin_of("127.0.0.1", free_port());
	EXPECT_EQ(-1, connect_in(self->fd, &dst));
	EXPECT_EQ(ECONNREFUSED, errno);
	name = name_of(self->fd);
	EXPECT_EQ(htonl(INADDR_ANY), name.sin_addr.s_addr) TH_LOG("%s",
								 str_of(&name));
	EXPECT_NE(0, name.sin_port) TH_LOG("refused: getsockname %s",
					   str_of(&name));

	/* Connected, then connect(AF_UNSPEC). */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	port = name_of(fd).sin_port;
	afd = accept_one(_metadata, self);
	EXPECT_EQ(0, disconnect(fd));
	name = name_of(fd);
	EXPECT_EQ(htonl(INADDR_ANY), name.sin_addr.s_addr) TH_LOG("%s",
								 str_of(&name));
	EXPECT_EQ(port, name.sin_port) TH_LOG("AF_UNSPEC: getsockname %s, was %u",
					      str_of(&name), ntohs(port));
	close(afd);
	close(fd);

	/* Reset by the peer: the address stays as well. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	port = name_of(fd).sin_port;
	afd = accept_one(_metadata, self);
	ASSERT_EQ(0, setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	close(afd);
	EXPECT_NE(0, wait_for(fd, POLLIN, WAIT_MS) & POLLERR);
	name = name_of(fd);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), name.sin_addr.s_addr)
		TH_LOG("%s", str_of(&name));
	EXPECT_EQ(port, name.sin_port) TH_LOG("reset: getsockname %s, was %u",
					      str_of(&name), ntohs(port));
	close(fd);
}

/*
 * A port connect() chose is free again for anyone the moment the
 * connection is over without TIME_WAIT: after a refusal, after
 * connect(AF_UNSPEC), after close() of a refused socket.
 */
TEST_F(conn, port_free_after_close)
{
	struct sockaddr_in dst, sin;
	int fd, afd, nfd, i;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	for (i = 0; i < 3; i++) {
		fd = variant_socket(0);
		ASSERT_LE(0, fd);
		if (i == 1) {
			ASSERT_EQ(0, connect_in(fd, &self->laddr));
			afd = accept_one(_metadata, self);
			sin = name_of(fd);
			EXPECT_EQ(0, disconnect(fd));
			close(afd);
		} else {
			/* Non-blocking: the port shows while in SYN_SENT. */
			set_nonblock(fd, true);
			dst = sin_of("127.0.0.1", free_port());
			EXPECT_EQ(-1, connect_in(fd, &dst));
			EXPECT_EQ(EINPROGRESS, errno);
			sin = name_of(fd);
			wait_for(fd, POLLOUT, WAIT_MS);
			EXPECT_EQ(ECONNREFUSED, so_error(fd));
			if (i == 2)
				close(fd);
		}
		ASSERT_NE(0, sin.sin_port);
		nfd = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, nfd);
		EXPECT_EQ(0, bind_in(nfd, &sin))
			TH_LOG("%s: bind %s: %s", i == 0 ? "refused" :
			       i == 1 ? "AF_UNSPEC" : "close", str_of(&sin),
			       strerror(errno));
		close(nfd);
		if (i != 2)
			close(fd);
	}
}

/*
 * Closing ends the connection on the wire as native TCP does: a FIN after
 * the data normally, a reset with SO_LINGER 0 or with data left unread
 * (RFC 2525 2.17). The native peer must see which.
 */
TEST_F(conn, close_fin)
{
	char buf[16];
	int afd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(3, send(self->fd, "bye", 3, 0));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	EXPECT_EQ(3, recv(afd, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "bye", 3));
	EXPECT_EQ(0, recv(afd, buf, sizeof(buf), 0));
	EXPECT_EQ(POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | POLLWRNORM,
		  poll_mask(afd));
	/* Data to the closed socket is answered with a reset. */
	EXPECT_EQ(1, send(afd, "x", 1, MSG_NOSIGNAL));
	EXPECT_NE(0, wait_for(afd, 0, WAIT_MS) & POLLERR);
	EXPECT_EQ(EPIPE, so_error(afd));
	close(afd);
}

TEST_F(conn, close_linger0)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int afd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, setsockopt(self->fd, SOL_SOCKET, SO_LINGER, &lg,
				sizeof(lg)));
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	expect_peer_reset(_metadata, afd, "SO_LINGER 0 close");
}

TEST_F(conn, close_unread)
{
	int afd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(4, send(afd, "data", 4, 0));
	EXPECT_NE(0, wait_for(self->fd, POLLIN, WAIT_MS) & POLLIN);
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	expect_peer_reset(_metadata, afd, "close with unread data");
}

/* bind() first, then connect(): the bound address and port are used. */
TEST_F(conn, bind_then_connect)
{
	struct sockaddr_in sin, name, apeer;
	socklen_t len = sizeof(apeer);
	unsigned short port;
	int fd, afd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	port = free_port();
	ASSERT_NE(0, port);
	sin = sin_of("127.0.0.1", port);
	ASSERT_EQ(0, bind_in(self->fd, &sin)) TH_LOG("bind: %s", strerror(errno));
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr))
		TH_LOG("connect: %s", strerror(errno));
	name = name_of(self->fd);
	EXPECT_EQ(0, memcmp(&sin, &name, sizeof(sin))) TH_LOG("%s", str_of(&name));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, getpeername(afd, (struct sockaddr *)&apeer, &len));
	EXPECT_EQ(0, memcmp(&sin, &apeer, sizeof(sin))) TH_LOG("%s", str_of(&apeer));
	close(afd);

	/* INADDR_ANY, port 0: bind() picks the port, connect() the address. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	sin = sin_of("0.0.0.0", 0);
	ASSERT_EQ(0, bind_in(fd, &sin));
	port = ntohs(name_of(fd).sin_port);
	EXPECT_NE(0, port);
	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	name = name_of(fd);
	EXPECT_EQ(htonl(INADDR_LOOPBACK), name.sin_addr.s_addr);
	EXPECT_EQ(port, ntohs(name.sin_port));
	afd = accept_one(_metadata, self);
	close(afd);
	close(fd);

	/* A failed connect() keeps what bind() chose; the next one uses it. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	port = free_port();
	sin = sin_of("127.0.0.1", port);
	ASSERT_EQ(0, bind_in(fd, &sin));
	name = sin_of("127.0.0.1", free_port());
	EXPECT_EQ(-1, connect_in(fd, &name));
	EXPECT_EQ(ECONNREFUSED, errno);
	name = name_of(fd);
	EXPECT_EQ(0, memcmp(&sin, &name, sizeof(sin))) TH_LOG("%s", str_of(&name));
	ASSERT_EQ(0, connect_in(fd, &self->laddr))
		TH_LOG("connect: %s", strerror(errno));
	name = name_of(fd);
	EXPECT_EQ(0, memcmp(&sin, &name, sizeof(sin))) TH_LOG("%s", str_of(&name));
	afd = accept_one(_metadata, self);
	close(afd);
	close(fd);
}

TEST_F(conn, bind_errors)
{
	struct sockaddr_in sin, name;
	unsigned short port;
	int nfd, fd, status;
	pid_t pid;

	REQUIRE_SOCKET();
	/* A port a native socket holds (bound, not listening). */
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	sin = sin_of("127.0.0.1", 0);
	ASSERT_EQ(0, bind_in(nfd, &sin));
	port = ntohs(name_of(nfd).sin_port);
	sin = sin_of("127.0.0.1", port);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	sin = sin_of("0.0.0.0", port);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	/* A port a native listener holds. */
	ASSERT_EQ(0, listen(nfd, 1));
	sin = sin_of("127.0.0.1", port);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(nfd);
	/* Nothing failed for good: the socket binds elsewhere. */
	expect_untouched(_metadata, self->fd, "after EADDRINUSE");

	/* An address that is not ours: EADDRNOTAVAIL, unless IP_FREEBIND. */
	sin = sin_of("192.0.2.77", 0);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EADDRNOTAVAIL, errno) TH_LOG("%s", strerror(errno));
	sin = sin_of("192.0.2.77", 4242);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EADDRNOTAVAIL, errno) TH_LOG("%s", strerror(errno));
	expect_untouched(_metadata, self->fd, "after EADDRNOTAVAIL");
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_int(fd, SOL_IP, IP_FREEBIND, 1));
	EXPECT_EQ(0, bind_in(fd, &sin)) TH_LOG("IP_FREEBIND: %s", strerror(errno));
	name = name_of(fd);
	EXPECT_EQ(0, memcmp(&sin, &name, sizeof(sin))) TH_LOG("%s", str_of(&name));
	close(fd);

	/* A privileged port without CAP_NET_BIND_SERVICE: EACCES. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = variant_socket(0);
		if (fd < 0 || drop_net_bind_service())
			_exit(10);
		sin = sin_of("127.0.0.1", 81);
		if (bind_in(fd, &sin) != -1)
			_exit(11);
		_exit(errno == EACCES ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("no EACCES for port 81");
	/* With it (root), the same port binds. */
	sin = sin_of("127.0.0.1", 81);
	EXPECT_EQ(0, bind_in(self->fd, &sin)) TH_LOG("%s", strerror(errno));
	/* Bound is bound. */
	sin = sin_of("127.0.0.1", 0);
	EXPECT_EQ(-1, bind_in(self->fd, &sin));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * SO_REUSEADDR on both sockets, neither listening: native TCP lets them
 * share the port, whichever binds first.
 */
TEST_F(conn, bind_reuseaddr)
{
	struct sockaddr_in sin = sin_of("127.0.0.1", 0);
	int nfd, fd;

	REQUIRE_SOCKET();
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, set_int(nfd, SOL_SOCKET, SO_REUSEADDR, 1));
	ASSERT_EQ(0, bind_in(nfd, &sin));
	sin = name_of(nfd);
	ASSERT_EQ(0, set_int(self->fd, SOL_SOCKET, SO_REUSEADDR, 1));
	if (variant->is_xtcp) {
		/*
		 * Known difference: xtcp's ports stay exclusive against
		 * native TCP even with SO_REUSEADDR, so that no native
		 * connection can ever share a 4-tuple with an xtcp one.
		 */
		EXPECT_EQ(-1, bind_in(self->fd, &sin));
		EXPECT_EQ(EADDRINUSE, errno);
	} else {
		EXPECT_EQ(0, bind_in(self->fd, &sin)) TH_LOG("native first: %s",
							      strerror(errno));
	}
	close(nfd);

	/* The other way round. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1));
	sin = sin_of("127.0.0.1", 0);
	ASSERT_EQ(0, bind_in(fd, &sin));
	sin = name_of(fd);
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	ASSERT_EQ(0, set_int(nfd, SOL_SOCKET, SO_REUSEADDR, 1));
	if (variant->is_xtcp) {
		/* The same known difference, from the native side. */
		EXPECT_EQ(-1, bind_in(nfd, &sin));
		EXPECT_EQ(EADDRINUSE, errno);
	} else {
		EXPECT_EQ(0, bind_in(nfd, &sin)) TH_LOG("variant first: %s",
							 strerror(errno));
	}
	/* Without SO_REUSEADDR on the newcomer: taken. */
	close(nfd);
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	EXPECT_EQ(-1, bind_in(nfd, &sin));
	EXPECT_EQ(EADDRINUSE, errno);
	close(nfd);
	close(fd);
}

/*
 * The port an xtcp socket connected from is taken for native TCP, and the
 * port a native socket connected from is taken for xtcp: native bind()
 * rules, across the two stacks.
 */
TEST_F(conn, port_taken_across_stacks)
{
	struct sockaddr_in sin;
	unsigned short port;
	int nfd, afd, fd, peer;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);

	/* The variant's socket connects; native sockets try its port. */
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr));
	afd = accept_one(_metadata, self);
	port = ntohs(name_of(self->fd).sin_port);
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	sin = sin_of("127.0.0.1", port);
	EXPECT_EQ(-1, bind_in(nfd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	sin = sin_of("0.0.0.0", port);
	EXPECT_EQ(-1, bind_in(nfd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	/* SO_REUSEADDR on one side only does not help. */
	ASSERT_EQ(0, set_int(nfd, SOL_SOCKET, SO_REUSEADDR, 1));
	sin = sin_of("127.0.0.1", port);
	EXPECT_EQ(-1, bind_in(nfd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(nfd);
	/* Nor may another socket of the variant's protocol have it. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(fd);
	close(afd);

	/* A native socket connects; the variant's sockets try its port. */
	nfd = connected(_metadata, self, 0, &peer);
	port = ntohs(name_of(nfd).sin_port);
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	sin = sin_of("127.0.0.1", port);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	sin = sin_of("0.0.0.0", port);
	EXPECT_EQ(-1, bind_in(fd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	expect_untouched(_metadata, fd, "after EADDRINUSE");
	close(fd);
	close(peer);
	close(nfd);

	/* A port the variant's socket only bound is taken as well. */
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	sin = sin_of("127.0.0.1", 0);
	ASSERT_EQ(0, bind_in(fd, &sin));
	sin = name_of(fd);
	nfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, nfd);
	EXPECT_EQ(-1, bind_in(nfd, &sin));
	EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
	close(nfd);
	close(fd);
}

/*
 * SO_SNDTIMEO bounds a blocking connect() whose SYNs go unanswered: the
 * call comes back with EINPROGRESS once the time is up, a second one with
 * EALREADY, and the handshake goes on meanwhile.
 */
static void sndtimeo_connect(struct __test_metadata *_metadata, int fd,
			     struct state *st)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 300 * 1000 };
	struct sockaddr_in dst = sin_of(BLACKHOLE_DST, 80);
	struct timespec t0;
	long ms;

	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, connect_in(fd, &dst));
	EXPECT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	ms = ms_since(&t0);
	EXPECT_LE(250, ms);
	EXPECT_GT(5000, ms);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, connect_in(fd, &dst));
	EXPECT_EQ(EALREADY, errno) TH_LOG("%s", strerror(errno));
	ms = ms_since(&t0);
	EXPECT_LE(250, ms);
	EXPECT_GT(5000, ms);
	/* SYN_SENT: nothing to report, no peer yet, a local address. */
	take_state(fd, st);
	EXPECT_EQ(0, st->revents) TH_LOG("poll %#x", st->revents);
	EXPECT_EQ(0, st->so_error);
	EXPECT_EQ(ENOTCONN, st->peer_err);
	EXPECT_EQ(inet_addr(BLACKHOLE_NET ".1"), st->name.sin_addr.s_addr)
		TH_LOG("%s", str_of(&st->name));
	EXPECT_NE(0, st->name.sin_port);
	/* A non-blocking caller gets EALREADY at once. */
	set_nonblock(fd, true);
	EXPECT_EQ(-1, connect_in(fd, &dst));
	EXPECT_EQ(EALREADY, errno) TH_LOG("%s", strerror(errno));
	set_nonblock(fd, false);
}

/* connect(AF_UNSPEC) in SYN_SENT: aborted, ECONNRESET pending. */
static void sndtimeo_abort(struct __test_metadata *_metadata, int fd,
			   struct state *st)
{
	EXPECT_EQ(0, disconnect(fd));
	take_state(fd, st);
	EXPECT_EQ(POLL_CLOSED | POLLERR, st->revents) TH_LOG("poll %#x",
							     st->revents);
	EXPECT_EQ(ECONNRESET, st->so_error) TH_LOG("%s", strerror(st->so_error));
	EXPECT_EQ(ENOTCONN, st->peer_err);
}

TEST_F(conn, sndtimeo)
{
	struct state n, x;
	int ref;

	REQUIRE_SOCKET();
	if (!blackhole())
		SKIP(return, "cannot set up a veth pair with ip(8)");
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	sndtimeo_connect(_metadata, ref, &n);
	sndtimeo_connect(_metadata, self->fd, &x);
	EXPECT_SAME_STATE(&n, &x, "SYN_SENT");
	sndtimeo_abort(_metadata, ref, &n);
	sndtimeo_abort(_metadata, self->fd, &x);
	EXPECT_SAME_STATE(&n, &x, "aborted in SYN_SENT");
	close(ref);
}

/*
 * No answer at all: with net.ipv4.tcp_syn_retries = 1 (this namespace
 * only), the connect gives up after the SYN and one retransmission, about
 * 3 s: ETIMEDOUT, for the non-blocking caller in SO_ERROR.
 */
TEST_F_TIMEOUT(conn, syn_timeout, 90)
{
	struct sockaddr_in dst = sin_of(BLACKHOLE_DST, 80);
	struct state n, x;
	struct timespec t0;
	int ref, i, fds[2];
	long ms;

	REQUIRE_SOCKET();
	if (!blackhole())
		SKIP(return, "cannot set up a veth pair with ip(8)");
	ASSERT_EQ(0, sysctl_write("/proc/sys/net/ipv4/tcp_syn_retries", "1"));
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	fds[0] = ref;
	fds[1] = self->fd;
	/* Both non-blocking at once, to wait only once. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 2; i++) {
		set_nonblock(fds[i], true);
		EXPECT_EQ(-1, connect_in(fds[i], &dst));
		EXPECT_EQ(EINPROGRESS, errno) TH_LOG("%s", strerror(errno));
	}
	for (i = 0; i < 2; i++) {
		EXPECT_NE(0, wait_for(fds[i], POLLOUT, 20000) & POLLERR)
			TH_LOG("socket %d did not time out", i);
	}
	ms = ms_since(&t0);
	EXPECT_LE(2500, ms);
	take_state(ref, &n);
	take_state(self->fd, &x);
	EXPECT_EQ(POLL_DONE | POLLERR, x.revents) TH_LOG("poll %#x", x.revents);
	EXPECT_EQ(ETIMEDOUT, x.so_error) TH_LOG("%s", strerror(x.so_error));
	EXPECT_SAME_STATE(&n, &x, "timed out");
	close(ref);

	/*
	 * Blocking: the call itself says ETIMEDOUT. (The first connect()
	 * only reports that the non-blocking one, whose error was taken,
	 * failed: ECONNABORTED.)
	 */
	set_nonblock(self->fd, false);
	EXPECT_EQ(-1, connect_in(self->fd, &dst));
	EXPECT_EQ(ECONNABORTED, errno) TH_LOG("%s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, connect_in(self->fd, &dst));
	EXPECT_EQ(ETIMEDOUT, errno) TH_LOG("%s", strerror(errno));
	ms = ms_since(&t0);
	EXPECT_LE(2500, ms);
	EXPECT_GT(20000, ms);
	take_state(self->fd, &x);
	EXPECT_EQ(POLL_CLOSED, x.revents) TH_LOG("poll %#x", x.revents);
	EXPECT_EQ(0, x.so_error);
	EXPECT_EQ(ENOTCONN, x.peer_err);
	EXPECT_EQ(htonl(INADDR_ANY), x.name.sin_addr.s_addr);
}

#define BIG	(1 << 20)

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 131 + (i >> 12));
}

/*
 * Move @total bytes of pattern() from @tx to @rx, both non-blocking, in one
 * thread; every byte received is checked. Return: bytes received intact.
 */
static size_t pump(struct __test_metadata *_metadata, int tx, int rx,
		   size_t total, unsigned char *buf)
{
	size_t sent = 0, got = 0, bad = 0, i;
	struct pollfd pfd[2];
	ssize_t r;

	for (i = 0; i < total; i++)
		buf[i] = pattern(i);
	set_nonblock(tx, true);
	set_nonblock(rx, true);
	while (got < total) {
		pfd[0] = (struct pollfd){ .fd = tx,
					  .events = sent < total ? POLLOUT : 0 };
		pfd[1] = (struct pollfd){ .fd = rx, .events = POLLIN };
		r = poll(pfd, 2, 10000);
		ASSERT_LT(0, r) TH_LOG("stalled at %zu sent, %zu received",
				       sent, got);
		if (sent < total && (pfd[0].revents & POLLOUT)) {
			r = send(tx, buf + sent, total - sent, MSG_NOSIGNAL);
			if (r < 0) {
				ASSERT_EQ(EAGAIN, errno) TH_LOG("send: %s",
								strerror(errno));
			} else {
				sent += r;
			}
		}
		ASSERT_EQ(0, pfd[0].revents & (POLLERR | POLLHUP));
		if (pfd[1].revents & POLLIN) {
			r = recv(rx, buf + total, total - got, 0);
			if (r < 0) {
				ASSERT_EQ(EAGAIN, errno) TH_LOG("recv: %s",
								strerror(errno));
				continue;
			}
			ASSERT_NE(0, r) TH_LOG("EOF after %zu bytes", got);
			for (i = 0; i < (size_t)r; i++)
				bad += buf[total + i] != pattern(got + i);
			got += r;
		}
	}
	set_nonblock(tx, false);
	set_nonblock(rx, false);
	EXPECT_EQ(0UL, bad) TH_LOG("%zu bytes differ", bad);
	return got - bad;
}

TEST_F_TIMEOUT(conn, data_1mb, 120)
{
	int afd, val, tries;
	char c;

	REQUIRE_SOCKET();
	self->buf = malloc(2 * BIG);
	ASSERT_NE(NULL, self->buf);
	listen_native(_metadata, self);
	ASSERT_EQ(0, connect_in(self->fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);

	/* 1 MB each way, every byte checked. */
	EXPECT_EQ((size_t)BIG, pump(_metadata, self->fd, afd, BIG,
			    (unsigned char *)self->buf));
	EXPECT_EQ((size_t)BIG, pump(_metadata, afd, self->fd, BIG,
			    (unsigned char *)self->buf));
	/* All of it acknowledged (within 5 s), nothing left to read. */
	for (tries = 0;; tries++) {
		ASSERT_EQ(0, ioctl(self->fd, SIOCOUTQ, &val));
		if (!val || tries == 500)
			break;
		usleep(10000);
	}
	EXPECT_EQ(0, val) TH_LOG("SIOCOUTQ stays %d", val);
	ASSERT_EQ(0, ioctl(self->fd, SIOCOUTQ, &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, ioctl(self->fd, SIOCOUTQNSD, &val));
	EXPECT_EQ(0, val);
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &val));
	EXPECT_EQ(0, val);
	/* A small message: FIONREAD counts it, MSG_PEEK leaves it. */
	ASSERT_EQ(5, send(afd, "hello", 5, 0));
	EXPECT_NE(0, wait_for(self->fd, POLLIN, WAIT_MS) & POLLIN);
	ASSERT_EQ(0, ioctl(self->fd, FIONREAD, &val));
	EXPECT_EQ(5, val);
	EXPECT_EQ(1, recv(self->fd, &c, 1, MSG_PEEK));
	EXPECT_EQ('h', c);
	EXPECT_EQ(5, recv(self->fd, self->buf, 16, 0));
	EXPECT_EQ(0, memcmp(self->buf, "hello", 5));
	EXPECT_EQ(-1, recv(self->fd, self->buf, 16, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	close(afd);
}

/*
 * The peer closes (FIN): recv() gives 0; a send still goes out, the peer
 * answers it with a reset, and from then on send() is EPIPE.
 */
static void peer_closes(struct __test_metadata *_metadata,
			FIXTURE_DATA(conn) *self, int fd, struct state *fin,
			struct state *rst)
{
	char buf[16];
	int afd, i;

	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, close(afd));
	wait_for(fd, POLLRDHUP, WAIT_MS);
	take_state(fd, fin);
	EXPECT_EQ(POLLIN | POLLRDNORM | POLLRDHUP | POLLOUT | POLLWRNORM,
		  fin->revents) TH_LOG("poll %#x", fin->revents);
	EXPECT_EQ(0, fin->peer_err);
	EXPECT_EQ(0, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, recv(fd, buf, sizeof(buf), MSG_DONTWAIT));
	/* Half-closed by the peer: sending is still allowed. */
	EXPECT_EQ(1, send(fd, "x", 1, MSG_NOSIGNAL));
	wait_for(fd, POLLERR, WAIT_MS);
	take_state(fd, rst);
	EXPECT_EQ(POLL_DONE | POLLERR, rst->revents) TH_LOG("poll %#x",
							    rst->revents);
	EXPECT_EQ(EPIPE, rst->so_error) TH_LOG("%s", strerror(rst->so_error));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
		EXPECT_EQ(EPIPE, errno) TH_LOG("%s", strerror(errno));
	}
	EXPECT_EQ(0, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, shutdown(fd, SHUT_WR));
	EXPECT_EQ(ENOTCONN, errno);
}

TEST_F(conn, peer_close)
{
	struct state nf, nr, xf, xr;
	int ref;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	peer_closes(_metadata, self, ref, &nf, &nr);
	peer_closes(_metadata, self, self->fd, &xf, &xr);
	EXPECT_SAME_STATE(&nf, &xf, "after the peer's FIN");
	EXPECT_SAME_STATE(&nr, &xr, "after the peer's reset");
	close(ref);
}

/*
 * shutdown(SHUT_WR): the peer reads EOF, but can still send, and what it
 * sends is received; sending is EPIPE.
 */
static void shutdown_write(struct __test_metadata *_metadata,
			   FIXTURE_DATA(conn) *self, int fd, struct state *st,
			   struct state *end)
{
	char buf[16];
	int afd;

	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(3, send(fd, "abc", 3, 0));
	EXPECT_EQ(0, shutdown(fd, SHUT_WR));
	EXPECT_EQ(3, recv(afd, buf, sizeof(buf), MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_NE(0, wait_for(afd, POLLRDHUP, WAIT_MS) & POLLRDHUP);
	EXPECT_EQ(0, recv(afd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	/* The other direction still works. */
	ASSERT_EQ(5, send(afd, "hello", 5, 0));
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(5, recv(fd, buf, 5, MSG_WAITALL));
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	take_state(fd, st);
	EXPECT_EQ(POLLOUT | POLLWRNORM, st->revents) TH_LOG("poll %#x",
							    st->revents);
	EXPECT_EQ(0, st->so_error);
	EXPECT_EQ(0, st->peer_err);
	/* Twice is fine; SHUT_RD as well, the peer's data stays readable. */
	EXPECT_EQ(0, shutdown(fd, SHUT_WR));
	ASSERT_EQ(2, send(afd, "hi", 2, 0));
	EXPECT_EQ(0, shutdown(fd, SHUT_RD));
	take_state(fd, end);
	EXPECT_EQ(0, end->so_error);
	close(afd);
}

TEST_F(conn, shutdown_wr)
{
	struct state n, x, ne, xe;
	int ref;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	shutdown_write(_metadata, self, ref, &n, &ne);
	shutdown_write(_metadata, self, self->fd, &x, &xe);
	EXPECT_SAME_STATE(&n, &x, "after SHUT_WR");
	EXPECT_SAME_STATE(&ne, &xe, "after SHUT_WR and SHUT_RD");
	close(ref);
}

/*
 * The active closer (SHUT_WR, then the peer's FIN) enters TIME_WAIT. Native
 * TCP hands TIME_WAIT to a timewait socket and closes the user's socket
 * (tcp_time_wait() -> tcp_done()): from then on it is CLOSE, getpeername()
 * says ENOTCONN, recv() reads EOF, send() is EPIPE, connect() EISCONN
 * (still SS_CONNECTED) until connect(AF_UNSPEC).
 */
static void close_actively(struct __test_metadata *_metadata,
			   FIXTURE_DATA(conn) *self, int fd)
{
	char buf[4];
	int afd;

	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	EXPECT_EQ(0, shutdown(fd, SHUT_WR));
	EXPECT_EQ(0, recv(afd, buf, sizeof(buf), 0));
	close(afd);
	wait_for(fd, POLLRDHUP, WAIT_MS);
	/* Let the last ACK go out and the state settle. */
	usleep(100 * 1000);
}

static void enter_time_wait(struct __test_metadata *_metadata,
			    FIXTURE_DATA(conn) *self, int fd, struct state *st)
{
	char buf[4];

	close_actively(_metadata, self, fd);
	take_state(fd, st);
	EXPECT_EQ(POLL_DONE, st->revents) TH_LOG("poll %#x", st->revents);
	EXPECT_EQ(0, st->so_error);
	EXPECT_EQ(ENOTCONN, st->peer_err) TH_LOG("getpeername: %s, peer %s",
						 strerror(st->peer_err),
						 str_of(&st->peer));
	EXPECT_EQ(0, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(-1, connect_in(fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno) TH_LOG("%s", strerror(errno));
}

TEST_F(conn, time_wait_state)
{
	struct state n, x;
	int ref, fd;

	REQUIRE_SOCKET();
	/*
	 * A TIME_WAIT that outlasts the test's look at the socket, but not
	 * by much: xtcp takes the namespace's value when a socket is made.
	 */
	if (variant->is_xtcp) {
		ASSERT_EQ(0, sysctl_write(TW_TIMEOUT_SYSCTL, "2000"));
	}
	fd = variant_socket(0);
	ASSERT_LE(0, fd);
	rcv_timeout(fd);
	listen_native(_metadata, self);
	ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, ref);
	enter_time_wait(_metadata, self, ref, &n);
	enter_time_wait(_metadata, self, fd, &x);
	EXPECT_SAME_STATE(&n, &x, "in TIME_WAIT");
	close(ref);
	close(fd);
}

/*
 * The port of a connection in TIME_WAIT stays taken for native bind() until
 * the TIME_WAIT ends, whether the socket asked for SO_REUSEADDR or not (xtcp
 * holds a connect()'s port through the socket itself, and hands it to a
 * small holder when the connection enters TIME_WAIT). Native's TIME_WAIT
 * lasts 60 s: only xtcp's end (a short one here) is waited for.
 */
TEST_F(conn, port_held_through_time_wait)
{
	struct sockaddr_in sin;
	int reuse, fd, nfd, i;
	unsigned short port;

	REQUIRE_SOCKET();
	if (variant->is_xtcp) {
		ASSERT_EQ(0, sysctl_write(TW_TIMEOUT_SYSCTL, "1000"));
	}
	listen_native(_metadata, self);
	for (reuse = 0; reuse <= 1; reuse++) {
		fd = variant_socket(0);
		ASSERT_LE(0, fd);
		rcv_timeout(fd);
		ASSERT_EQ(0, set_int(fd, SOL_SOCKET, SO_REUSEADDR, reuse));
		close_actively(_metadata, self, fd);
		/* Both stacks keep the source port's number for the name. */
		port = ntohs(name_of(fd).sin_port);
		ASSERT_NE(0, port);
		close(fd);

		nfd = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, nfd);
		sin = sin_of("127.0.0.1", port);
		EXPECT_EQ(-1, bind_in(nfd, &sin)) TH_LOG("reuse %d", reuse);
		EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
		sin = sin_of("0.0.0.0", port);
		EXPECT_EQ(-1, bind_in(nfd, &sin)) TH_LOG("reuse %d", reuse);
		EXPECT_EQ(EADDRINUSE, errno) TH_LOG("%s", strerror(errno));
		if (variant->is_xtcp) {
			sin = sin_of("127.0.0.1", port);
			for (i = 0; i < 50 && bind_in(nfd, &sin); i++)
				usleep(100 * 1000);
			EXPECT_GT(50, i) TH_LOG("reuse %d: port %u still taken "
						"after TIME_WAIT: %s", reuse,
						port, strerror(errno));
		}
		close(nfd);
	}
}

/*
 * The peer resets the connection (close() with SO_LINGER 0). The first
 * call to look reports ECONNRESET, whichever it is: recv(), SO_ERROR or
 * send(); after that, recv() reads EOF and send() is EPIPE.
 */
enum { BY_RECV, BY_SO_ERROR, BY_SEND, BY_COUNT };

static void reset_by_peer(struct __test_metadata *_metadata,
			  FIXTURE_DATA(conn) *self, int fd, int how,
			  struct state *st, struct state *after)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	char buf[16];
	int afd;

	ASSERT_EQ(0, connect_in(fd, &self->laddr));
	afd = accept_one(_metadata, self);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, setsockopt(afd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)));
	ASSERT_EQ(0, close(afd));
	EXPECT_NE(0, wait_for(fd, POLLIN, WAIT_MS) & POLLERR);
	memset(st, 0, sizeof(*st));
	st->revents = poll_mask(fd);
	EXPECT_EQ(POLL_DONE | POLLERR, st->revents) TH_LOG("poll %#x",
							   st->revents);
	switch (how) {
	case BY_RECV:
		EXPECT_EQ(-1, recv(fd, buf, sizeof(buf), 0));
		EXPECT_EQ(ECONNRESET, errno) TH_LOG("%s", strerror(errno));
		break;
	case BY_SO_ERROR:
		EXPECT_EQ(ECONNRESET, so_error(fd));
		break;
	case BY_SEND:
		EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
		EXPECT_EQ(ECONNRESET, errno) TH_LOG("%s", strerror(errno));
		break;
	}
	take_state(fd, after);
	EXPECT_EQ(POLL_DONE, after->revents) TH_LOG("poll %#x", after->revents);
	EXPECT_EQ(0, after->so_error);
	EXPECT_EQ(ENOTCONN, after->peer_err);
	EXPECT_EQ(0, recv(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, send(fd, "x", 1, MSG_NOSIGNAL));
	EXPECT_EQ(EPIPE, errno) TH_LOG("%s", strerror(errno));
	/*
	 * The socket still counts as connected for connect() (EISCONN)
	 * until connect(AF_UNSPEC); then it connects again.
	 */
	EXPECT_EQ(-1, connect_in(fd, &self->laddr));
	EXPECT_EQ(EISCONN, errno) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, disconnect(fd));
	EXPECT_EQ(0, connect_in(fd, &self->laddr))
		TH_LOG("connect after reset: %s", strerror(errno));
	afd = accept_one(_metadata, self);
	close(afd);
}

TEST_F(conn, peer_reset)
{
	static const char *const hows[] = { "recv", "SO_ERROR", "send" };
	struct state n, na, x, xa;
	char what[48];
	int how, ref, fd;

	REQUIRE_SOCKET();
	listen_native(_metadata, self);
	for (how = 0; how < BY_COUNT; how++) {
		ref = socket(AF_INET, SOCK_STREAM, 0);
		ASSERT_LE(0, ref);
		fd = variant_socket(0);
		ASSERT_LE(0, fd);
		rcv_timeout(fd);
		reset_by_peer(_metadata, self, ref, how, &n, &na);
		reset_by_peer(_metadata, self, fd, how, &x, &xa);
		snprintf(what, sizeof(what), "reset, seen by %s", hows[how]);
		EXPECT_EQ(n.revents, x.revents) TH_LOG("%s", what);
		snprintf(what, sizeof(what), "reset, after %s", hows[how]);
		EXPECT_SAME_STATE(&na, &xa, what);
		close(ref);
		close(fd);
	}
}

TEST_HARNESS_MAIN
