// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_bench: a small netperf-like load generator for comparing xtcp with
 * native TCP. The same binary is the server and the client; --proto picks
 * the protocol of every socket it opens (0 native TCP, 253 xtcp), so both
 * ends of a run use the same stack.
 *
 *   xtcp_bench server --proto N --addr A --port P [--ready FILE]
 *   xtcp_bench bulk   --proto N --addr A --port P --streams S --seconds D
 *   xtcp_bench crr    --proto N --addr A --port P --seconds D
 *   xtcp_bench rr     --proto N --addr A --port P --seconds D
 *   xtcp_bench idle   --proto N --addr A --port P --conns C [--ready FILE]
 *
 * A client prints one JSON line (with "error" when something failed) and
 * exits non-zero on failure or when it does not finish in time (--timeout).
 *
 * The first byte a client sends says what the server does with the
 * connection: 'B' (bulk) is followed by the window in milliseconds; the
 * server counts the bytes it receives within that window from the first one
 * and sends back the count, then drains until EOF. 'C' (connect/request/
 * response) is answered with one byte, then the server closes (so TIME_WAIT
 * stays on the server and does not use up the client's ephemeral ports).
 * Anything else is echoed byte for byte ('R' ping-pong, 'I' idle).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF_SIZE	(128 * 1024)
#define MAX_STREAMS	64
#define NOFILE		(1 << 17)

struct opts {
	const char	*mode;
	const char	*ready;
	struct sockaddr_in addr;
	int		proto;
	int		streams;
	int		conns;
	double		seconds;
	int		timeout;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static struct opts o = {
	.streams = 1, .conns = 100, .seconds = 10, .addr.sin_family = AF_INET,
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* One JSON line for a failure, then exit: the report shows "error". */
static void fail(const char *what)
{
	printf("{\"mode\": \"%s\", \"proto\": %d, \"error\": \"%s: %s\"}\n",
	       o.mode, o.proto, what, strerror(errno));
	fflush(stdout);
	exit(1);
}

static void on_alarm(int sig)
{
	char buf[160];
	int n;

	(void)sig;
	n = snprintf(buf, sizeof(buf),
		     "{\"mode\": \"%s\", \"proto\": %d, \"error\": \"timeout after %d s\"}\n",
		     o.mode, o.proto, o.timeout);
	if (write(1, buf, n) < 0)
		_exit(3);
	_exit(2);
}

/* 10,000 idle connections need more descriptors than the default 1024. */
static void raise_nofile(void)
{
	struct rlimit rl = { NOFILE, NOFILE };

	if (!setrlimit(RLIMIT_NOFILE, &rl))
		return;
	/* Not root: as many as allowed, never beyond the server's table. */
	if (getrlimit(RLIMIT_NOFILE, &rl))
		fail("getrlimit");
	if (rl.rlim_max > NOFILE)
		rl.rlim_max = NOFILE;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		fail("setrlimit(RLIMIT_NOFILE)");
}

static void write_ready(const char *text)
{
	FILE *f;

	if (!o.ready)
		return;
	f = fopen(o.ready, "w");
	if (!f)
		fail("ready file");
	fputs(text, f);
	fclose(f);
}

static void set_nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		fail("TCP_NODELAY");
}

static int connect_one(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, o.proto);

	if (fd < 0)
		fail("socket");
	if (connect(fd, (struct sockaddr *)&o.addr, sizeof(o.addr)))
		fail("connect");
	return fd;
}

static void write_all(int fd, const void *buf, size_t len, const char *what)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			fail(what);
		p += n;
		len -= n;
	}
}

static void read_all(int fd, void *buf, size_t len, const char *what)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			errno = ECONNRESET;
		if (n <= 0)
			fail(what);
		p += n;
		len -= n;
	}
}

/* ---- server ---- */

enum conn_kind { CONN_NEW, CONN_SINK, CONN_ECHO };

struct conn {
	enum conn_kind	kind;
	int		hdr_len;
	unsigned char	hdr[5];
	int		reported;
	uint64_t	start;
	uint64_t	deadline;
	uint64_t	bytes;
};

static struct conn *conns;
/* Bulk connections whose window is still open: the server wakes for them. */
static int sinks[MAX_STREAMS * 4], nsinks;

