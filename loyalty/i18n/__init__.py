"""Arabic/English localisation: locale negotiation, CLDR plurals and the message catalog."""

from loyalty.i18n.dates import format_date, format_time
from loyalty.i18n.locales import (
    SUPPORTED_LOCALES,
    Locale,
    is_supported_locale,
    negotiate_locale,
    normalize_locale,
)
from loyalty.i18n.messages import MESSAGES, translate, translate_with_names
from loyalty.i18n.plurals import (
    PointsNames,
    format_number,
    format_points,
    plural_category,
    points_word,
)

__all__ = [
    "MESSAGES",
    "SUPPORTED_LOCALES",
    "Locale",
    "PointsNames",
    "format_date",
    "format_number",
    "format_points",
    "format_time",
    "is_supported_locale",
    "negotiate_locale",
    "normalize_locale",
    "plural_category",
    "points_word",
    "translate",
    "translate_with_names",
]
