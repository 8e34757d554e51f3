"""The scheduler loop: each tick, every job runs once across all instances (MongoDB lease)."""

from __future__ import annotations

import asyncio
import logging
import socket
import uuid
from datetime import timedelta

from loyalty.ports import Deps
from loyalty.usecases.settlement import settle_due_wallets
from mongo.client import Database
from mongo.leases import MongoLeases
from mongo.tenant_list import tenant_slugs

log = logging.getLogger("loyalty.scheduler")


class Scheduler:
    def __init__(self, database: Database, deps: Deps, interval: float) -> None:
        self.database = database
        self.deps = deps
        self.interval = interval
        self.leases = MongoLeases(database.db)
        self.holder = f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"

    async def tick(self) -> dict[str, int]:
        """One pass over every job; returns what each job did (for logs and tests)."""
        done: dict[str, int] = {}
        now = self.deps.clock.now()
        ttl = timedelta(seconds=max(self.interval * 5, 30))
        if await self.leases.acquire("settle", self.holder, now, ttl):
            try:
                total = 0
                for slug in await tenant_slugs(self.database.db):
                    total += await settle_due_wallets(self.deps, slug)
                done["settle"] = total
            finally:
                await self.leases.release("settle", self.holder, self.deps.clock.now())
        return done

    async def run_forever(self) -> None:
        while True:
            try:
                done = await self.tick()
                if any(done.values()):
                    log.info("scheduler tick: %s", done)
            except Exception:
                log.exception("scheduler tick failed; retrying next tick")
            await asyncio.sleep(self.interval)