static void sink_forget(int fd)
{
	int i;

	for (i = 0; i < nsinks; i++)
		if (sinks[i] == fd)
			sinks[i--] = sinks[--nsinks];
}

static void sink_report(int fd, struct conn *c)
{
	uint64_t res[2] = { htobe64(c->bytes), htobe64(c->deadline - c->start) };

	/* The send queue is empty: the server never sent on this socket. */
	if (write(fd, res, sizeof(res)) != sizeof(res))
		fprintf(stderr, "xtcp_bench: result write: %s\n", strerror(errno));
	c->reported = 1;
	sink_forget(fd);
}

static void conn_close(int ep, int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	sink_forget(fd);
	close(fd);
	conns[fd].kind = CONN_NEW;
}

/* Data on a connection; returns false when it was closed. */
static int conn_readable(int ep, int fd, char *buf)
{
	struct conn *c = &conns[fd];
	uint64_t t;
	ssize_t n;
	int i;

	n = read(fd, buf, BUF_SIZE);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0) {
		conn_close(ep, fd);
		return 0;
	}
	t = now_ns();
	i = 0;
	if (c->kind == CONN_NEW) {
		switch (buf[0]) {
		case 'B':
			while (c->hdr_len < 5 && i < n)
				c->hdr[c->hdr_len++] = buf[i++];
			if (c->hdr_len < 5)
				return 1;
			if (nsinks == MAX_STREAMS * 4) {
				conn_close(ep, fd);
				return 0;
			}
			sinks[nsinks++] = fd;
			c->kind = CONN_SINK;
			c->start = t;
			c->deadline = t + 1000000ull *
				((uint32_t)c->hdr[1] << 24 | c->hdr[2] << 16 |
				 c->hdr[3] << 8 | c->hdr[4]);
			break;
		case 'C':
			if (write(fd, buf, 1) != 1)
				fprintf(stderr, "xtcp_bench: crr write: %s\n",
					strerror(errno));
			conn_close(ep, fd);
			return 0;
		default:
			c->kind = CONN_ECHO;
		}
	}
	if (c->kind == CONN_SINK) {
		if (t <= c->deadline)
			c->bytes += n - i;
		else if (!c->reported)
			sink_report(fd, c);
	} else if (write(fd, buf, n) != n) {
		fprintf(stderr, "xtcp_bench: echo write: %s\n", strerror(errno));
	}
	return 1;
}

