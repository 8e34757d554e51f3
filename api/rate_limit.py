"""Per-principal rate limits: the rates, and one token bucket per caller kept in process
memory (the memory:// store, one process).

Keyed by who is calling (an API key's hash, a member, the platform key) and by client address
for anonymous callers, so one noisy app user cannot starve a merchant's checkout integration.
On a shared store every API process counts in MongoDB instead (api/shared_rate_limit.py), so
N instances behind a balancer still give a caller one rate. The number of in-memory buckets is
bounded; the least recently used are forgotten first.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from loyalty.clock import Clock

MAX_BUCKETS = 100_000


@dataclass(frozen=True)
class Rate:
    burst: float  # requests allowed at once
    per_second: float  # refill


# Checkout integrations post every order: merchant keys get the most room.
RATES: dict[str, Rate] = {
    "merchant": Rate(burst=300, per_second=100),
    "member": Rate(burst=60, per_second=10),
    "platform": Rate(burst=30, per_second=5),
    "anonymous": Rate(burst=120, per_second=20),
}


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


class Limiter(Protocol):
    async def check(self, kind: str, key: str) -> None:
        """Count one request of `kind` for `key`, or raise RateLimited."""


class RateLimiter:
    def __init__(
        self,
        clock: Clock,
        *,
        scale: float = 1.0,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        """`scale` multiplies every rate; 0 turns limiting off (benchmarks, load tests).
        `on_refused` hears the caller kind of every refusal (the metrics count them)."""
        self.clock = clock
        self.scale = scale
        self.on_refused = on_refused
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def check(self, kind: str, key: str) -> None:
        """Take one token for `key`, or raise RateLimited with the whole seconds to wait."""
        if self.scale <= 0:
            return
        rate = RATES[kind]
        burst, per_second = rate.burst * self.scale, rate.per_second * self.scale
        now = self.clock.now().timestamp()
        bucket_key = f"{kind}:{key}"
        tokens, updated = self._buckets.pop(bucket_key, (burst, now))
        tokens = min(burst, tokens + max(0.0, now - updated) * per_second)
        if tokens < 1:
            self._remember(bucket_key, tokens, now)
            if self.on_refused is not None:
                self.on_refused(kind)
            raise RateLimited(max(1, math.ceil((1 - tokens) / per_second)))
        self._remember(bucket_key, tokens - 1, now)

    def _remember(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
