"""Pages for residents, served in both apps: the accessibility statement and "Mijn buurt" (a buurt or wijk in
plain words: its figures against the gemeente and the Netherlands, its initiatives and its wijkagenda).

Server-rendered HTML (autoescaped Jinja templates in ``dashboard/templates``, the council pages' print CSS), so
their text reads without JavaScript and prints well. The URLs of these pages are built here and nowhere else.
"""
from __future__ import annotations

from flask import Response, abort, request

from dashboard.i18n import INITIATIVE_THEMES, LANGUAGES, LEVELS, STATUSES, THEMES, label, number, t

ACCESSIBILITY_PATH = "/toegankelijkheid"
MY_AREA_PATH = "/mijn-buurt/"
WCAG_LEVEL = "WCAG 2.1 AA"


def page_lang() -> str:
    lang = request.args.get("taal", "nl")
    return lang if lang in LANGUAGES else "nl"


def with_lang(path: str, lang: str) -> str:
    """``/toegankelijkheid`` in Dutch, ``/toegankelijkheid?taal=en`` in English."""
    return path if lang == "nl" else f"{path}?taal={lang}"


def accessibility_url(lang: str = "nl") -> str:
    return with_lang(ACCESSIBILITY_PATH, lang)


def my_area_url(code: str, lang: str = "nl") -> str:
    """``/mijn-buurt/BU99990101``: a buurt's or wijk's page for residents."""
    return with_lang(f"{MY_AREA_PATH}{code}", lang)


def map_url(code: str | None, lang: str) -> str:
    query = [f"regio={code}"] if code else []
    query += ["taal=en"] if lang == "en" else []
    return "/?" + "&".join(query) if query else "/"


MONTHS = {"nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                  "november", "december"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}


def long_date(day, lang: str) -> str:
    """A date as written in a sentence.

    >>> from datetime import date
    >>> long_date(date(2026, 12, 31), "nl"), long_date(date(2026, 3, 1), "en")
    ('31 december 2026', '1 March 2026')
    """
    return f"{day.day} {MONTHS['en' if lang == 'en' else 'nl'][day.month - 1]} {day.year}"


def my_area(data, code: str, lang: str) -> dict | None:
    """What the page of a buurt or wijk tells: per theme its figures in sentences (newest year, with source),
    the initiatives in it and the items of its wijk's agenda, from whichever file the app reads."""
    from dashboard import views
    from dashboard.agenda_view import agenda_items
    from dashboard.present.plain import sentence
    from dashboard.present.sources import source_text
    from etl.codes import NEDERLAND

    region = views.region(data, code)
    if region is None or region["level"] not in ("buurt", "wijk"):
        return None
    gemeente = region.get("gemeente_code")
    names = {r["code"]: r["name"] for r in data.rows("region_names", ([c for c in (gemeente, region.get("wijk_code"))
                                                                       if c],))}
    available = views.available(data)
    themes: dict[str, list[dict]] = {}
    for ind in views.indicators(data):
        years = available.years_of(ind["id"], region["level"])
        if not years:
            continue
        year = years[-1]
        rows = {r["code"]: r for r in data.rows("compare_values", (ind["id"], year, [code, gemeente, NEDERLAND]))}
        own = rows.get(code)
        if own is None or own["value"] is None:
            continue
        compared = {"gemeente": (rows.get(gemeente) or {}).get("value"),
                    "nederland": (rows.get(NEDERLAND) or {}).get("value")}
        themes.setdefault(ind["theme"], []).append({
            "id": ind["id"],
            "text": sentence(ind["id"], own["value"], compared, ind["unit"], own["status"] == "estimate", lang,
                             ind["label_nl" if lang == "nl" else "label_en"]),
            "source": source_text(own["source_table"], ind["source"], year), "year": year})
    key = "buurt_code" if region["level"] == "buurt" else "wijk_code"
    initiatives = [{"name": i["name"], "description": i["description"], "organisation": i["organisation"],
                    "theme": label(INITIATIVE_THEMES, i["theme"], lang), "status": label(STATUSES, i["status"], lang)}
                   for i in views.initiatives(data) if i.get(key) == code]
    wijk_code = code if region["level"] == "wijk" else region.get("wijk_code")
    agenda = [{"title": a["title"], "description": a["description"], "status": label(STATUSES, a["status"], lang),
               "progress": None if a["progress"] is None else number(float(round(a["progress"])), lang, 0),
               "due": long_date(a["due"], lang) if a["due"] else None}
              for a in (agenda_items(data, [wijk_code]) if wijk_code else []) if not a["parent_id"]]
    return {"region": region, "level": label(LEVELS, region["level"], lang),
            "gemeente": names.get(gemeente, gemeente), "wijk": names.get(region.get("wijk_code")),
            "themes": [(label(THEMES, th, lang), themes[th]) for th in THEMES if th in themes],
            "initiatives": initiatives, "agenda": agenda, "wijk_code": wijk_code}


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

    @server.route(f"{MY_AREA_PATH}<code>")
    def my_area_page(code: str):
        from dashboard.db import NotPublished
        from dashboard.state import is_code

        lang = page_lang()
        if not is_code(code):
            abort(404)
        try:
            found = my_area(data, code, lang)
        except NotPublished:
            abort(503)
        if found is None:
            abort(404)
        other = "en" if lang == "nl" else "nl"
        html = templates.get_template("mijn_buurt.html").render(
            lang=lang, t=lambda key: t(key, lang), area=found, map_href=map_url(code, lang), other_lang=other,
            other_href=my_area_url(code, other), a11y_href=accessibility_url(lang))
        return Response(html, mimetype="text/html")
