"""saveAppTheme, publishAppTheme, rollbackAppTheme and appTheme: drafts, immutable versions."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.conftest import Api, TenantCreds

COLORS = {
    "primary": "#1F4E79",
    "onPrimary": "#FFFFFF",
    "secondary": "#2E7D32",
    "onSecondary": "#FFFFFF",
    "background": "#FFFFFF",
    "onBackground": "#1A1A1A",
    "surface": "#F5F5F5",
    "onSurface": "#1A1A1A",
}

SAVE = """
mutation($input: AppThemeInput!) { saveAppTheme(input: $input) {
  draft { colors { primary onBackground accent } fontFamily cornerRadius logoUrl }
  userErrors { code field message } } }
"""
PUBLISH = "mutation { publishAppTheme { theme { version etag colors { primary } "
PUBLISH += "rolledBackFrom } userErrors { code field message } } }"
ROLLBACK = """
mutation($v: Int!) { rollbackAppTheme(version: $v) {
  theme { version etag colors { primary } rolledBackFrom } userErrors { code field message } } }
"""
THEME = """
query($v: Int) { appTheme(version: $v) { version etag publishedAt fontFamily
  colors { primary onPrimary } darkColors { primary } icons { platform size url } } }
"""


def theme_input(**changes: Any) -> dict[str, Any]:
    colors = dict(COLORS)
    colors.update(changes.pop("colors", {}))
    return {"input": {"colors": colors, **changes}}


async def save(api: Api, creds: TenantCreds, locale: str = "en", **changes: Any) -> Any:
    body = await api.gql(SAVE, theme_input(**changes), token=creds.admin, locale=locale)
    return body["data"]["saveAppTheme"]


async def publish(api: Api, creds: TenantCreds) -> Any:
    return (await api.gql(PUBLISH, token=creds.admin))["data"]["publishAppTheme"]


async def current(api: Api, slug: str, version: int | None = None) -> Any:
    return await api.gql(THEME, {"v": version}, tenant=slug)


async def test_before_any_publish_the_default_theme_is_served(api: Api, acme: TenantCreds) -> None:
    body = await current(api, "acme")
    theme = body["data"]["appTheme"]
    assert (theme["version"], theme["publishedAt"], theme["icons"]) == (0, None, [])
    assert theme["etag"].startswith('"v0-')


async def test_save_then_publish_creates_numbered_immutable_versions(
    api: Api, acme: TenantCreds
) -> None:
    # given
    saved = await save(api, acme, fontFamily="cairo", cornerRadius=8)
    assert saved["userErrors"] == []
    assert saved["draft"]["fontFamily"] == "Cairo"
    # when
    first = await publish(api, acme)
    await save(api, acme, colors={"primary": "#0b3d2e"})
    second = await publish(api, acme)
    # then
    assert first["theme"]["version"] == 1
    assert second["theme"]["colors"]["primary"] == "#0B3D2E"
    assert second["theme"]["version"] == 2
    assert first["theme"]["etag"] != second["theme"]["etag"]
    latest = (await current(api, "acme"))["data"]["appTheme"]
    assert (latest["version"], latest["colors"]["primary"]) == (2, "#0B3D2E")
    old = (await current(api, "acme", 1))["data"]["appTheme"]
    assert (old["version"], old["colors"]["primary"], old["etag"]) == (
        1,
        "#1F4E79",
        first["theme"]["etag"],
    )


async def test_saving_a_draft_does_not_change_what_apps_see(api: Api, acme: TenantCreds) -> None:
    await save(api, acme)
    await publish(api, acme)
    before = await current(api, "acme")
    await save(api, acme, colors={"primary": "#000000"})
    assert await current(api, "acme") == before


async def test_publishing_unchanged_content_returns_the_same_version(
    api: Api, acme: TenantCreds
) -> None:
    await save(api, acme)
    first = await publish(api, acme)
    retry = await publish(api, acme)
    assert retry == first
    assert (await current(api, "acme"))["data"]["appTheme"]["version"] == 1


async def test_concurrent_publishes_make_one_version(api: Api, acme: TenantCreds) -> None:
    await save(api, acme)
    results = await asyncio.gather(*(publish(api, acme) for _ in range(8)))
    assert {r["theme"]["version"] for r in results} == {1}
    assert (await current(api, "acme", 2))["errors"][0]["extensions"]["code"] == "THEME_NOT_FOUND"


async def test_publish_without_a_draft_is_refused(api: Api, acme: TenantCreds) -> None:
    payload = await publish(api, acme)
    assert payload["theme"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("NO_THEME_DRAFT", None)]
    assert (await current(api, "acme"))["data"]["appTheme"]["version"] == 0


async def test_rollback_republishes_an_earlier_version_as_the_latest(
    api: Api, acme: TenantCreds
) -> None:
    # given versions 1 and 2
    await save(api, acme)
    first = (await publish(api, acme))["theme"]
    await save(api, acme, colors={"primary": "#0B3D2E"})
    await publish(api, acme)
    # when
    body = await api.gql(ROLLBACK, {"v": 1}, token=acme.admin)
    retry = await api.gql(ROLLBACK, {"v": 1}, token=acme.admin)
    # then
    theme = body["data"]["rollbackAppTheme"]["theme"]
    assert (theme["version"], theme["colors"]["primary"], theme["rolledBackFrom"]) == (
        3,
        "#1F4E79",
        1,
    )
    assert theme["etag"] != first["etag"]
    assert retry["data"]["rollbackAppTheme"]["theme"] == theme
    assert (await current(api, "acme"))["data"]["appTheme"]["version"] == 3
    two = (await current(api, "acme", 2))["data"]["appTheme"]
    assert two["colors"]["primary"] == "#0B3D2E"


async def test_rollback_to_an_unknown_version_is_refused(api: Api, acme: TenantCreds) -> None:
    await save(api, acme)
    await publish(api, acme)
    body = await api.gql(ROLLBACK, {"v": 7}, token=acme.admin)
    payload = body["data"]["rollbackAppTheme"]
    assert payload["theme"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("THEME_NOT_FOUND", ["version"])
    ]
    assert (await current(api, "acme"))["data"]["appTheme"]["version"] == 1


async def test_low_contrast_is_refused_with_ratio_and_suggestion(
    api: Api, acme: TenantCreds
) -> None:
    # when
    payload = await save(api, acme, colors={"onBackground": "#777777", "primary": "blue"})
    arabic = await save(api, acme, locale="ar", colors={"onBackground": "#777777"})
    # then
    assert payload["draft"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("INVALID_COLOR", ["input", "colors", "primary"]),
        ("LOW_CONTRAST", ["input", "colors", "onBackground"]),
    ]
    message = payload["userErrors"][1]["message"]
    assert "4.48:1" in message
    assert "#767676" in message
    assert "4.48:1" in arabic["userErrors"][0]["message"]
    assert "التباين" in arabic["userErrors"][0]["message"]
    # and nothing was saved
    draft = await api.gql("{ appThemeDraft { colors { primary } } }", token=acme.admin)
    assert draft["data"]["appThemeDraft"] is None


async def test_dark_colors_font_radius_and_logo_are_validated(api: Api, acme: TenantCreds) -> None:
    dark = dict(COLORS, background="#121212", onBackground="#333333", surface="#121212")
    dark.update(onSurface="#EDEDED", primary="#9CC3E6", onPrimary="#0B1F33")
    dark.update(secondary="#A5D6A7", onSecondary="#0B2610")
    payload = await save(
        api,
        acme,
        darkColors=dark,
        fontFamily="Arial",
        cornerRadius=40,
        logoUrl="http://cdn.example.com/logo.png",
    )
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("LOW_CONTRAST", ["input", "darkColors", "onBackground"]),
        ("UNSUPPORTED_FONT", ["input", "fontFamily"]),
        ("OUT_OF_RANGE", ["input", "cornerRadius"]),
        ("INSECURE_URL", ["input", "logoUrl"]),
    ]


async def test_theme_mutations_need_the_admin_key(api: Api, acme: TenantCreds) -> None:
    member = acme.member_token(api, "c1")
    for token in (acme.events, member):
        body = await api.gql(SAVE, theme_input(), token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        body = await api.gql(PUBLISH, token=token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = await api.gql(SAVE, theme_input(), tenant="acme")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await current(api, "acme"))["data"]["appTheme"]["version"] == 0


async def test_app_theme_needs_a_tenant(api: Api, acme: TenantCreds) -> None:
    body = await api.gql(THEME, {"v": None})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_tenants_never_see_each_others_themes(
    api: Api, acme: TenantCreds, globex: TenantCreds
) -> None:
    # given acme publishes version 1
    await save(api, acme, colors={"primary": "#0B3D2E"})
    await publish(api, acme)
    # then globex still has the default, cannot read or roll back to acme's version
    assert (await current(api, "globex"))["data"]["appTheme"]["version"] == 0
    assert (await current(api, "globex", 1))["errors"][0]["extensions"]["code"] == (
        "THEME_NOT_FOUND"
    )
    body = await api.gql(ROLLBACK, {"v": 1}, token=globex.admin)
    assert body["data"]["rollbackAppTheme"]["userErrors"][0]["code"] == "THEME_NOT_FOUND"
    assert (await publish(api, globex))["userErrors"][0]["code"] == "NO_THEME_DRAFT"
    # and acme's own key with globex in X-Tenant still acts on acme only
    body = await api.gql(THEME, {"v": None}, token=acme.admin, tenant="globex")
    assert body["data"]["appTheme"]["colors"]["primary"] == "#0B3D2E"
