"""Who the client is: the peer, or, only when the peer is a trusted proxy, the address it forwarded.

``X-Forwarded-For`` is a list the client can start itself; each proxy appends the address it saw. Walking it
from the right and stopping at the first address that is not a trusted proxy gives the first address no one
we trust could have made up. From an untrusted peer the header is ignored altogether.
"""
from __future__ import annotations

import ipaddress

PEER = "wijkbeeld.peer"     # the socket's own REMOTE_ADDR, kept in the WSGI environ


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").split("]")[0])
    except ValueError:
        return None


def is_trusted(address: str, trusted) -> bool:
    ip = _address(address)
    return ip is not None and any(ip in network for network in trusted)


def client_address(peer: str, forwarded_for: str | None, trusted) -> str:
    """The client's address from the peer and its ``X-Forwarded-For``.

    >>> from dashboard.settings import parse_networks
    >>> proxy = parse_networks("127.0.0.1")
    >>> client_address("127.0.0.1", "203.0.113.9, 198.51.100.7", proxy)
    '198.51.100.7'
    >>> client_address("192.0.2.1", "198.51.100.7", proxy)   # not a proxy we trust: the header means nothing
    '192.0.2.1'
    """
    if not forwarded_for or not is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer          # a forged or garbled entry: fall back to what the socket says
        if not is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


class ForwardedClient:
    """WSGI middleware: ``REMOTE_ADDR`` becomes the client address; the socket's peer stays in ``PEER``."""

    def __init__(self, app, trusted):
        self.app, self.trusted = app, tuple(trusted)

    def __call__(self, environ, start_response):
        peer = environ.get("REMOTE_ADDR") or ""
        environ[PEER] = peer
        environ["REMOTE_ADDR"] = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), self.trusted)
        return self.app(environ, start_response)
