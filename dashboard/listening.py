"""The addresses this process listens on, so that an app loaded by a WSGI server can check its own binding.

gunicorn loads the app in each worker after it has opened the listening sockets, which the worker inherits;
the settings alone cannot know a ``-b 0.0.0.0:8000`` given on gunicorn's own command line.
"""
from __future__ import annotations

import os
import socket

from dashboard.settings import LOCAL_ONLY, Settings, SettingsError, is_loopback


def listening_addresses() -> list[str]:
    """The local address of every listening TCP socket this process holds (Linux; empty elsewhere)."""
    addresses = []
    try:
        fds = [int(fd) for fd in os.listdir("/proc/self/fd")]
    except OSError:
        return addresses
    for fd in fds:
        try:
            if not os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                continue
            with socket.socket(fileno=os.dup(fd)) as sock:
                if sock.family in (socket.AF_INET, socket.AF_INET6) and \
                        sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
                    addresses.append(sock.getsockname()[0])
        except OSError:
            continue
    return addresses


def refuse_unsafe_listeners(settings: Settings) -> None:
    """A staff app without a login may only listen on loopback addresses."""
    if settings.audience == "staff" and not settings.login:
        exposed = [a for a in listening_addresses() if not is_loopback(a)]
        if exposed:
            raise SettingsError(f"listening on {', '.join(sorted(set(exposed)))}: {LOCAL_ONLY}")
