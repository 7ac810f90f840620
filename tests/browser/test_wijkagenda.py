"""Initiatives on the map and the wijkagenda in the profile, in headless Chromium against the published demo.

What the page should show is read from the published DuckDB files (staff and public) and computed here; the
dashboard's own presenter is used only where the brief allows it (roll-up cross-check, ``wijk_progress``), and
then always next to a figure computed here from the rows.
"""
from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import screenshot, serve_in_thread

pytestmark = [pytest.mark.browser,
              pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")]

TIMEOUT = 10_000
DEMO_CSV = Path(__file__).resolve().parents[2] / "data" / "demo" / "initiatieven.csv"
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_DESCRIPTION = "<script>window.__pwned=1</script><b>vet</b>"
# ColorBrewer YlOrBr with 4 classes, as published by ColorBrewer (not imported from geo.classify)
YLORBR4 = ["#ffffd4", "#fed98e", "#fe9929", "#cc4c02"]
AGENDA_BREAKS = [25.0, 50.0, 75.0, 100.0]
# all initiatives fit unclustered on a big screen at zoom 13 (closest pair ~41 px apart, cluster radius 25 px)
BIG_SCREEN = {"width": 1800, "height": 1300}


# ---------------------------------------------------------------- data, read from the published files


class Published:
    def __init__(self, data_dir: Path, audience: str = "staff"):
        from dashboard.db import open_read_only

        con = open_read_only(data_dir / "published" / f"{audience}.duckdb")
        try:
            self.initiatives = [dict(zip(("id", "name", "description", "theme", "status", "lat", "lon"), r))
                                for r in con.execute("SELECT id, name, description, theme, status, lat, lon "
                                                     "FROM initiatives WHERE lat IS NOT NULL AND lon IS NOT NULL "
                                                     "ORDER BY id").fetchall()]
            columns = ("id", "wijk_code", "title", "status", "progress", "parent_id", "indicator_id", "start", "due")
            self.agenda = [dict(zip(columns, r)) for r in con.execute(
                f"SELECT {', '.join(columns)} FROM agenda_items ORDER BY wijk_code, id").fetchall()]
            self.labels = dict(con.execute("SELECT id, label_nl FROM indicators").fetchall())
            self.wijk_names = dict(con.execute("SELECT DISTINCT ON (code) code, name FROM regions "
                                               "WHERE level = 'wijk' ORDER BY code, year DESC").fetchall())
            if audience == "staff":
                self.all_initiatives = dict(con.execute("SELECT id, name FROM initiatives").fetchall())
                self.public_initiatives = {r[0] for r in con.execute("SELECT id FROM initiatives WHERE public").fetchall()}
                self.public_items = {r[0] for r in con.execute("SELECT id FROM agenda_items WHERE public").fetchall()}
        finally:
            con.close()

    def items_of(self, wijk: str) -> list[dict]:
        return [i for i in self.agenda if i["wijk_code"] == wijk]


@pytest.fixture(scope="module")
def staff_db(demo_data_dir):
    return Published(demo_data_dir, "staff")


@pytest.fixture(scope="module")
def public_db(demo_data_dir):
    return Published(demo_data_dir, "public")


def expected_progress(items: list[dict]) -> dict[str, float | None]:
    """Progress per item as the profile should show it: leaves their own figure, a parent the plain mean of
    its children's (rolled-up) progress, stopped children and children without a figure left out."""
    children: dict[str, list[dict]] = {}
    ids = {i["id"] for i in items}
    for i in items:
        if i["parent_id"] in ids:
            children.setdefault(i["parent_id"], []).append(i)

    def progress(item):
        counted = [progress(c) for c in children.get(item["id"], []) if c["status"] != "gestopt"]
        counted = [p for p in counted if p is not None]
        return sum(counted) / len(counted) if counted else item["progress"]

    return {i["id"]: progress(i) for i in items}


def percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value):d}%"


