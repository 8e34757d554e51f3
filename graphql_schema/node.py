"""Global object identification (the Relay `Node` interface) for client caches.

Apollo and Relay normalise their caches by id, so every object an app caches carries an `id`
that is opaque, stable and unique across the whole service: base64 of "Type:tenant:key". The
tenant is part of it because local keys repeat across tenants (every program has a `base`
tier). Inputs that name an object accept its global id, and the local key they took before
(apps already in the stores keep working).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import strawberry

from graphql_schema.context import Info

MAX_GLOBAL_ID = 512


@strawberry.interface(description="An object with a global id: opaque, stable, unique.")
class Node:
    @strawberry.field(description="Opaque, stable and unique across the service.")
    def id(self, info: Info) -> strawberry.ID:
        raise NotImplementedError  # every implementing type resolves its own


@dataclass(frozen=True)
class GlobalId:
    type: str
    tenant: str
    key: str


def global_id(type_name: str, tenant: str, key: str) -> strawberry.ID:
    raw = f"{type_name}:{tenant}:{key}".encode()
    return strawberry.ID(base64.b64encode(raw).decode("ascii"))


def parse_global_id(value: str) -> GlobalId | None:
    """The parts of a global id, or None for anything else (never an error: ids are input)."""
    if len(value) > MAX_GLOBAL_ID:
        return None
    try:
        text = base64.b64decode(value.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError):
        return None
    type_name, sep, rest = text.partition(":")
    tenant, sep2, key = rest.partition(":")
    if not (sep and sep2 and type_name and tenant and key):
        return None
    return GlobalId(type_name, tenant, key)


def local_key(value: str, type_name: str, tenant: str) -> str:
    """The local key an input names: from a global id of this type and tenant, else the value
    as given (a local key; another tenant's global id then matches nothing)."""
    parsed = parse_global_id(value)
    if parsed is not None and parsed.type == type_name and parsed.tenant == tenant:
        return parsed.key
    return value


def optional_key(value: str | None, type_name: str, tenant: str) -> str | None:
    return None if value is None else local_key(str(value), type_name, tenant)
