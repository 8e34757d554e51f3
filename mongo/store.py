"""Wires the repositories onto one database."""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.ports import Deps, ImageProcessor, WalletEvents
from mongo.analytics import MongoAnalytics
from mongo.client import Database
from mongo.directory import MongoDirectory
from mongo.exports import MongoExports
from mongo.leaderboards import MongoLeaderboards
from mongo.member_events import MongoMemberEvents
from mongo.member_history import MongoMemberHistory
from mongo.members import MongoMembers
from mongo.operations import MongoActivities, MongoIdempotency
from mongo.orders import MongoOrders
from mongo.rewards import MongoRedemptions, MongoRewards
from mongo.standing import MongoStanding
from mongo.tenants import MongoApiKeys, MongoTenants
from mongo.themes import MongoFiles, MongoThemes


def build_deps(
    database: Database, clock: Clock, events: WalletEvents, *, images: ImageProcessor
) -> Deps:
    db = database.db
    return Deps(
        tenants=MongoTenants(db),
        api_keys=MongoApiKeys(db),
        members=MongoMembers(db),
        standing=MongoStanding(db),
        leaderboards=MongoLeaderboards(db),
        orders=MongoOrders(db),
        rewards=MongoRewards(db),
        redemptions=MongoRedemptions(db),
        idempotency=MongoIdempotency(db, clock),
        activities=MongoActivities(db),
        events=events,
        member_events=MongoMemberEvents(db),
        themes=MongoThemes(db),
        files=MongoFiles(db),
        images=images,
        analytics=MongoAnalytics(db),
        directory=MongoDirectory(db),
        history=MongoMemberHistory(db),
        exports=MongoExports(db),
        clock=clock,
    )