def own_share(items: list[dict], today: date) -> float | None:
    """Share done or on track: done = status 'afgerond'; on track = progress (rolled up) at least what an even
    pace from start to due gives by today. Stopped items and items without dates or progress are neither."""
    progress = expected_progress(items)
    good = 0
    for item in items:
        if item["status"] == "afgerond":
            good += 1
        elif item["status"] != "gestopt" and item["start"] and item["due"] and progress[item["id"]] is not None:
            if item["due"] <= item["start"]:
                due_share = 100.0 if today >= item["due"] else 0.0
            else:
                due_share = 100 * min(max((today - item["start"]).days / (item["due"] - item["start"]).days, 0), 1)
            good += progress[item["id"]] >= due_share
    return good / len(items) if items else None


def agenda_colour(share: float | None) -> str | None:
    if share is None:
        return None
    value = round(100 * share, 1)
    return YLORBR4[next(i for i, b in enumerate(AGENDA_BREAKS) if value <= b or i == len(AGENDA_BREAKS) - 1)]


# ---------------------------------------------------------------- the page

JS_MARKERS = """() => ({
    singles: [...document.querySelectorAll('.leaflet-marker-pane .initiative-icon')].map(e => ({
        title: e.getAttribute('title'), letter: e.textContent,
        colour: e.querySelector('.initiative-marker')?.style.backgroundColor})),
    clusters: [...document.querySelectorAll('.leaflet-marker-pane .marker-cluster')].map(e => parseInt(e.textContent))
})"""
JS_MARKER_TOTAL = """n => {
    const singles = document.querySelectorAll('.leaflet-marker-pane .initiative-icon').length;
    const clustered = [...document.querySelectorAll('.leaflet-marker-pane .marker-cluster')]
        .reduce((s, e) => s + parseInt(e.textContent), 0);
    return singles + clustered === n; }"""
JS_ITEMS = """() => [...document.querySelectorAll('#agenda .agenda-item')].map(e => ({
    id: e.dataset.item,
    parent: e.parentElement.closest('.agenda-item')?.dataset.item || null,
    title: e.querySelector(':scope > .agenda-title')?.textContent,
    progress: e.querySelector(':scope > .progress .progress-text')?.textContent,
    outcome: e.querySelector(':scope > .agenda-outcome')?.textContent || null}))"""
# what the regions' canvas layer drew (assets/regions.js): each region's fill by code
JS_PAINTED = """() => Object.fromEntries(Object.entries(window.wijkbeeld.regions.shown())
    .map(([code, shown]) => [code, shown.fill]))"""


def centre(initiatives: list[dict]) -> tuple[float, float]:
    lats, lons = [i["lat"] for i in initiatives], [i["lon"] for i in initiatives]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def open_markers(page, url: str, initiatives: list[dict], zoom: int = 13) -> dict:
    """Open the map at ``zoom`` over all initiatives and wait until every one is on it (single or clustered)."""
    page.set_viewport_size(BIG_SCREEN)
    lat, lon = centre(initiatives)
    page.goto(f"{url}/?lat={lat:.5f}&lon={lon:.5f}&zoom={zoom}")
    page.wait_for_function(JS_MARKER_TOTAL, arg=len(initiatives), timeout=TIMEOUT)
    return page.evaluate(JS_MARKERS)


def wait_markers(page, titles: set[str]) -> None:
    page.wait_for_function("""titles => { const shown = [...document.querySelectorAll(
            '.leaflet-marker-pane .initiative-icon')].map(e => e.getAttribute('title')).sort();
        return JSON.stringify(shown) === JSON.stringify(titles); }""", arg=sorted(titles), timeout=TIMEOUT)
    assert page.locator(".leaflet-marker-pane .marker-cluster").count() == 0


def open_profile(page, url: str, wijk: str) -> list[dict]:
    page.goto(f"{url}/?niveau=wijk&regio={wijk}", wait_until="domcontentloaded")
    page.wait_for_function("wijk => document.querySelector('#profile-code')?.textContent.endsWith(wijk)"
                           " && document.querySelector('#agenda .agenda-item')", arg=wijk, timeout=TIMEOUT)
    return page.evaluate(JS_ITEMS)


@pytest.fixture
def watched(page):
    page.js_errors = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))

    def dialog(d):
        page.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.set_default_timeout(TIMEOUT)
    return page


# ---------------------------------------------------------------- 1. markers appear and filter


