"""Referral and badge repositories: once-only writes, tenant filters, due queries, and every
collection they query declares its named indexes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from loyalty.badges import BadgeAward
from loyalty.clock import FrozenClock
from loyalty.ports import ActivityRecord, Deps
from loyalty.referrals import Referral, ReferralStatus
from mongo.indexes import INDEXES


async def test_referral_lifecycle_is_once_only_and_tenant_scoped(
    deps: Deps, clock: FrozenClock
) -> None:
    # given a link, repeated, and the same referee id in another tenant
    now = clock.now()
    first = await deps.referrals.link(Referral("acme", "m2", "m1", now))
    again = await deps.referrals.link(Referral("acme", "m2", "m9", now + timedelta(hours=1)))
    assert (first.referrer_id, again.referrer_id, again.linked_at) == ("m1", "m1", now)
    await deps.referrals.link(Referral("globex", "m2", "m1", now))
    # when two first orders race
    due = now + timedelta(days=14)
    results = await asyncio.gather(
        deps.referrals.set_first_order("acme", "m2", "o1", due),
        deps.referrals.set_first_order("acme", "m2", "o2", due + timedelta(days=1)),
    )
    # then one wins
    assert sorted(results) == [False, True]
    stored = await deps.referrals.get("acme", "m2")
    assert stored is not None and stored.status is ReferralStatus.PENDING
    # and it is due only when its window ended, in its own tenant
    assert await deps.referrals.due("acme", due - timedelta(seconds=1), 10) == []
    clock.set(due + timedelta(days=1))
    assert [r.referee_id for r in await deps.referrals.due("acme", clock.now(), 10)] == ["m2"]
    assert await deps.referrals.due("globex", clock.now(), 10) == []
    # and it settles once
    settled = await asyncio.gather(
        deps.referrals.settle("acme", "m2", ReferralStatus.REWARDED, clock.now()),
        deps.referrals.settle("acme", "m2", ReferralStatus.VOID, clock.now()),
    )
    assert sorted(settled) == [False, True]
    assert await deps.referrals.due("acme", clock.now(), 10) == []
    final = await deps.referrals.get("acme", "m2")
    assert final is not None and final.status is not ReferralStatus.PENDING
    rewarded = int(final.status is ReferralStatus.REWARDED)
    assert await deps.referrals.count_rewarded("acme", "m1") == rewarded
    assert await deps.referrals.count_rewarded("globex", "m1") == 0


async def test_badge_awards_are_unique_per_member_and_badge(deps: Deps, clock: FrozenClock) -> None:
    # when the same award is inserted five times at once
    award = BadgeAward("acme", "m1", "b1", clock.now())
    results = await asyncio.gather(*(deps.badge_awards.insert(award) for _ in range(5)))
    # then it exists once, unsettled until marked
    assert sum(created for _, created in results) == 1
    assert [(a.badge_id, a.settled) for a in await deps.badge_awards.for_member("acme", "m1")] == [
        ("b1", False)
    ]
    await deps.badge_awards.mark_settled("acme", "m1", "b1")
    assert (await deps.badge_awards.for_member("acme", "m1"))[0].settled
    assert await deps.badge_awards.for_member("globex", "m1") == []


async def test_activity_count_is_per_member_kind_and_tenant(deps: Deps, clock: FrozenClock) -> None:
    # given two reviews and a birthday for m1, a review for m2, one in another tenant
    for tenant, member, activity, key in (
        ("acme", "m1", "PRODUCT_REVIEW", "a"),
        ("acme", "m1", "PRODUCT_REVIEW", "b"),
        ("acme", "m1", "BIRTHDAY", "2026"),
        ("acme", "m2", "PRODUCT_REVIEW", "a"),
        ("globex", "m1", "PRODUCT_REVIEW", "c"),
    ):
        record = ActivityRecord(tenant, member, activity, key, 0, clock.now(), None)
        await deps.activities.insert(record)
    # then
    assert await deps.activities.count("acme", "m1", "PRODUCT_REVIEW") == 2
    assert await deps.activities.count("acme", "m2", "PRODUCT_REVIEW") == 1
    assert await deps.activities.count("globex", "m1", "PRODUCT_REVIEW") == 1


def test_the_new_queries_have_named_indexes() -> None:
    # given the declarations / then each query shape above has its index, led by tenant
    names = {c: {m.document["name"] for m in models} for c, models in INDEXES.items()}
    assert {"tenant_status_due_at", "tenant_referrer_status"} <= names["referrals"]
    assert "tenant_member_earned_at" in names["badge_awards"]
    assert "tenant_created_at" in names["badges"]
    assert "tenant_member_activity" in names["activities"]
    for collection in ("referrals", "badges", "badge_awards", "activities"):
        for model in INDEXES[collection]:
            assert next(iter(model.document["key"])) == "tenant"
