"""Secrets the service issues: merchant API keys (stored hashed) and member-token secrets."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

API_KEY_PREFIX = "lk_"
_API_KEY_PATTERN = re.compile(r"lk_[A-Za-z0-9_-]{43}")


def generate_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_api_key(value: str) -> bool:
    return _API_KEY_PATTERN.fullmatch(value) is not None


def key_prefix(key: str) -> str:
    return key[:10]


def same_secret(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_kid() -> str:
    return "k_" + secrets.token_urlsafe(9)


def new_member_token_secret() -> str:
    return secrets.token_urlsafe(48)
