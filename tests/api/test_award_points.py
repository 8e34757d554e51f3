"""awardPoints and bulkJob: one credit per member of a fixed audience, whatever the workers do."""

from __future__ import annotations

import asyncio

from graphql_schema.node import parse_global_id
from loyalty.ports import Deps
from loyalty.usecases.bulk_awards import award_step
from loyalty.usecases.bulk_jobs import run_bulk_jobs
from mongo.client import Database
from tests.api.bulk_helpers import award, balances, bulk_entries, job, tenant
from tests.api.conftest import ADMIN_WALLET, Api, TenantCreds, enroll
from tests.api.push_helpers import scheduler


def local(job_id: str) -> str:
    parsed = parse_global_id(job_id)
    assert parsed is not None
    return parsed.key


async def enroll_all(api: Api, creds: TenantCreds, *members: str) -> None:
    for member in members:
        await enroll(api, creds, member)


async def test_every_member_of_the_segment_is_credited_once_with_the_jobs_reason(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given three members, two of them AT_RISK
    await enroll_all(api, acme, "c1", "c2", "c3")
    await database.db["members"].update_many(
        {"tenant": "acme", "external_id": {"$in": ["c1", "c3"]}}, {"$set": {"segment": "AT_RISK"}}
    )
    # when the merchant awards 50 points to AT_RISK and the scheduler ticks twice
    payload = await award(api, acme, segment="AT_RISK", idempotencyKey="outage-1")
    assert payload["userErrors"] == []
    assert payload["job"]["status"] == "QUEUED"
    assert payload["job"]["total"] == 2
    worker, _ = scheduler(database, deps)
    await worker.tick()
    await worker.tick()
    # then each AT_RISK member holds 50 points more, once, and the job is done
    assert await balances(api, "acme") == {"c1": 50, "c2": 0, "c3": 50}
    shown = await job(api, acme, payload["job"]["id"])
    assert shown is not None
    assert (shown["kind"], shown["status"], shown["total"], shown["done"], shown["failed"]) == (
        "AWARD_POINTS",
        "DONE",
        2,
        2,
        0,
    )
    assert shown["startedAt"] == shown["finishedAt"] == "2026-01-15T12:00:00+00:00"
    body = await api.gql(
        ADMIN_WALLET.format(fields="type points reason"), {"id": "c1"}, token=acme.admin
    )
    nodes = [e["node"] for e in body["data"]["member"]["wallet"]["transactions"]["edges"]]
    assert nodes == [{"type": "ADJUST", "points": 50, "reason": "Sorry for the outage"}]


async def test_members_who_join_after_the_job_was_accepted_are_left_out(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    # given a job for everyone accepted while two members existed
    await enroll_all(api, acme, "c1", "c2")
    payload = await award(api, acme, idempotencyKey="all-1")
    # when a third member joins before the worker starts
    await enroll(api, acme, "late")
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # then only the first two were credited, and the job counted two
    assert await balances(api, "acme") == {"c1": 50, "c2": 50, "late": 0}
    shown = await job(api, acme, payload["job"]["id"])
    assert shown is not None
    assert (shown["total"], shown["done"]) == (2, 2)


async def test_a_worker_that_crashed_mid_job_is_resumed_without_a_second_credit(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    # given five members and a job run in batches of two
    await enroll_all(api, acme, "c1", "c2", "c3", "c4", "c5")
    payload = await award(api, acme, idempotencyKey="crash-1")
    acme_tenant = await tenant(deps, "acme")
    # when a worker finishes one batch, then credits the next one and dies before moving on
    await run_bulk_jobs(deps, acme_tenant, max_batches=1, batch=2)
    stored = await deps.bulk_jobs.get("acme", local(payload["job"]["id"]))
    assert stored is not None
    await award_step(deps, acme_tenant, stored, 2)
    # and a fresh worker takes the job over
    await run_bulk_jobs(deps, acme_tenant, batch=2)
    # then every member holds the points once, and each was counted once
    assert await balances(api, "acme") == {f"c{i}": 50 for i in range(1, 6)}
    entries = await bulk_entries(api, "acme", local(payload["job"]["id"]))
    assert len(entries) == 5 and {points for _, points in entries} == {50}
    shown = await job(api, acme, payload["job"]["id"])
    assert shown is not None
    assert (shown["status"], shown["total"], shown["done"], shown["failed"]) == ("DONE", 5, 5, 0)


async def test_two_workers_on_one_job_credit_each_member_once(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    # given seven members and one job
    members = [f"c{i}" for i in range(1, 8)]
    await enroll_all(api, acme, *members)
    payload = await award(api, acme, idempotencyKey="race-1")
    acme_tenant = await tenant(deps, "acme")
    # when two workers (no lease between them) run it at the same time, to the end
    await asyncio.gather(
        run_bulk_jobs(deps, acme_tenant, batch=2), run_bulk_jobs(deps, acme_tenant, batch=2)
    )
    await run_bulk_jobs(deps, acme_tenant, batch=2)
    # then nobody was credited twice and the counts add up
    assert await balances(api, "acme") == {member: 50 for member in members}
    assert len(await bulk_entries(api, "acme", local(payload["job"]["id"]))) == 7
    shown = await job(api, acme, payload["job"]["id"])
    assert shown is not None
    assert (shown["status"], shown["done"], shown["failed"]) == ("DONE", 7, 0)


async def test_the_same_idempotency_key_returns_the_same_job_and_credits_once(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await enroll_all(api, acme, "c1")
    first = await award(api, acme, idempotencyKey="k-1")
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # when the merchant sends it again after it ran
    again = await award(api, acme, idempotencyKey="k-1")
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    # then it is the same job, finished, and the member was credited once
    assert again["userErrors"] == []
    assert again["job"]["id"] == first["job"]["id"]
    assert again["job"]["status"] == "DONE"
    assert await balances(api, "acme") == {"c1": 50}


async def test_a_reused_key_with_other_content_is_refused_and_changes_nothing(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    await enroll_all(api, acme, "c1")
    await award(api, acme, idempotencyKey="k-1")
    refused = await award(api, acme, idempotencyKey="k-1", points=60, locale="ar")
    assert refused["job"] is None
    assert refused["userErrors"] == [
        {
            "code": "IDEMPOTENCY_CONFLICT",
            "field": ["input", "idempotencyKey"],
            "message": "مفتاح منع التكرار هذا استُخدم من قبل لعملية مختلفة.",
        }
    ]
    assert await database.db["bulk_jobs"].count_documents({}) == 1


async def test_a_list_of_external_ids_counts_unknown_ones_as_failed(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    await enroll_all(api, acme, "c1", "c2", "c3")
    payload = await award(
        api, acme, idempotencyKey="list-1", memberExternalIds=["c3", "nobody", "c1", "c3"]
    )
    assert payload["job"]["total"] == 3
    await run_bulk_jobs(deps, await tenant(deps, "acme"), batch=2)
    assert await balances(api, "acme") == {"c1": 50, "c2": 0, "c3": 50}
    shown = await job(api, acme, payload["job"]["id"])
    assert shown is not None
    assert (shown["status"], shown["done"], shown["failed"]) == ("DONE", 2, 1)


async def test_bad_input_is_refused_with_its_code_and_creates_no_job(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    await enroll_all(api, acme, "c1")
    cases = [
        ({"points": 0}, "INVALID_POINTS", ["input", "points"]),
        ({"reason": "  "}, "INVALID_INPUT", ["input", "reason"]),
        ({"idempotencyKey": ""}, "INVALID_INPUT", ["input", "idempotencyKey"]),
        ({"segment": "AT_RISK", "tierId": "gold"}, "INVALID_AUDIENCE", ["input"]),
        ({"tierId": "gold"}, "TIER_NOT_FOUND", ["input", "tierId"]),
        ({"memberExternalIds": []}, "OUT_OF_RANGE", ["input", "memberExternalIds"]),
    ]
    for fields, code, field in cases:
        payload = await award(api, acme, **{"idempotencyKey": "bad", **fields})
        assert payload["job"] is None, fields
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], fields
    assert await database.db["bulk_jobs"].count_documents({}) == 0
    assert await balances(api, "acme") == {"c1": 0}


async def test_reasons_are_in_the_callers_language(api: Api, acme: TenantCreds) -> None:
    payload = await award(api, acme, locale="ar", idempotencyKey="x", segment="AT_RISK", tierId="g")
    assert payload["userErrors"][0]["message"] == "اختر شريحة أو مستوى للحملة، لا كليهما."


async def test_another_tenants_admin_cannot_see_or_touch_the_job(
    api: Api, acme: TenantCreds, globex: TenantCreds, deps: Deps
) -> None:
    # given a job of acme's
    await enroll_all(api, acme, "c1")
    await enroll_all(api, globex, "g1")
    payload = await award(api, acme, idempotencyKey="iso-1")
    # when globex's admin reads it, and runs an award of its own with the same key
    assert await job(api, globex, payload["job"]["id"]) is None
    theirs = await award(api, globex, idempotencyKey="iso-1", points=7)
    await run_bulk_jobs(deps, await tenant(deps, "acme"))
    await run_bulk_jobs(deps, await tenant(deps, "globex"))
    # then each tenant's job touched its own members only
    assert theirs["job"]["id"] != payload["job"]["id"]
    assert await balances(api, "acme") == {"c1": 50}
    assert await balances(api, "globex") == {"g1": 7}


async def test_the_events_key_may_not_award(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(
        'mutation { awardPoints(input: {points: 5, reason: "x", idempotencyKey: "k"})'
        " { job { id } } }",
        token=acme.events,
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert body["data"] is None
