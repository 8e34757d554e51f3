"""Outbound webhooks to a real local receiver: signed per Standard Webhooks (verified with the
`standardwebhooks` package), retried with backoff, never sent twice by a restarted worker, and
the endpoint disabled after three days of failures."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks import Webhook

from api.scheduler import Scheduler
from integrations.outbound_sender import DEADLINE, HttpWebhookSender
from loyalty.usecases.webhook_deliveries import BATCH
from loyalty.usecases.webhook_fanout import fan_out
from loyalty.webhooks import claim_hold
from tests.api.conftest import Api, TenantCreds, enroll, give_points
from tests.api.test_cancel_coupon import cancel
from tests.api.test_redeem_reward import consume, create_reward, redeem
from tests.api.webhook_receiver import Receiver, public_dns, running_receiver

UPSERT = """
mutation($input: WebhookEndpointInput!) {
  upsertWebhookEndpoint(input: $input) {
    endpoint { id url events active disabledAt disabledReason }
    secret
    userErrors { code field message }
  }
}
"""

DELIVERIES = """
query($status: WebhookDeliveryStatus) { webhookDeliveries(first: 50, status: $status) {
  edges { node { id event eventId status attempts lastResponseCode nextAttemptAt } }
  pageInfo { hasNextPage } } }
"""

ENDPOINTS = "{ webhookEndpoints { id url events active failingSince disabledAt disabledReason } }"

REDELIVER = """
mutation($id: ID!) { redeliverWebhook(deliveryId: $id) {
  delivery { id status } userErrors { code field message } } }
