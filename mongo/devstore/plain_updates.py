"""`$set` and `$inc` of top-level fields, applied to the stored documents directly.

Most of the application's updates are of this shape (an outbox row's status and hold, a
campaign's cursor and count). mongomock's update deep-copies every matched document before
changing it, compares the two, and the engine then copied each one again to encode it: for an
update of a drain's 500 rows most of the command's time. Here only the fields changed are kept
for the undo and compared for the "modified" test (as BSON compares them: a value of another
type is a change), and each changed document is encoded once, after (the size limit and the
data file). Anything else
(dotted paths, other operators, `$inc` of a value that is not a plain int or float, `$set` of
`_id`) returns None from `plain` and goes through mongomock as before.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import bson
from bson import ObjectId
from bson.timestamp import Timestamp

Doc = dict[str, Any]
_OPERATORS = {"$set", "$inc"}
_MISSING = object()


@dataclass(frozen=True)
class Plain:
    sets: Doc
    incs: Doc


def plain(update: Any) -> Plain | None:
    """The update as top-level sets and increments, or None if it is anything else."""
    if not isinstance(update, dict) or not update or not set(update) <= _OPERATORS:
        return None
    sets, incs = update.get("$set", {}), update.get("$inc", {})
    if not isinstance(sets, dict) or not isinstance(incs, dict):
        return None
    if any(not fields for fields in update.values()):
        return None  # an empty operator: the server's error, from mongomock
    for field in (*sets, *incs):
        if not field or field == "_id" or "." in field or field.startswith("$"):
            return None
    if set(sets) & set(incs):
        return None  # a conflict: the server's error, from mongomock
    if any(type(value) not in (int, float) for value in incs.values()):
        return None
    if _has_timestamp(sets):
        return None  # mongomock fills in empty timestamps: its path
    # Values as the store keeps them: plain dicts (the command's are mockupdb's OrderedDicts)
    # with dates at millisecond precision, the way mongomock would have stored them.
    return Plain(bson.decode(bson.encode(sets)), dict(incs))


def _has_timestamp(value: Any) -> bool:
    if isinstance(value, Timestamp):
        return True
    if isinstance(value, dict):
        return any(_has_timestamp(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_timestamp(v) for v in value)
    return False


def applies(change: Plain, doc: Doc) -> bool:
    """Whether every increment meets a plain number (or nothing) in `doc`."""
    for field in change.incs:
        current = doc.get(field, _MISSING)
        if current is not _MISSING and type(current) not in (int, float):
            return False  # booleans, Int64, non-numbers: mongomock decides (or refuses)
    return True


Undo = list[tuple[str, Any]]  # each field changed, with what it held before (or _MISSING)
_SCALARS = (str, int, float, bool, datetime, ObjectId, type(None))


def apply(change: Plain, doc: Doc) -> Undo:
    """Changes the stored document in place (fields set keep their place; new ones go last,
    as on a server); returns what `restore` needs to undo it."""
    undo: Undo = []
    for field, value in change.sets.items():
        undo.append((field, doc.get(field, _MISSING)))
        doc[field] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    for field, step in change.incs.items():
        current = doc.get(field, _MISSING)
        undo.append((field, current))
        doc[field] = step if current is _MISSING else current + step
    return undo


def changed(undo: Undo, doc: Doc) -> bool:
    """Whether the document's bytes changed: a field is new, or holds a value that encodes
    otherwise (another type, another value)."""
    for field, before in undo:
        after = doc[field]
        if before is _MISSING or type(before) is not type(after):
            return True
        if isinstance(after, _SCALARS) and not isinstance(after, float):
            if before != after:
                return True
        elif bson.encode({"v": before}) != bson.encode({"v": after}):
            return True  # (floats too: NaN is unequal to itself but encodes the same)
    return False


def restore(doc: Doc, undo: Undo) -> None:
    """The document as it was before `apply` (fields that were there keep their place)."""
    for field, before in reversed(undo):
        if before is _MISSING:
            doc.pop(field, None)
        else:
            doc[field] = before
