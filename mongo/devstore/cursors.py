"""Server-side cursors: a query's results handed out in batches across getMore calls.

The results are computed when the cursor opens (a snapshot); each batch holds at most the
requested count and at most 16 MiB of documents, as a server's would. Idle cursors die after
10 minutes, like a server's default cursor timeout.
"""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import bson
from bson.int64 import Int64
from bson.raw_bson import RawBSONDocument

from mongo.devstore.errors import CURSOR_NOT_FOUND, CommandError

MAX_BATCH_BYTES = 16 * 1024 * 1024
DEFAULT_FIRST_BATCH = 101
IDLE_TIMEOUT_SECONDS = 600.0


@dataclass
class Cursor:
    id: int
    ns: str
    docs: deque[Mapping[str, Any]]
    last_used: float = field(default_factory=time.monotonic)
    timeout: bool = True


def _size(doc: Mapping[str, Any]) -> int:
    return len(doc.raw) if isinstance(doc, RawBSONDocument) else len(bson.encode(doc))


def _batch(docs: deque[Mapping[str, Any]], count: int | None) -> list[Mapping[str, Any]]:
    batch: list[Mapping[str, Any]] = []
    size = 0
    while docs and (count is None or len(batch) < count):
        doc_size = _size(docs[0])
        if batch and size + doc_size > MAX_BATCH_BYTES:
            break
        batch.append(docs.popleft())
        size += doc_size
    return batch


class Cursors:
    def __init__(self) -> None:
        self._open: dict[int, Cursor] = {}

    def first_batch(
        self,
        ns: str,
        docs: Sequence[Mapping[str, Any]],
        batch_size: int | None,
        single_batch: bool = False,
        timeout: bool = True,
    ) -> dict[str, Any]:
        self._reap()
        pending = deque(docs)
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
        batch = _batch(cursor.docs, batch_size or None)
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
