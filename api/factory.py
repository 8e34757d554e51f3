"""Factories uvicorn imports (in each worker process)."""

from __future__ import annotations

from starlette.applications import Starlette

from api.app import build_runtime, create_app
from api.log_context import configure_logging
from api.settings import Settings


def _settings() -> Settings:
    # Each uvicorn worker is a fresh process: its logging is set up here, not inherited.
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    return settings


def app() -> Starlette:
    return create_app(build_runtime(_settings()))


def app_with_worker() -> Starlette:
    return create_app(build_runtime(_settings()), with_worker=True)
