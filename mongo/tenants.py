"""Tenants, their program settings and member-token keys; merchant API keys."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from pymongo.errors import DuplicateKeyError

from loyalty.program import (
    ActivityType,
    EarningRule,
    EarningRuleKind,
    LimitPeriod,
    PointsName,
    Program,
    Tier,
)
from loyalty.tenants import ApiKey, MemberKey, Scope, Tenant
from mongo.codec import dec, dec_from, text_doc, text_from, utc
from mongo.engagement_codec import (
    engagement_doc,
    offer_from,
    referral_from,
    segments_from,
    tier_policy_from,
)
from mongo.gifting_codec import gifting_doc, gifting_from


def _rule_doc(rule: EarningRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": rule.kind.value,
        "name": text_doc(rule.name),
        "category": rule.category,
        "sku": rule.sku,
        "multiplier": dec(rule.multiplier),
        "bonus_points": rule.bonus_points,
        "activity": rule.activity.value if rule.activity else None,
        "custom_activity": rule.custom_activity,
        "points": rule.points,
        "limit": rule.limit,
        "period": rule.period.value,
        "active": rule.active,
    }


def _rule_from(doc: dict[str, Any]) -> EarningRule:
    return EarningRule(
        id=doc["id"],
        kind=EarningRuleKind(doc["kind"]),
        name=text_from(doc.get("name")),
        category=doc.get("category"),
        sku=doc.get("sku"),
        multiplier=dec_from(doc.get("multiplier")) or Decimal(1),
        bonus_points=doc.get("bonus_points", 0),
        activity=ActivityType(doc["activity"]) if doc.get("activity") else None,
        custom_activity=doc.get("custom_activity"),
        points=doc.get("points", 0),
        limit=doc.get("limit"),
        period=LimitPeriod(doc.get("period", "LIFETIME")),
        active=doc.get("active", True),
    )


def _tier_doc(tier: Tier) -> dict[str, Any]:
    return {
        "id": tier.id,
        "name": text_doc(tier.name),
        "rank": tier.rank,
        "threshold": dec(tier.threshold),
        "earn_multiplier": dec(tier.earn_multiplier),
        "perks": [text_doc(p) for p in tier.perks],
    }


def _tier_from(doc: dict[str, Any]) -> Tier:
    return Tier(
        id=doc["id"],
        name=text_from(doc["name"]),
        rank=doc["rank"],
        threshold=dec_from(doc["threshold"]) or Decimal(0),
        earn_multiplier=dec_from(doc["earn_multiplier"]) or Decimal(1),
        perks=tuple(text_from(p) for p in doc.get("perks", [])),
    )


def program_doc(program: Program) -> dict[str, Any]:
    return {
        "name": text_doc(program.name),
        "currency": program.currency,
        "default_locale": program.default_locale,
        "timezone": program.timezone,
        "points_name": {"ar": program.points_name.ar, "en": program.points_name.en},
        "earn_rate": dec(program.earn_rate),
        "point_value": dec(program.point_value),
        "expiry_months": program.expiry_months,
        "pending_days": program.pending_days,
        "coupon_valid_days": program.coupon_valid_days,
        "member_token_max_days": program.member_token_max_days,
        "earning_rules": [_rule_doc(r) for r in program.earning_rules],
        "tiers": [_tier_doc(t) for t in program.tiers],
        **engagement_doc(
            program.tier_policy, program.vip_trial_offer, program.segments, program.referral
        ),
        "reminder_days": list(program.reminder_days),
        "inactivity_days": program.inactivity_days,
        "daily_marketing_cap": program.daily_marketing_cap,
        "gifting": gifting_doc(program.gifting),
        "return_expired_coupons": program.return_expired_coupons,
    }


def program_from(doc: dict[str, Any]) -> Program:
    names = doc.get("points_name") or {}
    return Program(
        name=text_from(doc["name"]),
        currency=doc["currency"],
        default_locale=doc["default_locale"],
        timezone=doc.get("timezone", "UTC"),
        points_name=PointsName(ar=dict(names.get("ar") or {}), en=dict(names.get("en") or {})),
        earn_rate=dec_from(doc["earn_rate"]) or Decimal(1),
        point_value=dec_from(doc["point_value"]) or Decimal("0.01"),
        expiry_months=doc.get("expiry_months"),
        pending_days=doc.get("pending_days", 14),
        coupon_valid_days=doc.get("coupon_valid_days", 30),
        member_token_max_days=doc.get("member_token_max_days", 30),
        earning_rules=tuple(_rule_from(r) for r in doc.get("earning_rules", [])),
        tiers=tuple(_tier_from(t) for t in doc.get("tiers", [])),
        tier_policy=tier_policy_from(doc.get("tier_policy")),
        vip_trial_offer=offer_from(doc.get("vip_trial_offer")),
        segments=segments_from(doc.get("segments")),
        referral=referral_from(doc.get("referral")),
        reminder_days=tuple(doc.get("reminder_days", (30, 7, 1))),
        inactivity_days=doc.get("inactivity_days", 90),
        daily_marketing_cap=doc.get("daily_marketing_cap", 2),
        gifting=gifting_from(doc.get("gifting")),
        return_expired_coupons=doc.get("return_expired_coupons", True),
    )


def _key_doc(key: MemberKey) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "alg": key.alg,
        "secret": key.secret,
        "public_key_pem": key.public_key_pem,
        "created_at": key.created_at,
    }


def _key_from(doc: dict[str, Any]) -> MemberKey:
    return MemberKey(
        kid=doc["kid"],
        alg=doc["alg"],
        secret=doc.get("secret"),
        public_key_pem=doc.get("public_key_pem"),
        created_at=utc(doc["created_at"]),
    )


class MongoTenants:
    def __init__(self, db: Any) -> None:
        self._c = db["tenants"]

    async def insert(self, tenant: Tenant) -> bool:
        try:
            await self._c.insert_one(
                {
                    "_id": tenant.slug,
                    "program": program_doc(tenant.program),
                    "member_keys": [_key_doc(k) for k in tenant.member_keys],
                    "created_at": tenant.created_at,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def get(self, slug: str) -> Tenant | None:
        doc = await self._c.find_one({"_id": slug})
        if doc is None:
            return None
        return Tenant(
            slug=doc["_id"],
            program=program_from(doc["program"]),
            member_keys=tuple(_key_from(k) for k in doc["member_keys"]),
            created_at=utc(doc["created_at"]),
        )

    async def save_program(self, slug: str, program: Program) -> None:
        await self._c.update_one({"_id": slug}, {"$set": {"program": program_doc(program)}})

    async def save_member_keys(self, slug: str, keys: tuple[MemberKey, ...]) -> None:
        await self._c.update_one(
            {"_id": slug}, {"$set": {"member_keys": [_key_doc(k) for k in keys]}}
        )


class MongoApiKeys:
    def __init__(self, db: Any) -> None:
        self._c = db["api_keys"]

    async def insert(self, key: ApiKey) -> None:
        await self._c.insert_one(
            {
                "_id": key.key_hash,
                "tenant": key.tenant,
                "scopes": sorted(s.value for s in key.scopes),
                "prefix": key.prefix,
                "created_at": key.created_at,
                "label": key.label,
            }
        )

    async def find(self, key_hash: str) -> ApiKey | None:
        doc = await self._c.find_one({"_id": key_hash})
        if doc is None or doc.get("revoked"):
            return None
        return _api_key_from(doc)

    async def list(self, tenant: str) -> list[ApiKey]:
        """The tenant's keys, revoked ones included, oldest first (index tenant_created_at)."""
        cursor = self._c.find({"tenant": tenant}).sort([("created_at", 1), ("_id", 1)])
        return [_api_key_from(doc) for doc in await cursor.to_list(None)]

    async def revoke(self, tenant: str, key_id: str) -> bool:
        """False when the tenant has no such key still valid. The id is the hash's first
        characters: an anchored prefix of _id, served by the _id index."""
        digits = key_id.removeprefix("key_")
        if not key_id.startswith("key_") or not re.fullmatch(r"[0-9a-f]{16}", digits):
            return False
        result = await self._c.update_one(
            {"_id": {"$regex": f"^{digits}"}, "tenant": tenant, "revoked": {"$ne": True}},
            {"$set": {"revoked": True}},
        )
        return bool(result.modified_count)


def _api_key_from(doc: dict[str, Any]) -> ApiKey:
    return ApiKey(
        key_hash=doc["_id"],
        tenant=doc["tenant"],
        scopes=frozenset(Scope(s) for s in doc["scopes"]),
        prefix=doc["prefix"],
        created_at=utc(doc["created_at"]),
        label=doc.get("label") or "",
        revoked=bool(doc.get("revoked")),
    )
