"""An uploaded file read as text, without loading it: Starlette has spooled the upload to a
temporary file; this reads it in chunks (for its hash) and line by line (for its rows)."""

from __future__ import annotations

import codecs
import hashlib
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
        """Split on LF in bytes (a UTF-8 character never contains one), then decoded line by
        line, so bytes that are not UTF-8 fail on their own line; CRLF is left to the csv
        reader; utf-8-sig drops a BOM when there is one."""
        self._file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        for raw in self._file:
            yield decoder.decode(raw)
        if rest := decoder.decode(b"", final=True):
            yield rest
