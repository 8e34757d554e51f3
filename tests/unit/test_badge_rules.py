"""Badge rules (loyalty.badges) and referral helpers (loyalty.referrals): exact values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from loyalty.badges import Badge, BadgeRule, Facts, longest_streak, order_facts, progress
from loyalty.earning import OrderLine
from loyalty.orders import LineSpend, Order, PastOrder, Refund
from loyalty.program import LocalizedText, Program, Tier
from loyalty.referrals import kept_through_window, normalize_code

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
GOLD = Tier("gold", LocalizedText(en="Gold"), 2, Decimal(2000), Decimal(2))
SILVER = Tier("silver", LocalizedText(en="Silver"), 1, Decimal(500), Decimal(1))
PROGRAM = Program(LocalizedText(en="P"), "SAR", "en", timezone="Asia/Riyadh", tiers=(SILVER, GOLD))


def order(order_id: str, total: str, lines: tuple[OrderLine, ...] = (), **extra: object) -> Order:
    fields: dict[str, object] = {
        "tenant": "t",
        "order_id": order_id,
        "member_id": "m",
        "total": Decimal(total),
        "currency": "SAR",
        "lines": lines,
        "placed_at": NOW,
        "points": 0,
        "pending": False,
        "request_hash": "",
    }
    fields.update(extra)
    return Order(**fields)  # type: ignore[arg-type]


def past(
    total: str,
    lines: tuple[LineSpend, ...] = (),
    refunded: str = "0",
    placed_at: datetime = NOW,
) -> PastOrder:
    return PastOrder(Decimal(total), placed_at, 0, Decimal(refunded), 0, lines)


def badge(rule: BadgeRule, goal: int = 1, **extra: object) -> Badge:
    return Badge("b", LocalizedText(en="B"), rule, goal, NOW, **extra)  # type: ignore[arg-type]


def test_longest_streak_counts_consecutive_months_across_years() -> None:
    assert longest_streak([]) == 0
    assert longest_streak([(2026, 1)]) == 1
    assert longest_streak([(2025, 11), (2025, 12), (2026, 1), (2026, 3), (2026, 1)]) == 3
    assert longest_streak([(2024, 12), (2025, 2), (2025, 3)]) == 2


def test_order_facts_skip_full_refunds_and_scale_partial_ones() -> None:
    oud = LineSpend("Oud", Decimal(200))
    musk = LineSpend("musk", Decimal(50))
    orders = [
        past("250", (oud, musk)),
        past("200", (oud,), refunded="50"),
        past("100", (musk,), refunded="100"),
        # 22:00 UTC on 31 December is January in Riyadh
        past("10", placed_at=datetime(2025, 12, 31, 22, tzinfo=UTC)),
        past("10", placed_at=datetime(2025, 11, 30, 12, tzinfo=UTC)),
    ]
    facts = order_facts(orders, PROGRAM)
    assert facts.orders == 4
    assert facts.category_spend == {"oud": Decimal(350), "musk": Decimal(50)}
    assert facts.order_months == frozenset({(2026, 1), (2025, 11)})


def test_progress_per_rule_is_capped_at_the_goal() -> None:
    facts = Facts(
        orders=4,
        reviews=2,
        referrals=1,
        tier_id="silver",
        category_spend={"oud": Decimal("299.99")},
        order_months=frozenset({(2025, 12), (2026, 1)}),
    )
    assert progress(badge(BadgeRule.FIRST_ORDER), facts, PROGRAM) == 1
    assert progress(badge(BadgeRule.ORDER_COUNT, 3), facts, PROGRAM) == 3
    assert progress(badge(BadgeRule.ORDER_COUNT, 10), facts, PROGRAM) == 4
    assert progress(badge(BadgeRule.REVIEW_COUNT, 5), facts, PROGRAM) == 2
    assert progress(badge(BadgeRule.REFERRAL_COUNT, 3), facts, PROGRAM) == 1
    assert progress(badge(BadgeRule.CATEGORY_SPEND, 300, category="OUD"), facts, PROGRAM) == 299
    assert progress(badge(BadgeRule.CATEGORY_SPEND, 300, category="gifts"), facts, PROGRAM) == 0
    assert progress(badge(BadgeRule.MONTHLY_STREAK, 3), facts, PROGRAM) == 2
    assert progress(badge(BadgeRule.TIER_REACHED, tier_id="silver"), facts, PROGRAM) == 1
    assert progress(badge(BadgeRule.TIER_REACHED, tier_id="gold"), facts, PROGRAM) == 0
    assert progress(badge(BadgeRule.TIER_REACHED, tier_id="gone"), facts, PROGRAM) == 0
    assert progress(badge(BadgeRule.FIRST_ORDER), Facts(), PROGRAM) == 0


def test_referral_codes_are_normalized_or_refused() -> None:
    assert normalize_code(" ab cd 2345 ") == "ABCD2345"
    assert normalize_code("ABCD2345") == "ABCD2345"
    assert normalize_code("") is None
    assert normalize_code("O0I1-XYZ") is None  # letters never used in codes
    assert normalize_code("A" * 33) is None


def test_the_first_order_is_kept_unless_refunded_in_full_by_the_end_of_the_window() -> None:
    due = NOW + timedelta(days=14)
    half = Refund("r1", Decimal(50), 0, NOW + timedelta(days=1))
    rest_in_time = Refund("r2", Decimal(50), 0, due)
    rest_late = Refund("r2", Decimal(50), 0, due + timedelta(seconds=1))
    assert kept_through_window(order("o", "100"), due)
    assert kept_through_window(order("o", "100", refunds=(half,)), due)
    assert not kept_through_window(order("o", "100", refunds=(half, rest_in_time)), due)
    assert kept_through_window(order("o", "100", refunds=(half, rest_late)), due)
