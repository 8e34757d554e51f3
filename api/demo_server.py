"""`loyalty demo`: seed the embedded store, print how to use it, and serve."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os

import uvicorn

from api.app import build_runtime, create_app
from api.demo import DemoCredentials, seed_demo
from api.settings import Settings
from api.socket_handler import MAX_FRAME_BYTES
from mongo.indexes import ensure_indexes

EXAMPLE = """{
  me {
    displayName
    wallet {
      balance pendingBalance lifetimeEarned
      expiringSoon(withinDays: 60) { points expiresAt }
      transactions(first: 5) { edges { node { type points balanceAfter reason createdAt } } }
    }
  }
  program { name pointsName { one other } earnRate expiryMonths pendingDays }
  rewards { id name cost kind value }
}"""


def banner(base: str, creds: DemoCredentials) -> str:
    """What the demo prints: where everything is, and the credentials to paste."""
    headers = {"Authorization": f"Bearer {creds.member_token}", "Accept-Language": "ar"}
    return f"""
loyalty demo is up.
  Console:   {base}/console/
             sign in with the admin API key: {creds.admin_api_key}
  GraphiQL:  {base}/graphql
  Health:    {base}/healthz   Ready: {base}/readyz   Metrics: {base}/metrics

Tenant {creds.slug!r}
  admin API key:   {creds.admin_api_key}
  events API key:  {creds.events_api_key}
  member token for {creds.member_external_id} (24h):
  {creds.member_token}
  member token kid:    {creds.member_token_kid}
  member token secret: {creds.member_token_secret}

A token for any other shopper (a new id joins on first use), from another terminal:
  loyalty token member --tenant {creds.slug} --member c-2001 --ttl 1h \\
    --kid {creds.member_token_kid} --secret {creds.member_token_secret}

Paste into GraphiQL's headers:
{json.dumps(headers, ensure_ascii=False)}
and try:
{EXAMPLE}
"""


def run_demo(settings: Settings, host: str, port: int) -> int:
    if not settings.mongodb_uri.startswith("memory://"):
        print("loyalty demo runs on the embedded store; unset LOYALTY_MONGODB_URI")
        return 2
    if "LOYALTY_PUBLIC_URL" not in os.environ:
        # Icon URLs must point at this server, whatever port the demo was given.
        settings = dataclasses.replace(settings, public_url=f"http://{host}:{port}")
    runtime = build_runtime(settings)

    async def seed() -> None:
        await ensure_indexes(runtime.database.db)
        creds = await seed_demo(runtime.deps)
        print(banner(f"http://{host}:{port}", creds), flush=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(seed())
    app = create_app(runtime, with_worker=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        ws_max_size=MAX_FRAME_BYTES,
    )
    loop.run_until_complete(uvicorn.Server(config).serve())
    return 0
