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
     same ACK with a D-SACK of I+1..I+1001, the resent copy received twice.
     Every retransmission of the recovery was spurious: the sender undoes
     it, its ssthresh goes back to what it was (infinite in slow start).

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


def wait_seq(w, seq, secs):
    """Whether a data segment starting at seq comes within secs."""
    end = time.monotonic() + secs
    while time.monotonic() < end:
        for s in w.expect(PEER, min(0.1, end - time.monotonic())):
            if s[0] == seq & 0xffffffff and s[3]:
                return True
    return False


def handshake(w, dst):
    """Answer the sender's SYN, wait for the first flight; its ISN."""
    syn = w.first(PEER, 10, SYN)
    if not syn:
        print("handshake none")
        return None
    isn = syn[0]
    # MSS 1000, NOP, NOP, SACK permitted.
    opts = struct.pack("!BBHBBBB", 2, 4, 1000, 1, 1, 4, 2)
    w.send(segment(PEER, dst, PEER_ISN, (isn + 1) & 0xffffffff, SYN | ACK,
                   opts=opts))
    # The handshake's ACK and the first flight may come in one batch.
    acked = False
    top = isn + 1
    end = time.monotonic() + 5
    while time.monotonic() < end and top - (isn + 1) < BYTES:
        for s in w.expect(PEER, 0.1):
            acked |= bool(s[2] & ACK)
            if s[3]:
                top = max(top, isn + ((s[0] - isn) & 0xffffffff) + s[3])
    print("handshake %s" % ("ok" if acked else "none"))
    print("flight %d" % (top - (isn + 1)))
    return isn if acked else None


def sack_opts(isn, *blocks):
    """NOP, NOP, SACK with blocks given as (start, end) offsets from isn."""
    opt = struct.pack("!BBBB", 1, 1, 5, 2 + 8 * len(blocks))
    for start, end in blocks:
        opt += struct.pack("!II", (isn + start) & 0xffffffff,
                           (isn + end) & 0xffffffff)
    return opt


def ack(w, dst, isn, acked, opts=b""):
    w.send(segment(PEER, dst, PEER_ISN + 1, (isn + acked) & 0xffffffff, ACK,
                   opts=opts))


def reneging(w, dst, isn):
    ack(w, dst, isn, 1, sack_opts(isn, (5001, 6001)))
    ok = wait_seq(w, isn + 1, 10)
    print("resent-head %s" % ("ok" if ok else "none"))
    ack(w, dst, isn, 5001)
    ok = wait_seq(w, isn + 5001, 10)
    print("resent-reneged %s" % ("ok" if ok else "none"), flush=True)


def dsack_undo(w, dst, isn):
    for top in (2001, 3001, 4001):
        ack(w, dst, isn, 1, sack_opts(isn, (1001, top)))
    ok = wait_seq(w, isn + 1, 10)
    print("resent-head %s" % ("ok" if ok else "none"), flush=True)
    ack(w, dst, isn, 1 + BYTES)
    ack(w, dst, isn, 1 + BYTES, sack_opts(isn, (1, 1001)))


def peer(srv, port, dev, ready, case):
    w = Wire(srv, dev)
    dst = (srv, int(port))
    open(ready, "w").write("ready")
    isn = handshake(w, dst)
    if isn is None:
        return 1
    {"reneging": reneging, "dsack-undo": dsack_undo}[case](w, dst, isn)
    ack(w, dst, isn, 1 + BYTES)
    return 0


def main():
    if sys.argv[1] == "sender":
        return sender(*sys.argv[2:7])
    return peer(*sys.argv[2:7])


if __name__ == "__main__":
    sys.exit(main())
