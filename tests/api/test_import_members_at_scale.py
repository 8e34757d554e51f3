"""importMembers with 100,000 rows: the upload streams through the app, is checked row by row
without being read whole, and a real run stages every row for one job (slow marker)."""

from __future__ import annotations

import tempfile
import tracemalloc
from typing import IO

import pytest

from graphql_schema.uploads import UploadedText
from loyalty.ports import Deps
from loyalty.usecases.imports import import_members
from tests.api.bulk_helpers import tenant
from tests.api.conftest import Api, TenantCreds
from tests.api.import_helpers import upload_csv

ROWS = 100_000
HEADER = "external_id,name,phone,joined_at,points,lot1_points,lot1_earned_at,lot1_expires_at\r\n"


def row(i: int) -> str:
    points = i % 500
    return (
        f'c{i},"العتيبي، سارة {i}",05{i:08d},2023-02-01,{points},{points},2025-06-01,2026-06-01\r\n'
    )


class _Upload:
    def __init__(self, file: IO[bytes]) -> None:
        self.file = file


@pytest.mark.slow
async def test_a_100000_row_file_is_checked_row_by_row(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    with tempfile.TemporaryFile() as file:
        file.write(b"\xef\xbb\xbf" + HEADER.encode())
        for i in range(ROWS):
            file.write(row(i).encode())
        size = file.tell()
        # when the file is checked, watching what the check allocates
        tracemalloc.start()
        report = await import_members(
            deps, await tenant(deps, "acme"), UploadedText(_Upload(file)), dry_run=True
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    # then every row is accepted, and the check never held the file: it keeps one row and
    # the ids seen so far (8 bytes each, for duplicates), well under the file's size
    assert (report.rows_ok, report.rows_refused, report.problems) == (ROWS, 0, ())
    assert size > 9_000_000
    assert peak < size * 0.7, (peak, size)


@pytest.mark.slow
async def test_a_100000_row_upload_is_staged_as_one_job(
    api: Api, acme: TenantCreds, deps: Deps
) -> None:
    data = b"\xef\xbb\xbf" + HEADER.encode() + "".join(row(i) for i in range(ROWS)).encode()
    # when the file is uploaded for a real run, twice
    first = await upload_csv(api, acme.admin, data, dry_run=False)
    again = await upload_csv(api, acme.admin, data, dry_run=False)
    # then one job holds every row, once
    assert (first["rowsOk"], first["rowsRefused"], first["problems"]) == (ROWS, 0, [])
    assert first["job"]["total"] == ROWS and first["job"]["status"] == "QUEUED"
    assert again["job"]["id"] == first["job"]["id"]
    assert api.database is not None
    assert await api.database.db["import_rows"].count_documents({"tenant": "acme"}) == ROWS
