#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Fill many connections' buffers against the protocol's memory pool.

  xtcp_mem.py PROTO NSA NSB CONNS BYTES

Listens in namespace NSB (198.51.100.2), connects CONNS clients from NSA
(through setns(), so one process holds both ends), with receive buffers of
8 MB that nobody reads. Each client sends BYTES without blocking until no
send makes progress for a second, then it prints what the sockets hold:

  stalled HELD SENT PAGES PRESSURE

HELD the sum of rmem_alloc + wmem_queued + forward allocation over all the
sockets (SO_MEMINFO), SENT the bytes sent, PAGES and PRESSURE the stack's
row of /proc/net/protocols (memory pool in pages, under pressure or not).
Then the receivers read everything while the clients send the rest, and it
prints

  verified <connections whose bytes all arrived intact>
"""
import ctypes
import hashlib
import os
import select
import socket
import sys
import time

CLONE_NEWNET = 0x40000000
SO_MEMINFO = 55
PORT = 7300


def setns(name):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns " + name)
    finally:
        os.close(fd)


def pattern(i):
    # 64 KiB that differ per connection and per offset modulo 64 KiB.
    seed = hashlib.sha256(b"xtcp-mem-%d" % i).digest()
    return (seed * 2048)[: 1 << 16]


def held(socks):
    total = 0
    for s in socks:
        m = s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 9 * 4)
        v = [int.from_bytes(m[k:k + 4], "little", signed=True)
             for k in range(0, 36, 4)]
        # rmem_alloc, wmem_queued, forward_alloc
        total += v[0] + v[5] + v[4]
    return total


def pool(proto):
    name = "TCP" if proto == 0 else "XTCP"
    with open("/proc/net/protocols") as f:
        for line in f:
            col = line.split()
            if col[0] == name:
                return int(col[3]), col[4]
    return -1, "?"


def main():
    proto, nsa, nsb = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    conns, nbytes = int(sys.argv[4]), int(sys.argv[5])

    # A port per protocol: closing both ends at once may leave the server's
    # side of the first run in TIME_WAIT, and native TIME_WAIT keeps its
    # port from xtcp even with SO_REUSEADDR (a documented difference).
    port = PORT + (proto != 0)
    setns(nsb)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    ls.bind(("198.51.100.2", port))
    ls.listen(conns)
    setns(nsa)
    clients = []
    for _ in range(conns):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
        c.settimeout(20)
        c.connect(("198.51.100.2", port))
        c.setblocking(False)
        clients.append(c)
    ls.settimeout(20)
    servers = [ls.accept()[0] for _ in range(conns)]
    # Accepted in order of the handshakes: match them by port.
    by_port = {s.getpeername()[1]: s for s in servers}
    servers = [by_port[c.getsockname()[1]] for c in clients]

    pats = [pattern(i) for i in range(conns)]
    sent = [0] * conns

    def push(i):
        moved = 0
        while sent[i] < nbytes:
            off = sent[i] % len(pats[i])
            n = min(len(pats[i]) - off, nbytes - sent[i])
            try:
                k = clients[i].send(pats[i][off:off + n])
            except BlockingIOError:
                break
            sent[i] += k
            moved += k
        return moved

    last = time.monotonic()
    deadline = last + 60
    while time.monotonic() - last < 1.0 and time.monotonic() < deadline:
        if sum(push(i) for i in range(conns)):
            last = time.monotonic()
        time.sleep(0.05)
    pages, press = pool(proto)
    print("stalled %d %d %d %s" % (held(clients + servers), sum(sent), pages,
                                   press), flush=True)

    got = [0] * conns
    ok = [True] * conns
    for s in servers:
        s.setblocking(False)
    # Segments dropped at the hard limit come back on the sender's RTO,
    # backed off for as long as the receivers stayed full (seconds to tens
    # of seconds on the debug kernel): eventual delivery is what counts.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and min(got) < nbytes:
        for i in range(conns):
            push(i)
        r, _, _ = select.select(servers, [], [], 0.05)
        for s in r:
            i = servers.index(s)
            try:
                data = s.recv(1 << 16)
            except BlockingIOError:
                continue
            if not data:
                continue
            off = got[i] % len(pats[i])
            want = (pats[i] * 3)[off:off + len(data)]
            if data != want:
                ok[i] = False
            got[i] += len(data)
    verified = sum(1 for i in range(conns) if ok[i] and got[i] == nbytes)
    print("verified %d" % verified, flush=True)
    for i in range(conns):
        if not ok[i] or got[i] != nbytes:
            print("connection %d: sent %d, read %d%s" %
                  (i, sent[i], got[i], "" if ok[i] else ", wrong bytes"),
                  flush=True)
    for s in clients + servers + [ls]:
        s.close()


if __name__ == "__main__":
    main()
