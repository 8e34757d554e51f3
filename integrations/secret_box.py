"""Secrets at rest (webhook signing secrets): Fernet tokens under the keys in
`LOYALTY_SECRET_KEY`.

The variable holds one or more Fernet keys, comma-separated. The first key encrypts; every key
decrypts. To rotate: put a new key first and keep the old ones after it; once everything was
re-saved under the new key (or the secrets were replaced), drop the old ones. A key is made
with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.

Without the variable (development only; production refuses to start) a fixed, published key
is used: secrets stored that way are readable by anyone with this source."""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

DEVELOPMENT_KEY = "a20Usdn3VmK5_NKRjI67VYcSBsYU90HtH5aXKmYOBhY="


class SecretKeyError(Exception):
    pass


class SecretBox:
    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretKeyError("LOYALTY_SECRET_KEY holds no key")
        try:
            self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except (ValueError, TypeError) as exc:
            raise SecretKeyError(
                "LOYALTY_SECRET_KEY: each key must be 32 url-safe base64-encoded bytes"
            ) from exc

    @classmethod
    def from_setting(cls, value: str | None) -> SecretBox:
        """`value`: LOYALTY_SECRET_KEY as configured (None: the development key)."""
        if value is None:
            return cls([DEVELOPMENT_KEY])
        return cls([key.strip() for key in value.split(",") if key.strip()])

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyError(
                "a stored secret cannot be decrypted with any key in LOYALTY_SECRET_KEY"
            ) from exc

    def rotate(self, token: str) -> str:
        """The same secret under the first key (for re-saving after a rotation)."""
        return self._fernet.rotate(token.encode()).decode()
