"""Shared steps for the push tests: devices, the scheduler with a recording sender, the log."""

from __future__ import annotations

from typing import Any

from api.scheduler import Scheduler
from loyalty.ports import Deps
from mongo.client import Database
from notifications.recording import RecordingSender
from tests.api.conftest import Api, TenantCreds

REGISTER = """
mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) {
  device { token platform locale timezone } userErrors { code field message } } }
"""
LOG = """
query($member: ID, $first: Int, $after: String) {
  notificationLog(first: $first, after: $after, memberExternalId: $member) {
    edges { cursor node { id memberExternalId kind status reason title body sender deepLink } }
    pageInfo { hasNextPage endCursor } } }
"""
PREFS = """
mutation($input: UpdateNotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    preferences { optedOut quietHoursStart quietHoursEnd } userErrors { code field message } } }
"""


async def register(
    api: Api, creds: TenantCreds, member: str, token: str, **extra: Any
) -> dict[str, Any]:
    variables = {"input": {"token": token, "platform": "ANDROID", **extra}}
    body = await api.gql(REGISTER, variables, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["registerDevice"]
    return payload


async def log(api: Api, creds: TenantCreds, member: str | None = None) -> list[dict[str, Any]]:
    body = await api.gql(LOG, {"member": member, "first": 100}, token=creds.admin)
    return [edge["node"] for edge in body["data"]["notificationLog"]["edges"]]


async def set_prefs(api: Api, creds: TenantCreds, member: str, **prefs: Any) -> dict[str, Any]:
    body = await api.gql(PREFS, {"input": prefs}, token=creds.member_token(api, member))
    payload: dict[str, Any] = body["data"]["updateNotificationPreferences"]
    return payload


def scheduler(database: Database, deps: Deps) -> tuple[Scheduler, RecordingSender]:
    sender = RecordingSender()
    return Scheduler(database, deps, 60, sender), sender
