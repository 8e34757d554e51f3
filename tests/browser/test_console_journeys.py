"""The merchant's journeys through the console, in a real browser against the real app."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser.conftest import Console, screenshot
from tests.browser.server import ConsoleServer

ConsoleFactory = Callable[..., Console]
Admin = Callable[..., Any]


def test_sign_in_keeps_the_key_in_this_tab_only_and_sign_out_forgets_it(
    console_factory: ConsoleFactory, server: ConsoleServer
) -> None:
    # given
    console = console_factory(lang="en")
    page = console.open()
    # when: a wrong key
    page.fill("#admin-key", "lk_not-a-key-of-this-program")
    page.click("button[type=submit]")
    # then
    expect(page.locator("#key-error")).to_have_text(
        "This key was not accepted. Check that it is an admin key for this program and that "
        "it has not been revoked."
    )
    assert page.evaluate("sessionStorage.getItem('loyalty.console.adminKey')") is None
    # when: the admin key
    page.fill("#admin-key", server.admin_key)
    page.click("button[type=submit]")
    # then
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Overview")
    stored = page.evaluate(
        "[sessionStorage.getItem('loyalty.console.adminKey'), localStorage.length, document.cookie]"
    )
    assert stored == [server.admin_key, 0, ""]
    # when
    page.click("[data-testid=sign-out]")
    # then
    expect(page.locator("#admin-key")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('loyalty.console.adminKey')") is None
    assert console.problems == [msg for msg in console.problems if "401" in msg]


def _color(page: Any, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))


def test_brand_low_contrast_shows_the_suggestion_which_fixes_it_and_publish_ships_it(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    before = admin("{ appTheme { version } }")["appTheme"]["version"]
    console = console_factory(lang="en", signed_in=True)
    page = console.open("brand")
    primary = page.locator("[data-color='input.colors.primary']")
    on_primary = page.locator("[data-color='input.colors.onPrimary']")
    bar = "[data-testid=preview-light-en] [data-testid=preview-bar]"
    expect(primary).to_have_value("#6B2C91")
    assert _color(page, bar, "backgroundColor") == "rgb(107, 44, 145)"
    # when: a yellow primary under the white text on it
    primary.fill("#FFEB3B")
    # then: the preview follows at once
    assert _color(page, bar, "backgroundColor") == "rgb(255, 235, 59)"
    # when
    page.click("[data-testid=save-draft]")
    # then: the API's error sits on the offending colour, with its suggestion one click away
    error = page.locator("[data-field='input.colors.onPrimary']")
    expect(error).to_contain_text("Text #FFFFFF on #FFEB3B has a contrast of only")
    expect(on_primary).to_have_attribute("aria-invalid", "true")
    suggestion = page.locator("[data-testid=use-suggestion]")
    suggested = re.search(r"#[0-9A-F]{6}", suggestion.inner_text())
    assert suggested is not None
    screenshot(page, "journey-brand-low-contrast-en")
    # when
    suggestion.click()
    # then
    expect(on_primary).to_have_value(suggested.group(0))
    assert _color(page, bar, "color") != "rgb(255, 255, 255)"
    # when
    page.click("[data-testid=publish]")
    # then
    expect(page.locator("[data-testid=brand-status]")).to_have_text(
        f"Published: the app now shows version {before + 1}."
    )
    expect(error).to_have_count(0)
    public = admin(
        "{ appTheme { version colors { primary onPrimary } } }",
        headers={"X-Tenant": "demo"},
        public=True,
    )["appTheme"]
    assert public == {
        "version": before + 1,
        "colors": {"primary": "#FFEB3B", "onPrimary": suggested.group(0)},
    }
    expect(page.locator("[data-testid=history] tbody tr").first).to_contain_text(str(before + 1))
    assert console.problems == []


def _png(size: int) -> bytes:
    image = Image.new("RGB", (size, size), "#0B6E4F")
    ImageDraw.Draw(image).rectangle((size // 4, size // 4, 3 * size // 4, 3 * size // 4), "#F4D35E")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_uploading_a_1024_px_png_shows_every_generated_size(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("brand")
    expect(page.locator("[data-testid=icon-file]")).to_be_enabled()
    # when
    page.set_input_files(
        "[data-testid=icon-file]",
        files=[{"name": "icon.png", "mimeType": "image/png", "buffer": _png(1024)}],
    )
    # then
    status = page.locator("[data-testid=brand-status]")
    expect(status).to_have_text(re.compile(r"^\d+ icon sizes generated"))
    draft = admin("{ appThemeDraft { icons { platform size url } } }")["appThemeDraft"]["icons"]
    expect(status).to_have_text(f"{len(draft)} icon sizes generated. Publish to ship them.")
    shown = page.locator("[data-testid=icon-size]")
    expect(shown).to_have_count(len(draft))
    sources = shown.locator("img").evaluate_all("imgs => imgs.map(i => i.getAttribute('src'))")
    assert sorted(sources) == sorted(icon["url"] for icon in draft)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=icon-size] img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    labels = shown.locator("span").all_inner_texts()
    assert sorted(labels) == sorted(f"{i['size']}×{i['size']}" for i in draft)
    screenshot(page, "journey-brand-icons-en")
    assert console.problems == []


def test_search_in_arabic_adjust_points_and_the_ledger_shows_the_reason(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="ar", signed_in=True)
    page = console.open("members")
    # when: typed without the hamza the name is written with
    page.fill("#member-search", "احمد")
    # then
    rows = page.locator("[data-testid=member-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("أحمد الكعبي")
    # when
    rows.first.locator("a").click()
    balance = admin('{ member(externalId: "c-1001") { wallet { balance } } }')["member"]
    page.fill("#f-input-points", "75")
    page.fill("#f-input-reason", "هدية اليوم الوطني")
    page.click("[data-testid=adjust-submit]")
    # then
    after = balance["wallet"]["balance"] + 75
    expect(page.locator(".notice")).to_have_text(f"تم. الرصيد الجديد: \u2068{after}\u2069.")
    entry = page.locator("[data-testid=ledger] tbody tr", has_text="هدية اليوم الوطني")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("تعديل")
    expect(entry.locator("td").nth(2)).to_have_text("+75")
    assert admin('{ member(externalId: "c-1001") { wallet { balance } } }')["member"] == {
        "wallet": {"balance": after}
    }
    screenshot(page, "journey-member-adjusted-ar")
    assert console.problems == []


STATS = """query($from: DateTime!, $to: DateTime!) { stats(from: $from, to: $to) {
  pointsIssued pointsRedeemed pointsExpired redemptionRate outstandingLiability outstandingPoints
  retentionRate averageOrderValue customerLifetimeValue activeMembers repeatPurchaseRate
  purchaseFrequency tierDistribution { name members } segmentDistribution { segment members }
  series(granularity: WEEK) { pointsIssued } } }"""


def test_overview_charts_render_and_the_figures_match_stats(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("overview")
    box = page.locator("[data-testid=stats]")
    expect(box).to_be_visible()
    variables = {"from": box.get_attribute("data-from"), "to": box.get_attribute("data-to")}
    # when
    stats = admin(STATS, variables)["stats"]
    # then: every figure is the API's, and the counts read as the API's numbers
    figures = page.locator("[data-figure]")
    shown = {
        f.get_attribute("data-figure"): (
            f.get_attribute("data-value"),
            f.locator("dd").inner_text(),
        )
        for f in figures.all()
    }
    for name, (raw, text) in shown.items():
        value = stats[name]
        if isinstance(value, float):
            assert float(str(raw)) == value, name
        else:  # counts, and money as the API's exact decimal string
            assert raw == ("" if value is None else str(value)), name
        if isinstance(value, int):
            assert text == f"{value:,}", name
    assert stats["pointsIssued"] > 0
    # the series canvas has ink on it
    page.wait_for_selector("[data-testid=series-chart] canvas")
    inked = page.eval_on_selector(
        "[data-testid=series-chart] canvas",
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                 let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""",
    )
    assert inked > 1000
    # and one bar per tier and per segment, with the API's counts
    tiers = page.locator("[data-testid=tier-chart] g")
    assert tiers.evaluate_all("gs => gs.map(g => Number(g.dataset.value))") == [
        row["members"] for row in stats["tierDistribution"]
    ]
    segments = page.locator("[data-testid=segment-chart] g")
    assert segments.evaluate_all("gs => gs.map(g => Number(g.dataset.value))") == [
        row["members"] for row in stats["segmentDistribution"]
    ]
    bar_widths = page.locator("[data-testid=tier-chart] rect").evaluate_all(
        "rs => rs.map(r => r.getBBox().width)"
    )
    assert all(width > 0 for width in bar_widths)
    assert console.problems == []


