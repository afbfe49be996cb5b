#!/usr/bin/env python3
"""Minimal Bolt 4.4 client (stdlib): handshake + HELLO with basic auth + RETURN 1.

usage: bolt_check.py HOST PORT [USER PASSWORD]
Exit 0 when the server accepts the credentials and answers a query, 1 otherwise.
Used by test/provision to check Neo4j without cypher-shell or node.
"""
import socket
import struct
import sys


def pack_str(s):
    b = s.encode()
    n = len(b)
    if n < 16:
        return bytes([0x80 + n]) + b
    if n < 256:
        return b"\xd0" + bytes([n]) + b
    return b"\xd1" + struct.pack(">H", n) + b


def pack_map(d):
    assert len(d) < 16
    out = bytes([0xA0 + len(d)])
    for k, v in d.items():
        out += pack_str(k)
        out += pack_map(v) if isinstance(v, dict) else pack_str(v)
    return out


def message(sig, *fields):
    body = bytes([0xB0 + len(fields), sig]) + b"".join(fields)
    return struct.pack(">H", len(body)) + body + b"\x00\x00"


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


def recv_message(sock):
    data = b""
    while True:
        (n,) = struct.unpack(">H", recv_exact(sock, 2))
        if n == 0:
            if data:
                return data
            continue
        data += recv_exact(sock, n)


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    user = sys.argv[3] if len(sys.argv) > 3 else None
    password = sys.argv[4] if len(sys.argv) > 4 else None
    s = socket.create_connection((host, port), timeout=10)
    # magic + four proposals: 4.4 only, then none
    s.sendall(b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x04" + b"\x00" * 12)
    version = recv_exact(s, 4)
    if version != b"\x00\x00\x04\x04":
        print("bolt: server refused version 4.4 (got %r)" % version)
        return 1
    hello = {"user_agent": "apex-provision/1"}
    if user is not None:
        hello.update({"scheme": "basic", "principal": user, "credentials": password})
    else:
        hello["scheme"] = "none"
    s.sendall(message(0x01, pack_map(hello)))
    resp = recv_message(s)
    if resp[1] != 0x70:
        print("bolt: HELLO failed: %r" % resp[:200])
        return 1
    # RUN "RETURN 1" {} {} ; PULL {n:-1}
    s.sendall(message(0x10, pack_str("RETURN 1 AS x"), b"\xa0", b"\xa0"))
    s.sendall(message(0x3F, b"\xa1" + pack_str("n") + b"\xff"))
    resp = recv_message(s)
    if resp[1] != 0x70:
        print("bolt: RUN failed: %r" % resp[:200])
        return 1
    record = recv_message(s)
    if record[1] != 0x71:
        print("bolt: expected RECORD, got %r" % record[:200])
        return 1
    s.sendall(message(0x02))  # GOODBYE
    s.close()
    print("bolt: ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # noqa: BLE001
        print("bolt: %s" % e)
        sys.exit(1)
