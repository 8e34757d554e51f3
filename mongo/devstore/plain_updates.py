"""`$set` and `$inc` of top-level fields, applied to the stored documents directly.

Most of the application's updates are of this shape (an outbox row's status and hold, a
campaign's cursor and count). mongomock's update deep-copies every matched document before
changing it, compares the two, and the engine then copied each one again to encode it: for an
update of a drain's 500 rows most of the command's time. Here each matched document is encoded
once before (the undo and the "modified" test) and once after (the data file). Anything else
(dotted paths, other operators, `$inc` of a value that is not a plain int or float, `$set` of
`_id`) returns None from `plain` and goes through mongomock as before.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import bson
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


def apply(change: Plain, doc: Doc) -> None:
    """Changes the stored document in place (fields set keep their place; new ones go last,
    as on a server)."""
    for field, value in change.sets.items():
        doc[field] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    for field, step in change.incs.items():
        current = doc.get(field, _MISSING)
        doc[field] = step if current is _MISSING else current + step
