"""How ledger entry types appear in the public `TransactionType` enum.

The contract's enum (EARN ... TRANSFER) ships inside apps that cannot be updated in step, and a
client generated from it may fail on a value it does not know. So the types the ledger gained
later (issue 12: TRANSFER_OUT, TRANSFER_IN, DONATE) read as the contract's TRANSFER there, with
the sign of `points` saying which way; `PointsTransaction.kind` gives the ledger's own type to
clients that want it."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from loyalty.ledger import TransactionType as LedgerType


@strawberry.enum(name="TransactionType")
class TransactionType(StrEnum):
    EARN = "EARN"
    PENDING = "PENDING"
    RELEASE = "RELEASE"
    REDEEM = "REDEEM"
    EXPIRE = "EXPIRE"
    REFUND = "REFUND"
    ADJUST = "ADJUST"
    TRANSFER = "TRANSFER"
    # Checkout with points (issue 11): the checkout contract block's own entries. An app that
    # pays with points asks for them, so it is built knowing them.
    HOLD = "HOLD"
    CAPTURE = "CAPTURE"
    HOLD_RELEASE = "HOLD_RELEASE"


AS_TRANSFER = frozenset({LedgerType.TRANSFER_OUT, LedgerType.TRANSFER_IN, LedgerType.DONATE})


def public_type(kind: LedgerType) -> TransactionType:
    return TransactionType.TRANSFER if kind in AS_TRANSFER else TransactionType(kind.value)
