// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_sockopt: SOL_TCP socket options and what they do.
 *
 * Every option is set and read on the socket under test and on a native TCP
 * socket in the same state (self->ref); results, errnos and values must be
 * equal, and where Linux 6.1's source pins a value down it is asserted. The
 * effects are then checked on connections to a native server over the
 * loopback of a private network namespace: TCP_MAXSEG's MSS on both ends,
 * Nagle's algorithm and TCP_CORK (with netem delaying every segment so that
 * an ACK cannot come back before the next write), and keepalive, whose
 * probes are answered or (netem loss 100%) are not, which ends the
 * connection with ETIMEDOUT.
 *
 * Variants: "xtcp" (SKIP when the module is not loaded) and "native", which
 * checks the expectations themselves against the running kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sockios.h>
#include <netinet/tcp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "../include/uapi/linux/xtcp.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop

#include "xtcp_helpers.h"

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd) - 32, fmt, ap);
	va_end(ap);
	strcat(cmd, " >/dev/null 2>&1");
	return system(cmd);
}

static int sysctl_read(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct res {
	long ret;
	int err;
};

#define CALL(expr) ({							\
	long __ret;							\
									\
	errno = 0;							\
	__ret = (long)(expr);						\
	(struct res){ .ret = __ret, .err = __ret < 0 ? errno : 0 };	\
})

/* @expr with FD the socket under test, then the native one: same result. */
#define SAME(expr) ({							\
	struct res __x, __n;						\
	int FD;								\
									\
	FD = self->fd;							\
	__x = CALL(expr);						\
	FD = self->ref;							\
	__n = CALL(expr);						\
	(void)FD;							\
	EXPECT_EQ(__n.ret, __x.ret)					\
		TH_LOG("%s: returned %ld, native %ld", #expr,		\
		       __x.ret, __n.ret);				\
	EXPECT_EQ(__n.err, __x.err)					\
		TH_LOG("%s: %s, native %s", #expr,			\
		       strerror(__x.err), strerror(__n.err));		\
	__x;								\
})

#define SAME_ERR(e, expr) do {						\
	struct res __r = SAME(expr);					\
									\
	EXPECT_EQ(-1L, __r.ret) TH_LOG("%s", #expr);			\
	EXPECT_EQ(e, __r.err)						\
		TH_LOG("%s: %s, expected %s", #expr,			\
		       strerror(__r.err), strerror(e));			\
} while (0)

#define SAME_OK(expr) do {						\
	struct res __r = SAME(expr);					\
									\
	EXPECT_EQ(0L, __r.ret)						\
		TH_LOG("%s: %s", #expr, strerror(__r.err));		\
} while (0)

FIXTURE(opt) {
	int fd;		/* the socket under test */
	int ref;	/* native TCP, driven the same way */
	int proto;
	int lfd;	/* native listener on 127.0.0.1 */
	struct sockaddr_in addr;
};

FIXTURE_VARIANT(opt) {
	bool is_xtcp;
};

FIXTURE_VARIANT_ADD(opt, native) {
	.is_xtcp = false,
};

FIXTURE_VARIANT_ADD(opt, xtcp) {
	.is_xtcp = true,
};

FIXTURE_SETUP(opt)
{
	char tw[32] = "";
	socklen_t len = sizeof(self->addr);
	FILE *f;

	self->fd = -1;
	self->ref = -1;
	self->lfd = -1;
	ASSERT_NE(SIG_ERR, signal(SIGPIPE, SIG_IGN));
	/* A new namespace starts at 60 s of TIME_WAIT: keep the caller's. */
	f = fopen("/proc/sys/net/xtcp/tw_timeout_ms", "r");
	if (f) {
		if (!fgets(tw, sizeof(tw), f))
			tw[0] = 0;
		fclose(f);
	}
	if (unshare(CLONE_NEWNET))
		SKIP(return, "no private network namespace: run as root");
	if (tw[0]) {
		ASSERT_EQ(0, sysctl_write("/proc/sys/net/xtcp/tw_timeout_ms", tw));
	}
	ASSERT_EQ(0, sh("ip link set lo up"));
	self->proto = variant->is_xtcp ? xtcp_protocol() : 0;
	self->fd = socket(AF_INET, SOCK_STREAM, self->proto);
	if (self->fd < 0 && variant->is_xtcp && errno == EPROTONOSUPPORT)
		SKIP(return, "xtcp is not loaded (protocol %d)", self->proto);
	ASSERT_LE(0, self->fd);
	self->ref = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->ref);

	self->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, self->lfd);
	self->addr.sin_family = AF_INET;
	self->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(0, bind(self->lfd, (struct sockaddr *)&self->addr,
			  sizeof(self->addr)));
	ASSERT_EQ(0, listen(self->lfd, 8));
	ASSERT_EQ(0, getsockname(self->lfd, (struct sockaddr *)&self->addr, &len));
}

