"""Locale negotiation, CLDR plural forms, number formatting and the message catalog."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest

from loyalty.i18n import (
    MESSAGES,
    SUPPORTED_LOCALES,
    PointsNames,
    format_number,
    format_points,
    is_supported_locale,
    negotiate_locale,
    plural_category,
    translate,
    translate_with_names,
)

# --- locale negotiation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "default", "expected"),
    [
        ("ar-SA,ar;q=0.9,en;q=0.8", "en", "ar"),
        ("en-GB", "ar", "en"),
        ("fr, en;q=0.5", "ar", "en"),
        ("en;q=0.4, ar;q=0.6", "en", "ar"),
        ("EN-us", "ar", "en"),
        ("ar-EG;q=0.7, en-US;q=0.7", "en", "ar"),  # tie: the earlier entry wins
        ("en;q=0.5, ar-SA", "en", "ar"),
        ("ar;q=0, en", "ar", "en"),  # q=0 excludes
        ("ar;q=0", "ar", "ar"),  # nothing acceptable left -> tenant default
        ("en;q=0, ar;q=0.1", "en", "ar"),
        ("*", "ar", "ar"),
        ("*", "en", "en"),
        ("*;q=0.5, en", "ar", "en"),
        ("en;q=0.5, *", "en", "ar"),  # "*" means languages not named explicitly
        ("ar;q=0, *", "ar", "en"),
        ("", "ar", "ar"),
        (None, "ar", "ar"),
        ("fr-FR, de;q=0.9", "ar", "ar"),
        ("garbage;;;===", "ar", "ar"),
        ("en;q=abc", "ar", "ar"),  # malformed q-value: the entry is skipped
        ("en;q=1.5, ar;q=0.2", "en", "ar"),
        ("ar-SA", "xx", "ar"),
    ],
)
def test_negotiate_locale_picks_the_best_supported_language(
    header: str | None, default: str, expected: str
) -> None:
    # given an Accept-Language header and the tenant's default locale
    # when the locale is negotiated
    result = negotiate_locale(header, default)
    # then the highest-quality supported language (or the default) is chosen
    assert result == expected


@pytest.mark.parametrize(
    ("default", "expected"),
    [("ar", "ar"), ("ar-SA", "ar"), ("AR_eg", "ar"), ("en-GB", "en"), ("fr", "en"), ("", "en")],
)
def test_negotiate_locale_normalises_the_default(default: str, expected: str) -> None:
    # given no usable header
    # when the locale is negotiated
    result = negotiate_locale("*;q=0", default)
    # then the default is normalised to a supported locale, falling back to English
    assert result == expected


def test_negotiate_locale_is_bounded_on_huge_headers() -> None:
    # given a hostile header with thousands of entries before the real preference
    header = ",".join(["fr"] * 10_000) + ",en"
    # when the locale is negotiated
    result = negotiate_locale(header, "ar")
    # then parsing stops early and the default is used
    assert result == "ar"


def test_supported_locales() -> None:
    # given the supported locales
    # then Arabic comes first and exact matching is strict
    assert SUPPORTED_LOCALES == ("ar", "en")
    assert is_supported_locale("ar")
    assert is_supported_locale("en")
    assert not is_supported_locale("ar-SA")
    assert not is_supported_locale("fr")


# --- plural categories -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
        (3, "few"),
        (10, "few"),
        (11, "many"),
        (99, "many"),
        (100, "other"),
        (101, "other"),
        (102, "other"),
        (103, "few"),
    ],
)
def test_arabic_plural_categories(count: int, expected: str) -> None:
    # given an Arabic locale
    # when the plural category of a count is computed
    result = plural_category(count, "ar")
    # then it follows CLDR
    assert result == expected


@pytest.mark.parametrize(("count", "expected"), [(0, "other"), (1, "one"), (2, "other")])
def test_english_plural_categories(count: int, expected: str) -> None:
    # given an English locale / when the category is computed / then it is one or other
    assert plural_category(count, "en") == expected


def test_plural_category_of_negative_counts_uses_the_absolute_value() -> None:
    # given negative counts / when categorised / then they behave like their absolute value
    assert plural_category(-2, "ar") == "two"
    assert plural_category(-1, "en") == "one"


# --- number formatting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (0, "ar", "0"),
        (1234567, "ar", "1,234,567"),
        (1234567, "en", "1,234,567"),
        (-1500, "ar", "-1,500"),
        (Decimal("1234.50"), "ar", "1,234.50"),
        (Decimal("0.125"), "en", "0.125"),
        (Decimal("1E+3"), "en", "1,000"),
        (42, "ar-SA", "42"),
    ],
)
def test_format_number_uses_latin_digits_with_grouping(
    value: int | Decimal, locale: str, expected: str
) -> None:
    # given a number and a locale
    # when it is formatted
    result = format_number(value, locale)
    # then digits are Latin (0-9), grouping is kept and decimals are not rounded
    assert result == expected


def test_format_number_rejects_non_finite_decimals() -> None:
    # given a NaN decimal / when formatted / then it is refused
    with pytest.raises(ValueError):
        format_number(Decimal("NaN"), "en")


# --- point counts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 نقطة"),
        (1, "نقطة واحدة"),
        (2, "نقطتان"),
        (3, "3 نقاط"),
        (10, "10 نقاط"),
        (11, "11 نقطة"),
        (100, "100 نقطة"),
        (103, "103 نقاط"),
        (1500, "1,500 نقطة"),
    ],
)
def test_format_points_in_arabic(count: int, expected: str) -> None:
    # given a point count
    # when formatted in Arabic with the default names
    result = format_points(count, "ar")
    # then the CLDR-correct Arabic form is used (one and two are spelled out)
    assert result == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 points"),
        (1, "1 point"),
        (2, "2 points"),
        (3, "3 points"),
        (11, "11 points"),
        (100, "100 points"),
        (1500, "1,500 points"),
    ],
)
def test_format_points_in_english(count: int, expected: str) -> None:
    # given a point count / when formatted in English / then "point" is singular only for 1
    assert format_points(count, "en") == expected


def test_format_points_falls_back_to_english_for_unknown_locales() -> None:
    # given an unsupported locale / when formatting / then English is used
    assert format_points(1, "fr") == "1 point"


FLEX = PointsNames(
    ar={"few": "فلكسات", "other": "فلكس"},
    en={"one": "Flex", "other": "Flexes"},
)


@pytest.mark.parametrize(
    ("count", "locale", "expected"),
    [
        (0, "en", "0 Flexes"),
        (1, "en", "1 Flex"),
        (2, "en", "2 Flexes"),
        (0, "ar", "0 فلكس"),  # zero missing -> other
        (1, "ar", "1 فلكس"),  # merchant names always print the number
        (2, "ar", "2 فلكس"),
        (3, "ar", "3 فلكسات"),
        (11, "ar", "11 فلكس"),
        (100, "ar", "100 فلكس"),
    ],
)
def test_format_points_with_merchant_names(count: int, locale: str, expected: str) -> None:
    # given a merchant that calls its points "Flex"
    # when a count is formatted
    result = format_points(count, locale, FLEX)
    # then the merchant's words are used, missing categories falling back to "other"
    assert result == expected


def test_points_names_are_validated_and_immutable() -> None:
    # given names without an "other" form or with an unknown category
    # when constructed / then they are refused
    with pytest.raises(ValueError):
        PointsNames(ar={"one": "فلكس"}, en={"other": "Flex"})
    with pytest.raises(ValueError):
        PointsNames(ar={"other": "فلكس"}, en={"plural": "Flex", "other": "Flex"})
    with pytest.raises(ValueError):
        PointsNames(ar={"other": " "}, en={"other": "Flex"})
    # given a caller-owned dict / when it changes later / then the names do not
    source = {"other": "Flex"}
    names = PointsNames(ar={"other": "فلكس"}, en=source)
    source["other"] = "Changed"
    assert format_points(5, "en", names) == "5 Flex"
    assert names == PointsNames(ar={"other": "فلكس"}, en={"other": "Flex"})
    assert hash(names) == hash(PointsNames(ar={"other": "فلكس"}, en={"other": "Flex"}))


# --- message catalog -------------------------------------------------------------------------

REQUIRED_KEYS = {
    "error.UNAUTHENTICATED",
    "error.FORBIDDEN",
    "error.INTERNAL",
    "error.BAD_REQUEST",
    "error.INVALID_INPUT",
    "error.INVALID_AMOUNT",
    "error.INVALID_DECIMAL",
    "error.INVALID_CURRENCY",
    "error.CURRENCY_MISMATCH",
    "error.INVALID_POINTS",
    "error.INVALID_SLUG",
    "error.INVALID_LOCALE",
    "error.TOO_LONG",
    "error.OUT_OF_RANGE",
    "error.MEMBER_NOT_FOUND",
    "error.REWARD_NOT_FOUND",
    "error.ORDER_NOT_FOUND",
    "error.TIER_NOT_FOUND",
    "error.COUPON_NOT_FOUND",
    "error.KEY_NOT_FOUND",
    "error.CONFLICT",
    "error.IDEMPOTENCY_CONFLICT",
    "error.ALREADY_EXISTS",
    "error.IN_PROGRESS",
    "error.INSUFFICIENT_POINTS",
    "error.REWARD_INACTIVE",
    "error.TIER_REQUIRED",
    "error.REFUND_EXCEEDS_ORDER",
    "error.ORDER_FULLY_REFUNDED",
    "error.ACTIVITY_NOT_REWARDED",
    "error.ACTIVITY_LIMIT_REACHED",
    "error.COUPON_ALREADY_USED",
    "error.COUPON_EXPIRED",
    "error.COUPON_CANCELLED",
    "error.INVALID_PUBLIC_KEY",
    "error.LAST_KEY",
    "error.INVALID_RANGE",
    "error.RANGE_TOO_LONG",
    "error.TOO_MANY_BUCKETS",
    "reason.order",
    "reason.order_pending",
    "reason.release",
    "reason.refund",
    "reason.redeem",
    "reason.expire",
    "reason.activity.SIGNUP",
    "reason.activity.NEWSLETTER_SUBSCRIBE",
    "reason.activity.PRODUCT_REVIEW",
    "reason.activity.BIRTHDAY",
    "reason.activity.SOCIAL_FOLLOW",
    "reason.activity.REFERRAL",
    "reason.activity.CUSTOM",
    "reason.referral.referrer",
    "reason.referral.referee",
    "reason.badge",
    "reason.coupon_cancelled",
    "reason.coupon_expired",
    "error.WEBHOOK_ENDPOINT_NOT_FOUND",
    "error.WEBHOOK_DELIVERY_NOT_FOUND",
    "error.URL_NOT_PUBLIC",
    "webhook.disabled",
}

EXPECTED_PLACEHOLDERS = {
    "error.INTERNAL": {"request_id"},
    "error.INVALID_INPUT": {"detail"},
    "error.INVALID_DECIMAL": {"value"},
    "error.INVALID_CURRENCY": {"currency"},
    "error.CURRENCY_MISMATCH": {"currency", "expected"},
    "error.INVALID_LOCALE": {"locale"},
    "error.TOO_LONG": {"max"},
    "error.OUT_OF_RANGE": {"min", "max"},
    "error.DUPLICATE_VALUE": {"value"},
    "error.RANGE_TOO_LONG": {"max"},
    "error.TOO_MANY_BUCKETS": {"max"},
    "error.CONFLICT": {"detail"},
    "error.CONFLICT.order": {"order_id", "fields", "total"},
    "error.ORDER_TOO_OLD": {"months"},
    "error.INVALID_AMOUNT.too_large": {"most"},
    "error.INVALID_AMOUNT.precision": {"currency", "digits"},
    "error.INVALID_AMOUNT.whole": {"currency"},
    "error.GRAPHQL_PARSE_FAILED": {"detail"},
    "error.GRAPHQL_VALIDATION_FAILED": {"detail"},
    "error.BAD_USER_INPUT": {"detail"},
    "error.ALREADY_EXISTS": {"detail"},
    "error.INSUFFICIENT_POINTS": {"points", "balance"},
    "error.TIER_REQUIRED": {"tier"},
    "error.REFUND_EXCEEDS_ORDER": {"total"},
    "error.INVALID_COLOR": {"value"},
    "error.LOW_CONTRAST": {"foreground", "background", "ratio", "minimum", "suggestion"},
    "error.UNSUPPORTED_FONT": {"font", "allowed"},
    "error.IMAGE_TOO_LARGE": {"max_mb"},
    "error.IMAGE_DIMENSIONS_TOO_LARGE": {"max_side"},
    "error.IMAGE_TOO_SMALL": {"min"},
    "error.IMAGE_NOT_SQUARE": {"width", "height"},
    "error.BATCH_TOO_LARGE": {"max"},
    "error.QUERY_TOO_DEEP": {"max"},
    "error.TOO_MANY_ALIASES": {"count", "max"},
    "error.TOO_MANY_TOKENS": {"max"},
    "error.QUERY_TOO_COMPLEX": {"requested", "limit"},
    "explainer.title": {"program"},
    "explainer.earning.base": {"points", "currency"},
    "explainer.earning.rate": {"rate", "currency"},
    "explainer.earning.activity": {"name", "points"},
    "explainer.earning.product": {"name", "multiplier"},
    "explainer.earning.product_bonus": {"name", "points"},
    "explainer.earning.product_both": {"name", "multiplier", "points"},
    "explainer.value.line": {"points", "worth"},
    "explainer.pending.line": {"days"},
    "explainer.expiry.line": {"months"},
    "explainer.tiers.line": {"name", "threshold", "multiplier"},
    "error.TIER_RANK_TAKEN": {"rank"},
    "error.VIP_TRIAL_NOT_ELIGIBLE": {"orders"},
    "error.VIP_TRIAL_ALREADY_USED": {"date"},
    "reason.order": {"order_id"},
    "reason.order_pending": {"order_id"},
    "reason.release": {"order_id"},
    "reason.refund": {"order_id"},
    "reason.redeem": {"reward"},
    "reason.activity.CUSTOM": {"key"},
    "reason.badge": {"badge"},
    "error.INVALID_TIMEZONE": {"timezone"},
    "push.POINTS_EXPIRING.body": {"points", "date"},
    "push.TIER_UPGRADED.title": {"tier"},
    "push.TIER_UPGRADED.body": {"tier"},
    "push.VIP_TRIAL_STARTED.title": {"tier"},
    "push.VIP_TRIAL_STARTED.body": {"tier", "date"},
    "push.VIP_TRIAL_ENDING_SOON.title": {"tier"},
    "push.VIP_TRIAL_ENDING_SOON.body": {"tier", "date"},
    "push.VIP_TRIAL_ENDED.title": {"tier"},
    "push.VIP_TRIAL_ENDED.body": {"tier"},
    "push.WIN_BACK.body": {"points"},
    "push.REWARD_AFFORDABLE.title": {"reward"},
    "push.REWARD_AFFORDABLE.body": {"reward", "points"},
    "push.WIN_BACK.body.none": set(),
    # Issue 12: gifting, charity, privacy.
    "error.ACCOUNT_TOO_NEW": {"days"},
    "error.TRANSFER_LIMIT_REACHED": {"cap", "points"},
    "error.TRANSFER_LIMIT_REACHED.none": {"cap"},
    "reason.donate": {"charity"},
    # member import (issue 12)
    "error.IMPORT_TOO_MANY_ROWS": {"max"},
    "error.IMPORT_MISSING_COLUMN": {"column"},
    "error.IMPORT_UNKNOWN_COLUMN": {"column"},
    "error.IMPORT_FIELD_COUNT": {"expected", "found"},
    "error.IMPORT_INVALID_NUMBER": {"value"},
    "error.IMPORT_INVALID_DATE": {"value"},
    "error.IMPORT_INVALID_PHONE": {"value"},
    "error.IMPORT_INVALID_EMAIL": {"value"},
    "error.IMPORT_BALANCE_MISMATCH": {"points", "lots"},
    "error.IMPORT_LOT_EXPIRED": {"value"},
    # Issue 10: outbound webhooks and the coupon lifecycle.
    "error.TOO_MANY_WEBHOOK_ENDPOINTS": {"max"},
    "reason.coupon_cancelled": {"reward"},
    "reason.coupon_expired": {"reward"},
    "webhook.disabled": {"days", "last"},
}


def _expected(key: str) -> set[str]:
    """A variant (`<key>.admin`) takes its key's placeholders unless listed itself."""
    if key in EXPECTED_PLACEHOLDERS:
        return EXPECTED_PLACEHOLDERS[key]
    return EXPECTED_PLACEHOLDERS.get(key.removesuffix(".admin"), set())


