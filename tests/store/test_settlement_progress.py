"""Settlement always makes progress: wallets it cannot advance never hide the rest."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bson import ObjectId

from loyalty.clock import FrozenClock
from loyalty.ledger import Reason, TransactionType
from loyalty.lots import WalletState
from loyalty.ports import Deps
from loyalty.usecases import tenants
from loyalty.usecases.settlement import settle_due_wallets
from loyalty.wallet import earn
from mongo.client import Database
from mongo.wallets import wallet_doc

WHY = Reason("reason.order", {"order_id": "o"})
# Four batches of stuck wallets before the healthy ones: as in production (batches of 500),
# scaled down so the in-process store, which scans the collection per write, stays quick.
BATCH = 50
STUCK = 4 * BATCH
HEALTHY = 10


def _member_doc(tenant: str, n: int, state: WalletState) -> dict[str, object]:
    return {
        "_id": ObjectId(),
        "tenant": tenant,
        "external_id": f"c{n}",
        "referral_code": f"R{n:07d}",
        "locale": "en",
        "joined_at": state.lots[0].earned_at,
        "wallet": wallet_doc(state, [], state.seq),
    }


async def test_four_batches_of_stuck_refund_wallets_and_10_healthy_ones_all_settle_in_one_pass(
    deps: Deps, database: Database, clock: FrozenClock
) -> None:
    # given four batches of wallets stored before the fix: a pending lot refunded to nothing, never
    # released, so each wallet is overdue; and 10 wallets with 80 points due for release
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    slug = created.tenant.slug
    placed = clock.now() - timedelta(days=30)
    pending = earn(
        WalletState(),
        placed,
        op_id="order:o",
        points=80,
        type_=TransactionType.EARN,
        reason=WHY,
        earned_at=placed,
        available_at=placed + timedelta(days=14),
        expires_at=None,
        order_id="o",
    ).state
    emptied = replace(pending, lots=(replace(pending.lots[0], remaining=0),), pending=0)
    docs = [_member_doc(slug, n, emptied) for n in range(STUCK)]
    docs += [_member_doc(slug, STUCK + n, pending) for n in range(HEALTHY)]
    await database.db["members"].insert_many(docs)

    # when one scheduler pass of settlement runs
    written = await settle_due_wallets(deps, slug, batch=BATCH)

    # then the 10 healthy wallets got their RELEASE and nobody is due any more
    assert written == HEALTHY
    due = await database.db["members"].count_documents(
        {"tenant": slug, "wallet.next_due_at": {"$lte": clock.now()}}
    )
    assert due == 0
    released = await database.db["ledger"].count_documents({"tenant": slug, "type": "RELEASE"})
    assert released == HEALTHY
