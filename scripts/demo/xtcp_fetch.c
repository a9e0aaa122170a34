// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_fetch: fetch a URL path over HTTP/1.0 through an xtcp socket and write
 * the body to a file, the way any program would use xtcp:
 *   xtcp_fetch ADDR PORT PATH OUTFILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <linux/xtcp.h>

static int xtcp_protocol(void)
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

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	size_t have = 0, body = 0;
	char buf[65536], *hdr_end;
	int fd, header_done = 0;
	FILE *out;
	ssize_t n;

	if (argc != 5) {
		fprintf(stderr, "usage: %s ADDR PORT PATH OUTFILE\n", argv[0]);
		return 2;
	}
	sin.sin_port = htons(atoi(argv[2]));
	if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "bad address %s\n", argv[1]);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, xtcp_protocol());
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		perror("xtcp socket/connect");
		return 1;
	}
	n = snprintf(buf, sizeof(buf), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n",
		     argv[3], argv[1]);
	if (send(fd, buf, n, 0) != n) {
		perror("send");
		return 1;
	}
	out = fopen(argv[4], "w");
	if (!out) {
		perror(argv[4]);
		return 1;
	}
	while ((n = recv(fd, buf + have, sizeof(buf) - have, 0)) > 0) {
		have += n;
		if (!header_done) {
			hdr_end = memmem(buf, have, "\r\n\r\n", 4);
			if (!hdr_end) {
				if (have == sizeof(buf))
					break;
				continue;
			}
			fwrite(buf, 1, hdr_end - buf + 2, stderr);
			header_done = 1;
			have -= hdr_end + 4 - buf;
			memmove(buf, hdr_end + 4, have);
		}
		fwrite(buf, 1, have, out);
		body += have;
		have = 0;
	}
	if (n < 0)
		perror("recv");
	fclose(out);
	close(fd);
	printf("fetched %zu bytes over xtcp into %s\n", body, argv[4]);
	return n < 0 || !header_done;
}
