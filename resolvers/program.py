"""Program settings."""

from __future__ import annotations

from graphql_schema.context import RequestScope
from loyalty.program import Program
from loyalty.usecases import program


async def update_program(scope: RequestScope, changes: program.ProgramChanges) -> Program:
    return await program.update_program(scope.deps, scope.require_tenant(), changes)
