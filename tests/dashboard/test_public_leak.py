"""The public map cannot show or be made to return private data.

A canary is planted in every private field of the demo inputs (contact details, internal notes, and
everything of non-public initiatives and agenda items). Then every public page, callback and file
route is walked, with ordinary and crafted requests, and the canary must never come back.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import openpyxl
import pytest

from dashboard.app import create_app
from dashboard.settings import Settings
from dashboard.db import PublishedData, open_read_only
from dashboard.text import INITIATIVE_THEMES, STATUSES
from etl import jobs
from etl.catalog import load_catalog
from etl.demo import DEMO_DIR, demo_files
from etl.publish import publish
from etl.wijkagenda import edits, store
from etl.wijkagenda.publish import publish_agenda
from tools.stress.serving import callback_payload

CANARY = "KANARIE7731"
HIDDEN = "eigen.schuldhulp_aanmeldingen"   # the demo's own indicator that is not declared public


def plant_canaries(folder: Path) -> tuple[Path, Path]:
    """Copies of the demo initiatives and agenda with the canary in every private field."""
    text = (DEMO_DIR / "initiatieven.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    for number, row in enumerate(rows):
        for field in ("contactpersoon", "email", "telefoon"):
            row[field] = f"{CANARY}-{field}-{number}"
        if row["openbaar"].strip().lower() != "ja":
            row["naam"] = f"{row['naam']} {CANARY}-private-name"
            row["omschrijving"] = f"{CANARY}-private-description"
            row["organisatie"] = f"{CANARY}-private-organisation"
    initiatives = folder / "initiatieven.csv"
    with open(initiatives, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)

    book = openpyxl.load_workbook(DEMO_DIR / "wijkagenda.xlsx")
    items, updates = book["agenda"], book["voortgang"]
    header = [c.value for c in items[1]]
    column = {name: header.index(name) for name in header}
    private = set()
    for row in items.iter_rows(min_row=2):
        row[column["notitie"]].value = f"{CANARY}-note"
        if str(row[column["openbaar"]].value).strip().lower() != "ja":
            private.add(row[column["id"]].value)
            row[column["titel"]].value = f"{CANARY}-private-title"
            row[column["omschrijving"]].value = f"{CANARY}-private-description"
            row[column["eigenaar"]].value = f"{CANARY}-private-owner"
    update_header = [c.value for c in updates[1]]
    for row in updates.iter_rows(min_row=2):
        row[update_header.index("notitie")].value = f"{CANARY}-update-note"
    assert private, "the demo agenda has non-public items to hide"
    linked = next(row for row in items.iter_rows(min_row=2)
                  if str(row[column["openbaar"]].value).strip().lower() == "ja")
    linked[column["indicator"]].value = HIDDEN        # a public item linked to an indicator that is not public
    agenda = folder / "wijkagenda.xlsx"
    book.save(agenda)
    return initiatives, agenda


def plant_own_figure_canaries(folder: Path) -> Path:
    """A copy of the demo's own figures with the canary in everything of the indicators not declared public."""
    book = openpyxl.load_workbook(DEMO_DIR / "eigen_cijfers.xlsx")
    sheet = book["indicatoren"]
    header = [c.value for c in sheet[1]]
    hidden = 0
    for row in sheet.iter_rows(min_row=2):
        if str(row[header.index("openbaar")].value).strip().lower() != "ja":
            hidden += 1
            for field in ("label", "bron", "omschrijving"):
                row[header.index(field)].value = f"{CANARY}-own-{field}"
    assert hidden, "the demo's own figures have an indicator that is not public"
    path = folder / "eigen_cijfers.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def canary_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("canary")
    inputs = tmp_path_factory.mktemp("canary-inputs")
    files = demo_files()
    for path in files["boundaries"]:
        jobs.load_boundaries(data_dir, file=path)
    for path in files["kerncijfers"]:
        jobs.load_kerncijfers(data_dir, file=path)
    for path in files["health"]:
        jobs.load_health(data_dir, file=path)
    jobs.load_eigen(data_dir, file=plant_own_figure_canaries(inputs))
    initiatives, agenda = plant_canaries(inputs)
    jobs.load_initiatives(data_dir, file=initiatives)
    jobs.load_agenda(data_dir, file=agenda)
    edit_with_canaries(data_dir)
    publish(data_dir, load_catalog(), progress=lambda m: None)
    edit_with_canaries(data_dir, "agenda-only")      # and through the quick publish of the agenda alone
    publish_agenda(data_dir, progress=lambda m: None)
    return data_dir


