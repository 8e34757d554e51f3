"""A store's customer data carries the birthday (Salla's customer model, the custom
platform's `birthday`): a customer created or updated through the webhook gets it, and the
daily birthday job pays that member once. Shopify's customer has no birthday field."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from mongo.client import Database
from tests.api.conftest import Api, TenantCreds
from tests.api.push_helpers import scheduler
from tests.api.store_simulator import CUSTOMERS, Store, connect, fixture
from tests.api.test_birthdays import birthday_points, gift

BIRTHDAY = """query($id: ID!) { member(externalId: $id) { birthday } }"""


async def stored_birthday(api: Api, creds: TenantCreds, member: str) -> str | None:
    body = await api.gql(BIRTHDAY, {"id": member}, token=creds.admin)
    birthday: str | None = body["data"]["member"]["birthday"]
    return birthday


@pytest.mark.parametrize(
    ("platform", "event", "born", "day"),
    [
        ("salla", "customer.created", "1997-06-03", datetime(2026, 6, 3, 12, tzinfo=UTC)),
        ("custom", "customer.created", "1990-02-28", datetime(2026, 2, 28, 12, tzinfo=UTC)),
    ],
)
async def test_a_store_customer_birthday_is_paid_once_by_the_daily_job(
    api: Api,
    acme: TenantCreds,
    database: Database,
    platform: str,
    event: str,
    born: str,
    day: datetime,
) -> None:
    # given a program giving 50 points on birthdays, and a store customer created with one
    await gift(api, acme, {"points": 50})
    await connect(api, acme, platform)
    store = Store(api, acme.slug, platform)
    assert (await store.send(fixture(platform, event))).json() == {"status": "applied"}
    member = CUSTOMERS[platform]
    assert await stored_birthday(api, acme, member) == born
    worker, _ = scheduler(database, api.deps)
    # when the job runs the day before, on the day, and again that day
    paid = []
    for moment in (day.replace(day=day.day - 1), day, day.replace(hour=20)):
        api.clock.set(moment)
        paid.append((await worker.tick()).get("birthdays"))
    # then the gift was paid once, on the day
    assert paid == [0, 1, 0]
    assert await birthday_points(api, acme, member) == [50]


async def test_a_birthday_the_store_updates_moves_the_gift(
    api: Api, acme: TenantCreds, database: Database
) -> None:
    # given a Salla customer created born on 3 June, and a gift of 50 points
    await gift(api, acme, {"points": 50})
    await connect(api, acme, "salla")
    store = Store(api, acme.slug, "salla")
    await store.send(fixture("salla", "customer.created"))
    # when the store reports the customer updated, born on 1 July
    updated = copy.deepcopy(fixture("salla", "customer.created"))
    updated["event"] = "customer.updated"
    updated["data"]["birthday"]["date"] = "1997-07-01 00:00:00.000000"
    assert (await store.send(updated)).json() == {"status": "applied"}
    # then the birthday is 1 July: nothing on 3 June, the gift on 1 July
    member = CUSTOMERS["salla"]
    assert await stored_birthday(api, acme, member) == "1997-07-01"
    worker, _ = scheduler(database, api.deps)
    paid = []
    for moment in (datetime(2026, 6, 3, 12, tzinfo=UTC), datetime(2026, 7, 1, 12, tzinfo=UTC)):
        api.clock.set(moment)
        paid.append((await worker.tick()).get("birthdays"))
    assert paid == [0, 1]
    assert await birthday_points(api, acme, member) == [50]
