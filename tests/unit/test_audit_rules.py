"""What the audit log keeps of a mutation: changed fields only, no secrets, the member ids an
erasure must find again."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types.maybe import Some

from graphql_schema.audit_edge import plain
from loyalty.audit import Change, diff, member_ids


@dataclass
class _Webhook:
    url: str
    webhook_secret: str
    active: Some[bool | None] | None = None
    label: str | None = None


def test_secrets_are_redacted_and_absent_fields_left_out() -> None:
    # given an input with a secret, an explicit null and an absent field
    value = _Webhook("https://shop.example/hook", "whsec_abc", Some(None))
    # when / then
    assert plain(value) == {
        "url": "https://shop.example/hook",
        "webhookSecret": "<redacted>",
        "active": None,
    }


def test_a_diff_shows_created_removed_and_only_the_changed_fields() -> None:
    before = {"r1": {"cost": 500, "name": "Coffee"}, "r2": {"cost": 10}}
    after = {"r1": {"cost": 450, "name": "Coffee"}, "r3": {"cost": 7}}
    assert diff(before, after) == (
        Change("r1", {"cost": 500}, {"cost": 450}),
        Change("r2", {"cost": 10}, None),
        Change("r3", None, {"cost": 7}),
    )
    assert diff(before, before) == ()


def test_member_ids_are_found_wherever_the_input_names_them() -> None:
    value = {
        "input": {"memberExternalId": "alice", "points": 5},
        "externalId": "bob",
        "audience": {"memberExternalIds": ["carol", "dan"]},
        "reason": "alice said so",
    }
    assert sorted(member_ids(value)) == ["alice", "bob", "carol", "dan"]