FIXTURE_TEARDOWN(opt)
{
	if (self->fd >= 0)
		close(self->fd);
	if (self->ref >= 0)
		close(self->ref);
	if (self->lfd >= 0)
		close(self->lfd);
}

#define REQUIRE_SOCKET() do {			\
	if (_metadata->skip)			\
		return;				\
} while (0)

/* Connect @fd to the listener and accept; return the server's end. */
static int connect_accept(struct __test_metadata *_metadata, int fd, int lfd,
			  const struct sockaddr_in *addr)
{
	struct timeval tv = { .tv_sec = 10 };
	int afd;

	EXPECT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr))) {
		TH_LOG("connect: %s", strerror(errno));
		return -1;
	}
	afd = accept(lfd, NULL, NULL);
	EXPECT_LE(0, afd) TH_LOG("accept: %s", strerror(errno));
	if (afd >= 0)
		setsockopt(afd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return afd;
}

static int get_int(int fd, int name)
{
	socklen_t len = sizeof(int);
	int v = -12345;

	if (getsockopt(fd, SOL_TCP, name, &v, &len))
		return -errno - 100000;
	return v;
}

/* Set @v on both sockets (same outcome) and read back the same value. */
#define ROUND_TRIP(name, v) do {					\
	int __v = (v), __x, __n;					\
									\
	SAME(setsockopt(FD, SOL_TCP, name, &__v, sizeof(__v)));		\
	__x = get_int(self->fd, name);					\
	__n = get_int(self->ref, name);					\
	EXPECT_EQ(__n, __x) TH_LOG("%s = %d: reads %d, native %d",	\
				   #name, __v, __x, __n);		\
} while (0)

