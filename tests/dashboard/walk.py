"""Every route an app has, with example values for its variables: what the login tests walk."""
from __future__ import annotations

import re

from dashboard.urls import HEALTH


def every_path(server) -> list[str]:
    """One example path per route of ``server`` (a Flask app), the health checks left out."""
    version = server.config["WIJKBEELD_DATA"].version().rsplit("/", 1)[-1]
    examples = {"version": version, "name": "2024-buurt.geojson", "code": "WK999901", "package_name": "dash",
                "fingerprinted_path": "dash_renderer.min.js", "filename": "wijkbeeld.js"}
    paths = set()
    for rule in server.url_map.iter_rules():
        paths.add(re.sub(r"<(?:\w+:)?(\w+)>", lambda m: examples.get(m.group(1), "x"), rule.rule))
    return sorted(paths - set(HEALTH))
