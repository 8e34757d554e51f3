"""The messages (Arabic and English, and any language with a gettext catalog) and `translate`.

The texts live in gettext catalogs (`loyalty.i18n.catalogs`): English, the source, in
`loyalty/i18n/source.py`, each other language in its own `.po` file, kept in step by
`loyalty messages` (Babel). Templates are filled by the one renderer, `loyalty.i18n.render`
(placeholder specs such as `{points:obl}` or `{max:levels}`, money, dates, bidi isolation of
Arabic values). Every key has the same placeholders in every language, except that an Arabic
text may leave out one the English text names (`reason.activity.CUSTOM` shows no technical key
to shoppers).

`MESSAGES` holds the languages the API serves (`SUPPORTED_LOCALES`: every message in each).
`translate` also takes another catalog's language (a partial French one proves the point): a
message that catalog lacks is the English one.

A key may have variants, `<key>.<variant>` (e.g. `error.TIER_ALREADY_HELD.admin`): the
`variant` parameter selects one when it exists, and the key itself otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from loyalty.i18n.catalogs import ENGLISH, catalog_languages, template
from loyalty.i18n.locales import FALLBACK_LOCALE, SUPPORTED_LOCALES, normalize_locale
from loyalty.i18n.plurals import PointsNames
from loyalty.i18n.render import MessageContext, render

MESSAGES: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        key: MappingProxyType({locale: template(key, locale) for locale in SUPPORTED_LOCALES})
        for key in ENGLISH
    }
)


def message_key(key: str, params: Mapping[str, object], audience: str | None = None) -> str:
    """`key`, or its variant named by the `variant` parameter (else by the reader's
    `audience`) when the catalog has one."""
    for variant in (params.get("variant"), audience):
        if isinstance(variant, str) and variant and f"{key}.{variant}" in MESSAGES:
            return f"{key}.{variant}"
    return key


def translate(key: str, locale: str, /, **params: object) -> str:
    """The message `key` in `locale` with `params` filled in.

    `locale` is normalised (`ar-SA` -> "ar"); an unsupported locale falls back to "en".
    `key` and `locale` are positional-only, so templates may use `{key}` and `{locale}`
    placeholders and `translate(k, loc, **error.params)` type-checks.
    Raises KeyError for an unknown key or a missing parameter; extra parameters are ignored.
    """
    return translate_in(key, locale, MessageContext(), **params)


def translate_with_names(
    key: str, locale: str, points_names: PointsNames | None, /, **params: object
) -> str:
    """Like `translate`, with a merchant's own words for points."""
    return translate_in(key, locale, MessageContext(points_names), **params)


def translate_in(key: str, locale: str, context: MessageContext, /, **params: object) -> str:
    """Like `translate`, for a reader described by `context` (point names, time zone)."""
    chosen = message_key(key, params, context.audience)
    resolved = normalize_locale(locale)
    if resolved is not None:
        return render(MESSAGES[chosen][resolved], resolved, context, params)
    language = _catalog_language(locale)
    if language is None:
        return render(MESSAGES[chosen][FALLBACK_LOCALE], FALLBACK_LOCALE, context, params)
    # Another catalog's language: its text where it has one, else the English one; either is
    # rendered by the left-to-right (English) rules, the only others the renderer knows.
    return render(template(chosen, language), FALLBACK_LOCALE, context, params)


def _catalog_language(locale: str) -> str | None:
    primary = locale.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in catalog_languages() else None
