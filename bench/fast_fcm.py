"""A fake FCM v1 endpoint built to not be the bottleneck: asyncio protocols (uvloop), HTTP/1.1
keep-alive with pipelining and HTTP/2 cleartext (prior knowledge, through h2) on the same
port, in several worker processes sharing it (SO_REUSEPORT). It answers every message with
200 and a message name without parsing JSON; every `throttle_every`-th message (when set) gets
429 with Retry-After, for back-pressure runs. `/token` hands out a fake OAuth token.

Each worker counts what it answered in its own slot of a shared array, so the bench reads the
total without a lock."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import socket
from dataclasses import dataclass
from multiprocessing.sharedctypes import SynchronizedArray
from pathlib import Path
from typing import Any

import h2.config
import h2.connection
import h2.events

PREFACE = b"PRI * HTTP/2.0"
OK_BODY = b'{"name":"projects/loyalty-test/messages/1"}'
TOKEN_BODY = b'{"access_token":"fake-access","expires_in":3600}'
THROTTLED_BODY = (
    b'{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED","details":'
    b'[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError",'
    b'"errorCode":"QUOTA_EXCEEDED"}]}}'
)


def _h1(status: bytes, body: bytes, extra: bytes = b"") -> bytes:
    return (
        b"HTTP/1.1 "
        + status
        + b"\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n"
        + extra
        + b"\r\n"
        + body
    )


H1_OK = _h1(b"200 OK", OK_BODY)
H1_TOKEN = _h1(b"200 OK", TOKEN_BODY)
H1_THROTTLED = _h1(b"429 Too Many Requests", THROTTLED_BODY, b"Retry-After: 1\r\n")


@dataclass
class Counter:
    slots: Any  # SynchronizedArray of c_long, one slot per worker
    index: int
    throttle_every: int = 0
    seen: int = 0

    def next_throttled(self) -> bool:
        self.seen += 1
        self.slots[self.index] += 1
        return bool(self.throttle_every) and self.seen % self.throttle_every == 0


class Http1(asyncio.Protocol):
    """HTTP/1.1 requests, pipelined or not; switches to HTTP/2 on the connection preface."""

    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.h2: Http2 | None = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self.h2 is not None:
            self.h2.data_received(data)
            return
        buffer = self.buffer + data
        if buffer.startswith(PREFACE[: len(buffer)]) and len(buffer) < len(PREFACE):
            self.buffer = buffer
            return
        if buffer.startswith(PREFACE):
            assert self.transport is not None
            self.h2 = Http2(self.counter, self.transport)
            self.h2.data_received(buffer)
            return
        replies = []
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[:end]
            start = head.find(b"content-length:") if b"content-length:" in head else -1
            if start < 0:
                start = head.lower().find(b"content-length:")
            length = 0
            if start >= 0:
                stop = head.find(b"\r\n", start)
                length = int(head[start + 15 : stop if stop >= 0 else None])
            if len(buffer) < end + 4 + length:
                break
            if head.startswith(b"POST /token"):
                replies.append(H1_TOKEN)
            else:
                replies.append(H1_THROTTLED if self.counter.next_throttled() else H1_OK)
            buffer = buffer[end + 4 + length :]
        self.buffer = buffer
        if replies and self.transport is not None:
            self.transport.write(b"".join(replies))


class Http2:
    def __init__(self, counter: Counter, transport: asyncio.Transport) -> None:
        self.counter = counter
        self.transport = transport
        config = h2.config.H2Configuration(client_side=False, header_encoding=None)
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.initiate_connection()
        self.conn.update_settings({h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: 1000})
        self.paths: dict[int, bytes] = {}

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        for event in conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                self.paths[event.stream_id] = dict(event.headers).get(b":path", b"")
            elif isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            elif isinstance(event, h2.events.StreamEnded):
                self._reply(event.stream_id)
        self.transport.write(conn.data_to_send())

    def _reply(self, stream: int) -> None:
        path = self.paths.pop(stream, b"")
        status, body, extra = b"200", OK_BODY, []
        if path == b"/token":
            body = TOKEN_BODY
        elif self.counter.next_throttled():
            status, body, extra = b"429", THROTTLED_BODY, [(b"retry-after", b"1")]
        headers = [
            (b":status", status),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *extra,
        ]
        self.conn.send_headers(stream, headers)
        self.conn.send_data(stream, body, end_stream=True)


def _listening(port: int, backlog: int = 1024) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    if backlog:
        sock.listen(backlog)
    return sock


def _worker(port: int, slots: Any, index: int, throttle_every: int) -> None:
    import uvloop

    async def main() -> None:
        counter = Counter(slots, index, throttle_every)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: Http1(counter), sock=_listening(port))
        await server.serve_forever()

    uvloop.run(main())


class FastFcm:
    """`workers` processes answering on one port of 127.0.0.1."""

    def __init__(self, workers: int = 2, throttle_every: int = 0) -> None:
        probe = _listening(0, backlog=0)  # holds the port number, never accepts
        self.port = probe.getsockname()[1]
        self.slots: SynchronizedArray[Any] = multiprocessing.Array("l", workers, lock=False)  # type: ignore[assignment]
        context = multiprocessing.get_context("fork")
        self.processes = [
            context.Process(
                target=_worker, args=(self.port, self.slots, i, throttle_every), daemon=True
            )
            for i in range(workers)
        ]
        for process in self.processes:
            process.start()
        probe.close()  # the workers hold the port now

    @property
    def fcm_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/projects/{{0}}/messages:send"

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/token"

    def answered(self) -> int:
        return int(sum(self.slots[:]))

    def cpu_seconds(self) -> float:
        """User + system CPU of the worker processes so far (Linux /proc)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        for process in self.processes:
            if process.pid is not None:
                os.kill(process.pid, 15)
        for process in self.processes:
            process.join(5)
