"""Which hosts an outbound webhook may reach: the public internet only (loyalty/public_hosts.py)."""

from __future__ import annotations

import pytest

from loyalty.public_hosts import address_literal, is_public_address, is_public_host


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "LOCALHOST.",
        "api.localhost",
        "printer.local",
        "metadata.google.internal",
        "router.home.arpa",
        "127.0.0.1",
        "127.1",  # the resolver's short form of 127.0.0.1
        "2130706433",  # 127.0.0.1 as one number
        "0x7f.0.0.1",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "224.0.0.1",  # multicast
        "::1",
        "[::1]",
        "fe80::1%eth0",
        "fd00::7",
        "::ffff:10.0.0.1",  # IPv4-mapped
        "2002:7f00:1::",  # 6to4 around 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "",
    ],
)
def test_local_names_and_non_public_addresses_are_refused(host: str) -> None:
    assert is_public_host(host) is False


@pytest.mark.parametrize(
    "host", ["hooks.acme.example", "example.com", "8.8.8.8", "2606:4700::1111", "localhost.com"]
)
def test_public_names_and_addresses_pass(host: str) -> None:
    assert is_public_host(host) is True


def test_address_literals_are_read_as_a_resolver_reads_them() -> None:
    # when / then
    assert [str(address_literal(h)) for h in ("127.1", "2130706433", "0x7f.0.0.1", "[::1]")] == [
        "127.0.0.1",
        "127.0.0.1",
        "127.0.0.1",
        "::1",
    ]
    assert address_literal("hooks.acme.example") is None


def test_resolved_addresses_are_judged_the_same_way() -> None:
    assert [is_public_address(a) for a in ("93.184.215.14", "10.0.0.7", "::ffff:127.0.0.1")] == [
        True,
        False,
        False,
    ]