def test_markers_appear_with_their_names_and_filter(watched, staff_url, staff_db):
    page = watched
    initiatives = staff_db.initiatives
    assert len(initiatives) == 25  # the demo: every initiative located, public or not (staff)
    markers = open_markers(page, staff_url, initiatives)
    assert markers["clusters"] == [], "at zoom 13 on a big screen no initiatives should cluster"
    names = {i["name"] for i in initiatives}
    assert len(names) == len(initiatives)
    assert sorted(m["title"] for m in markers["singles"]) == sorted(names)
    letters = {i["name"]: i["theme"][0].upper() for i in initiatives}
    assert all(m["letter"] == letters[m["title"]] for m in markers["singles"])
    screenshot(page, "initiatives-all")

    # untick a theme: exactly its markers go; tick it again: they come back
    theme = "energie"
    themed = {i["name"] for i in initiatives if i["theme"] == theme}
    assert len(themed) == 4
    page.locator(f"#initiative-themes input[value={theme}]").uncheck()
    wait_markers(page, names - themed)
    page.locator(f"#initiative-themes input[value={theme}]").check()
    wait_markers(page, names)

    # untick a status likewise
    status = "loopt"
    running = {i["name"] for i in initiatives if i["status"] == status}
    assert 0 < len(running) < len(names)
    page.locator(f"#initiative-statuses input[value={status}]").uncheck()
    wait_markers(page, names - running)
    # both filters at once: what is left is neither energie nor loopt
    page.locator(f"#initiative-themes input[value={theme}]").uncheck()
    wait_markers(page, names - running - themed)
    page.locator(f"#initiative-themes input[value={theme}]").check()
    page.locator(f"#initiative-statuses input[value={status}]").check()
    wait_markers(page, names)
    assert page.js_errors == [] and page.dialogs == []


def test_markers_cluster_when_zoomed_out_and_the_counts_add_up(watched, staff_url, staff_db):
    page = watched
    page.set_viewport_size({"width": 1280, "height": 720})
    lat, lon = centre(staff_db.initiatives)
    page.goto(f"{staff_url}/?lat={lat:.5f}&lon={lon:.5f}&zoom=11")
    page.wait_for_function(JS_MARKER_TOTAL, arg=len(staff_db.initiatives), timeout=TIMEOUT)
    markers = page.evaluate(JS_MARKERS)
    assert markers["clusters"], "zoomed out, nearby initiatives form clusters"
    assert set(m["title"] for m in markers["singles"]) <= {i["name"] for i in staff_db.initiatives}


# ---------------------------------------------------------------- 2. a hostile name is text


@pytest.fixture(scope="module")
def xss_url(demo_data_dir, tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.settings import Settings
    from etl.catalog import load_catalog
    from etl.jobs import load_initiatives
    from etl.publish import publish

    data_dir = tmp_path_factory.mktemp("xss") / "data"
    shutil.copytree(demo_data_dir, data_dir, symlinks=True)
    lines = DEMO_CSV.read_text(encoding="utf-8-sig").splitlines()
    index = next(n for n, line in enumerate(lines) if line.startswith("INI-001;"))
    cells = lines[index].split(";")
    cells[1], cells[2] = XSS_NAME, XSS_DESCRIPTION
    lines[index] = ";".join(cells)
    csv = data_dir.parent / "initiatieven.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = load_initiatives(data_dir, file=csv)
    assert result.status == "ok" and result.rows_out == 25, result
    publish(data_dir, load_catalog(), progress=lambda message: None)
    server, url = serve_in_thread(create_app(Settings(data_dir=data_dir, audience="staff")))
    yield url, Published(data_dir, "staff")
    server.shutdown()


def test_a_hostile_initiative_name_renders_as_text(watched, xss_url):
    page = watched
    url, db = xss_url
    hostile = next(i for i in db.initiatives if i["id"] == "INI-001")
    assert (hostile["name"], hostile["description"]) == (XSS_NAME, XSS_DESCRIPTION), "loaded as written"
    page.set_viewport_size(BIG_SCREEN)
    page.goto(f"{url}/?lat={hostile['lat']:.5f}&lon={hostile['lon']:.5f}&zoom=17")
    marker = page.get_by_title(XSS_NAME, exact=True)
    marker.wait_for()
    assert marker.get_attribute("title") == XSS_NAME  # the marker's tooltip is the literal name
    marker.click()
    popup = page.locator(".leaflet-popup-content .initiative-popup")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == XSS_NAME
    assert popup.locator(".initiative-description").inner_text() == XSS_DESCRIPTION
    assert popup.locator("b, script, img").count() == 0
    page.wait_for_timeout(300)  # give an injected onerror or script a moment to run
    assert page.evaluate("() => [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x')"
                         ".length") == 0
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert not page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('__pwned'))")
    assert page.dialogs == [] and page.js_errors == []
    screenshot(page, "initiative-xss-popup")