static const struct {
	int name;
	const char *str;
	int vals[8];	/* tried in turn; the list ends at INT_MIN */
} int_opts[] = {
#define END	(-2147483647 - 1)
	{ TCP_NODELAY, "TCP_NODELAY", { 1, 0, 7, -1, 0, END } },
	{ TCP_CORK, "TCP_CORK", { 1, 0, 2, 0, END } },
	{ TCP_MAXSEG, "TCP_MAXSEG", { 88, 87, 32767, 32768, -1, 0, 1400, END } },
	{ TCP_KEEPIDLE, "TCP_KEEPIDLE", { 1, 0, 32767, 32768, -1, 60, END } },
	{ TCP_KEEPINTVL, "TCP_KEEPINTVL", { 1, 0, 32767, 32768, -5, 9, END } },
	{ TCP_KEEPCNT, "TCP_KEEPCNT", { 1, 0, 127, 128, -1, 4, END } },
	{ TCP_SYNCNT, "TCP_SYNCNT", { 1, 0, 127, 128, -1, 3, END } },
	{ TCP_LINGER2, "TCP_LINGER2", { 10, -1, 0, 120, 121, 100000, -7, END } },
	{ TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT", { 1, 2, 3, 4, 100, 1000000, -1, END } },
	{ TCP_WINDOW_CLAMP, "TCP_WINDOW_CLAMP", { 1, 100000, 0, -1, 5000, END } },
	{ TCP_QUICKACK, "TCP_QUICKACK", { 0, 1, 2, 0, 3, END } },
	{ TCP_USER_TIMEOUT, "TCP_USER_TIMEOUT", { 1000, -1, 0, 2147483647, END } },
	{ TCP_THIN_LINEAR_TIMEOUTS, "TCP_THIN_LINEAR_TIMEOUTS", { 1, 2, -1, 0, END } },
	{ TCP_THIN_DUPACK, "TCP_THIN_DUPACK", { 1, 2, 0, END } },
	{ TCP_SAVE_SYN, "TCP_SAVE_SYN", { 2, 3, -1, 1, END } },
	{ TCP_NOTSENT_LOWAT, "TCP_NOTSENT_LOWAT", { 1, 16384, -1, END } },
	{ TCP_INQ, "TCP_INQ", { 1, 2, 0, END } },
	{ TCP_FASTOPEN, "TCP_FASTOPEN", { 5, -1, 0, END } },
	{ TCP_FASTOPEN_NO_COOKIE, "TCP_FASTOPEN_NO_COOKIE", { 1, 2, 0, END } },
	{ TCP_REPAIR_QUEUE, "TCP_REPAIR_QUEUE", { 1, END } },
	{ TCP_QUEUE_SEQ, "TCP_QUEUE_SEQ", { 1, END } },
	{ TCP_REPAIR_OPTIONS, "TCP_REPAIR_OPTIONS", { 1, END } },
	{ TCP_TIMESTAMP, "TCP_TIMESTAMP", { 1, END } },
	{ TCP_REPAIR, "TCP_REPAIR", { 0, -1, 5, END } },
};

/*
 * Every int option on a fresh socket: the default, then each value set
 * (same result and errno as native) and read back (same value).
 */
TEST_F(opt, int_round_trip)
{
	int i, j;

	REQUIRE_SOCKET();
	for (i = 0; i < (int)(sizeof(int_opts) / sizeof(int_opts[0])); i++) {
		int name = int_opts[i].name;

		if (name != TCP_TIMESTAMP) {
			EXPECT_EQ(get_int(self->ref, name), get_int(self->fd, name))
				TH_LOG("%s default", int_opts[i].str);
		}
		for (j = 0; int_opts[i].vals[j] != END; j++) {
			if (name == TCP_TIMESTAMP) {
				int v = int_opts[i].vals[j];

				SAME(setsockopt(FD, SOL_TCP, name, &v, sizeof(v)));
				continue;
			}
			ROUND_TRIP(name, int_opts[i].vals[j]);
		}
	}
}

/* Values pinned by the 6.1 source. */
TEST_F(opt, exact_values)
{
	int v;

	REQUIRE_SOCKET();
	EXPECT_EQ(536, get_int(self->fd, TCP_MAXSEG));
	EXPECT_EQ(0, get_int(self->fd, TCP_NODELAY));
	EXPECT_EQ(sysctl_read("/proc/sys/net/ipv4/tcp_keepalive_time"),
		  get_int(self->fd, TCP_KEEPIDLE));
	EXPECT_EQ(sysctl_read("/proc/sys/net/ipv4/tcp_keepalive_intvl"),
		  get_int(self->fd, TCP_KEEPINTVL));
	EXPECT_EQ(sysctl_read("/proc/sys/net/ipv4/tcp_keepalive_probes"),
		  get_int(self->fd, TCP_KEEPCNT));
	EXPECT_EQ(sysctl_read("/proc/sys/net/ipv4/tcp_syn_retries"),
		  get_int(self->fd, TCP_SYNCNT));
	EXPECT_EQ(sysctl_read("/proc/sys/net/ipv4/tcp_fin_timeout"),
		  get_int(self->fd, TCP_LINGER2));
	EXPECT_EQ(1, get_int(self->fd, TCP_QUICKACK));
	v = 1000;
	EXPECT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_MAXSEG, &v, sizeof(v)));
	EXPECT_EQ(1000, get_int(self->fd, TCP_MAXSEG));
	/* Seconds become SYN-ACK retransmissions: 1+2+4 s covers 5 s. */
	v = 5;
	EXPECT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_DEFER_ACCEPT, &v, sizeof(v)));
	EXPECT_EQ(7, get_int(self->fd, TCP_DEFER_ACCEPT));
	v = 1;
	EXPECT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_WINDOW_CLAMP, &v, sizeof(v)));
	EXPECT_LT(1, get_int(self->fd, TCP_WINDOW_CLAMP));	/* SOCK_MIN_RCVBUF / 2 */
	v = 200;
	EXPECT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_LINGER2, &v, sizeof(v)));
	EXPECT_EQ(120, get_int(self->fd, TCP_LINGER2));
	v = 0;
	EXPECT_EQ(-1, setsockopt(self->fd, SOL_TCP, TCP_KEEPCNT, &v, sizeof(v)));
	EXPECT_EQ(EINVAL, errno);
}

