"""Where a request comes from: the one answer that throttles, lockouts and audit events share.

Without trusted proxies (the default) the client is the peer of the connection, REMOTE_ADDR,
and X-Forwarded-For is ignored: anyone can write that header, so believing it would let a
stranger dodge a throttle or put another address in the audit trail. Behind a reverse proxy,
ALONGSIDE_TRUSTED_PROXIES lists its addresses or networks; a request whose peer is one of them
has its client read from X-Forwarded-For, right to left, skipping the hops that are our own
proxies (whatever a client wrote further left is not believed either).
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip
from python_ipware.modern.parsers import IpAddressType, parse_ip, split_proxy_chain

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: IpAddressType | None) -> bool:
    """Whether `address` is one of the reverse proxies in ALONGSIDE_TRUSTED_PROXIES."""
    networks = _trusted_networks(tuple(settings.ALONGSIDE_TRUSTED_PROXIES))
    return address is not None and any(
        address.version == network.version and address in network for network in networks
    )


def client_address(request: HttpRequest) -> str | None:
    """The address of the person behind this request, as far as our own proxies vouch for it."""
    peer = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(parse_ip(peer)):
        return peer
    hops = split_proxy_chain(request.META.get(FORWARDED_FOR, ""), strict=True)
    if not hops:  # no header, or a malformed one: the proxy itself is all we know
        return peer
    ours_at_the_end = 0
    while ours_at_the_end < len(hops) - 1 and is_trusted_proxy(hops[-1 - ours_at_the_end]):
        ours_at_the_end += 1
    address, _routable = get_client_ip(
        request,
        proxy_count=ours_at_the_end,
        request_header_order=[FORWARDED_FOR],
        strict=False,
    )
    return address or peer