def edit_with_canaries(data_dir: Path, tag: str = "edit") -> None:
    """Edits as the dashboard makes them, with the canary in what is not public: an internal note of an update
    that is public, an update that is not public, a public note of an update of a private item, an item's internal
    note, and a public initiative linked to a private item (whose title holds the canary)."""
    con = store.connect(data_dir)
    try:
        items = store.items(con)
        public = next(i for i in items if i["public"])
        private = next(i for i in items if not i["public"])
        day = date(2026, 2, 1) if tag == "edit" else date(2026, 3, 1)
        for item, shown, note_shown in ((public, True, False), (public, False, True), (private, True, True)):
            edits.add_update(con, "anna", {"item_id": item["id"], "date": day, "progress": 50.0, "status": "loopt",
                                           "note": f"{CANARY}-{tag}-note", "public": shown, "note_public": note_shown})
        current = store.get_item(con, public["id"])
        edits.change_item(con, "anna", {**current, "note": f"{CANARY}-{tag}-item-note"}, current["revision"])
        edits.set_links(con, "anna", private["id"], [f"INI-{n:03d}" for n in range(1, 26)])
    finally:
        con.close()


def test_the_canaries_are_in_the_staff_file(canary_data_dir):
    """Otherwise the walk below proves nothing."""
    staff = (canary_data_dir / "published" / "staff.duckdb").read_bytes()
    assert staff.count(CANARY.encode()) > 10
    con = open_read_only(canary_data_dir / "published" / "staff.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM agenda_updates WHERE note LIKE ?", [f"{CANARY}-agenda-only%"]) \
            .fetchone()[0] == 3
        assert con.execute("SELECT count(*) FROM agenda_links").fetchone()[0] == 25
    finally:
        con.close()


def test_own_figures_not_declared_public_stay_in_the_staff_file(canary_data_dir):
    version = (canary_data_dir / "published").resolve()
    staff, public = (open_read_only(version / name) for name in ("staff.duckdb", "public.duckdb"))
    try:
        assert staff.execute("SELECT count(*) FROM observations WHERE indicator_id = ?", [HIDDEN]).fetchone()[0]
        assert staff.execute("SELECT count(*) FROM agenda_items WHERE indicator_id = ?", [HIDDEN]).fetchone()[0]
        for table, in public.execute("SELECT table_name FROM information_schema.tables").fetchall():
            dump = json.dumps(public.execute(f'SELECT * FROM "{table}"').fetchall(), default=str)
            assert HIDDEN not in dump, table
        public_own = public.execute("SELECT count(*) FROM indicators WHERE source = 'eigen'").fetchone()[0]
        assert public_own == staff.execute("SELECT count(*) FROM indicators WHERE source = 'eigen' AND public")\
            .fetchone()[0] > 0, "the public own figures do reach the public file"
    finally:
        staff.close()
        public.close()
    for path in (version / "geometry").glob("*"):
        assert HIDDEN.encode() not in path.read_bytes()


def test_no_published_public_file_holds_a_canary(canary_data_dir):
    version = (canary_data_dir / "published").resolve()
    for path in version.rglob("*"):
        if path.is_file() and path.name != "staff.duckdb":
            assert CANARY.encode() not in path.read_bytes(), path.name
    con = open_read_only(version / "public.duckdb")
    try:
        for table, in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            dump = json.dumps(con.execute(f'SELECT * FROM "{table}"').fetchall(), default=str)
            assert CANARY not in dump, table
    finally:
        con.close()




CRAFTED = ["' OR 1=1 --", "../../staff.duckdb", "contact", "note", None, 10 ** 12, {"$ne": 1}, ["x"], CANARY,
           "%", "_", "INI-", "WA-"]