/* Lengths, pointers and unknown options. */
TEST_F(opt, bad_args)
{
	void *bad = (void *)1;
	int v = 1;
	socklen_t len;

	REQUIRE_SOCKET();
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, TCP_NODELAY, &v, 3));
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, TCP_NODELAY, &v, 0));
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, TCP_NODELAY, &v, -1));
	SAME_ERR(EFAULT, setsockopt(FD, SOL_TCP, TCP_NODELAY, NULL, 4));
	SAME_ERR(EFAULT, setsockopt(FD, SOL_TCP, TCP_KEEPIDLE, bad, 4));
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, 12345, &v, 3));
	SAME_ERR(EFAULT, setsockopt(FD, SOL_TCP, 12345, NULL, 4));
	SAME_ERR(ENOPROTOOPT, setsockopt(FD, SOL_TCP, 12345, &v, 4));
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, TCP_CONGESTION, "reno", 0));
	SAME_ERR(EFAULT, setsockopt(FD, SOL_TCP, TCP_CONGESTION, bad, 4));
	SAME_ERR(ENOENT, setsockopt(FD, SOL_TCP, TCP_CONGESTION, "nosuchcc", 8));
	SAME_OK(setsockopt(FD, SOL_TCP, TCP_CONGESTION, "reno", 4));
	SAME_ERR(EINVAL, setsockopt(FD, SOL_TCP, TCP_FASTOPEN_KEY, &v, 4));
	/* EINVAL, or ENOPROTOOPT on a kernel without CONFIG_TCP_MD5SIG */
	SAME(setsockopt(FD, SOL_TCP, TCP_MD5SIG, &v, 4));
	SAME_ERR(EPERM, setsockopt(FD, SOL_TCP, TCP_REPAIR_WINDOW, &v, 4));
	SAME_ERR(EPERM, setsockopt(FD, SOL_TCP, TCP_REPAIR_QUEUE, &v, 4));

	len = 4;
	SAME_ERR(EFAULT, getsockopt(FD, SOL_TCP, TCP_NODELAY, NULL, &len));
	SAME_ERR(EFAULT, getsockopt(FD, SOL_TCP, TCP_NODELAY, &v, NULL));
	SAME_ERR(EFAULT, getsockopt(FD, SOL_TCP, TCP_NODELAY, &v, bad));
	len = -1;
	SAME_ERR(EINVAL, getsockopt(FD, SOL_TCP, TCP_NODELAY, &v, &len));
	len = 4;
	SAME_ERR(ENOPROTOOPT, getsockopt(FD, SOL_TCP, 12345, &v, &len));
	SAME_ERR(ENOPROTOOPT, getsockopt(FD, SOL_TCP, TCP_MD5SIG, &v, &len));
	SAME_ERR(EINVAL, getsockopt(FD, SOL_TCP, TCP_QUEUE_SEQ, &v, &len));
	SAME_ERR(EINVAL, getsockopt(FD, SOL_TCP, TCP_REPAIR_WINDOW, &v, &len));
	/* A short length gets the first bytes, the length says how many. */
	len = 1;
	v = 0;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_MAXSEG, &v, &len));
	EXPECT_EQ(1, (int)len);
	len = 100;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_KEEPCNT, &v, &len));
	EXPECT_EQ(4, (int)len);
	len = 0;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_ULP, &v, &len));
	len = 64;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_CC_INFO, &v, &len));
	EXPECT_EQ(0, (int)len);
}

/* TCP_CONGESTION and TCP_INFO lengths; the default algorithm is CUBIC. */
TEST_F(opt, congestion_and_info_len)
{
	char name[32], info_buf[512] __attribute__((aligned(8)));
	struct tcp_info *info = (struct tcp_info *)info_buf;
	socklen_t len, xlen;

	REQUIRE_SOCKET();
	len = sizeof(name);
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_CONGESTION, name, &len));
	EXPECT_EQ(16, (int)len);
	len = 3;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_CONGESTION, name, &len));
	EXPECT_EQ(3, (int)len);
	memset(name, 'x', sizeof(name));
	len = sizeof(name);
	EXPECT_EQ(0, getsockopt(self->fd, SOL_TCP, TCP_CONGESTION, name, &len));
	EXPECT_STREQ("cubic", name);
	/* The kernel's struct is larger than the C library's. */
	len = sizeof(info_buf);
	EXPECT_EQ(0, getsockopt(self->ref, SOL_TCP, TCP_INFO, info_buf, &len));
	xlen = sizeof(info_buf);
	EXPECT_EQ(0, getsockopt(self->fd, SOL_TCP, TCP_INFO, info_buf, &xlen));
	EXPECT_EQ(len, xlen);
	EXPECT_LE(sizeof(struct tcp_info), xlen);
	EXPECT_EQ(TCP_CLOSE, (int)info->tcpi_state);
	EXPECT_EQ(10, (int)info->tcpi_snd_cwnd);
	len = 8;
	SAME_OK(getsockopt(FD, SOL_TCP, TCP_INFO, info_buf, &len));
	EXPECT_EQ(8, (int)len);
}

