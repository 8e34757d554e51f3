"""Points reservations (checkout with points), one document each, _id tenant:reservation id."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.reservations import PointsReservation, ReservationStatus
from mongo.codec import dec, dec_from, utc, utc_or_none
from mongo.wallets import part_doc, part_from


def _key(tenant: str, reservation_id: str) -> str:
    return f"{tenant}:{reservation_id}"


def _doc(reservation: PointsReservation) -> dict[str, Any]:
    return {
        "_id": _key(reservation.tenant, reservation.id),
        "id": reservation.id,
        "tenant": reservation.tenant,
        "member_id": reservation.member_id,
        "points": reservation.points,
        "discount": dec(reservation.discount),
        "currency": reservation.currency,
        "cart_total": dec(reservation.cart_total),
        "status": reservation.status.value,
        "created_at": reservation.created_at,
        "expires_at": reservation.expires_at,
        "parts": [part_doc(part) for part in reservation.parts],
        "order_id": reservation.order_id,
        "settled_at": reservation.settled_at,
    }


def reservation_from(doc: dict[str, Any]) -> PointsReservation:
    return PointsReservation(
        id=doc["id"],
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        points=doc["points"],
        discount=dec_from(doc["discount"]) or Decimal(0),
        currency=doc["currency"],
        cart_total=dec_from(doc["cart_total"]) or Decimal(0),
        status=ReservationStatus(doc["status"]),
        created_at=utc(doc["created_at"]),
        expires_at=utc(doc["expires_at"]),
        parts=tuple(part_from(part) for part in doc.get("parts", [])),
        order_id=doc.get("order_id"),
        settled_at=utc_or_none(doc.get("settled_at")),
    )


class MongoReservations:
    def __init__(self, db: Any) -> None:
        self._c = db["points_reservations"]

    async def insert(self, reservation: PointsReservation) -> PointsReservation:
        try:
            await self._c.insert_one(_doc(reservation))
        except DuplicateKeyError:
            stored = await self.get(reservation.tenant, reservation.id)
            assert stored is not None
            return stored
        return reservation

    async def get(self, tenant: str, reservation_id: str) -> PointsReservation | None:
        doc = await self._c.find_one({"_id": _key(tenant, reservation_id), "tenant": tenant})
        return reservation_from(doc) if doc else None

    async def settle(
        self,
        tenant: str,
        reservation_id: str,
        status: ReservationStatus,
        at: datetime,
        order_id: str | None = None,
    ) -> PointsReservation | None:
        doc = await self._c.find_one_and_update(
            {
                "_id": _key(tenant, reservation_id),
                "tenant": tenant,
                "status": ReservationStatus.HELD.value,
            },
            {"$set": {"status": status.value, "settled_at": at, "order_id": order_id}},
            return_document=ReturnDocument.AFTER,
        )
        return reservation_from(doc) if doc else None
