"""Push texts: rendered from the message catalog in the member's language, with the merchant's
own name for points and correct Arabic plural forms (via loyalty.i18n)."""

from __future__ import annotations

from datetime import datetime

from loyalty.i18n import PointsNames, translate_with_names
from loyalty.notifications import NotificationKind
from loyalty.program import BASE_TIER, LocalizedText, Program

Params = dict[str, object]

DEEP_LINKS = {
    NotificationKind.POINTS_EXPIRING: "loyalty://wallet",
    NotificationKind.TIER_UPGRADED: "loyalty://tier",
    NotificationKind.VIP_TRIAL_STARTED: "loyalty://tier",
    NotificationKind.VIP_TRIAL_ENDING_SOON: "loyalty://tier",
    NotificationKind.VIP_TRIAL_ENDED: "loyalty://tier",
    NotificationKind.WIN_BACK: "loyalty://rewards",
    NotificationKind.CAMPAIGN: "loyalty://home",
    NotificationKind.REWARD_AFFORDABLE: "loyalty://rewards",
}


def points_names(program: Program) -> PointsNames | None:
    ar, en = program.points_name.ar, program.points_name.en
    if not (ar.get("other") and en.get("other")):
        return None
    return PointsNames(ar=ar, en=en)


def local_date(moment: datetime, program: Program) -> str:
    """The calendar date in the program's zone, Latin digits (as the apps show numbers)."""
    return moment.astimezone(program.zone()).date().isoformat()


def render(
    kind: NotificationKind, locale: str, program: Program, params: Params
) -> tuple[str, str]:
    names = points_names(program)
    title = translate_with_names(f"push.{kind.value}.title", locale, names, **params)
    body = translate_with_names(f"push.{kind.value}.body", locale, names, **params)
    return title, body


def tier_name(program: Program, tier_id: str | None, locale: str) -> str:
    tier = program.tier(tier_id) if tier_id else None
    if tier is None and tier_id == BASE_TIER.id:
        tier = BASE_TIER  # programs without tiers still have the base one
    if tier is None:
        return tier_id or ""
    return tier.name.pick(locale, tier.id) or tier.id


def campaign_text(text: LocalizedText, locale: str) -> str:
    return text.pick(locale) or ""
