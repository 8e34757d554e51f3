"""insert, update, delete and findAndModify, with upserts and per-statement write errors.

Every changed document is re-read and checked as the server would: at most 16 MiB, and no
unique index broken; a statement that fails is undone and reported as a write error (ordered
batches stop there). mongomock applies the update operators; everything around them (which
documents, limits, unique indexes, upserted ids, counts) is decided here.
"""

from __future__ import annotations

from itertools import islice, repeat
from typing import Any

import bson
import mongomock
from bson.raw_bson import RawBSONDocument
from bson.timestamp import Timestamp
from mongomock import helpers

from mongo.devstore import plain_updates
from mongo.devstore.engine import MAX_BSON_SIZE, Doc, Engine, check_fields
from mongo.devstore.errors import (
    BAD_VALUE,
    BSON_OBJECT_TOO_LARGE,
    DUPLICATE_KEY,
    FAILED_TO_PARSE,
    NOT_IMPLEMENTED,
    UPDATED_DOCUMENT_TOO_LARGE,
    UPSERTED_DOCUMENT_TOO_LARGE,
    CommandError,
)
from mongo.devstore.results import copied, matching

STATEMENT_OPTIONS = frozenset({"arrayFilters", "collation", "c", "sort"})


def _statement_error(exc: Exception) -> CommandError:
    if isinstance(exc, CommandError):
        return exc
    if isinstance(exc, mongomock.DuplicateKeyError):
        return CommandError(DUPLICATE_KEY, f"E11000 duplicate key error index: _id_ ({exc})")
    if isinstance(exc, mongomock.OperationFailure):
        return CommandError(exc.code or BAD_VALUE, str(exc))
    if isinstance(exc, NotImplementedError):
        return CommandError(NOT_IMPLEMENTED, f"not implemented by the dev store: {exc}")
    if isinstance(exc, ValueError | TypeError | KeyError):
        return CommandError(BAD_VALUE, str(exc))
    raise exc


def _batch(engine: Engine, ns: str, items: list[Any], ordered: bool, one: Any) -> Doc:
    reply: Doc = {"n": 0}
    errors: list[Doc] = []
    for index, item in enumerate(items):
        try:
            one(engine, ns, index, item, reply)
        except Exception as exc:
            errors.append(_statement_error(exc).write_error(index))
            if ordered:
                break
    if errors:
        reply["writeErrors"] = errors
    reply["ok"] = 1.0
    return reply


def insert(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"documents", "ordered", "bypassDocumentValidation"})
    ns = engine.namespace(command)
    return _batch(engine, ns, command.get("documents", []), command.get("ordered", True), _insert)


def _insert(engine: Engine, ns: str, index: int, doc: Doc, reply: Doc) -> None:
    encoded: bytes | None = None
    if isinstance(doc, RawBSONDocument):  # the bytes the client sent (wire.py)
        encoded = bytes(doc.raw)
        _check_size(len(encoded))
        doc = bson.decode(encoded)  # a private copy, as stored
    if "_id" not in doc:
        doc = {"_id": bson.ObjectId(), **doc}
        encoded = None
    # A server fills in empty timestamps of top-level fields (the types first: few rows hold one).
    if Timestamp in set(map(type, doc.values())):
        for key, value in doc.items():
            if isinstance(value, Timestamp) and not value.time and not value.inc:
                doc[key] = helpers.get_current_timestamp()  # type: ignore[no-untyped-call]
                encoded = None
    if encoded is None:
        encoded = bson.encode(doc)
        _check_size(len(encoded))
        stored = bson.decode(encoded)
    else:
        stored = doc
    engine.unique.check(ns, stored)
    engine.ensure_collection(ns)
    _add(engine.collection(ns), stored)
    engine.put(ns, stored, encoded)
    reply["n"] += 1


def _check_size(size: int) -> None:
    if size > MAX_BSON_SIZE:
        raise CommandError(
            BSON_OBJECT_TOO_LARGE,
            f"object to insert too large. size in bytes: {size}, max size: {MAX_BSON_SIZE}",
        )


def _add(collection: Any, doc: Doc) -> None:
    """mongomock's insert without its costs: `doc` was just decoded from BSON, so it is private
    and its dates are already naive UTC milliseconds (what mongomock's insert would copy and
    patch every value for); only the checks that can fail remain."""
    doc_id = doc["_id"]
    if isinstance(doc_id, dict):  # mongomock keys documents used as _id its own way
        collection.insert_one(doc)
        return
    # (bson.encode has refused NUL characters in names already)
    if any(map(str.startswith, doc, repeat("$"))):
        key = next(key for key in doc if key.startswith("$"))
        raise CommandError(
            BAD_VALUE, f'Top-level field names cannot start with the "$" sign (found: {key})'
        )
    # The store's documents directly: the engine's lock already serialises every access.
    documents = collection._store._documents
    if doc_id in documents:
        raise mongomock.DuplicateKeyError("E11000 Duplicate Key Error", 11000)
    documents[doc_id] = doc


