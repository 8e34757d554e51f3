"""Members register the devices they want pushes on and say what they want to hear, and when."""

from __future__ import annotations

from dataclasses import replace

from loyalty.devices import (
    Category,
    Device,
    DevicePlatform,
    NotificationPrefs,
    check_minute,
    check_timezone,
    check_token,
)
from loyalty.errors import DomainError, ErrorCode
from loyalty.members import Member
from loyalty.ports import Deps

UNSET: object = object()


async def register_device(
    deps: Deps,
    member: Member,
    *,
    token: str,
    platform: DevicePlatform,
    locale: str | None,
    timezone: str | None,
    replaces: str | None,
) -> Device:
    """Idempotent: registering the same token again refreshes it. `replaces` is the token the
    app held before a refresh (it is removed, for this member only)."""
    token = check_token(token, ("input", "token"))
    if replaces is not None:
        replaces = check_token(replaces, ("input", "replacesToken"))
    if locale is not None and locale not in ("ar", "en"):
        raise DomainError(ErrorCode.INVALID_LOCALE, ("input", "locale"), locale=locale[:16])
    timezone = check_timezone(timezone, ("input", "timezone"))
    device = Device(
        tenant=member.tenant,
        member_id=member.id,
        token=token,
        platform=platform,
        registered_at=deps.clock.now(),
        locale=locale,
        timezone=timezone,
    )
    return await deps.devices.register(device, replaces)


async def unregister_device(deps: Deps, member: Member, token: str) -> None:
    """Only the member's own device; another member's token is "not found" (no probing)."""
    if not await deps.devices.unregister(member.tenant, member.id, token.strip()):
        raise DomainError(ErrorCode.DEVICE_NOT_FOUND, ("token",))


async def update_preferences(
    deps: Deps,
    member: Member,
    *,
    opted_out: list[Category] | object = UNSET,
    quiet_start: int | object | None = UNSET,
    quiet_end: int | object | None = UNSET,
) -> NotificationPrefs:
    """Changes only what is given; quiet hours are set or cleared as a pair."""
    prefs = await deps.preferences.get(member.tenant, member.id)
    if isinstance(opted_out, list):
        prefs = replace(prefs, opted_out=frozenset(opted_out))
    start = prefs.quiet_start if quiet_start is UNSET else quiet_start
    end = prefs.quiet_end if quiet_end is UNSET else quiet_end
    assert start is None or isinstance(start, int)
    assert end is None or isinstance(end, int)
    check_minute(start, ("input", "quietHoursStart"))
    check_minute(end, ("input", "quietHoursEnd"))
    if (start is None) != (end is None):
        missing = "quietHoursEnd" if end is None else "quietHoursStart"
        raise DomainError(ErrorCode.INVALID_INPUT, ("input", missing), detail=missing)
    prefs = replace(prefs, quiet_start=start, quiet_end=end)
    await deps.preferences.save(member.tenant, member.id, prefs)
    return prefs
