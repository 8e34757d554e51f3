"""Factories uvicorn imports (in each worker process)."""

from __future__ import annotations

from starlette.applications import Starlette

from api.app import build_runtime, create_app
from api.settings import Settings


def app() -> Starlette:
    return create_app(build_runtime(Settings.from_env()))


def app_with_worker() -> Starlette:
    return create_app(build_runtime(Settings.from_env()), with_worker=True)
