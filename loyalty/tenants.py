"""Tenants (a merchant's program), their credentials and the scopes those carry."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from loyalty.errors import DomainError, ErrorCode
from loyalty.program import Program

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")


class Scope(StrEnum):
    ADMIN = "admin"
    EVENTS = "events"


@dataclass(frozen=True)
class MemberKey:
    """A key that verifies member tokens: an HS256 secret we issued, or the merchant's
    RS256/ES256 public key."""

    kid: str
    alg: str
    secret: str | None = field(repr=False)
    public_key_pem: str | None
    created_at: datetime


@dataclass(frozen=True)
class Tenant:
    slug: str
    program: Program
    member_keys: tuple[MemberKey, ...]
    created_at: datetime


@dataclass(frozen=True)
class ApiKey:
    key_hash: str
    tenant: str
    scopes: frozenset[Scope]
    prefix: str
    created_at: datetime
    # Issue 12: who acted, in the audit log. Keys made before labels read "admin"/"events".
    label: str = ""
    revoked: bool = False

    @property
    def id(self) -> str:
        """Public and stable: derived from the hash, so it reveals nothing of the key."""
        return "key_" + self.key_hash[:16]

    @property
    def shown_label(self) -> str:
        return self.label or ",".join(sorted(s.value for s in self.scopes))


def validate_slug(slug: str) -> str:
    if not SLUG_PATTERN.fullmatch(slug):
        raise DomainError(ErrorCode.INVALID_SLUG, ("input", "slug"))
    return slug
