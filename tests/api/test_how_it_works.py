"""program.howItWorks: the rewards explainer, in the request language with plural forms."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, TenantCreds

QUERY = "{ program { howItWorks { title sections { kind title lines } } } }"
UPDATE = """
mutation($input: UpdateProgramInput!) { updateProgram(input: $input) { userErrors { code } } }
"""


async def explainer(api: Api, locale: str) -> dict[str, Any]:
    body = await api.gql(QUERY, tenant="acme", locale=locale)
    result: dict[str, Any] = body["data"]["program"]["howItWorks"]
    return result


def lines(result: dict[str, Any]) -> dict[str, list[str]]:
    return {s["kind"]: s["lines"] for s in result["sections"]}


async def test_defaults_in_english(api: Api, acme: TenantCreds) -> None:
    result = await explainer(api, "en")
    assert result["title"] == "How Acme points work"
    assert lines(result) == {
        "EARNING": ["Earn 1 point for every 1 SAR you spend."],
        "VALUE": ["100 points are worth 1.00 SAR when redeemed."],
        "PENDING": ["Order points become spendable once the return window of 14 days has passed."],
        "EXPIRY": ["Points expire 12 months after you earn them."],
    }


async def test_arabic_with_merchant_names_rules_and_no_expiry(api: Api, acme: TenantCreds) -> None:
    # given a program with its own points name, an activity rule, 2 points per riyal
    body = await api.gql(
        UPDATE,
        {
            "input": {
                "earnRate": "2",
                "expiryMonths": None,
                "pointsName": {
                    "ar": {"other": "فلكس"},
                    "en": {"one": "Flex", "other": "Flex"},
                },
                "earningRules": [
                    {"kind": "ACTIVITY", "activity": "PRODUCT_REVIEW", "points": 50},
                    {
                        "kind": "CATEGORY",
                        "category": "oud",
                        "multiplier": "1.5",
                        "name": {"ar": "العود", "en": "Oud"},
                    },
                ],
            }
        },
        token=acme.admin,
    )
    assert body["data"]["updateProgram"]["userErrors"] == [], body
    # when
    arabic = lines(await explainer(api, "ar"))
    english = lines(await explainer(api, "en-US"))
    # then
    assert arabic["EARNING"] == [
        "اكسب 2 فلكس عن كل ريال تنفقه.",
        "\u2068تقييم منتج\u2069: تكسب 50 فلكس.",
        "\u2068العود\u2069: تكسب الفلكس \u200e×1.5",  # the merchant's word, not "النقاط"
    ]
    assert arabic["EXPIRY"] == ["لا تنتهي صلاحية الفلكس أبدًا."]
    assert english["EARNING"][0] == "Earn 2 Flex for every 1 SAR you spend."
    assert english["EARNING"][2] == "Oud: 1.5x Flex"
    assert english["VALUE"] == ["100 Flex are worth 1.00 SAR when redeemed."]


async def test_falls_back_to_the_tenant_default_language(api: Api, acme: TenantCreds) -> None:
    await api.gql(UPDATE, {"input": {"defaultLocale": "ar"}}, token=acme.admin)
    body = await api.gql(QUERY, tenant="acme")
    assert body["data"]["program"]["howItWorks"]["title"].startswith("كيف تعمل نقاط")
