"""The schema: the root types of resolvers/ merged into Query, Mutation and Subscription, and the
production extensions."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    MaxAliasesLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graphql_schema.audit_edge import audit_mutations
from graphql_schema.cost import QueryCostRule
from graphql_schema.document_cache import DocumentCachingSchema
from graphql_schema.plain_resolvers import serve_plain_resolvers
from graphql_schema.scalars import DECIMAL_SCALAR, Decimal
from resolvers.api_keys import ApiKeyMutation, ApiKeyQuery
from resolvers.audit import AuditQuery
from resolvers.badges import BadgeMutation, BadgeQuery
from resolvers.bulk import BulkMutation, BulkQuery
from resolvers.campaigns import CampaignQuery
from resolvers.checkout import CheckoutMutation, CheckoutQuery
from resolvers.earn_campaigns import EarnCampaignMutation, EarnCampaignQuery
from resolvers.gifting import GiftingMutation, GiftingQuery
from resolvers.leaderboard import LeaderboardQuery
from resolvers.members import MemberListQuery, MemberMutation, MemberQuery
from resolvers.nodes import NodeQuery
from resolvers.notifications import NotificationMutation, NotificationQuery
from resolvers.privacy import PrivacyMutation, PrivacyQuery
from resolvers.program import ProgramMutation, ProgramQuery
from resolvers.referrals import ReferralMutation
from resolvers.rewards import RewardMutation, RewardQuery
from resolvers.stats import StatsQuery
from resolvers.store_connections import StoreConnectionMutation, StoreConnectionQuery
from resolvers.subscriptions import Subscription
from resolvers.tenants import TenantMutation, TenantQuery
from resolvers.theme import ThemeMutation, ThemeQuery
from resolvers.tiers import TierMutation, TrialMutation
from resolvers.wallet import WalletMutation
from resolvers.webhooks import WebhookMutation, WebhookQuery

# The order of the root types is the order of the fields in schema.graphql.
Query = merge_types(
    "Query",
    (
        ProgramQuery,
        RewardQuery,
        MemberQuery,
        TenantQuery,
        ThemeQuery,
        LeaderboardQuery,
        StatsQuery,
        NotificationQuery,
        MemberListQuery,
        NodeQuery,
        CheckoutQuery,
        EarnCampaignQuery,
        # Issue 12: privacy, audit, API keys, gifting and charity.
        AuditQuery,
        PrivacyQuery,
        ApiKeyQuery,
        GiftingQuery,
        BulkQuery,
        WebhookQuery,
        StoreConnectionQuery,
        # Issue 13: what the console lists.
        BadgeQuery,
        CampaignQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        TenantMutation,
        ProgramMutation,
        WalletMutation,
        MemberMutation,
        RewardMutation,
        ThemeMutation,
        TierMutation,
        TrialMutation,
        ReferralMutation,
        BadgeMutation,
        NotificationMutation,
        CheckoutMutation,
        EarnCampaignMutation,
        # Issue 12: privacy, API keys, gifting and charity.
        PrivacyMutation,
        ApiKeyMutation,
        GiftingMutation,
        BulkMutation,
        WebhookMutation,
        StoreConnectionMutation,
    ),
)
# Every admin and platform mutation is recorded in the audit log (graphql_schema/audit_edge.py).
audit_mutations(Mutation)

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 30
MAX_BATCH = 10

# Built once: the validation cache is keyed by the rule classes, and Strawberry's limiters
# create a new rule class per instance, so one instance per request would miss every time.
VALIDATION_RULES: list[type[ASTValidationRule]] = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    QueryCostRule,
]


# Cached: building costs about a quarter of a second, and everything that builds an app (a
# worker's restart, each test) would pay it again for an identical, immutable schema.
@cache
def build_schema(
    *,
    production: bool = False,
    schema_class: type[DocumentCachingSchema] = DocumentCachingSchema,
    traced: bool = False,
) -> DocumentCachingSchema:
    """Built once per process and arguments: the parser and validation caches only work on one
    instance.

    The app passes its own `schema_class` (api/graphql_errors.py: redacted error logging).
    `traced` adds OpenTelemetry spans for operations (off unless an exporter is configured)."""
    rules = [*VALIDATION_RULES]
    if production:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[Any] = []
    if traced:
        from strawberry.extensions.tracing import OpenTelemetryExtension

        extensions.append(OpenTelemetryExtension)
    built = schema_class(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        scalar_overrides={Decimal: DECIMAL_SCALAR},
        config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
    )
    # Parse, validate and price once per document (graphql_schema/document_cache.py).
    built.use_documents(max_tokens=MAX_TOKENS, rules=rules)
    # Plain fields straight to graphql-core (graphql_schema/plain_resolvers.py); mutations and
    # subscriptions keep Strawberry's resolvers.
    serve_plain_resolvers(built, skip=("Mutation", "Subscription"))
    return built


schema = build_schema()
