"""Global ids (Node.id) in tests: what the API says, against what the store keeps."""

from __future__ import annotations

from graphql_schema.node import global_id, parse_global_id


def local(value: str) -> str:
    """The local key inside a global id (what the store and the domain events hold)."""
    parsed = parse_global_id(value)
    assert parsed is not None, f"not a global id: {value!r}"
    return parsed.key


def tier(tenant: str, key: str) -> str:
    return str(global_id("Tier", tenant, key))
