"""GET /export/members.csv and GET /export/ledger.csv?from=&to=: streamed CSV for the merchant.

Authenticated with an admin API key (`Authorization: Bearer lk_...`), like the admin GraphQL
fields: 401 without a valid credential, 403 for any other kind or scope. Errors are JSON
`{code, field, message}` with the message in the request's language; a download is streamed
batch by batch (see loyalty.usecases.exports) and never cached.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from api.auth.authenticate import authenticate
from loyalty.clock import ensure_utc
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n import negotiate_locale, translate
from loyalty.ports import Deps
from loyalty.principal import Kind, Principal
from loyalty.tenants import Scope, Tenant
from loyalty.usecases import exports

Endpoint = Callable[[Request], Awaitable[Response]]
CSV = "text/csv; charset=utf-8"


def _refusal(code: str, status: int, locale: str) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    body = {"code": code, "message": translate(f"error.{code}", locale)}
    return JSONResponse(body, status_code=status, headers=headers)


def _bad_input(exc: DomainError, locale: str) -> Response:
    body = {
        "code": exc.code.value,
        "field": list(exc.field or ()),
        "message": translate(f"error.{exc.code.value}", locale, **exc.params),
    }
    return JSONResponse(body, status_code=400)


def _moment(request: Request, name: str) -> datetime:
    text = request.query_params.get(name)
    try:
        if text:
            return ensure_utc(datetime.fromisoformat(text))
    except ValueError:
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, (name,), detail=name)


def _download(chunks: AsyncIterator[bytes], filename: str) -> Response:
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(chunks, media_type=CSV, headers=headers)


class _Admin:
    """The checks every export makes before its first byte."""

    def __init__(self, deps: Deps, platform_key: str | None) -> None:
        self.deps = deps
        self.platform_key = platform_key

    async def principal(self, request: Request) -> Principal:
        return await authenticate(
            self.deps,
            authorization=request.headers.get("authorization"),
            tenant_header=None,
            platform_key=self.platform_key,
        )

    def refusal(self, principal: Principal, locale: str) -> Response | None:
        if principal.error is not None or principal.kind is Kind.ANONYMOUS:
            return _refusal("UNAUTHENTICATED", 401, locale)
        if principal.kind is not Kind.MERCHANT or Scope.ADMIN not in principal.scopes:
            return _refusal("FORBIDDEN", 403, locale)
        return None


def export_endpoints(deps: Deps, platform_key: str | None) -> tuple[Endpoint, Endpoint]:
    admin = _Admin(deps, platform_key)

    async def checked(request: Request) -> tuple[Tenant | None, str, Response | None]:
        principal = await admin.principal(request)
        tenant = principal.tenant
        default = tenant.program.default_locale if tenant else "en"
        locale = negotiate_locale(request.headers.get("accept-language"), default)
        return tenant, locale, admin.refusal(principal, locale)

    async def members_csv(request: Request) -> Response:
        tenant, _, refused = await checked(request)
        if refused is not None or tenant is None:
            return refused or _refusal("UNAUTHENTICATED", 401, "en")
        return _download(exports.members_csv(deps, tenant), f"{tenant.slug}-members.csv")

    async def ledger_csv(request: Request) -> Response:
        tenant, locale, refused = await checked(request)
        if refused is not None or tenant is None:
            return refused or _refusal("UNAUTHENTICATED", 401, locale)
        try:
            start, end = exports.ledger_range(_moment(request, "from"), _moment(request, "to"))
        except DomainError as exc:
            return _bad_input(exc, locale)
        chunks = exports.ledger_csv(deps, tenant, start, end, locale)
        return _download(chunks, f"{tenant.slug}-ledger.csv")

    return members_csv, ledger_csv
