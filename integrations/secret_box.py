"""Secrets kept encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256), keyed from
LOYALTY_SECRET_KEY. Several comma-separated keys rotate: the first encrypts, every one of them
decrypts. A new key goes first; an old one may leave once every secret sealed with it has been
sealed again (connectStore seals with the first key)."""

from __future__ import annotations

import base64
import hashlib
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger("loyalty")

# Development only: a fixed, public key, so that a dev store survives restarts. Never used in
# production (settings refuse to start without LOYALTY_SECRET_KEY there).
_DEV_SEED = b"loyalty development secret key: not a secret, never for production"


class SecretKeyError(ValueError):
    pass


def dev_key() -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(_DEV_SEED).digest()).decode()


def parse_keys(value: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    for index, key in enumerate(keys):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(
                f"LOYALTY_SECRET_KEY key #{index + 1} is not a Fernet key (32 bytes, url-safe "
                "base64; make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')"
            ) from exc
    return keys


class FernetSecretBox:
    def __init__(self, keys: tuple[str, ...], *, development: bool = False) -> None:
        if not keys:
            raise SecretKeyError("no key")
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        self.development = development
        self._warned = False

    @classmethod
    def for_settings(cls, keys: tuple[str, ...]) -> FernetSecretBox:
        """Without keys (development only: production settings refuse that), the public
        development key; the server says so when it starts and when a secret is first used."""
        if keys:
            return cls(keys)
        return cls((dev_key(),), development=True)

    def warn_if_development(self) -> None:
        if self.development and not self._warned:
            self._warned = True
            log.warning(
                "LOYALTY_SECRET_KEY is not set: store webhook secrets are encrypted with the "
                "PUBLIC DEVELOPMENT KEY. Anyone can read them. Never run like this in production."
            )

    def seal(self, plain: str) -> str:
        self.warn_if_development()
        return self._fernet.encrypt(plain.encode()).decode()

    def open(self, sealed: str) -> str:
        self.warn_if_development()
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError(
                "a stored secret opens with none of the keys in LOYALTY_SECRET_KEY "
                "(was a key removed before rotation finished?)"
            ) from exc
