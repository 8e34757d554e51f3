"""Scheduled jobs work through due items in bounded batches."""

from __future__ import annotations

from loyalty.usecases.batches import work_through, work_through_keyset


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
        return list(range(calls * size, (calls + 1) * size))

    async def handle(item: int) -> int:
        return 1

    # when
    total = await work_through(fetch, handle, batch=5, max_batches=4)
    # then
    assert (total, calls) == (20, 4)


async def test_a_batch_of_only_items_handled_already_ends_the_pass() -> None:
    # given 3 items that handling cannot advance (always still due)
    calls = 0

    async def fetch(size: int) -> list[int]:
        nonlocal calls
        calls += 1
        return [1, 2, 3]

    async def handle(item: int) -> int:
        return 1

    # when
    total = await work_through(fetch, handle, batch=3, max_batches=20)
    # then each was handled once and the pass stopped instead of spinning
    assert (total, calls) == (3, 2)


async def test_keyset_passes_never_refetch_what_could_not_be_advanced() -> None:
    # given 7 stuck items (handling never makes them not due) ahead of 2 healthy ones
    stuck = [(n, f"stuck{n}") for n in range(7)]
    healthy = [(7, "ok7"), (8, "ok8")]
    done: list[str] = []

    async def fetch(size: int, after: int | None) -> list[tuple[int, str]]:
        due = [(k, v) for k, v in [*stuck, *healthy] if v not in done or v.startswith("stuck")]
        return [(k, v) for k, v in due if after is None or k > after][:size]

    async def handle(item: str) -> int:
        done.append(item)
        return 1

    # when batches of 3 go through
    total = await work_through_keyset(fetch, handle, batch=3)
    # then every item was handled exactly once, the healthy ones included
    assert (total, done) == (9, [*(v for _, v in stuck), "ok7", "ok8"])
