"""`loyalty demo`: seed the embedded store, print how to use it, and serve."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import uvicorn

from api.app import Runtime, build_runtime, create_app
from api.auth.member_tokens import issue_member_token
from api.demo import DemoCredentials, seed_demo
from api.settings import Settings
from api.socket_handler import MAX_FRAME_BYTES
from loyalty.ports import Deps
from mongo.devstore.server import DevStore, build_engine
from mongo.indexes import ensure_indexes

DEMO_SLUG = "demo"

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


def run_demo(settings: Settings, host: str, port: int, data: str | None = None) -> int:
    """On the embedded store; with `data`, on a dev store kept in that file, so the demo's
    data (and its credentials, kept beside it) survive restarts."""
    if not settings.mongodb_uri.startswith("memory://"):
        print("loyalty demo runs on the embedded store; unset LOYALTY_MONGODB_URI")
        return 2
    store: DevStore | None = None
    if data is not None:
        engine = build_engine(Path(data))
        engine.load()  # replays what earlier runs wrote
        store = DevStore(engine, "127.0.0.1", 0)
        store.start()
        settings = dataclasses.replace(settings, mongodb_uri=f"mongodb://127.0.0.1:{store.port}/")
    if "LOYALTY_PUBLIC_URL" not in os.environ:
        # Icon URLs must point at this server, whatever port the demo was given.
        settings = dataclasses.replace(settings, public_url=f"http://{host}:{port}")
    runtime = build_runtime(settings)

    saved = None if data is None else Path(f"{data}.credentials.json")
    kept = read_saved(saved)

    async def seed() -> DemoCredentials | None:
        await ensure_indexes(runtime.database.db)
        return await kept_or_seeded(runtime.deps, keep=saved is not None, kept=kept)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        creds = loop.run_until_complete(seed())
        if creds is None:
            print(
                f"loyalty demo: {data} holds a demo whose credentials file {saved} is gone; "
                "delete the data file to start afresh",
                file=sys.stderr,
            )
            return 2
        if saved is not None and (kept is None or kept["admin_api_key"] != creds.admin_api_key):
            write_saved(saved, creds)  # seeded afresh (a stale file is replaced)
        print(banner(f"http://{host}:{port}", creds), flush=True)
        serve(loop, runtime, settings, host, port)
    finally:
        if store is not None:
            store.stop()
    return 0


def read_saved(saved: Path | None) -> dict[str, str] | None:
    if saved is None or not saved.exists():
        return None
    kept: dict[str, str] = json.loads(saved.read_text(encoding="utf-8"))
    return kept


def write_saved(saved: Path, creds: DemoCredentials) -> None:
    fields = {k: v for k, v in asdict(creds).items() if k != "member_token"}
    saved.write_text(json.dumps(fields), encoding="utf-8")
    saved.chmod(0o600)  # API keys: readable by their owner only


async def kept_or_seeded(
    deps: Deps, *, keep: bool, kept: dict[str, str] | None
) -> DemoCredentials | None:
    """Seeds a fresh store; on a kept store with its saved keys, those keys and a new 24-hour
    member token. None: a kept store whose saved keys are gone (they are shown only once)."""
    tenant = await deps.tenants.get(DEMO_SLUG) if keep else None
    if tenant is None:
        return await seed_demo(deps, slug=DEMO_SLUG)
    if kept is None:
        return None
    key = next(k for k in tenant.member_keys if k.secret is not None)
    token = issue_member_token(
        tenant_slug=tenant.slug,
        key=key,
        subject=kept["member_external_id"],
        now=deps.clock.now(),
        ttl=timedelta(hours=24),
    )
    # The signing key as it is now (saved files from before it was shown lack it).
    signing = {"member_token_kid": key.kid, "member_token_secret": key.secret or ""}
    return DemoCredentials(**{**kept, **signing}, member_token=token)


def serve(
    loop: asyncio.AbstractEventLoop, runtime: Runtime, settings: Settings, host: str, port: int
) -> None:
    app = create_app(runtime, with_worker=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        ws_max_size=MAX_FRAME_BYTES,
    )
    loop.run_until_complete(uvicorn.Server(config).serve())
