"""Member search by prefix, without unanchored regular expressions.

Each member document carries `search_keys`: every prefix (up to MAX_PREFIX characters) of the
normalized words of its name, email and external id, and of its phone digits. A search term
then is an exact element match on that array, served by a multikey index; several words must
all match (`Sara Ah` finds "Sara Ahmed").

Normalization makes what a merchant types match what the shopper entered:
* case and compatibility forms folded, Latin accents dropped (José = jose);
* Arabic diacritics and tatweel dropped, alef forms (أ إ آ ٱ) read as ا, ى as ي, ة as ه,
  ؤ as و, ئ as ي; Arabic-Indic digits read as Latin digits;
* an Arabic word starting with the article ال is also found without it (العتيبي by عتيبي);
* phones are digits only, also keyed by their last 9 and 10 digits, so the local form
  (0501234567) finds the international one (+966501234567).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MAX_PREFIX = 24
MAX_SEARCH = 64
MAX_TERMS = 4
ARTICLE = "ال"
# National significant numbers in the Gulf are 9 digits, Egyptian mobiles 10.
LOCAL_PHONE_LENGTHS = (9, 10)

_LETTERS = str.maketrans(
    {
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ـ": None,  # tatweel: a stretch, not a letter
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_WORD_SPLIT = re.compile(r"[^\w]+|_+")
_PHONE_CHARS = re.compile(r"[+\d\s().-]+")


def normalize(text: str) -> str:
    # NFKD splits أ إ آ ؤ ئ and accented Latin letters into a base letter and marks (Mn),
    # which are dropped together with the Arabic diacritics.
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept).casefold().translate(_LETTERS)


def _prefixes(word: str) -> Iterable[str]:
    return (word[:n] for n in range(1, min(len(word), MAX_PREFIX) + 1))


def _words(text: str) -> list[str]:
    return [w for w in _WORD_SPLIT.split(normalize(text)) if w]


def _word_keys(word: str) -> set[str]:
    keys = set(_prefixes(word))
    if word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1:
        keys.update(_prefixes(word[len(ARTICLE) :]))
    return keys


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in normalize(phone) if ch.isdigit())


def search_keys(
    *,
    display_name: str | None,
    email: str | None,
    phone: str | None,
    external_id: str,
) -> list[str]:
    keys: set[str] = set()
    for text in (display_name, email, external_id):
        if not text:
            continue
        for word in _words(text):
            keys.update(_word_keys(word))
    for whole in (email, external_id):
        # The whole value too, so that "sara.ahmed@ex" or "c-10" match as typed.
        if whole:
            keys.update(_prefixes("".join(normalize(whole).split())))
    if phone:
        digits = phone_digits(phone)
        for variant in (digits, *(digits[-n:] for n in LOCAL_PHONE_LENGTHS)):
            keys.update(_prefixes(variant.lstrip("0")))
    return sorted(keys)


@dataclass(frozen=True)
class SearchTerms:
    """Each term matches when any of its alternatives is one of the member's keys."""

    terms: tuple[tuple[str, ...], ...]


def search_terms(search: str) -> SearchTerms:
    """The words typed (at most MAX_TERMS, each cut to MAX_PREFIX); a phone typed with spaces
    or dashes is one term. Empty when nothing searchable was typed."""
    if _PHONE_CHARS.fullmatch(search.strip()) and any(ch.isdigit() for ch in normalize(search)):
        digits = phone_digits(search)
        # Digits as typed too: an external id like 00123 keeps its zeros.
        alternatives = {digits.lstrip("0") or "0", digits}
        return SearchTerms((tuple(sorted(a[:MAX_PREFIX] for a in alternatives)),))
    terms: list[tuple[str, ...]] = []
    for raw in search.split()[:MAX_TERMS]:
        term = "".join(normalize(raw).split())[:MAX_PREFIX]
        if term:
            terms.append((term,))
    return SearchTerms(tuple(terms))
