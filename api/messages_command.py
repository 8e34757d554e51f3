"""`loyalty messages [--check] [--init LANG]`: the gettext catalogs kept in step with the
English source, with Babel (extract, update), so translators work in Poedit or Weblate.

- `loyalty/i18n/source.py` holds every message in English (`message(key, english)`);
- `loyalty/i18n/locale/messages.pot` is what Babel extracts from it (`msgctxt` = key,
  `msgid` = English);
- `loyalty/i18n/locale/<lang>/LC_MESSAGES/messages.po` is one language: new messages are
  added untranslated, changed ones marked fuzzy (shown in English until reviewed), removed
  ones dropped. Its `Plural-Forms` header is the language's CLDR rule (Arabic: six forms).

`--init fr` starts a language: adding a language is adding that one file (its `.mo` is
compiled in memory when first used, see `loyalty.i18n.catalogs`). `--check` changes nothing
and fails when a file is not what this command would write (the test suite runs it).
"""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po
from babel.plural import to_gettext

from loyalty.i18n.catalogs import DOMAIN, LOCALE_DIR, po_path

ROOT = LOCALE_DIR.parents[2]
SOURCE = LOCALE_DIR.parent / "source.py"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"message": ((1, "c"), 2)}
# Fixed, so that the files change only when messages do.
CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def plural_forms(language: str) -> str:
    """The language's CLDR rule as a gettext expression (Arabic's six forms: Babel's own table
    has Arabic's "many" and "other" the wrong way round), or Babel's table where the CLDR rule
    needs more than n (French: gettext knows no exponent)."""
    rule = to_gettext(Locale.parse(language).plural_form)
    if set(re.findall(r"[a-z]+", rule.split("plural=", 1)[1])) <= {"n"}:
        return rule
    plural = get_plural(language)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def template() -> Catalog:
    catalog = Catalog(project="loyalty", creation_date=CREATED, fuzzy=False)
    relative = SOURCE.relative_to(ROOT).as_posix()
    for lineno, msgid, comments, context in extract_from_file(
        "python", SOURCE, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalog.add(msgid, locations=[(relative, lineno)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, ignore_obsolete=True, include_lineno=False)
    return buffer.getvalue()


def updated(language: str, pot: Catalog, existing: bytes | None) -> bytes:
    if existing is None:
        catalog = Catalog(
            locale=language,
            project="loyalty",
            creation_date=CREATED,
            revision_date=CREATED,
            fuzzy=False,
        )
    else:
        catalog = read_po(io.BytesIO(existing), locale=language)
    # A changed English text keeps its old translation as fuzzy: shown in English until a
    # translator confirms it (fuzzy entries are left out when compiling).
    catalog.update(pot)
    catalog.mime_headers = [
        (name, value) for name, value in catalog.mime_headers if name != "Plural-Forms"
    ] + [("Plural-Forms", plural_forms(language))]
    return _write(catalog)


def run(check: bool, init: str | None = None) -> int:
    pot = template()
    wanted: dict[Path, bytes] = {TEMPLATE: _write(pot)}
    languages = sorted(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    if init is not None and init not in languages:
        languages.append(init)
    for language in languages:
        path = po_path(language)
        wanted[path] = updated(language, pot, path.read_bytes() if path.exists() else None)
    stale = [p for p, data in wanted.items() if not p.exists() or p.read_bytes() != data]
    if check:
        for path in stale:
            print(
                f"{path.relative_to(ROOT)} is out of date: run `loyalty messages`", file=sys.stderr
            )
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wanted[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0
