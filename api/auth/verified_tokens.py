"""Member tokens verified once, not on every request.

An app sends the same token with every request until it expires; verifying it (parsing it
twice, checking its signature) was an eighth of a request's time. A bounded LRU keyed by the
token's SHA-256 keeps what verification proved. A hit is only trusted while the key that
signed the token is still one of the tenant's keys, unchanged: a rotated-out or revoked key
falls back to full verification, which refuses it at once. The time checks (expiry, nbf,
the program's maximum lifetime) run again on every hit.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from api.auth.member_tokens import (
    MemberClaims,
    MemberTokenKey,
    check_times,
    unverified_issuer,
    verify_member_token,
)

MAX_TOKENS = 10_000


@dataclass(slots=True)
class _Verified:
    claims: MemberClaims
    key: MemberTokenKey  # exactly as it was when it verified the signature
    # The member's _id once a request has found (or enrolled) them: later requests read the
    # member by primary key, skipping the look-up by external id and the sign-up check.
    member_id: str | None = None


class VerifiedTokens:
    def __init__(self, max_tokens: int = MAX_TOKENS) -> None:
        self.max_tokens = max_tokens
        self._verified: OrderedDict[bytes, _Verified] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def _digest(token: str) -> bytes:
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()

    def issuer(self, token: str) -> str:
        """Which tenant's keys to check: from the cache when this token was verified before
        (still to be confirmed by `verify`), else read unverified from the token."""
        seen = self._verified.get(self._digest(token))
        return seen.claims.issuer if seen is not None else unverified_issuer(token)

    def member_id(self, token: str) -> str | None:
        seen = self._verified.get(self._digest(token))
        return None if seen is None else seen.member_id

    def note_member(self, token: str, member_id: str) -> None:
        """Only for a token `verify` has just accepted (its entry exists)."""
        seen = self._verified.get(self._digest(token))
        if seen is not None:
            seen.member_id = member_id

    def verify(
        self,
        token: str,
        *,
        tenant_slug: str,
        keys: Sequence[MemberTokenKey],
        now: datetime,
        max_lifetime: timedelta | None = None,
    ) -> MemberClaims:
        """verify_member_token's answer, served from the cache when the token and its key are
        unchanged. Raises TokenRejected exactly as verify_member_token does."""
        digest = self._digest(token)
        seen = self._verified.get(digest)
        if (
            seen is not None
            and seen.claims.issuer == tenant_slug
            and seen.key in keys  # same kid, algorithm and material: not rotated or revoked
        ):
            check_times(seen.claims, now=now, max_lifetime=max_lifetime)
            self._verified.move_to_end(digest)
            self.hits += 1
            return seen.claims
        self.misses += 1
        self._verified.pop(digest, None)
        claims = verify_member_token(
            token, tenant_slug=tenant_slug, keys=keys, now=now, max_lifetime=max_lifetime
        )
        key = next(k for k in keys if k.kid == claims.kid)
        self._verified[digest] = _Verified(claims, key)
        while len(self._verified) > self.max_tokens:
            self._verified.popitem(last=False)
        return claims


# One per process, like the tenant cache: every request of every app shares it.
VERIFIED = VerifiedTokens()
