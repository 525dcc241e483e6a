"""The address of the person at the other end, seen through the platform's own proxies.

Every request reaches a service through nginx, and sign-ins through the portal too, so
`REMOTE_ADDR` is a proxy's. `X-Forwarded-For` is read from the right, skipping the addresses of
trusted proxies (`TRUSTED_PROXIES`, CIDR networks): the first untrusted address is the client.
A client cannot forge its way past this: whatever it writes into the header stays left of the
address the first trusted proxy saw, and that one is untrusted, so the walk stops there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """CIDR strings as networks (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted) -> str | None:
    """The client's address: REMOTE_ADDR unless a trusted proxy sent it, then the header's
    rightmost address that is not a trusted proxy's."""
    address = remote_addr
    if not address or not _trusted(address, trusted):
        return address
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = hop
        if not _trusted(hop, trusted):
            break
    return address


def of_request(request) -> str | None:
    """`client_address` of a Flask request, with the app's TRUSTED_PROXIES."""
    from flask import current_app

    trusted = current_app.extensions.get("trusted_proxies")
    if trusted is None:
        trusted = networks(current_app.config.get("TRUSTED_PROXIES", ()))
        current_app.extensions["trusted_proxies"] = trusted
    return client_address(request.remote_addr, request.headers.get("X-Forwarded-For"), trusted)
