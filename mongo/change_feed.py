"""What every process must hear through the shared store: a member's wallet changed (for
`walletUpdated` subscribers connected to another process), or a tenant's settings or keys
changed (so every process drops its cached copy now, not when the copy's TTL runs out).

Each change is one small document in `change_feed`, written after the change it announces
committed (wallet events in batches, a few milliseconds apart) and removed by a TTL index
after five minutes. Every process reads what the others wrote:
- through a change stream on that collection when the server offers them (a replica set);
- else by polling it every 200 ms (the dev store answers `$changeStream` with an error),
  from a cursor that overlaps the previous poll by two seconds, so a write that committed
  late is still heard, and remembered ids so nothing is heard twice.
A process hears its own changes at once, in memory, and skips them in the feed.

Best effort, like the in-process broker: an event lost to a crash between the write it
announces and its own insert is not heard (a subscriber catches up on the next change; a
cache falls back to its TTL).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from bson import ObjectId
from pymongo.errors import OperationFailure, PyMongoError

from loyalty.clock import Clock
from loyalty.wallet_events import WalletFeed
from mongo.tenant_changes import TenantChanges

log = logging.getLogger("loyalty.feed")

COLLECTION = "change_feed"
KEEP = timedelta(minutes=5)
POLL_SECONDS = 0.2
OVERLAP = timedelta(seconds=2)
BATCH_SECONDS = 0.005  # wallet events published meanwhile share one insert
RETRY_SECONDS = 1.0


class ChangeFeed:
    """The wallet-event port across processes (loyalty/wallet_events.py, `WalletFeed`), over
    `local`, the in-process broker that holds this process's subscribers."""

    def __init__(
        self,
        db: Any,
        local: WalletFeed,
        changes: TenantChanges,
        clock: Clock,
        *,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self._events = db[COLLECTION]
        self.local = local
        self.changes = changes
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.origin = uuid.uuid4().hex
        self.mode = "stopped"  # then "change stream" or "polling"
        self._pending: list[dict[str, Any]] = []
        self._writer: asyncio.Task[None] | None = None
        self._reader: asyncio.Task[None] | None = None
        changes.announce = self.announce_tenant

    # -- the port ---------------------------------------------------------------------------

    def publish(self, tenant: str, member_id: str) -> None:
        self.local.publish(tenant, member_id)
        self._pending.append(self._document(tenant, member_id))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(self._write_pending())

    def subscribe(self, tenant: str, member_id: str) -> asyncio.Queue[None]:
        return self.local.subscribe(tenant, member_id)

    def unsubscribe(self, tenant: str, member_id: str, queue: asyncio.Queue[None]) -> None:
        self.local.unsubscribe(tenant, member_id, queue)

    async def announce_tenant(self, slug: str) -> None:
        """Awaited by the write that changed the tenant, so its answer means "shared"."""
        try:
            await self._events.insert_one(self._document(slug, None))
        except PyMongoError:  # the change itself is committed: other copies expire by TTL
            log.warning("change of tenant %s not shared", slug, exc_info=True)

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.flush()

    async def flush(self) -> None:
        """Waits until the wallet events published so far are written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.wait({self._writer})

    # -- writing ----------------------------------------------------------------------------

    def _document(self, tenant: str, member_id: str | None) -> dict[str, Any]:
        now = self.clock.now()
        doc: dict[str, Any] = {
            "_id": ObjectId(),
            "at": now,
            "expire_at": now + KEEP,
            "origin": self.origin,
            "tenant": tenant,
        }
        if member_id is not None:
            doc["member"] = member_id
        return doc

    async def _write_pending(self) -> None:
        await asyncio.sleep(BATCH_SECONDS)
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._events.insert_many(batch, ordered=False)
            except PyMongoError:
                log.warning("%d wallet events not shared", len(batch), exc_info=True)

    # -- reading ----------------------------------------------------------------------------

    def _heard(self, doc: dict[str, Any]) -> None:
        if doc.get("origin") == self.origin:
            return
        member = doc.get("member")
        if member is None:
            self.changes.heard(doc["tenant"])
        else:
            self.local.publish(doc["tenant"], member)

    async def _read(self) -> None:
        since = self.clock.now()
        try:
            stream = await self._watch(None)
        except OperationFailure as exc:  # not a replica set, or the dev store
            log.info("no change streams here (%s): polling the change feed", exc.code)
            self.mode = "polling"
            await self._poll(since)
            return
        self.mode = "change stream"
        await self._follow(stream)

    async def _watch(self, resume_after: Any) -> Any:
        pipeline = [{"$match": {"operationType": "insert"}}]
        return await self._events.watch(pipeline, resume_after=resume_after)

    async def _follow(self, stream: Any) -> None:
        token: Any = None
        while True:
            try:
                async with stream:
                    async for change in stream:
                        token = stream.resume_token
                        self._heard(change["fullDocument"])
            except PyMongoError:
                log.warning("change stream interrupted; reopening", exc_info=True)
            while True:
                await asyncio.sleep(RETRY_SECONDS)
                try:
                    stream = await self._watch(token)
                    break
                except PyMongoError:
                    token = None  # the history to resume from may be gone: start afresh

    async def _poll(self, since: datetime) -> None:
        seen: dict[Any, datetime] = {}
        while True:
            started = self.clock.now()
            try:
                cursor = self._events.find({"at": {"$gte": since - OVERLAP}}, sort=[("at", 1)])
                async for doc in cursor:
                    if doc["_id"] not in seen:
                        seen[doc["_id"]] = doc["at"]
                        self._heard(doc)
                since = started
                horizon = since - OVERLAP
                seen = {key: at for key, at in seen.items() if at >= horizon}
            except PyMongoError:  # keep `since`: the next poll covers the gap
                log.warning("polling the change feed failed", exc_info=True)
            await asyncio.sleep(self.poll_seconds)
