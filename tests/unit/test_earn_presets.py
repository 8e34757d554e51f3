"""Season presets: Hijri seasons computed with hijridate (Umm al-Qura), fixed days, White
Friday, each from midnight to midnight in the tenant's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hijridate import Hijri

from loyalty.earn_presets import PresetKind, last_friday_of_november, presets

RIYADH = ZoneInfo("Asia/Riyadh")


def test_ramadan_1448_from_the_calendar_library() -> None:
    # given the presets of 2027
    found = {p.kind: p for p in presets(2027)}
    ramadan = found[PresetKind.RAMADAN]
    # then Ramadan 1448 runs 8 February to 8 March 2027 (29 days, 1 Shawwal is 9 March)
    assert (ramadan.first_day, ramadan.last_day) == (date(2027, 2, 8), date(2027, 3, 8))
    assert Hijri(1448, 9, 1).to_gregorian() == date(2027, 2, 8)
    # and in Riyadh (UTC+3) that is from 7 February 21:00 UTC to 8 March 21:00 UTC
    assert ramadan.starts_at(RIYADH) == datetime(2027, 2, 7, 21, 0, tzinfo=UTC)
    assert ramadan.ends_at(RIYADH) == datetime(2027, 3, 8, 21, 0, tzinfo=UTC)
    assert ramadan.name.en == "Ramadan double points"
    assert ramadan.name.ar == "نقاط مضاعفة في رمضان"


def test_every_season_of_2027_in_calendar_order() -> None:
    # when the presets of 2027 are listed
    found = [(p.kind, p.first_day, p.last_day) for p in presets(2027)]
    # then
    assert found == [
        (PresetKind.RAMADAN, date(2027, 2, 8), date(2027, 3, 8)),
        (PresetKind.FOUNDING_DAY, date(2027, 2, 22), date(2027, 2, 22)),
        (PresetKind.EID_AL_FITR, date(2027, 3, 9), date(2027, 3, 11)),
        (PresetKind.EID_AL_ADHA, date(2027, 5, 16), date(2027, 5, 19)),
        (PresetKind.SAUDI_NATIONAL_DAY, date(2027, 9, 23), date(2027, 9, 23)),
        (PresetKind.WHITE_FRIDAY, date(2027, 11, 26), date(2027, 11, 29)),
    ]


def test_a_year_with_two_ramadans_lists_both() -> None:
    # when the presets of 2030 are listed
    ramadans = [p.first_day for p in presets(2030) if p.kind is PresetKind.RAMADAN]
    # then Ramadan 1451 and Ramadan 1452 both start in 2030
    assert ramadans == [date(2030, 1, 5), date(2030, 12, 26)]


def test_white_friday_is_the_last_friday_of_november() -> None:
    # a November with five Fridays (2029: Thanksgiving is the 22nd, yet White Friday the 30th)
    assert last_friday_of_november(2029) == date(2029, 11, 30)
    assert last_friday_of_november(2026) == date(2026, 11, 27)
    assert last_friday_of_november(2024) == date(2024, 11, 29)


def test_years_outside_the_calendar_are_refused() -> None:
    with pytest.raises(ValueError):
        presets(2077)
    with pytest.raises(ValueError):
        presets(1924)
