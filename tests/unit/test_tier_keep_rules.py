"""Tier keep thresholds and the calendar-year reset (loyalty.tiers): a member holding a tier
keeps it on less than it took to enter; the count can restart every 1 January."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from loyalty.engagement_settings import TierPolicy, TierReset
from loyalty.program import BASE_TIER, LocalizedText, Program, Tier
from loyalty.tiers import TierState, evaluate, kept_tier, window_start

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
# Silver: enter at 500, keep at 300. Gold: enter at 2000, keep at 1500.
SILVER = Tier(
    "silver", LocalizedText(en="Silver"), 1, Decimal(500), Decimal("1.5"), (), Decimal(300)
)
GOLD = Tier("gold", LocalizedText(en="Gold"), 2, Decimal(2000), Decimal(2), (), Decimal(1500))
PROGRAM = Program(
    name=LocalizedText(en="P"),
    currency="SAR",
    default_locale="en",
    tiers=(GOLD, SILVER),
    tier_policy=TierPolicy(grace_days=30),
)
HOLDING_GOLD = TierState(tier_id="gold", qualified_id="gold", qualifying_value=Decimal(2500))


def test_without_a_keep_threshold_keeping_takes_the_entry_threshold() -> None:
    # given a tier without a keep threshold
    plain = Tier("t", LocalizedText(en="T"), 1, Decimal(500), Decimal(1))
    # then it is kept at exactly its entry threshold
    assert plain.keep_at == Decimal(500)
    assert GOLD.keep_at == Decimal(1500)


def test_the_kept_tier_is_the_highest_held_or_below_whose_keep_threshold_is_reached() -> None:
    assert kept_tier(PROGRAM, GOLD, Decimal(1500)) == GOLD
    assert kept_tier(PROGRAM, GOLD, Decimal("1499.99")) == SILVER
    assert kept_tier(PROGRAM, GOLD, Decimal(300)) == SILVER
    assert kept_tier(PROGRAM, GOLD, Decimal(299)) == BASE_TIER
    # a keep threshold never lifts a member above the tier they hold
    assert kept_tier(PROGRAM, SILVER, Decimal(1800)) == SILVER


def test_between_the_keep_and_entry_thresholds_the_tier_is_kept_without_countdown() -> None:
    # given a gold member whose value fell to 1,600 (below 2,000 to enter, above 1,500 to keep)
    # when the scheduled review looks, even long after the grace period
    after = evaluate(
        PROGRAM, HOLDING_GOLD, Decimal(1600), NOW + timedelta(days=90), allow_downgrade=True
    )
    # then gold is kept and no downgrade countdown starts
    assert (after.tier_id, after.qualified_id, after.below_since) == ("gold", "gold", None)


def test_below_the_keep_threshold_the_member_falls_after_grace_to_the_tier_they_keep() -> None:
    # given a gold member whose value fell to 400: not enough to enter silver (500), enough to
    # keep it (300)
    first = evaluate(PROGRAM, HOLDING_GOLD, Decimal(400), NOW, allow_downgrade=True)
    assert (first.tier_id, first.below_since) == ("gold", NOW)
    # when the grace period is over
    done = evaluate(PROGRAM, first, Decimal(400), NOW + timedelta(days=30), allow_downgrade=True)
    # then the member holds silver (kept), not the base tier (what 400 would enter)
    assert (done.tier_id, done.qualified_id, done.below_since) == ("silver", "silver", None)


def test_a_base_member_still_needs_the_entry_threshold() -> None:
    after = evaluate(PROGRAM, TierState(), Decimal(1999), NOW, allow_downgrade=False)
    assert after.tier_id == "silver"


def test_a_calendar_year_reset_counts_from_1_january_in_the_programs_zone() -> None:
    # given a calendar-year reset and a program in Riyadh (UTC+3)
    policy = TierPolicy(window_months=None, reset=TierReset.CALENDAR_YEAR)
    riyadh = ZoneInfo("Asia/Riyadh")
    # then the count starts at midnight of 1 January, Riyadh time
    assert window_start(policy, NOW, riyadh) == datetime(2025, 12, 31, 21, tzinfo=UTC)
    # and at 22:00 UTC on 31 December it is already the new year in Riyadh
    new_year_eve = datetime(2026, 12, 31, 22, tzinfo=UTC)
    assert window_start(policy, new_year_eve, riyadh) == datetime(2026, 12, 31, 21, tzinfo=UTC)
    assert window_start(policy, new_year_eve - timedelta(hours=2), riyadh) == datetime(
        2025, 12, 31, 21, tzinfo=UTC
    )
