"""Pages for residents, served in both apps: the accessibility statement (and, later, "Mijn buurt").

Server-rendered HTML (autoescaped Jinja templates in ``dashboard/templates``, the council pages' print CSS), so
their text reads without JavaScript and prints well. The URLs of these pages are built here and nowhere else.
"""
from __future__ import annotations

from flask import Response, request

from dashboard.i18n import LANGUAGES, t

ACCESSIBILITY_PATH = "/toegankelijkheid"
WCAG_LEVEL = "WCAG 2.1 AA"


def page_lang() -> str:
    lang = request.args.get("taal", "nl")
    return lang if lang in LANGUAGES else "nl"


def with_lang(path: str, lang: str) -> str:
    """``/toegankelijkheid`` in Dutch, ``/toegankelijkheid?taal=en`` in English."""
    return path if lang == "nl" else f"{path}?taal={lang}"


def accessibility_url(lang: str = "nl") -> str:
    return with_lang(ACCESSIBILITY_PATH, lang)


def contact_link(contact: str | None) -> str | None:
    """``mailto:`` for an e-mail address, the page itself for an https:// address."""
    if not contact:
        return None
    return contact if contact.startswith("https://") else f"mailto:{contact}"


def register_resident_routes(server, data, settings) -> None:
    from dashboard.council import templates

    @server.route(ACCESSIBILITY_PATH)
    def accessibility():
        lang = page_lang()
        html = templates.get_template("toegankelijkheid.html").render(
            lang=lang, t=lambda key: t(key, lang), level=WCAG_LEVEL, contact=settings.contact,
            contact_href=contact_link(settings.contact), map_href="/" if lang == "nl" else "/?taal=en",
            other_lang="en" if lang == "nl" else "nl",
            other_href=accessibility_url("en" if lang == "nl" else "nl"))
        return Response(html, mimetype="text/html")
