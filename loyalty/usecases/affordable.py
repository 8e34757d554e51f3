""" "Reward now affordable": after a committed move that raised a member's spendable balance,
record one member event per active reward whose cost the balance just crossed.

Only that one member is looked at (no scan of all members), against the tenant's active
catalogue (cached by the repository). The event key is the reward and the ledger seq of the
entry that crossed its cost, so:
- a retried operation (replayed) sees its first entries again, hence the same key, which is a
  no-op, and covers a crash between the wallet write and the record;
- while the balance stays above the cost no later move crosses it, so nothing is re-sent;
- after the balance dropped below, the next crossing is a later entry, hence a new key, even
  when both crossings came from operations sharing one id (settlement always runs as
  "settle", and nothing remembers it as done)."""

from __future__ import annotations

from datetime import datetime

from loyalty.ledger import LedgerEntry
from loyalty.lots import view
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.ports import Applied, Deps
from loyalty.program import Program
from loyalty.rewards import Reward
from loyalty.tiers import effective_tier, tier_of


def crossed_range(entries: tuple[LedgerEntry, ...]) -> tuple[int, int] | None:
    """(balance before, balance after) of one operation when it raised the spendable balance.
    Read from the entries themselves, so a replay sees the first application's numbers."""
    if not entries:
        return None
    before = entries[0].balance_after - entries[0].balance_delta
    after = entries[-1].balance_after
    return (before, after) if after > before else None


def crossing_seq(entries: tuple[LedgerEntry, ...], cost: int) -> int:
    """The seq of the last entry that took the balance from below `cost` to `cost` or more
    (the caller knows the operation as a whole crossed it)."""
    return max(
        e.seq for e in entries if e.balance_after - e.balance_delta < cost <= e.balance_after
    )


def meets_tier(program: Program, member: Member, reward: Reward, now: datetime) -> bool:
    if reward.min_tier_id is None:
        return True
    required = tier_of(program, reward.min_tier_id)
    return effective_tier(program, member.tier, now).rank >= required.rank


def still_affordable(
    program: Program, member: Member, reward: Reward | None, now: datetime
) -> bool:
    """What the sender re-checks right before the push leaves."""
    return (
        reward is not None
        and reward.active
        and view(member.wallet, now).balance >= reward.cost
        and meets_tier(program, member, reward, now)
    )


async def announce_affordable(deps: Deps, tenant: str, applied: Applied) -> int:
    crossing = crossed_range(applied.entries)
    if crossing is None:
        return 0
    before, after = crossing
    rewards = [
        reward
        for reward in await deps.rewards.list(tenant, active_only=True)
        if before < reward.cost <= after
    ]
    if not rewards:
        return 0
    owner = await deps.tenants.get(tenant)
    if owner is None:
        return 0
    now = deps.clock.now()
    recorded = 0
    for reward in rewards:
        if not meets_tier(owner.program, applied.member, reward, now):
            continue
        event = MemberEvent(
            tenant,
            applied.member.id,
            MemberEventKind.REWARD_AFFORDABLE,
            f"{reward.id}:{crossing_seq(applied.entries, reward.cost)}",
            now,
            {"reward_id": reward.id, "cost": reward.cost},
        )
        recorded += await deps.member_events.record(event)
    return recorded
