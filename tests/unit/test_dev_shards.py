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
    # when each part runs what it names, less what it ignores (a bare "tests": every directory)
    runs: Counter[str] = Counter()
    for shard in dev.MEMORY_SHARDS:
        named = {arg for arg in shard if not arg.startswith("-")}
        ignored = {arg.removeprefix("--ignore=") for arg in shard if arg.startswith("--ignore=")}
        chosen = holding if "tests" in named else named
        runs.update(chosen - ignored)
    # then each directory is run by exactly one part
    assert set(runs) == holding
    assert set(runs.values()) == {1}
