"""Root fields of bulk work (admin): awardPoints, importMembers and bulkJob(id)."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from graphql_schema.bulk import (
    AwardPointsInput,
    AwardPointsPayload,
    BulkJob,
    ImportMembersPayload,
    ImportProblem,
)
from graphql_schema.context import Info
from graphql_schema.errors import attempt, reader
from graphql_schema.node import local_key, optional_key
from graphql_schema.permissions import HasAdminScope
from graphql_schema.uploads import UploadedText
from loyalty.i18n.messages import translate_in
from loyalty.usecases.bulk_awards import award_points
from loyalty.usecases.bulk_jobs import bulk_job
from loyalty.usecases.imports import import_members


@strawberry.type
class BulkQuery:
    @strawberry.field(permission_classes=[HasAdminScope])
    async def bulk_job(self, info: Info, id: strawberry.ID) -> BulkJob | None:
        scope = info.context.scope
        tenant = scope.require_tenant()
        job = await bulk_job(scope.deps, tenant, local_key(str(id), "BulkJob", tenant.slug))
        return BulkJob.of(job) if job else None


@strawberry.type
class BulkMutation:
    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="Credits `points` to every member of the audience, once each, as a "
        "bulk job; the same idempotencyKey returns the same job.",
    )
    async def award_points(self, info: Info, input: AwardPointsInput) -> AwardPointsPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        ids = input.member_external_ids
        job, errors = await attempt(
            scope.locale,
            lambda: award_points(
                scope.deps,
                tenant,
                segment=input.segment,
                tier_id=optional_key(input.tier_id, "Tier", tenant.slug),
                external_ids=None if ids is None else [str(i) for i in ids],
                points=input.points,
                reason=input.reason,
                idempotency_key=input.idempotency_key,
            ),
            reader(scope),
        )
        if job is None:
            return AwardPointsPayload(user_errors=errors)
        return AwardPointsPayload(job=BulkJob.of(job))

    @strawberry.mutation(
        permission_classes=[HasAdminScope],
        description="A CSV of members from another loyalty app (columns in the README). "
        "dryRun (the default) only checks it; a real run imports the rows as a bulk job, "
        "once per file.",
    )
    async def import_members(
        self, info: Info, file: Upload, dry_run: bool | None = True
    ) -> ImportMembersPayload:
        scope = info.context.scope
        tenant = scope.require_tenant()
        context = reader(scope)
        report, errors = await attempt(
            scope.locale,
            # An explicit null is a dry run too: writing is only ever asked for with false.
            lambda: import_members(
                scope.deps, tenant, UploadedText(file), dry_run=dry_run is not False
            ),
            context,
        )
        if report is None:
            return ImportMembersPayload(user_errors=errors)
        problems = [
            ImportProblem(
                line=p.line,
                column=p.column,
                code=p.code,
                message=translate_in(f"error.{p.code.value}", scope.locale, context, **p.params),
            )
            for p in report.problems
        ]
        return ImportMembersPayload(
            job=BulkJob.of(report.job) if report.job else None,
            rows_ok=report.rows_ok,
            rows_refused=report.rows_refused,
            problems=problems,
        )
