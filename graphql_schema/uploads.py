"""An uploaded file read as text, without loading it: Starlette has spooled the upload to a
temporary file; this reads it in chunks (for its hash) and line by line (for its rows)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import IO, Any

from loyalty.errors import DomainError, ErrorCode

CHUNK = 1 << 16


class UploadedText:
    def __init__(self, upload: Any) -> None:
        binary = getattr(upload, "file", None)
        if binary is None or not hasattr(binary, "read") or not hasattr(binary, "seek"):
            raise DomainError(ErrorCode.INVALID_INPUT, ("file",), detail="file")
        self._file: IO[bytes] = binary

    def digest(self) -> str:
        self._file.seek(0)
        digest = hashlib.sha256()
        while chunk := self._file.read(CHUNK):
            digest.update(chunk)
        return digest.hexdigest()

    def lines(self) -> Iterator[str]:
        self._file.seek(0)
        # utf-8-sig drops a BOM when there is one; newline="" leaves CRLF inside quoted
        # fields to the csv reader. The wrapper is detached so the upload stays open.
        text = io.TextIOWrapper(self._file, encoding="utf-8-sig", errors="strict", newline="")
        try:
            yield from text
        finally:
            text.detach()
