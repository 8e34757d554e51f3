"""CSV rows for the merchant's exports: columns, cell formatting and formula neutralization.

Files open in Excel and Google Sheets, so:
* UTF-8 with a byte order mark, or Excel shows Arabic as mojibake;
* quoting by the csv module (commas, quotes and line breaks inside names survive);
* text a shopper typed that starts with = + - @ (or a tab / carriage return) gets a leading
  apostrophe, so a name like `=HYPERLINK(...)` is shown, never evaluated (CSV injection).
  Numbers are written as numbers: a negative points figure is not text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MEMBER_COLUMNS = (
    "external_id",
    "display_name",
    "email",
    "phone",
    "locale",
    "joined_at",
    "tier_id",
    "segment",
    "balance",
    "pending_balance",
    "lifetime_earned",
    "first_order_at",
    "last_order_at",
)
LEDGER_COLUMNS = (
    "created_at",
    "member_external_id",
    "type",
    "points",
    "balance_after",
    "pending_after",
    "order_id",
    "reason",
)

Cell = str | int | datetime | None


def cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[Cell]], *, header: Sequence[str] | None = None) -> str:
    """Rows as CSV text (CRLF line ends, as RFC 4180); the header row starts with the BOM."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    if header is not None:
        out.write(BOM)
        writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()
