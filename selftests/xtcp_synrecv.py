#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""SYN_RECV after crossed SYNs, segment by segment.

  xtcp_synrecv.py opener ADDR PORT PEER PEERPORT PROTO
  xtcp_synrecv.py peer SERVER PORT DEV READY

The opener binds a socket of PROTO to ADDR:PORT and connects it, without
blocking, to PEER:PEERPORT, a host that exists only on the wire. It prints
"connected" or "error ERRNO" once the connect ends (20 s at most), then
"read DATA" with what arrives until the peer is quiet for 2 s, and closes
with a RST (SO_LINGER 0).

The peer, started first (it writes READY once it listens on DEV), plays
10.99.3.3:43003 from a raw socket:
  1. it takes the opener's SYN (ISN I) and sends a SYN of its own (ISN P)
     without an ACK: the opener goes to SYN_RECV and answers with a SYN-ACK;
  2. an ACK of I+1000, which acknowledges nothing sent (RFC 9293 3.10.7.4,
     fifth check: <SEQ=SEG.ACK><CTL=RST>);
  3. a RST at P+101, in the window but not at RCV.NXT (RFC 5961 3.2:
     a challenge ACK);
  4. its SYN again (RFC 5961 4.2: a challenge ACK);
  5. the SYN-ACK of a simultaneous open (SEQ=P, ACK=I+1): the open ends;
  6. "ok" at P+1.
Each step waits 1 s, longer than Linux's per-socket rate limit of
challenge ACKs (net.ipv4.tcp_invalid_ratelimit, 500 ms), and prints what
the opener sent meanwhile, SYN-ACK retransmissions left out, as
"STEP FLAGS SEQ ACK" lines: SEQ relative to I, ACK relative to P ("-" when
the ACK flag is off), or "STEP none".
"""
import errno
import select
import socket
import struct
import sys
import time

from tcp_pkt import ACK, FIN, PSH, RST, SYN, Wire, segment

PEER = ("10.99.3.3", 43003)
PEER_ISN = 0x33330000


def opener(addr, port, peer, peerport, proto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(proto))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.setblocking(False)
    try:
        s.connect((peer, int(peerport)))
    except BlockingIOError:
        pass
    _, w, _ = select.select([], [s], [], 20)
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    if not w:
        print("error timeout")
        return 0
    if err:
        print("error %s" % errno.errorcode.get(err, err))
        return 0
    print("connected", flush=True)
    got = b""
    while True:
        r, _, _ = select.select([s], [], [], 2)
        if not r:
            break
        data = s.recv(4096)
        if not data:
            break
        got += data
    print("read %s" % got.decode(errors="replace"))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return 0


def flags_name(f):
    return "".join(n for b, n in ((SYN, "S"), (FIN, "F"), (RST, "R"),
                                  (PSH, "P"), (ACK, "A")) if f & b) or "-"


def report(step, segs, isn):
    segs = [s for s in segs if s[2] != SYN | ACK]
    if not segs:
        print("%s none" % step)
    for seq, ack, f, _ in segs:
        print("%s %s %d %s" % (step, flags_name(f), (seq - isn) & 0xffffffff,
                               (ack - PEER_ISN) & 0xffffffff if f & ACK
                               else "-"))


def peer(srv, port, dev, ready):
    w = Wire(srv, dev)
    dst = (srv, int(port))
    open(ready, "w").write("ready")
    syn = w.first(PEER, 10, SYN)
    if not syn:
        print("syn none")
        return 1
    isn = syn[0]
    w.send(segment(PEER, dst, PEER_ISN, 0, SYN))
    s = w.first(PEER, 3, SYN | ACK)
    print("synack %s" % ("ok" if s and s[0] == isn and
                         s[1] == PEER_ISN + 1 else "none"))
    steps = (
        ("bad-ack", PEER_ISN + 1, isn + 1000, ACK),
        ("rst-in-window", PEER_ISN + 101, 0, RST),
        ("syn-again", PEER_ISN, 0, SYN),
        ("crossed-synack", PEER_ISN, isn + 1, SYN | ACK),
    )
    for step, seq, ack, flags in steps:
        w.send(segment(PEER, dst, seq & 0xffffffff, ack & 0xffffffff, flags))
        report(step, w.expect(PEER, 1), isn)
    w.send(segment(PEER, dst, PEER_ISN + 1, (isn + 1) & 0xffffffff,
                   ACK | PSH, b"ok"))
    report("data", w.expect(PEER, 1), isn)
    return 0


def main():
    if sys.argv[1] == "opener":
        return opener(*sys.argv[2:7])
    return peer(*sys.argv[2:6])


if __name__ == "__main__":
    sys.exit(main())
