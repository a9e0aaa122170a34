#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test servers that listen with a chosen TCP protocol, and an echo client.

  xtcp_server.py echo ADDR PORT [--proto P] [--edge] [--backlog N]
                 [--count N] [--ready FILE]
      epoll, non-blocking, level-triggered (or edge-triggered with --edge):
      echo every byte of any number of concurrent clients; a client's FIN
      is answered, once its bytes are echoed, by closing the connection.
      With --count, exit after N connections ended; print
      "conns <n> bytes <n> errors <n>" on exit (also on SIGTERM).
  xtcp_server.py http ADDR PORT [--proto P] [--dir DIR] [--ready FILE]
      HTTP/1.1 (keep-alive) with http.server: files under DIR, and
      /gen/<bytes>[/<seed>] answered with generated pseudo-random bodies
      (the same bytes as "xtcp_server.py body <bytes> <seed>" writes).
  xtcp_server.py sink ADDR PORT [--proto P] [--count N] [--ready FILE]
      read every connection to EOF; print "<bytes> <sha256>" per connection.
  xtcp_server.py echo-clients ADDR PORT N BYTES [--proto P]
      N concurrent connections, each sends BYTES pseudo-random bytes (its
      own seed), half-closes and reads the echo to EOF; every connection's
      echo must match what it sent (count and SHA-256). Prints a summary;
      exit 1 on any mismatch or error.
  xtcp_server.py body BYTES [SEED]
      write the body /gen/BYTES/SEED serves to stdout.

