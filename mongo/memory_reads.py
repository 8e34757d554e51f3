"""Reads from the in-process store (memory://) without copying what cannot change.

mongomock hands every read a private copy of the stored document: it copies each value with
`copy.copy` (a datetime or an ObjectId is rebuilt through `__reduce_ex__`), then, for a
tz_aware client, walks the copy again to give its datetimes a timezone. For a member document
with a few lots that was most of an authenticated request's cost on memory://, far above what
a real server's BSON decoding costs. Here both walks keep their results (fresh dicts and lists
a caller may change freely) but return immutable leaves as they are, found by exact type
instead of a chain of isinstance checks. Anything else is still copied as mongomock did.

The repositories are untouched: the same driver calls run on memory:// and on MongoDB.
"""

from __future__ import annotations

import copy
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


def patch_memory_reads() -> None:
    from mongomock import collection, helpers

    if getattr(collection, "_loyalty_fast_reads", False):
        return
    global _combine
    _combine = collection._combine_projection_spec
    setattr(collection, "_combine_projection_spec", combined_spec)  # noqa: B010
    setattr(collection, "_copy_field", copied)  # noqa: B010
    setattr(helpers, "make_datetime_timezone_aware_in_document", tz_aware)  # noqa: B010
    setattr(collection, "_loyalty_fast_reads", True)  # noqa: B010
