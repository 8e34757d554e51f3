"""program (public) and updateProgram (admin)."""

from __future__ import annotations

import strawberry

from graphql_schema.context import Info
from graphql_schema.errors import attempt
from graphql_schema.permissions import HasAdminScope, InTenant
from graphql_schema.program import Program
from graphql_schema.program_input import UpdateProgramInput, UpdateProgramPayload
from loyalty.usecases import program


@strawberry.type
class ProgramQuery:
    @strawberry.field(permission_classes=[InTenant])
    def program(self, info: Info) -> Program:
        scope = info.context.scope
        return Program(_program=scope.require_tenant().program, _locale=scope.locale)


@strawberry.type
class ProgramMutation:
    @strawberry.mutation(permission_classes=[HasAdminScope])
    async def update_program(self, info: Info, input: UpdateProgramInput) -> UpdateProgramPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        changes = input.to_changes(tenant.slug)
        updated, errors = await attempt(
            scope.locale, lambda: program.update_program(scope.deps, tenant, changes)
        )
        if updated is None:
            return UpdateProgramPayload(user_errors=errors)
        return UpdateProgramPayload(program=Program(_program=updated, _locale=scope.locale))
