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
own order: the results are exactly those of the scan. A sorted find can instead read them in
the order of the index's next field (ordered.py), and stop at its limit.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from bson import ObjectId

from mongo.devstore.catalog import Catalog
from mongo.devstore.ordered import Ordered, bounds
from mongo.devstore.unique import Key, canonical, keys_of

Doc = dict[str, Any]
Fields = tuple[str, ...]
Documents = Callable[[], list[Doc]]
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
        self.ordered: dict[str, Ordered] = {}  # by the field they are ordered by

    def put(self, doc: Doc, position: int) -> None:
        doc_id = doc["_id"]
        keys = _keys(self.fields, self.spec, doc)
        if self.held.get(doc_id) != keys:
            self._unmap(doc_id)
            for key in keys:
                self.ids.setdefault(key, {})[doc_id] = None
            self.held[doc_id] = keys
        for ordered in self.ordered.values():
            ordered.put(doc_id, keys, doc, position)

    def remove(self, doc_id: Any) -> None:
        self._unmap(doc_id)
        for ordered in self.ordered.values():
            ordered.remove(doc_id)

    def _unmap(self, doc_id: Any) -> None:
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
        self,
        ns: str,
        spec: Any,
        documents: Documents,
        by_id: dict[Any, Doc],
        in_order: bool = True,
    ) -> list[Doc] | None:
        """The documents that may match `spec` (in the store's order unless `in_order` is
        False: a count needs no order), or None if no declared index serves it."""
        values = pinned(spec)
        fields = self._fields(ns, values)
        if fields is None or _combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        ids: dict[Any, None] = {}
        for key in _lookup_keys(fields, values):
            ids.update(found.ids.get(key, {}))
        if not in_order:
            return [by_id[doc_id] for doc_id in ids]
        position = self._spaces[ns].position
        return [by_id[doc_id] for doc_id in sorted(ids, key=position.__getitem__)]

    def count(self, ns: str, spec: Any, documents: Documents) -> int | None:
        """How many documents match `spec` when it pins nothing but the leading top-level
        fields of a usable index: then the documents under its keys are its matches (a
        document holding a value of another type, a nested array or no value at all is under
        no key `spec` names). None otherwise."""
        values = pinned(spec)
        fields = self._fields(ns, values)
        if fields is None or len(spec) != len(fields) or any("." in f for f in fields):
            return None
        if _combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        ids: dict[Any, None] = {}
        for key in _lookup_keys(fields, values):
            ids.update(found.ids.get(key, {}))
        return len(ids)

    def ordered(
        self,
        ns: str,
        spec: Any,
        field: str,
        descending: bool,
        documents: Documents,
        by_id: dict[Any, Doc],
    ) -> Iterator[Doc] | None:
        """The documents that may match `spec`, lazily, in the order a stable sort on `field`
        puts them (ties in store order), when a declared index has `field` right after the
        leading fields `spec` pins (and no other index pins more of them); None otherwise."""
        values = pinned(spec)
        fields = self._fields(ns, values)
        if fields is None or (fields, field) not in self._runs(ns, values):
            return None
        if "." in field or _combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        ordered = found.ordered.get(field)
        if ordered is None:
            ordered = found.ordered[field] = Ordered(field)
            position = self._spaces[ns].position
            for doc_id, keys in found.held.items():
                ordered.put(doc_id, keys, by_id[doc_id], position[doc_id])
        within = bounds(spec.get(field))
        ids = ordered.read(list(_lookup_keys(fields, values)), within, descending)
        return None if ids is None else (by_id[doc_id] for doc_id in ids)

    def _map(self, ns: str, fields: Fields, documents: Documents) -> _Map | None:
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
                found.put(doc, space.position[doc["_id"]])
        return found

    def _fields(self, ns: str, values: dict[str, list[Any]]) -> Fields | None:
        """The longest run of leading fields of a usable index that `values` pins."""
        best = max((run for run, _ in self._runs(ns, values)), key=len, default=())
        # One field (here always the tenant) narrows too little to be worth a map.
        return best if len(best) >= MIN_FIELDS else None

    def _runs(self, ns: str, values: dict[str, list[Any]]) -> list[tuple[Fields, str | None]]:
        """For each usable index: the run of its leading fields that `values` pins, and the
        field after them (None when there is none, or when it is not in ascending or
        descending order)."""
        runs: list[tuple[Fields, str | None]] = []
        for index in self._catalog.specs(ns):
            if index.get("sparse") or "partialFilterExpression" in index:
                continue
            run: list[str] = []
            after = None
            for field, direction in index["key"].items():
                if field not in values or direction not in (1, -1):
                    after = field if direction in (1, -1) else None
                    break
                run.append(field)
            runs.append((tuple(run), after))
        return runs

    def put(self, ns: str, doc: Doc) -> None:
        space = self._spaces.get(ns)
        if space is None:
            return
        if not _hashable(doc["_id"]):
            del self._spaces[ns]  # (documents as ids: this collection is scanned)
            return
        position = space.position.get(doc["_id"])
        if position is None:
            position = space.position[doc["_id"]] = next(space.order)
        for found in space.maps.values():
            found.put(doc, position)

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


def _combinations(fields: Fields, values: dict[str, list[Any]]) -> int:
    combinations = 1
    for field in fields:
        combinations *= len(values[field])
    return combinations


def _lookup_keys(fields: Fields, values: dict[str, list[Any]]) -> Iterator[Key]:
    for combination in itertools.product(*(values[field] for field in fields)):
        yield tuple(canonical(value) for value in combination)


def _hashable(doc_id: Any) -> bool:
    try:
        hash(doc_id)
    except TypeError:
        return False
    return True
