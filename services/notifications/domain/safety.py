"""Webhook target safety: no request ever reaches the platform's own network by accident.

Checked at every attempt, after name resolution; the connection is then made to the very
address that was checked (see `SafeResolver`), so a name cannot resolve differently in between.
"""

from __future__ import annotations

import ipaddress
import socket

from aiohttp.abc import AbstractResolver
from aiohttp.resolver import ThreadedResolver
from yarl import URL

CGNAT = ipaddress.ip_network("100.64.0.0/10")


class UnsafeTarget(Exception):
    """The target resolves to an address webhooks may not reach."""


def unsafe_reason(address: str) -> str | None:
    """Why an IP address may not be a webhook target, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            reason = unsafe_reason(str(embedded))
            return f"IPv4-embedded {reason}" if reason else None
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64 of an IPv4 address
            reason = unsafe_reason(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
            return f"NAT64 {reason}" if reason else None
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("carrier-grade NAT", isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not globally routable", not ip.is_global),
    )
    for name, hit in checks:
        if hit:
            return f"{name} address {ip}"
    return None


def check_address(address: str, allow_private: bool) -> None:
    """Raise UnsafeTarget for an address webhooks may not reach."""
    if allow_private:
        return
    reason = unsafe_reason(address)
    if reason:
        raise UnsafeTarget(f"refused: the target resolves to a {reason}")


def target_host(url: str) -> str:
    """The host a webhook URL reaches, as the HTTP client (yarl) reads it; ValueError if none.

    yarl applies NFKC and IDNA (full-width digits and ideographic full stops become 127.0.0.1,
    a circled letter an ASCII one); the trailing dot of an absolute name is dropped and case is
    folded, so endpoint creation and delivery check the very same host.
    """
    host = URL(url).raw_host
    if not host:
        raise ValueError("the URL names no host")
    return host.rstrip(".").lower()


def literal_address(host: str) -> str | None:
    """The IP address a host names literally (dotted, IPv6, or integer forms), else None."""
    candidate = host.strip("[]")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        pass
    try:  # 2130706433, 0x7f000001, 017700000001, 127.1: what inet_aton would accept
        return socket.inet_ntoa(socket.inet_aton(candidate))
    except OSError:
        return None


class SafeResolver(AbstractResolver):
    """Resolves as usual, then refuses the whole name if any address is unsafe."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private
        self._inner = ThreadedResolver()

    async def resolve(self, host, port=0, family=socket.AF_INET):
        literal = literal_address(host)
        if literal is not None:
            check_address(literal, self.allow_private)
        results = await self._inner.resolve(host, port, family)
        for result in results:
            check_address(result["host"], self.allow_private)
        return results

    async def close(self) -> None:
        await self._inner.close()
