"""Pages for residents, served in both apps: the accessibility statement, "Mijn buurt" (a buurt or wijk in
plain words: its figures against the gemeente and the Netherlands, its initiatives and its wijkagenda) and every
figure by theme and CBS group (``/cijfers``).

Server-rendered HTML (autoescaped Jinja templates in ``dashboard/templates``, the council pages' print CSS), so
their text reads without JavaScript and prints well. Their addresses are in ``dashboard/urls.py``,
their words in ``dashboard/words.toml``.
"""
from __future__ import annotations

from babel.dates import format_date
from flask import abort, request

from dashboard import urls
from dashboard.templating import page
from dashboard.text import INDICATOR_THEMES, LOCALES, label, language, percent

WCAG_LEVEL = "WCAG 2.1 AA"


def page_lang() -> str:
    return language(request.args.get(urls.LANG_KEY, "nl"))


def long_date(day, lang: str) -> str:
    """A date as written in a sentence.

    >>> from datetime import date
    >>> long_date(date(2026, 12, 31), "nl"), long_date(date(2026, 3, 1), "en")
    ('31 december 2026', '1 March 2026')
    """
    return format_date(day, "d MMMM y", locale=LOCALES[language(lang)])


def my_area(data, code: str, lang: str) -> dict | None:
    """What the page of a buurt or wijk tells: per theme its figures in sentences (newest year, with source),
    the initiatives in it and the items of its wijk's agenda, from whichever file the app reads."""
    from dashboard import views
    from dashboard.agenda_view import agenda_items
    from dashboard.present.plain import sentence
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
            "source": views.sources(data).text(own["source_table"], ind["source"], year), "year": year})
    key = "buurt_code" if region["level"] == "buurt" else "wijk_code"
    initiatives = [{"name": i["name"], "description": i["description"], "organisation": i["organisation"],
                    "theme": label("theme", i["theme"], lang), "status": label("status", i["status"], lang)}
                   for i in views.initiatives(data) if i.get(key) == code]
    wijk_code = code if region["level"] == "wijk" else region.get("wijk_code")
    agenda = [{"title": a["title"], "description": a["description"], "status": label("status", a["status"], lang),
               "progress": None if a["progress"] is None else percent(float(a["progress"]), lang),
               "due": long_date(a["due"], lang) if a["due"] else None}
              for a in (agenda_items(data, [wijk_code]) if wijk_code else []) if not a["parent_id"]]
    return {"region": region, "level": label("level", region["level"], lang),
            "gemeente": names.get(gemeente, gemeente), "wijk": names.get(region.get("wijk_code")),
            "themes": [(label("theme", th, lang), themes[th]) for th in INDICATOR_THEMES if th in themes],
            "initiatives": initiatives, "agenda": agenda, "wijk_code": wijk_code}


def contact_link(contact: str | None) -> str | None:
    """``mailto:`` for an e-mail address, the page itself for an https:// address."""
    if not contact:
        return None
    return contact if contact.startswith("https://") else f"mailto:{contact}"


def register_resident_routes(server, data, settings) -> None:
    @server.route(urls.ACCESSIBILITY)
    def accessibility():
        lang = page_lang()
        other = "en" if lang == "nl" else "nl"
        return page("toegankelijkheid.html", lang, level=WCAG_LEVEL, contact=settings.contact,
                    contact_href=contact_link(settings.contact), map_href=urls.home_url(lang=lang),
                    other_lang=other, other_href=urls.accessibility_url(other))

    @server.route(urls.MY_AREA)
    def my_area_page(code: str):
        from dashboard import views
        from dashboard.db import NotPublished
        from dashboard.state import is_code

        lang = page_lang()
        if not is_code(code):
            abort(404)
        try:
            found = my_area(data, code, lang)
            footer = views.sources(data).footer()
        except NotPublished:
            abort(503)
        if found is None:
            abort(404)
        other = "en" if lang == "nl" else "nl"
        return page("mijn_buurt.html", lang, area=found, map_href=urls.home_url(code, lang), other_lang=other,
                    other_href=urls.my_area_url(code, other), a11y_href=urls.accessibility_url(lang),
                    footer=footer)

    @server.route(urls.CATALOGUE)
    def catalogue_page():
        from dashboard import views
        from dashboard.db import NotPublished

        lang = page_lang()
        try:
            themes = views.catalogue_page(data, lang)
            footer = views.sources(data).footer()
        except NotPublished:
            abort(503)
        other = "en" if lang == "nl" else "nl"
        return page("catalogue.html", lang, themes=themes, count=sum(
                        len(th["featured"]) + sum(len(g) for _, g in th["groups"]) for th in themes),
                    map_href=urls.home_url(lang=lang), other_lang=other, other_href=urls.catalogue_url(other),
                    a11y_href=urls.accessibility_url(lang), footer=footer)
