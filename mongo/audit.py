"""The audit log, and the snapshots of each kind of document it compares before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from bson import ObjectId
from pymongo import ASCENDING, DESCENDING

from loyalty.audit import Actor, AuditEntry, AuditFilter, AuditKind, Change, Json, Outcome, Snapshot
from mongo.codec import utc

# Catalogues are small (tens of rewards, badges, charities); a snapshot never reads more.
MAX_SNAPSHOT = 1000
INTERNAL = frozenset({"_id", "tenant"})


def jsonable(value: Any) -> Json:
    """A stored value as plain JSON: dates as ISO-8601 UTC, decimals and ids as strings."""
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, Decimal | ObjectId):
        return str(value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items() if k not in INTERNAL}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _entry_doc(entry: AuditEntry) -> dict[str, Any]:
    return {
        "_id": entry.id,
        "tenant": entry.tenant,
        "at": entry.at,
        "actor": {
            "kind": entry.actor.kind,
            "key_id": entry.actor.key_id,
            "label": entry.actor.label,
        },
        "kind": entry.kind.value,
        "action": entry.action,
        "input": dict(entry.input),
        "changes": [
            {"target": c.target, "before": c.before, "after": c.after} for c in entry.changes
        ],
        "outcome": entry.outcome.value,
        "error_codes": list(entry.error_codes),
        "subjects": list(entry.subjects),
    }


def _entry_from(doc: dict[str, Any]) -> AuditEntry:
    actor = doc.get("actor") or {}
    return AuditEntry(
        id=str(doc["_id"]),
        tenant=doc["tenant"],
        at=utc(doc["at"]),
        actor=Actor(actor.get("kind", "system"), actor.get("key_id"), actor.get("label")),
        kind=AuditKind(doc["kind"]),
        action=doc["action"],
        input=doc.get("input") or {},
        changes=tuple(
            Change(c["target"], c.get("before"), c.get("after")) for c in doc.get("changes", [])
        ),
        outcome=Outcome(doc.get("outcome", Outcome.OK.value)),
        error_codes=tuple(doc.get("error_codes", [])),
        subjects=tuple(doc.get("subjects", [])),
    )


class MongoAuditLog:
    def __init__(self, db: Any) -> None:
        self._c = db["audit_log"]
        self._db = db

    async def record(self, entry: AuditEntry) -> AuditEntry:
        # ObjectIds rise within a process: entries of one instant keep their order.
        stored = replace(entry, id=str(ObjectId()))
        await self._c.insert_one(_entry_doc(stored))
        return stored

    async def page(
        self, tenant: str, where: AuditFilter, after: tuple[datetime, str] | None, limit: int
    ) -> list[AuditEntry]:
        """Index tenant_at_id, or tenant_kind_at_id when filtered by kind."""
        query: dict[str, Any] = {"tenant": tenant}
        if where.kinds:
            query["kind"] = {"$in": [k.value for k in where.kinds]}
        span: dict[str, Any] = {}
        if where.since is not None:
            span["$gte"] = where.since
        if where.until is not None:
            span["$lt"] = where.until
        if span:
            query["at"] = span
        if after is not None:
            at, last_id = after
            query["$or"] = [{"at": {"$lt": at}}, {"at": at, "_id": {"$lt": last_id}}]
        cursor = self._c.find(query).sort([("at", DESCENDING), ("_id", DESCENDING)]).limit(limit)
        return [_entry_from(doc) for doc in await cursor.to_list(None)]

    async def snapshot(self, tenant: str, kind: AuditKind) -> Snapshot:
        if kind in (AuditKind.PROGRAM, AuditKind.TIER, AuditKind.KEY):
            doc = await self._db["tenants"].find_one({"_id": tenant}) or {}
            program = doc.get("program") or {}
            if kind is AuditKind.PROGRAM:
                rest = {k: v for k, v in program.items() if k != "tiers"}
                return {"program": jsonable(rest)} if program else {}
            if kind is AuditKind.TIER:
                return {t["id"]: jsonable(t) for t in program.get("tiers", [])}
            return {**_member_keys(doc), **await self._api_keys(tenant)}
        if kind is AuditKind.THEME:
            return await self._theme(tenant)
        collection = {
            AuditKind.REWARD: "rewards",
            AuditKind.BADGE: "badges",
            AuditKind.CHARITY: "charities",
        }.get(kind)
        if collection is None:
            return {}
        # Index tenant_created_at in each of these collections.
        cursor = (
            self._db[collection]
            .find({"tenant": tenant})
            .sort("created_at", ASCENDING)
            .limit(MAX_SNAPSHOT)
        )
        return {doc["id"]: jsonable(doc) for doc in await cursor.to_list(None)}

    async def _api_keys(self, tenant: str) -> Snapshot:
        cursor = self._db["api_keys"].find({"tenant": tenant}).sort("created_at", ASCENDING)
        return {
            "key_" + doc["_id"][:16]: {
                "label": doc.get("label") or "",
                "scopes": list(doc.get("scopes", [])),
                "prefix": doc.get("prefix"),
                "created_at": jsonable(doc.get("created_at")),
                "revoked": bool(doc.get("revoked")),
            }
            for doc in await cursor.to_list(MAX_SNAPSHOT)
        }

    async def _theme(self, tenant: str) -> Snapshot:
        shots: Snapshot = {}
        draft = await self._db["app_theme_drafts"].find_one({"_id": tenant})
        if draft is not None:
            shots["draft"] = jsonable(draft)
        cursor = self._db["app_themes"].find({"tenant": tenant}).sort("version", DESCENDING)
        latest = await cursor.limit(1).to_list(1)
        if latest:
            shots["published"] = jsonable(latest[0])
        return shots


def _member_keys(tenant_doc: dict[str, Any]) -> Snapshot:
    """Member-token keys without their secrets (a public key is shown by fingerprint only)."""
    return {
        f"memberKey:{key['kid']}": {
            "alg": key.get("alg"),
            "created_at": jsonable(key.get("created_at")),
        }
        for key in tenant_doc.get("member_keys", [])
    }
