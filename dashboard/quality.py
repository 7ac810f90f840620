"""Staff-only data-quality page: what was loaded when from where, and what is missing."""
from __future__ import annotations

from flask import request

from dashboard.db import PublishedData
from dashboard.templating import page


def register_quality_route(server, data: PublishedData) -> None:
    @server.route("/kwaliteit")
    def quality():
        return page("quality.html", request.args.get("taal"), home="/",
                    version=data.version().rsplit("/", 1)[-1], runs=data.rows("quality_runs"),
                    columns=data.rows("quality_columns"), unresolved=data.rows("quality_unresolved"),
                    regions=data.rows("quality_regions"))
