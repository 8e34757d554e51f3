"""Apollo persisted query documents, shared by every API instance.

Keyed by the document's sha256 (`_id`). Not tenant data: a document is schema text that the
apps ship in their binaries; the answers, which are tenant data, are never stored here.
"""

from __future__ import annotations

import contextlib
from typing import Any

from pymongo.errors import DuplicateKeyError


class MongoPersistedQueries:
    def __init__(self, db: Any) -> None:
        self.collection = db["persisted_queries"]

    async def get(self, sha256_hash: str) -> str | None:
        doc = await self.collection.find_one({"_id": sha256_hash}, {"query": 1})
        return None if doc is None else str(doc["query"])

    async def put(self, sha256_hash: str, query: str) -> None:
        # Another instance may have stored the same document: same hash, same text.
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one({"_id": sha256_hash, "query": query})
