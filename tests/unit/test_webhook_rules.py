"""Pure rules of issue 10: webhook retry timing, coupon returns, and the secret box."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet

from integrations.secret_box import SecretBox, SecretKeyError
from loyalty.coupon_returns import note_taken, parts_taken, return_lots, taken_parts
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import Lot, WalletState
from loyalty.rewards import TakenPart
from loyalty.wallet import spend
from loyalty.webhooks import RETRY_FOR, next_attempt

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


class _Top(random.Random):
    """Always the top of the jitter range."""

    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_doubles_from_30_seconds_up_to_6_hours() -> None:
    # when / then: the ceiling per failed attempt
    delays = [next_attempt(n, NOW, NOW, _Top()) for n in (1, 2, 3, 10, 11, 12)]
    assert [(d - NOW).total_seconds() if d else None for d in delays] == [
        30,
        60,
        120,
        15360,
        21600,
        21600,
    ]


def test_backoff_is_jittered_within_half_to_full_ceiling() -> None:
    # given
    rng = random.Random(7)
    # when
    delays = {(next_attempt(3, NOW, NOW, rng) or NOW) - NOW for _ in range(50)}
    # then
    assert len(delays) > 40
    assert all(timedelta(seconds=60) <= d <= timedelta(seconds=120) for d in delays)


def test_retries_stop_three_days_after_the_first_attempt() -> None:
    # given a first attempt three days minus one minute ago
    first = NOW - RETRY_FOR + timedelta(minutes=1)
    # when / then: a retry within the window is planned, one past it is not
    assert next_attempt(1, first, NOW, _Top()) == NOW + timedelta(seconds=30)
    assert next_attempt(3, first, NOW, _Top()) is None


def _lot(lot_id: str, remaining: int, expires_at: datetime | None) -> Lot:
    return Lot(lot_id, 100, remaining, NOW, NOW, expires_at, True, lot_id)


def test_taken_parts_are_what_each_live_lot_lost() -> None:
    # given lots before and after a spend (the expired one was settled, not spent)
    soon, later = NOW + timedelta(days=5), NOW + timedelta(days=50)
    before = WalletState(
        lots=(_lot("a", 40, soon), _lot("b", 100, later), _lot("x", 7, NOW - timedelta(days=1)))
    )
    after = WalletState(lots=(_lot("b", 80, later),))
    # when / then
    assert taken_parts(before, after, NOW) == (TakenPart(40, soon), TakenPart(20, later))


def test_returned_lots_keep_their_expiry_or_get_30_days() -> None:
    # given parts from a passed expiry, a future one (twice) and a never-expiring lot
    future = NOW + timedelta(days=9)
    parts = [
        TakenPart(10, NOW - timedelta(days=1)),
        TakenPart(20, future),
        TakenPart(5, future),
        TakenPart(3, None),
    ]
    # when / then
    assert return_lots(parts, NOW) == [
        TakenPart(25, future),
        TakenPart(10, NOW + timedelta(days=30)),
        TakenPart(3, None),
    ]


def test_secret_box_rotates_keys() -> None:
    # given a secret stored under the old key
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = SecretBox.from_setting(old).encrypt("whsec_abc")
    # when the new key is put first, the old one kept after it
    rotated = SecretBox.from_setting(f"{new}, {old}")
    # then the old token still reads, new ones are under the new key only
    assert rotated.decrypt(token) == "whsec_abc"
    assert SecretBox.from_setting(new).decrypt(rotated.encrypt("whsec_abc")) == "whsec_abc"
    assert SecretBox.from_setting(new).decrypt(rotated.rotate(token)) == "whsec_abc"
    with pytest.raises(SecretKeyError):
        SecretBox.from_setting(new).decrypt(token)


def test_secret_box_refuses_a_malformed_key() -> None:
    with pytest.raises(SecretKeyError):
        SecretBox.from_setting("not-a-key")


def test_the_spend_entry_notes_where_its_points_came_from() -> None:
    # given a spend of 60 points from two lots
    soon = NOW + timedelta(days=5)
    state = WalletState(lots=(_lot("a", 40, soon), _lot("b", 100, None)), balance=140)
    change = spend(
        state,
        NOW,
        op_id="redeem:m:k",
        points=60,
        type_=TransactionType.REDEEM,
        reason=Reason("reason.redeem", {"reward_en": "Coffee"}),
    )
    # when the lots are noted on its entry
    noted = note_taken(change, "redeem:m:k", taken_parts(state, change.state, NOW))
    # then they read back from the entries alone, and the reason still reads the same
    assert parts_taken(noted.entries) == (TakenPart(40, soon), TakenPart(20, None))
    assert noted.entries[-1].reason.params["reward_en"] == "Coffee"
    assert parts_taken(change.entries) == ()
