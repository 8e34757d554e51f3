"""The data file: an append-only log of acknowledged writes, as BSON records.

Each write command appends one record holding its effects (whole documents put, ids deleted,
indexes created or dropped) and is acknowledged only after the record is fsynced, so a
`kill -9` at any moment loses nothing that was acknowledged. A record cut short by a crash was
never acknowledged: replay stops before it and the file is truncated there. At start the log
is replayed and then rewritten as a compact snapshot (to a temporary file, fsynced, renamed).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import bson
from bson.errors import BSONError

Record = dict[str, Any]


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def replay(self) -> Iterator[Record]:
        """Yields every whole record; truncates a torn tail left by a crash."""
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        offset = 0
        while offset + 4 <= len(data):
            (size,) = struct.unpack_from("<i", data, offset)
            if size < 5 or offset + size > len(data):
                break
            try:
                record = bson.decode(data[offset : offset + size])
            except BSONError:
                break
            offset += size
            yield record
        if offset < len(data):
            with self.path.open("r+b") as file:
                file.truncate(offset)
                os.fsync(file.fileno())

    def rewrite(self, records: Iterable[Record]) -> None:
        """Replaces the file with `records`, atomically; then appends go to the new file."""
        self.close()
        temporary = self.path.with_name(self.path.name + ".compacting")
        with temporary.open("wb") as file:
            for record in records:
                file.write(bson.encode(record))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, self.path)
        _fsync_directory(self.path.parent)
        self._open()

    def append(self, record: Record) -> None:
        if self._fd is None:
            self._open()
        assert self._fd is not None
        data = bson.encode(record)
        written = 0
        while written < len(data):
            written += os.write(self._fd, data[written:])
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _open(self) -> None:
        existed = self.path.exists()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if not existed:
            _fsync_directory(self.path.parent)


def _fsync_directory(path: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
