"""Browser tests of the merchant console: Debian's chromium driven by Playwright for Python.

Playwright's own browser download cannot work here, so the browser is the system's
(`executable_path`). Without one the tests are skipped with a notice saying how to enable them.
Screenshots go to tests/browser/screenshots/ (kept by CI, ignored by git).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.server import ConsoleServer, start_server

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
ENABLE = (
    "install Debian's chromium (`apt-get install -y chromium`, as .ci/run does) or set "
    "LOYALTY_CHROMIUM to a Chromium binary, and install the test extra (playwright)"
)


def find_chromium() -> str | None:
    explicit = os.environ.get("LOYALTY_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


try:
    from playwright.sync_api import (
        Browser,
        BrowserContext,
        ConsoleMessage,
        Page,
        sync_playwright,
    )
except ImportError:  # the test extra is not installed
    sync_playwright = None

CHROMIUM = find_chromium()
SKIP_REASON = None
collect_ignore_glob: list[str] = []
if sync_playwright is None:
    SKIP_REASON = f"browser tests skipped: Playwright is not installed; {ENABLE}"
    collect_ignore_glob.append("test_*.py")  # they import it
elif CHROMIUM is None:
    SKIP_REASON = f"browser tests skipped: no Chromium found; {ENABLE}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if SKIP_REASON is None:
        return
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SKIP_REASON is not None:
        terminalreporter.write_line(f"NOTICE: {SKIP_REASON}", yellow=True)


@pytest.fixture(scope="session")
def server() -> Iterator[ConsoleServer]:
    running = start_server()
    yield running
    running.stop()


# Module-scoped: while Playwright's sync API is open it holds an event loop as the running one in
# this thread, and every asyncio test after it would fail; it must close before they run.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert sync_playwright is not None and CHROMIUM is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield launched
        launched.close()


class Console:
    """One signed-out browser tab on the console, recording what the page complained about."""

    def __init__(self, context: BrowserContext, server: ConsoleServer) -> None:
        self.context = context
        self.server = server
        self.problems: list[str] = []
        self.page = self.new_page()

    def new_page(self) -> Page:
        page = self.context.new_page()
        page.on("pageerror", lambda error: self.problems.append(str(error)))
        page.on("console", self._console_message)
        self.page = page
        return page

    def _console_message(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(message.text)

    def open(self, route: str = "") -> Page:
        self.page.goto(f"{self.server.base_url}/console/{'#/' + route if route else ''}")
        return self.page


@pytest.fixture
def console_factory(browser: Browser, server: ConsoleServer) -> Iterator[Callable[..., Console]]:
    contexts: list[BrowserContext] = []

    def make(
        *,
        lang: str | None = None,
        signed_in: bool = False,
        scheme: str = "light",
        bypass_csp: bool = False,
    ) -> Console:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            color_scheme=scheme,  # type: ignore[arg-type]
            bypass_csp=bypass_csp,
            locale="en-US",
        )
        contexts.append(context)
        # Set before any page script runs, as a merchant's earlier choice in this tab would be.
        seed = []
        if lang:
            seed.append(f"sessionStorage.setItem('loyalty.console.lang', {lang!r});")
        if signed_in:
            seed.append(
                f"sessionStorage.setItem('loyalty.console.adminKey', {server.admin_key!r});"
            )
        if seed:
            context.add_init_script("\n".join(seed))
        return Console(context, server)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def admin(server: ConsoleServer) -> Callable[..., dict[str, Any]]:
    """The GraphQL API as the console's admin key sees it, outside the browser."""

    def call(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        public: bool = False,
    ) -> Any:
        sent = {} if public else {"Authorization": f"Bearer {server.admin_key}"}
        body = httpx.post(
            f"{server.base_url}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={**sent, **(headers or {})},
            timeout=30,
        ).json()
        assert "errors" not in body, body
        return body["data"]

    return call


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
