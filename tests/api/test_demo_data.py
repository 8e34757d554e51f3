"""`loyalty demo --data FILE`: a restart on kept data shows the saved keys and a fresh member
token, and never seeds a second time (the dev store's own tests show the file keeps every
acknowledged write, kill -9 included)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from api.auth.member_tokens import verify_member_token
from api.demo_server import DEMO_SLUG, kept_or_seeded
from loyalty.clock import FrozenClock
from loyalty.ports import Deps


async def test_a_restart_keeps_the_demo_and_its_keys_with_a_fresh_member_token(
    deps: Deps, clock: FrozenClock
) -> None:
    # given a first run that seeded and saved its credentials
    first = await kept_or_seeded(deps, keep=True, kept=None)
    assert first is not None
    saved = {k: v for k, v in asdict(first).items() if k != "member_token"}
    member = await deps.members.get_by_external_id(DEMO_SLUG, first.member_external_id)
    assert member is not None
    # when the demo starts again on the same data, two days later
    clock.advance(timedelta(days=2))
    again = await kept_or_seeded(deps, keep=True, kept=saved)
    # then the same keys, the same member, and a token valid now
    assert again is not None
    assert (again.admin_api_key, again.events_api_key) == (
        first.admin_api_key,
        first.events_api_key,
    )
    tenant = await deps.tenants.get(DEMO_SLUG)
    assert tenant is not None
    claims = verify_member_token(
        again.member_token, tenant_slug=DEMO_SLUG, keys=tenant.member_keys, now=clock.now()
    )
    assert claims.subject == first.member_external_id
    still = await deps.members.get_by_external_id(DEMO_SLUG, first.member_external_id)
    assert still is not None and still.wallet == member.wallet  # not seeded twice


async def test_a_restart_from_an_older_credentials_file_still_shows_the_signing_key(
    deps: Deps,
) -> None:
    # given a first run whose saved file predates the signing key in the banner
    first = await kept_or_seeded(deps, keep=True, kept=None)
    assert first is not None and first.member_token_kid and first.member_token_secret
    saved = {
        k: v
        for k, v in asdict(first).items()
        if k not in ("member_token", "member_token_kid", "member_token_secret")
    }
    # when
    again = await kept_or_seeded(deps, keep=True, kept=saved)
    # then `loyalty token member --kid --secret` can still be given the key
    assert again is not None
    assert (again.member_token_kid, again.member_token_secret) == (
        first.member_token_kid,
        first.member_token_secret,
    )


async def test_kept_data_without_its_saved_keys_is_refused_not_reseeded(deps: Deps) -> None:
    # given a seeded store whose credentials file was lost
    await kept_or_seeded(deps, keep=True, kept=None)
    # when
    again = await kept_or_seeded(deps, keep=True, kept=None)
    # then
    assert again is None
