"""Input refusals that say why: numbers for money, amounts, reused order ids, orders older
than the expiry window, insecure icon URLs and member tokens that live too long. Each
refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import (
    RECORD_ORDER,
    WALLET,
    Api,
    TenantCreds,
    admin_wallet,
    create_tenant,
    enroll,
)
from tests.api.test_upsert_badge import stored, upsert_badge

FIELDS = "type points"


async def record(api: Api, creds: TenantCreds, locale: str = "en", **fields: Any) -> dict[str, Any]:
    order = {"memberExternalId": "m-1", "orderId": "o-1", "total": "100", "currency": "SAR"}
    body = await api.gql(
        RECORD_ORDER, {"input": {**order, **fields}}, token=creds.events, locale=locale
    )
    return body


async def test_a_total_sent_as_a_json_number_is_refused_with_a_clear_message(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "m-1")
    before = await admin_wallet(api, acme, "m-1", FIELDS)
    # when
    body = await record(api, acme, total=320.5)
    # then
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}
    assert error["message"] == (
        "A variable has an invalid value: Variable '$input' has invalid value at .total:"
        " Expected value of type 'Decimal', but encountered error"
        " 'Decimal values are sent as strings, e.g. \"320.50\", never as JSON numbers';"
        " found: 320.5."
    )
    assert await admin_wallet(api, acme, "m-1", FIELDS) == before


@pytest.mark.parametrize(
    ("currency", "total", "locale", "message"),
    [
        ("SAR", "-1", "en", "The amount must not be negative."),
        ("SAR", "0", "en", "The amount must be greater than zero."),
        ("SAR", "1000000000.01", "en", "The amount is over the maximum of 1,000,000,000."),
        (
            "SAR",
            "10.005",
            "en",
            "Amounts in SAR have at most 2 decimal places after the decimal point.",
        ),
        (
            "SAR",
            "10.005",
            "ar",
            "مبالغ عملة ريال لا تقبل أكثر من منزلتين عشريتين بعد الفاصلة العشرية.",
        ),
        (
            "KWD",
            "1.0005",
            "ar",
            "مبالغ عملة دينار كويتي لا تقبل أكثر من 3 منازل عشرية بعد الفاصلة العشرية.",
        ),
        ("JPY", "10.5", "en", "Amounts in JPY are whole numbers, with no decimals."),
    ],
)
async def test_invalid_amount_says_why(
    api: Api, currency: str, total: str, locale: str, message: str
) -> None:
    # given
    creds = await create_tenant(api, "shop", currency=currency)
    await enroll(api, creds, "m-1")
    before = await admin_wallet(api, creds, "m-1", FIELDS)
    # when
    body = await record(api, creds, locale, total=total, currency=currency)
    # then
    assert body["data"]["recordOrder"]["userErrors"] == [
        {"code": "INVALID_AMOUNT", "field": ["input", "total"], "message": message}
    ]
    assert await admin_wallet(api, creds, "m-1", FIELDS) == before


@pytest.mark.parametrize(
    ("retry", "locale", "message"),
    [
        (
            {"total": "120"},
            "en",
            "Order o-1 was already recorded with a different total (recorded total: 100.00 SAR)."
            " Use a new order id for a new order.",
        ),
        (
            {"total": "120", "memberExternalId": "m-2"},
            "ar",
            "سُجّل الطلب \u2068o-1\u2069 من قبل بقيم أخرى في: العضو، الإجمالي"
            " (الإجمالي المسجَّل 100.00 ريال). استخدم رقم طلب جديدًا للطلب الجديد.",
        ),
    ],
)
async def test_a_reused_order_id_says_what_differs(
    api: Api, acme: TenantCreds, retry: dict[str, str], locale: str, message: str
) -> None:
    # given
    for member in ("m-1", "m-2"):
        await enroll(api, acme, member)
    first = await record(api, acme)
    assert first["data"]["recordOrder"]["userErrors"] == []
    before = [await admin_wallet(api, acme, m, FIELDS) for m in ("m-1", "m-2")]
    # when
    body = await record(api, acme, locale, **retry)
    # then
    assert body["data"]["recordOrder"]["userErrors"] == [
        {"code": "CONFLICT", "field": ["input", "orderId"], "message": message}
    ]
    assert [await admin_wallet(api, acme, m, FIELDS) for m in ("m-1", "m-2")] == before


async def test_an_order_older_than_the_expiry_window_is_refused(
    api: Api, acme: TenantCreds
) -> None:
    # given the default program: points expire after 12 months
    await enroll(api, acme, "m-1")
    before = await admin_wallet(api, acme, "m-1", FIELDS)
    placed = (api.clock.now() - timedelta(days=400)).isoformat()
    # when
    body = await record(api, acme, "ar", placedAt=placed)
    # then
    assert body["data"]["recordOrder"]["userErrors"] == [
        {
            "code": "ORDER_TOO_OLD",
            "field": ["input", "placedAt"],
            "message": "مضى على الطلب أكثر من 12 شهرًا، فنقاطه منتهية الصلاحية بالفعل.",
        }
    ]
    assert await admin_wallet(api, acme, "m-1", FIELDS) == before
    # and an order inside the window still earns
    recent = (api.clock.now() - timedelta(days=300)).isoformat()
    kept = await record(api, acme, placedAt=recent, orderId="o-2")
    assert kept["data"]["recordOrder"]["pointsEarned"] == 100


@pytest.mark.parametrize(
    ("icon", "code"),
    [
        ("http://cdn.example.com/b.png", "INSECURE_URL"),
        ("javascript:alert(1)", "INSECURE_URL"),
        ("//cdn.example.com/b.png", "INSECURE_URL"),
        ("https://cdn.example.com/b.png", None),
        ("mdi:star", None),
        ("🪔", None),
    ],
)
async def test_a_badge_icon_that_is_a_link_must_be_https(
    api: Api, acme: TenantCreds, icon: str, code: str | None
) -> None:
    # when
    payload = await upsert_badge(api, acme, "ORDER_COUNT", 3, icon=icon)
    # then
    if code is None:
        assert (payload["userErrors"], payload["badge"]["icon"]) == ([], icon)
    else:
        assert payload["userErrors"] == [
            {
                "code": code,
                "field": ["input", "icon"],
                "message": "The URL must be a valid https address.",
            }
        ]
        assert await stored(api, acme) == []


async def test_a_logo_url_must_be_https(api: Api, acme: TenantCreds) -> None:
    # given
    colors = {
        "primary": "#0B5FFF",
        "onPrimary": "#FFFFFF",
        "secondary": "#FFFFFF",
        "onSecondary": "#000000",
        "background": "#FFFFFF",
        "onBackground": "#000000",
        "surface": "#FFFFFF",
        "onSurface": "#000000",
    }
    query = """mutation($input: AppThemeInput!) { saveAppTheme(input: $input) {
      userErrors { code field } } }"""
    # when
    body = await api.gql(
        query, {"input": {"colors": colors, "logoUrl": "http://x.example/l.png"}}, token=acme.admin
    )
    # then
    assert body["data"]["saveAppTheme"]["userErrors"] == [
        {"code": "INSECURE_URL", "field": ["input", "logoUrl"]}
    ]


UPDATE = """mutation($days: Int!) { updateProgram(input: { memberTokenMaxDays: $days }) {
  program { memberTokenMaxDays } userErrors { code field } } }"""


@pytest.mark.parametrize(
    ("setting", "ttl", "accepted"),
    [
        (None, timedelta(days=30), True),
        (None, timedelta(days=31), False),
        (7, timedelta(days=7), True),
        (7, timedelta(days=8), False),
        (90, timedelta(days=60), True),
    ],
)
async def test_member_tokens_may_live_at_most_the_programs_maximum(
    api: Api, acme: TenantCreds, setting: int | None, ttl: timedelta, accepted: bool
) -> None:
    # given
    if setting is not None:
        body = await api.gql(UPDATE, {"days": setting}, token=acme.admin)
        assert body["data"]["updateProgram"] == {
            "program": {"memberTokenMaxDays": setting},
            "userErrors": [],
        }
    token = acme.token_for(api, "m-1", ttl)
    # when
    body = await api.gql(WALLET, token=token)
    # then
    if accepted:
        assert body["data"]["me"]["externalId"] == "m-1"
    else:
        assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
        members = await api.gql(
            "{ members(first: 5) { edges { node { externalId } } } }", token=acme.admin
        )
        assert members["data"]["members"]["edges"] == []


async def test_the_token_lifetime_setting_is_bounded(api: Api, acme: TenantCreds) -> None:
    # when
    body = await api.gql(UPDATE, {"days": 366}, token=acme.admin)
    # then
    assert body["data"]["updateProgram"] == {
        "program": None,
        "userErrors": [{"code": "OUT_OF_RANGE", "field": ["input", "memberTokenMaxDays"]}],
    }
    program = await api.gql("{ program { memberTokenMaxDays } }", tenant="acme")
    assert program["data"]["program"] == {"memberTokenMaxDays": 30}


async def test_an_order_recorded_young_and_retried_after_its_window_answers_as_the_first_time(
    api: Api, acme: TenantCreds
) -> None:
    # given an order recorded 300 days after it was placed (inside the 12-month window)
    await enroll(api, acme, "m-1")
    placed = (api.clock.now() - timedelta(days=300)).isoformat()
    first = await record(api, acme, placedAt=placed, orderId="o-9")
    assert first["data"]["recordOrder"]["pointsEarned"] == 100
    # when the store retries it 100 days later, when the order is older than the window
    api.clock.advance(timedelta(days=100))
    before = await admin_wallet(api, acme, "m-1", FIELDS)
    again = await record(api, acme, placedAt=placed, orderId="o-9")
    # then it is a replay: the first answer, and nothing moved
    assert again["data"]["recordOrder"]["userErrors"] == []
    assert again["data"]["recordOrder"]["pointsEarned"] == 100
    assert await admin_wallet(api, acme, "m-1", FIELDS) == before
