"""Writers of one wallet take turns within a process; other wallets never wait for them."""

from __future__ import annotations

import asyncio

from mongo.wallet_locks import WalletLocks


async def test_writers_of_one_wallet_take_turns_and_the_table_empties_after_them() -> None:
    # given three writers of one wallet, each yielding while it holds its turn
    locks = WalletLocks()
    inside: list[str] = []
    overlaps: list[tuple[str, ...]] = []

    async def write(name: str) -> None:
        async with locks.turn("acme", "m1"):
            inside.append(name)
            overlaps.append(tuple(inside))
            await asyncio.sleep(0)
            inside.remove(name)

    # when they all start at once
    await asyncio.gather(write("a"), write("b"), write("c"))
    # then each was alone inside, in arrival order, and no lock is left behind
    assert overlaps == [("a",), ("b",), ("c",)]
    assert len(locks) == 0


async def test_another_wallet_does_not_wait() -> None:
    # given a writer holding m1's turn
    locks = WalletLocks()
    held = asyncio.Event()
    release = asyncio.Event()

    async def hold() -> None:
        async with locks.turn("acme", "m1"):
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold())
    await held.wait()
    # when m2 and globex's m1 are written meanwhile
    async with locks.turn("acme", "m2"), locks.turn("globex", "m1"):
        during = len(locks)
    release.set()
    await holder
    # then neither waited, and all turns are gone afterwards
    assert (during, len(locks)) == (3, 0)
