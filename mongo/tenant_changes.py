"""Telling every process that a tenant's settings or keys changed.

The cached copies (mongo/cached_tenants.py, mongo/cached_api_keys.py) drop their own copy on a
write through them; another process would keep its copy until the TTL ran out (5 s), and a
revoked member-token key would stay usable there as long. With a shared store, the change
feed (mongo/change_feed.py) carries the slug to every other process, which drops its copies
within a poll (about 200 ms). Without one (memory://, one process) nothing needs telling.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable


async def _nobody(slug: str) -> None:
    return None


class TenantChanges:
    """The caches call `announce` after a write; the feed calls `heard` for other processes'
    writes, and every cache that `listen`s drops its copies of that tenant."""

    def __init__(self) -> None:
        self.announce: Callable[[str], Awaitable[None]] = _nobody
        self._forgetters: list[Callable[[str], None]] = []

    def listen(self, forget: Callable[[str], None]) -> None:
        self._forgetters.append(forget)

    def heard(self, slug: str) -> None:
        for forget in self._forgetters:
            forget(slug)
