"""Shared setup for the two-worker tests: a tenant, members with one device each, and senders
that stop at a gate in the middle of a send."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from loyalty.clock import FrozenClock
from loyalty.devices import Device, DevicePlatform
from loyalty.members import Member
from loyalty.notifications import PushError, PushMessage, PushResult
from loyalty.ports import Deps
from loyalty.tenants import Tenant
from loyalty.usecases import members, tenants
from notifications.recording import RecordingSender
from tests.interleave import Gate


async def tenant_with_devices(
    deps: Deps, clock: FrozenClock, count: int
) -> tuple[Tenant, list[Member]]:
    created = await tenants.create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    enrolled = []
    for number in range(count):
        member = await members.enrol(deps, created.tenant, f"c{number}")
        device = Device("acme", member.id, f"tok-{number}", DevicePlatform.ANDROID, clock.now())
        await deps.devices.register(device, None)
        enrolled.append(member)
    return created.tenant, enrolled


class GatedSender(RecordingSender):
    """Records what it sends; the n-th `send` call stops at `gates[n]` first. With `error`, every
    message fails with it (and is not recorded as delivered)."""

    def __init__(
        self,
        name: str,
        batch_size: int = 500,
        gates: dict[int, Gate] | None = None,
        error: PushError | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.batch_size = batch_size
        self._gates = gates or {}
        self._error = error
        self._calls = 0

    async def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        self._calls += 1
        gate = self._gates.get(self._calls)
        if gate is not None:
            await gate.stop()
        if self._error is not None:
            return [PushResult(error=self._error) for _ in messages]
        return await super().send(messages)

    @property
    def tokens(self) -> list[str]:
        return [message.token for message in self.sent]


class Counting:
    """Passes every call through to `inner`, counting calls per method name."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.calls: dict[str, int] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] = self.calls.get(name, 0) + 1
            return value(*args, **kwargs)

        return call