/* TCP_MAXSEG before connect clamps the MSS both ends use. */
TEST_F(opt, maxseg_effect)
{
	struct tcp_info info;
	socklen_t len = sizeof(info);
	int v = 1000, afd, expect;

	REQUIRE_SOCKET();
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_MAXSEG, &v, sizeof(v)));
	/* struct tcp_info of the C library: the kernel's first 104 bytes. */
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, getsockopt(self->fd, SOL_TCP, TCP_INFO, &info, &len));
	EXPECT_EQ(TCP_ESTABLISHED, (int)info.tcpi_state);
	expect = info.tcpi_options & TCPI_OPT_TIMESTAMPS ? 1000 - 12 : 1000;
	EXPECT_EQ(expect, (int)info.tcpi_snd_mss);
	EXPECT_EQ(expect, get_int(self->fd, TCP_MAXSEG));
	EXPECT_EQ(expect, (int)info.tcpi_advmss);
	/* The peer saw 1000 in our SYN. */
	EXPECT_EQ(expect, get_int(afd, TCP_MAXSEG));
	close(afd);
}

static int outq_unsent(int fd)
{
	int n = -1;

	if (ioctl(fd, SIOCOUTQNSD, &n))
		return -1;
	return n;
}

/* Every segment on lo waits 300 ms: no ACK can come back in between. */
static bool slow_lo(void)
{
	sysctl_write("/proc/sys/net/ipv4/tcp_autocorking", "0");
	return !sh("tc qdisc add dev lo root netem delay 300ms");
}

/*
 * Nagle: with one small segment unacknowledged, further small writes wait;
 * TCP_NODELAY sends them at once, and setting it pushes what waits.
 */
TEST_F(opt, nagle)
{
	char buf[64] = "x";
	int v = 1, afd, i;
	ssize_t got = 0, n;

	REQUIRE_SOCKET();
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	if (!slow_lo())
		SKIP(goto out, "no netem");
	ASSERT_EQ(1, send(self->fd, buf, 1, 0));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(1, send(self->fd, buf, 1, 0));
	EXPECT_EQ(5, outq_unsent(self->fd));
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_NODELAY, &v, sizeof(v)));
	EXPECT_EQ(0, outq_unsent(self->fd));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(1, send(self->fd, buf, 1, 0));
	EXPECT_EQ(0, outq_unsent(self->fd));
	while (got < 11 && (n = recv(afd, buf, sizeof(buf), 0)) > 0)
		got += n;
	EXPECT_EQ(11, got);
out:
	close(afd);
}

/* TCP_CORK holds a partial segment even with nothing in flight. */
TEST_F(opt, cork)
{
	char buf[100] = { 0 };
	int v = 1, afd;
	ssize_t got = 0, n;

	REQUIRE_SOCKET();
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	if (!slow_lo())
		SKIP(goto out, "no netem");
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_CORK, &v, sizeof(v)));
	ASSERT_EQ(100, send(self->fd, buf, 100, 0));
	EXPECT_EQ(100, outq_unsent(self->fd));
	v = 0;
	ASSERT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_CORK, &v, sizeof(v)));
	EXPECT_EQ(0, outq_unsent(self->fd));
	while (got < 100 && (n = recv(afd, buf, sizeof(buf), 0)) > 0)
		got += n;
	EXPECT_EQ(100, got);
out:
	close(afd);
}

static void keepalive_on(struct __test_metadata *_metadata, int fd)
{
	int one = 1, two = 2;

	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_KEEPINTVL, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(fd, SOL_TCP, TCP_KEEPCNT, &two, sizeof(two)));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)));
}

