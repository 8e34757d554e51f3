"""Secrets taken out of text before it is logged.

An unexpected exception is logged with its traceback so it can be fixed, but its message may
quote whatever the failing code held: a merchant API key, a member-token signing secret, a JWT.
Logs are read by more people (and tools) than the database, so those are replaced by
`[REDACTED]` when the masked internal error is logged. Recognized by shape: API keys (`lk_...`),
JWTs (three base64url parts starting `eyJ`), and long base64url runs mixing upper and lower
case (member-token secrets are 64 such characters; ids and hex hashes never mix cases), plus
the exact values registered at start-up (the platform key, whose shape is the operator's).
"""

from __future__ import annotations

import re
import traceback

REDACTED = "[REDACTED]"

_SHAPES = re.compile(
    r"lk_[A-Za-z0-9_-]{20,}"  # merchant API keys
    r"|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"  # JWTs (header.payload.signature)
    r"|(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*[a-z])[A-Za-z0-9_-]{32,}"
)
_known: set[str] = set()


def register_secret(value: str | None) -> None:
    """Redact this exact value too (configured secrets with no recognizable shape)."""
    if value and len(value) >= 8:
        _known.add(value)


def redact(text: str) -> str:
    for secret in sorted(_known, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return _SHAPES.sub(REDACTED, text)


def redacted_traceback(error: BaseException) -> str:
    """The exception's traceback as text, secrets replaced (frames and types stay readable)."""
    return redact("".join(traceback.format_exception(error)))
