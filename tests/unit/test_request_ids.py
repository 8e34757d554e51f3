"""Fresh request ids: distinct, short, and of the shape a client's own id must have."""

from __future__ import annotations

from api.request_body import fresh_request_id, request_id


def test_fresh_ids_are_distinct_and_pass_the_request_id_check() -> None:
    # when
    ids = [fresh_request_id() for _ in range(10_000)]
    # then
    assert len(set(ids)) == 10_000
    assert all(request_id(value) == value for value in ids)  # kept as-is: valid shape
    assert max(len(value) for value in ids) <= 64


def test_a_missing_or_odd_client_id_is_replaced_by_a_fresh_one() -> None:
    assert request_id(None) != request_id(None)
    assert request_id("bad id with spaces") != "bad id with spaces"
