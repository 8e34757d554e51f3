"""Read ahead, write behind: a bulk job's three steps kept busy at once.

A job that streams documents from one cursor, builds rows from them and writes the rows in
batches waits on the database twice per batch if it does one thing at a time: for the next
batch of documents (a getMore) and for the last write. Here a reader task keeps the cursor's
next batch on its way while rows are built, and up to `writes` bulk writes are in flight, so
the database always has the next request queued and the job's own work overlaps it. Memory
stays bounded: at most `pages` pages read ahead and `writes` batches being written.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

Item = TypeVar("Item")
Row = TypeVar("Row")

_DONE = object()


async def pipelined(
    source: AsyncIterator[Item],
    build: Callable[[Item], list[Row]],
    write: Callable[[list[Row]], Awaitable[list[Row]]],
    *,
    batch: int,
    pages: int = 2,
    writes: int = 2,
) -> int:
    """Rows written (those `write` reports), built from every item of `source`, `batch` at a
    time. An error in any step stops the others; writes already started still finish."""
    ahead: asyncio.Queue[list[Item] | object] = asyncio.Queue(maxsize=pages)
    reader = asyncio.ensure_future(_read(source, ahead, batch))
    in_flight: deque[asyncio.Future[list[Row]]] = deque()
    written = 0
    rows: list[Row] = []
    try:
        while (page := await ahead.get()) is not _DONE:
            if isinstance(page, BaseException):
                raise page
            for item in page:  # type: ignore[attr-defined]
                rows += build(item)
            if len(rows) >= batch:
                if len(in_flight) >= writes:
                    written += len(await in_flight.popleft())
                in_flight.append(asyncio.ensure_future(write(rows)))
                rows = []
        while in_flight:
            written += len(await in_flight.popleft())
        return written + (len(await write(rows)) if rows else 0)
    finally:
        reader.cancel()
        if in_flight:  # a step failed: the writes in flight still finish
            await asyncio.gather(*in_flight, return_exceptions=True)
        await asyncio.gather(reader, return_exceptions=True)


async def _read(
    source: AsyncIterator[Item], ahead: asyncio.Queue[list[Item] | object], batch: int
) -> None:
    try:
        page: list[Item] = []
        async for item in source:
            page.append(item)
            if len(page) >= batch:
                await ahead.put(page)
                page = []
        if page:
            await ahead.put(page)
        await ahead.put(_DONE)
    except Exception as error:  # handed to the builder, which raises it
        await ahead.put(error)
