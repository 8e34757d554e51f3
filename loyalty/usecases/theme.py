"""Saving, publishing and rolling back the app theme; reading a published version.

Publishing is idempotent by content: when the latest version already has the content being
published, that version is returned and no number is used up. Two concurrent publishes race
for the next number (unique `_id`); the loser re-reads and, finding its content published,
returns it, so a doubled request never creates two versions.
"""

from __future__ import annotations

from loyalty.errors import DomainError, ErrorCode
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.theme import (
    IconRef,
    ThemeDraft,
    ThemeSpec,
    ThemeVersion,
    content_digest,
    default_theme,
)
from loyalty.theme_rules import validate_theme

MAX_PUBLISH_ATTEMPTS = 10


async def save_draft(
    deps: Deps,
    tenant: Tenant,
    *,
    colors: dict[str, str | None],
    dark_colors: dict[str, str | None] | None,
    font_family: str | None,
    corner_radius: int | None,
    logo_url: str | None,
) -> ThemeDraft:
    spec = validate_theme(colors, dark_colors, font_family, corner_radius, logo_url)
    return await deps.themes.save_draft(tenant.slug, spec, deps.clock.now())


async def get_draft(deps: Deps, tenant: Tenant) -> ThemeDraft | None:
    return await deps.themes.draft(tenant.slug)


async def publish(deps: Deps, tenant: Tenant) -> ThemeVersion:
    draft = await deps.themes.draft(tenant.slug)
    if draft is None or draft.spec is None:
        raise DomainError(ErrorCode.NO_THEME_DRAFT)
    return await _publish_content(deps, tenant, draft.spec, draft.icons, rolled_back_from=None)


async def rollback(deps: Deps, tenant: Tenant, version: int) -> ThemeVersion:
    """Publishes a copy of `version` as the new latest; earlier versions stay untouched."""
    target = await deps.themes.version(tenant.slug, version)
    if target is None:
        raise DomainError(ErrorCode.THEME_NOT_FOUND, ("version",))
    return await _publish_content(deps, tenant, target.spec, target.icons, rolled_back_from=version)


async def _publish_content(
    deps: Deps,
    tenant: Tenant,
    spec: ThemeSpec,
    icons: tuple[IconRef, ...],
    *,
    rolled_back_from: int | None,
) -> ThemeVersion:
    digest = content_digest(spec, icons)
    for _ in range(MAX_PUBLISH_ATTEMPTS):
        latest = await deps.themes.latest(tenant.slug)
        if latest is not None and latest.digest == digest:
            return latest
        candidate = ThemeVersion(
            tenant=tenant.slug,
            version=(latest.version if latest else 0) + 1,
            spec=spec,
            icons=icons,
            digest=digest,
            published_at=deps.clock.now(),
            rolled_back_from=rolled_back_from,
        )
        if await deps.themes.insert_version(candidate):
            return candidate
    raise DomainError(ErrorCode.CONFLICT, detail="theme version")


async def published(deps: Deps, tenant: Tenant, version: int | None) -> ThemeVersion:
    """The given version, or the latest; before any publish, the built-in default (v0)."""
    if version is None:
        return await deps.themes.latest(tenant.slug) or default_theme(tenant.slug)
    if version == 0:
        return default_theme(tenant.slug)
    found = await deps.themes.version(tenant.slug, version) if version > 0 else None
    if found is None:
        raise DomainError(ErrorCode.THEME_NOT_FOUND, ("version",))
    return found
