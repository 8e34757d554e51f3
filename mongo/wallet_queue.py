"""Operations on one wallet that arrive together are written together (group commit).

Every wallet change is one conditional update of the member's document (`wallet.seq` must
still be what was read). When many requests change one wallet at once (a thousand carts
reserving points from one shopper, a burst of store events), each writing alone would make
all the others read again and decide again, and every write copies the whole wallet. So this
process keeps one queue per wallet: a worker takes what has queued, decides every operation in
turn on the state the previous one left (so each sees the points the others took), and writes
them all in one conditional update. Other processes still race through `wallet.seq`, as
before; nothing here is needed for correctness, only for speed under contention.

A caller that gives up (a cancelled request) before its operation is taken is dropped; once
taken, its operation is written with the rest, as a write already sent would be.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace

from loyalty.ledger import LedgerEntry
from loyalty.members import Member
from loyalty.ports import Applied, WalletOperation

# Bounds one write: a batch's entries all travel in the wallet's journal.
MAX_BATCH = 256


@dataclass(eq=False)
class Queued:
    """One caller's operation, and where its outcome goes."""

    op_id: str
    operation: WalletOperation
    maybe_applied: bool
    outcome: asyncio.Future[Applied]

    def settle(self, outcome: Applied | BaseException) -> None:
        if self.outcome.done():  # the caller gave up
            return
        if isinstance(outcome, BaseException):
            self.outcome.set_exception(outcome)
        else:
            self.outcome.set_result(outcome)


@dataclass
class Decided:
    """A batch decided on one read: the member after it, the entries to write (none: nothing
    to write), and each operation's outcome (its answer, or the error it raised, which changed
    nothing)."""

    member: Member
    entries: list[LedgerEntry] = field(default_factory=list)
    outcomes: list[tuple[Queued, Applied | Exception]] = field(default_factory=list)
    changed: bool = False


def decide(
    member: Member, batch: list[Queued], applied_before: Mapping[str, tuple[LedgerEntry, ...]]
) -> Decided:
    """Each operation in turn on the state the previous one left, as if they had run one after
    the other. An operation already applied (found in the ledger, or earlier in this batch: a
    concurrent duplicate) is a replay with its first entries."""
    decided = Decided(member)
    applied_now: dict[str, tuple[LedgerEntry, ...]] = {}
    for queued in batch:
        earlier = applied_before.get(queued.op_id) or applied_now.get(queued.op_id)
        if earlier:
            decided.outcomes.append((queued, Applied(decided.member, earlier, replayed=True)))
            continue
        state = decided.member.wallet
        try:
            change = queued.operation(state)
        except Exception as exc:  # refused (or failed): this one changes nothing
            decided.outcomes.append((queued, exc))
            continue
        if not change.entries and change.state.lots == state.lots:
            decided.outcomes.append((queued, Applied(decided.member, (), replayed=False)))
            continue
        decided.member = replace(decided.member, wallet=change.state)
        decided.entries += change.entries
        decided.changed = True
        applied_now[queued.op_id] = change.entries
        decided.outcomes.append((queued, Applied(decided.member, change.entries, replayed=False)))
    return decided


Key = tuple[str, str]
WriteBatch = Callable[[str, str, list[Queued]], Awaitable[None]]


class WalletQueues:
    """`write_batch(tenant, member_id, batch)` must settle every operation of the batch."""

    def __init__(self, write_batch: WriteBatch) -> None:
        self._write_batch = write_batch
        self._waiting: dict[Key, list[Queued]] = {}
        self._workers: dict[Key, asyncio.Task[None]] = {}

    async def submit(
        self,
        tenant: str,
        member_id: str,
        op_id: str,
        operation: WalletOperation,
        maybe_applied: bool,
    ) -> Applied:
        loop = asyncio.get_running_loop()
        key = (tenant, member_id)
        queued = Queued(op_id, operation, maybe_applied, loop.create_future())
        self._waiting.setdefault(key, []).append(queued)
        if key not in self._workers:
            # Starts on the next turn of the loop: whatever else arrives before then joins the
            # first batch.
            self._workers[key] = loop.create_task(self._drain(key))
        return await queued.outcome

    async def _drain(self, key: Key) -> None:
        try:
            while waiting := self._waiting.get(key):
                batch = [queued for queued in waiting[:MAX_BATCH] if not queued.outcome.done()]
                del waiting[:MAX_BATCH]
                if batch:
                    await self._write(key, batch)
        finally:
            # No await since the queue was last found empty: a caller arriving now starts a
            # new worker. Left-overs exist only when this worker was cancelled.
            self._workers.pop(key, None)
            for queued in self._waiting.pop(key, []):
                queued.outcome.cancel()

    async def _write(self, key: Key, batch: list[Queued]) -> None:
        try:
            await self._write_batch(*key, batch)
        except asyncio.CancelledError:
            for queued in batch:
                queued.outcome.cancel()
            raise
        except Exception as exc:  # the batch failed as a whole (the store is unreachable)
            for queued in batch:
                queued.settle(exc)
