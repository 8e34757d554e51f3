"""hello, ping, buildInfo, endSessions; createIndexes, dropIndexes, drop and dropDatabase."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from pymongo.common import MIN_SUPPORTED_WIRE_VERSION

from mongo.devstore.catalog import normalized
from mongo.devstore.engine import MAX_BSON_SIZE, Doc, Engine, check_fields
from mongo.devstore.errors import (
    BAD_VALUE,
    INDEX_NOT_FOUND,
    INVALID_OPTIONS,
    NAMESPACE_NOT_FOUND,
    CommandError,
)

SET_NAME = "devstore"
NOTICE = "loyalty dev store: for development and tests only, not MongoDB"


def hello(engine: Engine, command: Doc) -> Doc:
    """A replica set primary of one member, so the driver uses sessions and retryable writes.
    No topologyVersion: the driver then polls instead of streaming (no awaitable hello)."""
    legacy = next(iter(command)) != "hello"
    return {
        "ismaster" if legacy else "isWritablePrimary": True,
        "helloOk": True,
        "secondary": False,
        "setName": SET_NAME,
        "setVersion": 1,
        "hosts": [engine.address],
        "primary": engine.address,
        "me": engine.address,
        "electionId": ObjectId("7fffffff0000000000000001"),
        "maxBsonObjectSize": MAX_BSON_SIZE,
        "maxMessageSizeBytes": 48_000_000,
        "maxWriteBatchSize": 100_000,
        "localTime": datetime.now(UTC),
        "logicalSessionTimeoutMinutes": 30,
        "minWireVersion": 0,
        # The oldest wire version the installed PyMongo speaks: the driver then leaves out
        # what newer servers add, which the dev store does not implement either.
        "maxWireVersion": MIN_SUPPORTED_WIRE_VERSION,
        "readOnly": False,
        "devstore": NOTICE,
        "ok": 1.0,
    }


def ping(engine: Engine, command: Doc) -> Doc:
    return {"ok": 1.0}


def build_info(engine: Engine, command: Doc) -> Doc:
    return {
        "version": "0.0.0-devstore",
        "gitVersion": "devstore",
        "versionArray": [0, 0, 0, 0],
        "bits": 64,
        "maxBsonObjectSize": MAX_BSON_SIZE,
        "devstore": NOTICE,
        "ok": 1.0,
    }


def end_sessions(engine: Engine, command: Doc) -> Doc:
    # A real server keeps a session's retry record until it times out; so does this one.
    return {"ok": 1.0}


def create_indexes(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"indexes", "commitQuorum"})
    ns = engine.namespace(command)
    specs = [normalized(spec) for spec in command.get("indexes") or []]
    if not specs:
        raise CommandError(BAD_VALUE, "Must specify at least one index to create")
    before = len(engine.catalog.listed(ns)) if engine.catalog.exists(ns) else 0
    new = [spec for spec in specs if engine.catalog.check_new(ns, spec)]
    created = engine.ensure_collection(ns)
    for spec in new:
        engine.add_index(ns, spec)  # a unique index over documents that break it: 11000
        engine.effect({"op": "index", "ns": ns, "spec": spec})
    reply: Doc = {
        "numIndexesBefore": before or 1,
        "numIndexesAfter": len(engine.catalog.listed(ns)),
        "createdCollectionAutomatically": created,
        "ok": 1.0,
    }
    if not new:
        reply["note"] = "all indexes already exist"
    return reply


def drop_indexes(engine: Engine, command: Doc) -> Doc:
    check_fields(command, {"index"})
    ns = engine.namespace(command)
    if not engine.catalog.exists(ns):
        raise CommandError(NAMESPACE_NOT_FOUND, f"ns not found {ns}")
    wanted = command.get("index")
    specs = engine.catalog.specs(ns)
    was = len(specs) + 1
    if wanted == "*":
        names = [spec["name"] for spec in specs]
    else:
        names = []
        for one in wanted if isinstance(wanted, list) else [wanted]:
            if one in ("_id_", {"_id": 1}):
                raise CommandError(INVALID_OPTIONS, "cannot drop _id index")
            match = [s["name"] for s in specs if one in (s["name"], s["key"])]
            if not match:
                raise CommandError(INDEX_NOT_FOUND, f"index not found with name [{one}]")
            names += match
    for name in names:
        engine.drop_index(ns, name)
        engine.effect({"op": "unindex", "ns": ns, "name": name})
    return {"nIndexesWas": was, "ok": 1.0}


def drop(engine: Engine, command: Doc) -> Doc:
    check_fields(command, set())
    ns = engine.namespace(command)
    if not engine.catalog.exists(ns):
        return {"ok": 1.0}  # as servers since 7.0 answer for a missing collection
    was = len(engine.catalog.listed(ns))
    engine.drop_namespaces([ns])
    engine.effect({"op": "drop", "ns": ns})
    return {"nIndexesWas": was, "ns": ns, "ok": 1.0}


def drop_database(engine: Engine, command: Doc) -> Doc:
    check_fields(command, set())
    db = command["$db"]
    engine.drop_namespaces(engine.catalog.namespaces(db))
    engine.client.drop_database(db)
    engine.effect({"op": "dropDatabase", "db": db})
    return {"ok": 1.0}


COMMANDS = {
    "hello": hello,
    "isMaster": hello,
    "ismaster": hello,
    "ping": ping,
    "buildInfo": build_info,
    "buildinfo": build_info,
    "endSessions": end_sessions,
    "createIndexes": create_indexes,
    "dropIndexes": drop_indexes,
    "drop": drop,
    "dropDatabase": drop_database,
}
