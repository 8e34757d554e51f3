"""Root fields of privacy: eraseMember (admin) and memberExport (admin)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graphql_schema.audit_edge import actor_of
from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope
from graphql_schema.privacy import EraseMemberPayload, MemberExport
from loyalty.audit import SYSTEM
from loyalty.usecases import privacy


@strawberry.type
class PrivacyQuery:
    @strawberry.field(
        permission_classes=[HasAdminScope],
        description="Everything held about the member (right of access). Recorded in auditLog.",
    )
    async def member_export(self, info: Info, external_id: strawberry.ID) -> MemberExport:
        scope = info.context.scope
        actor = actor_of(info.context.principal) or SYSTEM
        data = await privacy.member_export(
            scope.deps, scope.require_tenant(), actor, str(external_id)
        )
        return MemberExport(exported_at=scope.deps.clock.now(), data=JSON(data))


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description=(
            "Removes the member's personal data; the wallet and ledger stay under a pseudonym "
            "(liability and reports unchanged). Idempotent. The customer id cannot sign in "
            "again until enrollMember with the admin key enrols it afresh."
        ),
    )
    async def erase_member(self, info: Info, external_id: strawberry.ID) -> EraseMemberPayload:
        scope = info.context.scope
        actor = actor_of(info.context.principal) or SYSTEM
        erased, errors = await attempt(
            scope.locale,
            lambda: privacy.erase_member(
                scope.deps, scope.require_tenant(), actor, str(external_id)
            ),
        )
        if erased is None:
            return EraseMemberPayload(user_errors=errors)
        return EraseMemberPayload(
            pseudonym=strawberry.ID(erased.pseudonym), already_erased=erased.already
        )
