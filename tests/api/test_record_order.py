"""recordOrder: earning points for a purchase, idempotent on the merchant's order id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.api.conftest import RECORD_ORDER, Api, TenantCreds, admin_wallet, enroll
from tests.api.store_simulator import set_program

UPDATE_PROGRAM = """
mutation($input: UpdateProgramInput!) {
  updateProgram(input: $input) { program { earnRate } userErrors { code field message } }
}
"""


async def state(api: Api, creds: TenantCreds, member: str) -> tuple[int, int, int, list[Any]]:
    return await admin_wallet(api, creds, member, "type points orderId")


async def record(
    api: Api,
    creds: TenantCreds,
    member: str = "c1",
    order_id: str = "o-1",
    total: str = "150.50",
    currency: str = "SAR",
    **extra: Any,
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": currency,
            **extra,
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["recordOrder"]
    return payload


def refused(payload: dict[str, Any]) -> tuple[str, list[str] | None]:
    assert payload["pointsEarned"] is None
    assert payload["pending"] is None
    assert payload["member"] is None
    assert len(payload["userErrors"]) == 1, payload
    error = payload["userErrors"][0]
    assert error["message"]
    return error["code"], error["field"]


async def test_order_earns_pending_points_released_after_return_window(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await record(api, acme)
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsEarned"], payload["pending"]) == (150, True)
    assert payload["member"] == {
        "externalId": "c1",
        "wallet": {"balance": 0, "pendingBalance": 150, "lifetimeEarned": 150},
    }
    assert await state(api, acme, "c1") == (
        0,
        150,
        150,
        [{"type": "PENDING", "points": 150, "orderId": "o-1"}],
    )
    # when
    api.clock.advance(timedelta(days=15))
    # then
    balance, pending, lifetime, nodes = await state(api, acme, "c1")
    assert (balance, pending, lifetime) == (150, 0, 150)
    # the balance is computed from the lots; the RELEASE entry is written by the next
    # write or the settlement job, so a read alone does not add ledger entries
    assert nodes == [{"type": "PENDING", "points": 150, "orderId": "o-1"}]


async def test_retry_with_same_order_and_total_does_not_double(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await record(api, acme)
    # when
    retry = await record(api, acme)
    # then
    assert retry["userErrors"] == []
    assert (retry["pointsEarned"], retry["pending"]) == (150, True)
    assert retry["member"]["wallet"] == {"balance": 0, "pendingBalance": 150, "lifetimeEarned": 150}
    assert await state(api, acme, "c1") == (
        0,
        150,
        150,
        [{"type": "PENDING", "points": 150, "orderId": "o-1"}],
    )


async def test_same_order_with_different_total_is_a_conflict(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    await record(api, acme, total="150.50")
    # when
    payload = await record(api, acme, total="99")
    # then
    assert refused(payload) == ("CONFLICT", ["input", "orderId"])
    assert await state(api, acme, "c1") == (
        0,
        150,
        150,
        [{"type": "PENDING", "points": 150, "orderId": "o-1"}],
    )


async def test_unknown_member_is_refused_when_the_program_says_so(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    await set_program(api, acme, policy="REFUSE")
    # when
    payload = await record(api, acme, member="ghost")
    # then
    assert refused(payload) == ("MEMBER_NOT_FOUND", ["input", "memberExternalId"])
    assert await state(api, acme, "c1") == (0, 0, 0, [])
    # the order id was not consumed: the real member can still record it
    assert (await record(api, acme))["pointsEarned"] == 150


async def test_invalid_totals_are_refused_and_change_nothing(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    cases = [
        ("0", "INVALID_AMOUNT"),
        ("-5", "INVALID_AMOUNT"),
        ("abc", "INVALID_DECIMAL"),
        ("1e5", "INVALID_DECIMAL"),
        ("1.005", "INVALID_AMOUNT"),
    ]
    for index, (total, code) in enumerate(cases):
        # when
        payload = await record(api, acme, order_id=f"o-{index}", total=total)
        # then
        assert refused(payload) == (code, ["input", "total"]), total
    assert await state(api, acme, "c1") == (0, 0, 0, [])


async def test_unknown_currency_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await record(api, acme, currency="XYZ")
    # then
    assert refused(payload) == ("INVALID_CURRENCY", ["input", "currency"])
    assert await state(api, acme, "c1") == (0, 0, 0, [])


async def test_currency_other_than_the_programs_is_a_mismatch(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    # when
    payload = await record(api, acme, currency="USD")
    # then
    assert refused(payload) == ("CURRENCY_MISMATCH", ["input", "currency"])
    assert await state(api, acme, "c1") == (0, 0, 0, [])


async def test_order_placed_in_the_future_is_refused(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    future = (api.clock.now() + timedelta(hours=1)).isoformat()
    # when
    payload = await record(api, acme, placedAt=future)
    # then
    assert refused(payload) == ("INVALID_INPUT", ["input", "placedAt"])
    assert await state(api, acme, "c1") == (0, 0, 0, [])


async def test_back_dated_order_past_return_window_is_spendable_at_once(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    placed = (api.clock.now() - timedelta(days=20)).isoformat()
    # when
    payload = await record(api, acme, total="80", placedAt=placed)
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsEarned"], payload["pending"]) == (80, False)
    assert payload["member"]["wallet"] == {"balance": 80, "pendingBalance": 0, "lifetimeEarned": 80}
    balance, pending, lifetime, _ = await state(api, acme, "c1")
    assert (balance, pending, lifetime) == (80, 0, 80)


async def test_category_multiplier_applies_to_matching_items(api: Api, acme: TenantCreds) -> None:
    # given
    await enroll(api, acme, "c1")
    rules = {"earningRules": [{"kind": "CATEGORY", "category": "oud", "multiplier": "2"}]}
    body = await api.gql(UPDATE_PROGRAM, {"input": rules}, token=acme.admin)
    assert body["data"]["updateProgram"]["userErrors"] == [], body
    items = [{"sku": "a", "category": "oud", "quantity": 1, "unitPrice": "100"}]
    # when
    payload = await record(api, acme, total="100", items=items)
    # then
    assert payload["userErrors"] == []
    assert (payload["pointsEarned"], payload["pending"]) == (200, True)
    assert payload["member"]["wallet"] == {
        "balance": 0,
        "pendingBalance": 200,
        "lifetimeEarned": 200,
    }
