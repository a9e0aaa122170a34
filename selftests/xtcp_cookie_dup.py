#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The ACK of a cookie SYN-ACK that finds a request for its 4-tuple.

  xtcp_cookie_dup.py server ADDR PORT PROTO READY
  xtcp_cookie_dup.py client SERVER PORT DEV

The server listens on a socket of PROTO with listen(1) and accepts one connection (30 s at most), reads
what comes until the peer is quiet for 2 s and prints "accepted ADDR PORT
DATA", or "none"; it closes with a RST (SO_LINGER 0): the peer exists only
on the wire.

The client writes every segment by hand from a raw socket, from sources of
10.99.0.0/16 that the caller routes so that their replies reach DEV but no
socket, and reads the replies on DEV with a packet socket:
  1. SYNs from two fillers fill the SYN queue of listen(1): Linux 6.1.192
     (and xtcp) take it as full only above the backlog;
  2. the client's SYN gets a cookie SYN-ACK (ISN C);
  3. a RST at each filler's IRS+1 drops the fillers' requests;
  4. the client's SYN again gets a SYN-ACK from a request (ISN B), which
     the request's timer sends again (a cookie SYN-ACK never comes twice);
  5. the ACK of C+1: a valid cookie, for a 4-tuple that has a request;
  6. an ACK of C+5: acknowledges nothing that was sent, an invalid cookie;
  7. the ACK of B+1 with "ok", which completes the handshake.
It prints one line per step: "cookie-synack C", "request-synack B
retransmitted" (or what came instead), "cookie-ack none|rst SEQ" and
"bad-ack none|rst SEQ" (what the server sent to the client within 1.5 s).
"""
import select
import socket
import struct
import sys
import time

from tcp_pkt import ACK, PSH, RST, SYN, Wire, segment
FILLERS = (("10.99.1.1", 41001), ("10.99.1.2", 41002))
CLIENT = ("10.99.2.2", 42002)
FILLER_ISN, CLIENT_ISN = 0x11110000, 0x22220000


def server(addr, port, proto, ready):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(proto))
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, int(port)))
    ls.listen(1)
    open(ready, "w").write("ready")
    ls.settimeout(30)
    try:
        c, peer = ls.accept()
    except socket.timeout:
        print("none")
        return 0
    got = b""
    while True:
        r, _, _ = select.select([c], [], [], 2)
        if not r:
            break
        data = c.recv(4096)
        if not data:
            break
        got += data
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    print("accepted %s %d %s" % (peer[0], peer[1], got.decode(errors="replace")))
    return 0


def rst_line(segs):
    rsts = [s for s in segs if s[2] & RST]
    return "rst %u" % rsts[0][0] if rsts else "none"


def client(srv, port, dev):
    port = int(port)
    w = Wire(srv, dev)
    dst = (srv, port)

    for f in FILLERS:
        w.send(segment(f, dst, FILLER_ISN, 0, SYN))
        if not w.first(f, 5, SYN | ACK):
            print("no SYN-ACK to the filler %s" % f[0])
            return 1
    w.send(segment(CLIENT, dst, CLIENT_ISN, 0, SYN))
    s = w.first(CLIENT, 5, SYN | ACK)
    if not s:
        print("no SYN-ACK to the client")
        return 1
    cookie = s[0]
    print("cookie-synack %u" % cookie)

    for f in FILLERS:
        w.send(segment(f, dst, FILLER_ISN + 1, 0, RST))
    time.sleep(0.3)
    w.send(segment(CLIENT, dst, CLIENT_ISN, 0, SYN))
    s = w.first(CLIENT, 5, SYN | ACK)
    if not s or s[0] == cookie:
        print("request-synack %s" % ("none" if not s else "%u again" % s[0]))
        return 1
    isn = s[0]
    # The request's timer resends it after 1 s.
    s = w.first(CLIENT, 3, SYN | ACK)
    print("request-synack %u %s" % (isn, "retransmitted" if s and s[0] == isn
                                     else "not retransmitted"))

    w.send(segment(CLIENT, dst, CLIENT_ISN + 1, (cookie + 1) & 0xffffffff,
                   ACK))
    print("cookie-ack %s" % rst_line(w.expect(CLIENT, 1.5)))
    bad = (cookie + 5) & 0xffffffff
    if bad == (isn + 1) & 0xffffffff:
        bad = (cookie + 6) & 0xffffffff
    w.send(segment(CLIENT, dst, CLIENT_ISN + 1, bad, ACK))
    print("bad-ack %s (acked %u)" % (rst_line(w.expect(CLIENT, 1.5)), bad))

    w.send(segment(CLIENT, dst, CLIENT_ISN + 1, (isn + 1) & 0xffffffff,
                   ACK | PSH, b"ok"))
    return 0


def main():
    if sys.argv[1] == "server":
        return server(*sys.argv[2:6])
    return client(*sys.argv[2:5])


if __name__ == "__main__":
    sys.exit(main())
