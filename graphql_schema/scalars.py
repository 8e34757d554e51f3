"""Scalars: Decimal travels as a string so no float ever touches money."""

from __future__ import annotations

from typing import NewType

import strawberry


def _parse_decimal(value: object) -> str:
    # Validation (digits, precision per currency) happens in the domain, where it can answer
    # with a localized userError instead of a bare coercion failure.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError("Decimal must be a string")
    return str(value)


Decimal = NewType("Decimal", str)

DECIMAL_SCALAR = strawberry.scalar(
    name="Decimal",
    description='An exact decimal number serialized as a string, e.g. "149.90".',
    serialize=str,
    parse_value=_parse_decimal,
)
