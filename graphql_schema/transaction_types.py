"""How ledger entry types appear in the public `TransactionType` enum.

The contract's enum (EARN ... TRANSFER) ships inside apps that cannot be updated in step, and a
client generated from it may fail on a value it does not know. So the types the ledger gained
later read as the contract's value nearest in meaning (issue 12: TRANSFER_OUT, TRANSFER_IN and
DONATE as TRANSFER, the sign of `points` saying which way; MIGRATED as EARN);
`PointsTransaction.kind` gives the ledger's own type to clients that want it."""

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


AS_TRANSFER = frozenset({LedgerType.TRANSFER_OUT, LedgerType.TRANSFER_IN, LedgerType.DONATE})
# Later ledger types and the contract's value they read as.
PUBLIC: dict[LedgerType, TransactionType] = {
    **{kind: TransactionType.TRANSFER for kind in AS_TRANSFER},
    LedgerType.MIGRATED: TransactionType.EARN,  # a balance carried over from another app
}


def public_type(kind: LedgerType) -> TransactionType:
    return PUBLIC.get(kind) or TransactionType(kind.value)
