"""Bulk jobs, their audiences (paged by member id up to the job's high-water mark) and the
rows an import staged for the worker (_id tenant:job:index, read by exact _id)."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.errors import BulkWriteError, DuplicateKeyError

from loyalty.bulk_jobs import Audience, BulkJob, BulkJobKind, BulkJobStatus, Progress, StagedRow
from loyalty.ports import MemberRead
from loyalty.segments import Segment
from mongo.codec import object_id, utc, utc_or_none
from mongo.members import member_read_from

LIVE = [BulkJobStatus.QUEUED.value, BulkJobStatus.RUNNING.value]
DUPLICATE_KEY = 11000


def _oid(value: str | None) -> ObjectId | None:
    return None if value is None else object_id(value)


def _audience_doc(audience: Audience) -> dict[str, Any]:
    ids = audience.external_ids
    return {
        "segment": audience.segment.value if audience.segment else None,
        "tier_id": audience.tier_id,
        "external_ids": list(ids) if ids is not None else None,
        "until_id": audience.until_id,
    }


def _audience_from(doc: dict[str, Any]) -> Audience:
    ids = doc.get("external_ids")
    return Audience(
        segment=Segment(doc["segment"]) if doc.get("segment") else None,
        tier_id=doc.get("tier_id"),
        external_ids=tuple(ids) if ids is not None else None,
        until_id=doc.get("until_id"),
    )


def _doc(job: BulkJob) -> dict[str, Any]:
    return {
        "_id": f"{job.tenant}:{job.id}",
        "tenant": job.tenant,
        "id": job.id,
        "kind": job.kind.value,
        "status": job.status.value,
        "created_at": job.created_at,
        "fingerprint": job.fingerprint,
        "total": job.total,
        "done": job.done,
        "failed": job.failed,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "cursor": job.cursor,
        "audience": _audience_doc(job.audience),
        "points": job.points,
        "reason": job.reason,
    }


def _from(doc: dict[str, Any]) -> BulkJob:
    return BulkJob(
        tenant=doc["tenant"],
        id=doc["id"],
        kind=BulkJobKind(doc["kind"]),
        status=BulkJobStatus(doc["status"]),
        created_at=utc(doc["created_at"]),
        fingerprint=doc["fingerprint"],
        total=doc["total"],
        done=doc["done"],
        failed=doc["failed"],
        started_at=utc_or_none(doc.get("started_at")),
        finished_at=utc_or_none(doc.get("finished_at")),
        cursor=doc.get("cursor"),
        audience=_audience_from(doc.get("audience") or {}),
        points=doc.get("points", 0),
        reason=doc.get("reason", ""),
    )


def _members_query(tenant: str, audience: Audience) -> dict[str, Any]:
    """Served by tenant_id, tenant_segment_id or tenant_tier_id (all end in _id)."""
    query: dict[str, Any] = {"tenant": tenant, "_id": {"$lte": _oid(audience.until_id)}}
    if audience.segment is not None:
        query["segment"] = audience.segment.value
    if audience.tier_id is not None:
        query["tier_status.tier_id"] = audience.tier_id
    return query


class MongoBulkJobs:
    def __init__(self, db: Any) -> None:
        self._c = db["bulk_jobs"]
        self._members = db["members"]
        self._rows = db["import_rows"]

    async def insert(self, job: BulkJob) -> tuple[BulkJob, bool]:
        try:
            await self._c.insert_one(_doc(job))
        except DuplicateKeyError:
            existing = await self.get(job.tenant, job.id)
            assert existing is not None
            return existing, False
        return job, True

    async def get(self, tenant: str, job_id: str) -> BulkJob | None:
        doc = await self._c.find_one({"_id": f"{tenant}:{job_id}", "tenant": tenant})
        return _from(doc) if doc else None

    async def unfinished(self, tenant: str, limit: int) -> list[BulkJob]:
        cursor = (
            self._c.find({"tenant": tenant, "status": {"$in": LIVE}})
            .sort("created_at", 1)
            .limit(limit)
        )
        return [_from(doc) for doc in await cursor.to_list(None)]

    async def start(self, job: BulkJob, now: datetime) -> BulkJob | None:
        doc = await self._c.find_one_and_update(
            {"_id": f"{job.tenant}:{job.id}", "tenant": job.tenant, "status": "QUEUED"},
            {"$set": {"status": BulkJobStatus.RUNNING.value, "started_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return _from(doc) if doc else None

    async def advance(self, job: BulkJob, progress: Progress, now: datetime) -> BulkJob | None:
        fields: dict[str, Any] = {"cursor": progress.cursor}
        if progress.last:
            fields |= {"status": BulkJobStatus.DONE.value, "finished_at": now}
        doc = await self._c.find_one_and_update(
            {
                "_id": f"{job.tenant}:{job.id}",
                "tenant": job.tenant,
                "status": BulkJobStatus.RUNNING.value,
                "cursor": job.cursor,
            },
            {"$set": fields, "$inc": {"done": progress.done, "failed": progress.failed}},
            return_document=ReturnDocument.AFTER,
        )
        return _from(doc) if doc else None

    async def highest_member_id(self, tenant: str) -> str | None:
        cursor = self._members.find({"tenant": tenant}, {"_id": 1}).sort("_id", -1).limit(1)
        found = await cursor.to_list(None)
        return str(found[0]["_id"]) if found else None

    async def count_audience(self, tenant: str, audience: Audience) -> int:
        if audience.until_id is None:
            return 0
        return int(await self._members.count_documents(_members_query(tenant, audience)))

    async def audience_page(
        self, tenant: str, audience: Audience, after: str | None, limit: int
    ) -> list[MemberRead]:
        if audience.until_id is None:
            return []
        query = _members_query(tenant, audience)
        if after is not None:
            query["_id"]["$gt"] = _oid(after)
        cursor = self._members.find(query).sort("_id", 1).limit(limit)
        return [member_read_from(doc) for doc in await cursor.to_list(None)]

    async def audience_pages(
        self, tenant: str, audience: Audience, after: str | None, size: int
    ) -> AsyncGenerator[list[MemberRead], None]:
        """One cursor in _id order, the server sending `size` members per batch: the worker
        holds one page, and the server walks the index once instead of once per page."""
        if audience.until_id is None:
            return
        query = _members_query(tenant, audience)
        if after is not None:
            query["_id"]["$gt"] = _oid(after)
        cursor = self._members.find(query).sort("_id", 1).batch_size(size)
        page: list[MemberRead] = []
        try:
            async for doc in cursor:
                page.append(member_read_from(doc))
                if len(page) == size:
                    yield page
                    page = []
            if page:
                yield page
        finally:
            await cursor.close()

    async def by_external_ids(
        self, tenant: str, external_ids: list[str], until_id: str | None
    ) -> dict[str, MemberRead]:
        """Index tenant_external_id_unique; members who joined after the mark are left out."""
        if until_id is None:
            return {}
        query = {
            "tenant": tenant,
            "external_id": {"$in": external_ids},
            "_id": {"$lte": _oid(until_id)},
        }
        found = await self._members.find(query).to_list(None)
        return {doc["external_id"]: member_read_from(doc) for doc in found}

    async def stage(self, tenant: str, job_id: str, rows: list[StagedRow]) -> None:
        docs = [
            {
                "_id": f"{tenant}:{job_id}:{row.index}",
                "tenant": tenant,
                "index": row.index,
                "line": row.line,
                "values": row.values,
            }
            for row in rows
        ]
        if not docs:
            return
        try:
            await self._rows.insert_many(docs, ordered=False)
        except BulkWriteError as exc:  # rows a retried upload staged already
            if any(e.get("code") != DUPLICATE_KEY for e in exc.details.get("writeErrors", [])):
                raise

    async def staged(self, tenant: str, job_id: str, first: int, limit: int) -> list[StagedRow]:
        keys = [f"{tenant}:{job_id}:{index}" for index in range(first, first + limit)]
        found = await self._rows.find({"_id": {"$in": keys}, "tenant": tenant}).to_list(None)
        rows = [StagedRow(doc["index"], doc["line"], doc["values"]) for doc in found]
        return sorted(rows, key=lambda row: row.index)

    async def forget_staged(self, tenant: str, job_id: str) -> None:
        await self._rows.delete_many(
            {"_id": {"$gt": f"{tenant}:{job_id}:", "$lt": f"{tenant}:{job_id};"}, "tenant": tenant}
        )
