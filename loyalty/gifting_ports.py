"""What gifting and charity need from the store (mongo/transfers.py, mongo/charities.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from loyalty.gifting import Charity, Transfer


@dataclass(frozen=True)
class CharityTotal:
    charity_id: str
    points: int
    donations: int


class TransferRepository(Protocol):
    """Status changes are conditional on the status and attempt read: None means another
    writer got there first (read again)."""

    async def open(self, transfer: Transfer) -> Transfer:
        """Inserts the record, or returns the one a retry under the same key made."""
        ...

    async def get(self, tenant: str, transfer_id: str) -> Transfer | None: ...
    async def complete(self, tenant: str, transfer_id: str) -> Transfer | None: ...
    async def fail(self, tenant: str, transfer_id: str, attempt: int) -> Transfer | None: ...
    async def rearm(
        self, tenant: str, transfer_id: str, attempt: int, now: datetime, sweep_at: datetime
    ) -> Transfer | None: ...
    async def due_for_sweep(self, tenant: str, now: datetime, limit: int) -> list[Transfer]: ...
    async def sent_on(self, tenant: str, sender_id: str, day: str) -> int:
        """Points the sender has committed to transfers on that local day."""
        ...

    async def take_allowance(self, transfer: Transfer, cap: int, expire_at: datetime) -> bool:
        """Counts the transfer against its sender's day if the total stays within `cap`
        (a transfer already counted counts once). False: over the cap, nothing counted."""
        ...

    async def return_allowance(self, transfer: Transfer) -> None: ...


class CharityRepository(Protocol):
    async def save(self, tenant: str, charity: Charity) -> None: ...
    async def get(self, tenant: str, charity_id: str) -> Charity | None: ...
    async def totals(self, tenant: str, start: datetime, end: datetime) -> list[CharityTotal]:
        """Points donated per charity in [start, end), from the ledger."""
        ...

    async def list(self, tenant: str, *, active_only: bool) -> list[Charity]: ...
