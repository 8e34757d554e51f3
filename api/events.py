"""In-process fan-out of wallet changes to `walletUpdated` subscribers: the adapter behind the
wallet-event port (loyalty/wallet_events.py, `WalletFeed`).

One process only: with several API instances, a subscriber hears about changes made by its own
instance. MongoDB change streams on the members collection would lift that (see README).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict


class WalletBroker:
    def __init__(self) -> None:
        self._queues: dict[tuple[str, str], set[asyncio.Queue[None]]] = defaultdict(set)

    def publish(self, tenant: str, member_id: str) -> None:
        for queue in self._queues.get((tenant, member_id), ()):
            if queue.empty():  # coalesce bursts: subscribers re-read the latest wallet
                queue.put_nowait(None)

    def subscribe(self, tenant: str, member_id: str) -> asyncio.Queue[None]:
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        self._queues[(tenant, member_id)].add(queue)
        return queue

    def unsubscribe(self, tenant: str, member_id: str, queue: asyncio.Queue[None]) -> None:
        queues = self._queues.get((tenant, member_id))
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[(tenant, member_id)]

    def listeners(self) -> int:
        """How many subscriptions are listening (tests wait for one to start)."""
        return sum(len(queues) for queues in self._queues.values())
