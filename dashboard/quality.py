"""Staff-only data-quality page: what was loaded when from where, and what is missing."""
from __future__ import annotations

from flask import request

from dashboard import urls
from dashboard.db import PublishedData
from dashboard.templating import page


def register_quality_route(server, data: PublishedData) -> None:
    @server.route(urls.QUALITY)
    def quality():
        lang = request.args.get(urls.LANG_KEY)
        return page("quality.html", lang, home=urls.home_url(lang=lang),
                    version=data.version().rsplit("/", 1)[-1], runs=data.rows("quality_runs"),
                    columns=data.rows("quality_columns"), unresolved=data.rows("quality_unresolved"),
                    regions=data.rows("quality_regions"))
