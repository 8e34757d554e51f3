"""Exactly once, however old the retry: every wallet-moving operation re-sent after 1,000 later
operations on the same wallet changes nothing and answers as the first time did: orders,
refunds, activities, adjustments, redemptions, checkout with points (reserve, capture by the
order, release), coupon cancelling, bulk awards and migration imports.

The durable guard is the ledger's operation index, so this holds even when a retry outlives
the operation's idempotency record (as a TTL would remove it). All the operations share one
history: the 1,000 later operations come after all of them."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Applied, Deps
from loyalty.usecases.adjustments import adjust_points
from loyalty.usecases.bulk_awards import award_step
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from loyalty.usecases.moves import grant
from tests.api.bulk_helpers import award
from tests.api.checkout_helpers import order, release, reserve
from tests.api.conftest import (
    ADJUST,
    RECORD_ORDER,
    Api,
    TenantCreds,
    admin_wallet,
    enroll,
)
from tests.api.global_ids import local
from tests.api.import_helpers import csv_text, upload_csv
from tests.api.test_cancel_coupon import cancel
from tests.api.test_record_activity import RECORD_ACTIVITY, configure
from tests.api.test_redeem_reward import REDEEM, create_reward
from tests.api.test_refund_order import REFUND

LATER_OPERATIONS = 1_000


def _inputs(reward_id: str) -> dict[str, tuple[str, dict[str, Any], str]]:
    """Each wallet-moving call: (query, variables, who sends it)."""
    return {
        "recordOrder": (
            RECORD_ORDER,
            {
                "input": {
                    "memberExternalId": "c1",
                    "orderId": "O1",
                    "total": "300",
                    "currency": "SAR",
                    "placedAt": "2026-01-01T10:00:00Z",
                }
            },
            "events",
        ),
        "refundOrder": (
            REFUND,
            {"input": {"orderId": "O1", "idempotencyKey": "r1", "amount": "50"}},
            "events",
        ),
        "recordActivity": (
            RECORD_ACTIVITY,
            {"input": {"memberExternalId": "c1", "activity": "PRODUCT_REVIEW", "key": "rv1"}},
            "events",
        ),
        "adjustPoints": (
            ADJUST,
            {
                "input": {
                    "memberExternalId": "c1",
                    "points": 40,
                    "reason": "goodwill",
                    "idempotencyKey": "a1",
                }
            },
            "admin",
        ),
        "redeemReward": (
            REDEEM,
            {"input": {"rewardId": reward_id, "idempotencyKey": "d1"}},
            "member",
        ),
    }


async def _send(api: Api, creds: TenantCreds, call: tuple[str, dict[str, Any], str]) -> Any:
    query, variables, who = call
    token = {
        "events": creds.events,
        "admin": creds.admin,
        "member": creds.member_token(api, "c1"),
    }[who]
    body = await api.gql(query, variables, token=token)
    return body


async def _later_operations(deps: Deps, slug: str, count: int) -> None:
    """+1 then -1 adjustments, each its own operation with its own ledger entry, and the
    wallet ends as it began. Each half is sent at once, as a busy wallet receives them: they
    are written in a few batches (mongo/wallet_queue.py), which is also what makes 1,000 of
    them quick here. The halves take turns, because over the wire the calls of one half
    arrive in any order, and a -1 arriving first would find nothing to take."""
    tenant = await deps.tenants.get(slug)
    assert tenant is not None
    for sign, numbers in ((1, range(0, count, 2)), (-1, range(1, count, 2))):
        await asyncio.gather(
            *(
                adjust_points(
                    deps,
                    tenant,
                    member_external_id="c1",
                    points=sign,
                    reason="churn",
                    idempotency_key=f"later-{n}",
                )
                for n in numbers
            )
        )


async def _ledger_size(api: Api, slug: str) -> int:
    assert api.database is not None
    return int(await api.database.db["ledger"].count_documents({"tenant": slug}))


class Newer:
    """The newer operations on c1's wallet: checkout with points, a cancelled coupon, a bulk
    award and a migration import. `first` sends each once; `again` re-sends each the way its
    sender retries, and returns the answers."""

    def __init__(self, api: Api, creds: TenantCreds, reward_id: str) -> None:
        self.api, self.creds, self.reward_id = api, creds, reward_id
        self.answers: dict[str, Any] = {}

    async def _run_jobs(self) -> None:
        tenant = await self.api.deps.tenants.get(self.creds.slug)
        assert tenant is not None
        await run_bulk_jobs(self.api.deps, tenant)

    async def _redeem(self, key: str) -> dict[str, Any]:
        variables = {"input": {"rewardId": self.reward_id, "idempotencyKey": key}}
        token = self.creds.member_token(self.api, "c1")
        payload: dict[str, Any] = (await self.api.gql(REDEEM, variables, token=token))["data"][
            "redeemReward"
        ]
        return payload

    async def _send_all(self) -> dict[str, Any]:
        """In order; a retry's answers carry the same ids as the first ones."""
        api, creds = self.api, self.creds
        member = creds.member_token(api, "c1")
        sent: dict[str, Any] = {"reservePoints": await reserve(api, creds, "c1", 20, "h1")}
        held = sent["reservePoints"]["reservation"]["id"]
        sent["recordOrder+capture"] = await order(api, creds, "c1", "O2", "100", held)
        sent["reservePoints(released)"] = await reserve(api, creds, "c1", 10, "h2")
        freed = sent["reservePoints(released)"]["reservation"]["id"]
        sent["releasePoints"] = await release(api, member, freed)
        sent["redeemReward(cancelled)"] = await self._redeem("d2")
        code = sent["redeemReward(cancelled)"]["redemption"]["couponCode"]
        sent["cancelCoupon"] = await cancel(api, member, code, "cc1")
        sent["awardPoints"] = await award(
            api, creds, memberExternalIds=["c1"], idempotencyKey="aw1"
        )
        sent["importMembers"] = await upload_csv(api, creds.admin, IMPORT_FILE, dry_run=False)
        await self._run_jobs()
        return sent

    async def first(self) -> None:
        self.answers = await self._send_all()
        for name, payload in self.answers.items():
            assert payload["userErrors"] == [], (name, payload)

    async def again(self) -> dict[str, Any]:
        answers = await self._send_all()
        # The worker repeats the award's page from its start (a crash lost its cursor), and
        # another file carries c1's migration again: both find their operation applied.
        deps, slug = self.api.deps, self.creds.slug
        job = await deps.bulk_jobs.get(slug, local(self.answers["awardPoints"]["job"]["id"]))
        tenant = await deps.tenants.get(slug)
        assert job is not None and tenant is not None
        await award_step(deps, tenant, replace(job, cursor=None), 10)
        await upload_csv(self.api, self.creds.admin, IMPORT_FILE_AGAIN, dry_run=False)
        await self._run_jobs()
        return answers

    def assert_answered_as_first(self, again: dict[str, Any]) -> None:
        first = self.answers
        for name in ("reservePoints", "reservePoints(released)"):
            assert again[name]["userErrors"] == []
            assert again[name]["reservation"]["id"] == first[name]["reservation"]["id"]
            assert again[name]["reservation"]["points"] == first[name]["reservation"]["points"]
        order_again = again["recordOrder+capture"]
        assert order_again["userErrors"] == []
        assert order_again["pointsEarned"] == first["recordOrder+capture"]["pointsEarned"]
        # releasePoints has no key: asked again, it says the points are already back
        assert [e["code"] for e in again["releasePoints"]["userErrors"]] == ["RESERVATION_RELEASED"]
        assert again["redeemReward(cancelled)"]["userErrors"] == []
        assert again["cancelCoupon"]["userErrors"] == []
        assert again["cancelCoupon"]["coupon"] == first["cancelCoupon"]["coupon"]
        assert again["awardPoints"]["job"]["id"] == first["awardPoints"]["job"]["id"]
        assert again["importMembers"]["job"]["id"] == first["importMembers"]["job"]["id"]


