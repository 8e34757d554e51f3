"""The demo's engagement layer: a tier ladder, a VIP trial offer, a referral reward and badges,
seeded before the shoppers' orders so that upgrades, awards and the referral happen as they
would in production."""

from __future__ import annotations

from loyalty.badges import BadgeRule
from loyalty.engagement_settings import ReferralPolicy, VipTrialOffer
from loyalty.ports import Deps
from loyalty.program import LocalizedText
from loyalty.tenants import Tenant
from loyalty.usecases import program, tenants
from loyalty.usecases.badge_admin import BadgeInput, upsert_badge
from loyalty.usecases.engagement_program import EngagementChanges
from loyalty.usecases.tier_admin import TierInput, upsert_tier

FREE_SHIPPING = LocalizedText(ar="شحن مجاني دائمًا", en="Always free shipping")
TIERS = [
    # (name, rank, threshold: SAR spent in 12 months, multiplier, perks)
    (
        LocalizedText(ar="فضي", en="Silver"),
        1,
        "1000",
        "1.25",
        (LocalizedText(ar="شحن مجاني للطلبات فوق 200 ريال", en="Free shipping over SAR 200"),),
    ),
    (
        LocalizedText(ar="ذهبي", en="Gold"),
        2,
        "3000",
        "1.5",
        (FREE_SHIPPING, LocalizedText(ar="عينات مع كل طلب", en="Samples with every order")),
    ),
    (
        LocalizedText(ar="بلاتيني", en="Platinum"),
        3,
        "6000",
        "2",
        (
            FREE_SHIPPING,
            LocalizedText(ar="وصول مبكر للإصدارات الجديدة", en="Early access to new releases"),
            LocalizedText(ar="هدية في يوم ميلادك", en="A birthday gift"),
        ),
    ),
]


def _badge(
    ar: str,
    en: str,
    icon: str,
    rule: BadgeRule,
    goal: int = 1,
    *,
    category: str | None = None,
    tier_id: str | None = None,
    bonus: int = 0,
) -> BadgeInput:
    return BadgeInput(
        None, LocalizedText(ar=ar, en=en), LocalizedText(), icon, rule, goal, category, tier_id,
        bonus, True,
    )  # fmt: skip


async def seed_engagement(deps: Deps, tenant: Tenant) -> Tenant:
    """Returns the tenant with its updated program."""
    tier_ids: dict[str, str] = {}
    for name, rank, threshold, multiplier, perks in TIERS:
        spec = TierInput(None, name, rank, threshold, multiplier, perks)
        tier = await upsert_tier(deps, tenant, spec)
        tier_ids[name.en or ""] = tier.id
        tenant = await _reload(deps, tenant)
    changes = program.ProgramChanges(
        engagement=EngagementChanges(
            vip_trial_offer=VipTrialOffer(tier_ids["Gold"], days=14, min_orders=1),
            referral=ReferralPolicy(referrer_points=200, referee_points=100),
        )
    )
    tenant = tenants.with_program(tenant, await program.update_program(deps, tenant, changes))
    badges = [
        _badge("الطلب الأول", "First order", "🛍️", BadgeRule.FIRST_ORDER, bonus=50),
        _badge("عميل وفيّ", "Regular", "🔁", BadgeRule.ORDER_COUNT, 5),
        _badge("ناقد العطور", "Perfume critic", "✍️", BadgeRule.REVIEW_COUNT, 3),
        _badge("عاشق العود", "Oud lover", "🪵", BadgeRule.CATEGORY_SPEND, 1000, category="oud"),
        _badge("ثلاثة أشهر متتالية", "Three months in a row", "📅", BadgeRule.MONTHLY_STREAK, 3),
        _badge("سفير المتجر", "Ambassador", "🤝", BadgeRule.REFERRAL_COUNT, bonus=100),
        _badge("عضو ذهبي", "Gold member", "🥇", BadgeRule.TIER_REACHED, tier_id=tier_ids["Gold"]),
    ]
    for data in badges:
        await upsert_badge(deps, tenant, data)
    return tenant


async def _reload(deps: Deps, tenant: Tenant) -> Tenant:
    fresh = await deps.tenants.get(tenant.slug)
    assert fresh is not None
    return fresh
