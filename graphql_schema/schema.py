"""The schema: root types merged from the domain modules, and the production extensions."""

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

from graphql_schema.badges import BadgeMutation
from graphql_schema.cost import QueryCostReport, QueryCostRule
from graphql_schema.leaderboard_ops import LeaderboardQuery
from graphql_schema.member_list_ops import MemberListQuery
from graphql_schema.node_ops import NodeQuery
from graphql_schema.notification_ops import NotificationMutation, NotificationQuery
from graphql_schema.program_ops import ProgramMutation, ProgramQuery
from graphql_schema.referral_ops import ReferralMutation
from graphql_schema.reward_ops import RewardMutation, RewardQuery
from graphql_schema.scalars import DECIMAL_SCALAR, Decimal
from graphql_schema.stats_ops import StatsQuery
from graphql_schema.subscriptions import Subscription
from graphql_schema.tenant_ops import TenantMutation, TenantQuery
from graphql_schema.theme_ops import ThemeMutation, ThemeQuery
from graphql_schema.tier_ops import TierMutation
from graphql_schema.trial_ops import TrialMutation
from graphql_schema.wallet_ops import WalletMutation, WalletQuery
from resolvers.earn_campaigns import EarnCampaignMutation, EarnCampaignQuery

Query = merge_types(
    "Query",
    (
        ProgramQuery,
        RewardQuery,
        WalletQuery,
        TenantQuery,
        ThemeQuery,
        LeaderboardQuery,
        StatsQuery,
        NotificationQuery,
        MemberListQuery,
        NodeQuery,
        EarnCampaignQuery,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        TenantMutation,
        ProgramMutation,
        WalletMutation,
        RewardMutation,
        ThemeMutation,
        TierMutation,
        TrialMutation,
        ReferralMutation,
        BadgeMutation,
        NotificationMutation,
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
    *, production: bool = False, schema_class: type[strawberry.Schema] = strawberry.Schema
) -> strawberry.Schema:
    """Built once per process: the parser and validation caches only work on one instance.

    The app passes its own `schema_class` (api/graphql_errors.py: redacted error logging)."""
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
    return schema_class(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions,
        scalar_overrides={Decimal: DECIMAL_SCALAR},
        config=StrawberryConfig(batching_config={"max_operations": MAX_BATCH}),
    )


schema = build_schema()
