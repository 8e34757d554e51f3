"""`loyalty devstore`: the engine served over the MongoDB wire protocol with mockupdb."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any

from mockupdb import OP_MSG_FLAGS, Command, OpMsg

from mongo.devstore import admin, reads, writes
from mongo.devstore.engine import Engine
from mongo.devstore.journal import Journal
from mongo.devstore.wire import QuietMockupDB, reply_op_msg

TTL_MONITOR_SECONDS = 60.0
BANNER = """\
==========================================================================================
  loyalty devstore: FOR DEVELOPMENT AND TESTS ONLY. THIS IS NOT MONGODB.
  The MongoDB wire protocol over an in-process engine (mongomock): one lock, no
  replication, no transactions, no query planner, no authentication, no TLS.
  Never point a real deployment at it.
=========================================================================================="""


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(found) and all(ipaddress.ip_address(a[4][0]).is_loopback for a in found)


def build_engine(data: Path | None) -> Engine:
    engine = Engine(Journal(data) if data is not None else None)
    engine.register(admin.COMMANDS)
    engine.register(reads.COMMANDS)
    engine.register(writes.COMMANDS)
    return engine


class DevStore:
    """The engine behind a mockupdb server (mockupdb reads, parses and answers messages; each
    connection on its own thread)."""

    def __init__(self, engine: Engine, host: str, port: int) -> None:
        self.engine = engine
        self._server: Any = QuietMockupDB(port=port, request_timeout=None)
        self._server._address = (host, port)  # mockupdb binds "localhost" unless told
        self._server.autoresponds(self._respond)
        self.host = host
        self.port = port

    def start(self) -> int:
        self.port = int(self._server.run())
        advertised = socket.gethostname() if self.host in ("0.0.0.0", "") else self.host
        self.engine.address = f"{advertised}:{self.port}"
        return self.port

    def stop(self) -> None:
        self._server.stop()

    def _respond(self, request: Any) -> bool:
        if not isinstance(request, OpMsg | Command):
            request.hangup()  # legacy opcodes, which current drivers never send
            return True
        command = dict(request.doc)
        command.setdefault("$db", request.namespace)
        try:
            reply = self.engine.run(command)
        except OSError as exc:  # the data file: nothing may be acknowledged that is not on disk
            print(f"devstore: cannot write the data file ({exc}); stopping", file=sys.stderr)
            os._exit(70)
        if isinstance(request, OpMsg):
            if not request.flags & OP_MSG_FLAGS["moreToCome"]:  # (else unacknowledged)
                reply_op_msg(request, reply)
            return True
        request.replies(reply)
        return True


def _ttl_monitor(engine: Engine, stopped: threading.Event) -> None:
    while not stopped.wait(TTL_MONITOR_SECONDS):
        engine.expire()


def serve(host: str, port: int, data: str | None, allow_remote: bool) -> int:
    print(BANNER, file=sys.stderr, flush=True)
    if not allow_remote and not is_loopback(host):
        print(
            f"devstore: refusing to listen on {host!r}: only loopback addresses (127.0.0.1, "
            "localhost) unless --i-know-this-is-not-mongodb is given",
            file=sys.stderr,
        )
        return 2
    engine = build_engine(Path(data) if data else None)
    replayed = engine.load()
    if data:
        print(f"devstore: data file {data} ({replayed} records replayed)", file=sys.stderr)
    else:
        print("devstore: no --data file: everything is lost when it stops", file=sys.stderr)
    store = DevStore(engine, host, port)
    try:
        bound = store.start()
    except OSError as exc:
        print(f"devstore: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
        return 1
    stopped = threading.Event()
    threading.Thread(target=_ttl_monitor, args=(engine, stopped), daemon=True).start()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    print(f"devstore listening on mongodb://{host}:{bound}/", flush=True)
    while not stopped.wait(1.0):
        pass
    with engine.lock:  # no command is half-way through; every acknowledged write is on disk
        print("devstore: stopped", file=sys.stderr, flush=True)
        os._exit(0)
