"""A merchant's app theme: the draft being edited and the immutable numbered versions.

The content digest is the theme's identity: publishing content equal to the latest version
returns that version instead of numbering a new one (the natural idempotency key of
`publishAppTheme` and `rollbackAppTheme`), and the ETag is derived from it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime


@dataclass(frozen=True)
class ThemeColors:
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    background: str
    on_background: str
    surface: str
    on_surface: str
    accent: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class ThemeSpec:
    """What the merchant chose; validated and normalised (`#RRGGBB` upper case)."""

    colors: ThemeColors
    dark_colors: ThemeColors | None = None
    font_family: str | None = None
    corner_radius: int | None = None
    logo_url: str | None = None


@dataclass(frozen=True)
class IconRef:
    """One generated icon file. `name` is content-addressed (`<sha256 prefix>.png`)."""

    platform: str
    size: int
    name: str


@dataclass(frozen=True)
class ThemeDraft:
    tenant: str
    spec: ThemeSpec | None
    icons: tuple[IconRef, ...]
    updated_at: datetime


@dataclass(frozen=True)
class ThemeVersion:
    tenant: str
    version: int
    spec: ThemeSpec
    icons: tuple[IconRef, ...]
    digest: str
    published_at: datetime | None
    rolled_back_from: int | None = None

    @property
    def etag(self) -> str:
        # The version is part of the tag: a rollback republishes old content under a new number.
        return f'"v{self.version}-{self.digest[:24]}"'


def content_digest(spec: ThemeSpec, icons: tuple[IconRef, ...]) -> str:
    canonical = json.dumps(
        {"spec": asdict(spec), "icons": [asdict(icon) for icon in icons]},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


# What an app shows before the merchant publishes anything: neutral, AA-compliant colours.
DEFAULT_SPEC = ThemeSpec(
    colors=ThemeColors(
        primary="#1F4E79",
        on_primary="#FFFFFF",
        secondary="#2E7D32",
        on_secondary="#FFFFFF",
        background="#FFFFFF",
        on_background="#1A1A1A",
        surface="#F5F5F5",
        on_surface="#1A1A1A",
    ),
    dark_colors=ThemeColors(
        primary="#9CC3E6",
        on_primary="#0B1F33",
        secondary="#A5D6A7",
        on_secondary="#0B2610",
        background="#121212",
        on_background="#EDEDED",
        surface="#1E1E1E",
        on_surface="#EDEDED",
    ),
)


def default_theme(tenant: str) -> ThemeVersion:
    """Version 0, never stored and never published (`published_at` is None)."""
    return ThemeVersion(
        tenant=tenant,
        version=0,
        spec=DEFAULT_SPEC,
        icons=(),
        digest=content_digest(DEFAULT_SPEC, ()),
        published_at=None,
    )
