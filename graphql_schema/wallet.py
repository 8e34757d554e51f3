"""The wallet and its ledger as the shopper and the merchant read them."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry

from graphql_schema.common import PageInfo, decode_key_cursor, encode_key_cursor, page_size
from graphql_schema.context import Info
from graphql_schema.node import Node, global_id
from graphql_schema.transaction_types import TransactionType, public_type
from loyalty import ledger as domain
from loyalty import lots as wallet_rules
from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.render import MessageContext
from loyalty.members import Member as DomainMember
from loyalty.program_texts import message_context

strawberry.enum(domain.TransactionType, name="TransactionKind")
MAX_EXPIRING_DAYS = 366
HISTORY_CURSOR = "tx"


def _history_key(cursor: str | None) -> domain.HistoryKey | None:
    values = decode_key_cursor(HISTORY_CURSOR, cursor, 2)
    if values is None:
        return None
    at, seq = values
    if not isinstance(at, datetime) or not isinstance(seq, int):
        raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")
    return domain.HistoryKey(at, seq)


@strawberry.type
class ExpiringPoints:
    points: int
    expires_at: datetime


@strawberry.type
class PointsTransaction(Node):
    _entry: strawberry.Private[domain.LedgerEntry]
    _locale: strawberry.Private[str]
    _member: strawberry.Private[DomainMember]
    _context: strawberry.Private[MessageContext | None] = None

    @strawberry.field(description="Global id (Node): the member's ledger entry.")
    def id(self, info: Info) -> strawberry.ID:
        key = f"{self._member.id}:{self._entry.seq}"
        return global_id("PointsTransaction", self._member.tenant, key)

    @strawberry.field(
        description="The contract's types: gifts and donations read TRANSFER, signed by points."
    )
    def type(self) -> TransactionType:
        return public_type(self._entry.type)

    @strawberry.field(description="The ledger's own type (TRANSFER_OUT, TRANSFER_IN, DONATE, ...).")
    def kind(self) -> domain.TransactionType:
        return self._entry.type

    @strawberry.field
    def points(self) -> int:
        return self._entry.points

    @strawberry.field(description="Spendable balance right after this movement.")
    def balance_after(self) -> int:
        return self._entry.balance_after

    @strawberry.field(description="Pending balance right after this movement.")
    def pending_after(self) -> int:
        return self._entry.pending_after

    @strawberry.field(description="Points that a refund could not take back (already spent).")
    def shortfall(self) -> int:
        return self._entry.shortfall

    @strawberry.field
    def reason(self) -> str | None:
        entry = self._entry
        return domain.describe(entry.reason, self._locale, self._context, kind=entry.type)

    @strawberry.field
    def order_id(self) -> strawberry.ID | None:
        return None if self._entry.order_id is None else strawberry.ID(self._entry.order_id)

    @strawberry.field(
        description="When the points moved: an order's placedAt for its points, a refund's or "
        "redemption's time, the moment a lot was released or expired."
    )
    def created_at(self) -> datetime:
        return self._entry.created_at


@strawberry.type
class PointsTransactionEdge:
    cursor: str
    node: PointsTransaction


@strawberry.type
class PointsTransactionConnection:
    edges: list[PointsTransactionEdge]
    page_info: PageInfo


@strawberry.type
class Wallet:
    _member: strawberry.Private[DomainMember]
    _now: strawberry.Private[datetime]

    @strawberry.field(description="Spendable now: expired and pending points excluded.")
    def balance(self) -> int:
        return wallet_rules.view(self._member.wallet, self._now).balance

    @strawberry.field(description="Earned, still inside the return window.")
    def pending_balance(self) -> int:
        return wallet_rules.view(self._member.wallet, self._now).pending

    @strawberry.field
    def lifetime_earned(self) -> int:
        return self._member.wallet.lifetime_earned

    @strawberry.field(description="Points expiring within the window, soonest first.")
    def expiring_soon(self, within_days: int | None = 30) -> list[ExpiringPoints]:
        days = max(0, min(30 if within_days is None else within_days, MAX_EXPIRING_DAYS))
        groups = wallet_rules.expiring(
            self._member.wallet, self._now, self._now + timedelta(days=days)
        )
        return [ExpiringPoints(points=p, expires_at=at) for at, p in groups]

    @strawberry.field(
        description="Newest first by the date the points moved (createdAt: an order's "
        "placedAt for its points, the moment a lot was released or expired), then by the "
        "order they were applied in."
    )
    async def transactions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> PointsTransactionConnection:
        scope = info.context.scope
        limit = page_size(first)
        context = None if scope.tenant is None else message_context(scope.tenant.program)
        entries = await scope.deps.members.history_page(
            self._member.tenant, self._member.id, _history_key(after), limit + 1
        )
        edges = [
            PointsTransactionEdge(
                cursor=encode_key_cursor(HISTORY_CURSOR, [e.created_at, e.seq]),
                node=PointsTransaction(
                    _entry=e, _locale=scope.locale, _member=self._member, _context=context
                ),
            )
            for e in entries[:limit]
        ]
        return PointsTransactionConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=len(entries) > limit,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
