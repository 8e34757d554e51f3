"""find, getMore, killCursors, aggregate, count, listIndexes and listCollections."""

from __future__ import annotations

from typing import Any

from mongomock import aggregate as aggregation

from mongo.devstore.catalog import ID_INDEX, matches
from mongo.devstore.engine import Doc, Engine, check_fields
from mongo.devstore.errors import (
    BAD_VALUE,
    NAMESPACE_NOT_FOUND,
    TYPE_MISMATCH,
    CommandError,
    not_implemented,
)
from mongo.devstore.results import copied, counted, found, matching

# Stages that write, stream or inspect the server: not something the dev store can honour.
REFUSED_STAGES = {
    "$out",
    "$merge",
    "$changeStream",
    "$currentOp",
    "$listSessions",
    "$collStats",
    "$indexStats",
    "$planCacheStats",
}


def _is_count(pipeline: list[Any]) -> bool:
    """What PyMongo's count_documents sends after its $match (without skip or limit)."""
    if len(pipeline) != 1 or pipeline[0] != {"$group": {"_id": 1, "n": {"$sum": 1}}}:
        return False
    group = pipeline[0]["$group"]
    return type(group["_id"]) is int and type(group["n"]["$sum"]) is int


def _sort(spec: Any) -> list[tuple[str, int]] | None:
    if not spec:
        return None
    if not isinstance(spec, dict):
        raise CommandError(TYPE_MISMATCH, "sort must be a document")
    for field, direction in spec.items():
        if isinstance(direction, dict):
            raise not_implemented(f"sorting by {direction} (on {field!r})")
        if direction not in (1, -1):
            raise CommandError(BAD_VALUE, f"$sort key ordering must be 1 or -1: {field!r}")
    return [(field, int(direction)) for field, direction in spec.items()]


def _batch_size(options: Any) -> int | None:
    if not isinstance(options, dict) or "batchSize" not in options:
        return None
    size = int(options["batchSize"])
    if size < 0:
        raise CommandError(BAD_VALUE, "BatchSize value must be non-negative")
    return size


def find(engine: Engine, command: Doc) -> Doc:
    check_fields(
        command,
        {
            "filter",
            "sort",
            "projection",
            "hint",
            "skip",
            "limit",
            "batchSize",
            "singleBatch",
            "noCursorTimeout",
            "allowPartialResults",
            "allowDiskUse",
        },
        frozenset(
            {"collation", "let", "min", "max", "returnKey", "showRecordId", "tailable", "awaitData"}
        ),
    )
    ns = engine.namespace(command)
    if "hint" in command:
        engine.check_hint(ns, command["hint"])
    skip, limit = int(command.get("skip", 0)), int(command.get("limit", 0))
    if skip < 0 or limit < 0:
        raise CommandError(BAD_VALUE, "skip and limit must be non-negative")
    docs = found(
        engine.collection(ns),
        command.get("filter") or {},
        command.get("projection") or None,
        _sort(command.get("sort")),
        skip,
        limit,
    )
    return engine.cursors.first_batch(
        ns,
        docs,
        _batch_size(command),
        single_batch=bool(command.get("singleBatch")),
        timeout=not command.get("noCursorTimeout"),
    )


def get_more(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"collection", "batchSize"})
    ns = f"{command['$db']}.{command.get('collection')}"
    return engine.cursors.get_more(int(command["getMore"]), ns, _batch_size(command))


def kill_cursors(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"cursors"})
    ns = engine.namespace(command)
    return engine.cursors.kill(ns, [int(c) for c in command.get("cursors", [])])


def aggregate(engine: Engine, command: Doc) -> Doc:
    check_fields(
        command,
        {"pipeline", "cursor", "allowDiskUse", "hint", "bypassDocumentValidation"},
        frozenset({"explain", "collation", "let"}),
    )
    if not isinstance(command["aggregate"], str):
        raise not_implemented("aggregate on a database")
    ns = engine.namespace(command)
    pipeline = command.get("pipeline")
    if not isinstance(pipeline, list):
        raise CommandError(TYPE_MISMATCH, "'pipeline' option must be specified as an array")
    if "cursor" not in command:
        raise CommandError(
            BAD_VALUE, "The 'cursor' option is required, except for aggregate with the explain"
        )
    for stage in pipeline:
        name = next(iter(stage), "") if isinstance(stage, dict) else ""
        if name in REFUSED_STAGES:
            raise not_implemented(f"the {name} stage")
    if "hint" in command:
        engine.check_hint(ns, command["hint"])
    collection = engine.collection(ns)
    spec: Any = {}
    if pipeline and isinstance(pipeline[0], dict) and set(pipeline[0]) == {"$match"}:
        spec, pipeline = pipeline[0]["$match"], pipeline[1:]  # (the dev store's scan decides)
    if _is_count(pipeline):  # count_documents: nothing to copy or group
        n = counted(collection, spec)
        groups = [{"_id": 1, "n": n}] if n else []
        return engine.cursors.first_batch(ns, groups, _batch_size(command["cursor"]))
    documents = [copied(collection, doc) for doc in matching(collection, spec)]
    docs = list(
        aggregation.process_pipeline(  # type: ignore[no-untyped-call]
            documents, collection.database, pipeline, None
        )
    )
    return engine.cursors.first_batch(ns, docs, _batch_size(command["cursor"]))


def count(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"query", "limit", "skip", "hint"}, frozenset({"collation"}))
    ns = engine.namespace(command)
    if "hint" in command:
        engine.check_hint(ns, command["hint"])
    skip, limit = int(command.get("skip", 0)), abs(int(command.get("limit", 0)))
    n = counted(engine.collection(ns), command.get("query") or {})
    n = max(n - skip, 0)
    return {"n": min(n, limit) if limit else n, "ok": 1.0}


def list_indexes(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"cursor"})
    ns = engine.namespace(command)
    if not engine.catalog.exists(ns):
        raise CommandError(NAMESPACE_NOT_FOUND, f"ns does not exist: {ns}")
    specs = engine.catalog.listed(ns)
    return engine.cursors.first_batch(ns, specs, _batch_size(command.get("cursor")))


def list_collections(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"filter", "nameOnly", "authorizedCollections", "cursor"})
    db = command["$db"]
    found = []
    for ns in sorted(engine.catalog.namespaces(db)):
        info: Doc = {"name": ns.split(".", 1)[1], "type": "collection"}
        if not command.get("nameOnly"):
            info.update(options={}, info={"readOnly": False}, idIndex=ID_INDEX)
        if matches(command.get("filter") or {}, info):
            found.append(info)
    return engine.cursors.first_batch(
        f"{db}.$cmd.listCollections", found, _batch_size(command.get("cursor"))
    )


COMMANDS = {
    "find": find,
    "getMore": get_more,
    "killCursors": kill_cursors,
    "aggregate": aggregate,
    "count": count,
    "listIndexes": list_indexes,
    "listCollections": list_collections,
}
