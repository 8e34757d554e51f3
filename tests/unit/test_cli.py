"""The operator commands of `loyalty` (in-process, on the embedded store)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api import cli, token_command
from api.auth.member_tokens import verify_member_token
from api.settings import Settings
from loyalty.ports import Deps
from loyalty.tenants import MemberKey
from loyalty.usecases.program import ProgramChanges, update_program
from loyalty.usecases.tenants import create_tenant


@dataclass
class _Runtime:
    deps: Deps


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
    # then it says how to reach a running demo instead
    assert code == 1
    assert capsys.readouterr().err.strip() == (
        "unknown tenant 'nope' (memory:// is this command's own empty store: for a running "
        "`loyalty demo`, pass the --kid and --secret it printed)"
    )


@pytest.mark.parametrize("ttl", ["0s", "366d", "1y"])
def test_token_ttl_must_be_reasonable(ttl: str) -> None:
    # when / then
    with pytest.raises(SystemExit):
        cli.main(["token", "member", "--tenant", "acme", "--member", "c1", "--ttl", ttl])


def _signed(ttl: str) -> list[str]:
    return [
        *["token", "member", "--tenant", "demo", "--member", "new-shopper", "--ttl", ttl],
        *["--kid", "k_demo", "--secret", SECRET],
    ]


SECRET = "s" * 48


def test_token_member_signs_with_a_given_key_without_opening_a_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # given the kid and secret a running demo printed (this process has no tenant at all)
    # when
    code = cli.main(_signed("30d"))
    # then the token verifies with that key, for the new shopper, for 30 days
    token = capsys.readouterr().out.strip()
    assert code == 0
    now = datetime.now(UTC)
    key = MemberKey("k_demo", "HS256", SECRET, None, now)
    claims = verify_member_token(
        token, tenant_slug="demo", keys=(key,), now=now, max_lifetime=timedelta(days=30)
    )
    assert claims.subject == "new-shopper"


def test_token_member_refuses_a_ttl_over_the_member_token_lifetime(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # when a token longer than the default memberTokenMaxDays (30) is asked for
    code = cli.main(_signed("31d"))
    # then none is printed
    out = capsys.readouterr()
    assert (code, out.out) == (1, "")
    assert out.err.strip() == (
        "--ttl is longer than the program's member-token lifetime of 30 days "
        "(memberTokenMaxDays): the server would refuse the token"
    )


async def test_token_member_follows_the_program_lifetime_read_from_the_store(
    deps: Deps, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a tenant whose program allows 7-day member tokens, in the store the command reads
    created = await create_tenant(
        deps, slug="acme", name="Acme", currency="SAR", default_locale="en"
    )
    await update_program(deps, created.tenant, ProgramChanges(member_token_max_days=7))
    monkeypatch.setattr("api.app.build_runtime", lambda settings: _Runtime(deps))
    args = ["token", "member", "--tenant", "acme", "--member", "c1"]
    # when
    over = await token_command.token_member(
        Settings(), cli._parser().parse_args([*args, "--ttl", "8d"]), deps.clock.now()
    )
    within = await token_command.token_member(
        Settings(), cli._parser().parse_args([*args, "--ttl", "7d"]), deps.clock.now()
    )
    # then
    out = capsys.readouterr()
    assert (over, within) == (1, 0)
    assert "lifetime of 7 days" in out.err
    assert out.out.count(".") == 2  # one JWT


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