def update(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"updates", "ordered", "bypassDocumentValidation"}, frozenset({"let"}))
    ns = engine.namespace(command)
    reply = _batch(engine, ns, command.get("updates", []), command.get("ordered", True), _update)
    reply.setdefault("nModified", 0)
    return reply


def _is_replacement(update: Any) -> bool:
    if isinstance(update, list):
        return False
    if not isinstance(update, dict):
        raise CommandError(FAILED_TO_PARSE, "Update argument must be either an object or an array")
    operators = [key.startswith("$") for key in update]
    if any(operators) and not all(operators):
        raise CommandError(FAILED_TO_PARSE, "Unknown modifier: mixing operators and fields")
    return not any(operators)


def apply_update(
    engine: Engine, ns: str, query: Doc, update: Any, upsert: bool, multi: bool
) -> tuple[int, int, Any]:
    """Applies one update statement, checked; returns how many documents it matched and
    modified, and the upserted _id (or None)."""
    replacement = _is_replacement(update)
    if replacement and multi:
        raise CommandError(
            FAILED_TO_PARSE, "multi update is not supported for replacement-style update"
        )
    collection = engine.collection(ns)
    matched = list(islice(matching(collection, query), None if multi else 1))
    change = None if replacement else plain_updates.plain(update)
    if change is not None and matched and all(plain_updates.applies(change, d) for d in matched):
        return len(matched), _apply_plain(engine, ns, matched, change), None
    before = [copied(collection, doc) for doc in matched]
    if upsert:
        engine.ensure_collection(ns)
    if replacement:
        result = collection.replace_one(query, update, upsert=upsert)
    elif multi:
        result = collection.update_many(query, update, upsert=upsert)
    else:
        result = collection.update_one(query, update, upsert=upsert)
    upserted = result.upserted_id
    if upserted is not None:
        _id_first(collection, upserted)
    ids = [doc["_id"] for doc in before] + ([] if upserted is None else [upserted])
    after = {}
    written = {}
    try:
        for doc in collection.find({"_id": {"$in": ids}}):
            encoded = _encoded_after(doc, upserted)
            engine.unique.check(ns, doc)
            engine.unique.put(ns, doc)  # so two documents of one statement cannot collide
            after[doc["_id"]] = encoded
            written[doc["_id"]] = doc
    except CommandError:
        for doc in before:
            collection.replace_one({"_id": doc["_id"]}, doc)
            engine.unique.put(ns, doc)
        if upserted is not None:
            collection.delete_one({"_id": upserted})
            engine.unique.remove(ns, upserted)
        raise
    for doc_id, encoded in after.items():
        engine.put(ns, written[doc_id], encoded)
    modified = sum(1 for doc in before if bson.encode(doc) != after.get(doc["_id"]))
    return len(before), modified, upserted


def _encoded_after(doc: Doc, upserted: Any = None) -> bytes:
    try:
        encoded = bson.encode(doc)
    except OverflowError as exc:
        raise CommandError(BAD_VALUE, f"integer overflow: {exc}") from exc
    if len(encoded) > MAX_BSON_SIZE:
        code = UPDATED_DOCUMENT_TOO_LARGE
        what = "Resulting document after update"
        if upserted is not None and doc["_id"] == upserted:
            code, what = UPSERTED_DOCUMENT_TOO_LARGE, "Document to upsert"
        raise CommandError(code, f"{what} is larger than {MAX_BSON_SIZE}")
    return encoded


def _apply_plain(engine: Engine, ns: str, matched: list[Doc], change: plain_updates.Plain) -> int:
    """The stored documents changed in place (see plain_updates.py); all undone if one of
    them breaks a limit or a unique index. Returns how many changed."""
    done: list[tuple[Doc, plain_updates.Undo]] = []
    changed: list[tuple[Doc, bytes]] = []
    try:
        for doc in matched:
            undo = plain_updates.apply(change, doc)
            done.append((doc, undo))
            if not plain_updates.changed(undo, doc):
                continue
            encoded = _encoded_after(doc)
            engine.unique.check(ns, doc)
            engine.unique.put(ns, doc)  # so two documents of one statement cannot collide
            changed.append((doc, encoded))
    except CommandError:
        for doc, undo in done:
            plain_updates.restore(doc, undo)
            engine.unique.put(ns, doc)
        raise
    fields = [*change.sets, *change.incs]
    for doc, encoded in changed:
        engine.put(ns, doc, encoded, fields)
    return len(changed)