# ---------------------------------------------------------------- 3 and 4. the wijk profile's agenda


def test_wijk_profile_lists_its_agenda_items_with_their_progress(watched, staff_url, staff_db):
    from dashboard.present.agenda import flatten, roll_up

    page = watched
    wijken = sorted({i["wijk_code"] for i in staff_db.agenda})
    assert len(wijken) >= 5
    checked_parent = False
    for wijk in wijken:
        items = staff_db.items_of(wijk)
        shown = open_profile(page, staff_url, wijk)
        assert page.inner_text("#agenda .section-title") == f"Wijkagenda van {staff_db.wijk_names[wijk]}"
        ids = {i["id"] for i in items}
        assert sorted(s["id"] for s in shown) == sorted(ids), wijk
        progress = expected_progress(items)
        for s in shown:
            item = next(i for i in items if i["id"] == s["id"])
            assert s["title"] == item["title"]
            assert s["parent"] == (item["parent_id"] if item["parent_id"] in ids else None), s
            assert s["progress"] == percent(progress[item["id"]]), (s, progress[item["id"]])
            if any(i["parent_id"] == item["id"] for i in items):
                checked_parent = True
                assert progress[item["id"]] != item["progress"], "the demo's parents report their own figure"
        # the presenter's roll-up agrees with the one computed here
        rolled = {n["id"]: n["progress"] for n in flatten(roll_up([dict(i) for i in items]))}
        assert rolled == pytest.approx(progress)
    assert checked_parent
    assert page.js_errors == []


def test_parent_item_shows_the_mean_of_its_children(watched, staff_url, staff_db):
    page = watched
    shown = {s["id"]: s for s in open_profile(page, staff_url, "WK999901")}
    items = {i["id"]: i for i in staff_db.items_of("WK999901")}
    children = [i for i in items.values() if i["parent_id"] == "WA-01"]
    assert {c["id"] for c in children} == {"WA-02", "WA-03"}
    mean = sum(c["progress"] for c in children) / len(children)
    assert shown["WA-01"]["progress"] == percent(mean) != percent(items["WA-01"]["progress"])
    for child in children:
        assert shown[child["id"]]["parent"] == "WA-01"
        assert shown[child["id"]]["progress"] == percent(child["progress"])
    # nested in the DOM: the children sit in the parent's list
    assert page.locator("#agenda .agenda-item[data-item='WA-01'] .agenda-children > .agenda-item").count() == 2
    screenshot(page, "agenda-profile")


def test_linked_item_shows_its_outcome_and_that_it_shows_no_cause(watched, staff_url, staff_db):
    page = watched
    linked_wijken = sorted({i["wijk_code"] for i in staff_db.agenda if i["indicator_id"]})
    assert linked_wijken
    for wijk in linked_wijken[:1]:
        shown = {s["id"]: s for s in open_profile(page, staff_url, wijk)}
        for item in staff_db.items_of(wijk):
            outcome = shown[item["id"]]["outcome"]
            if not item["indicator_id"]:
                assert outcome is None, item
                continue
            assert outcome is not None, item
            assert staff_db.labels[item["indicator_id"]] in outcome
            assert "niet waardoor" in outcome and "geen oorzaak" in outcome
    assert page.js_errors == []


# ---------------------------------------------------------------- 5. the public sees only what is public


