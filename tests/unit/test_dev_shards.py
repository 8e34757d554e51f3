"""The test command's memory:// parts run every test directory, each exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import dev

TESTS = Path(__file__).resolve().parents[1]


def test_the_memory_parts_cover_every_test_directory_once() -> None:
    # given the directories that hold test modules
    holding = {
        path.parent.relative_to(TESTS.parent).as_posix() for path in TESTS.rglob("test_*.py")
    }
    # when the parts name their directories
    named = Counter(arg for shard in dev.MEMORY_SHARDS for arg in shard if not arg.startswith("-"))
    # then each directory is run by exactly one part
    assert set(named) == holding
    assert set(named.values()) == {1}
