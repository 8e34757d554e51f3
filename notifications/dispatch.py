"""Draining the outbox: claim a batch, decide about all of its rows at once (screening.py),
hand the messages to the sender in waves, and record each wave's outcome right after its
answers (outcomes.py), in bulk.

Exactly once: before a wave goes to the sender its rows are marked dispatched (and the claim's
hold renewed); rows another drain took meanwhile are left out. A drain that dies mid-batch
leaves its recorded waves recorded, its unsent rows to the next claim, and the wave that was in
flight marked dispatched: the next claim records those as SENT (UNCONFIRMED) instead of
sending them a second time.

Back-pressure: a Pace shared by the sender's drains stops every wave while FCM's Retry-After
runs, puts the rest of the batch back until then (not an attempt), and sends smaller waves
afterwards (pace.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from loyalty.devices import Device
from loyalty.notifications import BACK_PRESSURE, Notification, PushMessage, PushSender
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from notifications.outcomes import BASE_DELAY, MAX_ATTEMPTS, MAX_DELAY, Outcomes, backoff
from notifications.pace import Pace
from notifications.screening import Ready, screen

__all__ = [
    "BASE_DELAY",
    "BATCH",
    "HOLD",
    "MAX_ATTEMPTS",
    "MAX_DELAY",
    "backoff",
    "deliver",
    "drain",
]

BATCH = 500
HOLD = timedelta(minutes=5)  # a claimed row returns to the pool if its drain dies
# How many batches one drain call takes on while there is due work (the scheduler's tick
# must not be held for ever by one tenant; the next tick goes on).
MAX_BATCHES = 40


async def drain(
    deps: Deps,
    tenant: Tenant,
    sender: PushSender,
    limit: int = BATCH,
    pace: Pace | None = None,
    max_batches: int = 1,
) -> int:
    """Up to `max_batches` passes; returns how many rows were handled (sent, skipped, failed
    or deferred)."""
    handled = 0
    for _ in range(max_batches):
        now = deps.clock.now()
        if pace is not None and pace.paused(now):
            break
        rows = await deps.outbox.claim_due(tenant.slug, now, now + HOLD, limit)
        if not rows:
            break
        await deliver(deps, tenant, sender, rows, pace)
        handled += len(rows)
        if len(rows) < limit:
            break
    return handled


async def deliver(
    deps: Deps,
    tenant: Tenant,
    sender: PushSender,
    rows: list[Notification],
    pace: Pace | None = None,
) -> None:
    """Sends rows one claim holds (claimed by a drain, or queued already claimed)."""
    if not rows:
        return
    claim = rows[0].claim or ""
    now = deps.clock.now()
    outcomes = Outcomes(at=now, sender=sender.name)
    ready = await screen(deps, tenant, rows, now, outcomes)
    await outcomes.write(deps, tenant.slug, claim)
    start = 0
    hold = rows[0].not_before  # the claim's hold on the rows still waiting
    while start < len(ready):
        now = deps.clock.now()
        outcomes.at = now
        if pace is not None and pace.paused(now):
            _put_back(outcomes, ready[start:], pace)
            await outcomes.write(deps, tenant.slug, claim)
            break
        size = min(sender.batch_size, pace.wave if pace else sender.batch_size)
        wave = _wave(ready, start, size)
        start += len(wave)
        # The rows still waiting keep their hold until less than half of it is left (a
        # write per wave for every waiting row was a third of a campaign's store writes).
        renew = now + HOLD / 2 >= hold
        held = await deps.outbox.dispatching(
            tenant.slug,
            claim,
            [item.row.id for item in wave],
            now + HOLD,
            waiting=[item.row.id for item in ready[start:]] if renew else None,
        )
        if renew:
            hold = now + HOLD
        wave = [item for item in wave if item.row.id in held]
        if not wave:
            continue
        messages = [_message(item, device, now) for item in wave for device in item.devices]
        results = await sender.send(messages)
        answers = iter(results)
        for item in wave:
            item.results = [next(answers) for _ in item.devices]
            outcomes.answered(item.row, item.body, item.devices, item.results)
        if pace is not None:
            pace.observe(results, deps.clock.now())
        await outcomes.write(deps, tenant.slug, claim)


def _wave(ready: list[Ready], start: int, size: int) -> list[Ready]:
    """Whole rows (all of a row's devices go in the same wave), about `size` messages."""
    wave: list[Ready] = []
    messages = 0
    for item in ready[start:]:
        if wave and messages + len(item.devices) > size:
            break
        wave.append(item)
        messages += len(item.devices)
    return wave


def _put_back(outcomes: Outcomes, rest: list[Ready], pace: Pace) -> None:
    until = pace.paused_until or outcomes.at
    for item in rest:
        outcomes.postpone(item.row, until, attempts=item.row.attempts, reason=BACK_PRESSURE)


def _message(item: Ready, device: Device, now: datetime) -> PushMessage:
    row = item.row
    ttl = None
    if row.expires_at is not None:
        ttl = max(0, int((row.expires_at - now).total_seconds()))
    return PushMessage(
        token=device.token,
        platform=device.platform,
        title=row.title,
        body=item.body,
        data=dict(row.data),
        collapse_key=row.kind.value.lower(),
        ttl_seconds=ttl,
    )
