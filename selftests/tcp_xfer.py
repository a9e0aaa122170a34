#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Move bytes over one TCP connection and print what arrived.

  tcp_xfer.py server ADDR PORT [--proto N]   accept once, read to EOF,
                                             print "<bytes> <sha256>"
  tcp_xfer.py client ADDR PORT BYTES [--proto N]
                                             send BYTES pseudo-random bytes,
                                             print "<bytes> <sha256>"
--proto picks the socket's protocol: 0 is native TCP, 253 is xtcp.
"""
import argparse
import hashlib
import random
import socket
import sys


def server(args):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.addr, args.port))
    ls.listen(1)
    ls.settimeout(args.timeout)
    conn, _ = ls.accept()
    conn.settimeout(args.timeout)
    digest, total = hashlib.sha256(), 0
    while True:
        chunk = conn.recv(1 << 16)
        if not chunk:
            break
        digest.update(chunk)
        total += len(chunk)
    conn.close()
    ls.close()
    print(total, digest.hexdigest())


def client(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
    s.settimeout(args.timeout)
    s.connect((args.addr, args.port))
    rng = random.Random(args.seed)
    digest, left = hashlib.sha256(), args.bytes
    while left:
        chunk = rng.randbytes(min(left, 1 << 16))
        s.sendall(chunk)
        digest.update(chunk)
        left -= len(chunk)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()
    print(args.bytes, digest.hexdigest())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client"])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("bytes", type=int, nargs="?", default=0)
    p.add_argument("--proto", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args()
    (server if args.role == "server" else client)(args)


if __name__ == "__main__":
    sys.exit(main())
