"""``wijkbeeld serve``: run the dashboard for one audience, safely by default."""
from __future__ import annotations

import ipaddress
from pathlib import Path

from dashboard.auth import AuthConfigError, configured_users, oidc_settings
from dashboard.db import NotPublished, PublishedData


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(data_dir: Path, public: bool, host: str, port: int, progress=print) -> int:
    from dashboard.app import create_app

    audience = "public" if public else "staff"
    users, oidc = {}, None
    if not public:
        try:
            users, oidc = configured_users(), oidc_settings()
        except AuthConfigError as error:
            progress(f"wijkbeeld: error: {error}")
            return 2
        if not users and not oidc:
            if not is_loopback(host):
                progress("wijkbeeld: error: the staff dashboard needs a login on any address but 127.0.0.1. "
                         "Set WIJKBEELD_USERS_FILE (make one with: wijkbeeld user add NAME --file users.txt) "
                         "or WIJKBEELD_OIDC_ISSUER; or use --public for the public map")
                return 2
            progress("staff dashboard without login, bound to 127.0.0.1 for local use only")
        else:
            progress(f"staff dashboard with login ({'OpenID Connect' if oidc and not users else f'{len(users)} users'})")
    try:
        PublishedData(data_dir, audience).version()
    except NotPublished as error:
        progress(f"wijkbeeld: error: {error}")
        return 1
    app = create_app(data_dir, audience, users=users, oidc=oidc)
    progress(f"wijkbeeld ({audience}) on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False)
    return 0
