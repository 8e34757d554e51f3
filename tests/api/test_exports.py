"""GET /export/members.csv and /export/ledger.csv: streamed CSV for Excel, admin key only."""

from __future__ import annotations

import asyncio
import csv
import io
from typing import Any

import pytest

from loyalty.usecases import exports
from tests.api.conftest import PLATFORM_KEY, Api, TenantCreds, give_points
from tests.api.members_helpers import at, profile
from tests.api.test_stats import order

JANUARY = {"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}


async def get(
    api: Api, path: str, token: str | None, params: dict[str, str] | None = None, **headers: str
) -> Any:
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return await api.client.get(path, params=params, headers=headers)


def rows(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


async def directory(api: Api, creds: TenantCreds) -> None:
    """m1 joins Jan 2nd, orders 120 on Jan 3rd; m2 (a formula as its name) joins Jan 4th and
    gets a 30-point adjustment."""
    api.clock.set(at("2026-01-02T08:00:00"))
    await profile(api, creds, "m1", displayName='سارة, "الأولى"', phone="+966501234567")
    api.clock.set(at("2026-01-03T08:00:00"))
    await order(api, creds, "m1", "A-1", "120.00")
    api.clock.set(at("2026-01-04T08:00:00"))
    await profile(api, creds, "m2", displayName='=HYPERLINK("http://x")', email="b@x.io")
    await give_points(api, creds, "m2", 30, "bonus")


async def test_members_csv_has_a_bom_the_columns_and_exact_rows(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await directory(api, acme)
    # when
    response = await get(api, "/export/members.csv", acme.admin)
    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="acme-members.csv"' in response.headers["content-disposition"]
    assert rows(response.content) == [
        list(exports.MEMBER_COLUMNS),
        ["m1", 'سارة, "الأولى"', "", "'+966501234567", "en", "2026-01-02T08:00:00+00:00",
         "base", "REGULAR", "0", "120", "120", "2026-01-03T08:00:00+00:00",
         "2026-01-03T08:00:00+00:00"],
        ["m2", "'=HYPERLINK(\"http://x\")", "b@x.io", "", "en", "2026-01-04T08:00:00+00:00",
         "base", "NEW", "30", "0", "30", "", ""],
    ]  # fmt: skip


async def test_ledger_csv_lists_the_range_with_reasons_in_the_readers_language(
    api: Api, acme: TenantCreds
) -> None:
    # given
    await directory(api, acme)
    after = {"from": "2026-01-03T12:00:00Z", "to": "2026-02-01T00:00:00Z"}
    # when
    everything = await get(api, "/export/ledger.csv", acme.admin, JANUARY)
    later = await get(api, "/export/ledger.csv", acme.admin, after)
    arabic = await get(api, "/export/ledger.csv", acme.admin, JANUARY, **{"Accept-Language": "ar"})
    # then
    assert rows(everything.content) == [
        list(exports.LEDGER_COLUMNS),
        ["2026-01-03T08:00:00+00:00", "m1", "PENDING", "120", "0", "120", "A-1",
         "Pending points for order A-1"],
        ["2026-01-04T08:00:00+00:00", "m2", "ADJUST", "30", "30", "0", "", "test"],
    ]  # fmt: skip
    assert [r[:4] for r in rows(later.content)[1:]] == [
        ["2026-01-04T08:00:00+00:00", "m2", "ADJUST", "30"]
    ]
    order_reason = rows(arabic.content)[1][7]
    assert "A-1" in order_reason and any("\u0600" <= ch <= "\u06ff" for ch in order_reason)


async def test_a_large_export_is_streamed_batch_by_batch(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 5 members and batches of 2
    for i in range(5):
        await profile(api, acme, f"m{i}", displayName=f"Member {i}")
    monkeypatch.setattr(exports, "EXPORT_BATCH", 2)
    chunks: list[bytes] = []

    requested = False
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        # The request once, then (as a server would) a disconnect only after the response.
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    scope = {
        "type": "http", "method": "GET", "path": "/export/members.csv", "raw_path": b"",
        "query_string": b"", "root_path": "", "scheme": "http", "server": ("test", 80),
        "headers": [(b"authorization", f"Bearer {acme.admin}".encode())],
    }  # fmt: skip
    # when
    await api.app(scope, receive, send)
    # then: the header, then one chunk per batch (2 + 2 + 1 members)
    assert len(chunks) == 4
    assert [len(rows(chunks[0])) - 1, *(c.count(b"\r\n") for c in chunks[1:])] == [0, 2, 2, 1]
    assert len(rows(b"".join(chunks))) == 6


async def test_each_tenant_exports_only_its_own_members_and_ledger(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given
    await directory(api, acme)
    await profile(api, globex, "g1", displayName="Globex member")
    await give_points(api, globex, "g1", 5, "g")
    # when
    members = rows((await get(api, "/export/members.csv", globex.admin)).content)
    ledger = rows((await get(api, "/export/ledger.csv", globex.admin, JANUARY)).content)
    # then
    assert [r[0] for r in members[1:]] == ["g1"]
    assert [r[1] for r in ledger[1:]] == ["g1"]


async def test_only_an_admin_key_may_export(api: Api, acme: TenantCreds) -> None:
    # given
    await profile(api, acme, "m1", displayName="Sara")
    callers = {
        None: 401,
        "lk_not_a_real_key": 401,
        acme.events: 403,
        acme.member_token(api, "m1"): 403,
        PLATFORM_KEY: 403,
    }
    for path in ("/export/members.csv", "/export/ledger.csv"):
        for token, status in callers.items():
            # when
            response = await get(api, path, token, JANUARY)
            # then
            assert response.status_code == status, (path, token)
            code = "UNAUTHENTICATED" if status == 401 else "FORBIDDEN"
            assert response.json()["code"] == code
            assert "Member" not in response.text


@pytest.mark.parametrize(
    ("params", "code", "field"),
    [
        ({"to": "2026-02-01T00:00:00Z"}, "INVALID_INPUT", ["from"]),
        ({"from": "2026-01-01T00:00:00Z", "to": "soon"}, "INVALID_INPUT", ["to"]),
        ({"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "INVALID_RANGE", ["to"]),
        ({"from": "2025-01-01T00:00:00Z", "to": "2026-01-03T00:00:00Z"}, "RANGE_TOO_LONG", ["to"]),
    ],
)
async def test_a_bad_range_is_a_coded_400_in_the_readers_language(
    api: Api, acme: TenantCreds, params: dict[str, str], code: str, field: list[str]
) -> None:
    # when
    response = await get(api, "/export/ledger.csv", acme.admin, params, **{"Accept-Language": "ar"})
    # then
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert any("\u0600" <= ch <= "\u06ff" for ch in body["message"])
