"""Member search keys: what a merchant types finds what the shopper entered."""

from __future__ import annotations

import pytest

from loyalty.member_search import MAX_PREFIX, normalize, search_keys, search_terms


def keys(**fields: str | None) -> set[str]:
    base: dict[str, str | None] = {"display_name": None, "email": None, "phone": None}
    return set(search_keys(external_id=str(fields.pop("external_id", "x-1")), **{**base, **fields}))


def matches(typed: str, **fields: str | None) -> bool:
    stored = keys(**fields)
    return all(any(alt in stored for alt in term) for term in search_terms(typed).terms)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("إِبْرَاهِيم", "ابراهيم"),  # hamza below and diacritics
        ("أحمد", "احمد"),
        ("آمنة", "امنه"),  # madda alef, ta marbuta
        ("مُنـــى", "مني"),  # tatweel, alef maqsura
        ("José ÖZIL", "jose ozil"),
        ("٠٥٠١٢", "05012"),  # Arabic-Indic digits
    ],
)
def test_normalization_folds_spelling_variants(raw: str, normalized: str) -> None:
    assert normalize(raw) == normalized


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("سار", True),
        ("ساره احمد", True),  # both words, typed without hamza or ta marbuta
        ("سارة العتيبي", True),
        ("عتيبي", True),  # without the article
        ("احمد خالد", False),  # every word must match
        ("sara", True),
        ("SARA.AHMED@EX", True),  # the email as typed
        ("example", True),  # a word of the email
        ("0501234567", True),  # local form of +966 50 123 4567
        ("+966 50 123", True),
        ("٠٥٠١٢٣", True),
        ("c-10", True),
        ("1002", True),
        ("ara", False),  # prefixes only, never infixes
        ("4567", False),
    ],
)
def test_prefix_search_on_name_email_phone_and_external_id(typed: str, found: bool) -> None:
    member = {
        "display_name": "سارة أحمد العتيبي",
        "email": "Sara.Ahmed@Example.com",
        "phone": "+966 50 123 4567",
        "external_id": "C-1002",
    }
    assert matches(typed, **member) is found


def test_egyptian_mobile_in_local_form_finds_the_international_one() -> None:
    assert matches("01001234567", phone="+201001234567")
    assert matches("2010012", phone="01001234567") is False  # not stored with the code


def test_prefixes_are_capped_and_long_terms_cut_to_the_same_length() -> None:
    long_email = "a" * 40 + "@example.com"
    stored = keys(email=long_email)
    assert max(len(k) for k in stored) == MAX_PREFIX
    assert matches("a" * 30, email=long_email)


def test_blank_search_has_no_terms_and_only_four_words_count() -> None:
    assert search_terms("   ").terms == ()
    assert search_terms("sara  ahmed   x   y  z").terms == (
        ("sara",),
        ("ahmed",),
        ("x",),
        ("y",),
    )
