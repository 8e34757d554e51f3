"""App theme and icon."""

from __future__ import annotations

from graphql_schema.context import RequestScope
from loyalty.theme import ThemeDraft, ThemeVersion
from loyalty.usecases import icons, theme


async def save_app_theme(
    scope: RequestScope,
    *,
    colors: dict[str, str | None],
    dark_colors: dict[str, str | None] | None,
    font_family: str | None,
    corner_radius: int | None,
    logo_url: str | None,
) -> ThemeDraft:
    return await theme.save_draft(
        scope.deps,
        scope.require_tenant(),
        colors=colors,
        dark_colors=dark_colors,
        font_family=font_family,
        corner_radius=corner_radius,
        logo_url=logo_url,
    )


async def app_theme_draft(scope: RequestScope) -> ThemeDraft | None:
    return await theme.get_draft(scope.deps, scope.require_tenant())


async def publish_app_theme(scope: RequestScope) -> ThemeVersion:
    return await theme.publish(scope.deps, scope.require_tenant())


async def rollback_app_theme(scope: RequestScope, version: int) -> ThemeVersion:
    return await theme.rollback(scope.deps, scope.require_tenant(), version)


async def app_theme(scope: RequestScope, version: int | None) -> ThemeVersion:
    return await theme.published(scope.deps, scope.require_tenant(), version)


async def upload_app_icon(scope: RequestScope, data: bytes) -> ThemeDraft:
    return await icons.upload_icon(scope.deps, scope.require_tenant(), data)
