"""Look-ups by _id without a collection scan, and scans with compiled filters, for the dev
store's engine only.

mongomock evaluates every filter against every document of the collection. A filter that
pins `_id` (equal to a value, or `$in` a list) can only match the documents with those ids:
only they are evaluated, so the results are those of the scan (in the order of the ids given,
which MongoDB does not promise either). A candidate found under an id of the same type holds
that `_id` condition already (mongomock's `$in` compares with every listed id: quadratic for a
batch's ids); the rest of the filter is tested as a scan tests it, and a candidate found under
an id of another type (1.0 for 1, True for 1) is left to mongomock's whole filter. Other filters
scan every document with the filter compiled once (predicates.py), where it has a shape
compiled there. Clients not marked `_devstore` keep mongomock's path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from bson.regex import Regex
from mongomock.collection import Collection

from mongo.devstore.catalog import matches
from mongo.devstore.lookups import Lookups
from mongo.devstore.predicates import Test, compile_filter

_SCALAR_IDS = (str, int, float, bytes)


def _pinned_ids(spec: Any) -> list[Any] | None:
    if not isinstance(spec, dict) or "_id" not in spec:
        return None
    value = spec["_id"]
    if isinstance(value, dict) and set(value) == {"$in"} and isinstance(value["$in"], list):
        values = value["$in"]
    elif isinstance(value, dict | list | Regex) or value is None:
        return None
    else:
        values = [value]
    try:
        return list(dict.fromkeys(values))
    except TypeError:  # unhashable ids (documents): scan
        return None


def _scan(collection: Any, spec: Any, scan: Any, in_order: bool = True) -> Iterator[Any]:
    """Every document (or those a declared index points to: lookups.py), tested by the
    compiled filter where it can tell."""
    test = compile_filter(spec)
    stored = collection._store._documents
    lookups = _lookups(collection)
    documents = None
    if lookups is not None and stored:
        ns = f"{collection.database.name}.{collection.name}"
        documents = lookups.candidates(
            ns, spec, lambda: list(stored.values()), stored, in_order=in_order
        )
    if documents is None:
        documents = list(stored.values())
        if test is None or not documents:  # (mongomock validates the filter of an empty scan)
            return scan(collection, spec)  # type: ignore[no-any-return]
    return _tested(documents, spec, test)


def _tested(documents: Iterable[Any], spec: Any, test: Test | None) -> Iterator[Any]:
    if test is None:
        matches(spec, {})  # the filter is checked even when no document is a candidate
        return (doc for doc in documents if matches(spec, doc))
    return (doc for doc in documents if _decided(test(doc), spec, doc))


def _lookups(collection: Any) -> Lookups | None:
    # vars(): mongomock's client answers any other attribute with a database of that name.
    return vars(collection.database.client).get("_devstore_lookups")  # type: ignore[no-any-return]


def ordered(collection: Any, spec: Any, field: str, descending: bool) -> Iterator[Any] | None:
    """The documents matching `spec` (patched as mongomock patches it), lazily, in the order
    of a stable sort on `field`, when a declared index gives them in that order (lookups.py);
    None otherwise."""
    stored = collection._store._documents
    lookups = _lookups(collection)
    if lookups is None or not stored or _pinned_ids(spec) is not None:
        return None
    ns = f"{collection.database.name}.{collection.name}"
    documents = lookups.ordered(ns, spec, field, descending, lambda: list(stored.values()), stored)
    return None if documents is None else _tested(documents, spec, compile_filter(spec))


def count(collection: Any, spec: Any) -> int | None:
    """How many documents match `spec`, when a look-up's keys alone tell (lookups.py)."""
    stored = collection._store._documents
    lookups = _lookups(collection)
    if lookups is None or not stored:
        return None
    ns = f"{collection.database.name}.{collection.name}"
    return lookups.count(ns, spec, lambda: list(stored.values()))


def matching(collection: Any, spec: Any, in_order: bool) -> Iterator[Any]:
    """The documents matching `spec` (patched as mongomock patches it), in the store's order
    unless `in_order` is False."""
    dev_store = vars(collection.database.client).get("_devstore", False)
    if in_order or not dev_store or _pinned_ids(spec) is not None:
        return collection._iter_documents(spec)  # type: ignore[no-any-return]
    return _scan(collection, spec, _in_order, in_order=False)


def _in_order(collection: Any, spec: Any) -> Iterator[Any]:
    """(Where no index serves a count, its scan is the ordinary one.)"""
    return collection._iter_documents(spec)  # type: ignore[no-any-return]


def _decided(verdict: bool | None, spec: Any, doc: Any) -> bool:
    return matches(spec, doc) if verdict is None else verdict


def _by_ids(collection: Any, spec: dict[str, Any], ids: list[Any]) -> Iterator[Any]:
    rest = {key: value for key, value in spec.items() if key != "_id"}
    test = compile_filter(rest) if rest else _anything
    documents = collection._store._documents
    candidates = []
    for doc_id in ids:
        doc = documents.get(doc_id)
        if doc is None:
            continue
        if type(doc["_id"]) is not type(doc_id):
            if matches(spec, doc):
                candidates.append(doc)
        elif test is None:
            if matches(rest, doc):
                candidates.append(doc)
        elif _decided(test(doc), rest, doc):
            candidates.append(doc)
    return iter(candidates)


def _anything(doc: Any) -> bool:
    return True


def install() -> None:
    if getattr(Collection, "_devstore_fast_path", False):
        return
    scan: Any = Collection._iter_documents

    def _iter_documents(self: Any, spec: Any) -> Iterator[Any]:
        # vars(): mongomock's client answers any other attribute with a database of that
        # name, so getattr() took every memory:// client in this process for a dev store's.
        if not vars(self.database.client).get("_devstore", False):
            return scan(self, spec)  # type: ignore[no-any-return]
        ids = _pinned_ids(spec)
        if ids is None:
            return _scan(self, spec, scan)
        return _by_ids(self, spec, ids)

    setattr(Collection, "_iter_documents", _iter_documents)  # noqa: B010
    setattr(Collection, "_devstore_fast_path", True)  # noqa: B010
