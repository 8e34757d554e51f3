"""applyReferralCode: new members link to a referrer once (no self, circular or late links);
both sides are paid once the referee's first order is past its return window."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from api.scheduler import Scheduler
from loyalty.member_events import MemberEventKind
from loyalty.referrals import ReferralStatus
from loyalty.usecases.referrals import settle_due_referrals
from mongo.client import Database
from tests.api.conftest import WALLET, Api, TenantCreds, enroll
from tests.api.test_member_tier import events
from tests.api.test_refund_order import refund
from tests.api.tiers_helpers import order

APPLY = """
mutation($code: String!) { applyReferralCode(code: $code) {
  member { externalId referralCode } userErrors { code field message } } }
"""
SETTINGS = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) {
  userErrors { code field } } }
"""


async def setup(api: Api, creds: TenantCreds, pending_days: int = 14) -> None:
    variables = {
        "input": {
            "referralReward": {"referrerPoints": 300, "refereePoints": 100},
            "pendingDays": pending_days,
        }
    }
    body = await api.gql(SETTINGS, variables, token=creds.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []
    for member in ("ref", "new"):
        await enroll(api, creds, member)


async def code_of(api: Api, creds: TenantCreds, member: str) -> str:
    found = await api.deps.members.get_by_external_id(creds.slug, member)
    assert found is not None
    return found.referral_code


async def apply(api: Api, creds: TenantCreds, member: str, code: str) -> dict[str, Any]:
    body = await api.gql(APPLY, {"code": code}, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["applyReferralCode"]
    return payload


async def balance(api: Api, creds: TenantCreds, member: str) -> tuple[int, list[Any]]:
    body = await api.gql(WALLET, token=creds.member_token(api, member))
    wallet = body["data"]["me"]["wallet"]
    return wallet["balance"], [e["node"] for e in wallet["transactions"]["edges"]]


async def referred_by(api: Api, creds: TenantCreds, member: str) -> str | None:
    found = await api.deps.members.get_by_external_id(creds.slug, member)
    assert found is not None
    return found.referred_by


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    assert payload["userErrors"][0]["message"]
    return payload["userErrors"][0]["code"], payload["userErrors"][0]["field"]


async def test_both_sides_are_paid_once_after_the_return_window(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given "new" linked to "ref" (the code typed in lower case with spaces)
    await setup(api, acme)
    code = await code_of(api, acme, "ref")
    first = await apply(api, acme, "new", f" {code[:4].lower()} {code[4:]} ")
    assert first == {
        "member": {"externalId": "new", "referralCode": first["member"]["referralCode"]},
        "userErrors": [],
    }
    # when the first order is recorded and time passes inside the window
    await order(api, acme, "new", "o1", "100")
    api.clock.advance(timedelta(days=13))
    await Scheduler(database, api.deps, interval=60).tick()
    # then nobody is paid yet
    assert (await balance(api, acme, "ref"))[0] == 0
    assert await events(api, "acme", MemberEventKind.REFERRAL_REWARDED) == []
    # when the window has passed, two scheduler instances tick at once, then again
    api.clock.advance(timedelta(days=2))
    schedulers = [Scheduler(database, api.deps, interval=60) for _ in range(2)]
    await asyncio.gather(*(s.tick() for s in schedulers))
    await asyncio.gather(*(s.tick() for s in schedulers))
    # then each side is paid exactly once, with a localized reason and an event
    ref_balance, ref_history = await balance(api, acme, "ref")
    assert ref_balance == 300
    assert [(n["type"], n["points"], n["reason"]) for n in ref_history] == [
        ("EARN", 300, "Reward for referring a friend who completed their first order")
    ]
    assert (await balance(api, acme, "new"))[0] == 100 + 100
    rewarded = await events(api, "acme", MemberEventKind.REFERRAL_REWARDED)
    assert sorted((d["side"], d["points"]) for _, d in rewarded) == [
        ("referee", 100),
        ("referrer", 300),
    ]
    new = await api.deps.members.get_by_external_id("acme", "new")
    assert new is not None
    stored = await api.deps.referrals.get("acme", new.id)
    assert stored is not None and stored.status is ReferralStatus.REWARDED


async def test_the_payout_job_run_concurrently_pays_once(api: Api, acme: TenantCreds) -> None:
    # given a referral whose first order's window has passed
    await setup(api, acme)
    await apply(api, acme, "new", await code_of(api, acme, "ref"))
    await order(api, acme, "new", "o1", "100")
    api.clock.advance(timedelta(days=15))
    tenant = await api.deps.tenants.get("acme")
    assert tenant is not None
    # when the job itself runs five times at once (no lease in between)
    done = await asyncio.gather(*(settle_due_referrals(api.deps, tenant) for _ in range(5)))
    # then
    assert sum(done) >= 1
    assert (await balance(api, acme, "ref"))[0] == 300
    assert len(await events(api, "acme", MemberEventKind.REFERRAL_REWARDED)) == 2
    assert await settle_due_referrals(api.deps, tenant) == 0


async def test_no_return_window_pays_on_the_first_order_only(api: Api, acme: TenantCreds) -> None:
    # given a program without a return window
    await setup(api, acme, pending_days=0)
    await apply(api, acme, "new", await code_of(api, acme, "ref"))
    # when two orders are recorded, the first one retried
    await order(api, acme, "new", "o1", "100")
    await order(api, acme, "new", "o1", "100")
    await order(api, acme, "new", "o2", "100")
    # then the referrer was paid at once, once
    assert (await balance(api, acme, "ref"))[0] == 300
    assert (await balance(api, acme, "new"))[0] == 200 + 100


async def test_no_reward_when_the_first_order_is_refunded_in_full_within_the_window(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given the referee's first order refunded in full (in two parts) during the window
    await setup(api, acme)
    await apply(api, acme, "new", await code_of(api, acme, "ref"))
    await order(api, acme, "new", "o1", "100")
    api.clock.advance(timedelta(days=3))
    assert (await refund(api, acme, "o1", "r1", "40"))["userErrors"] == []
    assert (await refund(api, acme, "o1", "r2"))["userErrors"] == []
    # when the window passes, and later orders come
    api.clock.advance(timedelta(days=12))
    await Scheduler(database, api.deps, interval=60).tick()
    await order(api, acme, "new", "o2", "100")
    api.clock.advance(timedelta(days=15))
    await Scheduler(database, api.deps, interval=60).tick()
    # then nobody is paid for this referral
    assert (await balance(api, acme, "ref"))[0] == 0
    assert await events(api, "acme", MemberEventKind.REFERRAL_REWARDED) == []
    new = await api.deps.members.get_by_external_id("acme", "new")
    assert new is not None
    stored = await api.deps.referrals.get("acme", new.id)
    assert stored is not None and stored.status is ReferralStatus.VOID


async def test_retries_and_concurrent_applies_link_once(api: Api, acme: TenantCreds) -> None:
    # given
    await setup(api, acme)
    code = await code_of(api, acme, "ref")
    # when the same code is applied five times at once, then once more
    payloads = await asyncio.gather(*(apply(api, acme, "new", code) for _ in range(5)))
    again = await apply(api, acme, "new", code)
    # then every call got the first result
    assert all(p["userErrors"] == [] for p in [*payloads, again])
    ref = await api.deps.members.get_by_external_id("acme", "ref")
    assert ref is not None and await referred_by(api, acme, "new") == ref.id


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("malformed", "REFERRAL_CODE_INVALID"),
        ("unknown", "REFERRAL_CODE_INVALID"),
        ("self", "SELF_REFERRAL"),
        ("second", "ALREADY_REFERRED"),
        ("customer", "NOT_A_NEW_CUSTOMER"),
        ("circular", "CIRCULAR_REFERRAL"),
        ("long_circle", "CIRCULAR_REFERRAL"),
    ],
)
async def test_abuse_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, case: str, code: str
) -> None:
    # given ref, new, a third member "other"; "new" referred "ref2" who referred "ref3"
    await setup(api, acme)
    for member in ("other", "ref2", "ref3"):
        await enroll(api, acme, member)
    assert (await apply(api, acme, "ref2", await code_of(api, acme, "new")))["userErrors"] == []
    assert (await apply(api, acme, "ref3", await code_of(api, acme, "ref2")))["userErrors"] == []
    member, entered = "new", await code_of(api, acme, "ref")
    if case == "malformed":
        entered = "no-such-code!"
    elif case == "unknown":
        entered = "ZZZZ2222"
    elif case == "self":
        entered = await code_of(api, acme, "new")
    elif case == "second":
        assert (await apply(api, acme, "new", await code_of(api, acme, "other")))["member"]
    elif case == "customer":
        await order(api, acme, "new", "o1", "100")
    elif case == "circular":
        entered = await code_of(api, acme, "ref2")
    elif case == "long_circle":
        entered = await code_of(api, acme, "ref3")
    before = await referred_by(api, acme, member)
    # when
    payload = await apply(api, acme, member, entered)
    # then
    assert refused(payload) == (code, ["code"])
    assert await referred_by(api, acme, member) == before
    new = await api.deps.members.get_by_external_id("acme", "new")
    assert new is not None
    stored = await api.deps.referrals.get("acme", new.id)
    assert (stored.referrer_id if stored else None) == before


async def test_each_member_entering_the_others_code_at_once_never_closes_a_circle(
    api: Api, acme: TenantCreds
) -> None:
    # given two new members
    await setup(api, acme)
    ref_code, new_code = await code_of(api, acme, "ref"), await code_of(api, acme, "new")
    # when each enters the other's code at the same time
    await asyncio.gather(apply(api, acme, "new", ref_code), apply(api, acme, "ref", new_code))
    # then at most one link stands
    links = [await referred_by(api, acme, m) for m in ("ref", "new")]
    assert sum(link is not None for link in links) <= 1


async def test_a_code_from_another_tenant_is_unknown_and_auth_is_checked(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given "ref" in acme; "new" in globex
    await setup(api, acme)
    await enroll(api, globex, "new")
    code = await code_of(api, acme, "ref")
    # when
    cross = await apply(api, globex, "new", code)
    as_admin = await api.gql(APPLY, {"code": code}, token=acme.admin)
    anonymous = await api.gql(APPLY, {"code": code}, tenant=acme.slug)
    # then
    assert refused(cross) == ("REFERRAL_CODE_INVALID", ["code"])
    assert await referred_by(api, globex, "new") is None
    assert as_admin["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_messages_follow_accept_language(api: Api, acme: TenantCreds) -> None:
    # given
    await setup(api, acme)
    token = acme.member_token(api, "new")
    code = await code_of(api, acme, "new")
    # when
    ar = await api.gql(APPLY, {"code": code}, token=token, locale="ar")
    # then
    assert ar["data"]["applyReferralCode"]["userErrors"][0]["message"] == (
        "لا يمكنك استخدام رمز الدعوة الخاص بك."
    )
