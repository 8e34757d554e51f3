"""upsertEarnCampaign and earnCampaigns: seasonal earning entered in the tenant's time zone,
shown to apps, credited by recordOrder with the campaign named in the reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import ADMIN_WALLET, RECORD_ORDER, Api, TenantCreds, enroll

UPSERT = """
mutation($input: EarnCampaignInput!) { upsertEarnCampaign(input: $input) {
  campaign { id name startsAt endsAt multiplier bonusPoints categories skus segment tierId }
  userErrors { code field message } } }
"""
LIST = """
query($at: DateTime) { earnCampaigns(activeAt: $at) { id name startsAt endsAt multiplier
  bonusPoints } }
"""
SET_ZONE = """
mutation { updateProgram(input: { timezone: "Asia/Riyadh" }) { userErrors { code } } }
"""
RAMADAN = {
    "name": {"ar": "نقاط مضاعفة في رمضان", "en": "Ramadan double points"},
    # Wall-clock times in the tenant's zone (Asia/Riyadh, UTC+3).
    "startsAt": "2026-02-18T00:00:00",
    "endsAt": "2026-03-20T00:00:00",
    "multiplier": "2",
}


async def riyadh(api: Api, creds: TenantCreds) -> None:
    body = await api.gql(SET_ZONE, token=creds.admin)
    assert body["data"]["updateProgram"]["userErrors"] == []


async def upsert(api: Api, creds: TenantCreds, locale: str = "en", **fields: Any) -> dict[str, Any]:
    body = await api.gql(UPSERT, {"input": {**RAMADAN, **fields}}, token=creds.admin, locale=locale)
    payload: dict[str, Any] = body["data"]["upsertEarnCampaign"]
    return payload


async def created(api: Api, creds: TenantCreds, **fields: Any) -> dict[str, Any]:
    payload = await upsert(api, creds, **fields)
    assert payload["userErrors"] == [], payload
    campaign: dict[str, Any] = payload["campaign"]
    return campaign


async def listed(api: Api, creds: TenantCreds, at: str | None = None) -> list[Any]:
    body = await api.gql(LIST, {"at": at}, tenant=creds.slug)
    found: list[Any] = body["data"]["earnCampaigns"]
    return found


async def test_times_without_an_offset_are_read_in_the_tenants_zone(
    api: Api, acme: TenantCreds
) -> None:
    # given a tenant in Riyadh
    await riyadh(api, acme)
    # when Ramadan is entered at local midnights, and White Friday with an explicit offset
    ramadan = await created(api, acme)
    friday = await created(
        api,
        acme,
        name={"en": "White Friday"},
        startsAt="2026-11-27T00:00:00+03:00",
        endsAt="2026-11-30T21:00:00Z",
        multiplier=None,
        bonusPoints=100,
        categories=["Perfume", " perfume ", "Perfume"],
        skus=["oud-1"],
        segment="CHAMPION",
    )
    # then both are stored as UTC instants
    assert ramadan == {
        "id": ramadan["id"],
        "name": "Ramadan double points",
        "startsAt": "2026-02-17T21:00:00+00:00",
        "endsAt": "2026-03-19T21:00:00+00:00",
        "multiplier": "2",
        "bonusPoints": None,
        "categories": [],
        "skus": [],
        "segment": None,
        "tierId": None,
    }
    assert friday["startsAt"] == "2026-11-26T21:00:00+00:00"
    assert friday["endsAt"] == "2026-11-30T21:00:00+00:00"
    assert (friday["categories"], friday["skus"], friday["segment"]) == (
        ["Perfume", "perfume"],
        ["oud-1"],
        "CHAMPION",
    )


async def test_replacing_keeps_the_id_and_changes_the_rule(api: Api, acme: TenantCreds) -> None:
    # given a campaign
    first = await created(api, acme)
    # when it is replaced by its id with a bonus instead of a multiplier
    second = await created(api, acme, id=first["id"], multiplier=None, bonusPoints=25)
    # then one campaign, changed
    assert second["id"] == first["id"]
    assert (second["multiplier"], second["bonusPoints"]) == (None, 25)
    assert [c["id"] for c in await listed(api, acme)] == [first["id"]]


async def test_the_banner_lists_what_runs_at_an_instant_publicly(
    api: Api, acme: TenantCreds
) -> None:
    # given Ramadan and a later White Friday campaign
    await riyadh(api, acme)
    ramadan = await created(api, acme)
    friday = await created(
        api,
        acme,
        name={"en": "White Friday"},
        startsAt="2026-11-27T00:00:00",
        endsAt="2026-12-01T00:00:00",
    )
    # when the app asks with X-Tenant only, without and with an instant
    upcoming = await listed(api, acme)
    in_ramadan = await listed(api, acme, "2026-03-19T23:59:59")  # Riyadh wall clock
    after = await listed(api, acme, "2026-03-19T21:00:00Z")  # the exclusive end
    # then
    assert [c["id"] for c in upcoming] == [ramadan["id"], friday["id"]]
    assert [c["name"] for c in in_ramadan] == ["Ramadan double points"]
    assert after == []
    # and a member's token sees the same, in Arabic when asked
    await enroll(api, acme, "c1")
    body = await api.gql(
        LIST, {"at": "2026-03-01T00:00:00Z"}, token=acme.member_token(api, "c1"), locale="ar"
    )
    assert [c["name"] for c in body["data"]["earnCampaigns"]] == ["نقاط مضاعفة في رمضان"]


async def test_without_a_tenant_the_banner_is_unauthenticated(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(LIST)
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_orders_placed_in_a_campaign_earn_it_and_say_so(api: Api, acme: TenantCreds) -> None:
    # given Ramadan double points with a 15-point bonus, in Riyadh, and a member
    await riyadh(api, acme)
    await created(api, acme, bonusPoints=15)
    await enroll(api, acme, "c1")
    # when an order of 120.00 is placed in Ramadan, and one before it
    api.clock.set(api.clock.now().replace(year=2026, month=2, day=17, hour=21))
    during = await _order(api, acme, "c1", "o-ramadan", "120.00")
    api.clock.advance(timedelta(days=1))
    before = await _order(api, acme, "c1", "o-before", "120.00", placed_at="2026-02-17T20:59:59Z")
    # then the Ramadan order earns 120 x 2 + 15, the one before 120
    assert during["pointsEarned"] == 255
    assert before["pointsEarned"] == 120
    # and the transaction names the campaign in the reader's language (newest placed first)
    english = await _reasons(api, acme, "c1", "en")
    arabic = await _reasons(api, acme, "c1", "ar")
    assert english == [
        "Pending points for order o-ramadan (Ramadan double points)",
        "Pending points for order o-before",
    ]
    assert (
        arabic[0]
        == "نقاط قيد التأكيد من الطلب \u2068o-ramadan\u2069 (\u2068نقاط مضاعفة في رمضان\u2069)"
    )


async def test_overlapping_campaigns_best_multiplier_wins_bonuses_add_up(
    api: Api, acme: TenantCreds
) -> None:
    # given x2 + 10 and x3 + 5 running together
    await created(api, acme, startsAt="2026-01-01T00:00:00Z", bonusPoints=10)
    await created(
        api,
        acme,
        name={"en": "Triple"},
        startsAt="2026-01-10T00:00:00Z",
        multiplier="3",
        bonusPoints=5,
    )
    await enroll(api, acme, "c1")
    # when an order of 100.00 is recorded
    payload = await _order(api, acme, "c1", "o-1", "100.00")
    # then x3 and 10 + 5
    assert payload["pointsEarned"] == 315


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"name": {"ar": " ", "en": ""}}, "INVALID_INPUT", ["input", "name"]),
        ({"name": {"en": "x" * 101}}, "TOO_LONG", ["input", "name", "en"]),
        ({"endsAt": "2026-02-18T00:00:00"}, "INVALID_RANGE", ["input", "endsAt"]),
        ({"endsAt": "2027-02-20T00:00:00"}, "RANGE_TOO_LONG", ["input", "endsAt"]),
        (
            {"startsAt": "2026-01-01T00:00:00", "endsAt": "2026-01-15T00:00:00Z"},
            "CAMPAIGN_ALREADY_ENDED",
            ["input", "endsAt"],
        ),
        (
            {"startsAt": "2028-02-18T00:00:00", "endsAt": "2028-03-01T00:00:00"},
            "OUT_OF_RANGE",
            ["input", "startsAt"],
        ),
        ({"multiplier": None}, "CAMPAIGN_WITHOUT_REWARD", ["input", "multiplier"]),
        ({"multiplier": "1"}, "OUT_OF_RANGE", ["input", "multiplier"]),
        ({"multiplier": "10.5"}, "OUT_OF_RANGE", ["input", "multiplier"]),
        ({"multiplier": "1.255"}, "OUT_OF_RANGE", ["input", "multiplier"]),
        ({"multiplier": "two"}, "INVALID_DECIMAL", ["input", "multiplier"]),
        ({"bonusPoints": 0}, "OUT_OF_RANGE", ["input", "bonusPoints"]),
        ({"categories": ["oud", ""]}, "INVALID_INPUT", ["input", "categories", "1"]),
        ({"skus": ["x" * 129]}, "INVALID_INPUT", ["input", "skus", "0"]),
        ({"segment": "CHAMPION", "tierId": "gold"}, "INVALID_AUDIENCE", ["input", "tierId"]),
        ({"tierId": "gold"}, "TIER_NOT_FOUND", ["input", "tierId"]),
        ({"id": "ec_missing"}, "EARN_CAMPAIGN_NOT_FOUND", ["input", "id"]),
    ],
)
async def test_bad_input_names_its_code_and_changes_nothing(
    api: Api, acme: TenantCreds, fields: dict[str, Any], code: str, field: list[str]
) -> None:
    # given one campaign
    kept = await created(api, acme, name={"en": "Kept"})
    before = await api.deps.earn_campaigns.ending_after(acme.slug, api.clock.now())
    # when a bad one is sent
    payload = await upsert(api, acme, **fields)
    # then its own code, no campaign, and nothing stored changed
    assert payload["campaign"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
    assert await api.deps.earn_campaigns.ending_after(acme.slug, api.clock.now()) == before
    assert [c["id"] for c in await listed(api, acme)] == [kept["id"]]


async def test_refusals_are_worded_in_arabic_and_english(api: Api, acme: TenantCreds) -> None:
    english = await upsert(api, acme, multiplier=None)
    arabic = await upsert(api, acme, locale="ar", multiplier=None)
    assert english["userErrors"][0]["message"] == (
        "Give the campaign a points multiplier, bonus points or both."
    )
    assert arabic["userErrors"][0]["message"] == (
        "حدّد مضاعفًا للنقاط أو نقاطًا إضافية للحملة، أو كليهما."
    )


async def test_tenants_never_see_or_touch_each_others_campaigns(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given acme's campaign
    campaign = await created(api, acme, startsAt="2026-01-01T00:00:00Z")
    # when globex replaces it by its id
    payload = await upsert(api, globex, id=campaign["id"], multiplier="5")
    # then not found there, acme's unchanged, and globex lists and earns nothing from it
    assert [e["code"] for e in payload["userErrors"]] == ["EARN_CAMPAIGN_NOT_FOUND"]
    assert [c["multiplier"] for c in await listed(api, acme)] == ["2"]
    assert await listed(api, globex) == []
    await enroll(api, globex, "c1")
    assert (await _order(api, globex, "c1", "o-1", "100.00"))["pointsEarned"] == 100


async def test_only_the_admin_key_upserts(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(UPSERT, {"input": RAMADAN}, token=acme.events)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await listed(api, acme) == []


async def _order(
    api: Api, creds: TenantCreds, member: str, order_id: str, total: str, **extra: Any
) -> dict[str, Any]:
    variables = {
        "input": {
            "memberExternalId": member,
            "orderId": order_id,
            "total": total,
            "currency": "SAR",
            **{("placedAt" if k == "placed_at" else k): v for k, v in extra.items()},
        }
    }
    body = await api.gql(RECORD_ORDER, variables, token=creds.events)
    payload: dict[str, Any] = body["data"]["recordOrder"]
    assert payload["userErrors"] == [], payload
    return payload


async def _reasons(api: Api, creds: TenantCreds, member: str, locale: str) -> list[str]:
    query = ADMIN_WALLET.format(fields="reason")
    body = await api.gql(query, {"id": member}, token=creds.admin, locale=locale)
    edges = body["data"]["member"]["wallet"]["transactions"]["edges"]
    return [edge["node"]["reason"] for edge in edges]


PRESETS = """
query($year: Int!) { earnCampaignPresets(year: $year) { kind name names { ar en } startsAt
  endsAt multiplier } }
