"""appTheme (public), the draft, publish and rollback, and the icon upload (admin)."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope, InTenant
from graphql_schema.theme import (
    AppTheme,
    AppThemeDraft,
    AppThemeInput,
    PublishAppThemePayload,
    RollbackAppThemePayload,
    SaveAppThemePayload,
    UploadAppIconPayload,
)
from loyalty.errors import DomainError, ErrorCode
from loyalty.icons import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from loyalty.theme import ThemeDraft
from loyalty.usecases import icons, theme


async def read_upload(file: object) -> bytes:
    """At most one byte past the limit is read: a huge upload is refused without buffering it
    (Starlette has already spooled it to a temporary file)."""
    reader = getattr(file, "read", None)
    if reader is None:
        raise DomainError(ErrorCode.IMAGE_UNSUPPORTED_FORMAT, ("file",))
    data = await reader(MAX_UPLOAD_BYTES + 1)
    if not isinstance(data, bytes):
        raise DomainError(ErrorCode.IMAGE_UNSUPPORTED_FORMAT, ("file",))
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(ErrorCode.IMAGE_TOO_LARGE, ("file",), max_mb=MAX_UPLOAD_MB)
    return data


@strawberry.type
class ThemeQuery:
    @strawberry.field(
        permission_classes=[InTenant],
        description="The latest published theme, or the given version.",
    )
    async def app_theme(self, info: Info, version: int | None = None) -> AppTheme:
        scope = info.context.scope
        found = await theme.published(scope.deps, scope.require_tenant(), version)
        return AppTheme.of(found, info.context.public_url)

    @strawberry.field(permission_classes=[HasAdminScope])
    async def app_theme_draft(self, info: Info) -> AppThemeDraft | None:
        scope = info.context.scope
        draft = await theme.get_draft(scope.deps, scope.require_tenant())
        return AppThemeDraft.of(draft, info.context.public_url) if draft else None


@strawberry.type
class ThemeMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope], description="Saves the draft.")
    async def save_app_theme(self, info: Info, input: AppThemeInput) -> SaveAppThemePayload:
        scope = info.context.scope
        draft, errors = await attempt(
            scope.locale,
            lambda: theme.save_draft(
                scope.deps,
                scope.require_tenant(),
                colors=input.colors.to_dict(),
                dark_colors=input.dark_colors.to_dict() if input.dark_colors else None,
                font_family=input.font_family,
                corner_radius=input.corner_radius,
                logo_url=input.logo_url,
            ),
        )
        if draft is None:
            return SaveAppThemePayload(user_errors=errors)
        return SaveAppThemePayload(draft=AppThemeDraft.of(draft, info.context.public_url))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Draft -> new published version; unchanged content returns the latest.",
    )
    async def publish_app_theme(self, info: Info) -> PublishAppThemePayload:
        scope = info.context.scope
        published, errors = await attempt(
            scope.locale, lambda: theme.publish(scope.deps, scope.require_tenant())
        )
        if published is None:
            return PublishAppThemePayload(user_errors=errors)
        return PublishAppThemePayload(theme=AppTheme.of(published, info.context.public_url))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Publishes a copy of an earlier version as the new latest.",
    )
    async def rollback_app_theme(self, info: Info, version: int) -> RollbackAppThemePayload:
        scope = info.context.scope
        restored, errors = await attempt(
            scope.locale, lambda: theme.rollback(scope.deps, scope.require_tenant(), version)
        )
        if restored is None:
            return RollbackAppThemePayload(user_errors=errors)
        return RollbackAppThemePayload(theme=AppTheme.of(restored, info.context.public_url))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="PNG, JPEG or WebP, square, 1024-4096 px, opaque, at most 5 MB. "
        "Generates every store size and puts them on the draft.",
    )
    async def upload_app_icon(self, info: Info, file: Upload) -> UploadAppIconPayload:
        scope = info.context.scope

        async def upload() -> ThemeDraft:
            return await icons.upload_icon(
                scope.deps, scope.require_tenant(), await read_upload(file)
            )

        draft, errors = await attempt(scope.locale, upload)
        if draft is None:
            return UploadAppIconPayload(user_errors=errors)
        shown = AppThemeDraft.of(draft, info.context.public_url)
        return UploadAppIconPayload(icons=shown.icons, draft=shown)
