"""The engine behind the wire: mongomock, one command at a time, with the data file.

Commands run under one lock: mockupdb serves each connection on its own thread and mongomock
is not safe to share between threads (its updates change stored documents in place). Each
write command collects its effects (documents put or deleted, indexes and collections made or
dropped); they are journaled, and fsynced, before the reply is sent.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import bson
import mongomock
from bson.binary import Binary
from bson.int64 import Int64
from bson.raw_bson import RawBSONDocument

from mongo.devstore import fastpath
from mongo.devstore.catalog import Catalog
from mongo.devstore.cursors import Cursors
from mongo.devstore.errors import (
    BAD_VALUE,
    COMMAND_NOT_FOUND,
    INTERNAL_ERROR,
    NOT_IMPLEMENTED,
    TRANSACTION_TOO_OLD,
    UNKNOWN_FIELD,
    CommandError,
    not_implemented,
)
from mongo.devstore.journal import Journal, Record
from mongo.devstore.lookups import Lookups
from mongo.devstore.unique import UniqueKeys

log = logging.getLogger("loyalty.devstore")

Doc = dict[str, Any]
Handler = Callable[["Engine", Doc], Doc]
MAX_BSON_SIZE = 16 * 1024 * 1024
SESSION_TIMEOUT = timedelta(minutes=30)
RETRYABLE = {"insert", "update", "delete", "findAndModify", "findandmodify"}
# Commands that change no document: open cursors keep making their results lazily across them.
READ_ONLY = frozenset(
    {
        "find",
        "getMore",
        "killCursors",
        "aggregate",  # (the stages that write are refused)
        "count",
        "listIndexes",
        "listCollections",
        "hello",
        "isMaster",
        "ismaster",
        "ping",
        "buildInfo",
        "buildinfo",
        "endSessions",
        "createIndexes",
    }
)
# Fields any command may carry; the rest are checked per command.
GENERIC_FIELDS = {
    "$db",
    "lsid",
    "txnNumber",
    "$clusterTime",
    "$readPreference",
    "readConcern",
    "writeConcern",
    "maxTimeMS",
    "comment",
    "apiVersion",
    "apiStrict",
    "apiDeprecationErrors",
}
SNAPSHOT_BATCH = 500


@dataclass
class SessionWrite:
    """The last retryable write of a logical session, answered again if the driver retries."""

    txn: int
    reply: Doc
    at: datetime


def check_fields(command: Doc, allowed: set[str], known: frozenset[str] = frozenset()) -> None:
    name = next(iter(command))
    for field in command:
        if field == name or field in GENERIC_FIELDS or field in allowed:
            continue
        if field in ("startTransaction", "autocommit"):
            raise not_implemented("multi-document transactions")
        if field in known:
            raise not_implemented(f"the option '{name}.{field}'")
        raise CommandError(UNKNOWN_FIELD, f"BSON field '{name}.{field}' is an unknown field.")
    concern = command.get("readConcern") or {}
    if concern.get("level") == "snapshot" or "atClusterTime" in concern:
        raise not_implemented("snapshot reads")


class Engine:
    def __init__(self, journal: Journal | None = None, address: str = "127.0.0.1:27017") -> None:
        fastpath.install()
        self.client: Any = mongomock.MongoClient()
        setattr(self.client, "_devstore", True)  # noqa: B010 - see fastpath.py
        self.catalog = Catalog()
        self.unique = UniqueKeys()
        self.lookups = Lookups(self.catalog)
        setattr(self.client, "_devstore_lookups", self.lookups)  # noqa: B010 - see fastpath.py
        self.cursors = Cursors()
        self.sessions: dict[bytes, SessionWrite] = {}
        self.address = address
        self.lock = threading.RLock()
        self._journal = journal
        self._effects: list[Doc] = []
        self._commands: dict[str, Handler] = {}
        self._collections: dict[str, Any] = {}

    # -- commands ---------------------------------------------------------------------------

    def register(self, handlers: Mapping[str, Handler]) -> None:
        self._commands.update(handlers)

    def run(self, command: Doc) -> Doc:
        """The reply to one command (an error reply if it failed)."""
        with self.lock:
            self._effects = []
            self._settle_cursors(command)
            try:
                reply = self._dispatch(command)
            except CommandError as exc:
                reply = exc.reply()
            self._commit(command, reply)
            return reply

    def _settle_cursors(self, command: Doc) -> None:
        """Before a command that may change documents, the cursors over them make the rest of
        their results: what they hand out stays what matched when they opened (cursors.py)."""
        name = next(iter(command), "")
        if name in READ_ONLY:
            return
        target = command.get(name)
        if name in RETRYABLE and isinstance(target, str) and isinstance(command.get("$db"), str):
            self.cursors.settle(f"{command['$db']}.{target}")
        else:
            self.cursors.settle()  # drops, index drops and anything else: every cursor

    def _dispatch(self, command: Doc) -> Doc:
        name = next(iter(command), "")
        handler = self._commands.get(name)
        if handler is None:
            raise CommandError(COMMAND_NOT_FOUND, f"no such command: '{name}'")
        session = self._session_key(command) if name in RETRYABLE else None
        if session is not None:
            prior = self.sessions.get(session)
            txn = int(command["txnNumber"])
            if prior is not None and prior.txn == txn:
                return prior.reply
            if prior is not None and prior.txn > txn:
                raise CommandError(
                    TRANSACTION_TOO_OLD,
                    f"Cannot start transaction {txn} on session because a newer transaction "
                    f"{prior.txn} has already started",
                )
        try:
            reply = handler(self, command)
        except CommandError:
            raise
        except mongomock.OperationFailure as exc:
            raise CommandError(exc.code or BAD_VALUE, str(exc)) from exc
        except NotImplementedError as exc:
            raise CommandError(NOT_IMPLEMENTED, f"not implemented by the dev store: {exc}") from exc
        except (ValueError, TypeError) as exc:
            raise CommandError(BAD_VALUE, str(exc)) from exc
        except Exception as exc:
            log.exception("dev store internal error on %r", name)
            raise CommandError(INTERNAL_ERROR, f"dev store internal error: {exc!r}") from exc
        if session is not None:
            self.sessions[session] = SessionWrite(int(command["txnNumber"]), reply, _now())
        return reply

    @staticmethod
    def _session_key(command: Doc) -> bytes | None:
        lsid = command.get("lsid")
        if "txnNumber" not in command or not isinstance(lsid, dict) or "id" not in lsid:
            return None
        return bytes(lsid["id"])

    def _commit(self, command: Doc, reply: Doc) -> None:
        """Journals the command's effects (and its retry answer) before the reply goes out."""
        record: Record = {}
        if self._effects:
            record["ops"] = self._effects
        session = self._session_key(command)
        if session is not None and reply.get("ok") and next(iter(command)) in RETRYABLE:
            record["session"] = _session_record(session, self.sessions[session])
        self._effects = []
        if record and self._journal is not None:
            self._journal.append(record)

    # -- documents --------------------------------------------------------------------------

    def collection(self, ns: str) -> Any:
        # Kept: mongomock builds a new collection object on every access, and one serves for
        # good (dropping a collection empties its store in place).
        found = self._collections.get(ns)
        if found is None:
            db, name = ns.split(".", 1)
            found = self._collections[ns] = self.client[db][name]
        return found

    def documents(self, ns: str) -> list[Doc]:
        """The stored documents themselves, to read only (mongomock's find copies each one, and
        its cursor re-slices its results on every step: quadratic over a large collection)."""
        return list(self.collection(ns)._store._documents.values())

    def namespace(self, command: Doc) -> str:
        name = next(iter(command))
        collection = command[name]
        if not isinstance(collection, str) or not collection:
            raise CommandError(
                BAD_VALUE, f"collection name must be a non-empty string, not {collection!r}"
            )
        return f"{command['$db']}.{collection}"

    def ensure_collection(self, ns: str) -> bool:
        created = self.catalog.create(ns)
        if created:
            self.effect({"op": "create", "ns": ns})
        return created

    def effect(self, op: Doc) -> None:
        self._effects.append(op)

    def put(
        self, ns: str, doc: Doc, encoded: bytes, changed: Collection[str] | None = None
    ) -> None:
        """Records a document written (already checked against the unique indexes); the data
        file gets `encoded`, its bytes as written (the stored document may change later).
        `changed`: the only top-level fields the write changed, when it knows them."""
        self.unique.put(ns, doc)
        self.lookups.put(ns, doc, changed)
        if self._journal is not None:  # (effects are only ever journaled)
            self.effect({"op": "put", "ns": ns, "doc": RawBSONDocument(encoded)})

    def deleted(self, ns: str, doc_id: Any) -> None:
        self.unique.remove(ns, doc_id)
        self.lookups.remove(ns, doc_id)
        self.effect({"op": "del", "ns": ns, "id": doc_id})

    def add_index(self, ns: str, spec: Doc) -> None:
        if spec.get("unique"):
            self.unique.add_index(ns, spec, self.documents(ns))
        self.catalog.add(ns, spec)

    def drop_index(self, ns: str, name: str) -> None:
        self.unique.drop_index(ns, name)
        self.catalog.remove_index(ns, name)
        self.lookups.forget_index(ns)

    def drop_namespaces(self, namespaces: list[str]) -> None:
        for ns in namespaces:
            self.collection(ns).drop()
            self.unique.drop(ns)
            self.lookups.drop(ns)
            self.catalog.drop(ns)
            self.cursors.forget(ns.__eq__)

    def check_hint(self, ns: str, hint: Any) -> None:
        """A hint is only checked (nothing here plans queries): it must name an index."""
        for spec in self.catalog.listed(ns):
            if hint in (spec["name"], spec["key"]):
                return
        raise CommandError(
            BAD_VALUE, "hint provided does not correspond to an existing index", hint=hint
        )

    # -- the data file ----------------------------------------------------------------------

    def load(self) -> int:
        """Replays the data file, then compacts it; returns how many records were replayed."""
        if self._journal is None:
            return 0
        count = 0
        for record in self._journal.replay():
            for op in record.get("ops", []):
                self.apply(op)
            if "session" in record:
                entry = record["session"]
                self.sessions[bytes(entry["id"])] = SessionWrite(
                    int(entry["txn"]), entry["reply"], entry["at"].replace(tzinfo=UTC)
                )
            count += 1
        self._journal.rewrite(self.snapshot())
        return count

    def apply(self, op: Doc) -> None:
        kind, ns = op["op"], op.get("ns", "")
        if kind == "create":
            self.catalog.create(ns)
        elif kind == "put":
            self.catalog.create(ns)
            self.collection(ns).replace_one({"_id": op["doc"]["_id"]}, op["doc"], upsert=True)
            self.unique.put(ns, op["doc"])
            self.lookups.put(ns, op["doc"])
        elif kind == "del":
            self.collection(ns).delete_one({"_id": op["id"]})
            self.unique.remove(ns, op["id"])
            self.lookups.remove(ns, op["id"])
        elif kind == "index":
            self.catalog.create(ns)
            self.add_index(ns, op["spec"])
        elif kind == "unindex":
            self.drop_index(ns, op["name"])
        elif kind == "drop":
            self.drop_namespaces([ns])
        elif kind == "dropDatabase":
            self.drop_namespaces(self.catalog.namespaces(op["db"]))
        else:
            raise ValueError(f"unknown record in the data file: {kind!r}")

    def snapshot(self) -> Iterator[Record]:
        for ns in self.catalog.namespaces():
            ops: list[Doc] = [{"op": "create", "ns": ns}]
            ops += [{"op": "index", "ns": ns, "spec": s} for s in self.catalog.specs(ns)]
            yield {"ops": ops}
            batch: list[Doc] = []
            for doc in self.documents(ns):
                batch.append({"op": "put", "ns": ns, "doc": doc})
                if len(batch) >= SNAPSHOT_BATCH:
                    yield {"ops": batch}
                    batch = []
            if batch:
                yield {"ops": batch}
        self._forget_old_sessions()
        for key, write in self.sessions.items():
            yield {"session": _session_record(key, write)}

    def _forget_old_sessions(self) -> None:
        cutoff = _now() - SESSION_TIMEOUT
        for key in [k for k, w in self.sessions.items() if w.at < cutoff]:
            del self.sessions[key]

    # -- TTL --------------------------------------------------------------------------------

    def expire(self) -> int:
        """One pass of the TTL monitor (a server runs one every 60 s); journaled like a write."""
        with self.lock:
            self._effects = []
            self.cursors.settle()
            self._forget_old_sessions()
            removed = 0
            now = datetime.now(UTC).replace(tzinfo=None)
            for ns, spec in self.catalog.ttl_specs():
                if len(spec["key"]) != 1:
                    continue
                field = next(iter(spec["key"]))
                cutoff = now - timedelta(seconds=int(spec["expireAfterSeconds"]))
                query: Doc = {field: {"$lte": cutoff}}
                if "partialFilterExpression" in spec:
                    query = {"$and": [query, spec["partialFilterExpression"]]}
                collection = self.collection(ns)
                for doc in collection.find(query, {"_id": 1}):
                    collection.delete_one({"_id": doc["_id"]})
                    self.deleted(ns, doc["_id"])
                    removed += 1
            if self._effects and self._journal is not None:
                self._journal.append({"ops": self._effects})
            self._effects = []
            return removed


def _now() -> datetime:
    return datetime.now(UTC)


def _session_record(key: bytes, write: SessionWrite) -> Doc:
    return {"id": Binary(key), "txn": Int64(write.txn), "reply": write.reply, "at": write.at}


def bson_size(doc: Doc) -> int:
    return len(bson.encode(doc))