def _placeholders(template: str) -> set[str]:
    """The parameters a template needs (`points_word` is filled in by the renderer)."""
    fields = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    return fields - {"points_word"}


def test_catalog_has_every_required_key() -> None:
    # given the catalog / then every key the API needs is present
    assert set(MESSAGES) >= REQUIRED_KEYS


def test_every_error_code_has_a_message() -> None:
    # given the domain error codes / then each has an "error.<CODE>" message
    from loyalty.errors import ErrorCode

    assert set(MESSAGES) >= {f"error.{code.value}" for code in ErrorCode}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_key_has_both_languages_with_identical_placeholders(key: str) -> None:
    # given a catalog entry
    texts = MESSAGES[key]
    # then it exists in exactly Arabic and English, non-empty, with the same placeholders
    # (Arabic may leave one out: the custom activity's technical key is not shown to shoppers)
    assert set(texts) == set(SUPPORTED_LOCALES)
    assert texts["ar"].strip()
    assert texts["en"].strip()
    assert _placeholders(texts["en"]) == _expected(key)
    if key == "reason.activity.CUSTOM":
        assert _placeholders(texts["ar"]) == set()
    else:
        assert _placeholders(texts["ar"]) == _placeholders(texts["en"])
    # and the Arabic text really is Arabic, the English text has no Arabic letters
    assert any("\u0600" <= ch <= "\u06ff" for ch in texts["ar"])
    assert not any("\u0600" <= ch <= "\u06ff" for ch in texts["en"])


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_renders_in_both_languages(key: str) -> None:
    # given sample values for each placeholder
    params: dict[str, object] = {name: 7 for name in _expected(key)}
    for locale in SUPPORTED_LOCALES:
        # when translated / then no placeholder is left unrendered
        result = translate(key, locale, **params)
        assert "{" not in result
        assert "}" not in result


