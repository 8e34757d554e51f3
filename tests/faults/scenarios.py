"""The mutations that move points or issue something, each with the state it starts from.

A scenario's `setup` runs once on a clean database; the harness copies the resulting documents
into a fresh database before every run, so every run (clean or faulted) starts from the same
state with the same ids. `call` is what one client request (or one scheduler tick) does, from
the lookup of the member to the answer; it is called twice with the same input when the
first call fails.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from loyalty.badges import Badge, BadgeRule
from loyalty.clock import FrozenClock
from loyalty.engagement_settings import ReferralPolicy, VipTrialOffer
from loyalty.members import Member
from loyalty.ports import Deps
from loyalty.program import ActivityType, EarningRule, EarningRuleKind, LimitPeriod, Tier
from loyalty.program import LocalizedText as Text
from loyalty.rewards import Reward, RewardKind
from loyalty.tenants import Tenant
from loyalty.usecases import (
    adjustments,
    members,
    order_refunds,
    orders,
    redemptions,
    referrals,
    rewards,
    settlement,
    tenants,
    trials,
)
from loyalty.usecases.activities import record_activity

SLUG = "acme"

Setup = Callable[[Deps, FrozenClock], Awaitable[None]]
Given = dict[str, str]
Prepare = Callable[[Deps, Tenant], Awaitable[Given]]
Call = Callable[[Deps, Tenant, Given], Awaitable[object]]


async def nothing(deps: Deps, tenant: Tenant) -> Given:
    return {}


@dataclass(frozen=True)
class Scenario:
    """`prepare` reads what the client already knows (a coupon code), outside the count."""

    name: str
    setup: Setup
    call: Call
    prepare: Prepare = nothing


RULES = (
    EarningRule(
        "signup",
        EarningRuleKind.ACTIVITY,
        activity=ActivityType.SIGNUP,
        points=50,
        limit=1,
        period=LimitPeriod.LIFETIME,
    ),
    EarningRule(
        "review",
        EarningRuleKind.ACTIVITY,
        activity=ActivityType.PRODUCT_REVIEW,
        points=20,
        limit=3,
        period=LimitPeriod.DAY,
    ),
)
GOLD = Tier("gold", Text(en="Gold"), rank=1, threshold=Decimal(500), earn_multiplier=Decimal(2))


async def _tenant(deps: Deps, *, pending_days: int = 14, expiry_months: int = 12) -> Tenant:
    """Everything a mutation can trigger is switched on: the signup and review rules (capped),
    a tier, a VIP trial offer, referral payouts, badges with bonuses and two rewards (so that
    points crossing a cost record a 'reward now affordable' event)."""
    created = await tenants.create_tenant(
        deps, slug=SLUG, name="Acme", currency="SAR", default_locale="en"
    )
    program = replace(
        created.tenant.program,
        pending_days=pending_days,
        expiry_months=expiry_months,
        earning_rules=RULES,
        tiers=(GOLD,),
        vip_trial_offer=VipTrialOffer(tier_id="gold", days=30, min_orders=1),
        referral=ReferralPolicy(referrer_points=100, referee_points=40),
    )
    await deps.tenants.save_program(SLUG, program)
    now = deps.clock.now()
    for badge_id, rule, bonus in (
        ("b_first", BadgeRule.FIRST_ORDER, 25),
        ("b_review", BadgeRule.REVIEW_COUNT, 15),
        ("b_referrer", BadgeRule.REFERRAL_COUNT, 35),
    ):
        await deps.badges.save(
            SLUG, Badge(badge_id, Text(en=badge_id), rule, 1, now, bonus_points=bonus)
        )
    for reward_id, cost in (("rw_coffee", 30), ("rw_lunch", 60)):
        await deps.rewards.save(
            SLUG,
            Reward(
                reward_id,
                Text(en=reward_id),
                Text(),
                cost,
                RewardKind.FREE_PRODUCT,
                None,
                None,
                True,
                None,
                now,
            ),
        )
    return replace(created.tenant, program=program)


async def _member(deps: Deps, tenant: Tenant, external_id: str) -> Member:
    """What authenticating the member's token reads."""
    return await members.require_member(deps, tenant, external_id, ("token",))


