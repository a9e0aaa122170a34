#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Move bytes over one TCP connection and print what crossed it.

  tcp_xfer.py server ADDR PORT [--send N] [--proto P] [--count C]
      accept one connection (C in turn with --count, 0: until killed);
      without --send read to EOF, with --send write N pseudo-random bytes
      and close; print "<bytes> <sha256>" for each
  tcp_xfer.py client ADDR PORT [N] [--download] [--proto P]
                [--sendfile | --splice]
      connect; send N pseudo-random bytes, or with --download read to EOF;
      print "<bytes> <sha256>". --sendfile and --splice write the bytes to
      a file first and send it with sendfile(2), or splice(2) through a pipe

  tcp_xfer.py clients
      one client after another, each read from a line of stdin,
      "PROTO ADDR PORT BYTES [SNDBUF]", its result printed as a line
      ("error <reason>" if it failed): no process to start per transfer

--proto picks the socket's protocol: 0 is native TCP, 253 is xtcp. Both
sides print the same line when every byte arrived intact. --rcvbuf and
--sndbuf set SO_RCVBUF and SO_SNDBUF before connect() or listen();
--rcvbuf-log FILE makes a server append each connection's last SO_RCVBUF
to FILE.
"""
import argparse
import hashlib
import os
import random
import select
import socket
import sys
import tempfile


def send_stream(sock, nbytes, seed):
    rng = random.Random(seed)
    digest, left = hashlib.sha256(), nbytes
    while left:
        chunk = rng.randbytes(min(left, 1 << 16))
        sock.sendall(chunk)
        digest.update(chunk)
        left -= len(chunk)
    return nbytes, digest.hexdigest()


def recv_stream(sock):
    digest, total = hashlib.sha256(), 0
    while True:
        chunk = sock.recv(1 << 16)
        if not chunk:
            return total, digest.hexdigest()
        digest.update(chunk)
        total += len(chunk)


def set_bufs(sock, args):
    if args.rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, args.rcvbuf)
    if args.sndbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, args.sndbuf)


def print_line(fields):
    """One line in one write: a reader polling the file never sees half."""
    sys.stdout.write(" ".join(str(f) for f in fields) + "\n")
    sys.stdout.flush()


def retry(sock, call):
    """A socket with a timeout is non-blocking: wait for room, as sendall()."""
    while True:
        try:
            return call()
        except BlockingIOError:
            if not select.select([], [sock], [], sock.gettimeout())[1]:
                raise TimeoutError("no room in the send buffer")


def send_file(sock, nbytes, seed, how):
    """Send the stream of send_stream() from a file, by sendfile or splice."""
    rng = random.Random(seed)
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as f:
        left = nbytes
        while left:
            chunk = rng.randbytes(min(left, 1 << 16))
            f.write(chunk)
            digest.update(chunk)
            left -= len(chunk)
        f.flush()
        fd, off = f.fileno(), 0
        if how == "sendfile":
            while off < nbytes:
                n = retry(sock, lambda: os.sendfile(sock.fileno(), fd, off,
                                                    nbytes - off))
                if not n:
                    raise OSError("sendfile sent nothing")
                off += n
        else:
            rd, wr = os.pipe()
            try:
                while off < nbytes:
                    n = os.splice(fd, wr, min(nbytes - off, 1 << 16),
                                  offset_src=off)
                    off += n
                    while n:
                        n -= retry(sock, lambda: os.splice(rd, sock.fileno(),
                                                           n))
            finally:
                os.close(rd)
                os.close(wr)
    return nbytes, digest.hexdigest()


def server(args):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    set_bufs(ls, args)
    ls.bind((args.addr, args.port))
    ls.listen(1)
    if args.ready:
        open(args.ready, "w").write("ready\n")
    if args.count == 1:
        ls.settimeout(args.timeout)
        result = serve_one(ls, args)
        ls.close()
        return result
    # Several connections in turn: one line each, whatever became of it.
    n = 0
    while args.count == 0 or n < args.count:
        try:
            result = serve_one(ls, args)
        except OSError as e:
            result = ("error", e.strerror or type(e).__name__)
        print_line(result)
        n += 1
    ls.close()
    sys.exit(0)


def serve_one(ls, args):
    conn, _ = ls.accept()
    conn.settimeout(args.timeout)
    if args.send is not None:
        result = send_stream(conn, args.send, args.seed)
        conn.shutdown(socket.SHUT_WR)
        recv_stream(conn)
    else:
        result = recv_stream(conn)
    if args.rcvbuf_log:
        # What receive-buffer autotuning made of the buffer.
        with open(args.rcvbuf_log, "a") as f:
            f.write("%d\n" % conn.getsockopt(socket.SOL_SOCKET,
                                              socket.SO_RCVBUF))
    conn.close()
    return result


def client(args):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
    s.settimeout(args.timeout)
    set_bufs(s, args)
    s.connect((args.addr, args.port))
    if args.download:
        result = recv_stream(s)
    elif args.sendfile or args.splice:
        result = send_file(s, args.bytes, args.seed,
                           "sendfile" if args.sendfile else "splice")
        s.shutdown(socket.SHUT_WR)
        recv_stream(s)
    else:
        result = send_stream(s, args.bytes, args.seed)
        s.shutdown(socket.SHUT_WR)
        recv_stream(s)
    s.close()
    return result


def clients(args):
    for line in sys.stdin:
        f = line.split()
        args.proto, args.addr, args.port, args.bytes = \
            int(f[0]), f[1], int(f[2]), int(f[3])
        args.sndbuf = int(f[4]) if len(f) > 4 else None
        try:
            result = client(args)
        except OSError as e:
            result = ("error", e.strerror or type(e).__name__)
        print_line(result)
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("role", choices=["server", "client", "clients"])
    p.add_argument("addr", nargs="?")
    p.add_argument("port", type=int, nargs="?")
    p.add_argument("bytes", type=int, nargs="?", default=0)
    p.add_argument("--proto", type=int, default=0)
    p.add_argument("--send", type=int)
    p.add_argument("--download", action="store_true")
    p.add_argument("--sendfile", action="store_true")
    p.add_argument("--splice", action="store_true")
    p.add_argument("--ready", help="file to write once listening")
    p.add_argument("--rcvbuf-log",
                   help="server: append each connection's final SO_RCVBUF")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--rcvbuf", type=int)
    p.add_argument("--sndbuf", type=int)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    if args.role == "clients":
        return clients(args)
    nbytes, digest = (server if args.role == "server" else client)(args)
    print(nbytes, digest)


if __name__ == "__main__":
    sys.exit(main())
