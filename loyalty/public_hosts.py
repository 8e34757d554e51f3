"""Whether a host is on the public internet, for the URLs the server itself calls (outbound
webhooks): a merchant's endpoint must never make the server reach its own loopback, the
private network it runs in, or a cloud metadata address (169.254.169.254).

Pure: names are judged as written, addresses as given. The sender checks every address a name
resolves to again at send time (integrations/outbound_sender.py), since a public-looking name
can point anywhere."""

from __future__ import annotations

import ipaddress
import socket

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-use names (RFC 6761, 6762, 8375) and the usual cloud-internal suffix: they resolve
# inside the network the server runs in, if at all.
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa", ".localdomain")
# IPv6 prefixes that carry an IPv4 address a router may deliver to (NAT64, RFC 6052).
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def address_literal(host: str) -> Address | None:
    """The address a host names literally, in any form a resolver accepts ("127.1",
    "2130706433", "0x7f.0.0.1" are all 127.0.0.1); None for a name."""
    bare = host.strip("[]")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(bare))
    except (OSError, ValueError):
        return None


def is_public_address(address: Address | str) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared (CGNAT),
    reserved, documentation, multicast or unspecified, also when wrapped in IPv6."""
    found = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(found, ipaddress.IPv6Address):
        embedded = found.ipv4_mapped or found.sixtofour
        if embedded is None and found in NAT64:
            embedded = ipaddress.IPv4Address(int(found) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
    return found.is_global and not found.is_multicast


def is_public_host(host: str) -> bool:
    """False for `localhost` and other local names and for a non-public address literal."""
    name = host.strip().rstrip(".").lower()
    if not name:
        return False
    literal = address_literal(name)
    if literal is not None:
        return is_public_address(literal)
    return name not in LOCAL_NAMES and not name.endswith(LOCAL_SUFFIXES)