async def _order(deps: Deps, tenant: Tenant, member: str, order_id: str, total: str) -> None:
    await orders.record_order(
        deps,
        tenant,
        member_external_id=member,
        order_id=order_id,
        total=total,
        currency="SAR",
        items=None,
        placed_at=None,
    )


async def _adjust(deps: Deps, tenant: Tenant, member: str, points: int, key: str) -> None:
    await adjustments.adjust_points(
        deps, tenant, member_external_id=member, points=points, reason="setup", idempotency_key=key
    )


# --- setups ------------------------------------------------------------------------------


async def just_the_program(deps: Deps, clock: FrozenClock) -> None:
    await _tenant(deps)


async def alice(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "alice")


async def alice_with_points(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "alice")
    await _adjust(deps, tenant, "alice", 100, "setup-credit")


async def alice_ordered(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps, pending_days=0)
    await members.enrol(deps, tenant, "alice")
    await _order(deps, tenant, "alice", "o-1", "600.00")


async def alice_ordered_pending(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "alice")
    await _order(deps, tenant, "alice", "o-1", "120.00")


async def alice_and_bob(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "alice")
    await members.enrol(deps, tenant, "bob")


async def bob_referred_paying_now(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps, pending_days=0)
    referrer = await members.enrol(deps, tenant, "alice")
    bob = await members.enrol(deps, tenant, "bob")
    await referrals.apply_referral_code(deps, tenant, bob, referrer.referral_code)


async def bob_referred_and_ordered(deps: Deps, clock: FrozenClock) -> None:
    """Bob's first order is still inside its return window; the job runs after it."""
    tenant = await _tenant(deps)
    referrer = await members.enrol(deps, tenant, "alice")
    bob = await members.enrol(deps, tenant, "bob")
    await referrals.apply_referral_code(deps, tenant, bob, referrer.referral_code)
    await _order(deps, tenant, "bob", "o-7", "90.00")
    clock.advance(timedelta(days=15))


async def alice_redeemed(deps: Deps, clock: FrozenClock) -> None:
    tenant = await _tenant(deps)
    await members.enrol(deps, tenant, "alice")
    await _adjust(deps, tenant, "alice", 100, "setup-credit")
    member = await _member(deps, tenant, "alice")
    await redemptions.redeem_reward(
        deps, tenant, member, reward_id="rw_coffee", idempotency_key="setup-redeem"
    )


async def wallet_due(deps: Deps, clock: FrozenClock) -> None:
    """The signup points expire and the order's pending points are released, both due."""
    tenant = await _tenant(deps, pending_days=14, expiry_months=1)
    await members.enrol(deps, tenant, "alice")
    clock.advance(timedelta(days=20))
    await _order(deps, tenant, "alice", "o-1", "80.00")
    clock.advance(timedelta(days=20))


# --- calls ---------------------------------------------------------------------------------


