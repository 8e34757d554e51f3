"""Every console page, in Arabic and English, light and dark: an axe-core scan with no serious
or critical violation, and a screenshot of each (tests/browser/screenshots/)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import AXE, Console, screenshot

LOADING = ("Loading…", "جارٍ التحميل…")
# (name, route, what shows once its data has arrived)
PAGES = [
    ("overview", "overview", "[data-testid=series-chart] canvas"),
    ("brand", "brand", "[data-testid=history]"),
    ("members", "members", "[data-testid=member-table]"),
    ("member", "members/c-1002", "[data-testid=ledger]"),
    ("program", "program", "[data-testid=plural-ar]"),
    ("badges", "badges", "[data-testid=badge-table]"),
    ("push", "push", "#campaigns-title"),
    ("integrations", "integrations", "#deliveries-title"),
    ("keys", "keys", ".page.keys table"),
]


def _ready(page: Page, selector: str) -> None:
    page.wait_for_selector(selector)
    page.wait_for_function(
        "loading => !loading.some(t => document.querySelector('main').innerText.includes(t))",
        arg=list(LOADING),
    )
    page.wait_for_timeout(150)  # let the last effects (charts, images) settle


# The two schemes differ only in their colours: the light one gets every rule, the dark one
# the rules that read colours (half the scans' time, which is most of this test's).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def _serious(page: Page, rules: list[str] | None = None) -> list[dict[str, Any]]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):  # once per loaded page
        page.add_script_tag(path=str(AXE))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if rules is not None:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("async options => await axe.run(document, options)", options)
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_passes_axe_and_is_photographed(
    console_factory: Callable[..., Console], lang: str, scheme: str
) -> None:
    # given: axe is injected as a script, which the console's own policy forbids
    found: dict[str, list[dict[str, Any]]] = {}
    rules = COLOUR_RULES if scheme == "dark" else None
    signed_out = console_factory(lang=lang, scheme=scheme, bypass_csp=True)
    page = signed_out.open()
    _ready(page, "#admin-key")
    screenshot(page, f"signin-{lang}-{scheme}")
    found["signin"] = _serious(page, rules)
    console = console_factory(lang=lang, scheme=scheme, signed_in=True, bypass_csp=True)
    page = console.open()
    # when: a merchant goes from page to page, as the menu does (loading the whole console
    # afresh for each page took most of this test's time)
    for name, route, selector in PAGES:
        page.evaluate("route => { window.location.hash = '#/' + route; }", route)
        _ready(page, selector)
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        screenshot(page, f"{name}-{lang}-{scheme}")
        found[name] = _serious(page, rules)
    # then
    assert {name: v for name, v in found.items() if v} == {}
    assert console.problems == [] and signed_out.problems == []