--proto picks the socket's protocol: 0 is native TCP, 253 is xtcp. Servers
write --ready FILE once listening.
"""
import argparse
import errno
import hashlib
import http.server
import os
import random
import select
import signal
import socket
import socketserver
import sys
import threading
import time

CHUNK = 1 << 16


def listener(args, backlog):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((args.addr, args.port))
    ls.listen(backlog)
    return ls


def ready(args):
    if args.ready:
        with open(args.ready + ".tmp", "w") as f:
            f.write("ready\n")
        os.rename(args.ready + ".tmp", args.ready)


def gen_chunks(nbytes, seed):
    rng = random.Random(seed)
    while nbytes:
        chunk = rng.randbytes(min(nbytes, CHUNK))
        nbytes -= len(chunk)
        yield chunk


# ---- echo server -----------------------------------------------------------

class EchoConn:
    __slots__ = ("sock", "out", "eof", "mask")

    def __init__(self, sock):
        self.sock = sock
        self.out = bytearray()
        self.eof = False
        self.mask = 0


def echo(args):
    ls = listener(args, args.backlog)
    ls.setblocking(False)
    ep = select.epoll()
    et = select.EPOLLET if args.edge else 0
    ep.register(ls.fileno(), select.EPOLLIN | et)
    conns = {}
    stats = {"conns": 0, "bytes": 0, "errors": 0}
    cap = 1 << 20		# stop reading while this much waits to be echoed
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    ready(args)

    def finish(fd, error=False):
        c = conns.pop(fd)
        ep.unregister(fd)
        c.sock.close()
        stats["conns"] += 1
        if error:
            stats["errors"] += 1

    def service(fd):
        """Read and write until both would block (or are blocked by us)."""
        c = conns[fd]
        progress = True
        while progress:
            progress = False
            while not c.eof and len(c.out) < cap:
                try:
                    data = c.sock.recv(CHUNK)
                except BlockingIOError:
                    break
                if not data:
                    c.eof = True
                    break
                c.out += data
                stats["bytes"] += len(data)
                progress = True
                if not et:
                    break
            while c.out:
                try:
                    n = c.sock.send(c.out)
                except BlockingIOError:
                    break
                del c.out[:n]
                progress = True
                if not et:
                    break
            if not et:
                break
        if c.eof and not c.out:
            finish(fd)
            return
        if not et:
            mask = select.EPOLLOUT if c.out else 0
            if not c.eof and len(c.out) < cap:
                mask |= select.EPOLLIN
            if mask != c.mask:
                ep.modify(fd, mask)
                c.mask = mask

    def accept_all():
        while True:
            try:
                s, _ = ls.accept()
            except BlockingIOError:
                return
            except OSError as e:
                # A connection reset while queued: count it, keep going.
                if e.errno in (errno.ECONNABORTED, errno.EPROTO):
                    stats["errors"] += 1
                    continue
                raise
            s.setblocking(False)
            c = EchoConn(s)
            c.mask = select.EPOLLIN | (select.EPOLLOUT if et else 0)
            conns[s.fileno()] = c
            ep.register(s.fileno(), c.mask | et)
            if not et:
                return

    deadline = time.monotonic() + args.timeout
    while not stop and (args.count is None or stats["conns"] < args.count):
        if time.monotonic() > deadline:
            stats["errors"] += 1
            print("echo: timed out", file=sys.stderr)
            break
        try:
            events = ep.poll(1.0)
        except InterruptedError:
            continue
        for fd, ev in events:
            if fd == ls.fileno():
                accept_all()
                continue
            if fd not in conns:
                continue
            try:
                service(fd)
            except OSError as e:
                print("echo: %s" % e, file=sys.stderr)
                finish(fd, error=True)
    for fd in list(conns):
        finish(fd, error=True)
    ls.close()
    print("conns %d bytes %d errors %d" %
          (stats["conns"], stats["bytes"], stats["errors"]))
    sys.stdout.flush()
    return 1 if stats["errors"] else 0


# ---- echo clients ----------------------------------------------------------

class Client:
    __slots__ = ("sock", "gen", "pending", "sent", "sent_hash", "got",
                 "got_hash", "connected", "shut", "done", "error")

    def __init__(self, sock, nbytes, seed):
        self.sock = sock
        self.gen = gen_chunks(nbytes, seed)
        self.pending = b""
        self.sent = 0
        self.sent_hash = hashlib.sha256()
        self.got = 0
        self.got_hash = hashlib.sha256()
        self.connected = False
        self.shut = False
        self.done = False
        self.error = None


def echo_clients(args):
    ep = select.epoll()
    clients = {}
    for i in range(args.n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, args.proto)
        s.setblocking(False)
        rc = s.connect_ex((args.addr, args.port))
        if rc not in (0, errno.EINPROGRESS):
            print("client %d: connect: %s" % (i, os.strerror(rc)),
                  file=sys.stderr)
            return 1
        c = Client(s, args.bytes, args.seed + i)
        clients[s.fileno()] = c
        ep.register(s.fileno(), select.EPOLLIN | select.EPOLLOUT)

    def step(c, ev):
        if not c.connected:
            err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise OSError(err, os.strerror(err))
            if not ev & select.EPOLLOUT:
                return
            c.connected = True
        while not c.shut:
            if not c.pending:
                c.pending = next(c.gen, b"")
                if not c.pending:
                    c.sock.shutdown(socket.SHUT_WR)
                    c.shut = True
                    ep.modify(c.sock.fileno(), select.EPOLLIN)
                    break
                c.sent_hash.update(c.pending)
            try:
                n = c.sock.send(c.pending)
            except BlockingIOError:
                break
            c.sent += n
            c.pending = c.pending[n:]
        while True:
            try:
                data = c.sock.recv(CHUNK)
            except BlockingIOError:
                return
            if not data:
                c.done = True
                return
            c.got += len(data)
            c.got_hash.update(data)

    left = len(clients)
    deadline = time.monotonic() + args.timeout
    while left and time.monotonic() < deadline:
        for fd, ev in ep.poll(1.0):
            c = clients[fd]
            if c.done:
                continue
            try:
                step(c, ev)
            except OSError as e:
                c.error = str(e)
                c.done = True
            if c.done:
                ep.unregister(fd)
                c.sock.close()
                left -= 1
    bad = 0
    for i, c in enumerate(clients.values()):
        why = None
        if c.error:
            why = c.error
        elif not c.done:
            why = "timed out (sent %d, echoed %d)" % (c.sent, c.got)
        elif c.sent != args.bytes or c.got != c.sent:
            why = "sent %d, echoed %d" % (c.sent, c.got)
        elif c.got_hash.digest() != c.sent_hash.digest():
            why = "echo differs (SHA-256)"
        if why:
            bad += 1
            if bad <= 10:
                print("client %d: %s" % (i, why), file=sys.stderr)
        if not c.done:
            c.sock.close()
    print("clients %d ok %d failed %d bytes %d" %
          (args.n, args.n - bad, bad, args.n * args.bytes))
    return 1 if bad else 0


# ---- sink ------------------------------------------------------------------

def sink(args):
    ls = listener(args, args.backlog)
    ready(args)
    lock = threading.Lock()
    threads = []

    def drain(conn):
        digest, total = hashlib.sha256(), 0
        conn.settimeout(args.timeout)
        try:
            while True:
                data = conn.recv(CHUNK)
                if not data:
                    break
                digest.update(data)
                total += len(data)
        finally:
            conn.close()
        with lock:
            print(total, digest.hexdigest())
            sys.stdout.flush()

    ls.settimeout(args.timeout)
    n = 0
    while args.count is None or n < args.count:
        conn, _ = ls.accept()
        t = threading.Thread(target=drain, args=(conn,))
        t.start()
        threads.append(t)
        n += 1
    for t in threads:
        t.join()
    ls.close()
    return 0


# ---- http ------------------------------------------------------------------

class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        if self.server.verbose:
            super().log_message(fmt, *a)

    def do_GET(self):
        parts = self.path.split("?")[0].strip("/").split("/")
        if parts[0] != "gen":
            return super().do_GET()
        try:
            nbytes = int(parts[1])
            seed = int(parts[2]) if len(parts) > 2 else 1
        except (IndexError, ValueError):
            return self.send_error(400, "use /gen/<bytes>[/<seed>]")
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(nbytes))
        self.end_headers()
        for chunk in gen_chunks(nbytes, seed):
            self.wfile.write(chunk)


class ProtoHTTPServer(http.server.ThreadingHTTPServer):
    """ThreadingHTTPServer whose listening socket has a given protocol."""
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, addr, handler, proto):
        socketserver.BaseServer.__init__(self, addr, handler)
        self.socket = socket.socket(self.address_family, self.socket_type,
                                    proto)
        try:
            self.server_bind()
            self.server_activate()
        except BaseException:
            self.server_close()
            raise

    def server_bind(self):
        # HTTPServer.server_bind() would look the name up (getfqdn): there
        # is no resolver in a test namespace.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = host
        self.server_port = port


def http_serve(args):
    os.chdir(args.dir)
    srv = ProtoHTTPServer((args.addr, args.port), Handler, args.proto)
    srv.verbose = args.verbose
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(
        target=srv.shutdown, daemon=True).start())
    ready(args)
    srv.serve_forever(poll_interval=0.2)
    srv.server_close()
    return 0


def body(args):
    out = sys.stdout.buffer
    for chunk in gen_chunks(args.bytes, args.seed):
        out.write(chunk)
    out.flush()
    return 0


def main():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)

    def common(sp, server=True):
        sp.add_argument("addr")
        sp.add_argument("port", type=int)
        sp.add_argument("--proto", type=int, default=0)
        sp.add_argument("--timeout", type=float, default=120)
        if server:
            sp.add_argument("--ready", help="file to write once listening")
            sp.add_argument("--backlog", type=int, default=512)
        return sp

    sp = common(sub.add_parser("echo"))
    sp.add_argument("--edge", action="store_true",
                    help="edge-triggered epoll (default: level-triggered)")
    sp.add_argument("--count", type=int, help="exit after N connections")
    sp.set_defaults(func=echo)

    sp = common(sub.add_parser("http"))
    sp.add_argument("--dir", default=".")
    sp.add_argument("--verbose", action="store_true")
    sp.set_defaults(func=http_serve)

    sp = common(sub.add_parser("sink"))
    sp.add_argument("--count", type=int, help="exit after N connections")
    sp.set_defaults(func=sink)

    sp = common(sub.add_parser("echo-clients"), server=False)
    sp.add_argument("n", type=int)
    sp.add_argument("bytes", type=int)
    sp.add_argument("--seed", type=int, default=1)
    sp.set_defaults(func=echo_clients)

    sp = sub.add_parser("body")
    sp.add_argument("bytes", type=int)
    sp.add_argument("seed", type=int, nargs="?", default=1)
    sp.set_defaults(func=body)

    args = p.parse_args()
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
