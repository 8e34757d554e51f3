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

from collections.abc import Collection, Iterator
from typing import Any

from mongo.devstore.catalog import Catalog
from mongo.devstore.lookup_maps import (
    Doc,
    Documents,
    Fields,
    Map,
    Namespace,
    combinations,
    hashable,
    lookup_keys,
    pinned,
)
from mongo.devstore.ordered import bounds

MAX_COMBINATIONS = 10_000  # beyond this many keys to look up, the scan is as good
MIN_FIELDS = 2


class Lookups:
    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._spaces: dict[str, Namespace] = {}

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
        if fields is None or combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        ids = found.ids_under(lookup_keys(fields, values))
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
        if combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        return len(found.ids_under(lookup_keys(fields, values)))

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
        if "." in field or combinations(fields, values) > MAX_COMBINATIONS:
            return None
        found = self._map(ns, fields, documents)
        if found is None:
            return None
        ordered = found.order_by(field, by_id, self._spaces[ns].position)
        within = bounds(spec.get(field))
        ids = ordered.read(list(lookup_keys(fields, values)), within, descending)
        return None if ids is None else (by_id[doc_id] for doc_id in ids)

    def _map(self, ns: str, fields: Fields, documents: Documents) -> Map | None:
        space = self._spaces.get(ns)
        if space is None:
            stored = documents()
            if any(not hashable(doc["_id"]) for doc in stored):
                return None
            space = self._spaces[ns] = Namespace(stored)
        found = space.maps.get(fields)
        if found is None:
            found = space.maps[fields] = Map(fields)
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

    def put(self, ns: str, doc: Doc, changed: Collection[str] | None = None) -> None:
        """`changed`: the only top-level fields the write changed, when the writer knows them
        (maps on none of them are left alone)."""
        space = self._spaces.get(ns)
        if space is None:
            return
        if not hashable(doc["_id"]):
            del self._spaces[ns]  # (documents as ids: this collection is scanned)
            return
        position = space.position.get(doc["_id"])
        if position is None:
            position = space.position[doc["_id"]] = next(space.order)
        for found in space.maps.values():
            if changed is None or found.touched_by(changed):
                found.put(doc, position)

    def remove(self, ns: str, doc_id: Any) -> None:
        space = self._spaces.get(ns)
        if space is None:
            return
        if not hashable(doc_id):
            return
        space.position.pop(doc_id, None)
        for found in space.maps.values():
            found.remove(doc_id)

    def drop(self, ns: str) -> None:
        self._spaces.pop(ns, None)

    def forget_index(self, ns: str) -> None:
        """An index dropped: its maps go (a later query builds what it needs)."""
        self._spaces.pop(ns, None)