static void serve(void)
{
	struct epoll_event ev, evs[256];
	int lfd, ep, one = 1, i, n, fd;
	char *buf = malloc(BUF_SIZE);
	uint64_t t, next;
	int timeout;

	conns = calloc(NOFILE, sizeof(*conns));
	if (!buf || !conns)
		fail("malloc");
	lfd = socket(AF_INET, SOCK_STREAM, o.proto);
	if (lfd < 0)
		fail("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&o.addr, sizeof(o.addr)))
		fail("bind");
	if (listen(lfd, 65535))
		fail("listen");
	ep = epoll_create1(0);
	if (ep < 0)
		fail("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		fail("epoll_ctl");
	write_ready("listening\n");

	for (;;) {
		/* Wake up for the next bulk window that ends. */
		t = now_ns();
		next = UINT64_MAX;
		timeout = -1;
		for (i = nsinks - 1; i >= 0; i--) {
			struct conn *c = &conns[sinks[i]];

			if (c->deadline <= t)
				sink_report(sinks[i], c);
			else if (c->deadline < next)
				next = c->deadline;
		}
		if (next != UINT64_MAX)
			timeout = (next - t) / 1000000 + 1;

		n = epoll_wait(ep, evs, 256, timeout);
		if (stop)
			return;
		if (n < 0 && errno != EINTR)
			fail("epoll_wait");
		for (i = 0; i < n; i++) {
			fd = evs[i].data.fd;
			if (fd != lfd) {
				conn_readable(ep, fd, buf);
				continue;
			}
			fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
			if (fd < 0) {
				if (errno != EAGAIN && errno != ECONNABORTED)
					fprintf(stderr, "xtcp_bench: accept: %s\n",
						strerror(errno));
				continue;
			}
			memset(&conns[fd], 0, sizeof(conns[fd]));
			set_nodelay(fd);
			ev.events = EPOLLIN;
			ev.data.fd = fd;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
				fail("epoll_ctl");
		}
	}
}

/* ---- bulk ---- */

struct stream {
	pthread_t	thread;
	uint64_t	bytes;		/* received within the window */
	uint64_t	window_ns;
	uint64_t	sent;
};

static void *bulk_stream(void *arg)
{
	uint32_t ms = htonl((uint32_t)(o.seconds * 1000));
	unsigned char hdr[5] = { 'B' }, res[16];
	struct stream *s = arg;
	struct pollfd pfd;
	size_t got = 0;
	uint64_t v[2];
	char *buf;
	ssize_t n;
	int fd;

	buf = calloc(1, BUF_SIZE);
	if (!buf)
		fail("malloc");
	fd = connect_one();
	memcpy(hdr + 1, &ms, 4);
	write_all(fd, hdr, sizeof(hdr), "write");
	if (fcntl(fd, F_SETFL, O_NONBLOCK))
		fail("fcntl");
	pfd.fd = fd;
	/* Send until the receiver reports its window is over. */
	while (got < sizeof(res)) {
		pfd.events = POLLIN | POLLOUT;
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll");
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, res + got, sizeof(res) - got);
			if (n == 0)
				errno = ECONNRESET;
			if (n <= 0 && errno != EAGAIN)
				fail("read result");
			if (n > 0)
				got += n;
			continue;
		}
		if (pfd.revents & POLLOUT) {
			n = write(fd, buf, 64 * 1024);
			if (n < 0 && errno != EAGAIN)
				fail("write");
			if (n > 0)
				s->sent += n;
		}
	}
	memcpy(v, res, sizeof(v));
	s->bytes = be64toh(v[0]);
	s->window_ns = be64toh(v[1]);
	shutdown(fd, SHUT_WR);
	/* Wait for the server to drain and close. */
	pfd.events = POLLIN;
	while (poll(&pfd, 1, -1) >= 0) {
		n = read(fd, buf, BUF_SIZE);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
	}
	close(fd);
	free(buf);
	return NULL;
}

static void bulk(void)
{
	struct stream s[MAX_STREAMS] = {};
	double goodput = 0;
	uint64_t bytes = 0;
	int i;

	if (o.streams < 1 || o.streams > MAX_STREAMS) {
		errno = EINVAL;
		fail("--streams");
	}
	for (i = 0; i < o.streams; i++)
		if (pthread_create(&s[i].thread, NULL, bulk_stream, &s[i]))
			fail("pthread_create");
	for (i = 0; i < o.streams; i++) {
		pthread_join(s[i].thread, NULL);
		bytes += s[i].bytes;
		if (s[i].window_ns)
			goodput += s[i].bytes * 1e9 / s[i].window_ns;
	}
	printf("{\"mode\": \"bulk\", \"proto\": %d, \"streams\": %d, \"seconds\": %g, "
	       "\"bytes\": %llu, \"goodput_Bps\": %.0f, \"value\": %.0f}\n",
	       o.proto, o.streams, o.seconds, (unsigned long long)bytes,
	       goodput, goodput);
}

/* ---- crr ---- */

static void crr(void)
{
	uint64_t start = now_ns(), end, n = 0;
	char c = 'C';
	int fd;

	end = start + (uint64_t)(o.seconds * 1e9);
	while (now_ns() < end) {
		fd = connect_one();
		write_all(fd, &c, 1, "write");
		read_all(fd, &c, 1, "read");
		/* The server closes first; wait for its FIN. */
		if (read(fd, &c, 1) != 0) {
			errno = EPROTO;
			fail("expected EOF");
		}
		close(fd);
		n++;
	}
	end = now_ns();
	printf("{\"mode\": \"crr\", \"proto\": %d, \"seconds\": %g, \"transactions\": %llu, "
	       "\"value\": %.1f}\n", o.proto, o.seconds, (unsigned long long)n,
	       n * 1e9 / (end - start));
}

