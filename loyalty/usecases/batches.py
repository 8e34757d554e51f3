"""How scheduled jobs work through what is due: a bounded number of batches per tick, each
fetched fresh (what was handled is no longer due), stopping at the first short batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

MAX_BATCHES = 20


async def work_through(
    fetch: Callable[[int], Awaitable[list[T]]],
    handle: Callable[[T], Awaitable[int]],
    batch: int,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Returns the sum of what `handle` reported. The bound keeps one tick short; whatever is
    left is due again at the next tick."""
    total = 0
    for _ in range(max_batches):
        due = await fetch(batch)
        for item in due:
            total += await handle(item)
        if len(due) < batch:
            break
    return total
