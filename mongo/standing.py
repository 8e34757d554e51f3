"""A member's standing, kept on the member document: tier status, RFM segment, referrer and
leaderboard opt-out. Field names `tier_status.tier_id` and `segment` are read by analytics."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from loyalty.member_events import MemberEventKind
from loyalty.segments import Segment
from loyalty.tiers import TierNotice, TierState, Trial
from mongo.codec import dec, dec_from, object_id, utc, utc_or_none


def _trial_doc(trial: Trial | None) -> dict[str, Any] | None:
    if trial is None:
        return None
    return {
        "tier_id": trial.tier_id,
        "started_at": trial.started_at,
        "ends_at": trial.ends_at,
        "granted": trial.granted,
    }


def _trial_from(doc: dict[str, Any]) -> Trial:
    return Trial(doc["tier_id"], utc(doc["started_at"]), utc(doc["ends_at"]), doc["granted"])


def tier_state_doc(state: TierState) -> dict[str, Any]:
    return {
        "tier_id": state.tier_id,
        "qualified_id": state.qualified_id,
        "qualifying_value": dec(state.qualifying_value),
        "version": state.version,
        "below_since": state.below_since,
        "review_at": state.review_at,
        "trial": _trial_doc(state.trial),
        "last_trial_at": state.last_trial_at,
        "notices": [
            {"kind": n.kind.value, "key": n.key, "at": n.at, "data": dict(n.data)}
            for n in state.notices
        ],
    }


def tier_state_from(doc: Any) -> TierState:
    if not doc:
        return TierState()
    trial = doc.get("trial")
    return TierState(
        tier_id=doc.get("tier_id") or "base",
        qualified_id=doc.get("qualified_id") or "base",
        qualifying_value=dec_from(doc.get("qualifying_value")) or Decimal(0),
        version=doc.get("version", 0),
        below_since=utc_or_none(doc.get("below_since")),
        review_at=utc_or_none(doc.get("review_at")),
        trial=(
            Trial(
                trial["tier_id"], utc(trial["started_at"]), utc(trial["ends_at"]), trial["granted"]
            )
            if trial
            else None
        ),
        last_trial_at=utc_or_none(doc.get("last_trial_at")),
        notices=tuple(
            TierNotice(MemberEventKind(n["kind"]), n["key"], utc(n["at"]), n.get("data") or {})
            for n in doc.get("notices") or ()
        ),
    )


class MongoStanding:
    def __init__(self, db: Any) -> None:
        self._c = db["members"]

    async def save_tier(
        self, tenant: str, member_id: str, expected_version: int, state: TierState
    ) -> bool:
        """Conditional on the version read, so two evaluations racing (two orders at once, an
        order and the scheduler) cannot both announce the same change."""
        version: Any = expected_version if expected_version else {"$in": [None, 0]}
        result = await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant, "tier_status.version": version},
            {"$set": {"tier_status": tier_state_doc(state)}},
        )
        return bool(result.matched_count == 1)

    async def tier_review_due(self, tenant: str, now: datetime, limit: int) -> list[str]:
        cursor = self._c.find(
            {"tenant": tenant, "tier_status.review_at": {"$lte": now}}, {"_id": 1}
        ).limit(limit)
        return [str(doc["_id"]) for doc in await cursor.to_list(None)]

    async def save_segment(
        self, tenant: str, member_id: str, segment: Segment, review_at: datetime | None
    ) -> None:
        await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant},
            {"$set": {"segment": segment.value, "segment_review_at": review_at}},
        )

    async def segment_review_due(self, tenant: str, now: datetime, limit: int) -> list[str]:
        cursor = self._c.find(
            {"tenant": tenant, "segment_review_at": {"$lte": now}}, {"_id": 1}
        ).limit(limit)
        return [str(doc["_id"]) for doc in await cursor.to_list(None)]

    async def set_referrer(self, tenant: str, member_id: str, referrer_id: str) -> bool:
        """Once: only when no referrer was set before (a concurrent second code loses)."""
        result = await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant, "referred_by": None},
            {"$set": {"referred_by": referrer_id}},
        )
        return bool(result.matched_count == 1)

    async def clear_referrer(self, tenant: str, member_id: str, referrer_id: str) -> None:
        """Undoes a link that turned out to close a circle (two members racing each other)."""
        await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant, "referred_by": referrer_id},
            {"$set": {"referred_by": None}},
        )

    async def by_referral_code(self, tenant: str, code: str) -> str | None:
        doc = await self._c.find_one({"tenant": tenant, "referral_code": code}, {"_id": 1})
        return str(doc["_id"]) if doc else None

    async def set_leaderboard_opt_out(self, tenant: str, member_id: str, opt_out: bool) -> None:
        await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant},
            {"$set": {"leaderboard_opt_out": opt_out}},
        )

    async def note_badge(self, tenant: str, member_id: str, badge_id: str) -> None:
        await self._c.update_one(
            {"_id": object_id(member_id), "tenant": tenant}, {"$addToSet": {"badges": badge_id}}
        )