def test_switching_to_arabic_turns_the_page_right_to_left_and_translates_it(
    console_factory: ConsoleFactory,
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("members")
    nav = page.locator("nav a")
    expect(nav).to_have_text(
        ["Overview", "Brand", "Members", "Program", "Badges", "Push", "Integrations", "Keys"]
    )
    assert page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == [
        "ltr",
        "en",
    ]
    # when
    page.click("[data-testid=lang-switch]")
    # then
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(nav).to_have_text(
        [
            "نظرة عامة",
            "الهوية",
            "الأعضاء",
            "البرنامج",
            "الأوسمة",
            "الإشعارات",
            "التكاملات",
            "المفاتيح",
        ]
    )
    expect(page.locator("h1")).to_have_text("الأعضاء")
    expect(page.locator("label[for=member-search]")).to_have_text(
        "ابحث بالاسم أو البريد أو المعرّف أو الجوال"
    )
    start = page.eval_on_selector("nav ul", "e => getComputedStyle(e).direction")
    assert start == "rtl"
    assert console.problems == []


def test_the_tenants_default_language_is_used_until_the_merchant_switches(
    console_factory: ConsoleFactory,
) -> None:
    # given: the demo program's default language is Arabic, the browser's English
    console = console_factory(signed_in=True)
    # when
    page = console.open("overview")
    # then
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("نظرة عامة")


def test_graphiql_renders_from_local_files_only(
    console_factory: ConsoleFactory, server: ConsoleServer
) -> None:
    # given
    console = console_factory(lang="en")
    requested: list[str] = []
    console.page.on("request", lambda request: requested.append(request.url))
    # when
    console.page.goto(f"{server.base_url}/graphql")
    # then
    expect(console.page.locator(".graphiql-container .graphiql-query-editor")).to_be_visible()
    expect(console.page.locator(".graphiql-execute-button")).to_be_visible()
    assert [url for url in requested if not url.startswith(server.base_url)] == []
    assert console.problems == []


def test_an_api_error_sits_under_the_field_it_names(console_factory: ConsoleFactory) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("members/c-1003")
    # when: zero points, which the API refuses on input.points
    page.fill("#f-input-points", "0")
    page.fill("#f-input-reason", "nothing")
    page.click("[data-testid=adjust-submit]")
    # then
    error = page.locator("#f-input-points-error")
    expect(error).to_have_attribute("data-field", "input.points")
    expect(error).to_contain_text("Points must be")
    expect(page.locator("#f-input-points")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-input-reason")).to_have_attribute("aria-invalid", "false")


def test_a_new_reward_is_refused_without_a_name_then_saved_in_both_languages(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="en", signed_in=True)
    page = console.open("program")
    page.get_by_role("button", name="New reward").click()
    # when
    page.fill("#f-input-cost", "250")
    page.locator("form.subform").get_by_role("button", name="Save").click()
    # then
    expect(page.locator("[data-field='input.name']")).to_be_visible()
    # when
    page.fill("#f-input-name-ar", "قهوة مجانية")
    page.fill("#f-input-name-en", "Free coffee")
    page.select_option("#reward-kind", "FREE_PRODUCT")
    page.locator("form.subform").get_by_role("button", name="Save").click()
    # then
    expect(
        page.locator(
            "section:has(#rewards-title) tbody tr",
            has_text="Free coffee",
        )
    ).to_have_count(1)
    names = {
        lang: [
            r["name"]
            for r in admin("{ rewards { name cost } }", headers={"Accept-Language": lang})[
                "rewards"
            ]
            if r["cost"] == 250
        ]
        for lang in ("ar", "en")
    }
    assert names == {"ar": ["قهوة مجانية"], "en": ["Free coffee"]}
    assert console.problems == []


def test_a_campaign_is_created_for_a_segment_and_its_result_shown(
    console_factory: ConsoleFactory, admin: Admin
) -> None:
    # given
    console = console_factory(lang="ar", signed_in=True)
    page = console.open("push")
    # when
    page.fill("#f-input-name", "عودة الشتاء")
    page.fill("#f-input-title-ar", "اشتقنا إليك")
    page.fill("#f-input-title-en", "We miss you")
    page.fill("#f-input-body-ar", "نقاط مضاعفة هذا الأسبوع")
    page.fill("#f-input-body-en", "Double points this week")
    page.select_option("#campaign-segment", "AT_RISK")
    page.get_by_role("button", name="إنشاء الحملة").click()
    # then: the campaigns list (the API's `campaigns`) shows it first, with its result so far
    row = page.locator("[data-testid=campaign-table] tbody tr").first
    expect(row).to_contain_text("عودة الشتاء")
    expect(row.locator("td").nth(1)).to_have_text("المعرّضون للفقد")
    expect(row.locator("td").nth(3)).to_have_text("مجدولة")
    expect(page.locator("#f-input-name")).to_have_value("")
    listed = admin("{ campaigns(first: 1) { edges { node { name segment status queued } } } }")
    assert listed["campaigns"]["edges"][0]["node"] == {
        "name": "عودة الشتاء",
        "segment": "AT_RISK",
        "status": "SCHEDULED",
        "queued": 0,
    }
    assert console.problems == []
