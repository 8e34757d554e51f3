"""The demo seeds everything the tour shows, on the embedded store."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from api.auth.member_tokens import verify_member_token
from api.demo import REFEREE, SHOPPERS, seed_demo
from loyalty.badges import BadgeRule
from loyalty.ledger import TransactionType
from loyalty.lots import expiring, view
from loyalty.ports import Deps
from loyalty.referrals import ReferralStatus
from loyalty.usecases.theme import published


async def test_demo_data_covers_pending_expiring_expired_theme_and_a_working_token(
    deps: Deps,
) -> None:
    # when
    creds = await seed_demo(deps)
    # then the printed member token is valid for the first shopper
    tenant = await deps.tenants.get(creds.slug)
    assert tenant is not None
    now = deps.clock.now()
    claims = verify_member_token(
        creds.member_token, tenant_slug=creds.slug, keys=tenant.member_keys, now=now
    )
    assert claims.subject == SHOPPERS[0][0]
    # and every shopper has pending points, some expire soon, some already expired
    pending, expiring_soon, expired = 0, 0, 0
    for external_id, _ in SHOPPERS:
        member = await deps.members.get_by_external_id(creds.slug, external_id)
        assert member is not None
        pending += view(member.wallet, now).pending > 0
        expiring_soon += bool(expiring(member.wallet, now, now + timedelta(days=30)))
        history = await deps.members.ledger_page(creds.slug, member.id, None, 100)
        expired += any(e.type is TransactionType.EXPIRE for e in history)
    assert pending == len(SHOPPERS)
    assert expiring_soon > 0 and expired > 0
    # and a theme with its icon set is published
    version = await published(deps, tenant, None)
    assert (version.version, len(version.icons)) == (1, 33)


async def test_demo_seeds_tiers_a_trial_offer_badges_and_a_paid_referral(deps: Deps) -> None:
    # when
    creds = await seed_demo(deps)
    # then three tiers in both languages climb together, Gold is offered as a trial
    tenant = await deps.tenants.get(creds.slug)
    assert tenant is not None
    program = tenant.program
    ladder = [(t.name.en, t.name.ar, t.rank, t.threshold) for t in program.sorted_tiers()]
    assert ladder == [
        ("Silver", "فضي", 1, Decimal(1000)),
        ("Gold", "ذهبي", 2, Decimal(3000)),
        ("Platinum", "بلاتيني", 3, Decimal(6000)),
    ]
    assert all(t.perks and all(p.ar and p.en for p in t.perks) for t in program.tiers)
    assert program.vip_trial_offer is not None
    assert program.tier(program.vip_trial_offer.tier_id).name.en == "Gold"  # type: ignore[union-attr]
    # and badges of every rule kind, some already earned
    badges = await deps.badges.list(creds.slug)
    assert {b.rule for b in badges} == set(BadgeRule)
    shoppers = [await deps.members.get_by_external_id(creds.slug, e) for e, _ in SHOPPERS]
    members = [m for m in shoppers if m is not None]
    awards = [a for m in members for a in await deps.badge_awards.for_member(creds.slug, m.id)]
    assert len({a.badge_id for a in awards}) >= 3
    assert all(a.settled for a in awards)
    assert any(m.tier.qualified_id != "base" for m in members)
    # and the referee joined with the second shopper's code, both sides were paid
    referee, referrer = members[REFEREE], members[1]
    assert referee.referred_by == referrer.id
    referral = await deps.referrals.get(creds.slug, referee.id)
    assert referral is not None and referral.status is ReferralStatus.REWARDED
    history = await deps.members.ledger_page(creds.slug, referrer.id, None, 200)
    assert [e.points for e in history if e.op_id == f"referral:{referee.id}:referrer"] == [200]


async def test_demo_shoppers_join_before_their_first_order(deps: Deps) -> None:
    # when
    creds = await seed_demo(deps)
    # then each shopper's join date, and their signup points, come before their first order
    for external_id, _ in SHOPPERS:
        member = await deps.members.get_by_external_id(creds.slug, external_id)
        assert member is not None
        placed = [o.placed_at for o in await deps.history.orders(creds.slug, member.id, None, 100)]
        assert member.joined_at < min(placed), external_id
        history = await deps.members.ledger_page(creds.slug, member.id, None, 200)
        signup = [e for e in history if e.reason.key == "reason.activity.SIGNUP"]
        assert [e.created_at for e in signup] == [member.joined_at], external_id
