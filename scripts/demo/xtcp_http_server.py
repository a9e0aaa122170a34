#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Serve a directory over HTTP from an xtcp listening socket.

usage: xtcp_http_server.py ADDR PORT DIR [PROTOCOL]

Python's http.server, except that the listening socket is created with
xtcp's protocol number (253 unless given), so every connection it accepts
is served by xtcp while the clients are plain TCP programs.
"""
import functools
import http.server
import socket
import sys


def main():
    addr, port, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    proto = int(sys.argv[4]) if len(sys.argv) > 4 else 253
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=root)
    srv = http.server.ThreadingHTTPServer((addr, port), handler,
                                          bind_and_activate=False)
    srv.socket.close()
    srv.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    srv.server_bind()
    srv.server_activate()
    srv.serve_forever()


if __name__ == "__main__":
    main()
