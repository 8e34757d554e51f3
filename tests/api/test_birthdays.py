"""Birthdays: the member's date (updateProfile), the program's gift (updateProgram), and the
daily job that pays it once a year in the tenant's time zone, with a push."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mongo.client import Database
from tests.api.conftest import ADMIN_WALLET, Api, TenantCreds, enroll
from tests.api.push_helpers import register, scheduler
from tests.api.test_redeem_reward import stored_redemptions

PROFILE = """
mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  member { birthday } userErrors { code field message } } }
"""
GIFT = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  program { birthdayReward { points rewardId } } userErrors { code field message } } }
"""
READ_GIFT = "{ program { birthdayReward { points rewardId } } }"
HISTORY = ADMIN_WALLET.format(fields="type points reason")
RIYADH = 'mutation { updateProgram(input: { timezone: "Asia/Riyadh" }) { userErrors { code } } }'
REWARD = """
mutation { upsertReward(input: { name: { en: "Cake", ar: "كعكة" }, cost: 500,
  kind: FREE_PRODUCT }) { reward { id } userErrors { code } } }
"""


async def born(api: Api, creds: TenantCreds, member: str, birthday: str | None) -> dict[str, Any]:
    body = await api.gql(
        PROFILE, {"input": {"birthday": birthday}}, token=creds.member_token(api, member)
    )
    payload: dict[str, Any] = body["data"]["updateProfile"]
    return payload


async def gift(api: Api, creds: TenantCreds, value: dict[str, Any] | None) -> dict[str, Any]:
    body = await api.gql(GIFT, {"input": {"birthdayReward": value}}, token=creds.admin)
    payload: dict[str, Any] = body["data"]["updateProgram"]
    return payload


async def history(api: Api, creds: TenantCreds, member: str) -> list[dict[str, Any]]:
    body = await api.gql(HISTORY, {"id": member}, token=creds.admin)
    edges = body["data"]["member"]["wallet"]["transactions"]["edges"]
    return [edge["node"] for edge in edges]


async def birthday_points(api: Api, creds: TenantCreds, member: str) -> list[int]:
    return [
        n["points"] for n in await history(api, creds, member) if n["reason"] == "Birthday gift"
    ]


async def test_a_member_states_and_clears_their_birthday(api: Api, acme: TenantCreds) -> None:
    await enroll(api, acme, "c1")
    assert await born(api, acme, "c1", "1990-03-07") == {
        "member": {"birthday": "1990-03-07"},
        "userErrors": [],
    }
    assert await born(api, acme, "c1", None) == {"member": {"birthday": None}, "userErrors": []}


@pytest.mark.parametrize("day", ["2026-01-16", "1899-12-31"])
async def test_a_birthday_in_the_future_or_before_1900_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, day: str
) -> None:
    # given a member born on 7 March 1990 (now: 15 January 2026)
    await enroll(api, acme, "c1")
    await born(api, acme, "c1", "1990-03-07")
    # when
    payload = await born(api, acme, "c1", day)
    # then
    assert payload["member"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID_INPUT", ["input", "birthday"])
    ]
    body = await api.gql("{ me { birthday } }", token=acme.member_token(api, "c1"))
    assert body["data"]["me"] == {"birthday": "1990-03-07"}


async def test_the_gift_is_points_or_a_coupon_never_both(api: Api, acme: TenantCreds) -> None:
    # given a gift of 50 points
    assert (await gift(api, acme, {"points": 50}))["userErrors"] == []
    # when the merchant sends both, neither, too many points, or an unknown reward
    both = await gift(api, acme, {"points": 50, "rewardId": "rw_x"})
    neither = await gift(api, acme, {})
    too_many = await gift(api, acme, {"points": 100_000_001})
    unknown = await gift(api, acme, {"rewardId": "rw_missing"})
    # then each is refused with its code and the gift stays 50 points
    assert [
        (e["code"], e["field"]) for r in (both, neither, too_many, unknown) for e in r["userErrors"]
    ] == [
        ("INVALID_INPUT", ["input", "birthdayReward"]),
        ("INVALID_INPUT", ["input", "birthdayReward"]),
        ("OUT_OF_RANGE", ["input", "birthdayReward", "points"]),
        ("REWARD_NOT_FOUND", ["input", "birthdayReward", "rewardId"]),
    ]
    body = await api.gql(READ_GIFT, tenant=acme.slug)
    assert body["data"]["program"]["birthdayReward"] == {"points": 50, "rewardId": None}
    # and null removes the gift
    assert (await gift(api, acme, None))["program"] == {"birthdayReward": None}


