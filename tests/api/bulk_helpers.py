"""Helpers for the bulk job tests: awardPoints, bulkJob and the worker."""

from __future__ import annotations

from typing import Any

from loyalty.ports import Deps
from loyalty.tenants import Tenant
from tests.api.conftest import Api, TenantCreds

AWARD = """
mutation($input: AwardPointsInput!) { awardPoints(input: $input) {
  job { id kind status total done failed startedAt finishedAt }
  userErrors { code field message } } }
"""
JOB = """
query($id: ID!) { bulkJob(id: $id) { id kind status total done failed startedAt finishedAt } }
"""


async def award(
    api: Api, creds: TenantCreds, locale: str | None = None, **fields: Any
) -> dict[str, Any]:
    variables = {"input": {"points": 50, "reason": "Sorry for the outage", **fields}}
    body = await api.gql(AWARD, variables, token=creds.admin, locale=locale)
    payload: dict[str, Any] = body["data"]["awardPoints"]
    return payload


async def job(api: Api, creds: TenantCreds, job_id: str) -> dict[str, Any] | None:
    body = await api.gql(JOB, {"id": job_id}, token=creds.admin)
    found: dict[str, Any] | None = body["data"]["bulkJob"]
    return found


async def tenant(deps: Deps, slug: str) -> Tenant:
    found = await deps.tenants.get(slug)
    assert found is not None
    return found


async def balances(api: Api, slug: str) -> dict[str, int]:
    """Every member's spendable balance as the wallet document holds it."""
    assert api.database is not None
    cursor = api.database.db["members"].find({"tenant": slug})
    return {doc["external_id"]: doc["wallet"]["balance"] async for doc in cursor}


async def bulk_entries(api: Api, slug: str, job_local_id: str) -> list[tuple[str, int]]:
    """(member id, points) of every ledger entry the job wrote."""
    assert api.database is not None
    cursor = api.database.db["ledger"].find({"tenant": slug, "op_id": f"bulk:{job_local_id}"})
    return sorted([(doc["member_id"], doc["points"]) async for doc in cursor])
