"""The hash maps behind the look-ups (lookups.py): for the leading fields of an index, each key
to the ids of the documents holding it, kept up to date on every write, and where each
document stands in the store."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from bson import ObjectId

from mongo.devstore.ordered import Ordered
from mongo.devstore.unique import Key, canonical, keys_of

Doc = dict[str, Any]
Fields = tuple[str, ...]
Documents = Callable[[], list[Doc]]
_VALUES = (str, ObjectId)


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


_NULL = canonical(None)


def _keys(fields: Fields, spec: dict[str, Any], doc: Doc) -> list[Key]:
    """The doc's keys in the index on `fields` (unique.keys_of's, quicker for the usual
    case: top-level strings, ObjectIds, nulls and missing fields, as an outbox row's `claim`
    is until a drain takes it)."""
    key = []
    for field in fields:
        if "." in field:
            return keys_of(spec, doc)
        value = doc.get(field)
        if type(value) in _VALUES:
            key.append(canonical(value))
        elif value is None:  # (null or missing: both index as null)
            key.append(_NULL)
        else:
            return keys_of(spec, doc)
    return [tuple(key)]


class Map:
    def __init__(self, fields: Fields) -> None:
        self.fields = fields
        self.spec = {"key": dict.fromkeys(fields, 1)}
        self.ids: dict[Key, dict[Any, None]] = {}
        self.held: dict[Any, list[Key]] = {}
        self.ordered: dict[str, Ordered] = {}  # by the field they are ordered by
        # The top-level fields a write must change to move a document here (touched_by).
        self.roots = {field.split(".", 1)[0] for field in fields}

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

    def ids_under(self, keys: Iterable[Key]) -> dict[Any, None]:
        """The ids of the documents under any of `keys` (each once)."""
        ids: dict[Any, None] = {}
        for key in keys:
            ids.update(self.ids.get(key, {}))
        return ids

    def touched_by(self, changed: Collection[str]) -> bool:
        """Whether a write that changed only these top-level fields can move a document in
        this map (its key fields, or a field it keeps in order)."""
        return not self.roots.isdisjoint(changed)

    def order_by(self, field: str, by_id: dict[Any, Doc], position: dict[Any, int]) -> Ordered:
        """The map's documents kept in `field`'s order from now on (built once per field)."""
        ordered = self.ordered.get(field)
        if ordered is None:
            ordered = self.ordered[field] = Ordered(field)
            self.roots.add(field.split(".", 1)[0])
            for doc_id, keys in self.held.items():
                ordered.put(doc_id, keys, by_id[doc_id], position[doc_id])
        return ordered

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


class Namespace:
    def __init__(self, documents: list[Doc]) -> None:
        self.maps: dict[Fields, Map] = {}
        self.order = itertools.count()
        # Where each document stands in the store (its natural order).
        self.position: dict[Any, int] = {doc["_id"]: next(self.order) for doc in documents}


def combinations(fields: Fields, values: dict[str, list[Any]]) -> int:
    """How many keys `values` names in the map on `fields`."""
    n = 1
    for field in fields:
        n *= len(values[field])
    return n


def lookup_keys(fields: Fields, values: dict[str, list[Any]]) -> Iterator[Key]:
    for combination in itertools.product(*(values[field] for field in fields)):
        yield tuple(canonical(value) for value in combination)


def hashable(doc_id: Any) -> bool:
    try:
        hash(doc_id)
    except TypeError:
        return False
    return True
