"""Wires the repositories onto one database."""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.ports import Deps, WalletEvents
from mongo.audiences import MongoAudiences
from mongo.campaigns import MongoCampaigns, MongoJobCursors
from mongo.client import Database
from mongo.devices import MongoDevices, MongoPreferences
from mongo.member_events import MongoMemberEvents
from mongo.members import MongoMembers
from mongo.operations import MongoActivities, MongoIdempotency
from mongo.orders import MongoOrders
from mongo.outbox import MongoOutbox
from mongo.rewards import MongoRedemptions, MongoRewards
from mongo.tenants import MongoApiKeys, MongoTenants


def build_deps(database: Database, clock: Clock, events: WalletEvents) -> Deps:
    db = database.db
    return Deps(
        tenants=MongoTenants(db),
        api_keys=MongoApiKeys(db),
        members=MongoMembers(db),
        orders=MongoOrders(db),
        rewards=MongoRewards(db),
        redemptions=MongoRedemptions(db),
        idempotency=MongoIdempotency(db, clock),
        activities=MongoActivities(db),
        events=events,
        member_events=MongoMemberEvents(db),
        clock=clock,
        devices=MongoDevices(db),
        preferences=MongoPreferences(db),
        outbox=MongoOutbox(db),
        campaigns=MongoCampaigns(db),
        cursors=MongoJobCursors(db),
        audiences=MongoAudiences(db),
    )