def input_variants(data: PublishedData) -> list[dict]:
    """Ordinary views for every region and indicator, then crafted values in every input."""
    from dashboard import views

    buurten = [r["code"] for r in data.cached("region_codes", (2024, "buurt"))]
    regions = [r["code"] for r in data.cached("region_codes", (2024, "wijk"))] + ["GM9999"] + buurten[::6]
    base = {"indicator.value": "laag_inkomen", "year.value": 2023, "level.value": "buurt", "scheme.value": "quantiles",
            "k.value": 5, "fixed.value": [], "selected.data": None, "map-layer.value": "indicator", "lang.data": "nl",
            "theme.value": "armoede", "initiative-themes.value": None, "initiative-statuses.value": None,
            "url.search": "", "search.search_value": "Cen", "search.value": None}
    variants = [base]
    for indicator in views.indicators(data):
        for level in ("buurt", "wijk", "gemeente"):
            variants.append(base | {"indicator.value": indicator["id"], "level.value": level, "year.value": None})
    for layer in ("indicator", "agenda"):
        for code in regions:
            variants.append(base | {"selected.data": code, "map-layer.value": layer, "url.search": f"?regio={code}&laag={layer}",
                                    "search.value": code})
    for key in base:
        for crafted in CRAFTED:
            variants.append(base | {key: crafted})
    variants.append(base | {"search.search_value": CANARY[:5]})
    for typed in ("a", "e", "o", "i", "an", "en", "er", "Wijk", "GM", "WK", "BU", "%", "_%"):
        variants.append(base | {"search.search_value": typed})
    return variants


def test_no_public_page_callback_or_file_route_returns_a_canary(canary_data_dir):
    app = create_app(Settings(data_dir=canary_data_dir, audience="public"))
    client = app.server.test_client()
    data = app.server.config["WIJKBEELD_DATA"]
    bodies = []

    def fetch(method, path, **kwargs):
        response = client.open(path, method=method, **kwargs)
        bodies.append((f"{method} {path}", response.status_code, response.get_data()))
        return response

    for path in ("/", "/_dash-layout", "/_dash-dependencies", "/_favicon.ico", "/assets/wijkbeeld.js",
                 "/assets/wijkbeeld.css", "/kwaliteit", "/export/kaart.csv", "/export/kaart.geojson",
                 "/export/profiel/WK999901.csv", "/briefing/WK999901", "/briefing/WK999901.pdf",
                 "/vergelijk?codes=WK999900,WK999901", "/geometry/../staff.duckdb", "/staff.duckdb",
                 "/wijkagenda", "/wijkagenda/WK999901", "/wijkagenda/punt/WA-01", "/wijkagenda.xlsx",
                 "/wijkagenda/WK999901.xlsx", "/wijkagenda/historie.csv", "/beheer/rollen",
                 "/published/staff.duckdb", "/versions/", "/assets/../../etl/indicators.toml",
                 "/assets/a11y.js", "/toegankelijkheid", "/toegankelijkheid?taal=en",
                 f"/toegankelijkheid?taal={CANARY}", "/mijn-buurt/GM9999", f"/mijn-buurt/{CANARY}",
                 "/mijn-buurt/../staff.duckdb"):
        fetch("GET", path)
    for code in [r["code"] for level in ("wijk", "buurt") for r in data.cached("region_codes", (2024, level))]:
        fetch("GET", f"/mijn-buurt/{code}")
        fetch("GET", f"/mijn-buurt/{code}?taal=en")
    version = data.version().rsplit("/", 1)[-1]
    for geometry in (canary_data_dir / "published" / "geometry").glob("*.geojson"):
        fetch("GET", f"/geometry/{version}/{geometry.name}")
        fetch("GET", f"/geometry/{version}/{geometry.name}", headers={"Accept-Encoding": "gzip"})
    every = [("thema", th) for th in INITIATIVE_THEMES] + [("status", st) for st in STATUSES]
    for query in (every, every + [("thema", CANARY)], [("status", "' OR 1=1 --")]):
        fetch("GET", f"/initiatieven/{version}.geojson?{urlencode(query)}")
    assert json.loads(bodies[-3][2])["features"], "the public initiatives are served (and checked here)"
    dependencies = json.loads(client.get("/_dash-dependencies").data)
    server_side = [d for d in dependencies if not d.get("clientside_function")]
    for values in input_variants(data):
        for dependency in server_side:
            fetch("POST", "/_dash-update-component", json=callback_payload(dependency, values))

    assert len(bodies) > 500
    leaks = [(what, status) for what, status, body in bodies if CANARY.encode() in body or HIDDEN.encode() in body]
    assert leaks == []
    errors = [(what, status) for what, status, body in bodies if status >= 500]
    assert errors == [], "crafted input must not crash a callback"
    tracebacks = [what for what, _, body in bodies if b"Traceback" in body]
    assert tracebacks == []
