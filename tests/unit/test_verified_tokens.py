"""A verified member token is remembered, but never beyond what verification would allow:
expiry, rotation, revocation and the program's lifetime cap all still apply on a hit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from api.auth.member_tokens import MemberTokenKey, TokenRejected, issue_member_token
from api.auth.verified_tokens import VerifiedTokens

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def key(kid: str = "k1", secret: str = "s" * 64) -> MemberTokenKey:
    return MemberTokenKey(kid=kid, alg="HS256", secret=secret, public_key_pem=None, created_at=NOW)


def token(
    signing: MemberTokenKey, subject: str = "m-1", ttl: timedelta = timedelta(hours=1)
) -> str:
    return issue_member_token(tenant_slug="acme", key=signing, subject=subject, now=NOW, ttl=ttl)


def test_the_second_use_is_served_from_the_cache_with_the_same_claims() -> None:
    # given
    cache, current = VerifiedTokens(), key()
    presented = token(current)
    # when
    first = cache.verify(presented, tenant_slug="acme", keys=(current,), now=NOW)
    second = cache.verify(presented, tenant_slug="acme", keys=(current,), now=NOW)
    # then
    assert second == first
    assert (first.subject, cache.hits, cache.misses) == ("m-1", 1, 1)
    assert cache.issuer(presented) == "acme"


def test_a_cached_token_still_expires_on_time() -> None:
    # given a one-hour token verified once
    cache, current = VerifiedTokens(), key()
    presented = token(current)
    cache.verify(presented, tenant_slug="acme", keys=(current,), now=NOW)
    # when it is used again after its expiry (and the 30 s leeway)
    later = NOW + timedelta(hours=1, seconds=31)
    # then
    with pytest.raises(TokenRejected) as refused:
        cache.verify(presented, tenant_slug="acme", keys=(current,), now=later)
    assert refused.value.reason == "expired"


def test_a_key_rotated_out_refuses_its_cached_tokens_at_once() -> None:
    # given a token verified with k1, then k1 replaced by k2
    cache, old, new = VerifiedTokens(), key("k1"), key("k2", "t" * 64)
    presented = token(old)
    cache.verify(presented, tenant_slug="acme", keys=(old,), now=NOW)
    # when
    with pytest.raises(TokenRejected) as refused:
        cache.verify(presented, tenant_slug="acme", keys=(new,), now=NOW)
    # then
    assert (refused.value.reason, cache.hits) == ("unknown_kid", 0)


def test_a_key_whose_secret_changed_under_the_same_kid_is_not_trusted_from_the_cache() -> None:
    # given a token verified with k1, then k1 re-created with another secret
    cache, old, replaced = VerifiedTokens(), key("k1"), key("k1", "u" * 64)
    presented = token(old)
    cache.verify(presented, tenant_slug="acme", keys=(old,), now=NOW)
    # when
    with pytest.raises(TokenRejected) as refused:
        cache.verify(presented, tenant_slug="acme", keys=(replaced,), now=NOW)
    # then
    assert refused.value.reason == "bad_signature"


def test_a_lowered_lifetime_cap_applies_to_cached_tokens() -> None:
    # given a 20-day token verified while the program allowed 30 days
    cache, current = VerifiedTokens(), key()
    presented = token(current, ttl=timedelta(days=20))
    cache.verify(
        presented, tenant_slug="acme", keys=(current,), now=NOW, max_lifetime=timedelta(days=30)
    )
    # when the merchant lowers the cap to 7 days
    with pytest.raises(TokenRejected) as refused:
        cache.verify(
            presented, tenant_slug="acme", keys=(current,), now=NOW, max_lifetime=timedelta(days=7)
        )
    # then
    assert refused.value.reason == "lifetime_too_long"


def test_a_token_of_one_tenant_is_never_accepted_for_another_from_the_cache() -> None:
    cache, current = VerifiedTokens(), key()
    presented = token(current)
    cache.verify(presented, tenant_slug="acme", keys=(current,), now=NOW)
    with pytest.raises(TokenRejected) as refused:
        cache.verify(presented, tenant_slug="globex", keys=(current,), now=NOW)
    assert refused.value.reason == "wrong_issuer"


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    # given room for two tokens
    cache, current = VerifiedTokens(max_tokens=2), key()
    a, b, c = (token(current, subject) for subject in ("a", "b", "c"))
    for presented in (a, b, a, c):  # b is the least recently used when c arrives
        cache.verify(presented, tenant_slug="acme", keys=(current,), now=NOW)
    # when
    cache.verify(a, tenant_slug="acme", keys=(current,), now=NOW)
    cache.verify(b, tenant_slug="acme", keys=(current,), now=NOW)
    # then a was still cached, b had to be verified again
    assert (cache.hits, cache.misses) == (2, 4)
