"""An outbox row as a document and back (the repository's codec, shared by its parts)."""

from __future__ import annotations

from typing import Any

from loyalty.notifications import CATEGORY, Notification, NotificationKind, NotificationStatus
from mongo.codec import utc, utc_or_none

# Enum values looked up in plain dicts: an enum's `.value` is a Python-level property, and
# bulk writers turn thousands of rows into documents at a time.
_KINDS = {kind: kind.value for kind in NotificationKind}
_CATEGORIES = {kind: CATEGORY[kind].value for kind in NotificationKind}
_STATUSES = {status: status.value for status in NotificationStatus}
_KIND_OF = {kind.value: kind for kind in NotificationKind}  # (and back, for reads)
_STATUS_OF = {status.value: status for status in NotificationStatus}


def row_doc(n: Notification) -> dict[str, Any]:
    kind = n.kind
    return {
        "_id": n.id,
        "tenant": n.tenant,
        "member_id": n.member_id,
        "kind": _KINDS[kind],
        "category": _CATEGORIES[kind],
        "dedupe_key": n.dedupe_key,
        "locale": n.locale,
        "title": n.title,
        "body": n.body,
        "data": dict(n.data),
        "created_at": n.created_at,
        "not_before": n.not_before,
        "expires_at": n.expires_at,
        "status": _STATUSES[n.status],
        "reason": n.reason,
        "attempts": n.attempts,
        "sender": n.sender,
        "sent_at": n.sent_at,
        "retry_tokens": None if n.retry_tokens is None else list(n.retry_tokens),
        "delivered": n.delivered,
        "campaign": n.campaign_id,  # campaign progress counts by it (tenant_campaign_status)
        "claim": n.claim,
        "dispatched": n.dispatched,
    }


def row_from(doc: dict[str, Any]) -> Notification:
    return Notification(
        tenant=doc["tenant"],
        member_id=doc["member_id"],
        kind=_KIND_OF[doc["kind"]],
        dedupe_key=doc["dedupe_key"],
        locale=doc["locale"],
        title=doc["title"],
        body=doc["body"],
        created_at=utc(doc["created_at"]),
        not_before=utc(doc["not_before"]),
        data=doc.get("data") or {},
        expires_at=utc_or_none(doc.get("expires_at")),
        status=_STATUS_OF[doc["status"]],
        reason=doc.get("reason"),
        attempts=doc.get("attempts", 0),
        sender=doc.get("sender"),
        sent_at=utc_or_none(doc.get("sent_at")),
        retry_tokens=None if doc.get("retry_tokens") is None else tuple(doc["retry_tokens"]),
        delivered=doc.get("delivered", 0),
        claim=doc.get("claim"),
        dispatched=bool(doc.get("dispatched")),
    )
