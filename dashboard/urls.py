"""Every address wijkbeeld serves, in one place: the route patterns the server registers and the links that
pages, templates and the browser follow.

A leaf: it imports nothing from wijkbeeld, so any module may use it. The browser's script spells no address
itself; it receives what it needs (:func:`for_the_browser`) on the page.

>>> briefing_url("WK999900", pdf=True, lang="en")
'/briefing/WK999900.pdf?taal=en'
>>> view_query({"indicator": "aardgas", "year": 2023, "region": "BU99990001"})
'?indicator=aardgas&jaar=2023&regio=BU99990001'
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

DEFAULT_LANG = "nl"

# The map page's query: view field → key in the URL. Dutch, since the URL ends up in council documents.
VIEW_KEYS = {"theme": "thema", "indicator": "indicator", "year": "jaar", "level": "niveau", "scheme": "indeling",
             "k": "klassen", "fixed": "vast", "region": "regio", "lat": "lat", "lon": "lon", "zoom": "zoom",
             "lang": "taal", "layer": "laag"}
LANG_KEY = VIEW_KEYS["lang"]
INITIATIVE_KEYS = {"theme": "thema", "status": "status", "gemeente": "gemeente"}
COMPARE_KEYS = {"codes": "codes", "indicators": "indicatoren", "year": "jaar", "start": "regio"}
BRIEFING_MAP_KEY = "kaart"   # the indicator the briefing's map is coloured by

# --- route patterns -----------------------------------------------------------------------------------------
HOME = "/"
GEOMETRY = "/geometry/<version>/<name>"
ANY_GEOMETRY = "/geometry/<path:anything>"
VALUES = "/values/<version>/<lang>/<indicator>/<int:year>/<level>.json"
INITIATIVES = "/initiatieven/<version>.geojson"
EXPORT_VIEW_CSV = "/export/kaart.csv"
EXPORT_VIEW_GEOJSON = "/export/kaart.geojson"
EXPORT_PROFILE = "/export/profiel/<code>.csv"
QUALITY = "/kwaliteit"
BRIEFING = "/briefing/<name>"
COMPARE = "/vergelijk"
ACCESSIBILITY = "/toegankelijkheid"     # the accessibility statement (both apps)
MY_AREA = "/mijn-buurt/<code>"          # a buurt or wijk in plain words, for residents (both apps)
CATALOGUE = "/cijfers"                  # every figure by theme and CBS group (both apps)
VENDOR = "/vendor/<name>"            # third-party scripts the page loads (dashboard/vendor), versioned by name
REGENERATOR_RUNTIME = "/vendor/regenerator-runtime-0.13.11.js"
BUNDLE = "/bundle/<name>"            # the page's own scripts and styles, one file each (dashboard/bundle.py)
HEALTHZ = "/healthz"     # the process answers
READYZ = "/readyz"       # a published version can be read
HEALTH = (HEALTHZ, READYZ)   # no login and no rate limit: they show no data
# what costs the server work per request: limited per client in the public app (and by nginx, deploy/)
EXPENSIVE_PREFIXES = ("/_dash-update-component", "/export/", "/briefing/", "/vergelijk", "/initiatieven/",
                      "/mijn-buurt/")
# the wijkagenda's pages (dashboard/editing/): a wijk's agenda, an item, a new item, the spreadsheet out and in,
# the history as CSV, per wijk or for all of it; and the roles page
AGENDA = "/wijkagenda"
AGENDA_WIJK = "/wijkagenda/<wijk>"
AGENDA_NEW = "/wijkagenda/<wijk>/nieuw"
AGENDA_ITEM = "/wijkagenda/punt/<path:item_id>"
AGENDA_XLSX_ALL = "/wijkagenda.xlsx"
AGENDA_XLSX = "/wijkagenda/<wijk>.xlsx"
AGENDA_HISTORY_ALL = "/wijkagenda/historie.csv"
AGENDA_HISTORY = "/wijkagenda/<wijk>/historie.csv"
AGENDA_IMPORT_ALL = "/wijkagenda/inlezen"
AGENDA_IMPORT = "/wijkagenda/<wijk>/inlezen"
ROLES = "/beheer/rollen"
# the staff app's own pages: in the public app they answer 404 rather than falling through to the map page
STAFF_PATHS = ("/export/<path:rest>", QUALITY, "/briefing/<path:rest>", COMPARE, AGENDA, AGENDA_XLSX_ALL,
               "/wijkagenda/<path:rest>", "/beheer/<path:rest>")


def _query(pairs: list[tuple[str, object]]) -> str:
    return "?" + urlencode(pairs) if pairs else ""


def _lang(lang: str | None) -> list[tuple[str, str]]:
    return [(LANG_KEY, lang)] if lang and lang != DEFAULT_LANG else []


# --- the map page and its files -------------------------------------------------------------------------------

def view_query(view: dict) -> str:
    """The map page's query for a view (field → value, see :data:`VIEW_KEYS`); ``None`` values are left out."""
    return "?" + urlencode([(VIEW_KEYS[field], value) for field, value in view.items() if value is not None])


def home_url(region: str | None = None, lang: str | None = None) -> str:
    """The map page, showing ``region``."""
    return HOME + _query(([(VIEW_KEYS["region"], region)] if region else []) + _lang(lang))


