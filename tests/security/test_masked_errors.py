"""An unexpected exception quoting secrets: the client sees a masked, coded error; the log keeps
the traceback (to fix the bug) with every secret replaced by [REDACTED]."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import pytest

from api.log_redaction import REDACTED, redact
from tests.api.conftest import PLATFORM_KEY, Api, TenantCreds


async def test_a_masked_internal_error_leaks_no_secret_to_the_client_or_the_logs(
    api: Api, acme: TenantCreds, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given a repository failing with every kind of secret in its message
    caplog.set_level(logging.DEBUG)
    jwt = acme.member_token(api, "c1")
    secrets = [acme.admin, acme.events, acme.secret, jwt, PLATFORM_KEY]

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("leaked: " + " | ".join(secrets))

    monkeypatch.setattr(api.deps.rewards, "list", broken)
    # when
    response = await api.client.post(
        "/graphql",
        json={"query": "{ rewards { id } }"},
        headers={"X-Tenant": "acme", "X-Request-ID": "req-7", "Accept-Language": "ar"},
    )
    # then the client gets the masked error only
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-7"}
    # and the log names the failure and the request, with the secrets redacted
    logged = caplog.text + "".join(repr(r.args) + repr(r.exc_info) for r in caplog.records)
    assert "RuntimeError: leaked: " in logged and "req-7" in logged
    assert logged.count(REDACTED) >= len(secrets)
    for secret in secrets:
        assert secret not in response.text
        assert secret not in logged


@pytest.mark.parametrize(
    "kept",
    [
        hashlib.sha256(b"x").hexdigest(),  # hashes (API key hashes, persisted queries) stay
        "rw_0123456789abcdef",  # ids stay
        "test_secrets_never_appear_in_logs_or_errors_at_all",  # long lower-case names stay
        'File "/app/api/graphql_view.py", line 42, in execute_single',
    ],
)
def test_redaction_keeps_what_is_not_a_secret(kept: str) -> None:
    assert redact(kept) == kept


def test_redaction_replaces_each_secret_shape() -> None:
    text = redact("key lk_" + "A" * 43 + " jwt eyJhbGciOi.eyJzdWIi.c2ln secret " + "aB3-" * 16)
    assert text == f"key {REDACTED} jwt {REDACTED} secret {REDACTED}"
