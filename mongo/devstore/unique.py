"""Unique indexes as hash maps: a write is checked in constant time, not by a scan.

Keys compare as MongoDB compares index keys: numbers by value (1, 1.0 and Int64(1) collide),
a missing field as null, an array field as each of its elements (a multikey index).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import bson
from bson import ObjectId

from mongo.devstore.catalog import Spec, duplicate_key, index_key, matches

Key = tuple[Any, ...]


def canonical(value: Any) -> Any:
    """A value as index keys compare it (ObjectIds by value, numbers by value)."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, ObjectId):
        return ("objectId", value)
    if value is None:
        return ("null",)
    if isinstance(value, datetime):
        return ("date", value.replace(tzinfo=None))
    if isinstance(value, dict):
        return ("object", tuple((k, canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(canonical(v) for v in value))
    return ("bson", bson.encode({"v": value}))


def keys_of(spec: Spec, doc: dict[str, Any]) -> list[Key]:
    """Every key `doc` has in the unique index `spec` (none when the index leaves it out)."""
    if "partialFilterExpression" in spec and not matches(spec["partialFilterExpression"], doc):
        return []
    key = index_key(spec, doc)
    if key is None:
        return []
    choices = [
        [canonical(v) for v in value] or [canonical(None)]
        if isinstance(value, list)
        else [canonical(value)]
        for value in key.values()
    ]
    return [tuple(combination) for combination in itertools.product(*choices)]


class UniqueKeys:
    """For each unique index of each collection: key -> the _id holding it."""

    def __init__(self) -> None:
        self._owners: dict[tuple[str, str], dict[Key, Any]] = {}
        self._held: dict[tuple[str, str], dict[Any, list[Key]]] = {}
        self._specs: dict[str, list[Spec]] = {}

    def add_index(self, ns: str, spec: Spec, docs: list[dict[str, Any]]) -> None:
        """Builds the index over `docs`; raises a duplicate key error if they break it."""
        owners: dict[Key, Any] = {}
        held: dict[Any, list[Key]] = {}
        for doc in docs:
            keys = keys_of(spec, doc)
            for key in keys:
                if key in owners and owners[key] != doc["_id"]:
                    raise duplicate_key(ns, spec, index_key(spec, doc) or {})
                owners[key] = doc["_id"]
            held[_hashable(doc["_id"])] = keys
        self._owners[(ns, spec["name"])] = owners
        self._held[(ns, spec["name"])] = held
        self._specs.setdefault(ns, []).append(spec)

    def drop_index(self, ns: str, name: str) -> None:
        self._owners.pop((ns, name), None)
        self._held.pop((ns, name), None)
        self._specs[ns] = [s for s in self._specs.get(ns, []) if s["name"] != name]

    def drop(self, ns: str) -> None:
        for spec in self._specs.pop(ns, []):
            self._owners.pop((ns, spec["name"]), None)
            self._held.pop((ns, spec["name"]), None)

    def check(self, ns: str, doc: dict[str, Any]) -> None:
        for spec in self._specs.get(ns, []):
            owners = self._owners[(ns, spec["name"])]
            for key in keys_of(spec, doc):
                owner = owners.get(key)
                if owner is not None and owner != doc["_id"]:
                    raise duplicate_key(ns, spec, index_key(spec, doc) or {})

    def put(self, ns: str, doc: dict[str, Any]) -> None:
        """Records `doc`'s keys (replacing those of its previous version)."""
        self.remove(ns, doc["_id"])
        for spec in self._specs.get(ns, []):
            keys = keys_of(spec, doc)
            owners = self._owners[(ns, spec["name"])]
            for key in keys:
                owners[key] = doc["_id"]
            self._held[(ns, spec["name"])][_hashable(doc["_id"])] = keys

    def remove(self, ns: str, doc_id: Any) -> None:
        for spec in self._specs.get(ns, []):
            owners = self._owners[(ns, spec["name"])]
            for key in self._held[(ns, spec["name"])].pop(_hashable(doc_id), []):
                if owners.get(key) == doc_id:
                    del owners[key]


def _hashable(doc_id: Any) -> Any:
    try:
        hash(doc_id)
    except TypeError:
        return canonical(doc_id)
    return doc_id
