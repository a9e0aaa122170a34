// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_hello: open an xtcp socket the way any program would and print what
 * it is, then what /proc/net/xtcp reports while it is open.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/xtcp.h>

static int read_protocol(void)
{
	FILE *f = fopen(XTCP_PROTOCOL_PARAM, "r");
	int proto = IPPROTO_XTCP;

	if (f) {
		if (fscanf(f, "%d", &proto) != 1)
			proto = IPPROTO_XTCP;
		fclose(f);
	}
	return proto;
}

static int getint(int fd, int level, int name)
{
	socklen_t len = sizeof(int);
	int val = -1;

	getsockopt(fd, level, name, &val, &len);
	return val;
}

int main(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int proto = read_protocol();
	char line[256];
	socklen_t len;
	FILE *f;
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, proto);
	if (fd < 0) {
		fprintf(stderr, "socket(AF_INET, SOCK_STREAM, %d): %s\n", proto,
			strerror(errno));
		return 1;
	}
	printf("socket(AF_INET, SOCK_STREAM, %d) = fd %d\n", proto, fd);
	printf("  SO_PROTOCOL = %d, SO_TYPE = %d (SOCK_STREAM), SO_DOMAIN = %d (AF_INET)\n",
	       getint(fd, SOL_SOCKET, SO_PROTOCOL), getint(fd, SOL_SOCKET, SO_TYPE),
	       getint(fd, SOL_SOCKET, SO_DOMAIN));
	printf("  SO_SNDBUF = %d, SO_RCVBUF = %d, IP_TTL = %d\n",
	       getint(fd, SOL_SOCKET, SO_SNDBUF), getint(fd, SOL_SOCKET, SO_RCVBUF),
	       getint(fd, IPPROTO_IP, IP_TTL));
	len = sizeof(sin);
	if (getpeername(fd, (struct sockaddr *)&sin, &len))
		printf("  getpeername: %s (not connected, as native TCP says)\n",
		       strerror(errno));

	printf("/proc/net/xtcp while it is open:\n");
	f = fopen("/proc/net/xtcp", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("  %s", line);
	if (f)
		fclose(f);
	close(fd);
	printf("closed fd %d\n", fd);
	return 0;
}