/* Answered probes keep an idle connection up. */
TEST_F_TIMEOUT(opt, keepalive_answered, 60)
{
	struct tcp_info info;
	socklen_t len = sizeof(info);
	char c = 'k';
	int afd;

	REQUIRE_SOCKET();
	keepalive_on(_metadata, self->fd);
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	sleep(5);	/* idle 1 s, then a probe a second, each answered */
	ASSERT_EQ(0, getsockopt(self->fd, SOL_TCP, TCP_INFO, &info, &len));
	EXPECT_EQ(TCP_ESTABLISHED, (int)info.tcpi_state);
	EXPECT_EQ(0, get_int(self->fd, TCP_USER_TIMEOUT));
	EXPECT_EQ(1, send(self->fd, &c, 1, 0));
	EXPECT_EQ(1, recv(afd, &c, 1, 0));
	close(afd);
}

/* Unanswered probes: ETIMEDOUT after idle + KEEPCNT * KEEPINTVL. */
TEST_F_TIMEOUT(opt, keepalive_timeout, 60)
{
	double start, took;
	char c;
	int afd;
	ssize_t n;

	REQUIRE_SOCKET();
	keepalive_on(_metadata, self->fd);
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	if (sh("tc qdisc add dev lo root netem loss 100%%"))
		SKIP(goto out, "no netem");
	start = now_s();
	n = recv(self->fd, &c, 1, 0);
	took = now_s() - start;
	EXPECT_EQ(-1, n);
	EXPECT_EQ(ETIMEDOUT, errno) TH_LOG("recv: %s", strerror(errno));
	/* 1 s idle, two probes 1 s apart, the third interval ends it. */
	EXPECT_LT(2.0, took);
	EXPECT_GT(6.0, took) TH_LOG("took %.1f s", took);
	{
		struct tcp_info info;
		socklen_t len = sizeof(info);

		EXPECT_EQ(0, getsockopt(self->fd, SOL_TCP, TCP_INFO, &info, &len));
		EXPECT_EQ(TCP_CLOSE, (int)info.tcpi_state);
	}
out:
	close(afd);
}

/* The algorithm's name, or "errno N" when getsockopt() fails. */
static const char *cc_name(int fd, char *buf, size_t size)
{
	socklen_t len = size;

	memset(buf, 0, size);
	if (getsockopt(fd, SOL_TCP, TCP_CONGESTION, buf, &len))
		snprintf(buf, size, "errno %d", errno);
	return buf;
}

/* Both sockets use the same algorithm, and it is @want. */
#define SAME_CC(want) do {						\
	char __x[16], __n[16];						\
									\
	EXPECT_STREQ(cc_name(self->ref, __n, sizeof(__n)),		\
		     cc_name(self->fd, __x, sizeof(__x)));		\
	EXPECT_STREQ(want, __x);					\
} while (0)

#define SET_CC(s) setsockopt(FD, SOL_TCP, TCP_CONGESTION, s, strlen(s))

/* TCP_CONGESTION selects per socket, before and after connect. */
TEST_F(opt, congestion_select)
{
	int afd;

	REQUIRE_SOCKET();
	SAME_CC("cubic");
	SAME_OK(SET_CC("reno"));
	SAME_CC("reno");
	SAME_OK(SET_CC("cubic"));
	SAME_CC("cubic");
	SAME_OK(SET_CC("cubic"));	/* the same again */
	/* Unknown: ENOENT, the choice stays. */
	SAME_ERR(ENOENT, SET_CC("nosuch"));
	SAME_ERR(ENOENT, SET_CC("Reno"));
	SAME_ERR(ENOENT, SET_CC("renoreno"));
	SAME_CC("cubic");
	/* The name is what fits in optlen... */
	SAME_OK(setsockopt(FD, SOL_TCP, TCP_CONGESTION, "renoXYZ", 4));
	SAME_CC("reno");
	/* ...up to its first NUL. */
	SAME_OK(setsockopt(FD, SOL_TCP, TCP_CONGESTION, "cubic\0xyz", 9));
	SAME_CC("cubic");

	/* On a connection in progress. */
	afd = connect_accept(_metadata, self->fd, self->lfd, &self->addr);
	ASSERT_LE(0, afd);
	EXPECT_EQ(0, setsockopt(self->fd, SOL_TCP, TCP_CONGESTION, "reno", 4));
	EXPECT_EQ(0, setsockopt(self->ref, SOL_TCP, TCP_CONGESTION, "reno", 4));
	SAME_CC("reno");
	EXPECT_EQ(3, write(self->fd, "abc", 3));
	close(afd);
}

