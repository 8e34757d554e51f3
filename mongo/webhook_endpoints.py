"""Outbound webhook endpoints; each secret is stored encrypted (loyalty.stores.SecretBox).

`subscribed` is asked on every wallet change, so it is answered from a short-lived in-process
copy (real time, not the domain clock: it is a cache, not a rule). Writes through this instance
drop the copy at once; other instances see a new endpoint within TTL_SECONDS."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING, ReturnDocument

from loyalty.clock import SystemClock
from loyalty.stores import SecretBox
from loyalty.webhooks import WebhookEndpoint, WebhookEvent
from mongo.codec import utc, utc_or_none
from mongo.ttl_copies import TtlCopies


def _from(doc: dict[str, Any], cipher: SecretBox) -> WebhookEndpoint:
    return WebhookEndpoint(
        id=doc["_id"].split(":", 1)[1],
        tenant=doc["tenant"],
        url=doc["url"],
        events=frozenset(WebhookEvent(e) for e in doc["events"]),
        active=doc["active"],
        created_at=utc(doc["created_at"]),
        updated_at=utc(doc["updated_at"]),
        secret=cipher.open(doc["secret"]),
        failing_since=utc_or_none(doc.get("failing_since")),
        disabled_at=utc_or_none(doc.get("disabled_at")),
        disabled_reason=doc.get("disabled_reason"),
    )


class MongoWebhookEndpoints:
    def __init__(self, db: Any, cipher: SecretBox) -> None:
        self._c = db["webhook_endpoints"]
        self._cipher = cipher
        # Every wallet event asks whether anyone listens; the answer is kept for a few seconds.
        self._subscribed: TtlCopies[str, frozenset[WebhookEvent]] = TtlCopies(SystemClock())

    async def save(self, endpoint: WebhookEndpoint) -> None:
        self._subscribed.drop(endpoint.tenant)
        await self._c.replace_one(
            {"_id": f"{endpoint.tenant}:{endpoint.id}", "tenant": endpoint.tenant},
            {
                "tenant": endpoint.tenant,
                "url": endpoint.url,
                "events": sorted(e.value for e in endpoint.events),
                "active": endpoint.active,
                "created_at": endpoint.created_at,
                "updated_at": endpoint.updated_at,
                "secret": self._cipher.seal(endpoint.secret),
                "failing_since": endpoint.failing_since,
                "disabled_at": endpoint.disabled_at,
                "disabled_reason": endpoint.disabled_reason,
            },
            upsert=True,
        )
        self._subscribed.drop(endpoint.tenant)

    async def get(self, tenant: str, endpoint_id: str) -> WebhookEndpoint | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{endpoint_id}", "tenant": tenant})
        return _from(doc, self._cipher) if doc else None

    async def list(self, tenant: str) -> list[WebhookEndpoint]:
        cursor = self._c.find({"tenant": tenant}).sort("created_at", ASCENDING)
        return [
            _from(doc, self._cipher) for doc in await cursor.hint("tenant_created_at").to_list(None)
        ]

    async def subscribed(self, tenant: str) -> frozenset[WebhookEvent]:
        async def load() -> frozenset[WebhookEvent]:
            docs = await (
                self._c.find({"tenant": tenant, "active": True, "disabled_at": None}, {"events": 1})
                .hint("tenant_created_at")
                .to_list(None)
            )
            return frozenset(WebhookEvent(e) for doc in docs for e in doc["events"])

        return await self._subscribed.get(tenant, load) or frozenset()

    async def record_outcome(
        self, tenant: str, endpoint_id: str, *, ok: bool, at: datetime
    ) -> WebhookEndpoint | None:
        """A success clears `failing_since`; a failure sets it unless already failing."""
        key: dict[str, Any] = {"_id": f"{tenant}:{endpoint_id}", "tenant": tenant}
        if ok:
            update: dict[str, Any] = {"$set": {"failing_since": None}}
        else:
            key = {**key, "failing_since": None}
            update = {"$set": {"failing_since": at}}
        doc = await self._c.find_one_and_update(key, update, return_document=ReturnDocument.AFTER)
        if doc is None and not ok:  # already failing: nothing to change
            return await self.get(tenant, endpoint_id)
        return _from(doc, self._cipher) if doc else None

    async def disable(self, tenant: str, endpoint_id: str, *, at: datetime, reason: str) -> bool:
        self._subscribed.drop(tenant)
        result = await self._c.update_one(
            {"_id": f"{tenant}:{endpoint_id}", "tenant": tenant, "disabled_at": None},
            {"$set": {"disabled_at": at, "disabled_reason": reason}},
        )
        return bool(result.modified_count == 1)