async def enrol_with_signup_bonus(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await members.enrol(deps, tenant, "newcomer", display_name="New")


async def record_order_pending(deps: Deps, tenant: Tenant, given: Given) -> object:
    """Pending points, a tier upgrade, the first-order badge bonus, an affordable reward."""
    return await orders.record_order(
        deps,
        tenant,
        member_external_id="alice",
        order_id="o-9",
        total="600.00",
        currency="SAR",
        items=None,
        placed_at=None,
    )


async def record_order_paying_referral(deps: Deps, tenant: Tenant, given: Given) -> object:
    """No return window: the referee's first order pays both sides and the referrer's badge."""
    return await orders.record_order(
        deps,
        tenant,
        member_external_id="bob",
        order_id="o-8",
        total="90.00",
        currency="SAR",
        items=None,
        placed_at=None,
    )


async def refund_part(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await order_refunds.refund_order(
        deps, tenant, order_id="o-1", amount="200.00", idempotency_key="rf-1"
    )


async def refund_pending_in_full(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await order_refunds.refund_order(
        deps, tenant, order_id="o-1", amount=None, idempotency_key="rf-2"
    )


async def adjust_credit(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await adjustments.adjust_points(
        deps,
        tenant,
        member_external_id="alice",
        points=70,
        reason="goodwill",
        idempotency_key="adj-1",
    )


async def adjust_debit(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await adjustments.adjust_points(
        deps,
        tenant,
        member_external_id="alice",
        points=-20,
        reason="correction",
        idempotency_key="adj-2",
    )


async def redeem(deps: Deps, tenant: Tenant, given: Given) -> object:
    member = await _member(deps, tenant, "alice")
    return await redemptions.redeem_reward(
        deps, tenant, member, reward_id="rw_coffee", idempotency_key="rd-1"
    )


async def the_coupon(deps: Deps, tenant: Tenant) -> Given:
    member = await _member(deps, tenant, "alice")
    issued = await redemptions.redeem_reward(
        deps, tenant, member, reward_id="rw_coffee", idempotency_key="setup-redeem"
    )
    return {"code": issued.redemption.coupon_code}


async def consume(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await rewards.consume_coupon(deps, tenant, code=given["code"], order_id="checkout-1")


async def review(deps: Deps, tenant: Tenant, given: Given) -> object:
    member = await _member(deps, tenant, "alice")
    return await record_activity(
        deps, tenant, member, ActivityType.PRODUCT_REVIEW, "sku-1", None, None
    )


async def apply_code(deps: Deps, tenant: Tenant, given: Given) -> object:
    bob = await _member(deps, tenant, "bob")
    referrer = await _member(deps, tenant, "alice")
    return await referrals.apply_referral_code(deps, tenant, bob, referrer.referral_code)


async def referral_job(deps: Deps, tenant: Tenant, given: Given) -> object:
    await referrals.settle_due_referrals(deps, tenant)
    return None  # a job's count depends on what an earlier attempt did: state is compared


async def settlement_job(deps: Deps, tenant: Tenant, given: Given) -> object:
    await settlement.settle_due_wallets(deps, tenant.slug)
    return None


async def claim_trial(deps: Deps, tenant: Tenant, given: Given) -> object:
    member = await _member(deps, tenant, "alice")
    return await trials.claim_vip_trial(deps, tenant, member)


async def grant_trial(deps: Deps, tenant: Tenant, given: Given) -> object:
    return await trials.grant_vip_trial(
        deps, tenant, member_external_id="alice", tier_id="gold", days=7
    )


SCENARIOS = (
    Scenario("enrolMember+signupBonus", just_the_program, enrol_with_signup_bonus),
    Scenario("recordOrder+tier+badge", alice, record_order_pending),
    Scenario("recordOrder+referralPayout", bob_referred_paying_now, record_order_paying_referral),
    Scenario("refundOrder(part)", alice_ordered, refund_part),
    Scenario("refundOrder(pending,full)", alice_ordered_pending, refund_pending_in_full),
    Scenario("adjustPoints(credit)", alice, adjust_credit),
    Scenario("adjustPoints(debit)", alice, adjust_debit),
    Scenario("redeemReward", alice_with_points, redeem),
    Scenario("consumeCoupon", alice_redeemed, consume, the_coupon),
    Scenario("recordActivity+badge", alice, review),
    Scenario("applyReferralCode", alice_and_bob, apply_code),
    Scenario("job:referralSettlement", bob_referred_and_ordered, referral_job),
    Scenario("job:walletSettlement", wallet_due, settlement_job),
    Scenario("claimVipTrial", alice_ordered_pending, claim_trial),
    Scenario("grantVipTrial", alice, grant_trial),
)
