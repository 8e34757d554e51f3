"""Win-back: one push when a member's last order becomes older than the program's inactivity
period. The dedupe key holds that last order date, so each inactivity episode is pushed once;
a new order starts a new episode. Found through the (tenant, last_order_at) index by the window
that crossed the threshold since the last run."""

from __future__ import annotations

from datetime import timedelta

from loyalty.lots import view
from loyalty.notifications import NotificationKind
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outbox import queue

JOB = "win-back"


async def queue_win_backs(deps: Deps, tenant: Tenant) -> int:
    now = deps.clock.now()
    period = timedelta(days=tenant.program.inactivity_days)
    last = await deps.cursors.get(tenant.slug, JOB)
    end = now - period
    # First run: only members who lapsed within the last day, not years of history at once.
    start = (last or now - timedelta(days=1)) - period
    queued = 0
    async for member in deps.audiences.last_ordered_between(tenant.slug, start, end):
        if member.last_order_at is None:
            continue
        balance = view(member.wallet, now).balance
        queued += await queue(
            deps,
            tenant,
            member,
            NotificationKind.WIN_BACK,
            f"winback:{member.id}:{member.last_order_at.isoformat()}",
            # An empty wallet gets the variant that does not count zero points.
            {"points": balance, "variant": "none" if balance == 0 else ""},
        )
    await deps.cursors.set(tenant.slug, JOB, now)
    return queued
