"""Recording what outbound webhooks announce, after the write it announces has succeeded.

Each announcement is a member event with a key derived from what it announces (a ledger entry's
seq, a coupon's id), so recording it again (a retry, a sweeper finishing a crashed request) is
a no-op. Nothing is recorded unless some live endpoint of the tenant wants that event: the
check is one cached read (see WebhookEndpointRepository.subscribed)."""

from __future__ import annotations

from collections.abc import Mapping

from loyalty.ledger import LedgerEntry, TransactionType
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.ports import Applied, Deps
from loyalty.rewards import Redemption, Reward
from loyalty.webhooks import SOURCES

POINT_KINDS: dict[TransactionType, MemberEventKind] = {
    TransactionType.EARN: MemberEventKind.POINTS_EARNED,
    TransactionType.PENDING: MemberEventKind.POINTS_EARNED,
    TransactionType.REDEEM: MemberEventKind.POINTS_REDEEMED,
    TransactionType.EXPIRE: MemberEventKind.POINTS_EXPIRED,
    TransactionType.ADJUST: MemberEventKind.POINTS_ADJUSTED,
}

Data = Mapping[str, str | int | None]


async def _record(
    deps: Deps, tenant: str, member: Member | str, kind: MemberEventKind, key: str, data: Data
) -> None:
    if SOURCES[kind] not in await deps.webhook_endpoints.subscribed(tenant):
        return
    member_id = member if isinstance(member, str) else member.id
    payload = dict(data)
    if not isinstance(member, str):
        payload["externalId"] = member.external_id
    await deps.member_events.record(
        MemberEvent(tenant, member_id, kind, key, deps.clock.now(), payload)
    )


def _point_kind(entry: LedgerEntry) -> MemberEventKind | None:
    if entry.type is TransactionType.REDEEM and entry.points > 0:
        return None  # a coupon's points given back: COUPON_CANCELLED says so
    return POINT_KINDS.get(entry.type)


async def announce_points(deps: Deps, tenant: str, applied: Applied) -> None:
    """Every ledger entry of a wallet change that a webhook event stands for."""
    for entry in applied.entries:
        kind = _point_kind(entry)
        if kind is None:
            continue
        data: dict[str, str | int | None] = {
            "points": entry.points,
            "balanceAfter": entry.balance_after,
            "pendingAfter": entry.pending_after,
            "transactionType": entry.type.value,
            "orderId": entry.order_id,
            "occurredAt": entry.created_at.isoformat(),
        }
        await _record(deps, tenant, applied.member, kind, f"seq{entry.seq}", data)


async def announce_enrolled(deps: Deps, member: Member) -> None:
    data = {"joinedAt": member.joined_at.isoformat(), "locale": member.locale}
    await _record(deps, member.tenant, member, MemberEventKind.MEMBER_ENROLLED, "joined", data)


def _coupon_data(redemption: Redemption, reward: Reward | None) -> dict[str, str | int | None]:
    return {
        "couponCode": redemption.coupon_code,
        "rewardId": redemption.reward_id,
        "rewardName": redemption.reward_name.en or redemption.reward_name.ar,
        "rewardKind": None if reward is None else reward.kind.value,
        "rewardValue": None if reward is None or reward.value is None else str(reward.value),
        "pointsSpent": redemption.points_spent,
        "expiresAt": None if redemption.expires_at is None else redemption.expires_at.isoformat(),
    }


async def _coupon_event(
    deps: Deps,
    tenant: str,
    redemption: Redemption,
    kind: MemberEventKind,
    extra: Data,
    member: Member | None = None,
    reward: Reward | None = None,
) -> None:
    if SOURCES[kind] not in await deps.webhook_endpoints.subscribed(tenant):
        return
    owner = member or await deps.members.get(tenant, redemption.member_id)
    kind_of = reward or await deps.rewards.get(tenant, redemption.reward_id)
    data = {**_coupon_data(redemption, kind_of), **extra}
    await _record(deps, tenant, owner or redemption.member_id, kind, redemption.id, data)


async def announce_redeemed(
    deps: Deps,
    tenant: str,
    redemption: Redemption,
    member: Member | None = None,
    reward: Reward | None = None,
) -> None:
    """REWARD_REDEEMED carries what the merchant's checkout needs to create the coupon."""
    await _coupon_event(
        deps, tenant, redemption, MemberEventKind.REWARD_REDEEMED, {}, member, reward
    )


async def announce_consumed(deps: Deps, tenant: str, redemption: Redemption) -> None:
    extra = {"orderId": redemption.used_order_id}
    await _coupon_event(deps, tenant, redemption, MemberEventKind.COUPON_CONSUMED, extra)


async def announce_cancelled(deps: Deps, tenant: str, redemption: Redemption) -> None:
    """Cancelled by its owner or the merchant, or expired unused: either way the store must
    stop accepting it, and its points went back."""
    extra = {"status": redemption.status.value, "pointsReturned": redemption.points_spent}
    await _coupon_event(deps, tenant, redemption, MemberEventKind.COUPON_CANCELLED, extra)
