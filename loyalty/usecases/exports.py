"""CSV exports of the members and of the ledger, produced batch by batch.

Each function is an async generator of UTF-8 chunks: the header first, then one chunk per
batch the store reads. Arguments are checked before the first chunk, so a bad range is an
error response rather than a broken download.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from loyalty import lots
from loyalty.csv_export import LEDGER_COLUMNS, MEMBER_COLUMNS, csv_text
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import describe
from loyalty.ports import Deps
from loyalty.program_texts import message_context
from loyalty.tenants import Tenant

EXPORT_BATCH = 500
MAX_LEDGER_DAYS = 366


def ledger_range(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    if end <= start:
        raise DomainError(ErrorCode.INVALID_RANGE, ("to",))
    if end - start > timedelta(days=MAX_LEDGER_DAYS):
        raise DomainError(ErrorCode.RANGE_TOO_LONG, ("to",), max=MAX_LEDGER_DAYS)
    return start, end


async def members_csv(deps: Deps, tenant: Tenant) -> AsyncIterator[bytes]:
    # One moment for the whole file: balances are as of the request, not of each batch.
    now = deps.clock.now()
    yield csv_text([], header=MEMBER_COLUMNS).encode()
    async for batch in deps.exports.member_batches(tenant.slug, EXPORT_BATCH):
        rows = []
        for m in batch:
            view = lots.view(m.wallet, now)
            rows.append(
                (
                    m.external_id,
                    m.display_name,
                    m.email,
                    m.phone,
                    m.locale,
                    m.joined_at,
                    m.tier.tier_id,
                    m.segment.value,
                    view.balance,
                    view.pending,
                    view.lifetime_earned,
                    m.first_order_at,
                    m.last_order_at,
                )
            )
        yield csv_text(rows).encode()


async def ledger_csv(
    deps: Deps, tenant: Tenant, start: datetime, end: datetime, locale: str
) -> AsyncIterator[bytes]:
    yield csv_text([], header=LEDGER_COLUMNS).encode()
    context = message_context(tenant.program)
    async for batch in deps.exports.ledger_batches(tenant.slug, start, end, EXPORT_BATCH):
        rows = [
            (
                line.entry.created_at,
                line.member_external_id,
                line.entry.type.value,
                line.entry.points,
                line.entry.balance_after,
                line.entry.pending_after,
                line.entry.order_id,
                describe(line.entry.reason, locale, context, kind=line.entry.type),
            )
            for line in batch
        ]
        yield csv_text(rows).encode()
