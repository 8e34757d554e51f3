"""Enrolling a page of members at once (an import's batch): one unordered insert, then one read
of the whole page by external id (index tenant_external_id_unique).

A member already enrolled (an earlier file, a repeated batch) makes the insert fail on the
external id, and is found by the read as they are. A new member whose referral code collided
is neither inserted nor found: the caller enrols them on their own, with a fresh code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pymongo.errors import BulkWriteError

from loyalty.members import Member
from loyalty.ports import MemberRead

DUPLICATE_KEY = 11000


async def insert_new(members: Any, docs: list[dict[str, Any]]) -> None:
    """Inserts what is new; a duplicate key leaves that document out, anything else raises."""
    if not docs:
        return
    try:
        await members.insert_many(docs, ordered=False)
    except BulkWriteError as exc:
        if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
            raise


async def enrolled(
    members: Any,
    tenant: str,
    wanted: Sequence[Member],
    docs: list[dict[str, Any]],
    read: Any,
) -> tuple[list[tuple[MemberRead, bool]], list[Member]]:
    """Each wanted member as stored, with whether this insert created them; and those that are
    not stored at all (their referral code collided). `read` turns a document into a read."""
    ids = [member.external_id for member in wanted]
    found = await members.find({"tenant": tenant, "external_id": {"$in": ids}}).to_list(None)
    by_external_id = {doc["external_id"]: doc for doc in found}
    ours = {doc["external_id"]: doc["_id"] for doc in docs}
    reads: list[tuple[MemberRead, bool]] = []
    missing: list[Member] = []
    for member in wanted:
        doc = by_external_id.get(member.external_id)
        if doc is None:
            missing.append(member)
        else:
            reads.append((read(doc), doc["_id"] == ours.get(member.external_id)))
    return reads, missing
