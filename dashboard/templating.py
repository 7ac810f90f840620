"""The server-rendered pages (briefing, comparison, data quality): autoescaped Jinja templates in
``dashboard/templates``, each given ``t`` to say its words in the page's language; and JSON to put inside a
page's ``<script>``."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dashboard.text import language, t

TEMPLATES = Path(__file__).with_name("templates")

templates = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",)),
                        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(name: str, lang: str, **context) -> str:
    """The template ``name`` filled in; ``t(key, **values)`` in it says a word in ``lang``."""
    lang = language(lang)
    return templates.get_template(name).render(lang=lang, t=lambda key, **values: t(key, lang, **values), **context)


def page(name: str, lang: str, status: int = 200, **context) -> Response:
    return Response(render(name, lang, **context), status=status, mimetype="text/html")


def script_json(value) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators can end or break it.

    >>> script_json("</script>")
    '"\\\\u003c/script\\\\u003e"'
    """
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
