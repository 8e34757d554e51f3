"""Tier and VIP-trial pushes from the member event log, and win-back after inactivity."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.ports import Deps
from mongo.client import Database
from tests.api.conftest import RECORD_ORDER, Api, TenantCreds
from tests.api.push_helpers import log, register, scheduler


async def _record(deps: Deps, kind: MemberEventKind, key: str, **data: Any) -> None:
    member = await deps.members.get_by_external_id("acme", "c1")
    assert member is not None
    await deps.member_events.record(
        MemberEvent("acme", member.id, kind, key, deps.clock.now(), data)
    )


async def test_tier_and_trial_events_are_pushed_once_each(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given an Arabic member and four events, one recorded twice
    await register(api, acme, "c1", "tok-c1")
    await api.gql(
        'mutation { updateProfile(input: {locale: "ar"}) { userErrors { code } } }',
        token=acme.member_token(api, "c1"),
    )
    ends = (api.clock.now() + timedelta(days=3)).isoformat()
    await _record(deps, MemberEventKind.TIER_UPGRADED, "base", tier_id="base")
    await _record(deps, MemberEventKind.VIP_TRIAL_STARTED, "t1", tier_id="base", ends_at=ends)
    await _record(deps, MemberEventKind.VIP_TRIAL_ENDING_SOON, "t1:3", tier_id="base", ends_at=ends)
    await _record(deps, MemberEventKind.VIP_TRIAL_ENDING_SOON, "t1:3", tier_id="base", ends_at=ends)
    await _record(deps, MemberEventKind.BADGE_EARNED, "b1")
    first, sender = scheduler(database, deps)
    second, other = scheduler(database, deps)
    # when two workers tick together, then again
    await asyncio.gather(first.tick(), second.tick())
    await first.tick()
    # then three pushes, in Arabic, with the tier's name and the trial's end date
    titles = sorted(m.title for m in sender.sent + other.sent)
    base = "«\u2068أساسي\u2069»"  # the tier name, quoted and isolated
    assert titles == sorted(
        [
            f"مبروك! وصلت إلى مستوى {base}",
            f"بدأت فترة تجربتك لمستوى {base}",
            f"تجربتك لمستوى {base} تنتهي قريبًا",
        ]
    )
    bodies = {m.body for m in sender.sent + other.sent}
    # the date in the locale's format, not ISO
    assert f"تنتهي تجربتك في 18 يناير 2026. تسوّق الآن لتحافظ على مستوى {base}." in bodies
    assert all(m.data["link"] == "loyalty://tier" for m in sender.sent + other.sent)


async def test_an_opted_out_tier_push_is_skipped(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-c1")
    await api.gql(
        "mutation { updateNotificationPreferences(input: {optedOut: [TIER]}) "
        "{ userErrors { code } } }",
        token=acme.member_token(api, "c1"),
    )
    await _record(deps, MemberEventKind.TIER_UPGRADED, "gold", tier_id="gold")
    worker, sender = scheduler(database, deps)
    await worker.tick()
    assert sender.sent == []
    assert [(r["kind"], r["status"], r["reason"]) for r in await log(api, acme)] == [
        ("TIER_UPGRADED", "SKIPPED", "OPTED_OUT")
    ]


async def test_win_back_once_per_inactivity_episode(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given a member whose last order was placed now; the program's inactivity period is 90 days
    await register(api, acme, "c1", "tok-c1")

    async def order(order_id: str) -> None:
        body = await api.gql(
            RECORD_ORDER,
            {
                "input": {
                    "memberExternalId": "c1",
                    "orderId": order_id,
                    "total": "10",
                    "currency": "SAR",
                }
            },
            token=acme.events,
        )
        assert body["data"]["recordOrder"]["userErrors"] == []

    await order("o1")
    worker, sender = scheduler(database, deps)
    await worker.tick()
    # when 89 days pass, nothing; at 90 days and a few more ticks, one push
    api.clock.advance(timedelta(days=89))
    await worker.tick()
    assert sender.sent == []
    for _ in range(3):
        api.clock.advance(timedelta(hours=12))
        await worker.tick()
    assert [m.title for m in sender.sent] == ["We miss you!"]
    # when the member orders again and lapses again, a second episode
    await order("o2")
    api.clock.advance(timedelta(days=91, hours=12))  # midday: outside quiet hours
    await worker.tick()
    assert [m.title for m in sender.sent] == ["We miss you!", "We miss you!"]
