"""Configuration from the environment (and a `.env` file)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from dotenv import load_dotenv

from mongo.client import MEMORY_URI


class SettingsError(Exception):
    pass


@dataclass(frozen=True)
class Settings:
    mongodb_uri: str = MEMORY_URI
    db_name: str = "loyalty"
    env: str = "development"
    platform_key: str | None = None
    fcm_credentials: str | None = None
    scheduler_interval_seconds: float = 60.0
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    rate_limit_scale: float = 1.0  # multiplies every per-principal rate; 0 = no limits
    secret_key: str | None = None  # Fernet key(s) for secrets at rest, comma-separated
    traced: bool = False  # OpenTelemetry spans, when OTEL_EXPORTER_OTLP_ENDPOINT is set
    log_format: str = "text"  # or "json": one JSON object per line

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def graphiql(self) -> bool:
        return not self.is_production

    @classmethod
    def from_env(cls, *, read_dotenv: bool = True) -> Settings:
        if read_dotenv:
            load_dotenv(override=False)
        env = os.environ.get
        settings = cls(
            mongodb_uri=env("LOYALTY_MONGODB_URI", MEMORY_URI),
            db_name=env("LOYALTY_DB_NAME", "loyalty"),
            env=env("LOYALTY_ENV", "development"),
            platform_key=env("LOYALTY_PLATFORM_KEY") or None,
            fcm_credentials=env("LOYALTY_FCM_CREDENTIALS") or None,
            scheduler_interval_seconds=float(env("LOYALTY_SCHEDULER_INTERVAL_SECONDS", "60")),
            public_url=env("LOYALTY_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            log_level=env("LOYALTY_LOG_LEVEL", "INFO").upper(),
            rate_limit_scale=float(env("LOYALTY_RATE_LIMIT_SCALE", "1")),
            secret_key=env("LOYALTY_SECRET_KEY") or None,
            traced=bool(env("OTEL_EXPORTER_OTLP_ENDPOINT")),
            log_format=env("LOYALTY_LOG_FORMAT", "text").lower(),
        )
        settings.check()
        return settings

    def check(self) -> None:
        if self.env not in ("development", "production"):
            raise SettingsError("LOYALTY_ENV must be 'development' or 'production'")
        if self.scheduler_interval_seconds <= 0:
            raise SettingsError("LOYALTY_SCHEDULER_INTERVAL_SECONDS must be positive")
        if self.log_format not in ("text", "json"):
            raise SettingsError("LOYALTY_LOG_FORMAT must be 'text' or 'json'")
        if self.rate_limit_scale < 0:
            raise SettingsError("LOYALTY_RATE_LIMIT_SCALE must be 0 (off) or positive")
        if not self.is_production:
            return
        if not self.platform_key or len(self.platform_key) < 24:
            raise SettingsError("production needs LOYALTY_PLATFORM_KEY (24+ characters)")
        if self.mongodb_uri.startswith(MEMORY_URI):
            raise SettingsError("production needs a real MongoDB in LOYALTY_MONGODB_URI")
        if not self.secret_key:
            raise SettingsError("production needs LOYALTY_SECRET_KEY (Fernet keys for secrets)")
