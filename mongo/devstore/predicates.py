"""Query filters compiled to plain Python tests, for the dev store's scans.

mongomock interprets a filter anew for every document (dispatch, type brackets, candidate
keys): some 20 to 100 microseconds a document, which a scan of 100,000 members multiplies. The
shapes the application's scans use most are compiled here once per query instead: equality
with a string, ObjectId, boolean, integer or null, `$in` over strings and ObjectIds, and date
ranges (`$gt`/`$gte`/`$lt`/`$lte`, bare or in a value `$elemMatch`), joined by `$and`/`$or`.

A compiled test answers True or False only when the answer is certain, and None otherwise
(an array where a scalar was expected, a number MongoDB compares differently): mongomock then
decides that document. A filter of any other shape is not compiled at all.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bson import ObjectId
from bson.int64 import Int64

Doc = dict[str, Any]
Test = Callable[[Doc], bool | None]

_MISSING = object()
_BLOCKED = object()  # the path runs into a value that is not a document
_UNSURE = object()
_RANGE = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}
_IDS = (str, ObjectId)
_NUMBERS = (int, float, Int64)


def compile_filter(spec: Any) -> Test | None:
    """The filter as a test, or None when it has a shape not handled here."""
    if not isinstance(spec, dict):
        return None
    tests: list[Test] = []
    for key, condition in spec.items():
        if key in ("$and", "$or"):
            if not isinstance(condition, list) or not condition:
                return None
            parts = [compile_filter(part) for part in condition]
            if any(part is None for part in parts):
                return None
            known = [part for part in parts if part is not None]
            tests.append(_all(known) if key == "$and" else _any(known))
        elif key.startswith("$"):
            return None
        else:
            test = _field(key, condition)
            if test is None:
                return None
            tests.append(test)
    return _all(tests)


def _all(tests: list[Test]) -> Test:
    def test(doc: Doc) -> bool | None:
        unsure = False
        for one in tests:
            verdict = one(doc)
            if verdict is False:
                return False
            unsure = unsure or verdict is None
        return None if unsure else True

    return test


def _any(tests: list[Test]) -> Test:
    def test(doc: Doc) -> bool | None:
        unsure = False
        for one in tests:
            verdict = one(doc)
            if verdict is True:
                return True
            unsure = unsure or verdict is None
        return None if unsure else False

    return test


def _getter(path: str) -> Callable[[Doc], Any] | None:
    parts = path.split(".")
    if any(not part or part.isdigit() or part.startswith("$") for part in parts):
        return None  # array positions and operators in paths: mongomock's

    def get(doc: Doc) -> Any:
        value: Any = doc
        for part in parts:
            if isinstance(value, list):
                return _UNSURE  # a path through an array matches each element: mongomock's
            if not isinstance(value, dict):
                return _BLOCKED
            if part not in value:
                return _MISSING
            value = value[part]
        return value

    return get


def _field(path: str, condition: Any) -> Test | None:
    get = _getter(path)
    if get is None:
        return None
    if isinstance(condition, dict):
        if not condition or not all(key.startswith("$") for key in condition):
            return None  # equality with a whole document
        if set(condition) == {"$elemMatch"}:
            match = _dates(condition["$elemMatch"])
            return None if match is None else _elem_match(get, match)
        if set(condition) == {"$in"}:
            return _in(get, condition["$in"])
        match = _dates(condition)
        return None if match is None else _date_range(get, match)
    return _equal(get, condition)


def _verdict(value: Any, decide: Callable[[Any], bool]) -> bool | None:
    if value is _UNSURE or isinstance(value, list):
        return None
    if value is _MISSING or value is _BLOCKED:
        return False
    return decide(value)


def _equal(get: Callable[[Doc], Any], wanted: Any) -> Test | None:
    kind = type(wanted)
    if wanted is None:
        return lambda doc: _null(get(doc))
    if kind in (str, ObjectId):
        return lambda doc: _verdict(get(doc), lambda v: type(v) is kind and v == wanted)
    if kind is bool:
        return lambda doc: _bool_equal(get(doc), wanted)
    if kind in _NUMBERS:
        return lambda doc: _number_equal(get(doc), wanted)
    return None


def _null(value: Any) -> bool | None:
    if value is _UNSURE or value is _BLOCKED or isinstance(value, list):
        return None  # (whether a path blocked by a scalar is null differs between engines)
    return value is _MISSING or value is None


# Booleans against numbers are mongomock's to decide: it takes False for 0, MongoDB does not.


def _bool_equal(value: Any, wanted: bool) -> bool | None:
    if value is _UNSURE or isinstance(value, list | int | float):
        return None
    return type(value) is bool and value == wanted


def _number_equal(value: Any, wanted: Any) -> bool | None:
    if value is _UNSURE or isinstance(value, list | bool):
        return None
    if value is _MISSING or value is _BLOCKED:
        return False
    if isinstance(value, str | ObjectId | datetime | dict | None):
        return False  # never equal to a number
    if isinstance(value, _NUMBERS):
        return bool(value == wanted)
    return None  # Decimal128 and the like: mongomock's


def _in(get: Callable[[Doc], Any], values: Any) -> Test | None:
    if not isinstance(values, list) or not all(type(v) in _IDS for v in values):
        return None
    wanted = {(type(v), v) for v in values}
    return lambda doc: _verdict(get(doc), lambda v: type(v) in _IDS and (type(v), v) in wanted)


def _dates(condition: Any) -> Callable[[Any], bool] | None:
    """A test of one value against date bounds, or None if not only date bounds."""
    if not isinstance(condition, dict) or not condition:
        return None
    bounds = []
    for op, bound in condition.items():
        if op not in _RANGE or not isinstance(bound, datetime) or bound.tzinfo is not None:
            return None
        bounds.append((_RANGE[op], bound))

    def match(value: Any) -> bool:
        # Dates compare only with dates (MongoDB's type brackets).
        return isinstance(value, datetime) and all(cmp(value, b) for cmp, b in bounds)

    return match


def _date_range(get: Callable[[Doc], Any], match: Callable[[Any], bool]) -> Test:
    return lambda doc: _verdict(get(doc), match)


def _elem_match(get: Callable[[Doc], Any], match: Callable[[Any], bool]) -> Test:
    def test(doc: Doc) -> bool | None:
        value = get(doc)
        if value is _UNSURE:
            return None
        if not isinstance(value, list):
            return False  # $elemMatch needs an array
        if any(isinstance(item, list) for item in value):
            return None
        return any(match(item) for item in value)

    return test
