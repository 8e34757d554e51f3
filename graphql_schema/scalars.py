"""Scalars: Decimal travels as a string so no float ever touches money."""

from __future__ import annotations

from typing import NewType

import strawberry


def _parse_decimal(value: object) -> str:
    # Validation (digits, precision per currency) happens in the domain, where it can answer
    # with a localized userError instead of a bare coercion failure. A JSON number is refused:
    # it reaches us as a float that may already have lost digits (320.5 is exact, 0.1 is not),
    # and money must never pass through a float.
    if not isinstance(value, str):
        raise ValueError('Decimal values are sent as strings, e.g. "320.50", never as JSON numbers')
    return value


Decimal = NewType("Decimal", str)

DECIMAL_SCALAR = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number serialized as a string, e.g. "149.90".',
    serialize=str,
    parse_value=_parse_decimal,
)
