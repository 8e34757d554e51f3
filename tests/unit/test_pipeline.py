"""A bulk job's pipeline: the source is read ahead and several writes are in flight while rows
are built, every row is written once, and a failing step stops the run without losing the
writes already sent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from notifications.pipeline import pipelined


class Recorder:
    """Writes that finish only when released, recording what overlapped."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.written: list[int] = []
        self.release = asyncio.Event()

    async def write(self, rows: list[int]) -> list[int]:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.events.append(f"write {rows[0]}")
        await self.release.wait()
        self.in_flight -= 1
        self.written += rows
        return [row for row in rows if row % 10 != 0]  # rows ending in 0 were there already


async def numbers(count: int, events: list[str], fail_at: int | None = None) -> AsyncIterator[int]:
    for number in range(1, count + 1):
        if number == fail_at:
            raise ConnectionError("cursor lost")
        if number % 2 == 1:
            events.append(f"read {number}")
            await asyncio.sleep(0)  # a cursor batch on its way
        yield number


async def test_two_writes_are_in_flight_and_the_source_is_read_while_they_are() -> None:
    # given a source of 12 items, rows built one per item, batches of 2, writes held back
    recorder = Recorder()
    run = asyncio.ensure_future(
        pipelined(numbers(12, recorder.events), lambda n: [n], recorder.write, batch=2)
    )
    # when the run has gone as far as it can without a write finishing
    for _ in range(50):
        await asyncio.sleep(0)
    # then two writes were sent before either finished, and the source was read past them
    assert recorder.most_in_flight == 2
    after_second_write = recorder.events[recorder.events.index("write 3") + 1 :]
    assert after_second_write == ["read 9", "read 11"]
    # when the writes are let through
    recorder.release.set()
    written = await run
    # then every row was written once, counted as the writes reported them
    assert sorted(recorder.written) == list(range(1, 13))
    assert written == 11


async def test_a_failing_source_stops_the_run_after_the_writes_in_flight_finish() -> None:
    # given a source that fails at its ninth item
    recorder = Recorder()
    recorder.release.set()
    # when
    with pytest.raises(ConnectionError):
        await pipelined(
            numbers(20, recorder.events, fail_at=9), lambda n: [n], recorder.write, batch=2
        )
    # then the rows of the writes already sent were written, and no write is left hanging
    assert sorted(recorder.written) == list(range(1, 9))
    assert recorder.in_flight == 0


async def test_a_failing_write_stops_the_run() -> None:
    # given writes that fail from the second on
    calls: list[list[int]] = []

    async def write(rows: list[int]) -> list[int]:
        calls.append(rows)
        if len(calls) >= 2:
            raise ConnectionError("store gone")
        return rows

    # when
    with pytest.raises(ConnectionError):
        await pipelined(numbers(40, []), lambda n: [n, -n], write, batch=4, writes=2)
    # then the run stopped at the write that failed (no third write waited for its answer)
    assert calls[0] == [1, -1, 2, -2, 3, -3, 4, -4]
    assert len(calls) <= 3
