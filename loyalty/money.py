"""Money amounts: exact decimals with an ISO 4217 currency, never floats."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from loyalty.errors import DomainError, ErrorCode
from loyalty.i18n.money import Currency


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Active ISO 4217 codes (2026). Precision is the number of minor-unit digits.
_ZERO_DECIMAL = _codes("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF")
_THREE_DECIMAL = _codes("BHD IQD JOD KWD LYD OMR TND")
_FOUR_DECIMAL = _codes("CLF UYW")
_OTHER = _codes(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD
    KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD
    NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP
    SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED
    VES WST XCD XCG YER ZAR ZMW ZWG
    """
)
CURRENCIES: frozenset[str] = frozenset(_ZERO_DECIMAL | _THREE_DECIMAL | _FOUR_DECIMAL | _OTHER)

MAX_AMOUNT = Decimal("1000000000")


def currency_precision(currency: str) -> int:
    if currency in _ZERO_DECIMAL:
        return 0
    if currency in _THREE_DECIMAL:
        return 3
    if currency in _FOUR_DECIMAL:
        return 4
    return 2


def parse_currency(value: str, field: tuple[str, ...] = ("currency",)) -> str:
    code = value.strip().upper()
    if code not in CURRENCIES:
        raise DomainError(ErrorCode.INVALID_CURRENCY, field, currency=value[:8])
    return code


def parse_decimal(value: str | Decimal, field: tuple[str, ...]) -> Decimal:
    """Parse a decimal string strictly: no exponents, NaN or infinities."""
    text = str(value).strip()
    if not text or any(ch not in "0123456789.-" for ch in text) or text.count(".") > 1:
        raise DomainError(ErrorCode.INVALID_DECIMAL, field, value=text[:40])
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise DomainError(ErrorCode.INVALID_DECIMAL, field, value=text[:40]) from exc
    if not amount.is_finite():
        raise DomainError(ErrorCode.INVALID_DECIMAL, field, value=text[:40])
    return amount


def parse_amount(
    value: str | Decimal, currency: str, field: tuple[str, ...], *, allow_zero: bool = False
) -> Decimal:
    """A positive amount in `currency`, with no more minor digits than the currency has."""
    amount = parse_decimal(value, field)
    if amount < 0:
        raise DomainError(ErrorCode.INVALID_AMOUNT, field, variant="negative")
    if amount == 0 and not allow_zero:
        raise DomainError(ErrorCode.INVALID_AMOUNT, field, variant="zero")
    if amount > MAX_AMOUNT:
        # Plain digits, not money: the currency's own name reads oddly beside a billion.
        raise DomainError(ErrorCode.INVALID_AMOUNT, field, variant="too_large", most=MAX_AMOUNT)
    exponent = amount.as_tuple().exponent
    digits = currency_precision(currency)
    if isinstance(exponent, int) and -exponent > digits:
        variant = "whole" if digits == 0 else "precision"
        raise DomainError(
            ErrorCode.INVALID_AMOUNT,
            field,
            variant=variant,
            currency=Currency(currency),
            digits=digits,
        )
    return amount


def in_minor_units(amount: Decimal, currency: str) -> Decimal:
    """The amount written with all of the currency's minor digits ("100" SAR -> "100.00",
    "1.5" KWD -> "1.500"): how amounts go out, so one price never reads two ways. Exact:
    stored amounts never carry more digits than their currency has."""
    return amount.quantize(Decimal(1).scaleb(-currency_precision(currency)))


def floor_points(value: Decimal) -> int:
    """Points are whole; fractions are never rounded up in the shopper's favour or against."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def minor_units(amount: Decimal, currency: str) -> int:
    """An amount as a whole number of the currency's minor units (exact: amounts never carry
    more digits than the currency has), so the store can sum money with integer arithmetic."""
    return int(amount.scaleb(currency_precision(currency)))
