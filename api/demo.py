"""Seeds the demo tenant: a year of orders (some pending, some expiring soon, some expired),
activities, rewards and a redemption, tiers, badges and a referral, for the embedded store."""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from api.auth.member_tokens import issue_member_token
from api.demo_engagement import seed_engagement
from loyalty.clock import FrozenClock
from loyalty.ports import Deps
from loyalty.program import ActivityType, EarningRuleKind, LimitPeriod, LocalizedText
from loyalty.rewards import RewardKind
from loyalty.tenants import Tenant
from loyalty.usecases import (
    adjustments,
    icons,
    members,
    orders,
    program,
    redemptions,
    rewards,
    tenants,
    theme,
)
from loyalty.usecases.activities import record_activity
from loyalty.usecases.referrals import apply_referral_code

SHOPPERS = [
    ("c-1001", "أحمد الكعبي"),
    ("c-1002", "Sara Haddad"),
    ("c-1003", "محمد العتيبي"),
    ("c-1004", "Layla Nasser"),
    ("c-1005", "نورة الشمري"),
    ("c-1006", "Omar Farouk"),
    ("c-1007", "فاطمة الزهراني"),
    ("c-1008", "Yousef Saleh"),
]

REFEREE = 7  # index in SHOPPERS of the shopper who joined with a referral code


@dataclass(frozen=True)
class DemoCredentials:
    slug: str
    admin_api_key: str
    events_api_key: str
    member_external_id: str
    member_token: str
    # The HS256 key, for `loyalty token member --kid --secret` (tokens for other shoppers).
    member_token_kid: str = ""
    member_token_secret: str = ""


def _rule(kind: EarningRuleKind, **fields: object) -> program.EarningRuleInput:
    base: dict[str, object] = {
        "id": None,
        "kind": kind,
        "name": LocalizedText(),
        "category": None,
        "sku": None,
        "multiplier": None,
        "bonus_points": None,
        "activity": None,
        "custom_activity": None,
        "points": None,
        "limit": None,
        "period": None,
        "active": True,
    }
    base.update(fields)
    return program.EarningRuleInput(**base)  # type: ignore[arg-type]


