"""Push texts: rendered from the message catalog in the member's language, with the merchant's
own name for points, correct Arabic plural forms and dates in the locale's format, in the
program's time zone or the member's device's (via loyalty.i18n). Dates are passed as
datetimes and formatted by the renderer, never as ISO strings."""

from __future__ import annotations

from datetime import datetime

from loyalty.i18n.messages import translate_in
from loyalty.notifications import NotificationKind
from loyalty.program import BASE_TIER, LocalizedText, Program
from loyalty.program_texts import message_context, points_names

__all__ = [
    "DEEP_LINKS",
    "Params",
    "Renderer",
    "local_date",
    "points_names",
    "render",
    "tier_name",
]

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
    NotificationKind.BIRTHDAY: "loyalty://wallet",
}


def local_date(moment: datetime, program: Program) -> str:
    """The calendar date in the program's zone as an ISO key (dedupe keys, never texts)."""
    return moment.astimezone(program.zone()).date().isoformat()


def render(
    kind: NotificationKind,
    locale: str,
    program: Program,
    params: Params,
    timezone: str | None = None,
) -> tuple[str, str]:
    """Title and body; dates in `timezone` (the member's device's) or else the program's."""
    context = message_context(program, timezone)
    title = translate_in(f"push.{kind.value}.title", locale, context, **params)
    body = translate_in(f"push.{kind.value}.body", locale, context, **params)
    return title, body


class Renderer:
    """Many pushes for one program: the reader's context (the merchant's names for points, the
    zone) is built once, and equal texts are rendered once. A run of reminders repeats few
    (locale, points, date) combinations; the cache keeps at most MAX_CACHED of them, so
    memory stays flat however many members there are."""

    MAX_CACHED = 10_000

    def __init__(self, program: Program, timezone: str | None = None) -> None:
        self._context = message_context(program, timezone)
        self._texts: dict[tuple[object, ...], tuple[str, str]] = {}

    def render(self, kind: NotificationKind, locale: str, params: Params) -> tuple[str, str]:
        key = (kind, locale, *sorted(params.items()))
        texts = self._texts.get(key)
        if texts is None:
            texts = (
                translate_in(f"push.{kind.value}.title", locale, self._context, **params),
                translate_in(f"push.{kind.value}.body", locale, self._context, **params),
            )
            if len(self._texts) < self.MAX_CACHED:
                self._texts[key] = texts
        return texts


def tier_name(program: Program, tier_id: str | None, locale: str) -> str:
    tier = program.tier(tier_id) if tier_id else None
    if tier is None and tier_id == BASE_TIER.id:
        tier = BASE_TIER  # programs without tiers still have the base one
    if tier is None:
        return tier_id or ""
    return tier.name.pick(locale, tier.id) or tier.id


def campaign_text(text: LocalizedText, locale: str) -> str:
    return text.pick(locale) or ""