def bundle_url(name: str) -> str:
    return f"/bundle/{quote(name)}"


def geometry_url(version: str, year: int, level: str, overview: bool = False, gemeente: str | None = None) -> str:
    """The geometry file for a level: the regions of one ``gemeente`` while the map shows only that gemeente (etl
    publish writes one per gemeente for wijken and buurten), else all of them, the buurten from their overview
    when the map shows the country or a province."""
    if gemeente is not None:
        return f"/geometry/{version}/{year}-{level}-{gemeente}.geojson"
    return f"/geometry/{version}/{year}-{level}{'-overzicht' if overview and level == 'buurt' else ''}.geojson"


def values_url(version: str, lang: str, indicator: str, year: int | None, level: str) -> str:
    """The figures of one view as the tooltips say them."""
    return f"/values/{version}/{lang}/{quote(indicator)}/{year}/{level}.json"


def initiatives_url(version: str, themes, statuses, gemeente: str | None = None) -> str:
    """The (static, cacheable) file of the initiatives of these themes and statuses; only those in ``gemeente``
    while the map shows that gemeente on its own."""
    return f"/initiatieven/{version}.geojson?" + urlencode(
        [(INITIATIVE_KEYS["theme"], th) for th in themes] + [(INITIATIVE_KEYS["status"], st) for st in statuses]
        + ([(INITIATIVE_KEYS["gemeente"], gemeente)] if gemeente else []))


# --- the residents' pages (both apps) -------------------------------------------------------------------------

def accessibility_url(lang: str | None = None) -> str:
    """``/toegankelijkheid`` in Dutch, ``/toegankelijkheid?taal=en`` in English."""
    return ACCESSIBILITY + _query(_lang(lang))


def catalogue_url(lang: str | None = None) -> str:
    """Every figure by theme and CBS group.

    >>> catalogue_url(), catalogue_url("en")
    ('/cijfers', '/cijfers?taal=en')
    """
    return CATALOGUE + _query(_lang(lang))


def indicator_url(indicator: str, lang: str | None = None) -> str:
    """The map page on one indicator.

    >>> indicator_url("woz_waarde")
    '/?indicator=woz_waarde'
    """
    return HOME + _query([(VIEW_KEYS["indicator"], indicator)] + _lang(lang))


def my_area_url(code: str, lang: str | None = None) -> str:
    """A buurt's or wijk's page for residents.

    >>> my_area_url("BU99990101"), my_area_url("WK999901", "en")
    ('/mijn-buurt/BU99990101', '/mijn-buurt/WK999901?taal=en')
    """
    return f"/mijn-buurt/{quote(code)}" + _query(_lang(lang))


# --- the staff pages ------------------------------------------------------------------------------------------

def export_view_url(kind: str, query: str = "") -> str:
    """The current view (``query`` as the map page has it) as ``csv`` or ``geojson``."""
    return {"csv": EXPORT_VIEW_CSV, "geojson": EXPORT_VIEW_GEOJSON}[kind] + query


def export_profile_url(code: str) -> str:
    return f"/export/profiel/{quote(code)}.csv"


def quality_url(lang: str | None = None) -> str:
    return QUALITY + _query(_lang(lang))


def briefing_url(code: str, pdf: bool = False, lang: str | None = None) -> str:
    return f"/briefing/{quote(code)}{'.pdf' if pdf else ''}" + _query(_lang(lang))


def compare_url(code: str | None = None, lang: str | None = None) -> str:
    """The comparison page, starting from ``code``."""
    return COMPARE + _query(([(COMPARE_KEYS["start"], code)] if code else []) + _lang(lang))


def agenda_url(wijk: str | None = None, what: str = "", lang: str | None = None, **query) -> str:
    """The agenda pages of a wijk (``what``: ``nieuw``, ``inlezen``, ``.xlsx``, ``historie.csv``), or of all wijken
    (``wijk`` None); ``query`` e.g. ``bovenliggend=WA-01`` for a new sub-item.

    >>> agenda_url("WK999901", "nieuw", "en"), agenda_url(None, ".xlsx"), agenda_url("WK999901", ".xlsx")
    ('/wijkagenda/WK999901/nieuw?taal=en', '/wijkagenda.xlsx', '/wijkagenda/WK999901.xlsx')
    """
    path = AGENDA + (f"/{quote(wijk)}" if wijk else "")
    if what:
        path += what if what.startswith(".") else f"/{what}"
    return path + _query([*query.items(), *_lang(lang)])


def agenda_item_url(item_id: str, lang: str | None = None, **query) -> str:
    """An agenda item's page; ``query``: e.g. ``corrigeer=12``, ``bericht=opgeslagen``, ``bovenliggend=WA-01``."""
    return f"{AGENDA}/punt/{quote(item_id, safe='')}" + _query([*query.items(), *_lang(lang)])


def roles_url(lang: str | None = None) -> str:
    return ROLES + _query(_lang(lang))


def for_the_browser() -> dict:
    """What ``assets/wijkbeeld.js`` needs to write the view into the address bar and the download links."""
    return {"view_keys": VIEW_KEYS, "default_lang": DEFAULT_LANG, "initiative_keys": INITIATIVE_KEYS,
            "exports": {"csv": EXPORT_VIEW_CSV, "geojson": EXPORT_VIEW_GEOJSON}}
