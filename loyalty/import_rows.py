"""The member import's columns and the checks on each row. Pure: a row's cells in, a member
to migrate or the row's problems (line, column, code) out.

Columns (header names are matched without case, spaces or dashes: `Joined At` = joined_at):
external_id and points are required; name, phone, email, birthday, joined_at, lifetime_spend
and the lots (lot1_points, lot1_earned_at, lot1_expires_at, lot2_..., up to MAX_LOTS) are
optional. When lots are given they are the balance: their points must add up to `points`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from loyalty.errors import ErrorCode
from loyalty.import_dates import parse_date, parse_moment
from loyalty.members import MAX_EXTERNAL_ID
from loyalty.phones import international_phone
from loyalty.wallet import MAX_POINTS_PER_OPERATION

MAX_LOTS = 20
MAX_NAME = 60
MAX_EMAIL = 254
BASE_COLUMNS = (
    "external_id",
    "name",
    "phone",
    "email",
    "birthday",
    "joined_at",
    "points",
    "lifetime_spend",
)
REQUIRED = ("external_id", "points")
ALIASES = {"externalid": "external_id", "balance": "points", "point_balance": "points"}
_LOT = re.compile(r"lot(\d+)_(points|earned_at|expires_at)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str | None
    code: ErrorCode
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class MigratedLot:
    points: int
    earned_at: datetime
    expires_at: datetime | None


@dataclass(frozen=True)
class MigratedMember:
    external_id: str
    joined_at: datetime
    points: int
    lots: tuple[MigratedLot, ...] = ()
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    birthday: date | None = None
    lifetime_spend: Decimal | None = None


@dataclass(frozen=True)
class RowContext:
    """What checking a row needs from the program and the clock."""

    now: datetime
    timezone: str
    currency: str


def column_name(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return ALIASES.get(name, name)


def read_header(cells: Sequence[str]) -> tuple[list[str], list[ImportProblem]]:
    """The canonical name of each column, and what is wrong with the header (line 1)."""
    names = [column_name(cell) for cell in cells]
    problems = []
    seen: set[str] = set()
    for name in names:
        lot = _LOT.fullmatch(name)
        if name in seen:
            problems.append(ImportProblem(1, name, ErrorCode.DUPLICATE_VALUE, {"value": name}))
        elif name not in BASE_COLUMNS and not (lot and 1 <= int(lot[1]) <= MAX_LOTS):
            problems.append(
                ImportProblem(1, name, ErrorCode.IMPORT_UNKNOWN_COLUMN, {"column": name})
            )
        seen.add(name)
    for name in REQUIRED:
        if name not in seen:
            problems.append(
                ImportProblem(1, name, ErrorCode.IMPORT_MISSING_COLUMN, {"column": name})
            )
    return names, problems


class _Row:
    """Collects one row's problems while its cells are read."""

    def __init__(self, line: int, cells: Mapping[str, str], context: RowContext) -> None:
        self.line = line
        self.cells = cells
        self.context = context
        self.problems: list[ImportProblem] = []

    def refuse(self, column: str, code: ErrorCode, **params: object) -> None:
        self.problems.append(ImportProblem(self.line, column, code, params))

    def text(self, column: str) -> str | None:
        return (self.cells.get(column) or "").strip() or None

    def whole(self, column: str, *, required: bool = False) -> int | None:
        value = self.text(column)
        if value is None:
            if required:
                self.refuse(column, ErrorCode.IMPORT_REQUIRED)
            return None
        digits = value.translate(_DIGITS).replace(",", "")
        if not digits.isascii() or not digits.isdigit() or int(digits) > MAX_POINTS_PER_OPERATION:
            self.refuse(column, ErrorCode.IMPORT_INVALID_NUMBER, value=value[:32])
            return None
        return int(digits)

    def moment(self, column: str) -> datetime | None:
        value = self.text(column)
        if value is None:
            return None
        parsed = parse_moment(value, self.context.timezone)
        if parsed is None or parsed > self.context.now:
            self.refuse(column, ErrorCode.IMPORT_INVALID_DATE, value=value[:32])
        return parsed


