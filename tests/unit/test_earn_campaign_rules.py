"""Earn campaigns in the one order earning computation: the best multiplier wins, bonuses add
up, targets (categories, SKUs, segment, tier) and the running window are respected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from loyalty.earn_campaigns import EarnCampaign, joined_names, running
from loyalty.earning import OrderLine, order_earning, order_points
from loyalty.program import EarningRule, EarningRuleKind, LocalizedText, Program
from loyalty.segments import Segment

START = datetime(2027, 2, 7, 21, 0, tzinfo=UTC)
PROGRAM = Program(name=LocalizedText(en="Acme"), currency="SAR", default_locale="en")


def campaign(
    campaign_id: str,
    multiplier: str | None = None,
    bonus: int | None = None,
    **extra: object,
) -> EarnCampaign:
    return EarnCampaign(
        id=campaign_id,
        name=LocalizedText(ar=f"حملة {campaign_id}", en=f"Campaign {campaign_id}"),
        starts_at=extra.pop("starts_at", START),  # type: ignore[arg-type]
        ends_at=extra.pop("ends_at", START + timedelta(days=29)),  # type: ignore[arg-type]
        created_at=START,
        multiplier=Decimal(multiplier) if multiplier else None,
        bonus_points=bonus,
        **extra,  # type: ignore[arg-type]
    )


def test_the_best_multiplier_wins_and_bonuses_add_up() -> None:
    # given two overlapping whole-order campaigns with multipliers and bonuses
    double = campaign("a", "2", 50)
    triple = campaign("b", "3", 20)
    # when a 100.00 order earns under both
    earning = order_earning(PROGRAM, Decimal("100.00"), (), campaigns=(double, triple))
    # then x3 (not x6, not x5) on the rate part, and 50 + 20 bonus points
    assert earning.points == 300 + 70
    assert [c.id for c in earning.campaigns] == ["a", "b"]


def test_a_losing_multiplier_without_a_bonus_is_not_named_in_the_reason() -> None:
    # given x2 and x1.5 campaigns
    earning = order_earning(
        PROGRAM, Decimal("100"), (), campaigns=(campaign("a", "1.5"), campaign("b", "2"))
    )
    # then only x2 applied, and only it is credited in the reason
    assert earning.points == 200
    assert [c.id for c in earning.campaigns] == ["b"]


def test_campaign_multiplies_the_tier_and_rule_rate_but_not_fixed_bonuses() -> None:
    # given oud lines earning x2 with 5 bonus points a unit, a tier at x1.5, a x2 campaign
    program = Program(
        name=LocalizedText(en="Acme"),
        currency="SAR",
        default_locale="en",
        earning_rules=(
            EarningRule(
                "r", EarningRuleKind.CATEGORY, category="oud", multiplier=Decimal(2), bonus_points=5
            ),
        ),
    )
    lines = (OrderLine("oud-1", "oud", 2, Decimal("50.00")),)
    # when a 110.00 order (10.00 shipping) earns
    points = order_points(program, Decimal("110.00"), lines, Decimal("1.5"), (campaign("a", "2"),))
    # then 100 x 1 x 1.5 x 2 x 2 + 10 x 1.5 x 2 + 2 x 5
    assert points == 600 + 30 + 10


def test_a_category_campaign_boosts_only_its_lines_and_pays_its_bonus_once() -> None:
    # given a x3 campaign with 40 bonus points on perfume, and a whole-order x2 campaign
    perfume = campaign("p", "3", 40, categories=("Perfume",))
    everything = campaign("e", "2")
    lines = (
        OrderLine("oud-1", "perfume", 1, Decimal("100")),
        OrderLine("musk-1", "perfume", 1, Decimal("50")),
        OrderLine("mug-1", "kitchen", 2, Decimal("25")),
    )
    # when a 220.00 order (20.00 shipping) earns
    earning = order_earning(PROGRAM, Decimal("220"), lines, campaigns=(perfume, everything))
    # then perfume at x3 (its casefolded category), the mugs and the shipping at x2, bonus once
    assert earning.points == 150 * 3 + 50 * 2 + 20 * 2 + 40
    assert [c.id for c in earning.campaigns] == ["p", "e"]


def test_a_sku_campaign_leaves_an_order_without_its_sku_alone() -> None:
    # given a SKU campaign with a bonus
    sku = campaign("s", "2", 30, skus=("oud-1",))
    lines = (OrderLine("mug-1", "kitchen", 1, Decimal("80")),)
    # when an order without that SKU earns; and one without lines
    without = order_earning(PROGRAM, Decimal("80"), lines, campaigns=(sku,))
    unitemised = order_earning(PROGRAM, Decimal("80"), (), campaigns=(sku,))
    # then neither is boosted nor gets the bonus
    assert (without.points, without.campaigns) == (80, ())
    assert (unitemised.points, unitemised.campaigns) == (80, ())


def test_running_keeps_the_window_the_segment_and_the_tier() -> None:
    # given campaigns for everyone, for champions, for gold, and one that ended
    everyone = campaign("a", "2")
    champions = campaign("b", "2", segment=Segment.CHAMPION)
    gold = campaign("c", "2", tier_id="gold")
    ended = campaign("d", "2", starts_at=START - timedelta(days=9), ends_at=START)
    found = [gold, ended, champions, everyone]
    # when a regular silver member's order placed at the start is checked; and a gold champion's
    regular = running(found, START, Segment.REGULAR, "silver")
    champion_gold = running(found, START, Segment.CHAMPION, "gold")
    # then the end is exclusive, the start inclusive, and the audiences are kept
    assert [c.id for c in regular] == ["a"]
    assert [c.id for c in champion_gold] == ["a", "b", "c"]
    assert running(found, START - timedelta(microseconds=1), Segment.CHAMPION, "gold") == (ended,)
    assert running(found, START + timedelta(days=29), Segment.CHAMPION, "gold") == ()


def test_names_are_joined_per_language_for_the_reason() -> None:
    # given two campaigns, the second named in English only
    first = campaign("a", "2")
    second = EarnCampaign(
        "b", LocalizedText(en="White Friday"), START, START + timedelta(days=1), START, None, 10
    )
    # then each language lists both, falling back to the other language
    assert joined_names((first, second)) == LocalizedText(
        ar="حملة a، White Friday", en="Campaign a, White Friday"
    )
