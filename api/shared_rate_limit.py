"""Rate limits shared by every API process: the same per-caller kinds and rates as the
in-process limiter (api/rate_limit.py), counted in MongoDB (mongo/rate_windows.py) through
the `limits` package's fixed-window strategy.

A token bucket of `burst` refilled at `per_second` becomes a window of burst / per_second
seconds allowing `burst` requests: the same average rate and the same burst, with at most
twice the burst across a window's edge. Each request costs one atomic update on the store.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.strategies import FixedWindowRateLimiter

from api.rate_limit import RATES, RateLimited
from loyalty.clock import Clock
from mongo.rate_windows import MongoRateWindows


def window_for(kind: str, scale: float) -> RateLimitItem:
    rate = RATES[kind]
    seconds = max(1, round(rate.burst / rate.per_second))
    return RateLimitItemPerSecond(max(1, math.floor(rate.burst * scale)), seconds)


class SharedRateLimiter:
    def __init__(
        self,
        storage: MongoRateWindows,
        clock: Clock,
        *,
        scale: float = 1.0,
        on_refused: Callable[[str], None] | None = None,
    ) -> None:
        """`scale` and `on_refused` as for the in-process RateLimiter."""
        self.storage = storage
        self.clock = clock
        self.scale = scale
        self.on_refused = on_refused
        self._strategy = FixedWindowRateLimiter(storage)
        self._items = {kind: window_for(kind, scale) for kind in RATES} if scale > 0 else {}

    async def check(self, kind: str, key: str) -> None:
        """Count one request for `key`, or raise RateLimited with the whole seconds to wait."""
        if self.scale <= 0:
            return
        item = self._items[kind]
        if await self._strategy.hit(item, kind, key):
            return
        if self.on_refused is not None:
            self.on_refused(kind)
        ends = await self.storage.get_expiry(item.key_for(kind, key))
        raise RateLimited(max(1, math.ceil(ends - self.clock.now().timestamp())))
