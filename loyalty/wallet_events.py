"""The wallet-event port: use cases announce that a member's wallet changed, and the
`walletUpdated` subscription listens. The in-process broker (api/events.py) implements both
sides; another transport (change streams, a message bus) would too."""

from __future__ import annotations

import asyncio
from typing import Protocol


class WalletEvents(Protocol):
    """What use cases need: say that a wallet changed (after the change is committed)."""

    def publish(self, tenant: str, member_id: str) -> None: ...


class WalletFeed(WalletEvents, Protocol):
    """What a subscriber needs as well: a queue that is poked after each change (bursts may be
    coalesced into one poke; the subscriber re-reads the wallet)."""

    def subscribe(self, tenant: str, member_id: str) -> asyncio.Queue[None]: ...

    def unsubscribe(self, tenant: str, member_id: str, queue: asyncio.Queue[None]) -> None: ...
