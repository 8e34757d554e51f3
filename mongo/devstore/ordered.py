"""The documents under each key of an index's leading fields, kept in the order of the index's
next field, so that a sorted and limited find reads only as many as it hands out.

The outbox claim (tenant, status `$in` two values, `not_before` due, sorted by `not_before`,
limit 1,000) took every due row of the tenant from the look-up's map, tested, sorted and cut
them: 100,000 rows per claim of 1,000. Here each key's documents sit in a sorted list of
(the field's value, the document's place in the store): merged over the keys looked up, they
come out in exactly the order of mongomock's stable sort (ties in store order), and a range
on the field bounds where the reading starts and stops.

Only naive datetimes (how the store holds dates) are kept in order: a key under which any
document holds anything else (no value, an array, a number) answers None, and the query
takes the unordered path. Each write costs one removal and one insertion per key (O(log n)).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from sortedcontainers import SortedList

from mongo.devstore.unique import Key

# (the value as whole microseconds, the place in the store, the _id): places are unique, so
# two entries never compare their ids.
Entry = tuple[int, int, Any]
Bounds = tuple[int | None, int | None]  # the least and the greatest instant that can match

_EPOCH = datetime(1, 1, 1)
_MICROSECOND = timedelta(microseconds=1)
_LOWER = {"$gt": 1, "$gte": 0}
_UPPER = {"$lt": -1, "$lte": 0}


def instant(value: Any) -> int | None:
    """A naive datetime as whole microseconds (ordered and equal as the datetimes are); None
    for any other value."""
    if type(value) is datetime and value.tzinfo is None:
        return (value - _EPOCH) // _MICROSECOND
    return None


def bounds(condition: Any) -> Bounds:
    """The instants a (datetime-patched) condition on the field lets through: only its
    `$gt`/`$gte`/`$lt`/`$lte` of datetimes, which every value kept here compares with exactly
    (the rest of the filter is still tested on each document read)."""
    low: int | None = None
    high: int | None = None
    if not isinstance(condition, dict) or not all(str(op).startswith("$") for op in condition):
        return low, high
    for op, value in condition.items():
        at = instant(value)
        if at is None:
            continue
        if op in _LOWER:
            low = max(low if low is not None else at, at + _LOWER[op])
        elif op in _UPPER:
            high = min(high if high is not None else at, at + _UPPER[op])
    return low, high


class Ordered:
    """One look-up map's documents, by key, in the order of one more field."""

    def __init__(self, field: str) -> None:
        self.field = field
        self._lists: dict[Key, Any] = {}  # key -> SortedList[Entry]
        self._odd: dict[Key, int] = {}  # key -> how many of its documents hold no datetime
        self._held: dict[Any, tuple[list[Key], Entry | None]] = {}

    def put(self, doc_id: Any, keys: list[Key], doc: dict[str, Any], position: int) -> None:
        at = instant(doc.get(self.field))
        entry = None if at is None else (at, position, doc_id)
        held = self._held.get(doc_id)
        if held == (keys, entry):
            return  # (a write that left the key and the field alone)
        if held is not None:
            self.remove(doc_id)
        self._held[doc_id] = (keys, entry)
        for key in keys:
            if entry is None:
                self._odd[key] = self._odd.get(key, 0) + 1
            else:
                self._lists.setdefault(key, SortedList()).add(entry)

    def remove(self, doc_id: Any) -> None:
        held = self._held.pop(doc_id, None)
        if held is None:
            return
        keys, entry = held
        for key in keys:
            if entry is None:
                left = self._odd[key] - 1
                if left:
                    self._odd[key] = left
                else:
                    del self._odd[key]
            else:
                entries = self._lists[key]
                entries.remove(entry)
                if not entries:
                    del self._lists[key]

    def read(self, keys: list[Key], within: Bounds, descending: bool) -> Iterator[Any] | None:
        """The ids of the documents under `keys` with a value `within`, lazily, in the order of
        a stable sort of them in store order; None when a document under them holds no
        datetime. The lists must not change while this is read (the engine settles open
        cursors before any write)."""
        if any(key in self._odd for key in keys):
            return None
        runs = [
            _read(entries, within, descending)
            for key in dict.fromkeys(keys)
            if (entries := self._lists.get(key)) is not None
        ]
        merged = heapq.merge(*runs, key=_downwards if descending else None)
        return _ids(merged)


def _read(entries: Any, within: Bounds, descending: bool) -> Iterator[Entry]:
    low, high = within
    start = 0 if low is None else entries.bisect_left((low,))
    stop = len(entries) if high is None else entries.bisect_left((high + 1,))
    if not descending:
        yield from entries.islice(start, stop)
        return
    # Greatest value first, and each value's documents in store order (a stable sort's ties).
    while stop > start:
        first = max(entries.bisect_left((entries[stop - 1][0],)), start)
        yield from entries.islice(first, stop)
        stop = first


def _downwards(entry: Entry) -> tuple[int, int]:
    return -entry[0], entry[1]


def _ids(entries: Iterable[Entry]) -> Iterator[Any]:
    """Each document once (one with an array under a key field is under several keys)."""
    last = None
    for entry in entries:
        if entry[1] != last:
            last = entry[1]
            yield entry[2]
