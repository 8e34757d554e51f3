"""Store secrets at rest: Fernet keys from LOYALTY_SECRET_KEY, rotated by listing the new key
first; production refuses to start without one."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from api.settings import Settings, SettingsError
from integrations.secret_box import FernetSecretBox, SecretKeyError, dev_key, parse_keys

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_a_sealed_secret_opens_and_does_not_show() -> None:
    box = FernetSecretBox((OLD,))
    sealed = box.seal("shpss_secret")
    assert "shpss_secret" not in sealed
    assert box.open(sealed) == "shpss_secret"


def test_rotation_new_key_first_old_ones_still_open() -> None:
    # given a secret sealed before rotation
    sealed_before = FernetSecretBox((OLD,)).seal("s1")
    # when the new key is listed first
    rotated = FernetSecretBox(parse_keys(f"{NEW}, {OLD}"))
    # then old secrets open, and new ones are sealed with the new key alone
    assert rotated.open(sealed_before) == "s1"
    assert FernetSecretBox((NEW,)).open(rotated.seal("s2")) == "s2"
    # and once the old key is dropped, what it sealed no longer opens
    with pytest.raises(SecretKeyError):
        FernetSecretBox((NEW,)).open(sealed_before)


def test_a_key_that_is_not_a_fernet_key_is_refused_clearly() -> None:
    with pytest.raises(SecretKeyError, match="key #2 is not a Fernet key"):
        parse_keys(f"{NEW},not-a-key")


def test_production_without_a_secret_key_does_not_start() -> None:
    settings = Settings(
        env="production",
        platform_key="p" * 32,
        mongodb_uri="mongodb://db.example:27017",
        secret_keys=(),
    )
    with pytest.raises(SettingsError, match="LOYALTY_SECRET_KEY"):
        settings.check()


def test_production_with_a_key_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_ENV", "production")
    monkeypatch.setenv("LOYALTY_PLATFORM_KEY", "p" * 32)
    monkeypatch.setenv("LOYALTY_MONGODB_URI", "mongodb://db.example:27017")
    monkeypatch.setenv("LOYALTY_SECRET_KEY", f"{NEW},{OLD}")
    assert Settings.from_env(read_dotenv=False).secret_keys == (NEW, OLD)


def test_a_malformed_key_in_the_environment_stops_startup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOYALTY_SECRET_KEY", "nope")
    with pytest.raises(SettingsError, match="not a Fernet key"):
        Settings.from_env(read_dotenv=False)


def test_development_falls_back_to_the_public_key_loudly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    box = FernetSecretBox.for_settings(())
    assert "PUBLIC DEVELOPMENT KEY" not in caplog.text  # a one-shot CLI command stays quiet
    assert FernetSecretBox((dev_key(),)).open(box.seal("x")) == "x"
    assert caplog.text.count("PUBLIC DEVELOPMENT KEY") == 1  # said once, when first used
