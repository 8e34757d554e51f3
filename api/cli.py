"""The `loyalty` command: serve, worker, demo, devstore, tenant create, token member,
export-schema, messages."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn

from api.log_context import configure_logging
from api.settings import Settings, SettingsError
from api.token_command import add_arguments, token_member

SCHEMA_FILE = Path("schema.graphql")


def _ttl(text: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([smhd])", text)
    if not match:
        raise argparse.ArgumentTypeError("use e.g. 30m, 1h, 7d")
    amount, unit = int(match.group(1)), match.group(2)
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit] * amount
    # The program's memberTokenMaxDays (1..365) bounds it further: see api/token_command.py.
    if not 0 < seconds <= 365 * 86400:
        raise argparse.ArgumentTypeError("ttl must be between 1s and 365d")
    return timedelta(seconds=seconds)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--with-worker", action="store_true", help="also run the scheduler")
    sub.add_parser("worker", help="run the scheduler alone")
    demo = sub.add_parser("demo", help="API + scheduler on the embedded store, with demo data")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--data",
        metavar="FILE",
        help="keep the demo in FILE (a dev store), so a restart finds its data again",
    )
    devstore = sub.add_parser(
        "devstore", help="a MongoDB wire-protocol dev store (development and tests only)"
    )
    devstore.add_argument("--host", default="127.0.0.1")
    devstore.add_argument("--port", type=int, default=27017, help="0 picks a free port")
    devstore.add_argument("--data", metavar="FILE", help="keep the data in FILE (append-only)")
    devstore.add_argument(
        "--i-know-this-is-not-mongodb",
        dest="allow_remote",
        action="store_true",
        help="allow listening on a non-loopback address",
    )
    tenant = sub.add_parser("tenant", help="tenant administration").add_subparsers(
        dest="tenant_command", required=True
    )
    create = tenant.add_parser("create", help="create a tenant and print its credentials")
    create.add_argument("slug")
    create.add_argument("--name", required=True)
    create.add_argument("--currency", required=True)
    create.add_argument("--locale", required=True, choices=["ar", "en"])
    token = sub.add_parser("token", help="tokens").add_subparsers(
        dest="token_command", required=True
    )
    member = token.add_parser(
        "member", help="issue a member token (with --kid/--secret, or the newest HS256 key)"
    )
    add_arguments(member, _ttl)
    messages = sub.add_parser(
        "messages", help="extract the English messages and update every .po catalog (Babel)"
    )
    messages.add_argument("--check", action="store_true", help="fail if a file is out of date")
    messages.add_argument("--init", metavar="LANG", help="start a catalog for a new language")
    export = sub.add_parser("export-schema", help="write schema.graphql")
    export.add_argument("--check", action="store_true", help="fail if the file is out of date")
    return parser


def schema_text() -> str:
    from graphql_schema.schema import schema

    return schema.as_str() + "\n"


def export_schema(check: bool) -> int:
    text = schema_text()
    if check:
        if not SCHEMA_FILE.exists() or SCHEMA_FILE.read_text(encoding="utf-8") != text:
            print("schema.graphql is out of date: run `loyalty export-schema`", file=sys.stderr)
            return 1
        print("schema.graphql is up to date")
        return 0
    SCHEMA_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
    return 0


def _serve(settings: Settings, host: str, port: int, workers: int, with_worker: bool) -> int:
    if settings.mongodb_uri.startswith("memory://") and workers > 1:
        print("the memory:// store lives in one process: use --workers 1", file=sys.stderr)
        return 2
    from api.socket_handler import MAX_FRAME_BYTES

    factory = "api.factory:app_with_worker" if with_worker else "api.factory:app"
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        # Its loggers propagate to ours (api/log_context.py), configured in each worker.
        log_config=None,
        ws_max_size=MAX_FRAME_BYTES,
    )
    return 0


def _run_worker(settings: Settings) -> None:
    """On uvloop where it is installed (with uvicorn[standard], which `serve` runs on): the
    worker sends the pushes, and bench/push_send.py measured about a tenth less CPU per
    message there."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(_worker(settings))
    else:
        uvloop.run(_worker(settings))


async def _worker(settings: Settings) -> None:
    from api.app import build_runtime
    from api.push import push_sender
    from api.scheduler import Scheduler
    from mongo.indexes import ensure_indexes

    runtime = build_runtime(settings)
    await ensure_indexes(runtime.database.db)
    if runtime.feed is not None:  # wallet events for other processes; tenant changes heard
        runtime.feed.start()
    async with push_sender(settings) as sender:
        await Scheduler(
            runtime.database, runtime.deps, settings.scheduler_interval_seconds, sender
        ).run_forever()


async def _tenant_create(settings: Settings, args: argparse.Namespace) -> int:
    from api.app import build_runtime
    from loyalty.errors import DomainError
    from loyalty.i18n import translate
    from loyalty.usecases.tenants import create_tenant
    from mongo.indexes import ensure_indexes

    runtime = build_runtime(settings)
    await ensure_indexes(runtime.database.db)
    try:
        created = await create_tenant(
            runtime.deps,
            slug=args.slug,
            name=args.name,
            currency=args.currency,
            default_locale=args.locale,
        )
    except DomainError as exc:
        print(translate(f"error.{exc.code.value}", "en", **exc.params), file=sys.stderr)
        return 1
    print(f"tenant:              {created.tenant.slug}")
    print(f"admin API key:       {created.admin_api_key}")
    print(f"events API key:      {created.events_api_key}")
    print(f"member token kid:    {created.member_token_kid}")
    print(f"member token secret: {created.member_token_secret}")
    print("These are shown once; only hashes of the API keys are stored.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "export-schema":
        return export_schema(args.check)
    if args.command == "messages":
        from api.messages_command import run as update_messages

        return update_messages(args.check, args.init)
    if args.command == "devstore":
        from mongo.devstore.server import serve as serve_devstore

        return serve_devstore(args.host, args.port, args.data, args.allow_remote)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    if args.command == "serve":
        return _serve(settings, args.host, args.port, args.workers, args.with_worker)
    if args.command == "worker":
        _run_worker(settings)
        return 0
    if args.command == "demo":
        from api.demo_server import run_demo

        return run_demo(settings, args.host, args.port, args.data)
    if args.command == "tenant":
        return asyncio.run(_tenant_create(settings, args))
    return asyncio.run(token_member(settings, args, datetime.now(UTC)))


if __name__ == "__main__":
    sys.exit(main())
