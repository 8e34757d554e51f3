"""`loyalty token member`: a member token for any shopper id (an id the tenant has not seen
yet is enrolled when the token is first used).

Two ways to the signing key:
- `--kid K --secret S`, as `loyalty demo` and `loyalty tenant create` print them: the token is
  signed here without opening any store, so it works against a running server whatever its
  store. This is the way to reach `loyalty demo`, whose data lives in the demo's own process.
- otherwise the tenant's newest HS256 key, read from `LOYALTY_MONGODB_URI` (the MongoDB or dev
  store the server uses). On `memory://` that is this command's own empty store.

The lifetime is at most the program's `memberTokenMaxDays`, which the server enforces: read from
the store, or the default (30 days) with `--secret`, where the program cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime, timedelta

from api.auth.member_tokens import issue_member_token
from api.settings import Settings
from loyalty.program import LocalizedText, Program
from loyalty.tenants import MemberKey

# A new program's default (the one the server applies unless the merchant changed it).
DEFAULT_MAX_DAYS = Program(LocalizedText(), "XXX", "en").member_token_max_days


def add_arguments(member: argparse.ArgumentParser, ttl: Callable[[str], timedelta]) -> None:
    member.add_argument("--tenant", required=True)
    member.add_argument("--member", required=True, help="the shopper's id (the token's sub)")
    member.add_argument(
        "--ttl", type=ttl, default=timedelta(hours=1), help="e.g. 30m, 1h, 7d (default 1h)"
    )
    member.add_argument("--kid", help="key id to sign with (with --secret; no store is opened)")
    member.add_argument("--secret", help="that key's HS256 secret")


def _mint(slug: str, key: MemberKey, args: argparse.Namespace, now: datetime, max_days: int) -> int:
    ttl: timedelta = args.ttl
    if ttl > timedelta(days=max_days):
        print(
            f"--ttl is longer than the program's member-token lifetime of {max_days} days "
            "(memberTokenMaxDays): the server would refuse the token",
            file=sys.stderr,
        )
        return 1
    try:
        token = issue_member_token(tenant_slug=slug, key=key, subject=args.member, now=now, ttl=ttl)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(token)
    return 0


async def token_member(settings: Settings, args: argparse.Namespace, now: datetime) -> int:
    if (args.kid is None) != (args.secret is None):
        print("--kid and --secret go together", file=sys.stderr)
        return 2
    if args.secret is not None:
        key = MemberKey(args.kid, "HS256", args.secret, None, now)
        return _mint(args.tenant, key, args, now, DEFAULT_MAX_DAYS)
    from api.app import build_runtime

    runtime = build_runtime(settings)
    tenant = await runtime.deps.tenants.get(args.tenant)
    if tenant is None:
        hint = ""
        if settings.mongodb_uri.startswith("memory://"):
            hint = (
                " (memory:// is this command's own empty store: for a running `loyalty demo`,"
                " pass the --kid and --secret it printed)"
            )
        print(f"unknown tenant {args.tenant!r}{hint}", file=sys.stderr)
        return 1
    keys = [k for k in tenant.member_keys if k.alg == "HS256" and k.secret]
    if not keys:
        print("this tenant has no HS256 key (merchant-signed tokens only)", file=sys.stderr)
        return 1
    newest = max(keys, key=lambda k: k.created_at)
    return _mint(tenant.slug, newest, args, now, tenant.program.member_token_max_days)
