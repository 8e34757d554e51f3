from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api.auth.member_tokens import (
    MemberClaims,
    MemberTokenKey,
    TokenRejected,
    issue_member_token,
    new_hs256_key,
    unverified_issuer,
    validate_public_key,
    verify_member_token,
)

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())
TENANT = "acme"


# --------------------------------------------------------------------------- helpers


@cache
def rsa_private(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


@cache
def ec_private(curve_name: str = "p256") -> ec.EllipticCurvePrivateKey:
    curve: ec.EllipticCurve = ec.SECP256R1() if curve_name == "p256" else ec.SECP384R1()
    return ec.generate_private_key(curve)


def public_pem(private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        private.public_key()
        .public_bytes(
            serialization.Encoding.PEM,
            serialization.PublicFormat.SubjectPublicKeyInfo,
        )
        .decode()
    )


def hs_key(kid: str = "k_hs1", secret: str = "s" * 64) -> MemberTokenKey:
    return MemberTokenKey(kid=kid, alg="HS256", secret=secret, public_key_pem=None, created_at=NOW)


def rs_key(kid: str = "k_rs1") -> MemberTokenKey:
    return MemberTokenKey(
        kid=kid,
        alg="RS256",
        secret=None,
        public_key_pem=public_pem(rsa_private()),
        created_at=NOW,
    )


def es_key(kid: str = "k_es1") -> MemberTokenKey:
    return MemberTokenKey(
        kid=kid,
        alg="ES256",
        secret=None,
        public_key_pem=public_pem(ec_private()),
        created_at=NOW,
    )


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": TENANT,
        "sub": "cust-42",
        "aud": "loyalty",
        "iat": NOW_TS - 60,
        "exp": NOW_TS + 3600,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hs_token(payload: dict[str, Any], key: MemberTokenKey) -> str:
    assert key.secret is not None
    return jwt.encode(payload, key.secret, algorithm="HS256", headers={"kid": key.kid})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_token(header: dict[str, Any], payload: dict[str, Any], hmac_secret: bytes | None) -> str:
    """Build a JWT by hand (pyjwt refuses to forge the tokens we need to test)."""
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())
    if hmac_secret is None:
        return signing_input + "."
    signature = hmac.new(hmac_secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def verify(token: str, keys: list[MemberTokenKey], **kwargs: Any) -> MemberClaims:
    kwargs.setdefault("tenant_slug", TENANT)
    kwargs.setdefault("now", NOW)
    return verify_member_token(token, keys=keys, **kwargs)


def rejection(token: str, keys: list[MemberTokenKey], **kwargs: Any) -> str:
    with pytest.raises(TokenRejected) as info:
        verify(token, keys, **kwargs)
    if token:
        assert token not in str(info.value)
    return info.value.reason


# --------------------------------------------------------------------------- accepted tokens


def test_valid_hs256_token_is_accepted_with_exact_claims() -> None:
    # given a tenant HS256 key and a token issued with it
    key = hs_key()
    token = hs_token(claims(), key)

    # when the token is verified
    result = verify(token, [key])

    # then the claims are returned exactly
    assert result == MemberClaims(
        issuer="acme",
        subject="cust-42",
        issued_at=datetime(2025, 6, 1, 11, 59, 0, tzinfo=UTC),
        expires_at=datetime(2025, 6, 1, 13, 0, 0, tzinfo=UTC),
        kid="k_hs1",
    )


def test_issue_member_token_round_trips() -> None:
    # given a freshly generated HS256 key
    key = new_hs256_key(NOW)

    # when a token is issued and then verified
    token = issue_member_token(
        tenant_slug=TENANT, key=key, subject="cust-7", now=NOW, ttl=timedelta(minutes=15)
    )
    result = verify(token, [key])

    # then the header and claims are as issued
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    assert result == MemberClaims(
        issuer="acme",
        subject="cust-7",
        issued_at=NOW,
        expires_at=NOW + timedelta(minutes=15),
        kid=key.kid,
    )


def test_issue_member_token_refuses_non_hs256_keys() -> None:
    # given an RS256 key
    key = rs_key()

    # when / then issuing with it fails
    with pytest.raises(ValueError, match="only HS256 keys"):
        issue_member_token(
            tenant_slug=TENANT, key=key, subject="cust-7", now=NOW, ttl=timedelta(minutes=5)
        )


def test_new_hs256_key_shape() -> None:
    # when two keys are generated
    first = new_hs256_key(NOW)
    second = new_hs256_key(NOW)

    # then they have the documented shape and differ
    assert first.kid.startswith("k_")
    assert len(first.kid) == 14
    assert first.alg == "HS256"
    assert first.secret is not None
    assert len(first.secret) == 64
    assert first.public_key_pem is None
    assert first.created_at == NOW
    assert first.kid != second.kid
    assert first.secret != second.secret
    assert first.secret not in repr(first)


def test_rotation_accepts_tokens_from_either_key() -> None:
    # given a tenant with an old and a new HS256 key
    old = hs_key("k_old", "o" * 64)
    new = hs_key("k_new", "n" * 64)

    # when tokens from each are verified against both keys
    from_old = verify(hs_token(claims(sub="a"), old), [old, new])
    from_new = verify(hs_token(claims(sub="b"), new), [old, new])

    # then both are accepted, with the kid that verified them
    assert (from_old.subject, from_old.kid) == ("a", "k_old")
    assert (from_new.subject, from_new.kid) == ("b", "k_new")


def test_rotation_token_of_removed_key_is_unknown_kid() -> None:
    # given a token from a key that has since been removed
    old = hs_key("k_old", "o" * 64)
    new = hs_key("k_new", "n" * 64)
    token = hs_token(claims(), old)

    # when / then it is rejected as unknown_kid
    assert rejection(token, [new]) == "unknown_kid"


def test_rs256_token_is_accepted() -> None:
    # given a merchant RS256 public key and a token signed with the private key
    key = rs_key()
    token = jwt.encode(claims(), rsa_private(), algorithm="RS256", headers={"kid": key.kid})

    # when verified
    result = verify(token, [hs_key(), key])

    # then it is accepted
    assert (result.subject, result.kid) == ("cust-42", "k_rs1")


def test_es256_token_is_accepted() -> None:
    # given a merchant ES256 public key and a token signed with the private key
    key = es_key()
    token = jwt.encode(claims(), ec_private(), algorithm="ES256", headers={"kid": key.kid})

    # when verified
    result = verify(token, [key])

    # then it is accepted
    assert (result.subject, result.kid) == ("cust-42", "k_es1")


def test_rs256_token_signed_by_another_private_key_is_bad_signature() -> None:
    # given a token signed with an RSA key that is not the tenant's
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(claims(), other, algorithm="RS256", headers={"kid": "k_rs1"})

    # when / then
    assert rejection(token, [rs_key()]) == "bad_signature"


# --------------------------------------------------------------------------- algorithm abuse


def test_alg_none_token_is_rejected() -> None:
    # given an unsigned token naming an existing HS256 key
    token = raw_token({"alg": "none", "typ": "JWT", "kid": "k_hs1"}, claims(), None)

    # when / then it is refused before any signature check
    assert rejection(token, [hs_key()]) == "alg_not_allowed"


def test_hs256_token_forged_with_rs256_public_pem_is_rejected() -> None:
    # given an HS256 token whose HMAC secret is the tenant's RS256 public key PEM
    key = rs_key()
    assert key.public_key_pem is not None
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    token = raw_token(header, claims(), key.public_key_pem.encode())

    # when / then the algorithm is not the key's own, so it is refused
    assert rejection(token, [key]) == "alg_not_allowed"


def test_hs256_token_forged_with_es256_public_pem_is_rejected() -> None:
    # given an HS256 token whose HMAC secret is the tenant's ES256 public key PEM
    key = es_key()
    assert key.public_key_pem is not None
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    token = raw_token(header, claims(), key.public_key_pem.encode())

    # when / then
    assert rejection(token, [key]) == "alg_not_allowed"


def test_rs256_header_on_hs256_key_is_rejected() -> None:
    # given an RS256-signed token naming an HS256 key's kid
    token = jwt.encode(claims(), rsa_private(), algorithm="RS256", headers={"kid": "k_hs1"})

    # when / then
    assert rejection(token, [hs_key()]) == "alg_not_allowed"


def test_key_with_unusable_pem_is_bad_signature() -> None:
    # given a stored RS256 key whose PEM does not load
    key = MemberTokenKey(
        kid="k_rs1", alg="RS256", secret=None, public_key_pem="not a pem", created_at=NOW
    )
    token = jwt.encode(claims(), rsa_private(), algorithm="RS256", headers={"kid": "k_rs1"})

    # when / then verification does not crash
    assert rejection(token, [key]) == "bad_signature"


def test_key_with_pem_of_wrong_type_is_bad_signature() -> None:
    # given a stored ES256 key whose PEM is actually an RSA key
    key = MemberTokenKey(
        kid="k_es1",
        alg="ES256",
        secret=None,
        public_key_pem=public_pem(rsa_private()),
        created_at=NOW,
    )
    token = jwt.encode(claims(), ec_private(), algorithm="ES256", headers={"kid": "k_es1"})

    # when / then
    assert rejection(token, [key]) == "bad_signature"


def test_another_tenants_secret_with_same_kid_is_bad_signature() -> None:
    # given another tenant's key with the same kid but a different secret
    ours = hs_key("k_shared", "a" * 64)
    theirs = hs_key("k_shared", "b" * 64)
    token = hs_token(claims(), theirs)

    # when / then
    assert rejection(token, [ours]) == "bad_signature"


# --------------------------------------------------------------------------- time checks


def test_expired_beyond_leeway_is_rejected() -> None:
    # given a token that expired 31 seconds ago (default leeway is 30 s)
    token = hs_token(claims(exp=NOW_TS - 31), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "expired"


def test_expired_within_leeway_is_accepted() -> None:
    # given a token that expired 30 seconds ago
    token = hs_token(claims(exp=NOW_TS - 30), hs_key())

    # when verified
    result = verify(token, [hs_key()])

    # then it is still accepted
    assert result.expires_at == NOW - timedelta(seconds=30)


def test_expiry_uses_now_argument_not_system_clock() -> None:
    # given a token valid in 2025 but verified "now" in 2030
    token = hs_token(claims(), hs_key())

    # when / then
    assert rejection(token, [hs_key()], now=datetime(2030, 1, 1, tzinfo=UTC)) == "expired"


def test_iat_in_future_beyond_leeway_is_rejected() -> None:
    # given a token issued 31 seconds in the future
    token = hs_token(claims(iat=NOW_TS + 31), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "issued_in_future"


def test_iat_in_future_within_leeway_is_accepted() -> None:
    # given a token issued 30 seconds in the future (clock skew)
    token = hs_token(claims(iat=NOW_TS + 30), hs_key())

    # when / then
    assert verify(token, [hs_key()]).issued_at == NOW + timedelta(seconds=30)


def test_nbf_in_future_is_not_yet_valid() -> None:
    # given a token not valid before 5 minutes from now
    token = hs_token(claims(nbf=NOW_TS + 300), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "not_yet_valid"


def test_nbf_in_past_is_accepted() -> None:
    # given a token whose nbf has passed
    token = hs_token(claims(nbf=NOW_TS - 10), hs_key())

    # when / then
    assert verify(token, [hs_key()]).subject == "cust-42"


def test_naive_now_is_a_programming_error() -> None:
    # given a naive datetime
    token = hs_token(claims(), hs_key())

    # when / then
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(token, [hs_key()], now=datetime(2025, 6, 1, 12, 0, 0))


# --------------------------------------------------------------------------- claims


def test_wrong_audience_is_rejected() -> None:
    # given a token for another audience
    token = hs_token(claims(aud="other-service"), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "wrong_audience"


def test_wrong_issuer_is_rejected() -> None:
    # given a token claiming to be from another tenant, verified for acme
    token = hs_token(claims(iss="globex"), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "wrong_issuer"


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "iss", "aud"])
def test_missing_required_claim_is_rejected(claim: str) -> None:
    # given a token without one required claim
    payload = claims()
    del payload[claim]
    token = hs_token(payload, hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "missing_claim"


@pytest.mark.parametrize("subject", ["", "x" * 129, 42])
def test_invalid_subject_is_malformed(subject: object) -> None:
    # given a token whose sub is empty, too long or not a string
    token = hs_token(claims(sub=subject), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "malformed"


def test_subject_of_128_chars_is_accepted() -> None:
    # given a token whose sub is exactly 128 characters
    token = hs_token(claims(sub="x" * 128), hs_key())

    # when / then
    assert verify(token, [hs_key()]).subject == "x" * 128


def test_non_numeric_exp_is_malformed() -> None:
    # given a token whose exp is a string
    token = hs_token(claims(exp="tomorrow"), hs_key())

    # when / then
    assert rejection(token, [hs_key()]) == "malformed"


def test_missing_kid_is_rejected() -> None:
    # given a token without a kid header
    key = hs_key()
    assert key.secret is not None
    token = jwt.encode(claims(), key.secret, algorithm="HS256")

    # when / then
    assert rejection(token, [key]) == "missing_kid"


def test_unknown_kid_is_rejected() -> None:
    # given a token naming a kid the tenant does not have
    token = hs_token(claims(), hs_key("k_nope"))

    # when / then
    assert rejection(token, [hs_key()]) == "unknown_kid"


@pytest.mark.parametrize("garbage", ["garbage", "", "a.b.c", "x" * 10_000])
def test_garbage_is_malformed(garbage: str) -> None:
    # when / then
    assert rejection(garbage, [hs_key()]) == "malformed"


def test_rejection_message_has_no_secret() -> None:
    # given a token signed with a different secret
    secret = "topsecret" * 8
    token = hs_token(claims(), hs_key(secret=secret))

    # when
    with pytest.raises(TokenRejected) as info:
        verify(token, [hs_key()])

    # then the message only carries the reason
    assert str(info.value) == "member token rejected: bad_signature"
    assert info.value.reason == "bad_signature"


# --------------------------------------------------------------------------- unverified_issuer


def test_unverified_issuer_reads_iss_without_verifying() -> None:
    # given a token signed with a key we do not know
    token = hs_token(claims(iss="globex"), hs_key(secret="z" * 64))

    # when / then
    assert unverified_issuer(token) == "globex"


def test_unverified_issuer_ignores_expiry() -> None:
    # given an expired token
    token = hs_token(claims(exp=1), hs_key())

    # when / then
    assert unverified_issuer(token) == "acme"


def test_unverified_issuer_without_iss_is_missing_claim() -> None:
    # given a token without iss
    token = hs_token(claims(iss=None), hs_key())

    # when
    with pytest.raises(TokenRejected) as info:
        unverified_issuer(token)

    # then
    assert info.value.reason == "missing_claim"


@pytest.mark.parametrize("token", ["garbage", "", "a.b.c"])
def test_unverified_issuer_of_garbage_is_malformed(token: str) -> None:
    # when
    with pytest.raises(TokenRejected) as info:
        unverified_issuer(token)

    # then
    assert info.value.reason == "malformed"


def test_unverified_issuer_with_non_string_iss_is_malformed() -> None:
    # given a token whose iss is a number (built by hand: pyjwt refuses to encode it)
    token = raw_token({"alg": "HS256", "kid": "k_hs1"}, claims(iss=7), b"s" * 64)

    # when
    with pytest.raises(TokenRejected) as info:
        unverified_issuer(token)

    # then
    assert info.value.reason == "malformed"


# --------------------------------------------------------------------------- validate_public_key


def test_validate_public_key_accepts_matching_keys() -> None:
    # when / then no error for RSA-2048 with RS256 and P-256 with ES256
    validate_public_key("RS256", public_pem(rsa_private()))
    validate_public_key("ES256", public_pem(ec_private()))


@pytest.mark.parametrize(
    ("alg", "pem_source", "message"),
    [
        ("RS256", "garbage", "not a valid PEM"),
        ("RS256", "ec_p256", "requires an RSA public key"),
        ("RS256", "rsa_1024", "at least 2048 bits"),
        ("ES256", "rsa_2048", "requires an EC public key"),
        ("ES256", "ec_p384", "curve P-256"),
        ("HS256", "rsa_2048", "must be RS256 or ES256"),
        ("ES256", "", "not a valid PEM"),
    ],
)
def test_validate_public_key_rejects_bad_keys(alg: str, pem_source: str, message: str) -> None:
    # given a PEM that does not load or does not suit the algorithm
    pems = {
        "garbage": "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n",
        "": "",
        "ec_p256": public_pem(ec_private()),
        "ec_p384": public_pem(ec_private("p384")),
        "rsa_1024": public_pem(rsa_private(1024)),
        "rsa_2048": public_pem(rsa_private()),
    }

    # when / then
    with pytest.raises(ValueError, match=message):
        validate_public_key(alg, pems[pem_source])
