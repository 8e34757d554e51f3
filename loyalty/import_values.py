"""A migrated member as the values staged for the worker (plain BSON-friendly values)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from loyalty.clock import ensure_utc
from loyalty.import_rows import MigratedLot, MigratedMember


def member_values(m: MigratedMember) -> dict[str, object]:
    return {
        "external_id": m.external_id,
        "joined_at": m.joined_at,
        "points": m.points,
        "lots": [
            {"points": lot.points, "earned_at": lot.earned_at, "expires_at": lot.expires_at}
            for lot in m.lots
        ],
        "name": m.name,
        "phone": m.phone,
        "email": m.email,
        "birthday": m.birthday.isoformat() if m.birthday else None,
        "lifetime_spend": str(m.lifetime_spend) if m.lifetime_spend is not None else None,
    }


def _moment(value: Any) -> datetime | None:
    return ensure_utc(value) if isinstance(value, datetime) else None


def member_from_values(values: dict[str, Any]) -> MigratedMember:
    lots = tuple(
        MigratedLot(int(lot["points"]), ensure_utc(lot["earned_at"]), _moment(lot["expires_at"]))
        for lot in values.get("lots") or ()
    )
    birthday = values.get("birthday")
    spend = values.get("lifetime_spend")
    return MigratedMember(
        external_id=values["external_id"],
        joined_at=ensure_utc(values["joined_at"]),
        points=int(values["points"]),
        lots=lots,
        name=values.get("name"),
        phone=values.get("phone"),
        email=values.get("email"),
        birthday=date.fromisoformat(birthday) if birthday else None,
        lifetime_spend=Decimal(spend) if spend is not None else None,
    )