#define NATIVE_CC_SYSCTL "/proc/sys/net/ipv4/tcp_congestion_control"
#define XTCP_CC_SYSCTL "/proc/sys/net/xtcp/congestion_control"

/* Write @val to a sysctl; 0 or the errno. */
static int sysctl_set(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

static void sysctl_get(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (f) {
		if (!fgets(buf, size, f))
			buf[0] = 0;
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = 0;
}

/* A listener on 127.0.0.1 of @proto with algorithm @cc (NULL: default). */
static int cc_listener(int proto, const char *cc, struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		return -1;
	*addr = sin_of("127.0.0.1", 0);
	if ((cc && setsockopt(fd, SOL_TCP, TCP_CONGESTION, cc, strlen(cc))) ||
	    bind_in(fd, addr) || listen(fd, 4) ||
	    getsockname(fd, (struct sockaddr *)addr, &len)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Connect a native client to @lfd; the accepted socket's algorithm. */
static const char *cc_child(int lfd, const struct sockaddr_in *addr,
			    char *buf, size_t size)
{
	int c = socket(AF_INET, SOCK_STREAM, 0), a = -1;

	snprintf(buf, size, "no connection");
	if (c >= 0 && !connect_in(c, addr) && wait_for(lfd, POLLIN, 10000) > 0)
		a = accept(lfd, NULL, NULL);
	if (a >= 0) {
		cc_name(a, buf, size);
		close(a);
	}
	if (c >= 0)
		close(c);
	return buf;
}

/*
 * The namespace's default (net.ipv4.tcp_congestion_control for native
 * TCP, net.xtcp.congestion_control for xtcp): read, refused for an unknown
 * name, used by sockets made after a change; accepted sockets take their
 * listener's choice if it was set with TCP_CONGESTION, else the default of
 * the moment (tcp_ca_openreq_child()).
 */
TEST_F(opt, congestion_default_and_children)
{
	const char *path = variant->is_xtcp ? XTCP_CC_SYSCTL : NATIVE_CC_SYSCTL;
	struct sockaddr_in a_reno, a_cubic, a_dflt;
	int l_reno, l_cubic, l_dflt, fd;
	char buf[32];

	REQUIRE_SOCKET();
	sysctl_get(path, buf, sizeof(buf));
	EXPECT_STREQ("cubic", buf);
	EXPECT_EQ(ENOENT, sysctl_set(path, "nosuch"));
	sysctl_get(path, buf, sizeof(buf));
	EXPECT_STREQ("cubic", buf);

	l_reno = cc_listener(self->proto, "reno", &a_reno);
	l_cubic = cc_listener(self->proto, "cubic", &a_cubic);
	l_dflt = cc_listener(self->proto, NULL, &a_dflt);
	ASSERT_LE(0, l_reno);
	ASSERT_LE(0, l_cubic);
	ASSERT_LE(0, l_dflt);
	EXPECT_STREQ("reno", cc_child(l_reno, &a_reno, buf, sizeof(buf)));
	EXPECT_STREQ("cubic", cc_child(l_dflt, &a_dflt, buf, sizeof(buf)));

	/* Only sockets made from now on, and children of l_dflt, change. */
	ASSERT_EQ(0, sysctl_set(path, "reno"));
	sysctl_get(path, buf, sizeof(buf));
	EXPECT_STREQ("reno", buf);
	EXPECT_STREQ("cubic", cc_name(self->fd, buf, sizeof(buf)));
	EXPECT_STREQ("cubic", cc_name(l_dflt, buf, sizeof(buf)));
	fd = socket(AF_INET, SOCK_STREAM, self->proto);
	ASSERT_LE(0, fd);
	EXPECT_STREQ("reno", cc_name(fd, buf, sizeof(buf)));
	close(fd);
	EXPECT_STREQ("reno", cc_child(l_dflt, &a_dflt, buf, sizeof(buf)));
	EXPECT_STREQ("cubic", cc_child(l_cubic, &a_cubic, buf, sizeof(buf)));
	EXPECT_STREQ("reno", cc_child(l_reno, &a_reno, buf, sizeof(buf)));
	EXPECT_EQ(0, sysctl_set(path, "cubic"));
	close(l_reno);
	close(l_cubic);
	close(l_dflt);
}

TEST_HARNESS_MAIN