def _id_first(collection: Any, doc_id: Any) -> None:
    """A server stores an upserted document with _id as its first field; mongomock not."""
    doc = collection.find_one({"_id": doc_id})
    if doc is not None and next(iter(doc)) != "_id":
        collection.replace_one({"_id": doc_id}, {"_id": doc_id, **doc})


def _update(engine: Engine, ns: str, index: int, statement: Doc, reply: Doc) -> None:
    check_fields(
        {"update statement": None, **statement},
        {"q", "u", "upsert", "multi", "hint", "upsertSupplied"},
        STATEMENT_OPTIONS,
    )
    if "hint" in statement:
        engine.check_hint(ns, statement["hint"])
    matched, modified, upserted = apply_update(
        engine,
        ns,
        statement.get("q", {}),
        statement.get("u"),
        bool(statement.get("upsert", False)),
        bool(statement.get("multi", False)),
    )
    reply["n"] += matched + (upserted is not None)
    reply["nModified"] = reply.get("nModified", 0) + modified
    if upserted is not None:
        reply.setdefault("upserted", []).append({"index": index, "_id": upserted})


def delete(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"deletes", "ordered"}, frozenset({"let"}))
    ns = engine.namespace(command)
    return _batch(engine, ns, command.get("deletes", []), command.get("ordered", True), _delete)


def _delete(engine: Engine, ns: str, index: int, statement: Doc, reply: Doc) -> None:
    check_fields({"delete statement": None, **statement}, {"q", "limit", "hint"}, STATEMENT_OPTIONS)
    if "hint" in statement:
        engine.check_hint(ns, statement["hint"])
    limit = statement.get("limit", 0)
    if limit not in (0, 1):
        raise CommandError(FAILED_TO_PARSE, "The limit field in delete objects must be 0 or 1.")
    ids = [d["_id"] for d in matching(engine.collection(ns), statement.get("q", {}))]
    ids = ids[:1] if limit else ids
    for doc_id in ids:
        engine.collection(ns).delete_one({"_id": doc_id})
        engine.deleted(ns, doc_id)
    reply["n"] += len(ids)


def find_and_modify(engine: Engine, command: Doc) -> Doc:
    check_fields(
        command,
        {"query", "sort", "remove", "update", "new", "fields", "upsert", "hint"},
        frozenset({"arrayFilters", "collation", "let", "bypassDocumentValidation"}),
    )
    ns = engine.namespace(command)
    if "hint" in command:
        engine.check_hint(ns, command["hint"])
    collection = engine.collection(ns)
    query, fields = command.get("query") or {}, command.get("fields") or None
    sort = list((command.get("sort") or {}).items())
    found = list(collection.find(query, {"_id": 1}, sort=sort or None).limit(1))
    target = found[0]["_id"] if found else None
    if command.get("remove"):
        if command.get("update") is not None or command.get("new"):
            raise CommandError(FAILED_TO_PARSE, "Cannot specify both an update and remove=true")
        if target is None:
            return {"lastErrorObject": {"n": 0}, "value": None, "ok": 1.0}
        value = collection.find_one({"_id": target}, fields)
        collection.delete_one({"_id": target})
        engine.deleted(ns, target)
        return {"lastErrorObject": {"n": 1}, "value": value, "ok": 1.0}
    if "update" not in command:
        raise CommandError(FAILED_TO_PARSE, "Either an update or remove=true must be specified")
    old = collection.find_one({"_id": target}, fields) if target is not None else None
    # Targeting the chosen _id keeps `sort` honoured; the positional `$` operator would need
    # the original query, so it is refused rather than applied to the wrong element.
    if any("$" in path.replace("$[", "") for path in _paths(command["update"])):
        raise CommandError(NOT_IMPLEMENTED, "positional updates in findAndModify (dev store)")
    _, _, upserted = apply_update(
        engine,
        ns,
        {"_id": target} if target is not None else query,
        command["update"],
        bool(command.get("upsert")) and target is None,
        multi=False,
    )
    last_error: Doc = {"n": 1 if target is not None or upserted is not None else 0}
    last_error["updatedExisting"] = target is not None
    if upserted is not None:
        last_error["upserted"] = upserted
    value = old
    if command.get("new"):
        changed = target if target is not None else upserted
        value = collection.find_one({"_id": changed}, fields) if changed is not None else None
    return {"lastErrorObject": last_error, "value": value, "ok": 1.0}


def _paths(update: Any) -> list[str]:
    if not isinstance(update, dict):
        return []
    return [
        path
        for operator, fields in update.items()
        if operator.startswith("$") and isinstance(fields, dict)
        for path in fields
    ]


COMMANDS = {
    "insert": insert,
    "update": update,
    "delete": delete,
    "findAndModify": find_and_modify,
    "findandmodify": find_and_modify,
}
