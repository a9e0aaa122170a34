#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send a bounded SYN flood from spoofed source addresses.

  xtcp_synflood.py DST PORT [--src-net 10.99.0.0/16] [--count 20000]
                   [--duration 10] [--rate PPS]

Sends SYNs (with an MSS option) from random addresses of --src-net and
random source ports to DST:PORT over a raw IPv4 socket with IP_HDRINCL,
until --count SYNs are sent, --duration seconds have passed or SIGTERM
comes, whichever is first; --rate caps packets per second (0: as fast as possible).
Needs root (CAP_NET_RAW). The caller routes --src-net somewhere its
SYN-ACKs are lost. Prints "sent <n> in <seconds> s".
"""
import argparse
import ipaddress
import random
import signal
import socket
import struct
import sys
import time

from tcp_pkt import checksum


def syn(src, dst, sport, dport, seq):
    # TCP: 24 bytes (data offset 6), SYN, window 64240, MSS 1460.
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 6 << 4, 0x02,
                      64240, 0, 0) + struct.pack("!BBH", 2, 4, 1460)
    pseudo = src + dst + struct.pack("!BBH", 0, socket.IPPROTO_TCP, len(tcp))
    csum = checksum(pseudo + tcp)
    tcp = tcp[:16] + struct.pack("!H", csum) + tcp[18:]
    # IPv4: the kernel fills in the header checksum (and the ID when 0).
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp),
                     random.getrandbits(16), 0x4000, 64,
                     socket.IPPROTO_TCP, 0, src, dst)
    return ip + tcp


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dst")
    p.add_argument("port", type=int)
    p.add_argument("--src-net", default="10.99.0.0/16")
    p.add_argument("--count", type=int, default=20000)
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--rate", type=float, default=0)
    p.add_argument("--seed", type=int)
    args = p.parse_args()

    rng = random.Random(args.seed)
    net = ipaddress.ip_network(args.src_net)
    base, span = int(net.network_address), net.num_addresses
    dst = socket.inet_aton(args.dst)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)

    # The test stops the flood once it has seen what it needed.
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    start = time.monotonic()
    end = start + args.duration
    sent = 0
    while sent < args.count and not stop:
        now = time.monotonic()
        if now >= end:
            break
        if args.rate and sent >= (now - start) * args.rate:
            time.sleep(min(0.01, end - now))
            continue
        host = base + 1 + rng.randrange(max(span - 2, 1))
        src = struct.pack("!I", host)
        pkt = syn(src, dst, rng.randrange(1024, 65536), args.port,
                  rng.getrandbits(32))
        try:
            s.sendto(pkt, (args.dst, 0))
        except (BlockingIOError, OSError):
            # A full device queue (ENOBUFS): drop this one, as a flood may.
            time.sleep(0.001)
            continue
        sent += 1
    print("sent %d in %.1f s" % (sent, time.monotonic() - start))
    return 0 if sent else 1


if __name__ == "__main__":
    sys.exit(main())
