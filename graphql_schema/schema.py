"""The schema: the root types of resolvers/ merged into Query, Mutation and Subscription, and the
production extensions."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graphql_schema.cost import QueryCostReport, QueryCostRule
from graphql_schema.scalars import DECIMAL_SCALAR, Decimal
from resolvers.badges import BadgeMutation
from resolvers.checkout import CheckoutMutation, CheckoutQuery
from resolvers.earn_campaigns import EarnCampaignMutation, EarnCampaignQuery
from resolvers.leaderboard import LeaderboardQuery
from resolvers.members import MemberListQuery, MemberMutation, MemberQuery
from resolvers.nodes import NodeQuery
from resolvers.notifications import NotificationMutation, NotificationQuery
from resolvers.program import ProgramMutation, ProgramQuery
from resolvers.referrals import ReferralMutation
from resolvers.rewards import RewardMutation, RewardQuery
from resolvers.stats import StatsQuery
from resolvers.subscriptions import Subscription
from resolvers.tenants import TenantMutation, TenantQuery
from resolvers.theme import ThemeMutation, ThemeQuery
from resolvers.tiers import TierMutation, TrialMutation
from resolvers.wallet import WalletMutation

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
    ),
)

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


def build_schema(
    *,
    production: bool = False,
    schema_class: type[strawberry.Schema] = strawberry.Schema,
    traced: bool = False,
) -> strawberry.Schema:
    """Built once per process: the parser and validation caches only work on one instance.

    The app passes its own `schema_class` (api/graphql_errors.py: redacted error logging).
    `traced` adds OpenTelemetry spans for operations (off unless an exporter is configured)."""
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(VALIDATION_RULES),
        # Fresh instances per request share one module-level LRU per maxsize in Strawberry.
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        QueryCostReport,
    ]
    if production:
        from strawberry.extensions import DisableIntrospection

        extensions.append(DisableIntrospection)
    if traced:
        from strawberry.extensions.tracing import OpenTelemetryExtension

        extensions.append(OpenTelemetryExtension)
    return schema_class(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        scalar_overrides={Decimal: DECIMAL_SCALAR},
        config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
    )


schema = build_schema()
