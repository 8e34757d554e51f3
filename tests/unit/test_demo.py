"""The demo seeds everything the tour shows, on the embedded store."""

from __future__ import annotations

from datetime import timedelta

from api.auth.member_tokens import verify_member_token
from api.demo import SHOPPERS, seed_demo
from loyalty.ledger import TransactionType
from loyalty.ports import Deps
from loyalty.usecases.theme import published
from loyalty.wallet import expiring, view


async def test_demo_data_covers_pending_expiring_expired_theme_and_a_working_token(
    deps: Deps,
) -> None:
    # when
    creds = await seed_demo(deps)
    # then the printed member token is valid for the first shopper
    tenant = await deps.tenants.get(creds.slug)
    assert tenant is not None
    now = deps.clock.now()
    claims = verify_member_token(
        creds.member_token, tenant_slug=creds.slug, keys=tenant.member_keys, now=now
    )
    assert claims.subject == SHOPPERS[0][0]
    # and every shopper has pending points, some expire soon, some already expired
    pending, expiring_soon, expired = 0, 0, 0
    for external_id, _ in SHOPPERS:
        member = await deps.members.get_by_external_id(creds.slug, external_id)
        assert member is not None
        pending += view(member.wallet, now).pending > 0
        expiring_soon += bool(expiring(member.wallet, now, now + timedelta(days=30)))
        history = await deps.members.ledger_page(creds.slug, member.id, None, 100)
        expired += any(e.type is TransactionType.EXPIRE for e in history)
    assert pending == len(SHOPPERS)
    assert expiring_soon > 0 and expired > 0
    # and a theme with its icon set is published
    version = await published(deps, tenant, None)
    assert (version.version, len(version.icons)) == (1, 33)
