"""importMembers: a CSV from another loyalty app, checked (dry run) and migrated (a bulk job)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from loyalty.engagement_settings import TierMetric
from loyalty.ports import Deps
from loyalty.program import BASE_TIER, LocalizedText, Tier
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from mongo.client import Database
from tests.api.bulk_helpers import job, tenant
from tests.api.conftest import ADMIN_WALLET, Api, TenantCreds
from tests.api.import_helpers import counts, csv_text, upload_csv

HEADER = "external_id,name,phone,email,birthday,joined_at,points"
GOOD = csv_text(
    HEADER,
    "c-1,سارة العتيبي,0501234567,sara@example.com,1990-05-01,2023-02-01,120",
    "c-2,Omar,+966 55 765 4321,,,2024-06-30T10:00:00+03:00,0",
)
WITH_PROBLEMS = csv_text(
    HEADER,
    "c-1,Sara,0501234567,sara@example.com,1990-05-01,2023-02-01,120",
    "c-2,Omar,12,omar@,31/02/1990,2030-01-01,-5",
    ",Nobody,,,,,",
    "c-1,Twice,,,,,3",
    "c-4,Short,,",
)


async def test_a_dry_run_reports_each_refused_cell_and_writes_nothing(
    api: Api, acme: TenantCreds
) -> None:
    before = await counts(api)
    # when
    report = await upload_csv(api, acme.admin, WITH_PROBLEMS)
    # then
    assert (report["rowsOk"], report["rowsRefused"], report["job"]) == (1, 4, None)
    assert [(p["line"], p["column"], p["code"]) for p in report["problems"]] == [
        (3, "phone", "IMPORT_INVALID_PHONE"),
        (3, "email", "IMPORT_INVALID_EMAIL"),
        (3, "birthday", "IMPORT_INVALID_DATE"),
        (3, "joined_at", "IMPORT_INVALID_DATE"),
        (3, "points", "IMPORT_INVALID_NUMBER"),
        (4, "external_id", "IMPORT_REQUIRED"),
        (4, "points", "IMPORT_REQUIRED"),
        (5, "external_id", "DUPLICATE_VALUE"),
        (6, None, "IMPORT_FIELD_COUNT"),
    ]
    assert report["problems"][0]["message"] == '"12" is not a valid phone number.'
    assert (
        report["problems"][-1]["message"] == "This row has 4 fields; the header line has 7 columns."
    )
    assert await counts(api) == before


async def test_an_explicit_null_dry_run_is_a_dry_run(api: Api, acme: TenantCreds) -> None:
    before = await counts(api)
    report = await upload_csv(api, acme.admin, GOOD, dry_run=None)
    assert (report["rowsOk"], report["job"]) == (2, None)
    assert await counts(api) == before


async def test_problems_are_explained_in_arabic(api: Api, acme: TenantCreds) -> None:
    report = await upload_csv(api, acme.admin, WITH_PROBLEMS, locale="ar")
    messages = {(p["line"], p["column"]): p["message"] for p in report["problems"]}
    assert messages[(3, "phone")] == "القيمة «12» ليست رقم جوال صالحًا."
    assert messages[(4, "external_id")] == "هذه القيمة مطلوبة."
    assert messages[(6, None)] == (
        "عدد الحقول في هذا السطر (4) لا يساوي عدد الأعمدة في سطر العناوين (7)."
    )


async def test_a_header_problem_refuses_the_whole_file_even_for_a_real_run(
    api: Api, acme: TenantCreds
) -> None:
    before = await counts(api)
    data = csv_text("external_id,name,ponits", "c-1,Sara,5")
    report = await upload_csv(api, acme.admin, data, dry_run=False)
    assert (report["rowsOk"], report["rowsRefused"], report["job"]) == (0, 0, None)
    assert [(p["line"], p["column"], p["code"]) for p in report["problems"]] == [
        (1, "ponits", "IMPORT_UNKNOWN_COLUMN"),
        (1, "points", "IMPORT_MISSING_COLUMN"),
    ]
    assert await counts(api) == before


async def test_a_file_that_is_not_utf8_is_refused_where_it_stops_being_readable(
    api: Api, acme: TenantCreds
) -> None:
    data = csv_text(HEADER, "c-1,Sara,,,,,5") + "c-2,سارة,,,,,5\n".encode("cp1256")
    report = await upload_csv(api, acme.admin, data, dry_run=False)
    assert [(p["line"], p["code"]) for p in report["problems"]] == [(3, "IMPORT_ENCODING")]
    assert report["job"] is None
    assert (await counts(api))["import_rows"] == 0


async def test_a_real_run_migrates_members_with_their_original_dates(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # when the file is imported and the worker runs
    report = await upload_csv(api, acme.admin, GOOD, dry_run=False)
    assert (report["rowsOk"], report["rowsRefused"], report["problems"]) == (2, 0, [])
    assert report["job"]["status"] == "QUEUED"
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # then the members exist with their details, phones in international form
    sara = await database.db["members"].find_one({"tenant": "acme", "external_id": "c-1"})
    assert sara is not None
    assert (sara["display_name"], sara["phone"], sara["email"], sara["birthday"]) == (
        "سارة العتيبي",
        "+966501234567",
        "sara@example.com",
        "1990-05-01",
    )
    assert sara["joined_at"].replace(tzinfo=UTC) == datetime(2023, 2, 1, tzinfo=UTC)
    omar = await database.db["members"].find_one({"tenant": "acme", "external_id": "c-2"})
    assert omar is not None
    assert omar["phone"] == "+966557654321"
    # and the balance is a MIGRATED entry dated when the member joined
    body = await api.gql(
        ADMIN_WALLET.format(fields="type kind points reason createdAt"),
        {"id": "c-1"},
        token=acme.admin,
    )
    wallet = body["data"]["member"]["wallet"]
    assert wallet["balance"] == 120
    assert [e["node"] for e in wallet["transactions"]["edges"]] == [
        {
            "type": "EARN",  # as the contract's enum reads it
            "kind": "MIGRATED",
            "points": 120,
            "reason": "Balance carried over from the previous program",
            "createdAt": "2023-02-01T00:00:00+00:00",
        }
    ]
    shown = await job(api, acme, report["job"]["id"])
    assert shown is not None
    assert (shown["kind"], shown["status"], shown["total"], shown["done"]) == (
        "IMPORT_MEMBERS",
        "DONE",
        2,
        2,
    )
    assert (await counts(api))["import_rows"] == 0  # the staged rows went with the job


async def test_the_same_file_twice_changes_nothing(api: Api, acme: TenantCreds, deps: Deps) -> None:
    first = await upload_csv(api, acme.admin, GOOD, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    after_first = await counts(api)
    # when
    again = await upload_csv(api, acme.admin, GOOD, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # then
    assert again["job"]["id"] == first["job"]["id"]
    assert again["job"]["status"] == "DONE"
    assert await counts(api) == after_first


async def test_a_member_in_two_files_is_migrated_once(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await upload_csv(api, acme.admin, GOOD, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    other = csv_text(HEADER, "c-1,Sara,,,,2023-02-01,120", "c-3,New,,,,2023-02-01,7")
    await upload_csv(api, acme.admin, other, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    body = await api.gql(ADMIN_WALLET.format(fields="type"), {"id": "c-1"}, token=acme.admin)
    assert body["data"]["member"]["wallet"]["balance"] == 120
    assert (await counts(api))["members"] == 3


async def test_excel_csv_with_bom_semicolons_crlf_and_quotes(
    api: Api, acme: TenantCreds, deps: Deps, database: Database
) -> None:
    # given what Excel saves as "CSV UTF-8" where the list separator is a semicolon
    lines = [
        "External ID;Name;Phone;Joined At;Points",
        'c-1;"العتيبي; سارة ""أم محمد""";٠٥٠١٢٣٤٥٦٧;05/03/2024;"1,200"',
    ]
    data = b"\xef\xbb\xbf" + csv_text(*lines, newline="\r\n")
    # when
    report = await upload_csv(api, acme.admin, data, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # then
    assert (report["rowsOk"], report["problems"]) == (1, [])
    sara = await database.db["members"].find_one({"tenant": "acme", "external_id": "c-1"})
    assert sara is not None
    assert (sara["display_name"], sara["phone"]) == ('العتيبي; سارة "أم محمد"', "+966501234567")
    assert sara["joined_at"].replace(tzinfo=UTC) == datetime(2024, 3, 5, tzinfo=UTC)
    assert sara["wallet"]["balance"] == 1200


async def test_lots_keep_their_dates_and_must_add_up_to_the_balance(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    header = (
        "external_id,points,lot1_points,lot1_earned_at,lot1_expires_at,lot2_points,lot2_earned_at"
    )
    data = csv_text(
        header,
        "c-1,30,10,2025-03-01,2026-03-01,20,2025-12-01",
        "c-2,31,10,2025-03-01,2026-03-01,20,2025-12-01",
        "c-3,10,10,2024-03-01,2025-03-01,,",
    )
    report = await upload_csv(api, acme.admin, data, dry_run=False)
    assert [(p["line"], p["column"], p["code"]) for p in report["problems"]] == [
        (3, "points", "IMPORT_BALANCE_MISMATCH"),
        (4, "lot1_expires_at", "IMPORT_LOT_EXPIRED"),
    ]
    assert report["problems"][0]["message"] == (
        "The balance of 31 points does not equal the lots' total of 30 points."
    )
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    body = await api.gql(
        ADMIN_WALLET.format(fields="type kind points createdAt"), {"id": "c-1"}, token=acme.admin
    )
    wallet = body["data"]["member"]["wallet"]
    assert wallet["balance"] == 30
    assert [e["node"] for e in wallet["transactions"]["edges"]] == [
        {
            "type": "EARN",
            "kind": "MIGRATED",
            "points": 20,
            "createdAt": "2025-12-01T00:00:00+00:00",
        },
        {
            "type": "EARN",
            "kind": "MIGRATED",
            "points": 10,
            "createdAt": "2025-03-01T00:00:00+00:00",
        },
    ]


async def test_lifetime_spend_sets_the_tier_after_the_import(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    acme_tenant = await tenant(deps, "acme")
    gold = Tier("gold", LocalizedText(en="Gold"), 1, Decimal(1000), Decimal(2))
    policy = replace(acme_tenant.program.tier_policy, metric=TierMetric.SPEND, window_months=None)
    program = replace(acme_tenant.program, tiers=(BASE_TIER, gold), tier_policy=policy)
    await deps.tenants.save_program("acme", program)
    data = csv_text("external_id,points,lifetime_spend", "c-1,5,1500.50", "c-2,5,10")
    await upload_csv(api, acme.admin, data, dry_run=False)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    tiers = {}
    for member in ("c-1", "c-2"):
        found = await deps.members.get_by_external_id("acme", member)
        assert found is not None
        tiers[member] = found.tier.tier_id
    assert tiers == {"c-1": "gold", "c-2": BASE_TIER.id}


async def test_another_tenant_neither_sees_the_job_nor_shares_the_import(
    api: Api, acme: TenantCreds, globex: TenantCreds, deps: Deps, database: Database
) -> None:
    mine = await upload_csv(api, acme.admin, GOOD, dry_run=False)
    assert await job(api, globex, mine["job"]["id"]) is None
    theirs = await upload_csv(api, globex.admin, GOOD, dry_run=False)
    assert theirs["job"]["id"] != mine["job"]["id"]
    await run_bulk_jobs(deps, await tenant(deps, "globex"))
    assert await database.db["members"].count_documents({"tenant": "acme"}) == 0
    assert await database.db["members"].count_documents({"tenant": "globex"}) == 2


async def test_the_events_key_may_not_import(api: Api, acme: TenantCreds) -> None:
    import json

    operations = {
        "query": "mutation($f: Upload!) { importMembers(file: $f) { rowsOk } }",
        "variables": {"f": None},
    }
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("m.csv", GOOD, "text/csv")},
        headers={"Authorization": f"Bearer {acme.events}"},
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
