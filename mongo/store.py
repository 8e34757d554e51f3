"""Wires the repositories onto one database."""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.ports import UNMETERED, Deps, ImageProcessor, PointsMeter
from loyalty.wallet_events import WalletEvents
from loyalty.webhook_ports import Cipher
from mongo.analytics import MongoAnalytics
from mongo.audiences import MongoAudiences
from mongo.audit import MongoAuditLog
from mongo.badges import MongoBadgeAwards, MongoBadges
from mongo.bulk_jobs import MongoBulkJobs
from mongo.cached_api_keys import CachedApiKeys
from mongo.cached_badges import CachedBadges
from mongo.cached_rewards import CachedRewards
from mongo.cached_tenants import CachedTenants
from mongo.campaigns import MongoCampaigns, MongoJobCursors
from mongo.charities import MongoCharities
from mongo.client import Database
from mongo.devices import MongoDevices, MongoPreferences
from mongo.directory import MongoDirectory
from mongo.exports import MongoExports
from mongo.leaderboards import MongoLeaderboards
from mongo.member_events import MongoMemberEvents
from mongo.member_history import MongoMemberHistory
from mongo.members import MongoMembers
from mongo.operations import MongoActivities, MongoIdempotency
from mongo.orders import MongoOrders
from mongo.outbox import MongoOutbox
from mongo.privacy import MongoPersonalData
from mongo.redemptions import MongoRedemptions
from mongo.referrals import MongoReferrals
from mongo.rewards import MongoRewards
from mongo.standing import MongoStanding
from mongo.tenant_changes import TenantChanges
from mongo.tenants import MongoApiKeys, MongoTenants
from mongo.themes import MongoFiles, MongoThemes
from mongo.transfers import MongoTransfers
from mongo.webhook_deliveries import MongoWebhookDeliveries
from mongo.webhook_endpoints import MongoWebhookEndpoints


def build_deps(
    database: Database,
    clock: Clock,
    events: WalletEvents,
    *,
    images: ImageProcessor,
    meter: PointsMeter = UNMETERED,
    changes: TenantChanges | None = None,
    cipher: Cipher | None = None,
) -> Deps:
    """`changes`: how the tenant and API-key copies hear of other processes' writes.
    `cipher`: for the secrets stored at rest (webhook endpoints); without one, reading or
    writing a secret fails loudly."""
    db = database.db
    return Deps(
        tenants=CachedTenants(MongoTenants(db), clock, changes),
        api_keys=CachedApiKeys(MongoApiKeys(db), clock, changes),
        members=MongoMembers(db),
        standing=MongoStanding(db),
        referrals=MongoReferrals(db),
        leaderboards=MongoLeaderboards(db),
        orders=MongoOrders(db),
        rewards=CachedRewards(MongoRewards(db), clock),
        redemptions=MongoRedemptions(db),
        idempotency=MongoIdempotency(db, clock),
        activities=MongoActivities(db),
        badges=CachedBadges(MongoBadges(db), clock),
        badge_awards=MongoBadgeAwards(db),
        events=events,
        member_events=MongoMemberEvents(db, clock),
        themes=MongoThemes(db),
        files=MongoFiles(db),
        images=images,
        analytics=MongoAnalytics(db),
        directory=MongoDirectory(db),
        history=MongoMemberHistory(db),
        exports=MongoExports(db),
        clock=clock,
        meter=meter,
        devices=MongoDevices(db),
        preferences=MongoPreferences(db),
        outbox=MongoOutbox(db),
        campaigns=MongoCampaigns(db),
        cursors=MongoJobCursors(db),
        audiences=MongoAudiences(db),
        audit=MongoAuditLog(db),
        personal_data=MongoPersonalData(db),
        transfers=MongoTransfers(db),
        charities=MongoCharities(db),
        bulk_jobs=MongoBulkJobs(db),
        webhook_endpoints=MongoWebhookEndpoints(db, cipher),
        webhook_deliveries=MongoWebhookDeliveries(db),
    )
