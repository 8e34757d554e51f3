"""The merchant's campaigns as a connection (the console's Push list), and its cursors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import strawberry

from graphql_schema.common import PageInfo
from graphql_schema.notifications import Campaign
from loyalty.errors import DomainError, ErrorCode
from loyalty.notification_ports import Campaign as DomainCampaign


@strawberry.type
class CampaignEdge:
    cursor: str
    node: Campaign


@strawberry.type
class CampaignConnection:
    edges: list[CampaignEdge]
    page_info: PageInfo


def campaign_cursor(campaign: DomainCampaign) -> str:
    millis = int(campaign.created_at.timestamp() * 1000)
    return base64.urlsafe_b64encode(f"c:{millis}:{campaign.id}".encode()).decode()


def read_campaign_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    try:
        kind, millis, campaign_id = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 2)
        if kind == "c" and campaign_id:
            return datetime.fromtimestamp(int(millis) / 1000, tz=UTC), campaign_id
    except (ValueError, UnicodeDecodeError):
        pass
    raise DomainError(ErrorCode.INVALID_INPUT, ("after",), detail="cursor")


def campaign_connection(items: list[DomainCampaign], has_next: bool) -> CampaignConnection:
    edges = [CampaignEdge(cursor=campaign_cursor(c), node=Campaign.of(c)) for c in items]
    end = edges[-1].cursor if edges else None
    return CampaignConnection(
        edges=edges, page_info=PageInfo(has_next_page=has_next, end_cursor=end)
    )
