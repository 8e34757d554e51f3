"""DigestSet: the compact set the member import uses to find repeated external ids."""

from __future__ import annotations

from loyalty.digest_set import DigestSet


def test_it_tells_new_keys_from_repeated_ones_across_growth() -> None:
    seen = DigestSet(capacity=4)
    added = [seen.add(f"c{i}") for i in range(1000)]
    repeated = [seen.add(f"c{i}") for i in range(0, 1000, 7)]
    assert added == [True] * 1000
    assert repeated == [False] * 143
    assert len(seen) == 1000


def test_arabic_and_latin_keys_are_distinct() -> None:
    seen = DigestSet()
    assert [seen.add("سارة"), seen.add("sara"), seen.add("سارة")] == [True, True, False]
