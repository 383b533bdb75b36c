"""The client's address, as the log-in throttles and the audit log see it.

``REMOTE_ADDR`` is the peer that opened the connection. Behind the production reverse proxy
that is the proxy itself, and the client's address is in ``X-Forwarded-For``, which anyone
can also send. The header is believed only from the proxies named in
``QYZMET_TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``; default
none): read from the right, the first address that is not a trusted proxy is the client's.
From any other peer the header is ignored.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(request) -> str:
    """The client's IP address (text); ``""`` when the peer's address is not an IP."""
    networks = _networks(tuple(getattr(settings, "QYZMET_TRUSTED_PROXIES", ()) or ()))
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return ""
    if not _trusted(peer, networks):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # not an address: what the nearest trusted proxy saw is all we know
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