"""

URL = "https://hooks.acme.example/loyalty"


@pytest.fixture
async def receiver(api: Api) -> AsyncIterator[Receiver]:
    # Receivers check webhook-timestamp against their own clock: start the test clock at now.
    api.clock.set(datetime.now(UTC).replace(microsecond=0))
    async with running_receiver() as running:
        yield running


async def endpoint(api: Api, creds: TenantCreds, events: list[str]) -> tuple[str, str]:
    variables = {"input": {"url": URL, "events": events}}
    body = await api.gql(UPSERT, variables, token=creds.admin)
    payload = body["data"]["upsertWebhookEndpoint"]
    assert payload["userErrors"] == [], body
    return payload["endpoint"]["id"], payload["secret"]


async def tick(api: Api, receiver: Receiver) -> dict[str, int]:
    assert api.database is not None
    sender = HttpWebhookSender(receiver.transport(), resolve=public_dns)
    scheduler = Scheduler(api.database, api.deps, interval=60, webhook_sender=sender)
    try:
        return await scheduler.tick()
    finally:
        await sender.close()


async def deliveries(api: Api, creds: TenantCreds, status: str | None = None) -> list[Any]:
    body = await api.gql(DELIVERIES, {"status": status}, token=creds.admin)
    return [edge["node"] for edge in body["data"]["webhookDeliveries"]["edges"]]


def verified(secret: str, received: Any) -> dict[str, Any]:
    payload: dict[str, Any] = Webhook(secret).verify(received.body, received.headers)
    return payload


async def test_events_are_signed_and_carry_the_member_and_the_coupon(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given an endpoint for enrolments, adjustments and redemptions
    _, secret = await endpoint(api, acme, ["MEMBER_ENROLLED", "POINTS_ADJUSTED", "REWARD_REDEEMED"])
    assert secret.startswith("whsec_")
    # when a member joins, gets 150 points and redeems a coupon, and the worker runs
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 150, "g1")
    coupon = (await redeem(api, acme, await create_reward(api, acme), "k1"))["redemption"]
    done = await tick(api, receiver)
    # then three signed deliveries arrived, each verified by the standardwebhooks package
    assert (done["webhooks-fanout"], done["webhooks-send"]) == (3, 3)
    payloads = [verified(secret, got) for got in receiver.received]
    assert sorted(p["type"] for p in payloads) == [
        "MEMBER_ENROLLED",
        "POINTS_ADJUSTED",
        "REWARD_REDEEMED",
    ]
    for got, payload in zip(receiver.received, payloads, strict=True):
        assert payload["data"]["eventId"] == got.headers["webhook-id"]
        assert payload["data"]["memberExternalId"] == "c1"
    [redeemed] = [p["data"] for p in payloads if p["type"] == "REWARD_REDEEMED"]
    assert (redeemed["couponCode"], redeemed["rewardKind"], redeemed["rewardValue"]) == (
        coupon["couponCode"],
        "FREE_PRODUCT",
        None,
    )
    [adjusted] = [p["data"] for p in payloads if p["type"] == "POINTS_ADJUSTED"]
    assert (adjusted["points"], adjusted["balanceAfter"]) == (150, 150)
    assert [d["status"] for d in await deliveries(api, acme)] == ["DELIVERED"] * 3
    # and a tampered body does not verify
    tampered = receiver.received[0]
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(secret).verify(tampered.body.replace("c1", "c2"), tampered.headers)


async def test_a_500_is_retried_after_a_backoff_with_the_same_message_id(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given a receiver that fails once
    _, secret = await endpoint(api, acme, ["MEMBER_ENROLLED"])
    receiver.answers = [500]
    await enroll(api, acme, "c1")
    # when the worker runs
    await tick(api, receiver)
    # then the delivery waits 15 to 30 seconds for its next attempt
    [waiting] = await deliveries(api, acme)
    assert (waiting["status"], waiting["attempts"], waiting["lastResponseCode"]) == (
        "PENDING",
        1,
        500,
    )
    retry_at = datetime.fromisoformat(waiting["nextAttemptAt"])
    assert timedelta(seconds=15) <= retry_at - api.clock.now() <= timedelta(seconds=30)
    # when the worker runs again before then, and after
    await tick(api, receiver)
    assert len(receiver.received) == 1
    api.clock.advance(timedelta(seconds=31))
    await tick(api, receiver)
    # then the second attempt got through, under the same message id
    [done] = await deliveries(api, acme)
    assert (done["status"], done["attempts"], done["lastResponseCode"]) == ("DELIVERED", 2, 200)
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == done["eventId"]
    assert verified(secret, second)["type"] == "MEMBER_ENROLLED"


async def test_a_restarted_worker_sends_nothing_twice(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given a delivery claimed by a worker that then died without recording anything
    await endpoint(api, acme, ["MEMBER_ENROLLED"])
    await enroll(api, acme, "c1")
    await tick(api, receiver)  # sent and recorded
    await enroll(api, acme, "c2")
    tenant = await api.deps.tenants.get("acme")
    assert tenant is not None
    assert await fan_out(api.deps, tenant) == 1
    receiver.received.clear()
    now = api.clock.now()
    hold = claim_hold(BATCH, DEADLINE)
    [claimed] = await api.deps.webhook_deliveries.claim_due("acme", now, now + hold, 10)
    # when a new worker runs while the claim holds, and again after it lapsed
    await tick(api, receiver)
    held = len(receiver.received)
    api.clock.advance(hold + timedelta(seconds=1))
    await tick(api, receiver)
    await tick(api, receiver)
    # then the delivery was sent once, and the dead worker's late record is refused
    assert (held, len(receiver.received)) == (0, 1)
    late = await api.deps.webhook_deliveries.settle(
        claimed,
        status=claimed.status.FAILED,
        at=api.clock.now(),
        status_code=None,
        error="late",
        next_attempt_at=None,
    )
    assert late is False
    assert [d["status"] for d in await deliveries(api, acme)] == ["DELIVERED", "DELIVERED"]


async def test_an_endpoint_failing_for_three_days_is_disabled(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given a receiver that always fails
    endpoint_id, _ = await endpoint(api, acme, ["MEMBER_ENROLLED"])
    receiver.always = 500
    await enroll(api, acme, "c1")
    started = api.clock.now()
    # when the worker runs every 6 hours for four days
    while api.clock.now() - started < timedelta(days=4):
        await tick(api, receiver)
        api.clock.advance(timedelta(hours=6))
    # then the delivery failed after three days of retries and the endpoint is disabled
    [failed] = await deliveries(api, acme)
    assert (failed["status"], failed["lastResponseCode"]) == ("FAILED", 500)
    assert 10 <= failed["attempts"] <= 20
    body = await api.gql(ENDPOINTS, token=acme.admin, locale="en")
    [shown] = body["data"]["webhookEndpoints"]
    assert shown["id"] == endpoint_id
    assert shown["disabledAt"] is not None
    assert shown["disabledReason"] == (
        "Disabled after every delivery failed for 3 days; last response: HTTP 500."
    )
    # and nothing more is written or sent for it
    attempts = len(receiver.received)
    await enroll(api, acme, "c2")
    await tick(api, receiver)
    assert len(receiver.received) == attempts
    assert len(await deliveries(api, acme)) == 1


async def test_redeliver_sends_a_delivery_again(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given a delivered event
    _, secret = await endpoint(api, acme, ["MEMBER_ENROLLED"])
    await enroll(api, acme, "c1")
    await tick(api, receiver)
    [delivered] = await deliveries(api, acme, "DELIVERED")
    # when the merchant asks for it again
    body = await api.gql(REDELIVER, {"id": delivered["id"]}, token=acme.admin)
    await tick(api, receiver)
    # then it was sent a second time, with the same message id
    assert body["data"]["redeliverWebhook"] == {
        "delivery": {"id": delivered["id"], "status": "PENDING"},
        "userErrors": [],
    }
    first, second = receiver.received
    assert json.loads(first.body) == verified(secret, second)
    [again] = await deliveries(api, acme)
    assert (again["status"], again["attempts"]) == ("DELIVERED", 2)


async def test_the_secret_is_shown_once_and_stored_encrypted(api: Api, acme: TenantCreds) -> None:
    # given
    endpoint_id, secret = await endpoint(api, acme, ["POINTS_EARNED"])
    # when the endpoint is updated and listed
    body = await api.gql(
        UPSERT,
        {"input": {"id": endpoint_id, "url": URL + "/v2", "events": ["POINTS_EXPIRED"]}},
        token=acme.admin,
    )
    listed = await api.gql(ENDPOINTS, token=acme.admin)
    # then no answer shows the secret again, and the database holds it only encrypted
    updated = body["data"]["upsertWebhookEndpoint"]
    assert (updated["secret"], updated["endpoint"]["events"]) == (None, ["POINTS_EXPIRED"])
    assert listed["data"]["webhookEndpoints"][0]["url"] == URL + "/v2"
    assert api.database is not None
    [doc] = await api.database.db["webhook_endpoints"].find({}).to_list(None)
    assert secret not in json.dumps(doc, default=str)
    assert secret[6:] not in json.dumps(doc, default=str)


@pytest.mark.parametrize(
    ("variables", "code", "field"),
    [
        (
            {"url": "http://hooks.acme.example/x", "events": ["POINTS_EARNED"]},
            "INSECURE_URL",
            "url",
        ),
        ({"url": URL, "events": []}, "INVALID_INPUT", "events"),
        (
            {"id": "whe_missing", "url": URL, "events": ["POINTS_EARNED"]},
            "WEBHOOK_ENDPOINT_NOT_FOUND",
            "id",
        ),
    ],
)
async def test_bad_endpoints_are_refused_and_nothing_is_saved(
    api: Api, acme: TenantCreds, variables: dict[str, Any], code: str, field: str
) -> None:
    # when
    body = await api.gql(UPSERT, {"input": variables}, token=acme.admin, locale="ar")
    # then
    payload = body["data"]["upsertWebhookEndpoint"]
    assert payload["endpoint"] is None and payload["secret"] is None
    [error] = payload["userErrors"]
    assert (error["code"], error["field"]) == (code, ["input", field])
    assert error["message"]
    assert (await api.gql(ENDPOINTS, token=acme.admin))["data"]["webhookEndpoints"] == []


async def test_tenants_see_and_touch_only_their_own(
    api: Api, acme: TenantCreds, globex: TenantCreds, receiver: Receiver
) -> None:
    # given acme's endpoint and a delivery
    endpoint_id, _ = await endpoint(api, acme, ["MEMBER_ENROLLED"])
    await enroll(api, acme, "c1")
    await tick(api, receiver)
    [delivery] = await deliveries(api, acme)
    # when globex lists, redelivers and updates with acme's ids
    listed = await api.gql(ENDPOINTS, token=globex.admin)
    again = await api.gql(REDELIVER, {"id": delivery["id"]}, token=globex.admin)
    update = await api.gql(
        UPSERT,
        {"input": {"id": endpoint_id, "url": URL, "events": ["POINTS_EARNED"]}},
        token=globex.admin,
    )
    # then it sees nothing and changes nothing
    assert listed["data"]["webhookEndpoints"] == []
    assert await deliveries(api, globex) == []
    assert [e["code"] for e in again["data"]["redeliverWebhook"]["userErrors"]] == [
        "WEBHOOK_DELIVERY_NOT_FOUND"
    ]
    assert [e["code"] for e in update["data"]["upsertWebhookEndpoint"]["userErrors"]] == [
        "WEBHOOK_ENDPOINT_NOT_FOUND"
    ]
    assert [d["attempts"] for d in await deliveries(api, acme)] == [1]
    assert (await api.gql(ENDPOINTS, token=acme.admin))["data"]["webhookEndpoints"][0][
        "events"
    ] == ["MEMBER_ENROLLED"]


async def test_members_and_the_events_key_cannot_manage_endpoints(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await enroll(api, acme, "c1")
    variables = {"input": {"url": URL, "events": ["POINTS_EARNED"]}}
    # when
    as_member = await api.gql(UPSERT, variables, token=acme.member_token(api, "c1"))
    as_events = await api.gql(UPSERT, variables, token=acme.events)
    # then
    assert as_member["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert as_events["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert (await api.gql(ENDPOINTS, token=acme.admin))["data"]["webhookEndpoints"] == []


async def test_coupon_consumed_and_cancelled_reach_the_store(
    api: Api, acme: TenantCreds, receiver: Receiver
) -> None:
    # given an endpoint for the coupon lifecycle, and two coupons
    _, secret = await endpoint(api, acme, ["COUPON_CONSUMED", "COUPON_CANCELLED"])
    await enroll(api, acme, "c1")
    await give_points(api, acme, "c1", 200, "g1")
    reward_id = await create_reward(api, acme)
    used = (await redeem(api, acme, reward_id, "k1"))["redemption"]["couponCode"]
    dropped = (await redeem(api, acme, reward_id, "k2"))["redemption"]["couponCode"]
    # when one is used at checkout and the member cancels the other
    await consume(api, acme, used, "o-1")
    await cancel(api, acme.member_token(api, "c1"), dropped, "x1")
    await tick(api, receiver)
    # then the store hears of both, with the coupon codes and the member
    events = sorted(
        (p["type"], p["data"]["couponCode"], p["data"].get("orderId"), p["data"].get("status"))
        for p in (verified(secret, got) for got in receiver.received)
    )
    assert events == [
        ("COUPON_CANCELLED", dropped, None, "CANCELLED"),
        ("COUPON_CONSUMED", used, "o-1", None),
    ]
