"""Members: a shopper inside one tenant, identified by the merchant's customer id."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from loyalty.lots import WalletState
from loyalty.segments import Segment
from loyalty.tiers import TierState

# No 0/O/1/I: codes are read aloud and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_EXTERNAL_ID = 128


@dataclass(frozen=True)
class Member:
    id: str
    tenant: str
    external_id: str
    locale: str
    joined_at: datetime
    referral_code: str
    display_name: str | None = None
    email: str | None = None
    phone: str | None = None
    wallet: WalletState = field(default_factory=WalletState)
    first_order_at: datetime | None = None
    last_order_at: datetime | None = None
    tier: TierState = field(default_factory=TierState)
    segment: Segment = Segment.NEW
    referred_by: str | None = None  # the referrer's member id
    leaderboard_opt_out: bool = False
    birthday: date | None = None  # as the store knows it (customer webhooks)


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
