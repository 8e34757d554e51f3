"""Apollo Automatic Persisted Queries: apps send a sha256 hash instead of the document.

Flow (Apollo's): the app sends `extensions.persistedQuery {version: 1, sha256Hash}` alone; an
unknown hash answers PERSISTED_QUERY_NOT_FOUND and the app retries with the document beside
the hash, which is verified and stored. Later requests, GET ones too (cacheable), carry only
the hash. Documents live in MongoDB (shared by every instance) behind a bounded in-process
LRU, so a warm instance answers without a database read.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from typing import Any, Protocol

from graphql import GraphQLError, parse

HASH = re.compile(r"[0-9a-f]{64}")
LRU_SIZE = 2048


class PersistedQueryStore(Protocol):
    async def get(self, sha256_hash: str) -> str | None: ...
    async def put(self, sha256_hash: str, query: str) -> None: ...


class PersistedQueryError(Exception):
    """A refusal answered like Apollo's: a GraphQL error with this `extensions.code`."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class PersistedQueries:
    def __init__(self, store: PersistedQueryStore, *, max_tokens: int, size: int = LRU_SIZE):
        self.store = store
        self.max_tokens = max_tokens
        self.size = size
        self._lru: OrderedDict[str, str] = OrderedDict()

    async def resolve(self, query: str | None, extensions: object) -> str | None:
        """The document to run: `query` itself when the request is not a persisted one."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return query
        sha256_hash = _hash_of(persisted)
        if query is None:
            known = self._lru.get(sha256_hash) or await self.store.get(sha256_hash)
            if known is None:
                raise PersistedQueryError("PERSISTED_QUERY_NOT_FOUND")
            self._remember(sha256_hash, known)
            return known
        if hashlib.sha256(query.encode()).hexdigest() != sha256_hash:
            raise PersistedQueryError("PERSISTED_QUERY_HASH_MISMATCH")
        if sha256_hash not in self._lru and self._parses(query):
            # Only documents that parse are kept: the collection must not fill with junk.
            await self.store.put(sha256_hash, query)
            self._remember(sha256_hash, query)
        return query

    def _parses(self, query: str) -> bool:
        try:
            parse(query, no_location=True, max_tokens=self.max_tokens)
        except GraphQLError:
            return False
        return True

    def _remember(self, sha256_hash: str, query: str) -> None:
        self._lru[sha256_hash] = query
        self._lru.move_to_end(sha256_hash)
        while len(self._lru) > self.size:
            self._lru.popitem(last=False)


def _hash_of(persisted: Any) -> str:
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED")
    sha256_hash = persisted.get("sha256Hash")
    if not isinstance(sha256_hash, str) or not HASH.fullmatch(sha256_hash):
        raise PersistedQueryError("PERSISTED_QUERY_NOT_SUPPORTED")
    return sha256_hash
