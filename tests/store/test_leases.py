"""Scheduler leases: one holder at a time, fencing tokens that grow with each acquisition, and a
holder that was taken over can neither renew nor release the new holder's lease."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mongo.client import Database
from mongo.leases import Lease, MongoLeases

T0 = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=5)


async def test_a_live_lease_has_one_holder(database: Database) -> None:
    # given
    leases = MongoLeases(database.db)
    # when
    first = await leases.acquire("settle", "a", T0, TTL)
    second = await leases.acquire("settle", "b", T0 + TTL - timedelta(seconds=1), TTL)
    # then
    assert first == Lease("settle", "a", 1, T0 + TTL)
    assert second is None


async def test_a_taken_over_holder_can_neither_renew_nor_release(database: Database) -> None:
    # given a's lease lapsed and b took it
    leases = MongoLeases(database.db)
    old = await leases.acquire("settle", "a", T0, TTL)
    assert old is not None
    later = T0 + TTL + timedelta(seconds=1)
    new = await leases.acquire("settle", "b", later, TTL)
    # when a renews, then releases
    renewed = await leases.renew(old, later, TTL)
    await leases.release(old, later)
    # then the token grew, a's renewal failed, and b still holds the lease
    assert new == Lease("settle", "b", 2, later + TTL)
    assert renewed is None
    assert await leases.acquire("settle", "c", later, TTL) is None


async def test_renewing_keeps_the_lease_past_its_first_expiry(database: Database) -> None:
    # given
    leases = MongoLeases(database.db)
    lease = await leases.acquire("settle", "a", T0, TTL)
    assert lease is not None
    # when a renews before the lease lapses
    renewed = await leases.renew(lease, T0 + timedelta(minutes=4), TTL)
    # then nobody gets it at the first expiry; it is free again once released
    assert renewed == Lease("settle", "a", 1, T0 + timedelta(minutes=9))
    assert await leases.acquire("settle", "b", T0 + timedelta(minutes=6), TTL) is None
    await leases.release(lease, T0 + timedelta(minutes=7))
    taken = await leases.acquire("settle", "b", T0 + timedelta(minutes=7), TTL)
    assert taken == Lease("settle", "b", 2, T0 + timedelta(minutes=12))


async def test_a_lapsed_lease_nobody_took_can_still_be_renewed(database: Database) -> None:
    # given
    leases = MongoLeases(database.db)
    lease = await leases.acquire("settle", "a", T0, TTL)
    assert lease is not None
    # when
    renewed = await leases.renew(lease, T0 + timedelta(minutes=6), TTL)
    # then no one else ran meanwhile: the same token goes on
    assert renewed == Lease("settle", "a", 1, T0 + timedelta(minutes=11))
