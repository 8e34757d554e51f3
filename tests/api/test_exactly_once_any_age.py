"""Exactly once, however old the retry: every wallet-moving operation re-sent after 1,000 later
operations on the same wallet changes nothing and answers as the first time did.

The durable guard is the ledger's operation index, so this holds even when a retry outlives
the operation's idempotency record (as a TTL would remove it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from loyalty.ledger import Reason, TransactionType
from loyalty.ports import Deps
from loyalty.usecases.adjustments import adjust_points
from loyalty.usecases.moves import grant
from tests.api.conftest import (
    ADJUST,
    RECORD_ORDER,
    Api,
    TenantCreds,
    admin_wallet,
    enroll,
)
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
    """+1/-1 adjustments: every one a wallet write, and the wallet stays small."""
    tenant = await deps.tenants.get(slug)
    assert tenant is not None
    for n in range(count):
        await adjust_points(
            deps,
            tenant,
            member_external_id="c1",
            points=1 if n % 2 == 0 else -1,
            reason="churn",
            idempotency_key=f"later-{n}",
        )


async def _ledger_size(api: Api, slug: str) -> int:
    assert api.database is not None
    return int(await api.database.db["ledger"].count_documents({"tenant": slug}))


@pytest.mark.parametrize("idempotency_records", ["kept", "expired"])
async def test_each_wallet_operation_resent_after_1000_later_operations_changes_nothing(
    api: Api, acme: TenantCreds, idempotency_records: str
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
    # ... and 1,000 later operations on the same wallet
    await _later_operations(api.deps, acme.slug, LATER_OPERATIONS)
    if idempotency_records == "expired":
        assert api.database is not None
        await api.database.db["idempotency"].delete_many({})
    before = await admin_wallet(api, acme, "c1", "type points balanceAfter")
    ledger_before = await _ledger_size(api, acme.slug)
    assert ledger_before == 5 + LATER_OPERATIONS

    # when every first operation is sent again
    again = {name: await _send(api, acme, call) for name, call in calls.items()}

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


@pytest.mark.parametrize("op_id", ["badge:b_first", "referral:m2:referrer", "activity:BIRTHDAY:y"])
async def test_a_bonus_granted_again_after_1000_later_operations_is_a_replay(
    api: Api, acme: TenantCreds, op_id: str
) -> None:
    # given a bonus granted under its fixed operation id (badge, referral, activity)
    await enroll(api, acme, "c1")
    tenant = await api.deps.tenants.get(acme.slug)
    member = await api.deps.members.get_by_external_id(acme.slug, "c1")
    assert tenant is not None and member is not None
    why = Reason("reason.badge", {"badge": "First"})
    first = await grant(
        api.deps,
        tenant,
        member.id,
        op_id=op_id,
        points=75,
        type_=TransactionType.EARN,
        reason=why,
        at=api.clock.now(),
    )
    await _later_operations(api.deps, acme.slug, LATER_OPERATIONS)
    before = await admin_wallet(api, acme, "c1", "type points balanceAfter")

    # when the same grant runs again (a job retried after a crash, a duplicate worker)
    again = await grant(
        api.deps,
        tenant,
        member.id,
        op_id=op_id,
        points=75,
        type_=TransactionType.EARN,
        reason=why,
        at=api.clock.now(),
    )

    # then it is recognised as applied, with the first entries, and nothing moved
    assert again.replayed is True
    assert again.entries == first.entries
    assert await admin_wallet(api, acme, "c1", "type points balanceAfter") == before
