"""``wijkbeeld serve``: run the dashboard for one audience."""
from __future__ import annotations

import ipaddress
from pathlib import Path

from dashboard.db import NotPublished, PublishedData


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def serve(data_dir: Path, public: bool, host: str, port: int, progress=print) -> int:
    from dashboard.app import create_app

    audience = "public" if public else "staff"
    if not public and not is_loopback(host):
        progress("wijkbeeld: error: the staff dashboard has no login yet, so it only binds to 127.0.0.1; "
                 "use --public for the public map on other addresses")
        return 2
    try:
        PublishedData(data_dir, audience).version()
    except NotPublished as error:
        progress(f"wijkbeeld: error: {error}")
        return 1
    if not public:
        progress("staff dashboard on 127.0.0.1 only, for local use (no login)")
    app = create_app(data_dir, audience)
    progress(f"wijkbeeld ({audience}) on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False)
    return 0
