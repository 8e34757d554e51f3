"""How scheduled jobs work through what is due: a bounded number of batches per tick, each
fetched fresh (what was handled is no longer due), stopping at the first short batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K")

MAX_BATCHES = 20


async def work_through(
    fetch: Callable[[int], Awaitable[list[T]]],
    handle: Callable[[T], Awaitable[int]],
    batch: int,
    max_batches: int = MAX_BATCHES,
    identity: Callable[[T], Hashable] = lambda item: item,
) -> int:
    """Returns the sum of what `handle` reported. The bound keeps one tick short; whatever is
    left is due again at the next tick. `identity` names an item (it must be hashable)."""
    total = 0
    seen: set[Hashable] = set()
    for _ in range(max_batches):
        due = await fetch(batch)
        fresh = [item for item in due if identity(item) not in seen]
        # A batch of only what this pass already handled is work that handling cannot
        # advance: fetching it again would spin; what is behind it waits for the next tick.
        if due and not fresh:
            break
        for item in fresh:
            seen.add(identity(item))
            total += await handle(item)
        if len(due) < batch:
            break
    return total


async def work_through_keyset(
    fetch: Callable[[int, K | None], Awaitable[list[tuple[K, T]]]],
    handle: Callable[[T], Awaitable[int]],
    batch: int,
    max_batches: int = MAX_BATCHES,
) -> int:
    """Like `work_through`, but each batch starts after the last key handled, so an item that
    handling could not advance (still due) is never fetched again in the same pass and can
    never hide what is due behind it."""
    total = 0
    after: K | None = None
    for _ in range(max_batches):
        due = await fetch(batch, after)
        for key, item in due:
            total += await handle(item)
            after = key
        if len(due) < batch:
            break
    return total