def test_insufficient_points_uses_arabic_plural_forms() -> None:
    # given a member with 1 point trying to spend 2
    # when the error is translated to Arabic
    result = translate("error.INSUFFICIENT_POINTS", "ar", points=2, balance=1)
    # then both counts use the CLDR forms (the nominative dual and the singular)
    assert result == "رصيدك لا يكفي. المطلوب نقطتان، ورصيدك الحالي نقطة واحدة."


def test_insufficient_points_in_english() -> None:
    # given counts / when translated to English / then both are pluralised and grouped
    result = translate("error.INSUFFICIENT_POINTS", "en", points=1500, balance=1)
    assert result == "Not enough points: 1,500 points required, but only 1 point available."


def test_point_placeholders_accept_merchant_names() -> None:
    # given a merchant's point names / when a point count is rendered / then they are used
    result = translate_with_names("error.INSUFFICIENT_POINTS", "en", FLEX, points=1, balance=0)
    assert result == "Not enough Flexes: 1 Flex required, but only 0 Flexes available."


def test_other_numbers_are_formatted_with_latin_digits() -> None:
    # given numeric parameters that are not point counts
    # when translated to Arabic
    result = translate("error.OUT_OF_RANGE", "ar", min=1, max=10000)
    # then they are grouped, with Latin digits, and not pluralised
    assert result == "يجب أن تكون القيمة بين 1 و10,000."


