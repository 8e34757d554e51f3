"""Uploading the app icon: validate, render the full set, store it, attach it to the draft.

Idempotent by content: the files are content-addressed, so a retried or concurrent upload of
the same image writes the same names and leaves the draft with the same icon list.
"""

from __future__ import annotations

import asyncio

from loyalty.errors import DomainError, ErrorCode
from loyalty.icons import RENDITIONS, check_header, check_upload_size, file_name
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.theme import IconRef, ThemeDraft

ICON_CONTENT_TYPE = "image/png"


async def upload_icon(deps: Deps, tenant: Tenant, data: bytes) -> ThemeDraft:
    check_upload_size(len(data))
    # Pillow work is CPU-bound: a worker thread keeps the event loop serving other requests.
    header = await asyncio.to_thread(deps.images.read_header, data)
    check_header(header)
    rendered = await asyncio.to_thread(deps.images.render, data, RENDITIONS)
    if rendered.has_transparency:
        raise DomainError(ErrorCode.IMAGE_TRANSPARENT, ("file",))
    icons: list[IconRef] = []
    for rendition, png in rendered.files:
        name = file_name(png)
        await deps.files.put(tenant.slug, name, ICON_CONTENT_TYPE, png)
        icons.append(IconRef(platform=rendition.platform, size=rendition.size, name=name))
    return await deps.themes.set_draft_icons(tenant.slug, tuple(icons), deps.clock.now())
