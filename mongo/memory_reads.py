"""Reads from the in-process store (memory://) at a fraction of mongomock's cost.

Every authenticated request reads its member, and on memory:// mongomock's way of reading was
most of the request, far above what a real server and the driver's C BSON decoder cost:

- it tested every stored document against the filter, even one naming a single `_id`: such a
  filter now looks the document up by its key (the store is keyed by `_id`) and tests it alone;
- it copied each value with `copy.copy` (a datetime or an ObjectId rebuilt through
  `__reduce_ex__`), then, for a tz_aware client, walked the copy again to give its datetimes
  a timezone with `replace` (slow in CPython). Both walks still return fresh dicts and lists a
  caller may change freely, but share immutable leaves, find them by exact type, and make a
  date aware by epoch arithmetic (in datetime.UTC, as the real driver is configured to);
- it rebuilt the projection's nested form on every read: it is worked out once per projection;
- mongomock-motor rebuilt every filter and sort to turn beanie's string-like fields into
  strings; without beanie there are none.

The repositories are untouched: the same driver calls run on memory:// and on MongoDB.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from bson import Decimal128, Int64, ObjectId

# Values that cannot be changed in place: sharing them with the store is safe.
IMMUTABLE: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), bytes, Decimal, Decimal128, Int64, ObjectId, datetime}
)
# What the timezone walk returns as it is: every immutable value but a (naive) datetime.
UNZONED = IMMUTABLE - {datetime}
# A naive UTC datetime made aware by adding its distance from the epoch to the aware epoch:
# the same instant and fields, about ten times faster than `replace(tzinfo=UTC)`.
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)


def copied(value: Any, container: Any = dict) -> Any:
    """mongomock's `_copy_field`: a deep copy of the containers, immutable leaves shared (and
    not even visited: one call per dict or list, not one per value)."""
    kind = type(value)
    if kind is dict and container is dict:
        return {
            key: item if type(item) in IMMUTABLE else copied(item, container)
            for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in IMMUTABLE else copied(item, container) for item in value]
    if kind in IMMUTABLE:
        return value
    if isinstance(value, dict):
        return container((key, copied(item, container)) for key, item in value.items())
    if isinstance(value, list):
        return [copied(item, container) for item in value]
    return copy.copy(value)


def tz_aware(value: Any) -> Any:
    """mongomock's `make_datetime_timezone_aware_in_document`: the store keeps naive UTC."""
    kind = type(value)
    if kind is dict:
        return {
            key: item if type(item) in UNZONED else tz_aware(item) for key, item in value.items()
        }
    if kind is list:
        return [item if type(item) in UNZONED else tz_aware(item) for item in value]
    if kind is datetime:
        return _EPOCH_UTC + (value - _EPOCH)
    if kind in UNZONED:
        return value
    if isinstance(value, dict):
        return {key: tz_aware(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [tz_aware(item) for item in value]
    if isinstance(value, datetime):
        return _EPOCH_UTC + (value - _EPOCH)
    return value


def combined_spec(fields: dict[str, Any]) -> Any:
    """mongomock's `_combine_projection_spec` (a projection as nested dicts), worked out once
    per projection: repositories pass the same few, and mongomock rebuilt it on every read."""
    try:
        key = tuple(fields.items())
        return _combined(key)
    except TypeError:  # an unhashable value (an operator): not cached
        return _combine(fields)


_combine: Any = None


@lru_cache(maxsize=256)
def _combined(fields: tuple[tuple[str, Any], ...]) -> Any:
    return _combine(dict(fields))


def _by_id(scan: Any) -> Any:
    """mongomock's `_iter_documents`, which tests every stored document against the filter:
    a filter on one `_id` (an ObjectId or a string, the store's own keys) looks that document
    up instead, then tests it against the whole filter as before."""
    from mongomock import filtering

    applies: Callable[[Any, Any], bool] = filtering.filter_applies

    def documents(self: Any, filter: Any) -> Any:
        wanted = filter.get("_id") if type(filter) is dict else None
        if type(wanted) is not ObjectId and type(wanted) is not str:
            return scan(self, filter)
        try:
            found = self._store[wanted]
        except KeyError:
            applies(filter, {})  # an invalid filter is still refused
            return iter(())
        return iter((found,) if applies(filter, found) else ())

    return documents


def patch_memory_reads() -> None:
    from mongomock import collection, helpers
    from mongomock_motor import patches

    if getattr(collection, "_loyalty_fast_reads", False):
        return
    global _combine
    _combine = collection._combine_projection_spec
    setattr(collection, "_combine_projection_spec", combined_spec)  # noqa: B010
    scan = collection.Collection._iter_documents
    setattr(collection.Collection, "_iter_documents", _by_id(scan))  # noqa: B010
    if patches.ExpressionField is None:
        # It rebuilds every filter and sort to turn beanie's string-like fields into strings;
        # without beanie there are none.
        setattr(patches, "_normalize_strings", lambda value: value)  # noqa: B010
    setattr(collection, "_copy_field", copied)  # noqa: B010
    setattr(helpers, "make_datetime_timezone_aware_in_document", tz_aware)  # noqa: B010
    setattr(collection, "_loyalty_fast_reads", True)  # noqa: B010
