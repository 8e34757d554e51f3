"""Server errors as MongoDB reports them: a numeric code, its name and a message."""

from __future__ import annotations

from typing import Any

INTERNAL_ERROR = 1
BAD_VALUE = 2
FAILED_TO_PARSE = 9
TYPE_MISMATCH = 14
NAMESPACE_NOT_FOUND = 26
INDEX_NOT_FOUND = 27
CURSOR_NOT_FOUND = 43
COMMAND_NOT_FOUND = 59
IMMUTABLE_FIELD = 66
INVALID_OPTIONS = 72
INDEX_OPTIONS_CONFLICT = 85
INDEX_KEY_SPECS_CONFLICT = 86
TRANSACTION_TOO_OLD = 225
NOT_IMPLEMENTED = 238
BSON_OBJECT_TOO_LARGE = 10334
DUPLICATE_KEY = 11000
UPDATED_DOCUMENT_TOO_LARGE = 17419
UPSERTED_DOCUMENT_TOO_LARGE = 17420
UNKNOWN_FIELD = 40415

CODE_NAMES = {
    INTERNAL_ERROR: "InternalError",
    BAD_VALUE: "BadValue",
    FAILED_TO_PARSE: "FailedToParse",
    TYPE_MISMATCH: "TypeMismatch",
    NAMESPACE_NOT_FOUND: "NamespaceNotFound",
    INDEX_NOT_FOUND: "IndexNotFound",
    CURSOR_NOT_FOUND: "CursorNotFound",
    COMMAND_NOT_FOUND: "CommandNotFound",
    IMMUTABLE_FIELD: "ImmutableField",
    INVALID_OPTIONS: "InvalidOptions",
    INDEX_OPTIONS_CONFLICT: "IndexOptionsConflict",
    INDEX_KEY_SPECS_CONFLICT: "IndexKeySpecsConflict",
    TRANSACTION_TOO_OLD: "TransactionTooOld",
    NOT_IMPLEMENTED: "NotImplemented",
    BSON_OBJECT_TOO_LARGE: "BSONObjectTooLarge",
    DUPLICATE_KEY: "DuplicateKey",
}


class CommandError(Exception):
    """A command failed as a whole (`ok: 0`), or one write of a batch failed (a write error)."""

    def __init__(self, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    @property
    def code_name(self) -> str:
        return CODE_NAMES.get(self.code, f"Location{self.code}")

    def reply(self) -> dict[str, Any]:
        return {
            "ok": 0.0,
            "errmsg": self.message,
            "code": self.code,
            "codeName": self.code_name,
            **self.extra,
        }

    def write_error(self, index: int) -> dict[str, Any]:
        return {"index": index, "code": self.code, "errmsg": self.message, **self.extra}


def not_implemented(what: str) -> CommandError:
    return CommandError(NOT_IMPLEMENTED, f"{what} is not implemented by the dev store")
