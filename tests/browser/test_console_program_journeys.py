"""The merchant's program, badges, campaigns and exports in the console, in a real browser
against the real app: each screen shows the API's data and saves through the API, with the
API's errors under the field they name."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Request, expect

from tests.browser.conftest import Console, screenshot
from tests.browser.server import ConsoleServer

ConsoleFactory = Callable[..., Console]
Admin = Callable[..., Any]
RULES = "{ program { earningRules { kind name sku category multiplier activity points active } } }"


def test_an_earning_rule_is_added_refused_without_its_product_then_saved_and_removed(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    def rules(lang: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = admin(RULES, headers={"Accept-Language": lang})["program"][
            "earningRules"
        ]
        return found

    before = rules("en")
    before_ar = rules("ar")
    console = console_factory(lang="en", signed_in=True)
    page = console.open("program")
    editors = page.locator("[data-testid=rule-editor]")
    expect(editors).to_have_count(len(before))
    new = len(before)
    # when: a product rule without its product
    page.select_option("#f-new-rule-kind", "SKU")
    page.click("[data-testid=rule-add]")
    page.fill(f"#f-input-earningRules-{new}-name-en", "Triple points on attar")
    page.fill(f"#f-input-earningRules-{new}-name-ar", "ثلاثة أضعاف النقاط على العطر")
    page.fill(f"#f-input-earningRules-{new}-multiplier", "3")
    page.click("[data-testid=rules-save]")
    # then
    error = page.locator(f"[data-field='input.earningRules.{new}.sku']")
    expect(error).to_be_visible()
    expect(page.locator(f"#f-input-earningRules-{new}-sku")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert rules("en") == before
    # when
    page.fill(f"#f-input-earningRules-{new}-sku", "ATTAR-50")
    page.click("[data-testid=rules-save]")
    # then
    expect(page.locator("[data-testid=rules-form] .notice")).to_have_text("Saved.")
    after = rules("ar")
    assert after[:new] == before_ar
    assert after[new] == {
        "kind": "SKU",
        "name": "ثلاثة أضعاف النقاط على العطر",
        "sku": "ATTAR-50",
        "category": None,
        "multiplier": 3.0,
        "activity": None,
        "points": 0,
        "active": True,
    }
    screenshot(page, "journey-program-rules-en")
    # when: the new rule is removed again
    editors.nth(new).locator("[data-testid=rule-remove]").click()
    page.click("[data-testid=rules-save]")
    # then
    expect(editors).to_have_count(len(before))
    expect(page.locator("[data-testid=rules-form] .notice")).to_have_text("Saved.")
    assert rules("en") == before and rules("ar") == before_ar
    assert console.problems == []


POLICIES = """{ program { referralReward { referrerPoints refereePoints }
  vipTrialOffer { tier { name } days minOrders cooldownDays }
  tierPolicy { metric windowMonths graceDays }
  segmentPolicy { windowDays inactivityDays topOrders topSpend } } }"""


def test_referral_trial_tier_and_segment_policies_save_with_errors_under_their_fields(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    before = admin(POLICIES, headers={"Accept-Language": "en"})["program"]
    console = console_factory(lang="ar", signed_in=True)
    page = console.open("program")
    form = page.locator("[data-testid=policies-form]")
    expect(page.locator("#f-input-referralReward-referrerPoints")).to_have_value(
        str(before["referralReward"]["referrerPoints"])
    )
    # when: a segment window shorter than a week
    page.fill("#f-input-referralReward-referrerPoints", "300")
    page.fill("#f-input-vipTrialOffer-days", "21")
    page.select_option("#f-input-tierPolicy-metric", "SPEND")
    page.fill("#f-input-tierPolicy-windowMonths", "12")
    page.fill("#f-input-segmentPolicy-windowDays", "3")
    page.fill("#f-input-segmentPolicy-topSpend", "1500")
    form.locator("[data-testid=policies-save]").click()
    # then: the error sits under that field, in Arabic, and nothing changed
    error = page.locator("[data-field='input.segmentPolicy.windowDays']")
    expect(error).to_be_visible()
    expect(page.locator("#f-input-segmentPolicy-windowDays")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert admin(POLICIES, headers={"Accept-Language": "en"})["program"] == before
    # when
    page.fill("#f-input-segmentPolicy-windowDays", "60")
    form.locator("[data-testid=policies-save]").click()
    # then
    expect(form.locator(".notice")).to_have_text("تم الحفظ.")
    assert admin(POLICIES, headers={"Accept-Language": "en"})["program"] == {
        "referralReward": {
            "referrerPoints": 300,
            "refereePoints": before["referralReward"]["refereePoints"],
        },
        "vipTrialOffer": {**before["vipTrialOffer"], "days": 21},
        "tierPolicy": {**before["tierPolicy"], "metric": "SPEND", "windowMonths": 12},
        "segmentPolicy": {**before["segmentPolicy"], "windowDays": 60, "topSpend": "1500"},
    }
    screenshot(page, "journey-program-policies-ar")
    # when: the trial is turned off
    page.uncheck("#trial-on")
    form.locator("[data-testid=policies-save]").click()
    # then
    expect(form.locator(".notice")).to_have_text("تم الحفظ.")
    assert admin(POLICIES)["program"]["vipTrialOffer"] is None
    assert console.problems == []


BADGES = "{ badges { name rule goal bonusPoints active } }"


def test_a_badge_is_refused_with_a_bad_goal_then_saved_and_retired(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    before = admin(BADGES, headers={"Accept-Language": "en"})["badges"]
    console = console_factory(lang="en", signed_in=True)
    page = console.open("badges")
    rows = page.locator("[data-testid=badge-table] tbody tr")
    expect(rows).to_have_count(len(before))
    assert rows.locator("td:first-child").all_inner_texts()[0].endswith(before[0]["name"])
    # when: a streak of one month
    page.get_by_role("button", name="New badge").click()
    page.fill("#f-input-name-en", "Loyal all season")
    page.fill("#f-input-name-ar", "وفيّ طوال الموسم")
    page.select_option("#f-input-rule", "MONTHLY_STREAK")
    page.fill("#f-input-goal", "1")
    page.fill("#f-input-bonusPoints", "150")
    page.click("[data-testid=badge-save]")
    # then
    expect(page.locator("[data-field='input.goal']")).to_contain_text("2")
    assert len(admin(BADGES)["badges"]) == len(before)
    # when
    page.fill("#f-input-goal", "3")
    page.click("[data-testid=badge-save]")
    # then
    expect(rows).to_have_count(len(before) + 1)
    expect(rows.last).to_contain_text("Loyal all season")
    added = {"rule": "MONTHLY_STREAK", "goal": 3, "bonusPoints": 150}
    assert admin(BADGES, headers={"Accept-Language": "ar"})["badges"][-1] == {
        "name": "وفيّ طوال الموسم",
        **added,
        "active": True,
    }
    # when: retired
    page.get_by_role("button", name="Edit Loyal all season").click()
    expect(page.locator("#f-input-name-ar")).to_have_value("وفيّ طوال الموسم")
    page.uncheck("#badge-active")
    page.click("[data-testid=badge-save]")
    # then
    expect(rows.last.locator("td").nth(4)).to_have_text("No")
    assert admin(BADGES, headers={"Accept-Language": "en"})["badges"][-1] == {
        "name": "Loyal all season",
        **added,
        "active": False,
    }
    screenshot(page, "journey-badges-en")
    assert console.problems == []


def test_the_ledger_export_downloads_with_the_key_in_a_header_never_in_a_url(
    console_factory: ConsoleFactory, server: ConsoleServer
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("members")
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    expect(page.locator("[data-testid=member-table]")).to_be_visible()
    # when
    with page.expect_download() as downloading:
        page.click("[data-testid=ledger-export]")
    # then
    download = downloading.value
    assert download.suggested_filename.startswith("ledger-")
    path = download.path()
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) > 2 and len(rows[0]) > 3
    exports = [r for r in sent if "/export/ledger.csv" in r.url]
    assert len(exports) == 1
    assert exports[0].headers["authorization"] == f"Bearer {server.admin_key}"
    assert all(server.admin_key not in r.url for r in sent)
    assert console.problems == []
