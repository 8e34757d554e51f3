"""When a declared TTL index would remove a document, read from the index declaration (the
in-process store does not apply partial filters to TTL, so tests create no TTL indexes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mongo.codec import utc
from mongo.indexes import INDEXES, is_ttl


async def expires_at(db: Any, collection: str, doc_id: Any) -> datetime | None:
    """None: this document is not finished, and no TTL index would remove it."""
    (index,) = [m.document for m in INDEXES[collection] if is_ttl(m)]
    (field,) = index["key"]
    query = {"_id": doc_id, field: {"$type": "date"}, **index.get("partialFilterExpression", {})}
    doc = await db[collection].find_one(query)
    if doc is None:
        return None
    return utc(doc[field]) + timedelta(seconds=index["expireAfterSeconds"])
