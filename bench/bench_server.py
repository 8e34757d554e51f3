"""The server side of bench/http_bench.py: the real app plus raw Starlette twins of two calls.

The raw endpoints do the same work without GraphQL: the same authentication, the same reads
and the same use case, encoded with orjson. Prints one JSON line (credentials), then serves.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import sys
from datetime import timedelta
from typing import Any

import orjson
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.app import build_runtime, create_app
from api.auth.authenticate import authenticate
from api.demo import seed_demo
from api.settings import Settings
from loyalty import lots as wallet_rules
from loyalty.tiers import effective_tier
from loyalty.usecases import orders
from mongo.indexes import ensure_indexes


def main(port: int) -> None:
    settings = Settings.from_env(read_dotenv=False)
    settings = dataclasses.replace(settings, rate_limit_scale=0.0)  # one client, on purpose
    runtime = build_runtime(settings)
    deps = runtime.deps
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    async def seed() -> dict[str, str]:
        await ensure_indexes(runtime.database.db)
        creds = await seed_demo(deps, slug="bench")
        return {"member_token": creds.member_token, "events_key": creds.events_api_key}

    creds = loop.run_until_complete(seed())

    async def raw_app_start(request: Request) -> Response:
        principal = await authenticate(
            deps,
            authorization=request.headers.get("authorization"),
            tenant_header=None,
            platform_key=None,
        )
        if principal.member is None or principal.tenant is None:
            return Response(status_code=401)
        member = principal.member  # read by authentication, as the GraphQL path uses it
        now = deps.clock.now()
        view = wallet_rules.view(member.wallet, now)
        soon = wallet_rules.expiring(member.wallet, now, now + timedelta(days=30))
        tier = (
            effective_tier(principal.tenant.program, member.tier, now) if principal.tenant else None
        )
        name = tier.name.pick("en", tier.id) or tier.id if tier else None
        body = {
            "data": {
                "me": {
                    "wallet": {
                        "balance": view.balance,
                        "pendingBalance": view.pending,
                        "expiringSoon": [{"points": p, "expiresAt": at} for at, p in soon],
                    },
                    "tier": {"tier": {"name": name}},
                }
            }
        }
        return Response(orjson.dumps(body), media_type="application/json")

    async def raw_record_order(request: Request) -> Response:
        principal = await authenticate(
            deps,
            authorization=request.headers.get("authorization"),
            tenant_header=None,
            platform_key=None,
        )
        if principal.tenant is None:
            return Response(status_code=401)
        data: dict[str, Any] = orjson.loads(await request.body())
        recorded = await orders.record_order(
            deps,
            principal.tenant,
            member_external_id=data["memberExternalId"],
            order_id=data["orderId"],
            total=data["total"],
            currency=data["currency"],
            items=None,
            placed_at=None,
        )
        view = wallet_rules.view(recorded.member.wallet, deps.clock.now())
        body = {
            "data": {
                "recordOrder": {
                    "pointsEarned": recorded.order.points,
                    "member": {"wallet": {"balance": view.balance}},
                    "userErrors": [],
                }
            }
        }
        return Response(orjson.dumps(body), media_type="application/json")

    app = create_app(runtime)
    app.router.routes.insert(0, Route("/raw/app-start", raw_app_start, methods=["GET"]))
    app.router.routes.insert(0, Route("/raw/record-order", raw_record_order, methods=["POST"]))
    print(json.dumps(creds), flush=True)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    loop.run_until_complete(uvicorn.Server(config).serve())


if __name__ == "__main__":
    main(int(sys.argv[1]))