/* ---- rr ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void rr(void)
{
	uint64_t start, end, t, n = 0, cap = 1 << 16;
	uint32_t *lat = malloc(cap * sizeof(*lat));
	char c = 'R';
	int fd;

	if (!lat)
		fail("malloc");
	fd = connect_one();
	set_nodelay(fd);
	start = now_ns();
	end = start + (uint64_t)(o.seconds * 1e9);
	for (t = start; t < end; n++) {
		uint64_t t0 = t;

		write_all(fd, &c, 1, "write");
		read_all(fd, &c, 1, "read");
		if (n == cap) {
			cap *= 2;
			lat = realloc(lat, cap * sizeof(*lat));
			if (!lat)
				fail("realloc");
		}
		t = now_ns();
		lat[n] = (t - t0) / 1000;
	}
	close(fd);
	qsort(lat, n, sizeof(*lat), cmp_u32);
	printf("{\"mode\": \"rr\", \"proto\": %d, \"seconds\": %g, \"transactions\": %llu, "
	       "\"value\": %.1f, \"p50_us\": %u, \"p99_us\": %u}\n", o.proto,
	       o.seconds, (unsigned long long)n, n * 1e9 / (t - start),
	       n ? lat[n / 2] : 0, n ? lat[n * 99 / 100] : 0);
}

/* ---- idle ---- */

static void idle(void)
{
	struct linger lg = { 1, 0 };
	uint64_t start = now_ns();
	char c = 'I', line[64], what[64];
	int *fds, i;

	fds = calloc(o.conns, sizeof(*fds));
	if (!fds)
		fail("calloc");
	for (i = 0; i < o.conns; i++) {
		fds[i] = connect_one();
		/* Closed with a reset: no TIME_WAIT left to skew what follows. */
		if (setsockopt(fds[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
			fail("SO_LINGER");
		snprintf(what, sizeof(what), "write (connection %d)", i + 1);
		write_all(fds[i], &c, 1, what);
		/* Progress on stderr: how the cost of a connect grows. */
		if ((i + 1) % 1000 == 0)
			fprintf(stderr, "idle: %d connected after %.2f s\n", i + 1,
				(now_ns() - start) / 1e9);
	}
	/* The echo proves the server accepted every connection. */
	for (i = 0; i < o.conns; i++) {
		snprintf(what, sizeof(what), "read echo (connection %d)", i + 1);
		read_all(fds[i], &c, 1, what);
	}
	alarm(0);
	printf("{\"mode\": \"idle\", \"proto\": %d, \"conns\": %d, \"open_s\": %.2f}\n",
	       o.proto, o.conns, (now_ns() - start) / 1e9);
	fflush(stdout);
	snprintf(line, sizeof(line), "%d\n", o.conns);
	write_ready(line);
	while (!stop)
		pause();
	for (i = 0; i < o.conns; i++)
		close(fds[i]);
}

static void usage(void)
{
	fprintf(stderr, "usage: xtcp_bench server|bulk|crr|rr|idle --proto N --addr A "
		"--port P [--streams S] [--seconds D] [--conns C] [--ready FILE] "
		"[--timeout SEC]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = {};
	int i;

	if (argc < 2)
		usage();
	o.mode = argv[1];
	for (i = 2; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "--proto"))
			o.proto = atoi(v);
		else if (!strcmp(k, "--addr"))
			inet_pton(AF_INET, v, &o.addr.sin_addr);
		else if (!strcmp(k, "--port"))
			o.addr.sin_port = htons(atoi(v));
		else if (!strcmp(k, "--streams"))
			o.streams = atoi(v);
		else if (!strcmp(k, "--seconds"))
			o.seconds = atof(v);
		else if (!strcmp(k, "--conns"))
			o.conns = atoi(v);
		else if (!strcmp(k, "--ready"))
			o.ready = v;
		else if (!strcmp(k, "--timeout"))
			o.timeout = atoi(v);
		else
			usage();
	}
	if (i != argc)
		usage();
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (!strcmp(o.mode, "server")) {
		serve();
		return 0;
	}
	/* A client that hangs says so instead of stalling the benchmark. */
	if (!o.timeout)
		o.timeout = 2 * o.seconds + 120;
	signal(SIGALRM, on_alarm);
	alarm(o.timeout);
	if (!strcmp(o.mode, "bulk"))
		bulk();
	else if (!strcmp(o.mode, "crr"))
		crr();
	else if (!strcmp(o.mode, "rr"))
		rr();
	else if (!strcmp(o.mode, "idle"))
		idle();
	else
		usage();
	return 0;
}
