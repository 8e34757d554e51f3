"""Wallet and ledger documents: conversions, and the journal that makes ledger writes durable.

A wallet lives inside its member's document, so every change is one conditional single-document
update (`wallet.seq` must still be what was read): no transaction needed, on any topology.
The entries a change produces are kept in `wallet.journal` in that same update and then copied
to the `ledger` collection under deterministic ids, after which `synced_seq` is advanced and
the journal cleared. If the process dies between the writes, the next write to that wallet, the
next read of its history, or the ledger sweeper copies the journal again; duplicates are
ignored, so the ledger ends up complete exactly once.
"""

from __future__ import annotations

from typing import Any

from pymongo.errors import BulkWriteError

from loyalty.ledger import LedgerEntry, Reason, TransactionType
from loyalty.lots import HeldPart, Hold, Lot, WalletState, expiry_dates, next_due
from mongo.codec import utc, utc_or_none

DUPLICATE_KEY = 11000


def lot_doc(lot: Lot) -> dict[str, Any]:
    return {
        "id": lot.id,
        "points": lot.points,
        "remaining": lot.remaining,
        "earned_at": lot.earned_at,
        "available_at": lot.available_at,
        "expires_at": lot.expires_at,
        "released": lot.released,
        "op_id": lot.op_id,
        "order_id": lot.order_id,
    }


def lot_from(doc: dict[str, Any]) -> Lot:
    return Lot(
        id=doc["id"],
        points=doc["points"],
        remaining=doc["remaining"],
        earned_at=utc(doc["earned_at"]),
        available_at=utc(doc["available_at"]),
        expires_at=utc_or_none(doc.get("expires_at")),
        released=doc["released"],
        op_id=doc["op_id"],
        order_id=doc.get("order_id"),
    )


def part_doc(part: HeldPart) -> dict[str, Any]:
    return {
        "lot_id": part.lot_id,
        "points": part.points,
        "earned_at": part.earned_at,
        "expires_at": part.expires_at,
        "order_id": part.order_id,
    }


def hold_doc(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.id,
        "points": hold.points,
        "expires_at": hold.expires_at,
        "parts": [part_doc(part) for part in hold.parts],
    }


def part_from(doc: dict[str, Any]) -> HeldPart:
    return HeldPart(
        lot_id=doc["lot_id"],
        points=doc["points"],
        earned_at=utc(doc["earned_at"]),
        expires_at=utc_or_none(doc.get("expires_at")),
        order_id=doc.get("order_id"),
    )


def hold_from(doc: dict[str, Any]) -> Hold:
    return Hold(
        id=doc["id"],
        points=doc["points"],
        expires_at=utc(doc["expires_at"]),
        parts=tuple(part_from(part) for part in doc.get("parts", [])),
    )


def entry_doc(tenant: str, member_id: str, entry: LedgerEntry) -> dict[str, Any]:
    return {
        "_id": f"{tenant}:{member_id}:{entry.seq}",
        "tenant": tenant,
        "member_id": member_id,
        "seq": entry.seq,
        "op_id": entry.op_id,
        "type": entry.type.value,
        "points": entry.points,
        "balance_delta": entry.balance_delta,
        "pending_delta": entry.pending_delta,
        "balance_after": entry.balance_after,
        "pending_after": entry.pending_after,
        "reason_key": entry.reason.key,
        "reason_params": dict(entry.reason.params),
        "reason_text": entry.reason.text,
        "created_at": entry.created_at,
        "order_id": entry.order_id,
        "lot_id": entry.lot_id,
        "shortfall": entry.shortfall,
        "held_delta": entry.held_delta,
        "held_after": entry.held_after,
    }


def entry_from(doc: dict[str, Any]) -> LedgerEntry:
    return LedgerEntry(
        seq=doc["seq"],
        op_id=doc["op_id"],
        type=TransactionType(doc["type"]),
        points=doc["points"],
        balance_delta=doc["balance_delta"],
        pending_delta=doc["pending_delta"],
        balance_after=doc["balance_after"],
        pending_after=doc["pending_after"],
        reason=Reason(doc["reason_key"], doc.get("reason_params") or {}, doc.get("reason_text")),
        created_at=utc(doc["created_at"]),
        order_id=doc.get("order_id"),
        lot_id=doc.get("lot_id"),
        shortfall=doc.get("shortfall", 0),
        held_delta=doc.get("held_delta", 0),
        held_after=doc.get("held_after", 0),
    )


def wallet_doc(
    state: WalletState, journal: list[dict[str, Any]], synced_seq: int
) -> dict[str, Any]:
    return {
        "seq": state.seq,
        "synced_seq": synced_seq,
        "balance": state.balance,
        "pending": state.pending,
        "lifetime_earned": state.lifetime_earned,
        "lots": [lot_doc(lot) for lot in state.lots],
        "holds": [hold_doc(hold) for hold in state.holds],
        "held": state.held,
        "recent_ops": list(state.recent_ops),
        "journal": journal,
        # Set while the journal may not be in the ledger yet: the ledger sweeper finds such
        # wallets through a partial index holding only them.
        "unsynced_seq": state.seq if journal else None,
        "next_due_at": next_due(state),
        # Every moment some points expire (one per day at most: lots of a day expire
        # together). Multikey-indexed so reminders find exactly the wallets with a lot entering
        # a reminder window; a single "next expiry" would hide the later lots.
        "expiry_dates": expiry_dates(state),
    }


def wallet_from(doc: dict[str, Any] | None) -> WalletState:
    if not doc:
        return WalletState()
    return WalletState(
        seq=doc.get("seq", 0),
        lots=tuple(lot_from(lot) for lot in doc.get("lots", [])),
        balance=doc.get("balance", 0),
        pending=doc.get("pending", 0),
        lifetime_earned=doc.get("lifetime_earned", 0),
        recent_ops=tuple(doc.get("recent_ops", [])),
        holds=tuple(hold_from(hold) for hold in doc.get("holds", [])),
        held=doc.get("held", 0),
    )


SYNCED = {"wallet.unsynced_seq": None}


def unsynced_journal(wallet: dict[str, Any]) -> list[dict[str, Any]]:
    """The journal's entries the ledger may not hold yet (all of it, for wallets written before
    `synced_seq` was advanced)."""
    synced = wallet.get("synced_seq", 0)
    return [entry for entry in wallet.get("journal", []) if entry["seq"] > synced]


def empty_wallet_doc() -> dict[str, Any]:
    return wallet_doc(WalletState(), [], 0)


async def write_entries(ledger: Any, docs: list[dict[str, Any]]) -> None:
    """Insert ledger entries, ignoring those already there (a replayed journal)."""
    if not docs:
        return
    try:
        await ledger.insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(err.get("code") != DUPLICATE_KEY for err in errors):
            raise
