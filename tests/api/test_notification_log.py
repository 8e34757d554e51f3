"""notificationLog: the merchant's view of the outbox, newest first, per member on request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.ports import Deps
from mongo.client import Database
from tests.api.conftest import Api, TenantCreds, enroll
from tests.api.push_helpers import LOG, log, register, scheduler


async def _tier_event(deps: Deps, member: str, key: str, **data: Any) -> None:
    found = await deps.members.get_by_external_id("acme", member)
    assert found is not None
    event = MemberEvent(
        "acme", found.id, MemberEventKind.TIER_UPGRADED, key, deps.clock.now(), data
    )
    assert await deps.member_events.record(event)


async def test_pages_newest_first_and_filters_by_member(
    api: Api, acme: TenantCreds, database: Database, deps: Deps
) -> None:
    # given five pushes over time, three for c1
    for member in ("c1", "c2"):
        await register(api, acme, member, f"tok-{member}")
    worker, _ = scheduler(database, deps)
    for index, member in enumerate(("c1", "c2", "c1", "c2", "c1")):
        await _tier_event(deps, member, f"k{index}", tier_id="gold")
        await worker.tick()
        api.clock.advance(timedelta(minutes=1))
    # when paging two at a time
    seen: list[str] = []
    after = None
    while True:
        body = await api.gql(LOG, {"first": 2, "after": after}, token=acme.admin)
        connection = body["data"]["notificationLog"]
        seen += [edge["node"]["memberExternalId"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    # then
    assert seen == ["c1", "c2", "c1", "c2", "c1"]
    assert [r["memberExternalId"] for r in await log(api, acme, "c1")] == ["c1"] * 3
    assert await log(api, acme, "nobody") == []


async def test_other_tenants_and_members_cannot_read_it(
    api: Api, acme: TenantCreds, globex: TenantCreds, database: Database, deps: Deps
) -> None:
    await register(api, acme, "c1", "tok-c1")
    await enroll(api, globex, "c1")
    await _tier_event(deps, "c1", "k1", tier_id="gold")
    await scheduler(database, deps)[0].tick()
    assert len(await log(api, acme)) == 1
    assert await log(api, globex) == []
    assert await log(api, globex, "c1") == []
    for token in (acme.events, acme.member_token(api, "c1")):
        body = await api.gql(LOG, {}, token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_paging_arguments_are_coded_errors(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(LOG, {"first": 0}, token=acme.admin)
    assert body["errors"][0]["extensions"]["code"] == "OUT_OF_RANGE"
    body = await api.gql(LOG, {"after": "garbage"}, token=acme.admin)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_INPUT"
