"""Redemption status changes: each is conditional on the status (and the attempt) it leaves, so
a late or repeated writer can never undo an outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from loyalty.program import LocalizedText
from loyalty.rewards import SWEEP_GRACE, Redemption, RedemptionStatus
from mongo.client import Database
from mongo.redemptions import MongoRedemptions

# Microseconds on purpose: stored dates keep milliseconds, conditions must still match.
ARMED = datetime(2026, 1, 15, 12, 0, 0, 123456, tzinfo=UTC)
LATER = ARMED + timedelta(minutes=20)


def as_stored(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def reservation() -> Redemption:
    return Redemption(
        id="rd_1",
        tenant="acme",
        member_id="m1",
        reward_id="rw_1",
        reward_name=LocalizedText(en="Coffee"),
        coupon_code="ACME-AAAA-BBBB",
        points_spent=100,
        status=RedemptionStatus.RESERVED,
        created_at=ARMED,
        expires_at=ARMED + timedelta(days=30),
        op_id="redeem:m1:k1",
        attempt=1,
        reserved_at=ARMED,
        sweep_at=ARMED + SWEEP_GRACE,
    )


async def status(store: MongoRedemptions) -> tuple[RedemptionStatus, datetime | None]:
    record = await store.get("acme", "rd_1")
    assert record is not None
    return record.status, record.sweep_at


async def test_an_issued_coupon_never_fails_nor_rearms(database: Database) -> None:
    # given
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    assert await store.issue("acme", "rd_1") is not None
    # when
    failed = await store.fail("acme", "rd_1", 1, final=False)
    settled = await store.fail("acme", "rd_1", 1, final=True)
    rearmed = await store.rearm(
        "acme", "rd_1", 1, now=LATER, expires_at=None, sweep_at=LATER + SWEEP_GRACE
    )
    reissued = await store.issue("acme", "rd_1")
    # then
    assert (failed, settled, rearmed, reissued) == (None, None, None, None)
    assert await status(store) == (RedemptionStatus.ISSUED, None)


async def test_a_used_coupon_is_never_issued_again(database: Database) -> None:
    # given
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    await store.issue("acme", "rd_1")
    assert await store.mark_used("acme", "ACME-AAAA-BBBB", "o-1", LATER) is not None
    # when / then
    assert await store.issue("acme", "rd_1") is None
    assert await store.fail("acme", "rd_1", 1, final=True) is None
    assert await status(store) == (RedemptionStatus.USED, None)


async def test_a_reserved_coupon_cannot_be_used(database: Database) -> None:
    # given
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    # when / then
    assert await store.mark_used("acme", "ACME-AAAA-BBBB", "o-1", LATER) is None
    assert await status(store) == (RedemptionStatus.RESERVED, as_stored(ARMED + SWEEP_GRACE))


async def test_failing_an_attempt_armed_again_since_changes_nothing(database: Database) -> None:
    # given an attempt that failed, then a new attempt armed in the same instant
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    assert await store.fail("acme", "rd_1", 1, final=False) is not None
    assert await status(store) == (RedemptionStatus.FAILED, as_stored(ARMED + SWEEP_GRACE))
    rearmed = await store.rearm(
        "acme", "rd_1", 1, now=ARMED, expires_at=None, sweep_at=LATER + SWEEP_GRACE
    )
    assert rearmed is not None
    assert (rearmed.status, rearmed.attempt) == (RedemptionStatus.RESERVED, 2)
    # when the first attempt's failure (or a sweeper that read it) writes late
    late = await store.fail("acme", "rd_1", 1, final=True)
    again = await store.rearm(
        "acme", "rd_1", 1, now=LATER, expires_at=None, sweep_at=LATER + SWEEP_GRACE
    )
    # then the new attempt stands, with its own sweep time
    assert (late, again) == (None, None)
    assert await status(store) == (RedemptionStatus.RESERVED, as_stored(LATER + SWEEP_GRACE))


async def test_a_failure_is_settled_once(database: Database) -> None:
    # given
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    # when two sweepers settle the same unpaid attempt
    first = await store.fail("acme", "rd_1", 1, final=True)
    second = await store.fail("acme", "rd_1", 1, final=True)
    # then
    assert first is not None and second is None
    assert await status(store) == (RedemptionStatus.FAILED, None)
    assert await store.due_for_sweep("acme", LATER + SWEEP_GRACE, 10) == []


async def test_the_sweeper_sees_only_due_attempts_of_its_tenant(database: Database) -> None:
    # given
    store = MongoRedemptions(database.db)
    await store.reserve(reservation())
    # when / then
    assert await store.due_for_sweep("acme", ARMED + SWEEP_GRACE - timedelta(seconds=1), 10) == []
    assert await store.due_for_sweep("globex", ARMED + SWEEP_GRACE, 10) == []
    [due] = await store.due_for_sweep("acme", ARMED + SWEEP_GRACE, 10)
    assert (due.id, due.op_id, due.status) == ("rd_1", "redeem:m1:k1", RedemptionStatus.RESERVED)
