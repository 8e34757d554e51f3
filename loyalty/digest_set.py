"""A set of 64-bit digests in 8 bytes each (open addressing in an array), for remembering
which keys a streamed file already had without Python's ~70 bytes per set entry: 100,000
external ids take about 2 MB, not 7."""

from __future__ import annotations

import hashlib
from array import array

_EMPTY = 0


def digest64(text: str) -> int:
    value = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
    return value or 1  # 0 marks an empty slot


class DigestSet:
    def __init__(self, capacity: int = 1024) -> None:
        self._table = array("Q", bytes(8 * capacity))
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def add(self, text: str) -> bool:
        """True when `text` is new; False when it was added before (a 64-bit digest match:
        a false match is about one in 10^9 for a million keys)."""
        if 2 * (self._size + 1) > len(self._table):
            self._grow()
        return self._insert(digest64(text))

    def _insert(self, key: int) -> bool:
        table = self._table
        mask = len(table) - 1
        slot = key & mask
        while table[slot] != _EMPTY:
            if table[slot] == key:
                return False
            slot = (slot + 1) & mask
        table[slot] = key
        self._size += 1
        return True

    def _grow(self) -> None:
        old = self._table
        self._table = array("Q", bytes(16 * len(old)))
        self._size = 0
        for key in old:
            if key != _EMPTY:
                self._insert(key)
