# SPDX-License-Identifier: GPL-2.0
"""What the selftests that build or read TCP segments by hand share."""
import socket
import struct


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
