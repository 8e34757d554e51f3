"""mockupdb's serving loop and OP_MSG replies without its log formatting.

mockupdb builds its log lines whether or not it logs: every request and every reply is
formatted with `%r`, which renders all their documents as JSON (a bulk insert of 1,000 rows,
a find's batch of 1,000 members), and asks the socket for its peer's port. For bulk work that
cost more than the engine itself. The loop here is mockupdb's, less those lines, and a reply is
encoded once and sent.

An insert's documents (OP_MSG's `documents` sequence) are handed to the engine as the bytes
the client sent (RawBSONDocument): the engine decodes each once to store it and journals the
bytes as they came, instead of decoding, encoding and decoding every row again.
"""

from __future__ import annotations

import errno
import itertools
import socket
import struct
import traceback
from typing import Any

import bson
import mockupdb
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from mockupdb import (
    _ALL_OP_MSG_FLAGS,
    CODEC_OPTIONS,
    OP_MSG,
    OP_MSG_FLAGS,
    OPCODES,
    MockupDB,
    OpMsg,
)

_REPLY_IDS = itertools.count(1)
_HUNG_UP = (errno.ECONNRESET, errno.EBADF, errno.ENOTSOCK)
_RAW = CodecOptions(document_class=RawBSONDocument)
_HEADER = struct.Struct("<iiii")
_SECTION = struct.Struct("<bi")


class QuietMockupDB(MockupDB):  # type: ignore[misc]
    def _server_loop(self, client: socket.socket, client_addr: Any) -> None:
        """Reads requests from one client socket and answers them (mockupdb's own loop)."""
        with self._lock:
            while not self._stopped and not mockupdb._shutting_down:
                try:
                    with self._unlock():
                        request = receive_request(client, self)
                    self._requests_count += 1
                    for responder in reversed(self._autoresponders):
                        if responder.handle(request):
                            break
                    else:
                        self._request_q.put(request)
                except OSError as error:
                    if error.errno in _HUNG_UP:
                        break
                    raise
                except AssertionError:
                    traceback.print_exc()
                    break
        client.close()


def receive_request(client: socket.socket, server: Any) -> Any:
    """One request from the socket (mockupdb's, but for OP_MSG: see parse_op_msg)."""
    length, request_id, _, opcode = _HEADER.unpack(_receive(client, 16))
    msg = _receive(client, length - 16)
    if opcode == OP_MSG:
        return parse_op_msg(msg, client, server, request_id)
    if opcode not in OPCODES:
        raise NotImplementedError(f"Don't know how to unpack opcode {opcode} yet")
    return OPCODES[opcode].unpack(msg, client, server, request_id)


def _receive(client: socket.socket, length: int) -> bytes:
    """`length` bytes from the socket, read into one buffer (mockupdb's `mock_server_receive`
    appends chunk to chunk, copying a bulk insert's megabyte again for every chunk)."""
    buffer = bytearray(length)
    view = memoryview(buffer)
    got = 0
    while got < length:
        n = client.recv_into(view[got:])
        if n == 0:
            raise OSError(errno.ECONNRESET, "closed")
        got += n
    return bytes(buffer)


def parse_op_msg(msg: bytes, client: Any, server: Any, request_id: int) -> Any:
    """mockupdb's OpMsg.unpack, except that an insert's document sequence stays raw."""
    (flags,) = struct.unpack_from("<I", msg)
    if flags & ~_ALL_OP_MSG_FLAGS:
        raise ValueError(f"OP_MSG flags has reserved bits set: 0x{flags:x}")
    checksum = None
    end = len(msg)
    if flags & OP_MSG_FLAGS["checksumPresent"]:
        end -= 4
        (checksum,) = struct.unpack_from("<I", msg, end)
    payload: dict[str, Any] = CODEC_OPTIONS.document_class()
    pos = 4
    while pos < end:
        kind, size = _SECTION.unpack_from(msg, pos)
        pos += 1
        if kind == 0:
            payload.update(bson.decode(msg[pos : pos + size], CODEC_OPTIONS))
        elif kind == 1:
            name_end = msg.index(b"\x00", pos + 4)
            identifier = msg[pos + 4 : name_end].decode()
            documents = msg[name_end + 1 : pos + size]
            raw = identifier == "documents" and next(iter(payload), None) == "insert"
            payload[identifier] = bson.decode_all(documents, _RAW if raw else CODEC_OPTIONS)
        else:
            raise ValueError(f"OP_MSG section kind {kind} is not known")
        pos += size
    if pos != end:
        raise ValueError("OP_MSG sections do not fill the message")
    return OpMsg(
        payload,
        namespace=payload["$db"],
        flags=flags,
        _client=client,
        request_id=request_id,
        checksum=checksum,
        _server=server,
    )


def reply_op_msg(request: Any, reply: dict[str, Any]) -> None:
    """Sends `reply` to an OP_MSG request: flags 0, one body section."""
    data = struct.pack("<Ib", 0, 0) + bson.encode(reply)
    header = struct.pack("<iiii", 16 + len(data), next(_REPLY_IDS), request.request_id, OP_MSG)
    request._client.sendall(header + data)
