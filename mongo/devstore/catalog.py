"""Which collections exist and their indexes; unique indexes enforced on every write.

Index specs are kept here, as the server lists them, rather than in the engine: only unique
indexes change what a write may do, and the engine knows nothing of them. TTL indexes are
applied by the dev store's own monitor (see engine.py), which journals what it removes.
"""

from __future__ import annotations

from typing import Any

from bson import json_util
from mongomock.filtering import filter_applies

from mongo.devstore.errors import (
    BAD_VALUE,
    DUPLICATE_KEY,
    INDEX_KEY_SPECS_CONFLICT,
    INDEX_OPTIONS_CONFLICT,
    CommandError,
    not_implemented,
)

Spec = dict[str, Any]
ID_INDEX: Spec = {"v": 2, "key": {"_id": 1}, "name": "_id_"}
SUPPORTED_OPTIONS = {"unique", "sparse", "partialFilterExpression", "expireAfterSeconds"}
IGNORED_OPTIONS = {"v", "background"}  # no meaning here (and none on a current server)
_MISSING = object()


def matches(spec: Any, doc: Any) -> bool:
    """Whether `doc` matches the query filter `spec`, as the engine decides it."""
    return bool(filter_applies(spec, doc))  # type: ignore[no-untyped-call]


def normalized(spec: Spec) -> Spec:
    """The spec as listIndexes shows it; refuses options the dev store cannot honour."""
    key = spec.get("key")
    name = spec.get("name")
    if not isinstance(key, dict) or not key:
        raise CommandError(BAD_VALUE, "Index keys cannot be empty.")
    if not isinstance(name, str) or not name:
        raise CommandError(BAD_VALUE, "The index name must be a non-empty string")
    for field, direction in key.items():
        if direction == "hashed":
            continue
        if isinstance(direction, str):
            raise not_implemented(f"a {direction!r} index (on {field!r})")
        if direction not in (1, -1):
            raise CommandError(BAD_VALUE, f"Values in the index key pattern must be 1 or -1: {key}")
    for option in spec:
        if option not in SUPPORTED_OPTIONS | IGNORED_OPTIONS | {"key", "name"}:
            raise not_implemented(f"the index option {option!r}")
    options = {k: v for k, v in spec.items() if k in SUPPORTED_OPTIONS and v is not False}
    return {"v": 2, "key": dict(key), "name": name, **options}


def _same_options(a: Spec, b: Spec) -> bool:
    return {k: v for k, v in a.items() if k not in ("name", "v")} == {
        k: v for k, v in b.items() if k not in ("name", "v")
    }


def _value(doc: Any, path: list[str]) -> Any:
    """A dotted path's value, through arrays like an index key (a list of values there)."""
    if not path:
        return doc
    if isinstance(doc, list):
        values = [_value(item, path) for item in doc]
        found = [v for v in values if v is not _MISSING]
        return [x for v in found for x in (v if isinstance(v, list) else [v])] or _MISSING
    if isinstance(doc, dict) and path[0] in doc:
        return _value(doc[path[0]], path[1:])
    return _MISSING


def index_key(spec: Spec, doc: dict[str, Any]) -> dict[str, Any] | None:
    """The key `doc` has in a unique index, or None when the index leaves it out."""
    values = {field: _value(doc, field.split(".")) for field in spec["key"]}
    if spec.get("sparse") and all(v is _MISSING for v in values.values()):
        return None
    return {field: None if v is _MISSING else v for field, v in values.items()}


def duplicate_key(ns: str, spec: Spec, key: dict[str, Any]) -> CommandError:
    shown = ", ".join(f"{field}: {json_util.dumps(value)}" for field, value in key.items())
    return CommandError(
        DUPLICATE_KEY,
        f"E11000 duplicate key error collection: {ns} index: {spec['name']} dup key: {{ {shown} }}",
        keyPattern=spec["key"],
        keyValue=key,
    )


class Catalog:
    def __init__(self) -> None:
        self._indexes: dict[str, dict[str, Spec]] = {}

    def exists(self, ns: str) -> bool:
        return ns in self._indexes

    def create(self, ns: str) -> bool:
        """Creates the collection; False if it existed."""
        if ns in self._indexes:
            return False
        self._indexes[ns] = {}
        return True

    def namespaces(self, db: str | None = None) -> list[str]:
        return [ns for ns in self._indexes if db is None or ns.split(".", 1)[0] == db]

    def specs(self, ns: str) -> list[Spec]:
        return list(self._indexes.get(ns, {}).values())

    def listed(self, ns: str) -> list[Spec]:
        return [ID_INDEX, *self.specs(ns)]

    def ttl_specs(self) -> list[tuple[str, Spec]]:
        return [
            (ns, spec)
            for ns, specs in self._indexes.items()
            for spec in specs.values()
            if "expireAfterSeconds" in spec
        ]

    def check_new(self, ns: str, spec: Spec) -> bool:
        """False if the very same index exists; raises if it conflicts with one."""
        for existing in self._indexes.get(ns, {}).values():
            if existing["name"] == spec["name"]:
                if list(existing["key"].items()) != list(spec["key"].items()):
                    raise CommandError(
                        INDEX_KEY_SPECS_CONFLICT,
                        "An existing index has the same name as the requested index but a "
                        f"different key. Requested index: {spec}, existing index: {existing}",
                    )
                if not _same_options(existing, spec):
                    raise CommandError(
                        INDEX_OPTIONS_CONFLICT,
                        "An equivalent index already exists with the same name but different "
                        f"options. Requested index: {spec}, existing index: {existing}",
                    )
                return False
            if list(existing["key"].items()) == list(spec["key"].items()) and existing.get(
                "partialFilterExpression"
            ) == spec.get("partialFilterExpression"):
                raise CommandError(
                    INDEX_OPTIONS_CONFLICT,
                    f"Index already exists with a different name: {existing['name']}",
                )
        if spec["key"] == {"_id": 1} or spec["name"] == "_id_":
            raise CommandError(INDEX_OPTIONS_CONFLICT, "The _id index exists already")
        return True

    def add(self, ns: str, spec: Spec) -> None:
        self._indexes.setdefault(ns, {})[spec["name"]] = spec

    def remove_index(self, ns: str, name: str) -> None:
        self._indexes.get(ns, {}).pop(name, None)

    def drop(self, ns: str) -> None:
        self._indexes.pop(ns, None)

    def drop_database(self, db: str) -> None:
        for ns in self.namespaces(db):
            del self._indexes[ns]
