"""Who is at the other end: X-Forwarded-For believed only from the platform's own proxies."""

from __future__ import annotations

import pytest

from shared.client_address import client_address, networks
from shared.config import ConfigError, Settings

TRUSTED = networks(["10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", None, "203.0.113.7"),  # no proxy
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # a client's own header: ignored
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),  # through nginx
        ("10.0.0.5", "203.0.113.7, 10.0.0.6", "203.0.113.7"),  # nginx, then the portal
        ("10.0.0.5", "192.0.2.1, 203.0.113.7", "203.0.113.7"),  # a forged left part
        ("10.0.0.5", None, "10.0.0.5"),  # a proxy's own request
        ("10.0.0.5", "10.0.0.7, 10.0.0.6", "10.0.0.7"),  # only proxies: the farthest one
        ("10.0.0.5", "not-an-address", "not-an-address"),  # untrusted garbage stops the walk
        ("::1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_rightmost_address_no_trusted_proxy_owns(remote, forwarded, expected):
    assert client_address(remote, forwarded, TRUSTED) == expected


def test_a_bad_trusted_network_stops_the_service_at_start():
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES"):
        Settings(service="members", trusted_proxies=["10.0.0.0/33"])
