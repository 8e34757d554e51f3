"""Tenant enumeration for system jobs (the scheduler walks tenants one by one)."""

from __future__ import annotations

from typing import Any


async def tenant_slugs(db: Any, limit: int = 10_000) -> list[str]:
    cursor = db["tenants"].find({}, {"_id": 1}).sort("_id", 1).limit(limit)
    return [doc["_id"] for doc in await cursor.to_list(None)]
