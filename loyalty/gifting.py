"""Gifting points between members and donating them to a merchant's charities: the policy,
the transfer record, and the pure checks a request passes before anything is written.

A transfer moves points between two wallets without a transaction. The sender is debited
under `out_op`, then the recipient credited under `in_op`; both are wallet operation ids, so
each side happens at most once however often it is retried. The record says which attempt is
open: a crash between the two writes leaves it PENDING, and the transfer sweeper
(loyalty/usecases/transfer_sweep.py) completes it from the ledger once no debit can land any
more: debited -> credit and COMPLETED, not debited -> FAILED. Both wallets change, or neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from loyalty.errors import DomainError, ErrorCode
from loyalty.gifting_policy import GiftingPolicy
from loyalty.members import Member
from loyalty.program import LocalizedText
from loyalty.urls import is_https_url

# As for redemptions (loyalty/rewards.py): a debit may land only within TAKE_WINDOW of the
# attempt being armed (the wallet write checks it); the sweeper looks SWEEP_GRACE after, when
# what the ledger shows is final.
TAKE_WINDOW = timedelta(minutes=5)
SWEEP_GRACE = timedelta(minutes=15)
MAX_CHARITY_NAME = 120
MAX_LOGO_URL = 2048


class TransferStatus(StrEnum):
    PENDING = "PENDING"  # armed; the sender may or may not be debited yet
    COMPLETED = "COMPLETED"  # both sides written
    FAILED = "FAILED"  # the sender was not debited, and no debit can land any more


@dataclass(frozen=True)
class Transfer:
    id: str  # tenant:sender:key, so a retry finds its own record
    tenant: str
    sender_id: str
    recipient_id: str
    points: int
    status: TransferStatus
    created_at: datetime
    armed_at: datetime
    attempt: int
    day: str  # the sender's local day (the daily cap's period), ISO date
    sweep_at: datetime | None

    @property
    def out_op(self) -> str:
        return f"transfer-out:{self.id}"

    @property
    def in_op(self) -> str:
        # Derived from the record, not from the debit: the sweeper rebuilds it after a crash.
        return f"transfer-in:{self.id}"

    @property
    def take_deadline(self) -> datetime:
        return self.armed_at + TAKE_WINDOW


def transfer_id(tenant: str, sender_id: str, key: str) -> str:
    return f"{tenant}:{sender_id}:{key}"


def check_policy(policy: GiftingPolicy, sender: Member, now: datetime) -> None:
    """What the program allows this sender at all (before the amount is considered)."""
    if not policy.transfers_enabled:
        raise DomainError(ErrorCode.TRANSFERS_DISABLED)
    if now - sender.joined_at < timedelta(days=policy.min_account_days):
        raise DomainError(ErrorCode.ACCOUNT_TOO_NEW, days=policy.min_account_days)


def check_cap(policy: GiftingPolicy, sent_today: int, points: int) -> None:
    if policy.daily_cap is not None and sent_today + points > policy.daily_cap:
        left = max(policy.daily_cap - sent_today, 0)
        raise DomainError(
            ErrorCode.TRANSFER_LIMIT_REACHED,
            ("input", "points"),
            points=left,
            cap=policy.daily_cap,
            variant="" if left else "none",
        )


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class Charity:
    id: str
    name: LocalizedText
    logo_url: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


def check_charity(name: LocalizedText, logo_url: str | None) -> tuple[LocalizedText, str | None]:
    """A name in at least one language (each at most MAX_CHARITY_NAME); a logo only over https
    (apps load it directly, and a plain-http image is blocked or tampered with)."""
    ar = (name.ar or "").strip() or None
    en = (name.en or "").strip() or None
    if ar is None and en is None:
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", "name"), detail="name")
    for text, lang in ((ar, "ar"), (en, "en")):
        if text is not None and len(text) > MAX_CHARITY_NAME:
            raise DomainError(ErrorCode.TOO_LONG, ("input", "name", lang), max=MAX_CHARITY_NAME)
    logo = (logo_url or "").strip() or None
    if logo is not None:
        if len(logo) > MAX_LOGO_URL:
            raise DomainError(ErrorCode.TOO_LONG, ("input", "logoUrl"), max=MAX_LOGO_URL)
        if not is_https_url(logo):
            raise DomainError(ErrorCode.INSECURE_URL, ("input", "logoUrl"))
    return LocalizedText(ar=ar, en=en), logo
