#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A SACK receiver played segment by segment.

  xtcp_sack_peer.py sender ADDR PORT PEER PEERPORT PROTO
  xtcp_sack_peer.py peer SERVER PORT DEV READY CASE

The sender binds a socket of PROTO to ADDR:PORT, connects it to
PEER:PEERPORT, a host that exists only on the wire, writes 10,000 bytes and
waits up to 20 s for them to be acknowledged (SIOCOUTQ back to 0); it
prints "sent" or "unacknowledged N", then, a second later, "ssthresh N"
(TCP_INFO's tcpi_snd_ssthresh), and closes with a RST.

The peer, started first (it writes READY once it listens on DEV), plays
10.99.3.3:43003 from a raw socket. With I the sender's ISN, its SYN-ACK
offers MSS 1000 and SACK, nothing else; once the first flight has arrived
(prints "handshake ok|none" and "flight BYTES"):

CASE reneging (RFC 2018 8: SACKed data is kept until cumulatively
acknowledged):
  1. one ACK of I+1 SACKs the sixth segment, I+5001..I+6001;
  2. after the sender resends I+1 (its RTO, or native's RACK timer), an
     ACK of I+5001 without SACK blocks: the SACKed segment is now the
     oldest unacknowledged one, and the receiver says it does not have it
     (it reneged, as a receiver short of memory that pruned its
     out-of-order queue);
  3. the sender must resend I+5001 ("resent-reneged ok|none").

CASE dsack-undo (RFC 2883 and 3708: a recovery that a reordering caused):
  1. three ACKs of I+1 SACK the second segment, the second and third, the
     second to fourth: the sender takes the first for lost and resends it;
  2. the first segment "arrives" after all: an ACK of everything, then the
     same ACK with a D-SACK for each segment received twice (I+1..I+1001,
     and the tail loss probe's if the sender sent one). Every
     retransmission was spurious: the sender undoes the recovery, its
     ssthresh goes back to what it was (infinite in slow start).

Both print "resent-head ok|none" for the sender's first retransmission.
"""
import fcntl
import socket
import struct
import sys
import time

from tcp_pkt import ACK, SYN, Wire, segment

PEER = ("10.99.3.3", 43003)
PEER_ISN = 0x44440000
BYTES = 10000
SIOCOUTQ = 0x5411


def sender(addr, port, peer, peerport, proto):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, int(proto))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.settimeout(10)
    s.connect((peer, int(peerport)))
    s.sendall(b"x" * BYTES)
    left = BYTES
    end = time.monotonic() + 20
    while time.monotonic() < end:
        left = struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCOUTQ,
                                              b"\0" * 4))[0]
        if not left:
            break
        time.sleep(0.1)
    print("sent" if not left else "unacknowledged %d" % left, flush=True)
    time.sleep(1)
    info = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    # struct tcp_info: 8 bytes of u8 fields, then tcpi_rto and on.
    print("ssthresh %d" % struct.unpack_from("I", info, 8 + 17 * 4)[0])
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return 0


class Peer:
    """The wire's side of the connection, offsets counted from the sender's
    ISN; every data segment seen is remembered, as a receiver would."""

    def __init__(self, srv, port, dev):
        self.w = Wire(srv, dev)
        self.dst = (srv, int(port))
        self.isn = 0
        self.seen = {}		# offset -> (length, times seen)

    def segs(self, secs):
        """What the sender sent within secs, in slices of 5 ms: the peer
        must answer before the sender's tail loss probe (10 ms at least)."""
        got = self.w.expect(PEER, min(secs, 0.005))
        for seq, _, _, size in got:
            if size:
                off = (seq - self.isn) & 0xffffffff
                self.seen[off] = (size, self.seen.get(off, (0, 0))[1] + 1)
        return got

    def wait_seq(self, off, secs):
        """Whether a data segment at offset off comes within secs."""
        end = time.monotonic() + secs
        while time.monotonic() < end:
            for s in self.segs(end - time.monotonic()):
                if s[0] == (self.isn + off) & 0xffffffff and s[3]:
                    return True
        return False

    def ack(self, off, opts=b""):
        self.w.send(segment(PEER, self.dst, PEER_ISN + 1,
                            (self.isn + off) & 0xffffffff, ACK, opts=opts))

    def sack_opts(self, *blocks):
        """NOP, NOP, SACK with blocks of (start, end) offsets."""
        opt = struct.pack("!BBBB", 1, 1, 5, 2 + 8 * len(blocks))
        for start, end in blocks:
            opt += struct.pack("!II", (self.isn + start) & 0xffffffff,
                               (self.isn + end) & 0xffffffff)
        return opt

    def handshake(self):
        """Answer the sender's SYN, wait for the first flight."""
        syn = self.w.first(PEER, 10, SYN)
        if not syn:
            print("handshake none")
            return False
        self.isn = syn[0]
        # MSS 1000, NOP, NOP, SACK permitted.
        opts = struct.pack("!BBHBBBB", 2, 4, 1000, 1, 1, 4, 2)
        self.w.send(segment(PEER, self.dst, PEER_ISN,
                            (self.isn + 1) & 0xffffffff, SYN | ACK,
                            opts=opts))
        # The handshake's ACK and the first flight may come in one batch.
        acked = False
        end = time.monotonic() + 5
        while time.monotonic() < end and self.top() < 1 + BYTES:
            for s in self.segs(end - time.monotonic()):
                acked |= bool(s[2] & ACK)
        print("handshake %s" % ("ok" if acked else "none"))
        print("flight %d" % (self.top() - 1))
        return acked

    def top(self):
        return max([1] + [off + size for off, (size, _) in self.seen.items()])


def reneging(p):
    p.ack(1, p.sack_opts((5001, 6001)))
    print("resent-head %s" % ("ok" if p.wait_seq(1, 10) else "none"))
    p.ack(5001)
    print("resent-reneged %s" % ("ok" if p.wait_seq(5001, 10) else "none"),
          flush=True)


def dsack_undo(p):
    for top in (2001, 3001, 4001):
        p.ack(1, p.sack_opts((1001, top)))
    print("resent-head %s" % ("ok" if p.wait_seq(1, 10) else "none"),
          flush=True)
    p.ack(1 + BYTES)
    # Each segment received twice (the retransmission, and a tail loss
    # probe if one left) is reported as a duplicate, as a receiver does.
    for off, (size, times) in sorted(p.seen.items()):
        if times > 1:
            p.ack(1 + BYTES, p.sack_opts((off, off + size)))


def peer(srv, port, dev, ready, case):
    p = Peer(srv, port, dev)
    open(ready, "w").write("ready")
    if not p.handshake():
        return 1
    {"reneging": reneging, "dsack-undo": dsack_undo}[case](p)
    p.ack(1 + BYTES)
    return 0


def main():
    if sys.argv[1] == "sender":
        return sender(*sys.argv[2:7])
    return peer(*sys.argv[2:7])


if __name__ == "__main__":
    sys.exit(main())
