# SPDX-License-Identifier: GPL-2.0
"""What the selftests that build or read TCP segments by hand share."""
import select
import socket
import struct
import time

ETH_P_ALL = 3
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ipv4_tcp(saddr, daddr, tcp):
    """An IPv4 packet (DF, TTL 64) from saddr to daddr (4 bytes each)
    around tcp, a TCP segment whose checksum field is zero: both checksums
    filled in, the ID left for the kernel."""
    pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_TCP,
                                         len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64,
                     socket.IPPROTO_TCP, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp


def tcp_options(opts):
    """(kind, value) for each option of a TCP option block, as
    tcp_parse_options() walks it: EOL ends it, NOP is skipped, a length
    below 2 or past the end stops the walk."""
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            break
        yield kind, opts[i + 2:i + opts[i + 1]]
        i += opts[i + 1]


def segment(src, dst, seq, ack, flags, payload=b"", opts=None):
    """IPv4 + TCP from src to dst ((addr, port) each), with the TCP options
    opts (a multiple of 4 bytes); by default a SYN offers MSS 1460 and
    nothing else."""
    if opts is None:
        opts = struct.pack("!BBH", 2, 4, 1460) if flags & SYN else b""
    tcp = struct.pack("!HHIIBBHHH", src[1], dst[1], seq, ack,
                      (20 + len(opts)) // 4 << 4, flags, 64240, 0, 0)
    return ipv4_tcp(socket.inet_aton(src[0]), socket.inet_aton(dst[0]),
                    tcp + opts + payload)


class Wire:
    """A peer that exists only on the wire, next to the stack under test at
    address srv: segments go out through a raw socket, the replies are read
    on dev with a packet socket (the caller routes the peer's address so
    that they reach dev but no socket)."""

    def __init__(self, srv, dev):
        self.srv = (srv, 0)
        self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                                 socket.IPPROTO_RAW)
        self.raw.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
        self.sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                   socket.htons(ETH_P_ALL))
        self.sniff.bind((dev, ETH_P_ALL))

    def send(self, pkt):
        self.raw.sendto(pkt, self.srv)

    def expect(self, to, secs):
        """The segments from srv to `to` within secs: a list of
        (seq, ack, flags, payload length)."""
        got = []
        end = time.monotonic() + secs
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            r, _, _ = select.select([self.sniff], [], [], left)
            if not r:
                continue
            f = self.sniff.recv(65535)
            if f[12:14] != b"\x08\x00" or f[23] != socket.IPPROTO_TCP:
                continue
            ip = f[14:]
            tcp = ip[(ip[0] & 15) * 4:]
            if (ip[12:16] != socket.inet_aton(self.srv[0]) or
                    ip[16:20] != socket.inet_aton(to[0]) or
                    struct.unpack("!H", tcp[2:4])[0] != to[1]):
                continue
            seq, ack = struct.unpack("!II", tcp[4:12])
            size = struct.unpack("!H", ip[2:4])[0] - (ip[0] & 15) * 4
            got.append((seq, ack, tcp[13], size - (tcp[12] >> 4) * 4))

    def first(self, to, secs, flags):
        """The first segment to `to` with exactly these flags, or None."""
        end = time.monotonic() + secs
        while time.monotonic() < end:
            for s in self.expect(to, min(0.2, end - time.monotonic())):
                if s[2] == flags:
                    return s
        return None
