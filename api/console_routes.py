"""`/console`: the merchant console's static files, and the locally served GraphiQL page.

The console is one more GraphQL client (it calls `/graphql` with the admin key the merchant
pastes), so the server's only job is to hand out its files under headers that make injected
markup harmless: a Content-Security-Policy that allows scripts, styles and connections from
this origin only (no inline script, no eval), no framing, no sniffing, no referrer.
"""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

import console

CONSOLE_DIR = Path(console.__file__).resolve().parent

CONSOLE_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

# GraphiQL's editor (CodeMirror) writes style attributes, so styles may be inline there;
# scripts stay same-origin only, as in the console.
GRAPHIQL_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


def security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


class _HeadedStatic:
    """Static files with the console's security headers on every answer (errors included)."""

    def __init__(self, directory: Path) -> None:
        self.files = StaticFiles(directory=directory, html=True)
        self.headers = [
            (name.lower().encode(), value.encode())
            for name, value in security_headers(CONSOLE_CSP).items()
        ]
        # Files change with each release under the same names: revalidate them (ETag).
        self.headers.append((b"cache-control", b"no-cache"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *(h for h in message.get("headers", []) if h[0] != b"cache-control"),
                    *self.headers,
                ]
            await send(message)

        try:
            await self.files(scope, receive, send_with_headers)
        except HTTPException as exc:  # a miss is answered here, under the same headers
            await PlainTextResponse(exc.detail, status_code=exc.status_code)(
                scope, receive, send_with_headers
            )


def console_mount() -> Mount:
    return Mount("/console", app=_HeadedStatic(CONSOLE_DIR), name="console")


def graphiql_page() -> Response:
    """GraphiQL from the console's vendored files: it renders offline, with no CDN."""
    page = (CONSOLE_DIR / "graphiql.html").read_text(encoding="utf-8")
    return HTMLResponse(page, headers=security_headers(GRAPHIQL_CSP))
