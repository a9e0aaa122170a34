#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read on the wire the receive window one TCP endpoint advertises.

  tcp_window.py IFACE PORT [--ready FILE] [--timeout S]

Captures (AF_PACKET, in the current network namespace) the segments IFACE
sends or receives from source port PORT, until that side's FIN or RST or
the timeout. Prints "wscale <shift> maxwin <bytes> segments <n>": the window
scale of its SYN or SYN-ACK (-1 without the option) and the largest window
it advertised afterwards, scaled, so native TCP and xtcp are judged alike.
"""
import argparse
import socket
import struct
import sys
import time

from tcp_pkt import tcp_options

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
TCP_FIN, TCP_SYN, TCP_RST = 0x01, 0x02, 0x04


def tcp_wscale(opts):
    for kind, value in tcp_options(opts):
        if kind == 3 and len(value) == 1:
            return min(value[0], 14)
    return -1


def main():
    p = argparse.ArgumentParser()
    p.add_argument("iface")
    p.add_argument("port", type=int)
    p.add_argument("--ready")
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()

    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((args.iface, ETH_P_ALL))
    s.settimeout(1)
    if args.ready:
        open(args.ready, "w").write("ready\n")
    deadline = time.monotonic() + args.timeout
    wscale, maxwin, segs, seen = -1, 0, 0, set()
    while time.monotonic() < deadline:
        try:
            frame = s.recv(256)
        except socket.timeout:
            continue
        if len(frame) < 14 + 20 + 20:
            continue
        if struct.unpack("!H", frame[12:14])[0] != ETH_P_IP:
            continue
        ip = frame[14:]
        ihl = (ip[0] & 0xf) * 4
        if ip[9] != socket.IPPROTO_TCP or len(ip) < ihl + 20:
            continue
        tcp = ip[ihl:]
        sport, _, seq, _, off, flags, win = struct.unpack("!HHIIBBH", tcp[:16])
        if sport != args.port:
            continue
        # A segment seen twice (sent on one veth end, received on the
        # other) or retransmitted counts once.
        if (seq, flags, win) in seen and not flags & (TCP_FIN | TCP_RST):
            continue
        seen.add((seq, flags, win))
        if flags & TCP_SYN:
            wscale = tcp_wscale(tcp[20:(off >> 4) * 4])
            continue
        segs += 1
        maxwin = max(maxwin, win << max(wscale, 0))
        if flags & (TCP_FIN | TCP_RST):
            break
    print("wscale", wscale, "maxwin", maxwin, "segments", segs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
