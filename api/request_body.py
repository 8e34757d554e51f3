"""What a GraphQL request body may look like before anything reads it, and the request id.

Each refusal is a `BadBody` with the code the client is answered with (as a GraphQL error
with `extensions.code`, localized), never an exception escaping as HTTP 500:

- JSON is decoded with orjson: invalid UTF-8, nesting deeper than 1,024 levels and integers
  too large for a double are decode errors (MALFORMED_JSON), not a RecursionError or a
  4,300-digit `int()` deep in the stack;
- the body is an operation object or a batch (a list of operation objects): a JSON string,
  number or list of numbers is INVALID_REQUEST_BODY;
- a multipart `map` is an object from form field names to lists of `variables.…` paths
  (MALFORMED_MULTIPART otherwise), so placing files cannot index a string or a missing key.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Mapping
from typing import Any

import orjson

MAX_REQUEST_ID = 64
_REQUEST_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_REQUEST_ID}}}")
MAX_FILE_PATHS = 20


class BadBody(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def decode_json(data: str | bytes) -> Any:
    if not data:
        raise BadBody("EMPTY_BODY")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BadBody("MALFORMED_JSON") from exc


def check_operations(data: object) -> None:
    """An operation object or a non-empty batch of them."""
    if isinstance(data, dict):
        return
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return
    raise BadBody("INVALID_REQUEST_BODY")


def _file_path(path: object, operations: object) -> bool:
    """`variables.name` (or `0.variables.name` in a batch) that leads to a slot in
    `operations`: placing the file there must neither index a string nor invent keys."""
    if not isinstance(path, str):
        return False
    *parents, last = path.split(".")
    target = operations
    for key in parents:
        if isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        elif isinstance(target, dict) and key in target:
            target = target[key]
        else:
            return False
    if isinstance(target, list):
        return last.isdigit() and int(last) < len(target)
    return isinstance(target, dict) and last in target


def check_file_map(file_map: object, operations: object, files: Mapping[str, Any]) -> None:
    if not isinstance(file_map, dict):
        raise BadBody("MALFORMED_MULTIPART")
    for name, paths in file_map.items():
        if name not in files or not isinstance(paths, list) or not paths:
            raise BadBody("MALFORMED_MULTIPART")
        if len(paths) > MAX_FILE_PATHS or not all(_file_path(p, operations) for p in paths):
            raise BadBody("MALFORMED_MULTIPART")


def request_id(header: str | None) -> str:
    """The client's X-Request-Id when it is a plain token (it is echoed in a header and
    written to logs), else a fresh one: a long or odd value is replaced, not truncated."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return fresh_request_id()


# A random prefix per process and a counter: unique across processes and restarts for any
# practical purpose, at a fraction of uuid4's cost (it was measurable per request).
_PROCESS_PREFIX = secrets.token_hex(6)
_sequence = itertools.count(1)


def fresh_request_id() -> str:
    return f"{_PROCESS_PREFIX}-{next(_sequence):x}"
