"""Member tokens: JWTs minted by a merchant (or by us, for HS256 keys) that identify a
loyalty member of one tenant.

Claims: ``iss`` = tenant slug, ``sub`` = the merchant's customer id, ``aud`` = "loyalty",
``exp`` and ``iat`` required, ``nbf`` honoured when present. The header ``kid`` selects one
of the tenant's keys (several may be valid at once, for rotation), and the only algorithm
accepted for a token is the selected key's own ``alg``.

Everything here is pure: no I/O, and the current time is always passed in. pyjwt's own
time checks are disabled (they read the system clock); all claim checks are done here.

Rejection order (first failure wins): malformed token, missing/unknown kid, algorithm,
signature, required claims, claim types, issuer, audience, subject, expiry, nbf, iat,
lifetime (exp - iat above the tenant's maximum, when one is given).
"""

from __future__ import annotations

import functools
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.types import Options

from loyalty.tenants import MemberKey

__all__ = [
    "ALLOWED_ALGORITHMS",
    "AUDIENCE",
    "MAX_SUBJECT_LENGTH",
    "MAX_TOKEN_LENGTH",
    "MemberClaims",
    "MemberTokenKey",
    "RejectReason",
    "TokenRejected",
    "check_times",
    "issue_member_token",
    "new_hs256_key",
    "unverified_issuer",
    "validate_public_key",
    "verify_member_token",
]

AUDIENCE: Final = "loyalty"
ALLOWED_ALGORITHMS: Final = frozenset({"HS256", "RS256", "ES256"})
MAX_SUBJECT_LENGTH: Final = 128
# Real member tokens are a few hundred bytes; anything far larger is refused before parsing.
MAX_TOKEN_LENGTH: Final = 8192
MIN_RSA_BITS: Final = 2048
REQUIRED_CLAIMS: Final = ("iss", "sub", "aud", "exp", "iat")

RejectReason = Literal[
    "malformed",
    "unknown_issuer",  # reserved for callers: the tenant named by ``iss`` does not exist
    "missing_kid",
    "unknown_kid",
    "alg_not_allowed",
    "bad_signature",
    "expired",
    "issued_in_future",
    "lifetime_too_long",
    "not_yet_valid",
    "wrong_audience",
    "wrong_issuer",
    "missing_claim",
]

# Every pyjwt claim check is off: they use the system clock, and we check claims ourselves.
_DECODE_OPTIONS: Final[Options] = {
    "verify_signature": True,
    "verify_exp": False,
    "verify_iat": False,
    "verify_nbf": False,
    "verify_aud": False,
    "verify_iss": False,
    "verify_sub": False,
    "verify_jti": False,
    "require": [],
}
_UNVERIFIED_OPTIONS: Final[Options] = {
    **_DECODE_OPTIONS,
    "verify_signature": False,
}


# The key type is the domain's: tenants store exactly what verification needs.
MemberTokenKey = MemberKey


@dataclass(frozen=True, slots=True)
class MemberClaims:
    issuer: str
    subject: str
    issued_at: datetime
    expires_at: datetime
    kid: str
    not_before: float | None = None


class TokenRejected(Exception):
    """A member token was refused. ``reason`` is a stable machine-readable code.

    The message never contains the token or any key material.
    """

    def __init__(self, reason: RejectReason) -> None:
        super().__init__(f"member token rejected: {reason}")
        self.reason: RejectReason = reason


# --------------------------------------------------------------------------- helpers


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")


def _valid_subject(value: object) -> bool:
    # Printable only: a U+202E (right-to-left override) or a control character in a customer
    # id would reorder or hide text wherever the id is shown, and enrolment refuses it.
    return isinstance(value, str) and 0 < len(value) <= MAX_SUBJECT_LENGTH and value.isprintable()


