# SPDX-License-Identifier: GPL-2.0
"""What the selftests that build or read TCP segments by hand share."""
import struct


def checksum(data):
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


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
