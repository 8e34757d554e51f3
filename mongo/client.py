"""One database handle for the process: a real MongoDB, or the in-process stand-in.

Both are used through PyMongo's async API. The stand-in (mongomock-motor) differs in one
call shape, `aggregate`, which the real driver awaits; `_MemoryCursorShim` makes the awaited
form work there too, so repositories have a single code path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from pymongo import AsyncMongoClient

from mongo.memory_reads import patch_memory_reads

MEMORY_URI = "memory://"


@dataclass
class Database:
    client: Any
    db: Any
    is_memory: bool

    async def ping(self) -> bool:
        if self.is_memory:
            return True
        try:
            await self.db.command("ping")
        except Exception:
            return False
        return True

    async def close(self) -> None:
        if not self.is_memory:
            await self.client.close()


def _patch_memory_aggregate() -> None:
    from mongomock_motor import AsyncLatentCommandCursor

    if getattr(AsyncLatentCommandCursor, "_loyalty_awaitable", False):
        return

    def __await__(self: Any) -> Any:
        async def itself() -> Any:
            return self

        return itself().__await__()

    setattr(AsyncLatentCommandCursor, "__await__", __await__)  # noqa: B010
    setattr(AsyncLatentCommandCursor, "_loyalty_awaitable", True)  # noqa: B010


def _patch_memory_bulk_updates() -> None:
    """PyMongo's UpdateOne hands mongomock's bulk builder a `sort` option (new in 4.11) that
    it does not know; the repositories never sort an update, so it is dropped when unset."""
    from mongomock.collection import BulkOperationBuilder

    if getattr(BulkOperationBuilder, "_loyalty_sortless", False):
        return
    add_update: Any = BulkOperationBuilder.add_update

    def sortless(self: Any, *args: Any, sort: Any = None, **kwargs: Any) -> Any:
        if sort is not None:
            raise NotImplementedError("a sorted update in a bulk write (memory://)")
        return add_update(self, *args, **kwargs)

    setattr(BulkOperationBuilder, "add_update", sortless)  # noqa: B010
    setattr(BulkOperationBuilder, "_loyalty_sortless", True)  # noqa: B010


def open_database(uri: str, db_name: str) -> Database:
    if uri == MEMORY_URI or uri.startswith(MEMORY_URI):
        from mongomock_motor import AsyncMongoMockClient

        _patch_memory_aggregate()
        _patch_memory_bulk_updates()
        patch_memory_reads()
        client: Any = AsyncMongoMockClient(tz_aware=True)
        return Database(client=client, db=client[db_name], is_memory=True)
    real: AsyncMongoClient[Any] = AsyncMongoClient(uri, **DRIVER_OPTIONS)
    return Database(client=real, db=real[db_name], is_memory=False)


# Set in code, not left to the URI, because points are money:
# - w="majority" with journaling: an acknowledged write survives a primary failover. With w=1 a
#   failover can roll back a credit or a redemption the caller was told had happened, and the
#   ledger, the idempotency records and the wallet could be rolled back unevenly.
# - readPreference="primary" and readConcern "majority": every read-decide-write step (the
#   conditional wallet update, idempotency claims, leases) reads what the primary committed,
#   never a lagging secondary's older wallet, and never data a failover could roll back.
# - retryWrites/retryReads: a single transient error (failover, dropped connection) is retried
#   once by the driver; the application's own idempotency covers everything beyond that.
# An operator's URI options cannot weaken these (keyword arguments win over the URI).
DRIVER_OPTIONS: dict[str, Any] = {
    "tz_aware": True,
    # Dates come back in datetime.UTC itself, not BSON's own UTC class (whose conversions run
    # in Python): every read converts them to datetime.UTC (loyalty.clock.ensure_utc).
    "tzinfo": UTC,
    "uuidRepresentation": "standard",
    "appname": "loyalty",
    "w": "majority",
    "journal": True,
    "readPreference": "primary",
    "readConcernLevel": "majority",
    "retryWrites": True,
    "retryReads": True,
}
