"""The birthday gift: the program's setting, and the daily job that pays it.

Once a local day (the program's time zone) the job looks up the members born on that day (29
February counts on 28 February in other years) and gives each the gift under an id naming the
year, so a rerun, a second worker or a retry after a crash never pays twice. Days the job
missed (the worker was down) are caught up, at most a week back. The member is told by a
push, through the member event log like tier news."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from loyalty.birthdays import BirthdayReward, month_days_on
from loyalty.errors import DomainError, ErrorCode
from loyalty.ledger import Reason, TransactionType
from loyalty.member_events import MemberEvent, MemberEventKind
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.rewards import Redemption, RedemptionStatus, coupon_code
from loyalty.tenants import Tenant
from loyalty.usecases.moves import grant
from loyalty.wallet import MAX_POINTS_PER_OPERATION

JOB = "birthdays"
CATCH_UP_DAYS = 7
PAGE = 500
FIELD = ("input", "birthdayReward")


async def check_birthday_reward(deps: Deps, tenant: Tenant, gift: BirthdayReward) -> BirthdayReward:
    """Points or a coupon, not both and not neither; the reward must exist."""
    if (gift.points is None) == (gift.reward_id is None):
        raise DomainError(ErrorCode.INVALID_INPUT, FIELD, detail="birthdayReward")
    if gift.points is not None and not 1 <= gift.points <= MAX_POINTS_PER_OPERATION:
        raise DomainError(
            ErrorCode.OUT_OF_RANGE, (*FIELD, "points"), min=1, max=MAX_POINTS_PER_OPERATION
        )
    if gift.reward_id is not None and await deps.rewards.get(tenant.slug, gift.reward_id) is None:
        raise DomainError(ErrorCode.REWARD_NOT_FOUND, (*FIELD, "rewardId"))
    return gift


def _days_due(last_done: datetime | None, today: date) -> list[date]:
    if last_done is None:
        return [today]
    start = max(last_done.date() + timedelta(days=1), today - timedelta(days=CATCH_UP_DAYS - 1))
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


async def pay_birthdays(deps: Deps, tenant: Tenant) -> int:
    """Gifts given by this run (0 when today was done already)."""
    gift = tenant.program.birthday_reward
    if gift is None:
        return 0
    today = deps.clock.now().astimezone(tenant.program.zone()).date()
    paid = 0
    for day in _days_due(await deps.cursors.get(tenant.slug, JOB), today):
        paid += await _pay_day(deps, tenant, gift, day)
        # The mark is the local day done, kept as midnight UTC of that date.
        await deps.cursors.set(tenant.slug, JOB, datetime(day.year, day.month, day.day, tzinfo=UTC))
    return paid


async def _pay_day(deps: Deps, tenant: Tenant, gift: BirthdayReward, day: date) -> int:
    paid = 0
    after: str | None = None
    while True:
        page = await deps.audiences.born_on(tenant.slug, month_days_on(day), after, PAGE)
        for member in page:
            paid += int(await give(deps, tenant, gift, member, day.year))
        if len(page) < PAGE:
            return paid
        after = page[-1].id


async def give(deps: Deps, tenant: Tenant, gift: BirthdayReward, member: Member, year: int) -> bool:
    """The gift of `year`, at most once; False when there was nothing to give (the reward is
    gone or inactive)."""
    op_id = f"birthday:{member.id}:{year}"
    now = deps.clock.now()
    data: dict[str, str | int | None]
    if gift.points is not None:
        await grant(
            deps,
            tenant,
            member.id,
            op_id=op_id,
            points=gift.points,
            type_=TransactionType.EARN,
            reason=Reason("reason.birthday"),
            at=now,
        )
        data = {"points": gift.points}
    else:
        reward = await deps.rewards.get(tenant.slug, gift.reward_id or "")
        if reward is None or not reward.active:
            return False
        candidate = Redemption(
            id="rd_" + secrets.token_hex(8),
            tenant=tenant.slug,
            member_id=member.id,
            reward_id=reward.id,
            reward_name=reward.name,
            coupon_code=coupon_code(tenant.slug),
            points_spent=0,  # a gift: no points taken, nothing for the sweeper to settle
            status=RedemptionStatus.RESERVED,
            created_at=now,
            expires_at=now
            + timedelta(days=reward.coupon_valid_days or tenant.program.coupon_valid_days),
            op_id=op_id,
            attempt=1,
            reserved_at=now,
            min_order_total=reward.limits.min_order_total,
        )
        # One coupon per operation id (unique): a rerun finds the first and issues it.
        coupon = await deps.redemptions.reserve(candidate)
        await deps.redemptions.issue(tenant.slug, coupon.id)
        data = {"reward_id": reward.id}
    event = MemberEvent(tenant.slug, member.id, MemberEventKind.BIRTHDAY, str(year), now, data)
    await deps.member_events.record(event)
    return True