def test_other_values_are_inserted_verbatim() -> None:
    # given string parameters / when translated / then they are inserted as-is
    result = translate("error.CURRENCY_MISMATCH", "en", currency="USD", expected="SAR")
    assert result == "The order currency USD does not match the program currency SAR."
    assert translate("reason.order", "ar", order_id="#1001") == (
        "نقاط مكتسبة من الطلب \u2068#1001\u2069"  # isolated: a Latin id in an Arabic line
    )


def test_translate_falls_back_to_english_for_unknown_locale() -> None:
    # given an unsupported locale
    # when a message is translated
    result = translate("error.MEMBER_NOT_FOUND", "de")
    # then the English text is returned
    assert result == "Member not found."


def test_translate_normalises_regional_locales() -> None:
    # given a regional Arabic tag / when translated / then the Arabic text is returned
    assert translate("error.MEMBER_NOT_FOUND", "ar-SA") == "العضو غير موجود."


def test_placeholders_may_be_named_key_or_locale() -> None:
    # given domain errors whose params are named like translate's own arguments
    # when translated
    custom = translate("reason.activity.CUSTOM", "en", key="app_install")
    locale = translate("error.INVALID_LOCALE", "ar", locale="fr")
    # then the params fill the placeholders
    assert custom == "Activity: app_install"
    assert locale == "اللغة «\u2068fr\u2069» غير مدعومة."


def test_translate_unknown_key_raises_key_error() -> None:
    # given a key not in the catalog / when translated / then KeyError is raised
    with pytest.raises(KeyError):
        translate("error.NOPE", "en")


def test_catalog_is_read_only() -> None:
    # given the catalog / when someone tries to change it / then it refuses
    with pytest.raises(TypeError):
        MESSAGES["error.NEW"] = {"ar": "", "en": ""}  # type: ignore[index]
