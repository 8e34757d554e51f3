"""Runs a scenario against the model and the product side by side, checking the affected
wallets after every operation and every wallet after every tick."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from loyalty.clock import FrozenClock
from tests.model.compare import Seen, settled_diff, wallet_diff
from tests.model.operations import ChangeProgram, Operation, Tick
from tests.model.product import Product
from tests.model.program_model import ModelTenant
from tests.model.scenario import Scenario


class ModelMismatch(AssertionError):
    pass


@dataclass
class Report:
    operations: int = 0
    refusals: int = 0
    ticks: int = 0
    wallet_checks: int = 0
    entries_checked: int = 0
    on_the_dot: int = 0  # operations and ticks at the very moment some lot is released or expires
    seconds: float = 0.0

    def __str__(self) -> str:
        rate = (self.operations + self.ticks) / self.seconds if self.seconds else 0.0
        return (
            f"{self.operations} operations ({self.refusals} refused), {self.ticks} ticks, "
            f"{self.on_the_dot} of them at the moment a lot is released or expires, "
            f"{self.wallet_checks} wallet checks, {self.entries_checked} ledger entries "
            f"compared in {self.seconds:.1f} s ({rate:.0f} operations and ticks per second)"
        )


@dataclass
class Runner:
    scenario: Scenario
    product: Product
    clock: FrozenClock
    report: Report = field(default_factory=Report)
    seen: dict[tuple[str, str], Seen] = field(default_factory=dict)
    history: dict[tuple[str, str], deque[str]] = field(default_factory=dict)
    day: int = 0

    async def run(self) -> Report:
        started = time.perf_counter()
        scenario = self.scenario
        self.clock.set(scenario.start)
        for tenant in scenario.tenants:
            await self.product.open(tenant)
            for member in tenant.wallets:
                self.seen[(tenant.slug, member)] = Seen()
                self.history[(tenant.slug, member)] = deque(maxlen=12)
        for day in range(scenario.size.days):
            self.day = day
            for moment, acting in scenario.plan_day(day):
                self.clock.set(moment)
                self.report.on_the_dot += _on_the_dot(scenario.tenants, moment)
                if acting is None:
                    await self._tick(moment)
                else:
                    await self._operation(acting, scenario.operation(acting, moment), moment)
        self.report.seconds = time.perf_counter() - started
        return self.report

    async def _operation(self, tenant: ModelTenant, op: Operation, now: datetime) -> None:
        expected, member = tenant.apply(op, now)
        try:
            actual = await self.product.apply(op)
        except Exception as error:
            raised = [f"the product raised {error!r}"]
            raise self._mismatch(raised, op, now, tenant, member) from error
        self.scenario.note(op)
        self.report.operations += 1
        self.report.refusals += expected is not None
        if member is not None:
            self.history[(tenant.slug, member)].append(f"{now.isoformat()} {op} -> {expected}")
        if isinstance(op, ChangeProgram):
            # Which code refuses settings is the product's choice; that it refuses is the rule.
            expected = expected and "refused"
            actual = actual and "refused"
        diffs = [] if expected == actual else [f"refusal: model {expected}, product {actual}"]
        if member is not None:
            diffs += (await self._check(tenant, [member], now))[member]
        self._fail_on(diffs, op, now, tenant, member)

    async def _tick(self, now: datetime) -> None:
        for tenant in self.scenario.tenants:
            tenant.settle_all(now)
        try:
            await self.product.tick()
        except Exception as error:
            raised = [f"the product raised {error!r}"]
            raise self._mismatch(raised, Tick(), now, None, None) from error
        self.report.ticks += 1
        for tenant in self.scenario.tenants:
            checked = await self._check(tenant, list(tenant.wallets), now, after_tick=True)
            for member, diffs in checked.items():
                self._fail_on(diffs, Tick(), now, tenant, member)

    async def _check(
        self, tenant: ModelTenant, members: list[str], now: datetime, *, after_tick: bool = False
    ) -> dict[str, list[str]]:
        seen = {member: self.seen[(tenant.slug, member)] for member in members}
        stored = await self.product.stored(tenant.slug, {m: s.seq for m, s in seen.items()})
        diffs: dict[str, list[str]] = {}
        for member in members:
            self.report.wallet_checks += 1
            self.report.entries_checked += len(stored[member].entries)
            diffs[member] = wallet_diff(tenant.wallets[member], stored[member], seen[member], now)
            if after_tick:
                diffs[member] += settled_diff(stored[member], now)
        return diffs

    def _fail_on(
        self,
        diffs: list[str],
        op: Operation,
        now: datetime,
        tenant: ModelTenant | None,
        member: str | None,
    ) -> None:
        if diffs:
            raise self._mismatch(diffs, op, now, tenant, member)

    def _mismatch(
        self,
        diffs: list[str],
        op: Operation,
        now: datetime,
        tenant: ModelTenant | None,
        member: str | None,
    ) -> ModelMismatch:
        where = "every tenant"
        if tenant is not None:
            where = f"{tenant.slug} ({tenant.settings}, currency {tenant.currency})"
        recent = self.history.get((tenant.slug if tenant else "", member or ""), deque())
        lines = [
            f"model mismatch: seed {self.scenario.seed}, day {self.day} "
            f"(rerun: LOYALTY_MODEL_SEED={self.scenario.seed})",
            f"  at {now.isoformat()} in {where}",
            f"  operation: {op}",
            f"  member: {member}",
            "  differences:",
            *(f"    {diff}" for diff in diffs),
            "  the member's recent operations (oldest first):",
            *(f"    {line}" for line in recent),
        ]
        return ModelMismatch("\n".join(lines))


def _on_the_dot(tenants: list[ModelTenant], now: datetime) -> bool:
    return any(
        now in (lot.available_at, lot.expires_at)
        for tenant in tenants
        for wallet in tenant.wallets.values()
        for lot in wallet.lots
    )
