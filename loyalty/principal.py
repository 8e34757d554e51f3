"""Who is calling, once their credentials are verified: the caller's kind, tenant, member and
API-key scopes. Verification itself (JWTs, API keys) is an adapter in api/auth/."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from loyalty.credentials import hash_api_key
from loyalty.errors import AuthError
from loyalty.members import Member
from loyalty.tenants import ApiKey, Scope, Tenant


class Kind(StrEnum):
    ANONYMOUS = "anonymous"
    MEMBER = "member"
    MERCHANT = "merchant"
    PLATFORM = "platform"


@dataclass(frozen=True)
class Principal:
    kind: Kind
    tenant: Tenant | None = None
    member: Member | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    # A credential was presented but is not valid: every operation refuses it, even public
    # ones, so that a broken app notices instead of silently acting anonymously.
    error: AuthError | None = None
    # The merchant key presented (its id and label name the actor in the audit log).
    api_key: ApiKey | None = None

    def rate_key(self, token: str | None) -> tuple[str, str | None]:
        """Whose rate budget a request spends; None means the caller's address."""
        if self.error is None and self.kind is Kind.MEMBER and self.member is not None:
            return "member", f"{self.member.tenant}:{self.member.id}"
        if self.error is None and self.kind is Kind.MERCHANT and token:
            return "merchant", hash_api_key(token)
        if self.error is None and self.kind is Kind.PLATFORM:
            return "platform", "platform"
        return "anonymous", None


ANONYMOUS = Principal(Kind.ANONYMOUS)
