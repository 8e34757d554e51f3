"""Equality look-ups through the declared indexes, so that a query pinning an index's leading
fields reads only the documents holding those values instead of scanning the collection.

A find such as a drain's devices of 500 members (`tenant` and `member_id` `$in` 500 ids, index
tenant_member) scanned every device of every tenant, once per batch: a campaign over 100,000
members scanned 100,000 devices 200 times. Here, when a query gives a string or ObjectId (or
`$in` a list of them) for each of the leading fields of a declared index that is neither
partial nor sparse, the documents holding those values are found in a hash map kept for those
fields, built from the documents the first time it is needed and then kept up to date on every
write (the engine calls `put` and `remove` wherever the unique indexes are told). Every
candidate is still tested against the whole filter, and candidates come back in the store's
own order: the results are exactly those of the scan.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from bson import ObjectId

from mongo.devstore.catalog import Catalog
from mongo.devstore.unique import Key, canonical, keys_of

Doc = dict[str, Any]
Fields = tuple[str, ...]
_VALUES = (str, ObjectId)
MAX_COMBINATIONS = 10_000  # beyond this many keys to look up, the scan is as good
MIN_FIELDS = 2
_MISSING = object()


def pinned(spec: Any) -> dict[str, list[Any]]:
    """The top-level fields `spec` holds to a string or ObjectId, or `$in` a list of them."""
    found: dict[str, list[Any]] = {}
    if not isinstance(spec, dict):
        return found
    for field, condition in spec.items():
        if field.startswith("$"):
            continue
        if type(condition) in _VALUES:
            found[field] = [condition]
        elif (
            isinstance(condition, dict)
            and set(condition) == {"$in"}
            and isinstance(condition["$in"], list)
            and all(type(value) in _VALUES for value in condition["$in"])
        ):
            found[field] = list(dict.fromkeys(condition["$in"]))
    return found


def _keys(fields: Fields, spec: dict[str, Any], doc: Doc) -> list[Key]:
    """The doc's keys in the index on `fields` (unique.keys_of's, quicker for the usual
    case: top-level strings and ObjectIds)."""
    key = []
    for field in fields:
        value = _MISSING if "." in field else doc.get(field, _MISSING)
        if type(value) not in _VALUES:
            return keys_of(spec, doc)
        key.append(canonical(value))
    return [tuple(key)]


class _Map:
    def __init__(self, fields: Fields) -> None:
        self.fields = fields
        self.spec = {"key": dict.fromkeys(fields, 1)}
        self.ids: dict[Key, dict[Any, None]] = {}
        self.held: dict[Any, list[Key]] = {}

    def put(self, doc: Doc) -> None:
        self.remove(doc["_id"])
        keys = _keys(self.fields, self.spec, doc)
        for key in keys:
            self.ids.setdefault(key, {})[doc["_id"]] = None
        self.held[doc["_id"]] = keys

    def remove(self, doc_id: Any) -> None:
        for key in self.held.pop(doc_id, []):
            ids = self.ids.get(key)
            if ids is not None:
                ids.pop(doc_id, None)
                if not ids:
                    del self.ids[key]


class _Namespace:
    def __init__(self, documents: list[Doc]) -> None:
        self.maps: dict[Fields, _Map] = {}
        self.order = itertools.count()
        # Where each document stands in the store (its natural order).
        self.position: dict[Any, int] = {doc["_id"]: next(self.order) for doc in documents}


class Lookups:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._spaces: dict[str, _Namespace] = {}

    def candidates(
        self, ns: str, spec: Any, documents: Callable[[], list[Doc]], by_id: dict[Any, Doc]
    ) -> list[Doc] | None:
        """The documents that may match `spec` (in the store's order), or None if no declared
        index serves it."""
        values = pinned(spec)
        fields = self._fields(ns, values)
        if fields is None:
            return None
        combinations = 1
        for field in fields:
            combinations *= len(values[field])
        if combinations > MAX_COMBINATIONS:
            return None
        space = self._spaces.get(ns)
        if space is None:
            stored = documents()
            if any(not _hashable(doc["_id"]) for doc in stored):
                return None
            space = self._spaces[ns] = _Namespace(stored)
        found = space.maps.get(fields)
        if found is None:
            found = space.maps[fields] = _Map(fields)
            for doc in documents():
                found.put(doc)
        ids: dict[Any, None] = {}
        for combination in itertools.product(*(values[field] for field in fields)):
            ids.update(found.ids.get(tuple(canonical(v) for v in combination), {}))
        position = space.position
        return [by_id[doc_id] for doc_id in sorted(ids, key=position.__getitem__)]

    def _fields(self, ns: str, values: dict[str, list[Any]]) -> Fields | None:
        """The longest run of leading fields of a usable index that `values` pins."""
        best: Fields = ()
        for index in self._catalog.specs(ns):
            if index.get("sparse") or "partialFilterExpression" in index:
                continue
            run = []
            for field, direction in index["key"].items():
                if field not in values or direction not in (1, -1):
                    break
                run.append(field)
            if len(run) > len(best):
                best = tuple(run)
        # One field (here always the tenant) narrows too little to be worth a map.
        return best if len(best) >= MIN_FIELDS else None

    def put(self, ns: str, doc: Doc) -> None:
        space = self._spaces.get(ns)
        if space is None:
            return
        if not _hashable(doc["_id"]):
            del self._spaces[ns]  # (documents as ids: this collection is scanned)
            return
        if doc["_id"] not in space.position:
            space.position[doc["_id"]] = next(space.order)
        for found in space.maps.values():
            found.put(doc)

    def remove(self, ns: str, doc_id: Any) -> None:
        space = self._spaces.get(ns)
        if space is None:
            return
        if not _hashable(doc_id):
            return
        space.position.pop(doc_id, None)
        for found in space.maps.values():
            found.remove(doc_id)

    def drop(self, ns: str) -> None:
        self._spaces.pop(ns, None)

    def forget_index(self, ns: str) -> None:
        """An index dropped: its maps go (a later query builds what it needs)."""
        self._spaces.pop(ns, None)


def _hashable(doc_id: Any) -> bool:
    try:
        hash(doc_id)
    except TypeError:
        return False
    return True