"""


async def test_presets_are_seasons_in_the_tenants_zone(api: Api, acme: TenantCreds) -> None:
    # given a tenant in Riyadh
    await riyadh(api, acme)
    # when the admin asks for 2027's seasons in Arabic
    body = await api.gql(PRESETS, {"year": 2027}, token=acme.admin, locale="ar")
    found = body["data"]["earnCampaignPresets"]
    # then Ramadan 1448 runs from Riyadh's midnight of 8 February to that of 9 March
    assert found[0] == {
        "kind": "RAMADAN",
        "name": "نقاط مضاعفة في رمضان",
        "names": {"ar": "نقاط مضاعفة في رمضان", "en": "Ramadan double points"},
        "startsAt": "2027-02-07T21:00:00+00:00",
        "endsAt": "2027-03-08T21:00:00+00:00",
        "multiplier": "2",
    }
    assert [p["kind"] for p in found] == [
        "RAMADAN",
        "FOUNDING_DAY",
        "EID_AL_FITR",
        "EID_AL_ADHA",
        "SAUDI_NATIONAL_DAY",
        "WHITE_FRIDAY",
    ]
    # and a preset becomes a campaign as it is
    ramadan = found[0]
    campaign = await created(
        api,
        acme,
        name=ramadan["names"],
        startsAt=ramadan["startsAt"],
        endsAt=ramadan["endsAt"],
        multiplier=ramadan["multiplier"],
    )
    assert (campaign["startsAt"], campaign["endsAt"]) == (ramadan["startsAt"], ramadan["endsAt"])


async def test_presets_outside_the_calendar_are_refused(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(PRESETS, {"year": 2077}, token=acme.admin)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"
    member = await api.gql(PRESETS, {"year": 2027}, tenant=acme.slug)
    assert member["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
