"""Member segments (RFM). Declared here for campaigns; the engagement work owns the scoring and
writes the member document's `segment` field with these names."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum
class Segment(Enum):
    CHAMPION = "CHAMPION"
    LOYAL = "LOYAL"
    REGULAR = "REGULAR"
    AT_RISK = "AT_RISK"
    NEW = "NEW"
