"""Wires the repositories onto one database."""

from __future__ import annotations

from loyalty.clock import Clock
from loyalty.ports import UNMETERED, Deps, ImageProcessor, PointsMeter
from loyalty.stores import UNWIRED_SECRETS, SecretBox
from loyalty.wallet_events import WalletEvents
from mongo.analytics import MongoAnalytics
from mongo.audiences import MongoAudiences
from mongo.audit import MongoAuditLog
from mongo.badges import MongoBadgeAwards, MongoBadges
from mongo.bulk_jobs import MongoBulkJobs
from mongo.cached_api_keys import CachedApiKeys
from mongo.cached_badges import CachedBadges
from mongo.cached_earn_campaigns import CachedEarnCampaigns
from mongo.cached_rewards import CachedRewards
from mongo.cached_tenants import CachedTenants
from mongo.campaigns import MongoCampaigns, MongoJobCursors
from mongo.charities import MongoCharities
from mongo.client import Database
from mongo.devices import MongoDevices, MongoPreferences
from mongo.directory import MongoDirectory
from mongo.earn_campaigns import MongoEarnCampaigns
from mongo.exports import MongoExports
from mongo.leaderboard_counters import zones_of
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
from mongo.reservations import MongoReservations
from mongo.reward_claims import MongoRewardClaims
from mongo.rewards import MongoRewards
from mongo.standing import MongoStanding
from mongo.store_connections import MongoDeliveryLog, MongoStoreConnections
from mongo.store_orders import MongoHeldOrders, MongoStoreOrders
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
    secrets: SecretBox = UNWIRED_SECRETS,
    changes: TenantChanges | None = None,
) -> Deps:
    """`secrets`: seals the secrets stored at rest (store connections, webhook endpoints);
    without one, reading or writing a secret fails loudly. `changes`: how the tenant and
    API-key copies hear of other processes' writes."""
    db = database.db
    tenants = CachedTenants(MongoTenants(db), clock, changes)
    return Deps(
        tenants=tenants,
        api_keys=CachedApiKeys(MongoApiKeys(db), clock, changes),
        members=MongoMembers(db, zones_of(tenants)),
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
        reservations=MongoReservations(db),
        earn_campaigns=CachedEarnCampaigns(MongoEarnCampaigns(db, clock), clock),
        reward_claims=MongoRewardClaims(db),
        audit=MongoAuditLog(db),
        personal_data=MongoPersonalData(db),
        transfers=MongoTransfers(db),
        charities=MongoCharities(db),
        bulk_jobs=MongoBulkJobs(db),
        webhook_endpoints=MongoWebhookEndpoints(db, secrets),
        webhook_deliveries=MongoWebhookDeliveries(db),
        store_connections=MongoStoreConnections(db),
        store_orders=MongoStoreOrders(db),
        store_deliveries=MongoDeliveryLog(db),
        held_orders=MongoHeldOrders(db),
        secrets=secrets,
    )
