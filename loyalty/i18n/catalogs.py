"""The gettext catalogs: one `.po` file per language in `loyalty/i18n/locale`, compiled to
`.mo` in memory when a language is first used (with Babel), so a fresh clone, a wheel or a
container needs no build step and a compiled file can never be stale.

A language is any directory with `LC_MESSAGES/messages.po`: adding a language is adding that
one file (`loyalty messages --init fr`). English is the source (`loyalty.i18n.source`); a
message another catalog lacks, leaves empty or marks fuzzy falls back to English, message by
message (gettext's own rule: the `msgid` is the English text).
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from loyalty.i18n.source import SOURCE

DOMAIN: Final = "messages"
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE: Final = "en"
ENGLISH: Final = dict(SOURCE)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog_languages() -> tuple[str, ...]:
    """English and every language with a catalog file, sorted."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return tuple(sorted({SOURCE_LANGUAGE, *found}))


@cache
def compiled(language: str) -> gettext.NullTranslations:
    """The language's catalog as gettext reads a `.mo` file (fuzzy entries left out)."""
    path = po_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return gettext.GNUTranslations(mo)


def template(key: str, language: str) -> str:
    """The message `key` in `language`, or in English when that catalog lacks it (KeyError for
    a key that is not a message)."""
    english = ENGLISH[key]
    return compiled(language).pgettext(key, english)
