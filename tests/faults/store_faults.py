"""A database wrapper that fails the k-th call the way a replica set does.

Repositories receive `FaultyDatabase(real_db, plan)` instead of the real handle. Every call
that reaches the server (an awaited collection method, a cursor's `to_list`, the first step of
an `async for`) is numbered by the plan; at call `plan.fault_at` it raises `plan.fault`:

- AUTO_RECONNECT and NOT_PRIMARY: the server never saw the call;
- TIMEOUT_AFTER_WRITE: the call was applied, then the answer was lost (NetworkTimeout);
- DUPLICATE_KEY: an insert or upsert lost a race to a duplicate of the same request (a client
  retrying before the first answer came back, two scheduler instances), whose identical write
  landed first: the write is applied, then this caller gets E11000. (Failing without applying
  anything would describe a key that exists and does not, which no server does.) Only inserts
  and upserts can fail this way; other calls pass through untouched.

Everything else (chaining, names, options) is delegated to the real objects, so the same
wrapper serves `memory://` and a real MongoDB.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pymongo.errors import AutoReconnect, DuplicateKeyError, NetworkTimeout, NotPrimaryError

DUPLICATE_KEY_CODE = 11000


class Fault(StrEnum):
    AUTO_RECONNECT = "auto_reconnect"
    NOT_PRIMARY = "not_primary"
    TIMEOUT_AFTER_WRITE = "timeout_after_write"
    DUPLICATE_KEY = "duplicate_key"


ALL_FAULTS = tuple(Fault)

# Calls that change something, and of those the ones that may insert a document.
WRITES = frozenset(
    {
        "insert_one",
        "insert_many",
        "update_one",
        "update_many",
        "replace_one",
        "delete_one",
        "delete_many",
        "find_one_and_update",
        "find_one_and_replace",
        "find_one_and_delete",
        "bulk_write",
    }
)
CAN_UPSERT = frozenset({"update_one", "update_many", "replace_one", "find_one_and_update"})
ASYNC_METHODS = WRITES | {"find_one", "count_documents", "distinct", "estimated_document_count"}


@dataclass(frozen=True)
class Call:
    """One call that reached the server, as the plan numbered it (from 1)."""

    number: int
    collection: str
    method: str
    inserts: bool  # an insert_one or an upsert: the only calls a duplicate key can fail

    def allows(self, fault: Fault) -> bool:
        return fault is not Fault.DUPLICATE_KEY or self.inserts

    def __str__(self) -> str:
        return f"#{self.number} {self.collection}.{self.method}"


@dataclass
class FaultPlan:
    """Counts calls; fails call `fault_at` with `fault` (None: count only)."""

    fault: Fault | None = None
    fault_at: int | None = None
    calls: list[Call] = field(default_factory=list)
    fired: Call | None = None
    enabled: bool = True

    async def run(
        self,
        collection: str,
        method: str,
        inserts: bool,
        perform: Callable[[], Awaitable[Any]],
    ) -> Any:
        if not self.enabled:
            return await perform()
        call = Call(len(self.calls) + 1, collection, method, inserts)
        self.calls.append(call)
        if call.number != self.fault_at or self.fault is None or not call.allows(self.fault):
            return await perform()
        self.fired = call
        if self.fault is Fault.AUTO_RECONNECT:
            raise AutoReconnect(f"injected before {call}")
        if self.fault is Fault.NOT_PRIMARY:
            raise NotPrimaryError(f"injected before {call}: not primary")
        await perform()
        if self.fault is Fault.DUPLICATE_KEY:
            raise DuplicateKeyError(
                f"injected E11000 duplicate key on {call}", code=DUPLICATE_KEY_CODE
            )
        raise NetworkTimeout(f"injected after {call} was applied")


def _inserts(method: str, kwargs: dict[str, Any]) -> bool:
    return method == "insert_one" or (method in CAN_UPSERT and bool(kwargs.get("upsert")))


class FaultyCursor:
    """A find or aggregate cursor: chaining is passed through; fetching is one call."""

    def __init__(self, real: Any, plan: FaultPlan, collection: str, method: str) -> None:
        self._real = real
        self._plan = plan
        self._collection = collection
        self._method = method
        self._iterator: Any = None

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if not callable(attribute):
            return attribute

        def chained(*args: Any, **kwargs: Any) -> Any:
            result = attribute(*args, **kwargs)
            return self if result is self._real else result

        return chained

    async def to_list(self, length: int | None = None) -> list[Any]:
        result: list[Any] = await self._plan.run(
            self._collection, self._method, False, lambda: self._real.to_list(length)
        )
        return result

    def __aiter__(self) -> FaultyCursor:
        return self

    async def __anext__(self) -> Any:
        if self._iterator is None:
            self._iterator = self._real.__aiter__()
            return await self._plan.run(
                self._collection, self._method, False, self._iterator.__anext__
            )
        return await self._iterator.__anext__()


class FaultyCollection:
    def __init__(self, real: Any, plan: FaultPlan) -> None:
        self._real = real
        self._plan = plan

    @property
    def name(self) -> str:
        return str(self._real.name)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if name in ASYNC_METHODS:

            async def counted(*args: Any, **kwargs: Any) -> Any:
                return await self._plan.run(
                    self.name, name, _inserts(name, kwargs), lambda: attribute(*args, **kwargs)
                )

            return counted
        return attribute

    def find(self, *args: Any, **kwargs: Any) -> FaultyCursor:
        return FaultyCursor(self._real.find(*args, **kwargs), self._plan, self.name, "find")

    async def aggregate(self, *args: Any, **kwargs: Any) -> FaultyCursor:
        real = await self._plan.run(
            self.name, "aggregate", False, lambda: self._aggregate(*args, **kwargs)
        )
        return FaultyCursor(real, self._plan, self.name, "aggregate.to_list")

    async def _aggregate(self, *args: Any, **kwargs: Any) -> Any:
        return await self._real.aggregate(*args, **kwargs)

    def with_options(self, *args: Any, **kwargs: Any) -> FaultyCollection:
        return FaultyCollection(self._real.with_options(*args, **kwargs), self._plan)


class FaultyDatabase:
    def __init__(self, real: Any, plan: FaultPlan) -> None:
        self._real = real
        self._plan = plan

    def __getitem__(self, name: str) -> FaultyCollection:
        return FaultyCollection(self._real[name], self._plan)

    def get_collection(self, name: str, *args: Any, **kwargs: Any) -> FaultyCollection:
        return FaultyCollection(self._real.get_collection(name, *args, **kwargs), self._plan)

    def with_options(self, *args: Any, **kwargs: Any) -> FaultyDatabase:
        return FaultyDatabase(self._real.with_options(*args, **kwargs), self._plan)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)
