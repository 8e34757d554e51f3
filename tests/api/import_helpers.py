"""Helpers for importMembers: the multipart upload of a CSV file."""

from __future__ import annotations

import json
from typing import Any

from tests.api.conftest import Api

IMPORT = """
mutation($file: Upload!, $dryRun: Boolean) { importMembers(file: $file, dryRun: $dryRun) {
  job { id kind status total done failed }
  rowsOk rowsRefused problems { line column code message }
  userErrors { code field message } } }
"""


async def upload_csv(
    api: Api, token: str, data: bytes, *, dry_run: bool | None = True, locale: str = "en"
) -> dict[str, Any]:
    operations = {"query": IMPORT, "variables": {"file": None, "dryRun": dry_run}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("members.csv", data, "text/csv")},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": locale},
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["importMembers"]
    return payload


def csv_text(*lines: str, newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode("utf-8")


async def counts(api: Api) -> dict[str, int]:
    """What an import may write: members, ledger entries, jobs, staged rows, orders."""
    assert api.database is not None
    db = api.database.db
    names = ("members", "ledger", "bulk_jobs", "import_rows", "orders")
    return {name: await db[name].count_documents({}) for name in names}
