"""Real processes on one dev store: `loyalty devstore`, `loyalty serve`, `loyalty worker`,
each started with the environment a deployment would give it, killable with SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import jwt

from tests.devstore import conftest as devstore_tests

ROOT = Path(__file__).resolve().parents[2]
PLATFORM_KEY = "multi-process-platform-key-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class DevStoreProcess(devstore_tests.DevStoreProcess):
    def __init__(self, data: Path) -> None:
        super().__init__(data, quiet=True)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


class AppProcess:
    """`loyalty serve` (with a port) or `loyalty worker`; stderr goes to `log`, appended
    across restarts (the worker's RecordingSender logs every push there)."""

    def __init__(self, command: str, env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.port = free_port() if command == "serve" else None
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> AppProcess:
        args = [sys.executable, "-m", "api.cli", self.command]
        if self.port is not None:
            args += ["--port", str(self.port)]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )
        return self

    def wait_ready(self, timeout: float = 180) -> None:  # a busy 2-core machine is slow
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.port is None:
                return
            try:
                if httpx.get(f"{self.base}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process is not None and self.process.poll() is None, self.log.read_text()
            time.sleep(0.1)
        raise AssertionError(f"{self.command} did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, whatever was under way is cut off."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def app_env(uri: str, db_name: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "LOYALTY_MONGODB_URI": uri,
        "LOYALTY_DB_NAME": db_name,
        "LOYALTY_PLATFORM_KEY": PLATFORM_KEY,
        "LOYALTY_LOG_LEVEL": "WARNING",
        **extra,
    }


def gql(
    base: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    timeout: float = 10,
) -> httpx.Response:
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(
        f"{base}/graphql",
        json={"query": query, "variables": variables or {}},
        headers=headers,
        timeout=timeout,
    )


def data(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


CREATE_TENANT = """mutation($i: CreateTenantInput!) { createTenant(input: $i) {
  adminApiKey eventsApiKey memberTokenSecret memberTokenKid userErrors { code } } }"""


def create_tenant(base: str, slug: str) -> dict[str, str]:
    variables = {"i": {"slug": slug, "name": slug, "currency": "AED", "defaultLocale": "en"}}
    response = gql(base, CREATE_TENANT, variables, token=PLATFORM_KEY)
    if response.status_code == 429:  # tests that lower the rates: wait as told, once
        time.sleep(int(response.headers["Retry-After"]))
        response = gql(base, CREATE_TENANT, variables, token=PLATFORM_KEY)
    created: dict[str, str] = data(response)["createTenant"]
    assert created["userErrors"] == []
    return created


def member_token(slug: str, member: str, secret: str, kid: str) -> str:
    now = int(time.time())
    claims = {"iss": slug, "sub": member, "aud": "loyalty", "iat": now, "exp": now + 3600}
    return jwt.encode(claims, secret, algorithm="HS256", headers={"kid": kid})


def daytime_zone() -> str:
    """A time zone where it is now between 10:00 and 18:00, outside the default quiet hours
    (22:00-08:00) for devices registered in it, whenever the test runs."""
    now = datetime.now(UTC)
    zones = ("Pacific/Honolulu", "America/New_York", "Europe/London", "Asia/Dubai", "Asia/Tokyo")
    return next(z for z in zones if 10 <= now.astimezone(ZoneInfo(z)).hour < 18)
