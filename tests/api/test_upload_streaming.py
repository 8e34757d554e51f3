"""Multipart uploads are streamed, not buffered: the cap is counted as the parser reads, so a
body sent without a length (chunked) is refused once it passes the cap."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from api import http_transport
from tests.api.conftest import Api, TenantCreds
from tests.api.import_helpers import counts

BOUNDARY = "h12bulkboundary"


def multipart(file_size: int) -> list[bytes]:
    operations = {
        "query": "mutation($f: Upload!) { importMembers(file: $f, dryRun: false) { rowsOk } }",
        "variables": {"f": None},
    }
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        f"{json.dumps(operations)}\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n'
        f"{json.dumps({'0': ['variables.f']})}\r\n"
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="m.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nexternal_id,points\r\n"
    ).encode()
    rows = b"".join(f"c{i},5\r\n".encode() for i in range(file_size // 10))
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return [head, *(rows[i : i + 8192] for i in range(0, len(rows), 8192)), tail]


async def chunked(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def post(api: Api, creds: TenantCreds, parts: list[bytes]) -> tuple[int, dict[str, object]]:
    response = await api.client.post(
        "/graphql",
        content=chunked(parts),
        headers={
            "Authorization": f"Bearer {creds.admin}",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )
    return response.status_code, response.json()


async def test_a_chunked_upload_past_the_cap_is_413_and_nothing_is_imported(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cap of 64 KiB
    monkeypatch.setattr(http_transport, "MAX_MULTIPART_BODY", 64 * 1024)
    before = await counts(api)
    # when 200 KiB arrive without a Content-Length
    status, body = await post(api, acme, multipart(200 * 1024))
    # then
    assert status == 413
    assert body["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"  # type: ignore[index]
    assert await counts(api) == before


async def test_a_chunked_upload_under_the_cap_is_read(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http_transport, "MAX_MULTIPART_BODY", 64 * 1024)
    status, body = await post(api, acme, multipart(20 * 1024))
    assert status == 200
    assert body["data"] == {"importMembers": {"rowsOk": 2048}}
