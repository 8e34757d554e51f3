"""The Integrations screen in a real browser against the real app: a webhook endpoint is
refused with the API's error under its URL, then created with its secret shown once; the
delivery the scheduler writes for it is listed and sent again on request."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from loyalty.usecases.webhook_fanout import fan_out
from tests.browser.conftest import Console, screenshot
from tests.browser.server import ConsoleServer

ConsoleFactory = Callable[..., Console]
Admin = Callable[..., Any]
ENDPOINTS = "{ webhookEndpoints { url events active } }"
DELIVERIES = "{ webhookDeliveries { edges { node { id event status attempts } } } }"
ADJUST = """mutation($input: AdjustPointsInput!) { adjustPoints(input: $input) {
  userErrors { code } } }"""


def _fan_out(server: ConsoleServer) -> int:
    deps = server.runtime.deps

    async def job() -> int:
        tenant = await deps.tenants.get("demo")
        assert tenant is not None
        return await fan_out(deps, tenant)

    return server.run(job)


def test_a_webhook_endpoint_is_created_its_secret_shown_once_and_a_delivery_sent_again(
    console_factory: ConsoleFactory, admin: Admin, server: ConsoleServer
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("integrations")
    expect(page.locator("#deliveries-title")).to_be_visible()
    # when: a plain-http address
    page.get_by_role("button", name="New webhook endpoint").click()
    page.fill("#f-input-url", "http://hooks.example.com/loyalty")
    page.uncheck("#event-POINTS_EARNED")
    page.check("#event-POINTS_ADJUSTED")
    page.click("[data-testid=endpoint-save]")
    # then
    expect(page.locator("[data-field='input.url']")).to_be_visible()
    expect(page.locator("#f-input-url")).to_have_attribute("aria-invalid", "true")
    assert admin(ENDPOINTS)["webhookEndpoints"] == []
    # when
    page.fill("#f-input-url", "https://hooks.example.com/loyalty")
    page.click("[data-testid=endpoint-save]")
    # then: the secret, once, and the endpoint as the API has it
    secret = page.locator("[data-testid=endpoint-secret] code")
    expect(secret).to_have_text(re.compile(r"^whsec_\S+$"))
    row = page.locator("[data-testid=endpoint-table] tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("https://hooks.example.com/loyalty")
    expect(row).to_contain_text("Points adjusted")
    assert admin(ENDPOINTS)["webhookEndpoints"] == [
        {"url": "https://hooks.example.com/loyalty", "events": ["POINTS_ADJUSTED"], "active": True}
    ]
    screenshot(page, "journey-integrations-secret-en")
    # when: points are adjusted and the scheduler fans the event out
    adjusted = admin(
        ADJUST,
        {
            "input": {
                "memberExternalId": "c-1004",
                "points": 40,
                "reason": "webhook test",
                "idempotencyKey": "console-webhook-1",
            }
        },
    )
    assert adjusted["adjustPoints"]["userErrors"] == []
    assert _fan_out(server) == 1
    page.reload()
    # then: the secret is gone, the delivery is listed
    expect(page.locator("[data-testid=endpoint-secret]")).to_have_count(0)
    delivery = page.locator("[data-testid=delivery-table] tbody tr")
    expect(delivery).to_have_count(1)
    expect(delivery).to_contain_text("Points adjusted")
    expect(delivery.locator("td").nth(3)).to_have_text("Waiting")
    # when
    delivery.locator("[data-testid=redeliver]").click()
    # then
    expect(page.locator("section:has(#deliveries-title) .notice")).to_have_text(
        "Queued to be sent again."
    )
    listed = admin(DELIVERIES)["webhookDeliveries"]["edges"]
    assert [(e["node"]["event"], e["node"]["status"], e["node"]["attempts"]) for e in listed] == [
        ("POINTS_ADJUSTED", "PENDING", 0)
    ]
    assert console.problems == []


def test_the_integrations_screen_reads_in_arabic(console_factory: ConsoleFactory) -> None:
    # given
    console = console_factory(lang="ar", signed_in=True)
    # when
    page = console.open("integrations")
    # then
    expect(page.locator("h1")).to_have_text("التكاملات")
    expect(page.locator("#deliveries-title")).to_have_text("الإرسالات")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert console.problems == []


STORES = "{ storeConnections { platform storeId webhookUrl earnOn eventsAccepted } }"


def test_a_store_is_refused_a_short_secret_then_connected_and_disconnected(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="ar", signed_in=True)
    page = console.open("integrations")
    expect(page.locator("[data-testid=store-form]")).to_be_visible()
    # when: a secret too short to be Salla's
    page.select_option("#f-input-platform", "SALLA")
    page.fill("#f-input-webhookSecret", "short")
    page.select_option("#f-input-earnOn", "DELIVERED")
    page.click("[data-testid=store-connect]")
    # then
    expect(page.locator("[data-field='input.webhookSecret']")).to_be_visible()
    expect(page.locator("#f-input-webhookSecret")).to_have_attribute("aria-invalid", "true")
    assert admin(STORES)["storeConnections"] == []
    # when
    page.fill("#f-input-webhookSecret", "salla-secret-0123456789abcdef")
    page.fill("#f-input-storeId", "store-77")
    page.click("[data-testid=store-connect]")
    # then: the URL to paste is the API's, and the secret is not shown back
    row = page.locator("[data-testid=store-table] tbody tr")
    expect(row).to_have_count(1)
    connected = admin(STORES)["storeConnections"]
    assert [(c["platform"], c["storeId"], c["earnOn"]) for c in connected] == [
        ("SALLA", "store-77", "DELIVERED")
    ]
    expect(row.locator("code")).to_have_text(connected[0]["webhookUrl"])
    expect(row).to_contain_text("سلة")
    expect(page.locator("#f-input-webhookSecret")).to_have_value("")
    assert "salla-secret-0123456789abcdef" not in page.content()
    screenshot(page, "journey-integrations-store-ar")
    # when
    row.locator("[data-testid=store-disconnect]").click()
    # then
    expect(row).to_have_count(0)
    assert admin(STORES)["storeConnections"] == []
    assert console.problems == []
