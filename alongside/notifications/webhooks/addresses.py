"""Where a webhook may be sent: never into the network Alongside runs in (SSRF).

An endpoint's address is a partner's public HTTPS server. Checked twice:

- when it is saved (`check_endpoint_url`): https only, no user or password in it, and no host
  that names this machine or a private network (localhost, .local, .internal, a private or
  loopback address written as such);
- when each delivery goes (`public_address`): the host is resolved and every address it has
  must be public (`is_global`: not private, loopback, link-local, shared, reserved or
  multicast). The delivery then connects to that very address, so a name that resolves to a
  public address when checked and to a private one a moment later (DNS rebinding) cannot
  reach inside. Redirects are never followed.

`settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES` (true in DEBUG and tests only) lifts both checks,
and allows http for localhost, so a developer's receiver on 127.0.0.1 can be used.
"""

import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from alongside.core.errors import DomainError

LOCAL_NAMES = ("localhost", "localhost.localdomain")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefusedError(Exception):
    """The endpoint's host is, or resolves to, an address a webhook may not go to."""


def private_addresses_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False))


def check_endpoint_url(url: str) -> str:
    """The address, stripped, if a webhook may be sent there; else DomainError saying why."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise DomainError(_("Enter the full address, starting with https://."))
    if parts.username or parts.password:
        raise DomainError(
            _("Leave the user name and password out of the address: each delivery is signed.")
        )
    if parts.scheme != "https" and not (parts.scheme == "http" and _is_local_allowed(host)):
        raise DomainError(_("The address must start with https://."))
    if not private_addresses_allowed() and _names_private_network(host):
        raise DomainError(
            _("The address must be a public server on the internet, not a private network.")
        )
    _ensure_port(parts)
    return url


def public_address(host: str, port: int) -> str:
    """The address to connect to for this host: its first, once every one is public.

    Raises AddressRefusedError naming the problem (never the host), or OSError when it does not
    resolve.
    """
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise OSError("no address")
    if not private_addresses_allowed():
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%")[0])):
                raise AddressRefusedError("Refused: the host resolves to a private address")
    return addresses[0]


def _is_local_allowed(host: str) -> bool:
    return private_addresses_allowed() and (host in LOCAL_NAMES or host in ("127.0.0.1", "::1"))


def _names_private_network(host: str) -> bool:
    try:
        return not _is_public(ipaddress.ip_address(host))
    except ValueError:
        # A name: a single label ("intranet") or a local suffix names a private network; any
        # other is checked when it is resolved, at each delivery.
        return host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES) or "." not in host


def _is_public(address: IpAddress) -> bool:
    """Whether `address` is on the public internet. An IPv6 address that carries an IPv4 one
    (mapped, 6to4, or through a NAT64 gateway) is judged by the IPv4 one it reaches."""
    if isinstance(address, ipaddress.IPv6Address):
        address = _carried_ipv4(address) or address
    return address.is_global and not address.is_multicast


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.ipv4_mapped or address.sixtofour


def _ensure_port(parts: SplitResult) -> None:
    try:
        parts.port  # noqa: B018 (reading it checks it)
    except ValueError as error:
        raise DomainError(_("The address's port is not a number from 1 to 65535.")) from error
