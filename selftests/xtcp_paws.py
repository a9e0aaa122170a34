#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Blind segments with old and fresh timestamps against a listener (PAWS).

  xtcp_paws.py server ADDR PORT PROTO READY
  xtcp_paws.py client SERVER PORT DEV

The server accepts one connection on a socket of PROTO, reads until the
peer closes (or goes quiet for 3 s, or resets), and prints what it
received in hex.

The client (native TCP) connects, sends "A", and learns the sequence
numbers and timestamps of that segment by watching DEV with a packet
socket. Then it injects, from a raw socket, the next segment of its own
connection: "X" with a timestamp 10 s older than the one of "A" (RFC 7323
5: PAWS must drop it). Then the connection itself sends "Y" at that same
sequence number, which the server takes only if it dropped "X": a server
that applies PAWS prints 4159 ("AY"), one that does not 4158 ("AX"). The
caller checks the PAWS counter too, which shows "X" was well formed and
dropped for its timestamp.
"""
import select
import socket
import struct
import sys
import time

from tcp_pkt import ipv4_tcp, tcp_options

# Outgoing frames reach only packet sockets of every protocol.
ETH_P_ALL = 3


def server(addr, port, proto, ready):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(proto))
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(1)
    open(ready, "w").write("ready")
    ls.settimeout(30)
    c, _ = ls.accept()
    got = b""
    while True:
        r, _, _ = select.select([c], [], [], 3)
        if not r:
            break
        try:
            data = c.recv(4096)
        except ConnectionResetError:
            break
        if not data:
            break
        got += data
    print(got.hex())
    return 0


def parse(frame):
    """(saddr, daddr, sport, dport, seq, ack, win, tsval, tsecr, payload)"""
    ip = frame[14:]
    if frame[12:14] != b"\x08\x00" or ip[9] != socket.IPPROTO_TCP:
        return None
    ihl = (ip[0] & 15) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    tcp = ip[ihl:tot]
    sport, dport, seq, ack, off = struct.unpack("!HHIIB", tcp[:13])
    doff = (off >> 4) * 4
    win = struct.unpack("!H", tcp[14:16])[0]
    ts = None
    for kind, value in tcp_options(tcp[20:doff]):
        if kind == 8 and len(value) == 8:
            ts = struct.unpack("!II", value)
    if not ts:
        return None
    return (ip[12:16], ip[16:20], sport, dport, seq, ack, win, ts[0], ts[1],
            tcp[doff:])


def segment(p, seq, ack, win, tsval, tsecr, payload):
    saddr, daddr, sport, dport = p[0], p[1], p[2], p[3]
    opts = b"\x01\x01\x08\x0a" + struct.pack("!II", tsval, tsecr)
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack,
                      (20 + len(opts)) // 4 << 4, 0x18, win, 0, 0)
    return ipv4_tcp(saddr, daddr, hdr + opts + payload)


def client(srv, port, dev):
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                          socket.htons(ETH_P_ALL))
    sniff.bind((dev, ETH_P_ALL))
    c = socket.create_connection((srv, int(port)), timeout=10)
    me = c.getsockname()
    c.sendall(b"A")
    seen, frames = None, []
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        r, _, _ = select.select([sniff], [], [], 0.5)
        if not r:
            continue
        frame = sniff.recv(65535)
        p = parse(frame)
        frames.append(p)
        if p and p[2] == me[1] and p[3] == int(port) and p[9] == b"A":
            seen = p
    if not seen:
        print("no timestamped segment with 'A' from port %d seen on %s: %s" %
              (me[1], dev, frames))
        return 1
    time.sleep(0.5)		# the server takes "A" and its timestamp
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    seq, ack, win, tsval, tsecr = seen[4] + 1, seen[5], seen[6], seen[7], seen[8]
    old = (tsval - 10000) & 0xffffffff
    raw.sendto(segment(seen, seq, ack, win, old, tsecr, b"X"), (srv, 0))
    print("injected X at seq %u with tsval %u (last: %u)" % (seq, old, tsval))
    time.sleep(0.5)
    # The same sequence number from the connection itself: taken only if
    # X was not.
    c.sendall(b"Y")
    time.sleep(0.5)
    c.close()
    return 0


def main():
    if sys.argv[1] == "server":
        return server(*sys.argv[2:6])
    return client(*sys.argv[2:5])


if __name__ == "__main__":
    sys.exit(main())
