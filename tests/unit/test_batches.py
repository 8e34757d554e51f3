"""Scheduled jobs work through due items in bounded batches."""

from __future__ import annotations

from loyalty.usecases.batches import work_through


async def test_stops_at_the_first_short_batch_and_sums_what_was_done() -> None:
    # given 7 due items, fetched 3 at a time; handled ones are no longer due
    due = list(range(7))
    handled: list[int] = []

    async def fetch(size: int) -> list[int]:
        return due[len(handled) : len(handled) + size]

    async def handle(item: int) -> int:
        handled.append(item)
        return 10

    # when
    total = await work_through(fetch, handle, batch=3)
    # then
    assert (total, handled) == (70, [0, 1, 2, 3, 4, 5, 6])


async def test_a_tick_is_bounded_and_leaves_the_rest_for_the_next() -> None:
    # given an endless supply of due items
    calls = 0

    async def fetch(size: int) -> list[int]:
        nonlocal calls
        calls += 1
        return [1] * size

    async def handle(item: int) -> int:
        return item

    # when
    total = await work_through(fetch, handle, batch=5, max_batches=4)
    # then
    assert (total, calls) == (20, 4)
