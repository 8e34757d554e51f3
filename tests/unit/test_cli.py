"""The operator commands of `loyalty` (in-process, on the embedded store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api import cli


def test_tenant_create_prints_credentials_once(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    code = cli.main(
        ["tenant", "create", "acme", "--name", "Acme", "--currency", "SAR", "--locale", "ar"]
    )
    # then
    out = capsys.readouterr().out
    assert code == 0
    lines = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    assert lines["tenant"].strip() == "acme"
    assert lines["admin API key"].strip().startswith("lk_")
    assert lines["events API key"].strip().startswith("lk_")


def test_tenant_create_reports_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    # when
    code = cli.main(
        ["tenant", "create", "acme", "--name", "Acme", "--currency", "XYZ", "--locale", "en"]
    )
    # then
    assert code == 1
    assert capsys.readouterr().err.strip() == '"XYZ" is not a valid ISO 4217 currency code.'


def test_token_member_refuses_an_unknown_tenant(capsys: pytest.CaptureFixture[str]) -> None:
    # when (each CLI run has its own embedded store, so no tenant exists)
    code = cli.main(["token", "member", "--tenant", "nope", "--member", "c1"])
    # then
    assert code == 1
    assert capsys.readouterr().err.strip() == "unknown tenant 'nope'"


@pytest.mark.parametrize("ttl", ["0s", "91d", "1y"])
def test_token_ttl_must_be_reasonable(ttl: str) -> None:
    # when / then
    with pytest.raises(SystemExit):
        cli.main(["token", "member", "--tenant", "acme", "--member", "c1", "--ttl", ttl])


def test_export_schema_check_detects_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a stale schema file
    monkeypatch.chdir(tmp_path)
    Path("schema.graphql").write_text("type Query { stale: Int }\n", encoding="utf-8")
    # when / then
    assert cli.main(["export-schema", "--check"]) == 1
    assert cli.main(["export-schema"]) == 0
    assert cli.main(["export-schema", "--check"]) == 0


def test_production_without_platform_key_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given
    monkeypatch.setenv("LOYALTY_ENV", "production")
    monkeypatch.delenv("LOYALTY_PLATFORM_KEY", raising=False)
    monkeypatch.setenv("LOYALTY_MONGODB_URI", "mongodb://db:27017")
    # when
    code = cli.main(["serve"])
    # then
    assert code == 2
    assert "production needs LOYALTY_PLATFORM_KEY" in capsys.readouterr().err