# c1's balance and lots from another app: the operation `migrate` on c1's wallet.
IMPORT_FILE = csv_text("external_id,points", "c1,120")
IMPORT_FILE_AGAIN = csv_text("external_id,name,points", "c1,Sara,120")


async def test_each_wallet_operation_resent_after_1000_later_operations_changes_nothing(
    api: Api, acme: TenantCreds
) -> None:
    # given a member with one of each wallet-moving operation
    api.clock.set(api.clock.now().replace(year=2026, month=2, day=1))
    await enroll(api, acme, "c1")
    await configure(api, acme)
    reward_id = await create_reward(api, acme)
    calls = _inputs(reward_id)
    first = {}
    for name, call in calls.items():
        first[name] = await _send(api, acme, call)
        assert "errors" not in first[name], first[name]
        assert first[name]["data"][name]["userErrors"] == [], first[name]
    newer = Newer(api, acme, reward_id)
    await newer.first()
    ledger_first = await _ledger_size(api, acme.slug)
    # ... and 1,000 later operations on the same wallet
    await _later_operations(api.deps, acme.slug, LATER_OPERATIONS)
    assert await _ledger_size(api, acme.slug) == ledger_first + LATER_OPERATIONS

    for idempotency_records in ("kept", "expired"):
        if idempotency_records == "expired":
            assert api.database is not None
            await api.database.db["idempotency"].delete_many({})
        before = await admin_wallet(api, acme, "c1", "type points balanceAfter")
        ledger_before = await _ledger_size(api, acme.slug)

        # when every first operation is sent again
        again = {name: await _send(api, acme, call) for name, call in calls.items()}
        newer_again = await newer.again()

        # then nothing moved, and each answer is the first one's (as of the current wallet)
        assert await admin_wallet(api, acme, "c1", "type points balanceAfter") == before
        assert await _ledger_size(api, acme.slug) == ledger_before
        assert again["recordOrder"]["data"]["recordOrder"]["pointsEarned"] == 300
        assert again["refundOrder"]["data"]["refundOrder"]["pointsReversed"] == 50
        assert again["recordActivity"]["data"]["recordActivity"]["pointsEarned"] == 25
        redeemed = again["redeemReward"]["data"]["redeemReward"]
        assert redeemed["userErrors"] == []
        assert redeemed["redemption"] == first["redeemReward"]["data"]["redeemReward"]["redemption"]
        for name in calls:
            assert again[name]["data"][name]["userErrors"] == [], (name, again[name])
        newer.assert_answered_as_first(newer_again)


