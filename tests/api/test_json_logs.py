"""LOYALTY_LOG_FORMAT=json: one JSON object per line, each carrying the request id and tenant."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from api.log_context import bind_request, configure_logging
from api.settings import Settings, SettingsError
from tests.api.conftest import Api, TenantCreds


@pytest.fixture
def json_logs() -> Iterator[None]:
    """Puts the root logger back as it was after the test configured it."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    yield
    root.handlers[:], level = saved
    root.setLevel(level)


def lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


def test_a_line_logged_inside_a_request_carries_its_id_and_tenant(
    json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given JSON logs and a request bound to its id and tenant
    configure_logging("INFO", "json")  # in the test: its stderr is the one capsys reads
    bind_request("req-7", "acme")
    # when something logs
    logging.getLogger("loyalty.test").info("hello %s", "there")
    # then
    (line,) = lines(capsys.readouterr().err)
    assert {k: line[k] for k in ("level", "name", "message", "request_id", "tenant")} == {
        "level": "INFO",
        "name": "loyalty.test",
        "message": "hello there",
        "request_id": "req-7",
        "tenant": "acme",
    }


async def test_the_auth_refusal_line_of_a_request_carries_the_callers_request_id(
    api: Api, acme: TenantCreds, json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    # given JSON logs
    configure_logging("INFO", "json")
    # when a forged token is sent with a request id
    await api.client.post(
        "/graphql",
        json={"query": "{ me { externalId } }"},
        headers={"Authorization": "Bearer not.a.token", "X-Request-Id": "trace-42"},
    )
    # then the refusal is logged as JSON with that id, and no tenant (none was proven)
    refusals = [
        line for line in lines(capsys.readouterr().err) if "auth refused" in line["message"]
    ]
    assert [(line["request_id"], line["tenant"]) for line in refusals] == [("trace-42", None)]


def test_an_unknown_log_format_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="LOYALTY_LOG_FORMAT"):
        Settings.from_env(read_dotenv=False)
