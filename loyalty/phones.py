"""Phone numbers as merchants' files hold them: local (0501234567), international
(+966 50 123 4567, 00966501234567), with Arabic-Indic digits, spaces, dashes or brackets.
Stored in international form (+966501234567) so that one member has one number."""

from __future__ import annotations

import re

from loyalty.member_search import LOCAL_PHONE_LENGTHS, phone_digits

# The calling code of the country whose currency a program uses (a local number in its file
# is a number of that country).
CALLING_CODES = {
    "SAR": "966",
    "AED": "971",
    "KWD": "965",
    "QAR": "974",
    "BHD": "973",
    "OMR": "968",
    "EGP": "20",
    "JOD": "962",
}
_ALLOWED = re.compile(r"[+\d\s().\-\u0660-\u0669\u06f0-\u06f9]+")
MIN_DIGITS = 7
MAX_DIGITS = 15  # E.164


def international_phone(text: str, currency: str) -> str | None:
    """The number as +<country><number>, or None when it is not a phone number."""
    text = text.strip()
    if not _ALLOWED.fullmatch(text) or text.count("+") > 1 or "+" in text[1:]:
        return None
    digits = phone_digits(text)
    if text.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = digits[2:]
    elif digits.startswith("0") and currency in CALLING_CODES:
        number = CALLING_CODES[currency] + digits[1:]
    elif len(digits) in LOCAL_PHONE_LENGTHS and currency in CALLING_CODES:
        number = CALLING_CODES[currency] + digits  # the national number without its 0
    else:
        number = digits  # already with its country code
    if not MIN_DIGITS <= len(number) <= MAX_DIGITS:
        return None
    return f"+{number}"
