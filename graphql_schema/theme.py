"""App theme types: published versions, the draft, colours and generated icons, and the
payloads of the theme operations."""

from __future__ import annotations

from datetime import datetime

import strawberry

from graphql_schema.errors import UserError
from loyalty import theme as domain


@strawberry.type
class ThemeColors:
    primary: str
    on_primary: str
    secondary: str
    on_secondary: str
    background: str
    on_background: str
    surface: str
    on_surface: str
    accent: str | None
    error: str | None

    @classmethod
    def of(cls, colors: domain.ThemeColors | None) -> ThemeColors | None:
        if colors is None:
            return None
        return cls(
            primary=colors.primary,
            on_primary=colors.on_primary,
            secondary=colors.secondary,
            on_secondary=colors.on_secondary,
            background=colors.background,
            on_background=colors.on_background,
            surface=colors.surface,
            on_surface=colors.on_surface,
            accent=colors.accent,
            error=colors.error,
        )


@strawberry.type(description="One generated icon file; URLs carry a content hash (cache forever).")
class AppIcon:
    platform: str = strawberry.field(
        description="ios, android, android-adaptive-foreground, android-adaptive-background, "
        "android-legacy, web or favicon."
    )
    size: int = strawberry.field(description="Width and height in pixels.")
    url: str


def icons_of(icons: tuple[domain.IconRef, ...], tenant: str, public_url: str) -> list[AppIcon]:
    return [
        AppIcon(platform=i.platform, size=i.size, url=f"{public_url}/icons/{tenant}/{i.name}")
        for i in icons
    ]


@strawberry.type
class AppTheme:
    version: int = strawberry.field(description="0 is the built-in default (nothing published).")
    colors: ThemeColors
    dark_colors: ThemeColors | None
    font_family: str | None
    corner_radius: int | None
    logo_url: str | None
    icons: list[AppIcon]
    etag: str = strawberry.field(
        description="Changes whenever the content or version changes; GET /graphql answers "
        "304 to If-None-Match with the response's ETag header."
    )
    published_at: datetime | None
    rolled_back_from: int | None = strawberry.field(
        description="The version this one republished, when it came from a rollback."
    )

    @classmethod
    def of(cls, theme: domain.ThemeVersion, public_url: str) -> AppTheme:
        spec = theme.spec
        colors = ThemeColors.of(spec.colors)
        assert colors is not None
        return cls(
            version=theme.version,
            colors=colors,
            dark_colors=ThemeColors.of(spec.dark_colors),
            font_family=spec.font_family,
            corner_radius=spec.corner_radius,
            logo_url=spec.logo_url,
            icons=icons_of(theme.icons, theme.tenant, public_url),
            etag=theme.etag,
            published_at=theme.published_at,
            rolled_back_from=theme.rolled_back_from,
        )


@strawberry.type(description="What publishAppTheme will publish next.")
class AppThemeDraft:
    colors: ThemeColors | None = strawberry.field(description="Null until saveAppTheme.")
    dark_colors: ThemeColors | None
    font_family: str | None
    corner_radius: int | None
    logo_url: str | None
    icons: list[AppIcon]
    updated_at: datetime

    @classmethod
    def of(cls, draft: domain.ThemeDraft, public_url: str) -> AppThemeDraft:
        spec = draft.spec
        return cls(
            colors=ThemeColors.of(spec.colors if spec else None),
            dark_colors=ThemeColors.of(spec.dark_colors if spec else None),
            font_family=spec.font_family if spec else None,
            corner_radius=spec.corner_radius if spec else None,
            logo_url=spec.logo_url if spec else None,
            icons=icons_of(draft.icons, draft.tenant, public_url),
            updated_at=draft.updated_at,
        )


@strawberry.input
class ThemeColorsInput:
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

    def to_dict(self) -> dict[str, str | None]:
        return {
            "primary": self.primary,
            "on_primary": self.on_primary,
            "secondary": self.secondary,
            "on_secondary": self.on_secondary,
            "background": self.background,
            "on_background": self.on_background,
            "surface": self.surface,
            "on_surface": self.on_surface,
            "accent": self.accent,
            "error": self.error,
        }


@strawberry.input
class AppThemeInput:
    colors: ThemeColorsInput
    dark_colors: ThemeColorsInput | None = None
    font_family: str | None = None
    corner_radius: int | None = strawberry.field(default=None, description="Pixels, 0 to 32.")
    logo_url: str | None = strawberry.field(default=None, description="Must be https.")


@strawberry.type
class SaveAppThemePayload:
    draft: AppThemeDraft | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PublishAppThemePayload:
    theme: AppTheme | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RollbackAppThemePayload:
    theme: AppTheme | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class UploadAppIconPayload:
    icons: list[AppIcon] | None = None
    draft: AppThemeDraft | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
