"""Enrolment and member lookup."""

from __future__ import annotations

from loyalty.errors import DomainError, ErrorCode
from loyalty.members import MAX_EXTERNAL_ID, Member, new_code
from loyalty.ports import Deps
from loyalty.program import ActivityType
from loyalty.tenants import Tenant
from loyalty.usecases.idempotency import run_once
from loyalty.usecases.outbound_events import announce_enrolled

REFERRAL_CODE_LENGTH = 8
SIGNUP_SCOPE = "signup"
MAX_DISPLAY_NAME = 60
MAX_CONTACT = 254


def check_external_id(external_id: str, field: tuple[str, ...]) -> str:
    if not external_id or len(external_id) > MAX_EXTERNAL_ID or not external_id.isprintable():
        raise DomainError(ErrorCode.INVALID_INPUT, field, detail="externalId")
    return external_id


async def require_member(
    deps: Deps, tenant: Tenant, external_id: str, field: tuple[str, ...]
) -> Member:
    member = await deps.members.get_by_external_id(tenant.slug, external_id)
    if member is None:
        raise DomainError(ErrorCode.MEMBER_NOT_FOUND, field)
    return member


async def enrol(
    deps: Deps,
    tenant: Tenant,
    external_id: str,
    *,
    display_name: str | None = None,
    locale: str | None = None,
    reenrol: bool = False,
) -> Member:
    """Find or create the member. Creation is idempotent under concurrency (unique index on
    tenant + external id), and the signup reward is granted exactly once.

    A customer whose data was erased is not created again (MEMBER_ERASED) unless `reenrol`
    (the merchant's admin key enrolling them on purpose): see loyalty/privacy.py."""
    existing = await deps.members.get_by_external_id(tenant.slug, external_id)
    signup = tenant.program.activity_rule(ActivityType.SIGNUP, None) is not None
    if existing is not None:
        if signup and await deps.idempotency.unfinished(tenant.slug, SIGNUP_SCOPE, external_id):
            return await _sign_up(deps, tenant, existing)  # a retry: finish the first attempt
        return existing
    check_external_id(external_id, ("input", "externalId"))
    # Imported here: privacy imports this module for its id check.
    from loyalty.usecases.privacy import allow_again, refuse_if_erased

    if reenrol:
        await allow_again(deps, tenant, external_id)
    else:
        await refuse_if_erased(deps, tenant, external_id)
    if locale is not None and locale not in ("ar", "en"):
        raise DomainError(ErrorCode.INVALID_LOCALE, ("input", "locale"), locale=locale[:16])
    if display_name is not None and len(display_name) > MAX_DISPLAY_NAME:
        raise DomainError(ErrorCode.TOO_LONG, ("input", "displayName"), max=MAX_DISPLAY_NAME)
    candidate = Member(
        id="",
        tenant=tenant.slug,
        external_id=external_id,
        locale=locale or tenant.program.default_locale,
        joined_at=deps.clock.now(),
        referral_code=new_code(REFERRAL_CODE_LENGTH),
        display_name=display_name,
    )
    if signup:
        member = await _sign_up(deps, tenant, candidate)
    else:
        member, _ = await deps.members.enrol(candidate)
    await announce_enrolled(deps, member)
    return member


async def _sign_up(deps: Deps, tenant: Tenant, candidate: Member) -> Member:
    """Creating the member and granting the signup reward run under one idempotency claim
    (keyed by the external id), so that a retry after a failure in between still grants it.
    A member who joined before the program had a signup reward has no claim: nothing to do."""
    # Imported here: activities imports this module for member lookups.
    from loyalty.usecases.activities import record_activity

    async def perform() -> dict[str, object]:
        member = candidate
        if not member.id:
            member, _ = await deps.members.enrol(candidate)
        await record_activity(deps, tenant, member, ActivityType.SIGNUP, "signup", None, None)
        return {"member_id": member.id}

    done = await run_once(deps, tenant, SIGNUP_SCOPE, candidate.external_id, SIGNUP_SCOPE, perform)
    member = await deps.members.get(tenant.slug, str(done["member_id"]))
    assert member is not None
    return member


async def update_profile(deps: Deps, member: Member, changes: dict[str, str | None]) -> Member:
    """Changes only the given fields; a null clears an optional one."""
    clean: dict[str, str | None] = {}
    for name, value in changes.items():
        field = ("input", name)
        if name == "locale":
            if value is None or value not in ("ar", "en"):
                raise DomainError(ErrorCode.INVALID_LOCALE, field, locale=(value or "")[:16])
            clean["locale"] = value
            continue
        text = None if value is None else value.strip() or None
        limit = MAX_DISPLAY_NAME if name == "displayName" else MAX_CONTACT
        if text is not None and len(text) > limit:
            raise DomainError(ErrorCode.TOO_LONG, field, max=limit)
        if name == "email" and text is not None and ("@" not in text or " " in text):
            raise DomainError(ErrorCode.INVALID_INPUT, field, detail="email")
        if name == "phone" and text is not None and not _is_phone(text):
            raise DomainError(ErrorCode.INVALID_INPUT, field, detail="phone")
        clean[_STORED_NAMES[name]] = text
    updated = await deps.members.update_profile(member.tenant, member.id, clean)
    if updated is None:
        raise DomainError(ErrorCode.MEMBER_NOT_FOUND)
    return updated


_STORED_NAMES = {"displayName": "display_name", "email": "email", "phone": "phone"}


def _is_phone(text: str) -> bool:
    digits = text[1:] if text.startswith("+") else text
    return digits.isdigit() and 7 <= len(digits) <= 15
