"""Every root operation of the schema, callable with minimal valid arguments.

Operations are read from the schema itself, so an operation added anywhere is picked up here;
`ALLOWED` must name who may call it (the matrix fails for an operation without an entry).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from graphql_schema.schema import schema

ANONYMOUS = "anonymous"  # no credential, no X-Tenant
PUBLIC = "public"  # no credential, X-Tenant
MEMBER = "member"
ADMIN = "admin"
EVENTS = "events"
PLATFORM = "platform"
PRINCIPALS = (ANONYMOUS, PUBLIC, MEMBER, ADMIN, EVENTS, PLATFORM)

TENANT_ANY = frozenset({PUBLIC, MEMBER, ADMIN, EVENTS})
MERCHANT = frozenset({ADMIN, EVENTS})

# Who may call what: the one place a reviewer reads the access policy of the whole API.
ALLOWED: dict[str, frozenset[str]] = {
    "query.program": TENANT_ANY,
    "query.rewards": TENANT_ANY,
    "query.earnCampaigns": TENANT_ANY,  # issue 11
    "query.earnCampaignPresets": frozenset({ADMIN}),  # issue 11
    "mutation.upsertEarnCampaign": frozenset({ADMIN}),  # issue 11
    "query.quoteOrder": frozenset({MEMBER, EVENTS}),  # issue 11: checkout with points
    "mutation.reservePoints": frozenset({MEMBER}),  # issue 11
    "mutation.releasePoints": frozenset({MEMBER, EVENTS}),  # issue 11
    "query.appTheme": TENANT_ANY,
    "query.coupon": MERCHANT,
    "query.me": frozenset({MEMBER}),
    "query.member": frozenset({ADMIN}),
    "query.memberTokenKeys": frozenset({ADMIN}),
    "query.appThemeDraft": frozenset({ADMIN}),
    "mutation.createTenant": frozenset({PLATFORM}),
    "mutation.rotateMemberTokenSecret": frozenset({ADMIN}),
    "mutation.addMemberTokenPublicKey": frozenset({ADMIN}),
    "mutation.revokeMemberTokenKey": frozenset({ADMIN}),
    "mutation.updateProgram": frozenset({ADMIN}),
    "mutation.recordOrder": frozenset({EVENTS}),
    "mutation.refundOrder": frozenset({EVENTS}),
    "mutation.recordActivity": frozenset({EVENTS}),
    "mutation.adjustPoints": frozenset({ADMIN}),
    "mutation.enrollMember": MERCHANT,  # store sync runs with the events key
    "mutation.updateProfile": frozenset({MEMBER}),
    "mutation.upsertReward": frozenset({ADMIN}),
    "mutation.redeemReward": frozenset({MEMBER}),
    "mutation.consumeCoupon": MERCHANT,
    "mutation.saveAppTheme": frozenset({ADMIN}),
    "mutation.publishAppTheme": frozenset({ADMIN}),
    "mutation.rollbackAppTheme": frozenset({ADMIN}),
    "mutation.uploadAppIcon": frozenset({ADMIN}),
    "query.leaderboard": frozenset({MEMBER}),
    "query.stats": frozenset({ADMIN}),
    "query.members": frozenset({ADMIN}),
    # Per type inside (resolvers/nodes.py); another tenant's or member's id is null.
    "query.node": TENANT_ANY,
    "mutation.upsertTier": frozenset({ADMIN}),
    "mutation.claimVipTrial": frozenset({MEMBER}),
    "mutation.grantVipTrial": frozenset({ADMIN}),
    "mutation.applyReferralCode": frozenset({MEMBER}),
    "mutation.upsertBadge": frozenset({ADMIN}),
    "query.notificationPreferences": frozenset({MEMBER}),
    "query.notificationLog": frozenset({ADMIN}),
    "mutation.registerDevice": frozenset({MEMBER}),
    "mutation.unregisterDevice": frozenset({MEMBER}),
    "mutation.updateNotificationPreferences": frozenset({MEMBER}),
    "mutation.createCampaign": frozenset({ADMIN}),
    "subscription.walletUpdated": frozenset({MEMBER}),
    # Issue 12: privacy, audit, API keys, gifting and charity.
    "query.auditLog": frozenset({ADMIN}),
    "query.memberExport": frozenset({ADMIN}),
    "query.apiKeys": frozenset({ADMIN}),
    "query.charities": TENANT_ANY,
    "mutation.eraseMember": frozenset({ADMIN}),
    "mutation.createApiKey": frozenset({ADMIN}),
    "mutation.revokeApiKey": frozenset({ADMIN}),
    "mutation.transferPoints": frozenset({MEMBER}),
    "mutation.donatePoints": frozenset({MEMBER}),
    "mutation.upsertCharity": frozenset({ADMIN}),
    # Issue 19: a campaign's progress.
    "query.campaign": frozenset({ADMIN}),
    # Issue 12: bulk jobs and migration.
    "query.bulkJob": frozenset({ADMIN}),
    "mutation.awardPoints": frozenset({ADMIN}),
    "mutation.importMembers": frozenset({ADMIN}),
    # Issue 10: the coupon's owner or the store; outbound webhooks are the admin's.
    "mutation.cancelCoupon": frozenset({MEMBER, ADMIN, EVENTS}),
    "query.webhookEndpoints": frozenset({ADMIN}),
    "query.webhookDeliveries": frozenset({ADMIN}),
    "mutation.upsertWebhookEndpoint": frozenset({ADMIN}),
    "mutation.redeliverWebhook": frozenset({ADMIN}),
    # Store connections (issue 10)
    "query.storeConnections": frozenset({ADMIN}),
    "mutation.connectStore": frozenset({ADMIN}),
    "mutation.disconnectStore": frozenset({ADMIN}),
    # Issue 13: what the console lists.
    "query.badges": frozenset({ADMIN}),
    "query.campaigns": frozenset({ADMIN}),
}

# Sample values name the victim's records ("c1": member, order and key) so that a call that
# slipped through would touch them.
SCALARS: dict[str, Any] = {
    "String": "c1",
    "ID": "c1",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Decimal": "1",
    "DateTime": "2026-01-15T12:00:00Z",
    "Upload": None,
}


def sample(graphql_type: GraphQLType) -> Any:
    if isinstance(graphql_type, GraphQLNonNull):
        return sample(graphql_type.of_type)
    if isinstance(graphql_type, GraphQLList):
        return [sample(graphql_type.of_type)]
    if isinstance(graphql_type, GraphQLEnumType):
        return next(iter(graphql_type.values))
    if isinstance(graphql_type, GraphQLInputObjectType):
        return {
            name: sample(field.type)
            for name, field in graphql_type.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    return SCALARS[get_named_type(graphql_type).name]  # a new scalar must be taught here


def operations() -> list[tuple[str, str, GraphQLField]]:
    """(kind, name, field) for every root field of the schema."""
    roots = schema._schema
    found = []
    for kind, root in (
        ("query", roots.query_type),
        ("mutation", roots.mutation_type),
        ("subscription", roots.subscription_type),
    ):
        for name, field in (root.fields if root else {}).items():
            found.append((kind, name, field))
    return found


def document(kind: str, name: str, field: GraphQLField) -> tuple[str, dict[str, Any]]:
    declared = ", ".join(f"${arg}: {definition.type}" for arg, definition in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    call = f"{name}({passed})" if passed else name
    head = f"{kind}({declared})" if declared else kind
    variables = {arg: sample(definition.type) for arg, definition in field.args.items()}
    return f"{head} {{ {call}{selection} }}", variables


async def call(
    client: httpx.AsyncClient,
    name: str,
    query: str,
    variables: dict[str, Any],
    headers: dict[str, str],
) -> dict[str, Any]:
    uploads = [arg for arg, value in variables.items() if value is None and "Upload" in query]
    if uploads:
        operations_part = {"query": query, "variables": variables}
        response = await client.post(
            "/graphql",
            data={
                "operations": json.dumps(operations_part),
                "map": json.dumps({"0": [f"variables.{uploads[0]}"]}),
            },
            files={"0": ("icon.png", b"\x89PNG\r\n\x1a\n", "image/png")},
            headers=headers,
        )
    else:
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
    body: dict[str, Any] = response.json()
    return body
