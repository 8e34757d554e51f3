"""Deterministic interleavings of two workers: a worker stops at a named step until the test
lets it go, so the order of their writes is fixed by the test, not by timing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


class Gate:
    """One stop: `reached` is set when the worker arrives; it waits there until `open()`."""

    def __init__(self) -> None:
        self.reached = asyncio.Event()
        self._go = asyncio.Event()

    async def stop(self) -> None:
        self.reached.set()
        await self._go.wait()

    def open(self) -> None:
        self._go.set()


class Paused:
    """Wraps an object; the first call of `method` (or the `nth` call) stops at the gate before
    it runs. Everything else passes through."""

    def __init__(self, inner: Any, method: str, gate: Gate, nth: int = 1) -> None:
        self._inner = inner
        self._method = method
        self._gate = gate
        self._nth = nth
        self._calls = 0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name != self._method:
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self._calls += 1
            if self._calls != self._nth:
                return value(*args, **kwargs)
            return self._after_gate(value, *args, **kwargs)

        return call

    async def _after_gate(self, value: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        await self._gate.stop()
        result = value(*args, **kwargs)
        return await result if isinstance(result, Awaitable) else result


async def until_stopped(task: asyncio.Task[Any], gate: Gate) -> None:
    """Runs the event loop until `task` reaches `gate` (or fails, which is re-raised)."""
    reached = asyncio.create_task(gate.reached.wait())
    await asyncio.wait({task, reached}, return_when=asyncio.FIRST_COMPLETED)
    if not gate.reached.is_set():
        reached.cancel()
        task.result()  # raises what the worker raised
        raise AssertionError("the worker finished without reaching the gate")
