"""uploadAppIcon: multipart upload, validation of hostile files, the generated set, serving."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import pytest
from PIL import Image

from tests.api.conftest import Api, TenantCreds
from tests.api.test_app_theme import PUBLISH, save

UPLOAD = """
mutation($file: Upload!) { uploadAppIcon(file: $file) {
  icons { platform size url } draft { icons { url } } userErrors { code field message } } }
"""


def picture(size: tuple[int, int] = (1024, 1024), fmt: str = "PNG", mode: str = "RGB") -> bytes:
    fill: Any = (200, 30, 60, 128) if mode == "RGBA" else (200, 30, 60)
    image = Image.new(mode, size, fill)
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


async def upload(
    api: Api, token: str, data: bytes, content_type: str = "image/png", locale: str = "en"
) -> dict[str, Any]:
    operations = {"query": UPLOAD, "variables": {"file": None}}
    response = await api.client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("icon.png", data, content_type)},
        headers={"Authorization": f"Bearer {token}", "Accept-Language": locale},
    )
    body: dict[str, Any] = response.json()
    return body


def refused(body: dict[str, Any]) -> tuple[str, list[str] | None]:
    payload = body["data"]["uploadAppIcon"]
    assert payload["icons"] is None
    [error] = payload["userErrors"]
    assert error["message"]
    return error["code"], error["field"]


async def draft_icons(api: Api, creds: TenantCreds) -> Any:
    body = await api.gql("{ appThemeDraft { icons { url } } }", token=creds.admin)
    return body["data"]["appThemeDraft"]


async def test_a_square_opaque_png_generates_every_store_size(api: Api, acme: TenantCreds) -> None:
    # when
    body = await upload(api, acme.admin, picture())
    # then
    icons = body["data"]["uploadAppIcon"]["icons"]
    sizes: dict[str, list[int]] = {}
    for icon in icons:
        sizes.setdefault(icon["platform"], []).append(icon["size"])
    assert sizes == {
        "ios": [1024, 180, 167, 152, 120, 87, 80, 60, 58, 40, 29, 20],
        "android": [512],
        "android-adaptive-foreground": [432, 324, 216, 162, 108],
        "android-adaptive-background": [432, 324, 216, 162, 108],
        "android-legacy": [48, 72, 96, 144, 192],
        "web": [192, 512],
        "favicon": [16, 32, 48],
    }
    # and each URL serves a PNG of that size, cached forever under a content hash
    for icon in icons[:3] + icons[13:14]:
        path = icon["url"].removeprefix("http://127.0.0.1:8000")
        assert path.startswith("/icons/acme/")
        response = await api.client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        served = Image.open(io.BytesIO(response.content))
        assert (served.format, served.size) == ("PNG", (icon["size"], icon["size"]))
        again = await api.client.get(path, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304


async def test_icons_reach_apps_with_the_next_publish(api: Api, acme: TenantCreds) -> None:
    await save(api, acme)
    await upload(api, acme.admin, picture(fmt="JPEG"))
    assert len((await draft_icons(api, acme))["icons"]) == 33
    published = await api.gql(PUBLISH, token=acme.admin)
    assert published["data"]["publishAppTheme"]["theme"]["version"] == 1
    body = await api.gql("{ appTheme { icons { platform size url } } }", tenant="acme")
    assert len(body["data"]["appTheme"]["icons"]) == 33


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
async def test_jpeg_and_webp_are_accepted(api: Api, acme: TenantCreds, fmt: str) -> None:
    body = await upload(api, acme.admin, picture(fmt=fmt), content_type="application/octet-stream")
    assert body["data"]["uploadAppIcon"]["userErrors"] == []


def truncated() -> bytes:
    data = picture()
    return data[: len(data) // 2]


def bomb() -> bytes:
    # 20000 x 20000 pixels in a few kilobytes: refused from the header, never decoded.
    image = Image.new("1", (20000, 20000))
    out = io.BytesIO()
    image.save(out, format="PNG")
    assert len(out.getvalue()) < 1024 * 1024
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: picture((512, 512)), "IMAGE_TOO_SMALL"),
        (lambda: picture((1024, 1100)), "IMAGE_NOT_SQUARE"),
        (lambda: picture(mode="RGBA"), "IMAGE_TRANSPARENT"),
        (lambda: picture(fmt="GIF"), "IMAGE_UNSUPPORTED_FORMAT"),
        (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "IMAGE_UNSUPPORTED_FORMAT"),
        (lambda: b"", "IMAGE_UNSUPPORTED_FORMAT"),
        (truncated, "IMAGE_CORRUPT"),
        (bomb, "IMAGE_DIMENSIONS_TOO_LARGE"),
        (lambda: b"\x89PNG" + b"\0" * (5 * 1024 * 1024), "IMAGE_TOO_LARGE"),
    ],
)
async def test_bad_files_are_refused_and_nothing_is_stored(
    api: Api, acme: TenantCreds, make: Any, code: str
) -> None:
    body = await upload(api, acme.admin, make())
    assert refused(body) == (code, ["file"])
    assert await draft_icons(api, acme) is None


async def test_refusals_are_localized(api: Api, acme: TenantCreds) -> None:
    body = await upload(api, acme.admin, picture((1024, 1100)), locale="ar")
    message = body["data"]["uploadAppIcon"]["userErrors"][0]["message"]
    assert "مربعة" in message
    # pixels are not grouped, and an LRM keeps "1024×1100" in reading order
    assert "\u200e1024×1100 بكسل" in message


async def test_only_the_admin_key_may_upload(api: Api, acme: TenantCreds) -> None:
    for token in (acme.events, acme.member_token(api, "c1")):
        body = await upload(api, token, picture())
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await draft_icons(api, acme) is None


async def test_same_upload_twice_or_concurrently_gives_the_same_icons(
    api: Api, acme: TenantCreds
) -> None:
    data = picture()
    results = await asyncio.gather(*(upload(api, acme.admin, data) for _ in range(3)))
    again = await upload(api, acme.admin, data)
    urls = {tuple(i["url"] for i in r["data"]["uploadAppIcon"]["icons"]) for r in results}
    assert urls == {tuple(i["url"] for i in again["data"]["uploadAppIcon"]["icons"])}


async def test_icons_are_served_per_tenant_only(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    body = await upload(api, acme.admin, picture())
    url = body["data"]["uploadAppIcon"]["icons"][0]["url"]
    name = url.rsplit("/", 1)[1]
    assert (await api.client.get(f"/icons/acme/{name}")).status_code == 200
    assert (await api.client.get(f"/icons/globex/{name}")).status_code == 404
    assert (await api.client.get("/icons/acme/../x.png")).status_code == 404
    assert await draft_icons(api, globex) is None