_DIGITS = str.maketrans({chr(0x0660 + d): str(d) for d in range(10)} | {"\u066c": ","})


def check_row(
    line: int, names: Sequence[str], cells: Sequence[str], context: RowContext
) -> MigratedMember | list[ImportProblem]:
    if len(cells) != len(names):
        code = ErrorCode.IMPORT_FIELD_COUNT
        return [ImportProblem(line, None, code, {"expected": len(names), "found": len(cells)})]
    row = _Row(line, dict(zip(names, cells, strict=True)), context)
    external_id = row.text("external_id")
    if external_id is None:
        row.refuse("external_id", ErrorCode.IMPORT_REQUIRED)
    elif len(external_id) > MAX_EXTERNAL_ID or not external_id.isprintable():
        row.refuse("external_id", ErrorCode.INVALID_INPUT, detail="externalId")
    name = row.text("name")
    if name is not None and len(name) > MAX_NAME:
        row.refuse("name", ErrorCode.TOO_LONG, max=MAX_NAME)
    phone = row.text("phone")
    if phone is not None:
        phone = international_phone(phone, context.currency)
        if phone is None:
            row.refuse("phone", ErrorCode.IMPORT_INVALID_PHONE, value=row.text("phone") or "")
    email = row.text("email")
    if email is not None and (len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email)):
        row.refuse("email", ErrorCode.IMPORT_INVALID_EMAIL, value=email[:64])
    birthday = None
    if (text := row.text("birthday")) is not None:
        birthday = parse_date(text)
        if birthday is None or birthday > context.now.date() or birthday.year < 1900:
            row.refuse("birthday", ErrorCode.IMPORT_INVALID_DATE, value=text[:32])
    joined_at = row.moment("joined_at") or context.now
    points = row.whole("points", required=True)
    lots = _lots(row, names)
    spend = None
    if (text := row.text("lifetime_spend")) is not None:
        try:
            spend = Decimal(text.translate(_DIGITS).replace(",", ""))
        except InvalidOperation:
            spend = None
        if spend is None or not spend.is_finite() or spend < 0:
            row.refuse("lifetime_spend", ErrorCode.IMPORT_INVALID_NUMBER, value=text[:32])
            spend = None
    if lots and points is not None and sum(lot.points for lot in lots) != points:
        total = sum(lot.points for lot in lots)
        row.refuse("points", ErrorCode.IMPORT_BALANCE_MISMATCH, points=points, lots=total)
    if row.problems or external_id is None or points is None:
        return row.problems
    return MigratedMember(
        external_id=external_id,
        joined_at=joined_at,
        points=points,
        lots=tuple(lots),
        name=name,
        phone=phone,
        email=email,
        birthday=birthday,
        lifetime_spend=spend,
    )


def _lots(row: _Row, names: Sequence[str]) -> list[MigratedLot]:
    lots = []
    for n in range(1, MAX_LOTS + 1):
        column = f"lot{n}_points"
        if column not in names:
            continue
        points = row.whole(column)
        earned = row.moment(f"lot{n}_earned_at")
        expires_text = row.text(f"lot{n}_expires_at")
        expires = None
        if expires_text is not None:
            expires = parse_moment(expires_text, row.context.timezone)
            if expires is None:
                row.refuse(f"lot{n}_expires_at", ErrorCode.IMPORT_INVALID_DATE, value=expires_text)
            elif expires <= row.context.now or (earned is not None and expires <= earned):
                row.refuse(f"lot{n}_expires_at", ErrorCode.IMPORT_LOT_EXPIRED, value=expires_text)
        if points is None or points == 0:
            continue  # an empty lot column: this member has fewer lots
        if earned is None and row.text(f"lot{n}_earned_at") is None:
            row.refuse(f"lot{n}_earned_at", ErrorCode.IMPORT_REQUIRED)
        if earned is not None:
            lots.append(MigratedLot(points, earned, expires))
    return lots
