from __future__ import annotations

import hashlib
import re

import pytest

from loyalty.credentials import (
    generate_api_key,
    hash_api_key,
    key_prefix,
    looks_like_api_key,
    same_secret,
)


def test_generate_api_key_format() -> None:
    # when a key is generated
    key = generate_api_key()

    # then it is "lk_" followed by 43 urlsafe characters
    assert re.fullmatch(r"lk_[A-Za-z0-9_-]{43}", key) is not None
    assert len(key) == 46


def test_generated_keys_differ() -> None:
    # when many keys are generated
    keys = {generate_api_key() for _ in range(100)}

    # then all are distinct
    assert len(keys) == 100


def test_hash_is_sha256_hex_and_stable() -> None:
    # given a key
    key = "lk_" + "A" * 43

    # when hashed twice
    first = hash_api_key(key)
    second = hash_api_key(key)

    # then the hash is the sha256 hex digest, every time
    assert first == hashlib.sha256(key.encode()).hexdigest()
    assert first == second
    assert len(first) == 64


def test_hash_differs_per_key() -> None:
    # given two keys
    a, b = generate_api_key(), generate_api_key()

    # when / then their hashes differ
    assert hash_api_key(a) != hash_api_key(b)


def test_looks_like_api_key_accepts_generated_keys() -> None:
    # when / then
    assert looks_like_api_key(generate_api_key()) is True


@pytest.mark.parametrize(
    "value",
    [
        "",
        "lk_",
        "lk_short",
        "pk_" + "A" * 43,
        "lk_" + "A" * 42,
        "lk_" + "A" * 44,
        "lk_" + "A" * 42 + "!",
        " lk_" + "A" * 43,
        "lk_" + "A" * 43 + "\n",
        "Bearer lk_" + "A" * 43,
    ],
)
def test_looks_like_api_key_rejects_other_values(value: str) -> None:
    # when / then
    assert looks_like_api_key(value) is False


def test_key_prefix_is_first_ten_characters() -> None:
    # given a key
    key = "lk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

    # when / then
    assert key_prefix(key) == "lk_abcdefg"


def test_same_secret() -> None:
    # when / then
    assert same_secret("platform-secret", "platform-secret") is True
    assert same_secret("platform-secret", "platform-secreT") is False
    assert same_secret("platform-secret", "platform-secret ") is False
    assert same_secret("", "") is True
    assert same_secret("clé", "clé") is True
    assert same_secret("clé", "cle") is False