def test_public_never_sees_private_initiatives_or_items(watched, public_url, staff_db, public_db):
    page = watched
    responses = []
    page.on("response", lambda response: responses.append(response))
    bodies = []

    def read_bodies():
        for response in responses[len(bodies):]:
            try:
                bodies.append(response.body().decode("utf-8", "replace"))
            except Exception:  # redirects and the like have no body
                bodies.append("")

    private_names = {n for i, n in staff_db.all_initiatives.items() if i not in staff_db.public_initiatives}
    private_items = [i for i in staff_db.agenda if i["id"] not in staff_db.public_items]
    assert private_names and private_items

    expected = {i["name"] for i in public_db.initiatives}
    assert not expected & private_names
    markers = open_markers(page, public_url, public_db.initiatives)
    assert markers["clusters"] == []
    assert sorted(m["title"] for m in markers["singles"]) == sorted(expected)
    content = page.content()
    read_bodies()

    for wijk in sorted({i["wijk_code"] for i in private_items}):
        shown = open_profile(page, public_url, wijk)
        items = public_db.items_of(wijk)
        assert sorted(s["id"] for s in shown) == sorted(i["id"] for i in items)
        progress = expected_progress(items)
        assert {s["id"]: s["progress"] for s in shown} == {i: percent(p) for i, p in progress.items()}
        content += page.content()
        read_bodies()
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)"
                              ".filter(h => h.startsWith(location.origin) && !h.includes('?'))")
        for link in links:  # whatever the public page links to on its own server (downloads, if any)
            bodies.append(page.request.get(link).text())

    # WA-06's hidden child (an idea at 0 %) does not pull its public roll-up down
    assert progress_of(public_db, "WK999902", "WA-06") == 55.0
    text = content + "\n".join(bodies)
    assert len(bodies) > 5
    for name in private_names:
        assert name not in text, name
    for item in private_items:
        assert item["title"] not in text, item
        assert f'"{item["id"]}"' not in text, item
    assert "@voorbeeldstad.example" not in text  # contact details never leave the staff file
    assert page.js_errors == []


def progress_of(db: Published, wijk: str, item_id: str) -> float | None:
    return expected_progress(db.items_of(wijk))[item_id]


# ---------------------------------------------------------------- 6. the agenda map layer


def test_agenda_layer_paints_each_wijk_by_its_share(watched, staff_url, staff_db, demo_data_dir):
    from dashboard.agenda_view import wijk_progress
    from dashboard.db import PublishedData

    page = watched
    today = date.today()
    presented = wijk_progress(PublishedData(demo_data_dir, "staff"), today)
    page.goto(f"{staff_url}/?laag=agenda")
    geometry = sorted((demo_data_dir / "published" / "geometry").glob("*-wijk.geojson"))[-1]
    codes = [f["properties"]["code"] for f in json.loads(geometry.read_text())["features"]]
    # every wijk of that file drawn on the canvas, with a paint of its own
    page.wait_for_function("""([name, codes]) => { const r = window.wijkbeeld?.regions, d = r?.drawn;
        return !!d && d.own && d.regions === r.regions && r.url.endsWith('/' + name)
            && JSON.stringify(r.regions.properties.map(p => p.code)) === JSON.stringify(codes); }""",
                           arg=[geometry.name, codes])
    assert page.inner_text(".legend-title") == "Voortgang wijkagenda"

    own = {code: own_share(staff_db.items_of(code), today) for code in codes}
    assert own["WK999903"] == 0.5  # one done, one stopped: needs no pace at all
    for code in codes:
        if code in presented:
            assert presented[code]["share_on_track"] == pytest.approx(own[code]), code
    expected = {code: agenda_colour(own[code]) for code in codes}
    assert None not in expected.values() and len(set(expected.values())) >= 2
    page.wait_for_function("""expected => { const shown = window.wijkbeeld.regions.shown();
        return Object.entries(expected).every(([code, colour]) => shown[code]?.fill === colour); }""", arg=expected)
    assert page.evaluate(JS_PAINTED) == expected
    counts = [int(t.strip("()")) for t in page.locator(".legend-class .legend-count").all_inner_texts()]
    assert counts == [list(expected.values()).count(c) for c in YLORBR4]
    screenshot(page, "agenda-layer")
    assert page.js_errors == []
