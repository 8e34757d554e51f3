"""`/console` and the GraphiQL page: served from this app's own files, under a strict policy."""

from __future__ import annotations

import re
from pathlib import Path

from tests.api.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"

STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)


async def test_console_page_is_served_with_a_strict_policy_and_no_framing(api: Api) -> None:
    # when
    page = await api.client.get("/console/")
    # then
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == STRICT_CSP
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert '<script type="module" src="app/main.js"></script>' in page.text


async def test_console_without_a_slash_redirects_to_the_page(api: Api) -> None:
    # when
    answer = await api.client.get("/console", follow_redirects=False)
    # then
    assert answer.status_code in (301, 307)
    assert answer.headers["location"].endswith("/console/")


async def test_console_scripts_and_misses_carry_the_same_headers(api: Api) -> None:
    # when
    script = await api.client.get("/console/app/main.js")
    missing = await api.client.get("/console/app/nothing-here.js")
    # then
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["content-security-policy"] == STRICT_CSP
    assert missing.status_code == 404
    assert missing.headers["x-frame-options"] == "DENY"


async def test_graphiql_loads_only_local_assets(api: Api) -> None:
    # when
    page = await api.client.get("/graphql", headers={"Accept": "text/html"})
    # then
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    assert "script-src 'self';" in page.headers["content-security-policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources == [
        "data:,",
        "/console/vendor/graphiql/graphiql.min.css",
        "/console/graphiql.css",
        "/console/vendor/react/react.production.min.js",
        "/console/vendor/react-dom/react-dom.production.min.js",
        "/console/vendor/graphiql/graphiql.min.js",
        "/console/graphiql.js",
    ]
    for source in sources[1:]:
        assert (await api.client.get(source)).status_code == 200, source


def test_console_markup_has_no_inline_script_or_style() -> None:
    # given
    pages = [CONSOLE / "index.html", CONSOLE / "graphiql.html"]
    # then: every script has a src, and no style element or attribute is written in markup
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == [], page.name
        assert "<style" not in text and "style=" not in text, page.name
    for module in (CONSOLE / "app").glob("*.js"):
        code = module.read_text(encoding="utf-8")
        for forbidden in ("eval(", "new Function", "innerHTML", "dangerouslySetInnerHTML"):
            assert forbidden not in code, f"{module.name}: {forbidden}"
        assert not re.search(r"localStorage\.\w+\(|document\.cookie", code), module.name


def test_every_vendored_library_has_its_licence_and_version_recorded() -> None:
    # given
    lines = [
        line.split()
        for line in (CONSOLE / "vendor" / "VERSIONS").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    recorded = {parts[0]: parts[1] for parts in lines}
    # then
    folders = {"preact", "htm", "uplot", "graphiql", "react", "react-dom"}
    assert set(recorded) == folders
    for folder in folders:
        assert (CONSOLE / "vendor" / folder / "LICENSE").is_file(), folder
        assert re.fullmatch(r"\d+\.\d+\.\d+", recorded[folder]), folder
    served = {p.parent.name for p in (CONSOLE / "vendor").rglob("*.js")}
    assert served == folders


def test_every_console_string_exists_in_arabic_and_english() -> None:
    # given
    source = (CONSOLE / "app" / "i18n.js").read_text(encoding="utf-8")
    english_part, arabic_part = source.split("const ar = {", 1)
    english = set(re.findall(r'^  "([\w.]+)":', english_part, re.MULTILINE))
    arabic = set(re.findall(r'^  "([\w.]+)":', arabic_part, re.MULTILINE))
    used: set[str] = set()
    for module in (CONSOLE / "app").glob("*.js"):
        used |= set(re.findall(r'\bt\("([\w.]+)"', module.read_text(encoding="utf-8")))
    # then
    assert english == arabic
    assert used - english == set()
    assert len(english) > 200
