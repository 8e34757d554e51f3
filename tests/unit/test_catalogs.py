"""The messages as gettext catalogs (Babel): Arabic's six CLDR plural forms in its header, every
message in every language with the same placeholders, catalogs in step with the English source,
and a language added by one file, falling back to English message by message."""

from __future__ import annotations

import gettext
import shutil
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from api import messages_command
from loyalty.i18n import catalogs, translate
from loyalty.i18n.locales import SUPPORTED_LOCALES

CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
TRANSLATIONS = [language for language in catalogs.catalog_languages() if language != "en"]


def po(language: str) -> Catalog:
    with catalogs.po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def names(template: str) -> set[str]:
    """The placeholders a template fills (`points_word` is the renderer's own)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name} - {"points_word"}


def test_the_arabic_catalog_declares_the_six_cldr_plural_forms() -> None:
    # given the Arabic catalog's header
    header = po("ar").plural_forms
    # when its expression is evaluated as gettext does
    assert header.startswith("nplurals=6; ")
    plural = gettext.c2py(header.split("plural=", 1)[1].rstrip(";"))
    cldr = Locale.parse("ar").plural_form
    # then each count gets the form of its CLDR category (zero one two few many other)
    for n in range(1000):
        assert CLDR_ORDER[plural(n)] == cldr(n), n
    # (Babel's own table swaps "many" and "other": 11 would take the form of 100)
    babel_table = gettext.c2py(get_plural("ar").plural_expr)
    assert (babel_table(11), babel_table(100)) != (4, 5)


def test_the_catalogs_are_what_babel_extracts_and_updates_from_the_source() -> None:
    # when `loyalty messages --check` runs / then nothing is out of date
    assert messages_command.run(check=True) == 0


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_translation_keeps_the_english_placeholders(language: str) -> None:
    # given every translated message of a catalog
    translated = [m for m in po(language) if m.id and m.string]
    assert translated
    for message in translated:
        # then it fills the placeholders the English text fills (Arabic may leave out the
        # custom activity's technical key)
        allowed = [names(str(message.id))]
        if (language, message.context) == ("ar", "reason.activity.CUSTOM"):
            allowed.append(set())
        assert names(str(message.string)) in allowed, message.context


@pytest.mark.parametrize("language", [lang for lang in SUPPORTED_LOCALES if lang != "en"])
def test_every_message_exists_in_every_language_the_api_serves(language: str) -> None:
    # given the English source and a served language's catalog
    catalog = po(language)
    # then each message is translated there, and none waits for review
    missing = [
        key
        for key, english in catalogs.ENGLISH.items()
        if (found := catalog.get(english, context=key)) is None or not found.string or found.fuzzy
    ]
    assert missing == []
    assert isinstance(catalogs.compiled(language), gettext.GNUTranslations)


def test_a_partial_catalog_falls_back_to_english_message_by_message() -> None:
    # given the French catalog, which translates only some messages
    assert catalogs.catalog_languages() == ("ar", "en", "fr")
    # when / then a translated message is French, an untranslated one English
    assert translate("error.MEMBER_NOT_FOUND", "fr-CA") == "Membre introuvable."
    assert translate("error.OUT_OF_RANGE", "fr", min=1, max=100) == (
        "La valeur doit être comprise entre 1 et 100."
    )
    assert translate("error.INVALID_AMOUNT", "fr") == "The amount must be a positive number."
    assert translate("error.MEMBER_NOT_FOUND", "de") == "Member not found."


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    copy = tmp_path / "locale"
    shutil.copytree(catalogs.LOCALE_DIR, copy)
    monkeypatch.setattr(catalogs, "LOCALE_DIR", copy)
    catalogs.catalog_languages.cache_clear()
    catalogs.compiled.cache_clear()
    yield copy
    catalogs.catalog_languages.cache_clear()
    catalogs.compiled.cache_clear()


def test_a_third_language_is_one_file(locale_copy: Path) -> None:
    # given one new file: German, one message translated and one awaiting review (fuzzy)
    german = locale_copy / "de" / "LC_MESSAGES" / "messages.po"
    german.parent.mkdir(parents=True)
    german.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgctxt "error.MEMBER_NOT_FOUND"\nmsgid "Member not found."\n'
        'msgstr "Mitglied nicht gefunden."\n\n'
        '#, fuzzy\nmsgctxt "error.NOT_FOUND"\nmsgid "Not found."\nmsgstr "Nicht gefunden?"\n',
        encoding="utf-8",
    )
    # when / then it is a language, its message is German, the others (fuzzy too) English
    assert catalogs.catalog_languages() == ("ar", "de", "en", "fr")
    assert translate("error.MEMBER_NOT_FOUND", "de-AT") == "Mitglied nicht gefunden."
    assert translate("error.NOT_FOUND", "de") == "Not found."
    assert translate("error.FORBIDDEN", "de") == (
        "You are not allowed to perform this action with these credentials."
    )
