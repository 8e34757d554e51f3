"""A find's results as BSON, without mongomock's copy of every document.

mongomock's cursor deep-copies each matching document field by field (`copy.copy` on every
value) and then the reply encodes the copies: for a large result most of a find's time. Here
the matching documents are filtered, sorted, skipped and limited as mongomock does, and each
is encoded once, when the cursor makes its batch: the bytes are what the cursor hands out (as
the copies were), and the reply embeds them as they are (cursors.py keeps the results a
snapshot). A sort led by the field a declared index has after the fields the filter pins reads
the documents in that order (lookups.py, ordered.py), so a limit stops the reading. A
projection of plain paths, also through arrays of documents, is picked here; any other goes
through mongomock's own projection code, on the documents kept only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, groupby, islice
from operator import itemgetter
from typing import Any

import bson
from bson.raw_bson import RawBSONDocument
from mongomock import filtering, helpers

from mongo.devstore import fastpath


def _sorted(docs: Iterable[Any], sort: list[tuple[str, int]]) -> Iterable[Any]:
    """mongomock's order: one stable sort per key, the last key first."""
    for key, direction in reversed(sort):
        if key == "$natural":
            if direction < 0:
                docs = list(reversed(list(docs)))
            continue
        if key.startswith("$"):
            raise NotImplementedError(f"sorting by {key}")
        docs = sorted(
            docs,
            key=lambda doc, key=key: filtering.resolve_sort_key(key, doc),  # type: ignore[misc,no-untyped-call]
            reverse=direction < 0,
        )
    return docs


def matching(collection: Any, spec: Any) -> Iterable[Any]:
    """The stored documents matching `spec`, to read only (mongomock's own cursor re-slices
    its results on every step: quadratic in their number)."""
    return fastpath.matching(collection, _patched(spec), in_order=True)


def counted(collection: Any, spec: Any) -> int:
    """How many stored documents match `spec` (in no particular order: none is sorted)."""
    spec = _patched(spec)
    n = fastpath.count(collection, spec)
    if n is None:
        n = sum(1 for _ in fastpath.matching(collection, spec, in_order=False))
    return n


def _patched(spec: Any) -> Any:
    if not isinstance(spec, dict):
        raise TypeError("filter must be an instance of dict")
    return helpers.patch_datetime_awareness_in_document(spec)  # type: ignore[no-untyped-call]


def _ordered(collection: Any, spec: Any, sort: list[tuple[str, int]]) -> Iterable[Any] | None:
    """The documents matching `spec` in `sort`'s order, read in the order of the sort's first
    field (lazily) when an index gives them so; None otherwise."""
    (field, direction), rest = sort[0], sort[1:]
    if not isinstance(spec, dict) or any(key.startswith("$") for key, _ in sort):
        return None
    spec = helpers.patch_datetime_awareness_in_document(spec)  # type: ignore[no-untyped-call]
    docs = fastpath.ordered(collection, spec, field, direction < 0)
    if docs is None or not rest:
        return docs
    # The documents of one value of the first field come in store order: the rest of the
    # sort orders each such run as the whole sort would.
    runs = groupby(docs, key=itemgetter(field))
    return chain.from_iterable(_sorted(run, rest) for _, run in runs)


def copied(collection: Any, doc: dict[str, Any]) -> dict[str, Any]:
    """A private copy of a stored document, as mongomock's find would hand it out."""
    return collection._copy_only_fields(doc, None, dict)  # type: ignore[no-any-return]


def found(
    collection: Any,
    spec: dict[str, Any],
    projection: dict[str, Any] | None,
    sort: list[tuple[str, int]] | None,
    skip: int,
    limit: int,
) -> Iterator[RawBSONDocument]:
    """Made as the cursor asks for them (cursors.py keeps them a snapshot)."""
    docs = _ordered(collection, spec, sort) if sort else None
    if docs is None:
        docs = matching(collection, spec)
        if sort:
            docs = _sorted(docs, sort)
    docs = islice(docs, skip, skip + limit if limit else None)
    if projection:
        tree = _inclusion_tree(projection)
        docs = (_projected(collection, doc, projection, tree) for doc in docs)
    return (RawBSONDocument(bson.encode(doc)) for doc in docs)


class _Unsure(Exception):
    """A projected path runs through an array: mongomock's projection decides."""


def _inclusion_tree(projection: dict[str, Any]) -> dict[str, Any] | None:
    """A projection that only includes plain paths, as a tree of the fields kept; None for
    any other projection (exclusions, operators, paths that collide)."""
    tree: dict[str, Any] = {}
    keep_id = True
    for path, flag in projection.items():
        if path == "_id" and not isinstance(flag, dict) and flag in (0, False):
            keep_id = False
            continue
        if isinstance(flag, dict) or flag not in (1, True):
            return None
        parts = path.split(".")
        if any(not part or part.startswith("$") or part.isdigit() for part in parts):
            return None
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if node is True:
                return None
        if parts[-1] in node:
            return None
        node[parts[-1]] = True
    if not tree:
        return None
    if keep_id:
        tree.setdefault("_id", True)
    return tree


def _projected(
    collection: Any, doc: dict[str, Any], projection: dict[str, Any], tree: dict[str, Any] | None
) -> dict[str, Any]:
    """The fields kept, in the document's order, sharing the stored values (they are encoded
    at once, never handed out)."""
    if tree is not None:
        try:
            return _pick(doc, tree)
        except _Unsure:
            pass
    return collection._copy_only_fields(doc, projection, dict)  # type: ignore[no-any-return]


def _pick(doc: dict[str, Any], tree: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in doc.items():
        below = tree.get(key)
        if below is None:
            continue
        if below is True:
            kept[key] = value
        elif isinstance(value, dict):
            kept[key] = _pick(value, below)
        elif isinstance(value, list):
            # Each document of the array keeps the fields below (an empty one when none), as
            # on a server; arrays holding anything else are mongomock's to project.
            if not all(type(item) is dict for item in value):
                raise _Unsure
            kept[key] = [_pick(item, below) for item in value]
        # a scalar where the path goes deeper: left out, as a server does
    return kept
