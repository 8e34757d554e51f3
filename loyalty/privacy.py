"""A member's personal data: erasure (Saudi PDPL art. 18, GDPR art. 17) and export (the right
of access, GDPR art. 15 and 20).

Erasure keeps the wallet and the ledger, under a pseudonym that replaces the merchant's
customer id: the points were the merchant's liability and stay in its reports, but nothing
left says whose they were. What is removed: name, email, phone, birthday, search keys, device
tokens, notification preferences, the texts of notifications sent or queued, leaderboard
rows, free-text reasons the merchant wrote on ledger entries, and the sign-up record keyed by
the customer id. Orders, redemptions and referrals hold only the member's internal id and stay.

The erased identity cannot come back by itself: a tombstone keyed by a hash of the customer id
makes a member token for it UNAUTHENTICATED and an enrolment MEMBER_ERASED, until the
merchant enrols that customer again with the admin key (enrollMember), which starts a new,
empty member. The tombstone keeps no link to the pseudonymous wallet once erasure finished.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

PSEUDONYM_PREFIX = "erased-"


def identity_hash(tenant: str, external_id: str) -> str:
    return hashlib.sha256(f"{tenant}\x00{external_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Erasure:
    """The tombstone. `member_id` is kept only while erasure is under way, so that a retry
    after a crash can finish it; `pseudonym` is what the member's record is known as now."""

    tenant: str
    identity: str
    pseudonym: str
    erased_at: datetime
    member_id: str | None
    done: bool


class PersonalData(Protocol):
    async def begin_erasure(self, erasure: Erasure) -> Erasure:
        """Writes the tombstone, or returns the one an earlier attempt wrote."""
        ...

    async def erasure(self, tenant: str, identity: str) -> Erasure | None: ...
    async def erase(self, erasure: Erasure, member_id: str, now: datetime) -> None:
        """Removes everything personal held about the member (idempotent)."""
        ...

    async def finish_erasure(self, tenant: str, identity: str) -> None: ...
    async def forget_erasure(self, tenant: str, identity: str) -> None:
        """The merchant enrolled that customer again."""
        ...

    async def export(self, tenant: str, member_id: str) -> dict[str, Any]:
        """Everything held about the member, as plain JSON, by collection."""
        ...
