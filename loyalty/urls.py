"""Which URLs a merchant may hand to the apps: https with a host, nothing else."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MAX_URL = 2048
# What a client would follow as a link rather than show as a name or an emoji.
_LINK = re.compile(
    r"^(//|[A-Za-z][A-Za-z0-9+.-]*://|(data|javascript|vbscript|file|blob|http|https):)", re.I
)


def is_https_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        secure = parts.scheme == "https" and bool(parts.hostname) and len(value) <= MAX_URL
    except ValueError:
        return False
    return secure and not any(c.isspace() for c in value)


def looks_like_link(value: str) -> bool:
    """A URL of any scheme (or scheme-relative), as opposed to "mdi:star" or "🪔"."""
    return _LINK.match(value.strip()) is not None
