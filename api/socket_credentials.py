"""Who a WebSocket speaks for: the upgrade request's headers, then the connection_init payload.

Browsers cannot set headers on a WebSocket, so graphql-ws clients (Apollo's `connectionParams`)
send `{"authorization": "Bearer <token>", "accept-language": "ar"}` in `connection_init`; native
clients may keep sending headers. What the payload names wins over the headers. The socket keeps
these credentials (not the principal they gave) so every operation can check them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

# connection_init payload keys, matched case-insensitively, as HTTP header names are.
_FIELDS = {"authorization": "authorization", "x-tenant": "tenant", "accept-language": "language"}


@dataclass(frozen=True)
class Credentials:
    authorization: str | None = None
    tenant: str | None = None
    language: str | None = None

    @classmethod
    def of_headers(cls, headers: Mapping[str, str]) -> Credentials:
        return cls(
            authorization=headers.get("authorization"),
            tenant=headers.get("x-tenant"),
            language=headers.get("accept-language"),
        )

    def with_payload(self, payload: Mapping[str, object]) -> Credentials:
        """These credentials overridden by a connection_init payload's. A value that is not a
        string is kept as its text, so a malformed credential is refused, not ignored."""
        found: dict[str, str] = {}
        for key, value in payload.items():
            field = _FIELDS.get(str(key).lower())
            if field is not None and value is not None:
                found[field] = value if isinstance(value, str) else repr(value)
        return replace(self, **found)

    @property
    def presented(self) -> bool:
        """A credential that can lapse (expire, be revoked) and so needs re-checking."""
        return bool(self.authorization)