def _numeric_date(value: object) -> float:
    """A NumericDate claim as a finite float; bool, strings, NaN and infinities are malformed."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenRejected("malformed")
    try:
        number = float(value)
    except OverflowError:  # an integer such as 10**400: no float holds it
        raise TokenRejected("malformed") from None
    if not math.isfinite(number):
        raise TokenRejected("malformed")
    return number


def _to_datetime(timestamp: float) -> datetime:
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise TokenRejected("malformed") from None


@functools.lru_cache(maxsize=256)
def _load_public_key(alg: str, pem: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """Load ``pem`` and check it suits ``alg``; ValueError otherwise (message has no key data)."""
    try:
        key = load_pem_public_key(pem.encode("utf-8"))
    except Exception:  # ValueError, UnicodeError, UnsupportedAlgorithm, ...
        raise ValueError("public key is not a valid PEM-encoded public key") from None
    if alg == "RS256":
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("RS256 requires an RSA public key")
        if key.key_size < MIN_RSA_BITS:
            raise ValueError(f"RS256 requires an RSA key of at least {MIN_RSA_BITS} bits")
        return key
    if alg == "ES256":
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("ES256 requires an EC public key")
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("ES256 requires an EC key on curve P-256")
        return key
    raise ValueError("algorithm must be RS256 or ES256 for a public key")


def _verification_key(
    key: MemberTokenKey,
) -> str | rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """The material to verify with; TokenRejected("bad_signature") if the key is unusable."""
    if key.alg == "HS256":
        if not key.secret:
            raise TokenRejected("bad_signature")
        return key.secret
    if key.public_key_pem is None:
        raise TokenRejected("bad_signature")
    try:
        return _load_public_key(key.alg, key.public_key_pem)
    except ValueError:
        raise TokenRejected("bad_signature") from None


def _unverified_header(token: str) -> Mapping[str, Any]:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenRejected("malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenRejected("malformed") from None
    except (ValueError, TypeError):
        raise TokenRejected("malformed") from None
    if not isinstance(header, dict):
        raise TokenRejected("malformed")
    return header


# --------------------------------------------------------------------------- public API


def unverified_issuer(token: str) -> str:
    """Read ``iss`` WITHOUT verifying anything, only to find which tenant's keys to use.

    Never trust the result for anything else: call ``verify_member_token`` next.
    Raises TokenRejected("malformed") for an undecodable token or a non-string / empty ``iss``,
    TokenRejected("missing_claim") when ``iss`` is absent.
    """
    _unverified_header(token)
    try:
        payload = jwt.decode(token, options=_UNVERIFIED_OPTIONS)
    except jwt.PyJWTError:
        raise TokenRejected("malformed") from None
    except (ValueError, TypeError):
        raise TokenRejected("malformed") from None
    issuer = payload.get("iss")
    if issuer is None:
        raise TokenRejected("missing_claim")
    if not isinstance(issuer, str) or not issuer:
        raise TokenRejected("malformed")
    return issuer


def verify_member_token(
    token: str,
    *,
    tenant_slug: str,
    keys: Sequence[MemberTokenKey],
    now: datetime,
    leeway: timedelta = timedelta(seconds=30),
    max_lifetime: timedelta | None = None,
) -> MemberClaims:
    """Verify a member token for ``tenant_slug`` against that tenant's ``keys`` at time ``now``.

    Returns the verified claims or raises TokenRejected with a reason code.
    ``now`` must be timezone-aware (ValueError otherwise); ``leeway`` must not be negative.
    """
    _require_aware(now)
    if leeway < timedelta(0):
        raise ValueError("leeway must not be negative")

    header = _unverified_header(token)
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenRejected("missing_kid")
    key = next((k for k in keys if k.kid == kid), None)
    if key is None:
        raise TokenRejected("unknown_kid")

    # The only acceptable algorithm is the key's own: this is what stops "alg": "none" and
    # HS256 tokens "signed" with an RS/ES public key used as the HMAC secret.
    if key.alg not in ALLOWED_ALGORITHMS or header.get("alg") != key.alg:
        raise TokenRejected("alg_not_allowed")

    verification_key = _verification_key(key)
    try:
        payload = jwt.decode(
            token,
            key=verification_key,
            algorithms=[key.alg],
            options=_DECODE_OPTIONS,
        )
    except jwt.InvalidSignatureError:
        raise TokenRejected("bad_signature") from None
    except jwt.InvalidAlgorithmError:
        raise TokenRejected("alg_not_allowed") from None
    except jwt.InvalidKeyError:
        raise TokenRejected("bad_signature") from None
    except jwt.PyJWTError:
        raise TokenRejected("malformed") from None
    except (ValueError, TypeError):
        raise TokenRejected("malformed") from None

    for claim in REQUIRED_CLAIMS:
        if payload.get(claim) is None:
            raise TokenRejected("missing_claim")

    exp = _numeric_date(payload["exp"])
    iat = _numeric_date(payload["iat"])
    nbf = _numeric_date(payload["nbf"]) if payload.get("nbf") is not None else None

    issuer = payload["iss"]
    if not isinstance(issuer, str) or issuer != tenant_slug:
        raise TokenRejected("wrong_issuer")
    audience = payload["aud"]
    if not isinstance(audience, str) or audience != AUDIENCE:
        raise TokenRejected("wrong_audience")
    subject = payload["sub"]
    if not _valid_subject(subject):
        raise TokenRejected("malformed")

    claims = MemberClaims(
        issuer=issuer,
        subject=subject,
        issued_at=_to_datetime(iat),
        expires_at=_to_datetime(exp),
        kid=kid,
        not_before=nbf,
    )
    check_times(claims, now=now, leeway=leeway, max_lifetime=max_lifetime)
    return claims


def check_times(
    claims: MemberClaims,
    *,
    now: datetime,
    leeway: timedelta = timedelta(seconds=30),
    max_lifetime: timedelta | None = None,
) -> None:
    """The time checks of verification, also re-run on every use of a cached verification
    (api/auth/verified_tokens.py), so a cached token still expires on time."""
    exp, iat, nbf = claims.expires_at.timestamp(), claims.issued_at.timestamp(), claims.not_before
    now_ts = now.timestamp()
    leeway_s = leeway.total_seconds()
    if now_ts > exp + leeway_s:
        raise TokenRejected("expired")
    if nbf is not None and now_ts + leeway_s < nbf:
        raise TokenRejected("not_yet_valid")
    if iat > now_ts + leeway_s:
        raise TokenRejected("issued_in_future")
    if max_lifetime is not None and exp - iat > max_lifetime.total_seconds():
        raise TokenRejected("lifetime_too_long")


def issue_member_token(
    *,
    tenant_slug: str,
    key: MemberTokenKey,
    subject: str,
    now: datetime,
    ttl: timedelta,
) -> str:
    """Mint a member token with one of the tenant's HS256 keys (ValueError for other keys)."""
    _require_aware(now)
    if key.alg != "HS256" or not key.secret:
        raise ValueError("only HS256 keys with a secret can issue member tokens")
    if not tenant_slug:
        raise ValueError("tenant_slug must not be empty")
    if not _valid_subject(subject):
        raise ValueError(
            f"subject must be a non-empty string of at most {MAX_SUBJECT_LENGTH} characters"
        )
    if ttl <= timedelta(0):
        raise ValueError("ttl must be positive")
    issued_at = int(now.timestamp())
    claims = {
        "iss": tenant_slug,
        "sub": subject,
        "aud": AUDIENCE,
        "iat": issued_at,
        "exp": issued_at + max(1, int(ttl.total_seconds())),
    }
    return jwt.encode(claims, key.secret, algorithm="HS256", headers={"kid": key.kid})


def new_hs256_key(now: datetime) -> MemberTokenKey:
    """A fresh service-issued HS256 key: kid "k_" + 12 urlsafe chars, 48-byte random secret."""
    _require_aware(now)
    return MemberTokenKey(
        kid="k_" + secrets.token_urlsafe(9),  # 9 bytes -> exactly 12 base64url chars
        alg="HS256",
        secret=secrets.token_urlsafe(48),
        public_key_pem=None,
        created_at=now,
    )


def validate_public_key(alg: str, pem: str) -> None:
    """Check a merchant public key before storing it.

    ValueError if ``pem`` does not load, or does not suit ``alg``: RS256 needs an RSA key of at
    least 2048 bits, ES256 an EC key on P-256; any other ``alg`` is refused.
    """
    if alg not in ("RS256", "ES256"):
        raise ValueError("algorithm must be RS256 or ES256 for a public key")
    if not isinstance(pem, str) or not pem.strip():
        raise ValueError("public key is not a valid PEM-encoded public key")
    _load_public_key(alg, pem)
