"""The audit log: who changed what in a tenant, when, and the before/after of what changed.

Every mutation an admin key or the platform key calls is recorded at the GraphQL edge
(graphql_schema/audit_edge.py), with the documents of its kind read before and after, so a new
mutation is audited without code of its own; use cases with something particular to say
(erasure, bulk jobs, the scheduler) record through loyalty/usecases/audit.py. Values are plain
JSON (strings, numbers, booleans, lists, objects): secrets never enter it, and an erased
member's personal data never does either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

Json = Any  # a JSON value: None, bool, int, float, str, list of Json, dict of str to Json
Snapshot = dict[str, dict[str, Json]]  # documents of one kind, by id


class AuditKind(StrEnum):
    PROGRAM = "PROGRAM"
    TIER = "TIER"
    REWARD = "REWARD"
    BADGE = "BADGE"
    THEME = "THEME"
    KEY = "KEY"
    CHARITY = "CHARITY"
    MEMBER = "MEMBER"  # points, trials and enrolment done by the merchant
    PRIVACY = "PRIVACY"  # erasure and export
    BULK_JOB = "BULK_JOB"
    CAMPAIGN = "CAMPAIGN"
    INTEGRATION = "INTEGRATION"  # store connections, webhooks
    TENANT = "TENANT"
    OTHER = "OTHER"


# The kind of each mutation the edge records (by GraphQL field name); a mutation missing here
# is still recorded, as OTHER. Kinds with a snapshot (SNAPSHOT_KINDS) get before/after.
ACTION_KINDS: Mapping[str, AuditKind] = {
    "createTenant": AuditKind.TENANT,
    "updateProgram": AuditKind.PROGRAM,
    "upsertTier": AuditKind.TIER,
    "deleteTier": AuditKind.TIER,
    "upsertReward": AuditKind.REWARD,
    "upsertBadge": AuditKind.BADGE,
    "saveAppTheme": AuditKind.THEME,
    "publishAppTheme": AuditKind.THEME,
    "uploadAppIcon": AuditKind.THEME,
    "rotateMemberTokenSecret": AuditKind.KEY,
    "addMemberTokenPublicKey": AuditKind.KEY,
    "revokeMemberTokenKey": AuditKind.KEY,
    "createApiKey": AuditKind.KEY,
    "revokeApiKey": AuditKind.KEY,
    "upsertCharity": AuditKind.CHARITY,
    "adjustPoints": AuditKind.MEMBER,
    "enrollMember": AuditKind.MEMBER,
    "grantVipTrial": AuditKind.MEMBER,
    "eraseMember": AuditKind.PRIVACY,
    "awardPoints": AuditKind.BULK_JOB,
    "importMembers": AuditKind.BULK_JOB,
    "createCampaign": AuditKind.CAMPAIGN,
    "connectStore": AuditKind.INTEGRATION,
    "disconnectStore": AuditKind.INTEGRATION,
    "upsertWebhookEndpoint": AuditKind.INTEGRATION,
    "redeliverWebhook": AuditKind.INTEGRATION,
}

# Mutations whose use case records its own entry (with what it may say): the edge leaves them.
SELF_AUDITED = frozenset({"eraseMember"})

SNAPSHOT_KINDS = frozenset(
    {
        AuditKind.PROGRAM,
        AuditKind.TIER,
        AuditKind.REWARD,
        AuditKind.BADGE,
        AuditKind.THEME,
        AuditKind.KEY,
        AuditKind.CHARITY,
    }
)


class Outcome(StrEnum):
    OK = "OK"
    REFUSED = "REFUSED"  # answered with userErrors: nothing changed


@dataclass(frozen=True)
class Actor:
    """Who acted: a merchant API key (its id and label), the platform key, or the system."""

    kind: str  # "merchant" | "platform" | "system"
    key_id: str | None = None
    label: str | None = None


PLATFORM = Actor("platform", "platform", "platform key")
SYSTEM = Actor("system")


@dataclass(frozen=True)
class Change:
    """One document: `before` None = created, `after` None = removed; otherwise only the
    fields that changed are shown, on both sides."""

    target: str
    before: Mapping[str, Json] | None
    after: Mapping[str, Json] | None


@dataclass(frozen=True)
class AuditEntry:
    id: str  # given by the log when recorded
    tenant: str
    at: datetime
    actor: Actor
    kind: AuditKind
    action: str
    input: Mapping[str, Json] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    outcome: Outcome = Outcome.OK
    error_codes: tuple[str, ...] = ()
    # Hashes of the member ids the input names (loyalty.privacy.identity_hash): erasing that
    # member replaces the entry's input, so the log keeps no customer id of an erased member.
    subjects: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditFilter:
    kinds: Sequence[AuditKind] = ()
    since: datetime | None = None
    until: datetime | None = None


def diff(before: Snapshot, after: Snapshot) -> tuple[Change, ...]:
    changes = []
    for target in sorted(set(before) | set(after)):
        old, new = before.get(target), after.get(target)
        if old == new:
            continue
        if old is None or new is None:
            changes.append(Change(target, old, new))
            continue
        names = sorted(set(old) | set(new))
        changed = [n for n in names if old.get(n) != new.get(n)]
        changes.append(
            Change(
                target,
                {n: old.get(n) for n in changed},
                {n: new.get(n) for n in changed},
            )
        )
    return tuple(changes)


# Input fields never written to the log, whatever mutation carries them.
SECRET_MARKERS = ("secret", "password", "token", "apikey")
MAX_TEXT = 500


def member_ids(value: Json, named: bool = False) -> list[str]:
    """The member (customer) ids in a mutation's input: values of fields named like
    `memberExternalId`, `externalId`, `toMemberExternalId`, `memberExternalIds`."""
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            lowered = str(key).lower()
            found += member_ids(inner, lowered.endswith(("externalid", "externalids")))
        return found
    if isinstance(value, list):
        return [i for v in value for i in member_ids(v, named)]
    return [value] if named and isinstance(value, str) else []


def redacted(name: str) -> bool:
    lowered = name.lower().replace("_", "")
    return any(marker in lowered for marker in SECRET_MARKERS)


class AuditLog(Protocol):
    async def record(self, entry: AuditEntry) -> AuditEntry:
        """Stores the entry under a new id (rising with time) and returns it."""
        ...

    async def page(
        self,
        tenant: str,
        where: AuditFilter,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[AuditEntry]:
        """Newest first, strictly after the (at, id) cursor."""
        ...

    async def snapshot(self, tenant: str, kind: AuditKind) -> Snapshot:
        """The tenant's documents of `kind` as plain JSON, keyed by id, secrets left out."""
        ...
