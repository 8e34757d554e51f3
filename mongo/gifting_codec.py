"""The program's gifting settings to and from the tenant document."""

from __future__ import annotations

from typing import Any

from loyalty.gifting_policy import GiftingPolicy


def gifting_doc(policy: GiftingPolicy) -> dict[str, Any]:
    return {
        "transfers_enabled": policy.transfers_enabled,
        "daily_cap": policy.daily_cap,
        "min_account_days": policy.min_account_days,
    }


def gifting_from(doc: dict[str, Any] | None) -> GiftingPolicy:
    if not doc:
        return GiftingPolicy()
    return GiftingPolicy(
        transfers_enabled=bool(doc.get("transfers_enabled")),
        daily_cap=doc.get("daily_cap"),
        min_account_days=doc.get("min_account_days", 0),
    )
