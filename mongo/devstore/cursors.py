"""Server-side cursors: a query's results handed out in batches across getMore calls.

A cursor hands out the documents as they were when it opened (a snapshot); each batch holds
at most the requested count and at most 16 MiB of documents, as a server's would. Idle cursors
die after 10 minutes, like a server's default cursor timeout.

A find's results are made as they are asked for (filtered, projected and encoded a batch at a
time), not all when the cursor opens: a client streaming a large result then works on one
batch while the next is made, instead of waiting for the whole result first. The snapshot
still holds because the engine settles a collection's open cursors (makes the rest of their
results at once) before any command that could change its documents runs (`settle`).
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import bson
from bson.int64 import Int64
from bson.raw_bson import RawBSONDocument

from mongo.devstore.errors import CURSOR_NOT_FOUND, CommandError

MAX_BATCH_BYTES = 16 * 1024 * 1024
DEFAULT_FIRST_BATCH = 101
IDLE_TIMEOUT_SECONDS = 600.0


class Pending:
    """Results not handed out yet: those made already, then those still to make."""

    def __init__(self, docs: Iterable[Mapping[str, Any]]) -> None:
        lazy = not isinstance(docs, Sequence)
        self.ready: deque[Mapping[str, Any]] = deque(() if lazy else docs)
        self._source: Iterator[Mapping[str, Any]] | None = iter(docs) if lazy else None
        self.error: Exception | None = None

    def __bool__(self) -> bool:
        """Whether any result is left (the next one is made to know)."""
        if not self.ready and self._source is not None:
            for doc in self._source:
                self.ready.append(doc)
                break
            else:
                self._source = None
        return bool(self.ready)

    def settle(self) -> None:
        """Makes every result left now (before the documents they come from change). An error
        is kept for the next getMore: the command settling the cursor is not the one to fail."""
        if self._source is None:
            return
        source, self._source = self._source, None
        try:
            self.ready.extend(source)
        except Exception as exc:
            self.error = exc


@dataclass
class Cursor:
    id: int
    ns: str
    docs: Pending
    last_used: float = field(default_factory=time.monotonic)
    timeout: bool = True


def _size(doc: Mapping[str, Any]) -> int:
    return len(doc.raw) if isinstance(doc, RawBSONDocument) else len(bson.encode(doc))


def _batch(docs: Pending, count: int | None) -> list[Mapping[str, Any]]:
    if docs.error is not None:
        raise docs.error
    batch: list[Mapping[str, Any]] = []
    size = 0
    while (count is None or len(batch) < count) and docs:
        doc_size = _size(docs.ready[0])
        if batch and size + doc_size > MAX_BATCH_BYTES:
            break
        batch.append(docs.ready.popleft())
        size += doc_size
    return batch


class Cursors:
    def __init__(self) -> None:
        self._open: dict[int, Cursor] = {}

    def first_batch(
        self,
        ns: str,
        docs: Iterable[Mapping[str, Any]],
        batch_size: int | None,
        single_batch: bool = False,
        timeout: bool = True,
    ) -> dict[str, Any]:
        self._reap()
        pending = Pending(docs)
        count = DEFAULT_FIRST_BATCH if batch_size is None else batch_size
        # batchSize 0 opens the cursor without returning anything yet.
        batch = _batch(pending, count) if count > 0 else []
        cursor_id = 0
        if pending and not single_batch:
            cursor_id = random.randint(1, 2**63 - 1)
            self._open[cursor_id] = Cursor(cursor_id, ns, pending, timeout=timeout)
        return {"cursor": {"firstBatch": batch, "id": Int64(cursor_id), "ns": ns}, "ok": 1.0}

    def get_more(self, cursor_id: int, ns: str, batch_size: int | None) -> dict[str, Any]:
        self._reap()
        cursor = self._open.get(cursor_id)
        if cursor is None or cursor.ns != ns:
            raise CommandError(CURSOR_NOT_FOUND, f"cursor id {cursor_id} not found")
        cursor.last_used = time.monotonic()
        try:
            batch = _batch(cursor.docs, batch_size or None)
        except Exception:
            del self._open[cursor_id]  # a cursor that failed is gone, as on a server
            raise
        if not cursor.docs:
            del self._open[cursor_id]
            cursor_id = 0
        return {"cursor": {"nextBatch": batch, "id": Int64(cursor_id), "ns": ns}, "ok": 1.0}

    def kill(self, ns: str, cursor_ids: list[int]) -> dict[str, Any]:
        killed: list[Int64] = []
        not_found: list[Int64] = []
        for cursor_id in cursor_ids:
            cursor = self._open.get(cursor_id)
            if cursor is not None and cursor.ns == ns:
                del self._open[cursor_id]
                killed.append(Int64(cursor_id))
            else:
                not_found.append(Int64(cursor_id))
        return {
            "cursorsKilled": killed,
            "cursorsNotFound": not_found,
            "cursorsAlive": [],
            "cursorsUnknown": [],
            "ok": 1.0,
        }

    def settle(self, ns: str | None = None) -> None:
        """Makes the rest of the results of the cursors over `ns` (over any, when None): the
        engine calls this before a command that may change documents."""
        for cursor in self._open.values():
            if ns is None or cursor.ns == ns:
                cursor.docs.settle()

    def forget(self, dropped: Callable[[str], bool]) -> None:
        """Closes the cursors over a dropped collection or database."""
        for cursor_id in [c.id for c in self._open.values() if dropped(c.ns)]:
            del self._open[cursor_id]

    def _reap(self) -> None:
        deadline = time.monotonic() - IDLE_TIMEOUT_SECONDS
        for cursor_id in [
            c.id for c in self._open.values() if c.timeout and c.last_used < deadline
        ]:
            del self._open[cursor_id]
