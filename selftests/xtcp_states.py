#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive xtcp sockets through every RFC 9293 state, one scenario at a time.

usage: xtcp_states.py ROLE SCENARIO ADDR PEER PROTO [START]

SCENARIO "simultaneous" (ROLE "a" or "b") or "serve" (ROLE "server" or
"client").

Run once in each of two network namespaces (ROLE "a" at ADDR, "b" at PEER)
joined by a link with enough delay that segments sent at the same time
cross. Prints "ok" or raises. The caller reads the state transitions from
the xtcp_state_change trace event.
"""
import errno
import socket
import struct
import sys
import time

PORT_A, PORT_B, PORT_L = 40001, 40002, 40003


def sock(proto, port=None, addr=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, proto)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if port:
        s.bind((addr, port))
    return s


def wait_until(t):
    """Sleep until wall-clock second t, so both namespaces act together."""
    time.sleep(max(0.0, t - time.time()))


def simultaneous_open(role, addr, peer, proto, start):
    # Both SYN_SENT, the SYNs cross: SYN_SENT -> SYN_RECV -> ESTABLISHED.
    # If one side starts more than the one-way delay late (a loaded debug
    # VM), the first SYN meets no socket and both connects are refused
    # (each side's RST refuses the other): both try again, 2 s later.
    me, other = (PORT_A, PORT_B) if role == "a" else (PORT_B, PORT_A)
    for attempt in range(3):
        s = sock(proto, me, addr)
        wait_until(start + 2 * attempt)
        s.settimeout(20)
        try:
            s.connect((peer, other))
            break
        except ConnectionRefusedError:
            s.close()
            if attempt == 2:
                raise
    s.sendall(role.encode())
    assert s.recv(1) == (b"b" if role == "a" else b"a")
    return s


def simultaneous_close(s, start):
    # Both FIN_WAIT1, the FINs cross: FIN_WAIT1 -> CLOSING -> TIME_WAIT.
    wait_until(start)
    s.shutdown(socket.SHUT_WR)
    assert s.recv(1) == b""
    s.close()


def main():
    role, scenario, addr, peer, proto = sys.argv[1:6]
    proto = int(proto)
    start = float(sys.argv[6]) if len(sys.argv) > 6 else 0
    if scenario == "simultaneous":
        s = simultaneous_open(role, addr, peer, proto, start)
        simultaneous_close(s, start + 9)
    elif role == "server":
        # LISTEN; the child: SYN_RECV -> ESTABLISHED -> CLOSE_WAIT ->
        # LAST_ACK -> CLOSE (the client closes first); then the second
        # connection: the server closes first, FIN_WAIT1 -> FIN_WAIT2 ->
        # TIME_WAIT; a third from the same client port reuses the 4-tuple
        # in TIME_WAIT; a fourth is reset by the client (ESTABLISHED ->
        # CLOSE); LISTEN -> CLOSE.
        ls = sock(proto, PORT_L, addr)
        ls.listen(8)
        ls.settimeout(20)
        c, _ = ls.accept()
        assert c.recv(5) == b"hello"
        c.sendall(b"world")
        assert c.recv(1) == b""
        c.close()
        c, _ = ls.accept()
        c.sendall(b"bye")
        c.close()
        c, _ = ls.accept()
        assert c.recv(5) == b"again"
        c.close()
        c, _ = ls.accept()
        c.settimeout(10)
        try:
            c.recv(1)
            raise AssertionError("no reset")
        except ConnectionResetError:
            pass
        c.close()
        ls.close()
    elif role == "client":
        # CLOSE -> SYN_SENT -> ESTABLISHED -> FIN_WAIT1 -> FIN_WAIT2 ->
        # TIME_WAIT; then CLOSE_WAIT -> LAST_ACK; a connect refused
        # (SYN_SENT -> CLOSE).
        # The server may still be starting on a loaded machine.
        for _ in range(100):
            c = sock(proto)
            c.settimeout(10)
            try:
                c.connect((peer, PORT_L))
                break
            except ConnectionRefusedError:
                c.close()
                time.sleep(0.1)
        c.sendall(b"hello")
        assert c.recv(5) == b"world"
        c.shutdown(socket.SHUT_WR)
        time.sleep(0.5)
        c.close()
        c = sock(proto, PORT_A, addr)
        c.settimeout(10)
        c.connect((peer, PORT_L))
        assert c.recv(3) == b"bye"
        assert c.recv(1) == b""
        c.close()
        # The server holds the 4-tuple in TIME_WAIT for 4 s: a new SYN
        # from the same port, with a newer ISN, opens it at once.
        time.sleep(0.5)
        c = sock(proto, PORT_A, addr)
        c.settimeout(5)
        c.connect((peer, PORT_L))
        c.sendall(b"again")
        assert c.recv(1) == b""
        c.close()
        c = sock(proto)
        c.connect((peer, PORT_L))
        time.sleep(0.3)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        c.close()
        c = sock(proto)
        c.settimeout(10)
        try:
            c.connect((peer, 9))
            raise AssertionError("connect to a closed port succeeded")
        except ConnectionRefusedError:
            pass
    print("ok")


if __name__ == "__main__":
    main()