async def test_settlement_run_again_after_1000_later_operations_writes_nothing(
    api: Api, acme: TenantCreds
) -> None:
    # given an order whose points settlement expired
    await enroll(api, acme, "c1")
    await _send(api, acme, _inputs("unused")["recordOrder"])
    api.clock.advance(timedelta(days=400))
    from loyalty.usecases.settlement import settle_due_wallets

    written = await settle_due_wallets(api.deps, acme.slug)
    assert written == 1  # the EXPIRE (the order was released when recorded)
    await _later_operations(api.deps, acme.slug, LATER_OPERATIONS)
    before = await admin_wallet(api, acme, "c1", "type points balanceAfter")

    # when settlement runs again
    again = await settle_due_wallets(api.deps, acme.slug)

    # then
    assert again == 0
    assert await admin_wallet(api, acme, "c1", "type points balanceAfter") == before


BONUSES = ("badge:b_first", "referral:m2:referrer", "activity:BIRTHDAY:y")


async def test_a_bonus_granted_again_after_1000_later_operations_is_a_replay(
    api: Api, acme: TenantCreds
) -> None:
    # given bonuses granted under their fixed operation ids (badge, referral, activity)
    await enroll(api, acme, "c1")
    tenant = await api.deps.tenants.get(acme.slug)
    member = await api.deps.members.get_by_external_id(acme.slug, "c1")
    assert tenant is not None and member is not None
    why = Reason("reason.badge", {"badge": "First"})

    async def bonus(op_id: str) -> Applied:
        return await grant(
            api.deps,
            tenant,
            member.id,
            op_id=op_id,
            points=75,
            type_=TransactionType.EARN,
            reason=why,
            at=api.clock.now(),
        )

    first = [await bonus(op_id) for op_id in BONUSES]
    await _later_operations(api.deps, acme.slug, LATER_OPERATIONS)
    before = await admin_wallet(api, acme, "c1", "type points balanceAfter")

    # when the same grants run again (a job retried after a crash, a duplicate worker)
    again = [await bonus(op_id) for op_id in BONUSES]

    # then each is recognised as applied, with its first entries, and nothing moved
    assert [applied.replayed for applied in again] == [True, True, True]
    assert [applied.entries for applied in again] == [applied.entries for applied in first]
    assert await admin_wallet(api, acme, "c1", "type points balanceAfter") == before