async def test_the_gift_is_paid_once_on_the_birthday_in_the_tenants_zone(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database
) -> None:
    # given acme in Riyadh (UTC+3) giving 50 points; globex gives nothing; members born on
    # 15 January at both, and one born on 16 January at acme
    await api.gql(RIYADH, token=acme.admin)
    await gift(api, acme, {"points": 50})
    for creds, member, day in ((acme, "c1", "1990-01-15"), (acme, "c2", "1990-01-16")):
        await enroll(api, creds, member)
        await born(api, creds, member, day)
    await enroll(api, globex, "c1")
    await born(api, globex, "c1", "1990-01-15")
    worker, _ = scheduler(database, api.deps)
    # when the job runs at 20:30 UTC on 14 January (23:30 in Riyadh), then at 21:30 UTC
    # (00:30 on 15 January in Riyadh), then again that day
    api.clock.set(datetime(2026, 1, 14, 20, 30, tzinfo=UTC))
    before = (await worker.tick()).get("birthdays")
    api.clock.set(datetime(2026, 1, 14, 21, 30, tzinfo=UTC))
    on_the_day = (await worker.tick()).get("birthdays")
    api.clock.set(datetime(2026, 1, 15, 12, tzinfo=UTC))
    again = (await worker.tick()).get("birthdays")
    # then c1 at acme got 50 points once, in an EARN entry; nobody else got anything
    assert (before, on_the_day, again) == (0, 1, 0)
    assert await birthday_points(api, acme, "c1") == [50]
    assert [n["type"] for n in await history(api, acme, "c1")] == ["EARN"]
    assert await birthday_points(api, acme, "c2") == []
    assert await history(api, globex, "c1") == []
    # when a year later the day comes again
    api.clock.set(datetime(2027, 1, 15, 12, tzinfo=UTC))
    assert (await worker.tick()).get("birthdays") == 1
    # then the gift is paid for that year too
    assert await birthday_points(api, acme, "c1") == [50, 50]


async def test_a_leap_day_birthday_is_paid_on_28_february_in_other_years(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a member born on 29 February 2000 and a gift of 20 points
    await gift(api, acme, {"points": 20})
    await enroll(api, acme, "c1")
    await born(api, acme, "c1", "2000-02-29")
    worker, _ = scheduler(database, api.deps)
    paid = []
    # when the job runs on 28 February and 1 March 2027, then 28 and 29 February 2028
    for day in ((2027, 2, 28), (2027, 3, 1), (2028, 2, 28), (2028, 2, 29)):
        api.clock.set(datetime(*day, 12, tzinfo=UTC))
        paid.append((await worker.tick()).get("birthdays"))
    # then it is paid on 28 February 2027 and on 29 February 2028, once each
    assert paid == [1, 0, 0, 1]
    assert await birthday_points(api, acme, "c1") == [20, 20]


async def test_a_coupon_gift_is_issued_free_and_announced_by_a_push(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a cake coupon as the gift and a member with a device, born today
    body = await api.gql(REWARD, token=acme.admin)
    cake = body["data"]["upsertReward"]["reward"]["id"]
    assert (await gift(api, acme, {"rewardId": cake}))["program"] == {
        "birthdayReward": {"points": None, "rewardId": cake}
    }
    await enroll(api, acme, "c1")
    await register(api, acme, "c1", "tok-c1")
    await born(api, acme, "c1", "1990-01-15")
    worker, sender = scheduler(database, api.deps)
    # when the job runs twice on the day
    await worker.tick()
    await worker.tick()
    # then one coupon, free, issued; no points moved; one push naming the reward
    [coupon] = await stored_redemptions(api)
    assert (coupon["status"], coupon["points_spent"]) == ("ISSUED", 0)
    assert await history(api, acme, "c1") == []
    assert [(m.title, m.body) for m in sender.sent] == [
        ("Happy birthday!", "Our gift to you: Cake. You will find it in your coupons.")
    ]
    assert sender.sent[0].data["link"] == "loyalty://wallet"


async def test_a_points_gift_push_is_worded_in_arabic(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given 2 points as the gift and an Arabic member with a device, born today
    await gift(api, acme, {"points": 2})
    await enroll(api, acme, "c1")
    await register(api, acme, "c1", "tok-c1")
    await api.gql(
        'mutation { updateProfile(input: {locale: "ar", birthday: "1990-01-15"}) '
        "{ userErrors { code } } }",
        token=acme.member_token(api, "c1"),
    )
    worker, sender = scheduler(database, api.deps)
    # when
    await worker.tick()
    # then the dual is used
    assert [(m.title, m.body) for m in sender.sent] == [
        ("عيد ميلاد سعيد!", "أهديناك نقطتين بمناسبة عيد ميلادك.")
    ]
