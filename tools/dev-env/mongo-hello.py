"""Health probe for the MongoDB wire protocol: sends `hello` as an OP_MSG and exits 0 when the
server answers ok: 1. Standard library only, so it runs before any venv exists.

Usage: python3 mongo-hello.py PORT [HOST]
"""
import socket
import struct
import sys

OP_MSG = 2013


def bson_document(fields):
    """Encodes a flat document of int32 and string values (all `hello` needs)."""
    body = b""
    for key, value in fields:
        name = key.encode() + b"\x00"
        if isinstance(value, int):
            body += b"\x10" + name + struct.pack("<i", value)
        else:
            encoded = value.encode() + b"\x00"
            body += b"\x02" + name + struct.pack("<i", len(encoded)) + encoded
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def read_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError("connection closed mid-reply")
        data += chunk
    return data


def ok_field(document):
    """Finds the top-level `ok` field (double or int32) in a BSON document."""
    position = 4
    while position < len(document) - 1:
        kind = document[position]
        end = document.index(b"\x00", position + 1)
        name = document[position + 1 : end].decode()
        position = end + 1
        sizes = {0x01: 8, 0x10: 4, 0x12: 8, 0x09: 8, 0x08: 1, 0x07: 12, 0x0A: 0, 0x11: 8}
        if name == "ok":
            if kind == 0x01:
                return struct.unpack("<d", document[position : position + 8])[0]
            if kind == 0x10:
                return struct.unpack("<i", document[position : position + 4])[0]
            return None
        if kind in sizes:
            position += sizes[kind]
        elif kind in (0x02, 0x0D, 0x0E):
            position += 4 + struct.unpack("<i", document[position : position + 4])[0]
        elif kind in (0x03, 0x04):
            position += struct.unpack("<i", document[position : position + 4])[0]
        elif kind == 0x05:
            position += 5 + struct.unpack("<i", document[position : position + 4])[0]
        else:
            return None
    return None


def main():
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    payload = struct.pack("<I", 0) + b"\x00" + bson_document([("hello", 1), ("$db", "admin")])
    header = struct.pack("<iiii", 16 + len(payload), 1, 0, OP_MSG)
    with socket.create_connection((host, port), timeout=2) as conn:
        conn.sendall(header + payload)
        length, _, _, opcode = struct.unpack("<iiii", read_exactly(conn, 16))
        reply = read_exactly(conn, length - 16)
    if opcode != OP_MSG:
        return 1
    # flagBits (4 bytes), then section kind 0 and the body document.
    return 0 if ok_field(reply[5:]) == 1 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ValueError, struct.error):
        sys.exit(1)
