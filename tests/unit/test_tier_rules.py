"""Tier rules (loyalty.tiers): what a value qualifies for, upgrades at once, downgrades only at
a scheduled review after grace, and trials on top."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from loyalty.engagement_settings import TierPolicy
from loyalty.program import BASE_TIER, LocalizedText, Program, Tier
from loyalty.tiers import (
    TierState,
    Trial,
    changed,
    effective_tier,
    evaluate,
    next_tier,
    qualified_tier,
    window_start,
)

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
SILVER = Tier("silver", LocalizedText(en="Silver"), 1, Decimal(500), Decimal("1.5"))
GOLD = Tier("gold", LocalizedText(en="Gold"), 2, Decimal(2000), Decimal(2))
PROGRAM = Program(
    name=LocalizedText(en="P"),
    currency="SAR",
    default_locale="en",
    tiers=(GOLD, SILVER),  # stored in any order
    tier_policy=TierPolicy(grace_days=30),
)


def test_qualified_tier_is_the_highest_threshold_reached() -> None:
    assert qualified_tier(PROGRAM, Decimal("499.99")) == BASE_TIER
    assert qualified_tier(PROGRAM, Decimal(500)) == SILVER
    assert qualified_tier(PROGRAM, Decimal(1999)) == SILVER
    assert qualified_tier(PROGRAM, Decimal(2000)) == GOLD
    assert qualified_tier(PROGRAM, Decimal(10**9)) == GOLD


def test_next_tier_and_window_start() -> None:
    assert next_tier(PROGRAM, BASE_TIER) == SILVER
    assert next_tier(PROGRAM, SILVER) == GOLD
    assert next_tier(PROGRAM, GOLD) is None
    assert window_start(TierPolicy(window_months=12), NOW) == datetime(2025, 1, 15, 12, tzinfo=UTC)
    assert window_start(TierPolicy(window_months=None), NOW) is None


def test_an_upgrade_applies_at_once_and_schedules_a_daily_review() -> None:
    after = evaluate(PROGRAM, TierState(), Decimal(600), NOW, allow_downgrade=False)
    assert (after.tier_id, after.qualified_id, after.qualifying_value) == ("silver", "silver", 600)
    assert after.review_at == NOW + timedelta(days=1)
    assert after.below_since is None
    assert changed(TierState(), after)


def test_the_base_tier_needs_no_review() -> None:
    after = evaluate(PROGRAM, TierState(), Decimal(10), NOW, allow_downgrade=True)
    assert (after.tier_id, after.review_at) == ("base", None)


def test_a_drop_outside_the_scheduled_review_keeps_the_tier() -> None:
    gold = TierState(tier_id="gold", qualified_id="gold", qualifying_value=Decimal(2500))
    after = evaluate(PROGRAM, gold, Decimal(100), NOW, allow_downgrade=False)
    assert (after.tier_id, after.below_since) == ("gold", None)


def test_a_downgrade_waits_for_the_grace_period_then_goes_to_what_the_value_reaches() -> None:
    gold = TierState(tier_id="gold", qualified_id="gold", qualifying_value=Decimal(2500))
    first = evaluate(PROGRAM, gold, Decimal(600), NOW, allow_downgrade=True)
    assert (first.tier_id, first.below_since) == ("gold", NOW)
    almost = evaluate(PROGRAM, first, Decimal(600), NOW + timedelta(days=29), allow_downgrade=True)
    assert (almost.tier_id, almost.below_since) == ("gold", NOW)
    later = NOW + timedelta(days=30)
    done = evaluate(PROGRAM, almost, Decimal(600), later, allow_downgrade=True)
    assert (done.tier_id, done.qualified_id, done.below_since) == ("silver", "silver", None)


def test_recovering_during_grace_clears_the_countdown() -> None:
    gold = TierState(tier_id="gold", qualified_id="gold", below_since=NOW - timedelta(days=10))
    after = evaluate(PROGRAM, gold, Decimal(2100), NOW, allow_downgrade=True)
    assert (after.tier_id, after.below_since) == ("gold", None)


def test_a_trial_lifts_the_effective_tier_until_it_ends() -> None:
    trial = Trial("gold", NOW, NOW + timedelta(days=7), granted=False)
    state = evaluate(PROGRAM, TierState(trial=trial), Decimal(0), NOW, allow_downgrade=False)
    assert (state.tier_id, state.qualified_id) == ("gold", "base")
    # woken 3 days before the end for the "ending soon" notice
    assert state.review_at == NOW + timedelta(days=1)
    late = NOW + timedelta(days=5)
    assert evaluate(PROGRAM, state, Decimal(0), late, allow_downgrade=True).review_at == (
        NOW + timedelta(days=6)
    )
    assert effective_tier(PROGRAM, state, NOW + timedelta(days=6)) == GOLD
    assert effective_tier(PROGRAM, state, NOW + timedelta(days=7)) == BASE_TIER
    ended = evaluate(PROGRAM, state, Decimal(0), NOW + timedelta(days=7), allow_downgrade=True)
    assert (ended.tier_id, ended.trial, ended.review_at) == ("base", None, None)


def test_a_trial_below_the_qualified_tier_changes_nothing() -> None:
    trial = Trial("silver", NOW, NOW + timedelta(days=7), granted=True)
    gold = TierState(tier_id="gold", qualified_id="gold", trial=trial)
    assert effective_tier(PROGRAM, gold, NOW) == GOLD


def test_changed_ignores_the_version_only() -> None:
    state = TierState(tier_id="silver", qualified_id="silver", qualifying_value=Decimal(600))
    assert not changed(state, replace(state, version=7))
    assert changed(state, replace(state, qualifying_value=Decimal(601)))
