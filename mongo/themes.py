"""App theme drafts and published versions; generated icon files."""

from __future__ import annotations

import contextlib
from dataclasses import asdict
from datetime import datetime
from typing import Any

from pymongo import DESCENDING, ReturnDocument
from pymongo.errors import DuplicateKeyError

from loyalty.ports import StoredFile
from loyalty.theme import IconRef, ThemeColors, ThemeDraft, ThemeSpec, ThemeVersion
from mongo.codec import utc, utc_or_none


def _spec_doc(spec: ThemeSpec) -> dict[str, Any]:
    return asdict(spec)


def _spec_from(doc: dict[str, Any]) -> ThemeSpec:
    dark = doc.get("dark_colors")
    return ThemeSpec(
        colors=ThemeColors(**doc["colors"]),
        dark_colors=ThemeColors(**dark) if dark else None,
        font_family=doc.get("font_family"),
        corner_radius=doc.get("corner_radius"),
        logo_url=doc.get("logo_url"),
    )


def _icons_doc(icons: tuple[IconRef, ...]) -> list[dict[str, Any]]:
    return [asdict(icon) for icon in icons]


def _icons_from(docs: Any) -> tuple[IconRef, ...]:
    return tuple(IconRef(d["platform"], d["size"], d["name"]) for d in docs or [])


def _draft_from(doc: dict[str, Any]) -> ThemeDraft:
    spec = doc.get("spec")
    return ThemeDraft(
        tenant=doc["tenant"],
        spec=_spec_from(spec) if spec else None,
        icons=_icons_from(doc.get("icons")),
        updated_at=utc(doc["updated_at"]),
    )


def _version_from(doc: dict[str, Any]) -> ThemeVersion:
    return ThemeVersion(
        tenant=doc["tenant"],
        version=doc["version"],
        spec=_spec_from(doc["spec"]),
        icons=_icons_from(doc.get("icons")),
        digest=doc["digest"],
        published_at=utc_or_none(doc.get("published_at")),
        rolled_back_from=doc.get("rolled_back_from"),
    )


class MongoThemes:
    """Drafts: one document per tenant (`_id` = slug). Versions: `_id` = slug:version, so two
    concurrent publishes cannot take the same number; `tenant_version_unique` serves latest."""

    def __init__(self, db: Any) -> None:
        self._drafts = db["app_theme_drafts"]
        self._versions = db["app_themes"]

    async def _update_draft(self, tenant: str, fields: dict[str, Any]) -> ThemeDraft:
        for _ in range(2):  # a concurrent first upsert may win the insert: then update it
            try:
                doc = await self._drafts.find_one_and_update(
                    {"_id": tenant, "tenant": tenant},
                    {"$set": fields, "$setOnInsert": {"tenant": tenant}},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
                return _draft_from(doc)
            except DuplicateKeyError:
                continue
        raise RuntimeError("draft upsert kept colliding")

    async def save_draft(self, tenant: str, spec: ThemeSpec, now: datetime) -> ThemeDraft:
        return await self._update_draft(tenant, {"spec": _spec_doc(spec), "updated_at": now})

    async def set_draft_icons(
        self, tenant: str, icons: tuple[IconRef, ...], now: datetime
    ) -> ThemeDraft:
        return await self._update_draft(tenant, {"icons": _icons_doc(icons), "updated_at": now})

    async def draft(self, tenant: str) -> ThemeDraft | None:
        doc = await self._drafts.find_one({"_id": tenant, "tenant": tenant})
        return _draft_from(doc) if doc else None

    async def latest(self, tenant: str) -> ThemeVersion | None:
        cursor = self._versions.find({"tenant": tenant}).sort("version", DESCENDING).limit(1)
        docs = await cursor.to_list(1)
        return _version_from(docs[0]) if docs else None

    async def version(self, tenant: str, version: int) -> ThemeVersion | None:
        doc = await self._versions.find_one({"_id": f"{tenant}:{version}", "tenant": tenant})
        return _version_from(doc) if doc else None

    async def insert_version(self, theme: ThemeVersion) -> bool:
        try:
            await self._versions.insert_one(
                {
                    "_id": f"{theme.tenant}:{theme.version}",
                    "tenant": theme.tenant,
                    "version": theme.version,
                    "spec": _spec_doc(theme.spec),
                    "icons": _icons_doc(theme.icons),
                    "digest": theme.digest,
                    "published_at": theme.published_at,
                    "rolled_back_from": theme.rolled_back_from,
                }
            )
        except DuplicateKeyError:
            return False
        return True


class MongoFiles:
    """Icon files as ordinary documents (`_id` = slug:name). Every rendition is at most
    1024x1024 PNG (well under MongoDB's 16 MB document limit), and mongomock has no async
    GridFS, so one plain collection works the same on both stores."""

    def __init__(self, db: Any) -> None:
        self._c = db["icon_files"]

    async def put(self, tenant: str, name: str, content_type: str, data: bytes) -> None:
        # Content-addressed and immutable: an existing document already holds these bytes.
        doc = {"_id": f"{tenant}:{name}", "tenant": tenant, "content_type": content_type}
        with contextlib.suppress(DuplicateKeyError):
            await self._c.insert_one({**doc, "data": data, "size": len(data)})

    async def get(self, tenant: str, name: str) -> StoredFile | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{name}", "tenant": tenant})
        if doc is None:
            return None
        return StoredFile(content_type=doc["content_type"], data=bytes(doc["data"]))