def _demo_icon() -> bytes:
    """A 1024x1024 opaque PNG in the store's colors (purple field, gold disc)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1024, 1024), "#6B2C91")
    ImageDraw.Draw(image).ellipse((212, 212, 812, 812), fill="#E6C35C")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def _seed_theme(deps: Deps, tenant: Tenant) -> None:
    await theme.save_draft(
        deps,
        tenant,
        colors={
            "primary": "#6B2C91",
            "on_primary": "#FFFFFF",
            "secondary": "#E6C35C",
            "on_secondary": "#000000",
            "background": "#FFFFFF",
            "on_background": "#1C1B1F",
            "surface": "#F7F2FA",
            "on_surface": "#1C1B1F",
            "accent": "#B8860B",
            "error": "#B3261E",
        },
        dark_colors={
            "primary": "#D0BCFF",
            "on_primary": "#381E72",
            "secondary": "#E6C35C",
            "on_secondary": "#000000",
            "background": "#1C1B1F",
            "on_background": "#E6E1E5",
            "surface": "#2B2930",
            "on_surface": "#E6E1E5",
            "accent": None,
            "error": None,
        },
        font_family="Cairo",
        corner_radius=12,
        logo_url=None,
    )
    await icons.upload_icon(deps, tenant, _demo_icon())
    await theme.publish(deps, tenant)


async def seed_demo(deps: Deps, slug: str = "demo") -> DemoCredentials:
    created = await tenants.create_tenant(
        deps, slug=slug, name="متجر العطور", currency="SAR", default_locale="ar"
    )
    tenant = created.tenant
    changes = program.ProgramChanges(
        name=LocalizedText(ar="متجر العطور", en="Perfume House"),
        earn_rate="1",
        point_value="0.05",
        expiry_months=6,
        pending_days=14,
        timezone="Asia/Riyadh",
        earning_rules=[
            _rule(
                EarningRuleKind.CATEGORY,
                name=LocalizedText(ar="ضعف النقاط على العود", en="Double points on oud"),
                category="oud",
                multiplier="2",
            ),
            _rule(EarningRuleKind.ACTIVITY, activity=ActivityType.SIGNUP, points=100, limit=1),
            _rule(EarningRuleKind.ACTIVITY, activity=ActivityType.PRODUCT_REVIEW, points=25),
            _rule(
                EarningRuleKind.ACTIVITY,
                activity=ActivityType.BIRTHDAY,
                points=200,
                limit=1,
                period=LimitPeriod.YEAR,
            ),
        ],
    )
    updated = await program.update_program(deps, tenant, changes)
    tenant = tenants.with_program(tenant, updated)
    catalogue = [
        ("خصم 10%", "10% off", 300, RewardKind.PERCENT_DISCOUNT, "10"),
        ("خصم 25 ريالًا", "SAR 25 off", 500, RewardKind.AMOUNT_DISCOUNT, "25"),
        ("شحن مجاني", "Free shipping", 150, RewardKind.FREE_SHIPPING, None),
        ("عينة عطر مجانية", "Free perfume sample", 200, RewardKind.FREE_PRODUCT, None),
    ]
    first_reward = None
    for ar, en, cost, kind, value in catalogue:
        reward = await rewards.upsert_reward(
            deps,
            tenant,
            rewards.RewardInput(
                None,
                LocalizedText(ar=ar, en=en),
                LocalizedText(),
                cost,
                kind,
                value,
                None,
                True,
                None,
            ),
        )
        if first_reward is None or reward.cost < first_reward.cost:
            first_reward = reward
    tenant = await seed_engagement(deps, tenant)
    rng = random.Random(7)
    now = deps.clock.now()
    for index, (external_id, name) in enumerate(SHOPPERS):
        history = [
            now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
            for _ in range(rng.randint(3, 12))
        ]
        spring = now - timedelta(days=170 + index)  # expires within weeks: reminder material
        # Shoppers join before their first order (and claim a referral then): enrolment and
        # its signup points are dated a few days before it, as if seeded back then.
        first_order = min([*history, spring])
        then = replace(deps, clock=FrozenClock(first_order - timedelta(days=rng.randint(1, 20))))
        joined = await members.enrol(then, tenant, external_id, display_name=name)
        if index == REFEREE:
            # Invited by the second shopper before their first order: both are paid once it
            # is past its return window.
            referrer = await members.require_member(deps, tenant, SHOPPERS[1][0], ("member",))
            await apply_referral_code(then, tenant, joined, referrer.referral_code)
        for n, placed in enumerate(history):
            lines = [
                orders.OrderLineInput(
                    sku=f"sku-{rng.randint(1, 40)}",
                    category=rng.choice(["oud", "musk", "gifts"]),
                    quantity=rng.randint(1, 3),
                    unit_price=str(Decimal(rng.randint(50, 600))),
                )
            ]
            total = sum((Decimal(line.unit_price) * line.quantity for line in lines), Decimal(0))
            await orders.record_order(
                deps,
                tenant,
                member_external_id=external_id,
                order_id=f"{external_id}-{n}",
                total=str(total),
                currency="SAR",
                items=lines,
                placed_at=placed,
                backfill=True,  # some are older than the expiry window: expired points
            )
        await orders.record_order(
            deps,
            tenant,
            member_external_id=external_id,
            order_id=f"{external_id}-spring",
            total=str(120 + 40 * index),
            currency="SAR",
            items=None,
            placed_at=spring,
        )
        recent = now - timedelta(days=index % 5)
        await orders.record_order(
            deps,
            tenant,
            member_external_id=external_id,
            order_id=f"{external_id}-recent",
            total="249.00",
            currency="SAR",
            items=None,
            placed_at=recent,
        )
        member = await members.require_member(deps, tenant, external_id, ("member",))
        await record_activity(
            deps, tenant, member, ActivityType.PRODUCT_REVIEW, f"sku-{index}", None, None
        )
    await adjustments.adjust_points(
        deps,
        tenant,
        member_external_id=SHOPPERS[0][0],
        points=150,
        reason="تعويض عن تأخير الشحن",
        idempotency_key="demo-goodwill",
    )
    shopper = await members.require_member(deps, tenant, SHOPPERS[0][0], ("member",))
    if first_reward is not None:
        await redemptions.redeem_reward(
            deps, tenant, shopper, reward_id=first_reward.id, idempotency_key="demo-redeem"
        )
    await _seed_theme(deps, tenant)
    key = tenant.member_keys[0]
    token = issue_member_token(
        tenant_slug=slug, key=key, subject=SHOPPERS[0][0], now=now, ttl=timedelta(days=1)
    )
    return DemoCredentials(
        slug,
        created.admin_api_key,
        created.events_api_key,
        SHOPPERS[0][0],
        token,
        created.member_token_kid,
        created.member_token_secret,
    )
