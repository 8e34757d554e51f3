"""Ready-made seasons for earn campaigns: the Gulf's shopping calendar for a Gregorian year.

Hijri dates come from `hijridate` (the Umm al-Qura calendar, Saudi Arabia's official one,
1343-1500 AH = 1924-2077), never from hand-kept tables. Each season runs from midnight of its
first day to midnight after its last day, in the tenant's time zone:

- RAMADAN: 1 Ramadan to the last day of Ramadan (29 or 30 days);
- EID_AL_FITR: 1-3 Shawwal;
- EID_AL_ADHA: 10-13 Dhu al-Hijjah (the Day of Sacrifice and the three days of Tashreeq);
- FOUNDING_DAY: 22 February;
- SAUDI_NATIONAL_DAY: 23 September;
- WHITE_FRIDAY: the Gulf's Black Friday, defined here as the last Friday of November; the
  season runs from that Friday to the end of the Monday after it (four days, Cyber Monday
  included), the weekend most stores run it.

A Hijri season can fall twice in one Gregorian year (the lunar year is 11 days shorter, e.g.
Ramadan in 2030): every season that starts in the year is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from hijridate import Gregorian, Hijri

from loyalty.program import LocalizedText

RAMADAN, SHAWWAL, DHU_AL_HIJJAH = 9, 10, 12
# hijridate's range, in Gregorian years whose every Hijri season it can compute.
FIRST_YEAR = 1925
LAST_YEAR = 2076


class PresetKind(StrEnum):
    RAMADAN = "RAMADAN"
    EID_AL_FITR = "EID_AL_FITR"
    EID_AL_ADHA = "EID_AL_ADHA"
    FOUNDING_DAY = "FOUNDING_DAY"
    SAUDI_NATIONAL_DAY = "SAUDI_NATIONAL_DAY"
    WHITE_FRIDAY = "WHITE_FRIDAY"


# The campaign name a preset suggests, and its multiplier.
NAMES: dict[PresetKind, LocalizedText] = {
    PresetKind.RAMADAN: LocalizedText(ar="نقاط مضاعفة في رمضان", en="Ramadan double points"),
    PresetKind.EID_AL_FITR: LocalizedText(
        ar="نقاط مضاعفة في عيد الفطر", en="Eid al-Fitr double points"
    ),
    PresetKind.EID_AL_ADHA: LocalizedText(
        ar="نقاط مضاعفة في عيد الأضحى", en="Eid al-Adha double points"
    ),
    PresetKind.FOUNDING_DAY: LocalizedText(
        ar="نقاط مضاعفة في يوم التأسيس", en="Founding Day double points"
    ),
    PresetKind.SAUDI_NATIONAL_DAY: LocalizedText(
        ar="نقاط مضاعفة في اليوم الوطني", en="National Day double points"
    ),
    PresetKind.WHITE_FRIDAY: LocalizedText(
        ar="نقاط مضاعفة في الجمعة البيضاء", en="White Friday double points"
    ),
}
MULTIPLIER = Decimal(2)


@dataclass(frozen=True)
class Preset:
    kind: PresetKind
    name: LocalizedText
    first_day: date
    last_day: date
    multiplier: Decimal

    def starts_at(self, zone: ZoneInfo) -> datetime:
        """Midnight of the first day in `zone`, as a UTC instant."""
        return datetime.combine(self.first_day, time(), zone).astimezone(UTC)

    def ends_at(self, zone: ZoneInfo) -> datetime:
        """Exclusive: midnight after the last day in `zone`, as a UTC instant."""
        return datetime.combine(self.last_day + timedelta(days=1), time(), zone).astimezone(UTC)


def _gregorian(year: int, month: int, day: int) -> date:
    found = Hijri(year, month, day).to_gregorian()
    return date(found.year, found.month, found.day)


def _hijri_season(hijri_year: int, month: int, first: int, last: int | None) -> tuple[date, date]:
    """Days `first`..`last` of a Hijri month (`last` None: to the month's end)."""
    start = _gregorian(hijri_year, month, first)
    if last is None:
        last = Hijri(hijri_year, month, 1).month_length()
    return start, _gregorian(hijri_year, month, last)


def last_friday_of_november(year: int) -> date:
    last = date(year, 11, 30)
    return last - timedelta(days=(last.weekday() - 4) % 7)


def presets(year: int) -> list[Preset]:
    """The seasons starting in Gregorian `year`, in calendar order."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year must be in {FIRST_YEAR}-{LAST_YEAR}")
    days: list[tuple[PresetKind, date, date]] = []
    first_hijri = Gregorian(year, 1, 1).to_hijri().year
    for hijri_year in (first_hijri, first_hijri + 1):
        for kind, month, first, last in (
            (PresetKind.RAMADAN, RAMADAN, 1, None),
            (PresetKind.EID_AL_FITR, SHAWWAL, 1, 3),
            (PresetKind.EID_AL_ADHA, DHU_AL_HIJJAH, 10, 13),
        ):
            start, end = _hijri_season(hijri_year, month, first, last)
            if start.year == year:
                days.append((kind, start, end))
    days.append((PresetKind.FOUNDING_DAY, date(year, 2, 22), date(year, 2, 22)))
    days.append((PresetKind.SAUDI_NATIONAL_DAY, date(year, 9, 23), date(year, 9, 23)))
    white_friday = last_friday_of_november(year)
    days.append((PresetKind.WHITE_FRIDAY, white_friday, white_friday + timedelta(days=3)))
    return [
        Preset(kind, NAMES[kind], start, end, MULTIPLIER)
        for kind, start, end in sorted(days, key=lambda d: (d[1], d[0].value))
    ]
