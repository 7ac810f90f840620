"""Generate the embedded demo inputs: a fictional gemeente in the formats of the real sources.

``Voorbeeldstad (fictief)``, code ``GM9999`` (no real gemeente has it), with 6 wijken and about 50 buurten,
written to ``data/demo/`` as the real CBS, PDOK and RIVM files look, so the same extractors read both and the
files double as templates::

    python -m tools.demo_inputs [--out data/demo]

Everything comes from one seeded ``numpy.random.default_rng``: running it twice gives byte-identical JSON and
CSV files (the GeoPackages differ at most in SQLite internals). One value model feeds the boundary files, the
kerncijfers tables and the health export, so the same figure agrees wherever it appears.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from etl.catalog import load_catalog
from tools import demo_kerncijfers

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "demo"
SEED = 9999
CRS = "EPSG:28992"

GEMEENTECODE = "GM9999"
GEMEENTENAAM = "Voorbeeldstad (fictief)"
YEARS = (2021, 2022, 2023, 2024)
SPLIT_YEAR = 2023            # one buurt of 2022 is split into two new buurten (new codes) from this year on
UNPUBLISHED_YEAR = 2024      # income and energy not yet in that year's boundary file (-99995)
HEALTH_WAVES = (2012, 2016, 2020, 2022)
HEALTH_TABLE = "50120NED"

CENTRE = (156000.0, 456000.0)   # RD New, well inside the Netherlands
N_SEEDS = 49                    # land cells before the split; +1 partner cell = 50 cells
EDGE_SPACING = 100.0            # metres between vertices along a boundary
MAX_WOBBLE = 18.0               # metres a boundary may bend away from its straight Voronoi edge
HOUSEHOLDS_FOR_PERCENTAGES = 100   # CBS publishes income shares only from 100 households on
HOUSEHOLDS_FOR_ENERGY = 50

# CBS sentinels, as the boundary files of each year write them.
NOT_PUBLISHED = -99995
SUPPRESSED = {2021: -99999997, 2022: -99999997, 2023: -99997, 2024: -99997}

WIJKEN = (
    # name, seed offset from CENTRE (m), inhabitants per buurt, household size, % low income, gas m³, kWh
    ("Centrum", (0, 0), (1300, 3600), 1.75, 13.0, 900, 2500),
    ("Oude Haven", (-2320, -560), (900, 3000), 2.0, 17.0, 1000, 2650),
    ("Molenkwartier", (1520, 1840), (700, 2300), 2.3, 8.0, 1250, 2900),
    ("Het Broek", (2240, -1040), (600, 2100), 2.4, 6.0, 1350, 3100),
    ("Vogelbuurt-Noord", (-1200, 2480), (800, 2700), 2.2, 15.0, 1100, 2600),
    ("Buitengebied", (200, -4300), (60, 600), 2.6, 4.5, 1650, 3400),
)
BUURTNAMEN = (
    ("Binnenstad", "Marktplein", "Kerkbuurt", "Stationskwartier", "Vestingwal", "Nieuwe Gracht",
     "Raadhuiskwartier", "Boterstraat", "Singelpark", "Poortwijk", "Gasthuisbuurt", "Waagplein"),
    ("Havenkwartier", "Kadewijk", "Scheepswerf", "Zoutkeet", "Visserseiland", "Lijnbaan",
     "Touwslagersbuurt", "Dokken", "Sluiseiland", "Pakhuizen", "Veerstoep", "Ankerplaats"),
    ("Molenweide", "Korenmolen", "Oliemolen", "Zaagmolen", "Molenbeek", "De Wieken",
     "Maalderij", "Graanakker", "Pelmolen", "Molenhof", "Stellingmolen", "Koppelwerk"),
    ("Broekpolder", "Elzenhof", "Wilgenrijk", "Rietlanden", "Kievitsweide", "Broekweg",
     "Veenhoek", "Lisdodde", "Broekhorst", "Essenlaan", "Moerasstee", "Kroosvliet"),
    ("Merelhof", "Lijsterbes", "Spreeuwenpark", "Zwaluwhoek", "Mussenveld", "Vinkenbaan",
     "Reigerstraat", "Kraaiennest", "Uilenburg", "Meeuwenplein", "Sperwerhof", "Roodborstje"),
    ("Heidehoeve", "Lage Akkers", "Hoge Esch", "Veldzicht", "Bosrand", "Eendenkooi",
     "Kampen", "Zandverstuiving", "De Maten", "Dijkhoeve", "Grafelijke Bossen", "Oude Dijk"),
)
WATER_WIJK, WATER_NAME, WATER_NUMBER = 5, "Buitenwater", 99
WATERPART_WIJK, SPLIT_WIJK = 1, 2

KERNCIJFER_COLUMNS = ("aantal_inwoners", "aantal_huishoudens", "percentage_huishoudens_met_laag_inkomen",
                      "percentage_huishoudens_onder_of_rond_sociaal_minimum", "gemiddeld_gasverbruik_totaal",
                      "gemiddeld_elektriciteitsverbruik_totaal")
INCOME = ("laag_inkomen", "sociaal_minimum")
ENERGY = ("gas", "elektriciteit")

HEALTH_COLUMNS = (  # key, national value (2020 wave), change per unit of deprivation; None: modelled apart or empty
    ("ErvarenGezondheidGoedZeerGoed_4", 78.2, -3.0), ("VoldoetAanBeweegrichtlijn_5", 50.1, -2.0),
    ("WekelijkseSporters_6", 48.7, -4.0), ("Ondergewicht_7", 2.1, 0.2), ("NormaalGewicht_8", 47.1, -1.5),
    ("Overgewicht_9", 50.6, 1.5), ("ErnstigOvergewicht_10", 15.4, 1.5), ("Roker_11", 18.2, 2.5),
    ("VoldoetAanAlcoholRichtlijn_12", 44.1, 0.5), ("Drinker_13", 78.1, -3.0), ("ZwareDrinker_14", 8.3, 0.3),
    ("OvermatigeDrinker_15", 6.4, -0.3), ("EenOfMeerLangdurigeAandoeningen_16", 32.8, 1.5),
    ("BeperktVanwegeGezondheid_17", 30.7, 1.5), ("ErnstigBeperktVanwegeGezondheid_18", 5.2, 0.8),
    ("LangdurigeZiekteEnBeperkt_19", 28.8, 1.5), ("EenOfMeerLichamelijkeBeperkingen_20", 15.1, 1.5),
    ("BeperkingInHoren_21", 4.7, 0.3), ("BeperkingInZien_22", 5.4, 0.6), ("BeperkingInBewegen_23", 9.4, 1.0),
    ("MatigHoogRisicoOpAngstOfDepressie_24", 45.6, 3.0), ("HoogRisicoOpAngstOfDepressie_25", 6.8, 1.2),
    ("HeelVeelStressInAfgelopen4Weken_26", 17.6, 1.5), ("MatigVeelRegieOverEigenLeven_27", 90.3, -1.5),
    ("Eenzaam_28", None, None), ("ErnstigZeerErnstigEenzaam_29", None, None),
    ("EmotioneelEenzaam_30", 28.7, 2.0), ("SociaalEenzaam_31", 30.2, 1.5), ("Mantelzorger_32", 13.4, -0.5),
    ("Vrijwilligerswerk_33", 24.8, -3.0), ("LopenEnOfFietsenNaarSchoolOfWerk_34", None, None),
    ("LopenNaarSchoolOfWerk_35", None, None), ("FietsenNaarSchoolOfWerk_36", None, None),
    ("ErnstigeGeluidhinderDoorBuren_37", 7.1, 1.2), ("MoeiteMetRondkomen_38", None, None),
)
HEALTH_HEADER = ("ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1", "SoortRegio_2",
                 "Codering_3", *(key for key, _, _ in HEALTH_COLUMNS))
NATIONAL = {  # plausible national figures per wave: eenzaam, ernstig eenzaam, moeite met rondkomen
    2012: (43.3, 9.6, 17.8), 2016: (43.9, 10.4, 16.0), 2020: (47.0, 11.2, 13.9), 2022: (49.1, 12.3, 15.6)}
WIJK_LONELINESS = (4.0, 5.0, -1.0, -2.0, 3.0, -4.0)
# 65 jaar of ouder against 18+ (percentage points), and the half width of the 95 % interval per kind of region.
AGE_65_EFFECT = {
    "ErvarenGezondheidGoedZeerGoed_4": -18.0, "VoldoetAanBeweegrichtlijn_5": -6.0, "WekelijkseSporters_6": -12.0,
    "Overgewicht_9": 7.0, "ErnstigOvergewicht_10": 2.5, "Roker_11": -8.0, "Drinker_13": -3.0, "ZwareDrinker_14": -3.5,
    "EenOfMeerLangdurigeAandoeningen_16": 26.0, "BeperktVanwegeGezondheid_17": 18.0,
    "ErnstigBeperktVanwegeGezondheid_18": 6.0, "LangdurigeZiekteEnBeperkt_19": 17.0,
    "EenOfMeerLichamelijkeBeperkingen_20": 16.0, "BeperkingInHoren_21": 7.0, "BeperkingInZien_22": 4.0,
    "BeperkingInBewegen_23": 12.0, "MatigHoogRisicoOpAngstOfDepressie_24": -4.0,
    "HeelVeelStressInAfgelopen4Weken_26": -8.0, "MatigVeelRegieOverEigenLeven_27": -2.5, "Eenzaam_28": 4.5,
    "ErnstigZeerErnstigEenzaam_29": 1.0, "EmotioneelEenzaam_30": 5.0, "SociaalEenzaam_31": 2.0,
    "Mantelzorger_32": -1.5, "Vrijwilligerswerk_33": 6.0, "MoeiteMetRondkomen_38": -5.0}
HALF_WIDTH = {"Land": 0.3, "Gemeente": 1.8, "Wijk": 3.2, "Buurt": 5.5}


# --------------------------------------------------------------------------------------------- geometry

@dataclass(frozen=True)
class Buurt:
    code: str
    name: str
    wijk: int
    cells: tuple[int, ...]
    water: bool = False
    changed: bool = False    # new afbakening compared with the year before


@dataclass(frozen=True)
class Layout:
    cells: list           # land polygons, one per cell (the water-part host has a hole)
    water_part: Polygon   # the separate water part of one buurt
    host: int             # the cell that water part belongs to
    wijk_of: list[int]    # wijk index per cell
    indeling: dict        # year -> list[Buurt]


def _noise(x, y):
    """A smooth pure function of position in [-1, 1]: the same point always bends the same way."""
    return (0.5 * np.sin(x / 173.0 + y / 97.0) + 0.3 * np.sin(x / 61.0 - y / 83.0 + 1.3)
            + 0.2 * np.sin(y / 41.0 + 0.4))


def _wobble(line: LineString) -> LineString:
    """Densify a boundary chain and bend it a little; its two end nodes stay where they are."""
    xy = shapely.get_coordinates(shapely.segmentize(line, EDGE_SPACING))
    if len(xy) > 2:
        along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        tangent = np.gradient(xy, axis=0)
        tangent /= np.hypot(*tangent.T)[:, None]
        normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
        amplitude = min(MAX_WOBBLE, 0.08 * along[-1])
        offset = amplitude * np.sin(np.pi * along / along[-1]) * _noise(xy[:, 0], xy[:, 1])
        bent = xy + normal * offset[:, None]
        bent[[0, -1]] = xy[[0, -1]]
        xy = bent
    return LineString(np.round(xy, 2))


def _outline(rng) -> Polygon:
    angles = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    radius = (5150 + 350 * np.sin(3 * angles + 0.7) + 250 * np.cos(5 * angles + 1.9)
              + rng.normal(0, 50, angles.size))
    return Polygon(np.column_stack([CENTRE[0] + radius * np.cos(angles), CENTRE[1] + radius * np.sin(angles)]))


def _seeds(rng, outline: Polygon) -> np.ndarray:
    """Buurt seed points, denser towards the centre."""
    inner = outline.buffer(-250)
    points: list[tuple[float, float]] = []
    while len(points) < N_SEEDS:
        r, a = 5200 * rng.random() ** 0.85, 2 * np.pi * rng.random()
        x, y = CENTRE[0] + r * np.cos(a), CENTRE[1] + r * np.sin(a)
        spacing = 520 + 0.16 * r
        if inner.contains(Point(x, y)) and all(math.hypot(x - px, y - py) > spacing for px, py in points):
            points.append((x, y))
    return np.array(points)


def _partner(seeds: np.ndarray, parent: int, outline: Polygon) -> np.ndarray:
    """A seed next to ``parent``, so that parent + partner is one buurt before the split."""
    others = np.delete(seeds, parent, axis=0)
    reach = 0.5 * np.min(np.hypot(*(others - seeds[parent]).T))
    best, best_gap = None, -1.0
    for angle in np.linspace(0, 2 * np.pi, 16, endpoint=False):
        candidate = seeds[parent] + reach * np.array([np.cos(angle), np.sin(angle)])
        gap = np.min(np.hypot(*(others - candidate).T))
        if outline.buffer(-250).contains(Point(candidate)) and gap > best_gap:
            best, best_gap = candidate, gap
    return best


def _voronoi(seeds: np.ndarray, outline: Polygon) -> np.ndarray:
    """Straight Voronoi cells, in the order of the seeds."""
    cells = shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=outline.buffer(3000), ordered=True)
    return shapely.get_parts(cells)


def _faces(outline: Polygon, seeds: np.ndarray, ring: LineString):
    """Voronoi cells of the seeds inside the outline, as a coverage with bent but shared edges."""
    cells = _voronoi(seeds, outline)
    cells = shapely.intersection(cells, outline)
    noded = shapely.unary_union(shapely.boundary(cells))   # every shared edge once, split at the nodes
    chains = [_wobble(chain) for chain in shapely.get_parts(shapely.line_merge(noded))]
    faces = shapely.get_parts(shapely.polygonize([*chains, ring]))
    # each face belongs to the straight cell that holds a point inside it
    where = [int(np.flatnonzero(shapely.contains(cells, shapely.point_on_surface(face)))[0]) for face in faces]
    land = [None] * len(seeds)
    water = None
    for face, cell in zip(faces, where):
        if shapely.equals(face, Polygon(ring)):
            water = face
        elif land[cell] is not None:
            raise RuntimeError(f"cell {cell} has two faces: bend the edges less")
        else:
            land[cell] = face
    if any(face is None for face in land) or water is None:
        raise RuntimeError("polygonize lost a cell: bend the edges less")
    return land, water


def _ring(centre: np.ndarray, cell: Polygon) -> LineString:
    """A small, slightly irregular harbour basin inside ``cell``."""
    radius = min(230.0, 0.35 * cell.exterior.distance(Point(centre)))
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    r = radius * (1 + 0.15 * np.sin(3 * angles + 0.5) + 0.08 * np.cos(7 * angles))
    xy = np.round(np.column_stack([centre[0] + r * np.cos(angles), centre[1] + r * np.sin(angles)]), 2)
    return LineString(np.vstack([xy, xy[:1]]))


def _layout(rng) -> Layout:
    outline = _outline(rng)
    seeds = _seeds(rng, outline)
    wijk_seeds = np.array([(CENTRE[0] + dx, CENTRE[1] + dy) for _, (dx, dy), *_ in WIJKEN])
    wijk_of = [int(np.argmin(np.hypot(*(wijk_seeds - s).T))) for s in seeds]

    def nearest_in(wijk):
        members = [i for i, w in enumerate(wijk_of) if w == wijk]
        return min(members, key=lambda i: math.dist(seeds[i], wijk_seeds[wijk]))

    parent = nearest_in(SPLIT_WIJK)
    seeds = np.vstack([seeds, _partner(seeds, parent, outline)])
    partner = len(seeds) - 1
    wijk_of.append(SPLIT_WIJK)
    host = nearest_in(WATERPART_WIJK)
    water_cell = max((i for i, w in enumerate(wijk_of) if w == WATER_WIJK),
                     key=lambda i: math.dist(seeds[i], CENTRE))

    straight = _voronoi(seeds, outline)
    host_cell = next(c for c in straight if c.contains(Point(seeds[host]))).intersection(outline)
    cells, water_part = _faces(outline, seeds, _ring(seeds[host], host_cell))

    indeling = {}
    for year in YEARS:
        split = year >= SPLIT_YEAR
        buurten = []
        for wijk in range(len(WIJKEN)):
            members = [i for i, w in enumerate(wijk_of) if w == wijk and i not in (partner, water_cell)]
            members.sort(key=lambda i: (-round(seeds[i][1]), round(seeds[i][0])))   # north to south
            names = BUURTNAMEN[wijk]
            assert len(members) + 2 * (wijk == SPLIT_WIJK) <= len(names), f"too few names for wijk {wijk}"
            code = lambda number: f"BU{GEMEENTECODE[2:]}{wijk:02d}{number:02d}"  # noqa: E731
            for number, i in enumerate(members):
                if i == parent and split:
                    continue   # the old code disappears
                cells_of = (parent, partner) if i == parent else (i,)
                buurten.append(Buurt(code(number), names[number], wijk, cells_of))
            if wijk == SPLIT_WIJK and split:
                base = names[members.index(parent)]
                halves = sorted((parent, partner), key=lambda i: seeds[i][0])
                for offset, (side, i) in enumerate(zip(("West", "Oost"), halves)):
                    buurten.append(Buurt(code(len(members) + offset), f"{base}-{side}", wijk, (i,),
                                         changed=year == SPLIT_YEAR))
            if wijk == WATER_WIJK:
                buurten.append(Buurt(code(WATER_NUMBER), WATER_NAME, wijk, (water_cell,), water=True))
        indeling[year] = sorted(buurten, key=lambda b: b.code)
    return Layout(cells, water_part, host, wijk_of, indeling)


# ------------------------------------------------------------------------------------------ value model

@dataclass(frozen=True)
class Model:
    inwoners: dict       # year -> array per cell (unrounded)
    huishoudens: dict
    laag_inkomen: dict
    sociaal_minimum: dict
    gas: dict
    elektriciteit: dict
    deprivation: np.ndarray


def _model(rng, layout: Layout) -> Model:
    n = len(layout.cells)
    wijk = np.array(layout.wijk_of)
    low, high = np.array([w[2] for w in WIJKEN]).T
    base = low[wijk] + (high[wijk] - low[wijk]) * rng.random(n)
    base *= 45000 / base.sum()
    base = np.clip(base, 50, 4000)
    water = [b.cells[0] for b in layout.indeling[YEARS[0]] if b.water][0]
    base[water] = 0.0
    growth = rng.normal(0.006, 0.012, n)
    size = np.array([w[3] for w in WIJKEN])[wijk] * np.exp(rng.normal(0, 0.06, n))
    low_income = np.clip(np.array([w[4] for w in WIJKEN])[wijk] + rng.normal(0, 2.5, n), 3, 25)
    minimum = np.clip(0.62 * low_income + rng.normal(0, 1.0, n), 2, 15)
    gas = np.array([w[5] for w in WIJKEN])[wijk] * np.exp(rng.normal(0, 0.08, n))
    power = np.array([w[6] for w in WIJKEN])[wijk] * np.exp(rng.normal(0, 0.06, n))
    gas_trend = {2021: 1.0, 2022: 0.86, 2023: 0.80, 2024: 0.77}
    power_trend = {2021: 1.0, 2022: 0.97, 2023: 0.93, 2024: 0.90}
    income_drift = {2021: 0.0, 2022: 0.3, 2023: -0.2, 2024: -0.4}
    model = Model({}, {}, {}, {}, {}, {}, (low_income - 9.0) / 4.0)
    for year in YEARS:
        t = year - YEARS[0]
        model.inwoners[year] = base * (1 + growth) ** t
        model.huishoudens[year] = model.inwoners[year] / size
        model.laag_inkomen[year] = np.clip(low_income + income_drift[year] + rng.normal(0, 0.4, n), 3, 25)
        model.sociaal_minimum[year] = np.clip(minimum + 0.6 * income_drift[year] + rng.normal(0, 0.3, n), 2, 15)
        model.gas[year] = np.clip(gas * gas_trend[year] * np.exp(rng.normal(0, 0.02, n)), 600, 1800)
        model.elektriciteit[year] = np.clip(power * power_trend[year] * np.exp(rng.normal(0, 0.02, n)), 2000, 3800)
    return model


def _round5(x: float) -> int:
    return int(5 * round(x / 5))


def _figures(model: Model, year: int, cells, level: str) -> dict:
    """The published figures of a region (a set of cells) in a year; None = suppressed/not published."""
    idx = list(cells)
    inwoners = float(model.inwoners[year][idx].sum())
    huishoudens = float(model.huishoudens[year][idx].sum())
    counts = round if level == "gemeente" else _round5
    out = {"inwoners": int(counts(inwoners)), "huishoudens": int(counts(huishoudens))}
    weights = model.huishoudens[year][idx]
    for name in (*INCOME, *ENERGY):
        if weights.sum() == 0:
            out[name] = None
            continue
        value = float(np.average(getattr(model, name)[year][idx], weights=weights))
        threshold = HOUSEHOLDS_FOR_PERCENTAGES if name in INCOME else HOUSEHOLDS_FOR_ENERGY
        if huishoudens < threshold:
            out[name] = None
        else:
            out[name] = round(value, 1) if name in INCOME else int(10 * round(value / 10))
    return out


# ------------------------------------------------------------------------------------------ boundaries

def _regions(layout: Layout, year: int):
    """(level, code, name, wijk index or None, cells, buurt) for the gemeente, its wijken and buurten."""
    buurten = layout.indeling[year]
    yield "gemeente", GEMEENTECODE, GEMEENTENAAM, None, tuple(range(len(layout.cells))), None
    for wijk, (name, *_) in enumerate(WIJKEN):
        cells = tuple(c for b in buurten if b.wijk == wijk for c in b.cells)
        yield "wijk", f"WK{GEMEENTECODE[2:]}{wijk:02d}", name, wijk, cells, None
        for b in buurten:
            if b.wijk == wijk:
                yield "buurt", b.code, b.name, wijk, b.cells, b


def _kerncijfer_columns(figures: dict, year: int) -> dict:
    def cell(name):
        if year == UNPUBLISHED_YEAR and name in (*INCOME, *ENERGY):
            return NOT_PUBLISHED
        value = figures[name]
        return SUPPRESSED[year] if value is None else value
    return dict(zip(KERNCIJFER_COLUMNS, (figures["inwoners"], figures["huishoudens"], *map(cell, (*INCOME, *ENERGY)))))


def _boundary_layers(layout: Layout, model: Model, year: int) -> dict[str, gpd.GeoDataFrame]:
    rows = {"gemeenten": [], "wijken": [], "buurten": []}
    for level, code, name, wijk, cells, buurt in _regions(layout, year):
        with_water = layout.host in cells
        parts = [layout.cells[c] for c in cells] + ([layout.water_part] if with_water and level != "buurt" else [])
        geometry = shapely.coverage_union_all(parts)
        values = _kerncijfer_columns(_figures(model, year, cells, level), year)
        stamp = {"jrstatcode": f"{year}{code}", "jaar": year}
        if level == "gemeente":
            rows["gemeenten"].append({"gemeentecode": code, "gemeentenaam": GEMEENTENAAM, "water": "NEE",
                                      **values, **stamp, "geometry": geometry})
        elif level == "wijk":
            rows["wijken"].append({"wijkcode": code, "wijknaam": name, "gemeentecode": GEMEENTECODE,
                                   "gemeentenaam": GEMEENTENAAM, "indelingswijziging_wijken_en_buurten": 1,
                                   "water": "NEE", **values, **stamp, "geometry": geometry})
        else:
            head = {"buurtcode": code, "buurtnaam": name, "wijkcode": f"WK{code[2:8]}", "gemeentecode": GEMEENTECODE,
                    "gemeentenaam": GEMEENTENAAM, "indelingswijziging_wijken_en_buurten": 3 if buurt.changed else 1}
            rows["buurten"].append({**head, "water": "JA" if buurt.water else "NEE", **values, **stamp,
                                    "geometry": geometry})
            if with_water:   # the separate water part repeats the buurt's code, as the real files do
                rows["buurten"].append({**head, "water": "JA", **values, **stamp, "geometry": layout.water_part})
    layers = {}
    for layer, records in rows.items():
        for record in records:
            if record["geometry"].geom_type == "Polygon":
                record["geometry"] = MultiPolygon([record["geometry"]])
        layers[layer] = gpd.GeoDataFrame(records, geometry="geometry", crs=CRS)
    return layers


@contextmanager
def _fixed_gdal_date():
    """GeoPackages record when they were written; pin that so regenerating changes no bytes needlessly."""
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{YEARS[-1] + 1}-01-01T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def write_boundaries(layout: Layout, model: Model, out: Path) -> list[Path]:
    paths = []
    with _fixed_gdal_date():
        for year in YEARS:
            path = out / f"wijkenbuurten_{year}.gpkg"
            path.unlink(missing_ok=True)
            for layer, frame in _boundary_layers(layout, model, year).items():
                frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio",
                              layer_options={"GEOMETRY_NAME": "geom", "FID": "fid"})
            paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------ kerncijfers

# The topics the value model above fills (the boundary files carry them too); demo_kerncijfers fills the rest.
MODEL_STEMS = {"AantalInwoners": "inwoners", "HuishoudensTotaal": "huishoudens",
               "GemiddeldeElektriciteitsleveringTotaal": "elektriciteit",
               "GemiddeldElektriciteitsverbruikTotaal": "elektriciteit", "GemiddeldAardgasverbruikTotaal": "gas",
               "HuishoudensMetEenLaagInkomen": "laag_inkomen", "HuishOnderOfRondSociaalMinimum": "sociaal_minimum"}


def data_properties(year: int) -> list[dict]:
    """The DataProperties of the year's table: the complete real layout (see tools/demo_kerncijfers.py)."""
    return demo_kerncijfers.data_properties(year)


def _cells(layout: Layout, model: Model, year: int) -> demo_kerncijfers.Cells:
    """The per-cell arrays the other topics are made from: people, deprivation, how urban, land and water."""
    n = len(layout.cells)
    water_cell = next(b.cells[0] for b in layout.indeling[year] if b.water)
    area = np.array([cell.area / 10_000 for cell in layout.cells])
    land = np.where(np.arange(n) == water_cell, 0.0, area)
    water = np.where(np.arange(n) == water_cell, area, 0.0)
    water[layout.host] += layout.water_part.area / 10_000
    urban = np.clip(np.array(demo_kerncijfers.URBAN)[np.array(layout.wijk_of)]
                    + 0.05 * demo_kerncijfers._noise("urban", n, 0), 0, 1)
    return demo_kerncijfers.Cells(model.inwoners[year], model.huishoudens[year], model.deprivation, urban, land,
                                  water, year)


def _subset(cells: demo_kerncijfers.Cells, index: list[int]) -> demo_kerncijfers.Cells:
    return demo_kerncijfers.Cells(*(getattr(cells, f)[index] for f in
                                    ("inwoners", "huishoudens", "deprivation", "urban", "land_ha", "water_ha")),
                                  cells.year)


def _nederland(year: int) -> tuple[demo_kerncijfers.Cells, dict]:
    """Nederland as one cell, and its figures of the value model (income not yet published in the newest year)."""
    nl = demo_kerncijfers.NEDERLAND
    growth = 1.006 ** (year - YEARS[0])
    one = lambda value: np.array([float(value)])  # noqa: E731
    cells = demo_kerncijfers.Cells(one(nl["inwoners"] * growth), one(nl["huishoudens"] * growth),
                                   one(nl["deprivation"]), one(nl["urban"]), one(nl["land_ha"]), one(nl["water_ha"]),
                                   year)
    trend = {"gas": {2021: 1.0, 2022: 0.86, 2023: 0.80, 2024: 0.77}[year],
             "elektriciteit": {2021: 1.0, 2022: 0.97, 2023: 0.93, 2024: 0.90}[year]}
    figures = {"inwoners": int(cells.inwoners[0]), "huishoudens": int(cells.huishoudens[0]),
               "gas": int(10 * round(nl["gas"] * trend["gas"] / 10)),
               "elektriciteit": int(10 * round(nl["elektriciteit"] * trend["elektriciteit"] / 10)),
               "laag_inkomen": None if year == UNPUBLISHED_YEAR else nl["laag_inkomen"],
               "sociaal_minimum": None if year == UNPUBLISHED_YEAR else nl["sociaal_minimum"]}
    return cells, figures


def typed_dataset(layout: Layout, model: Model, year: int, table: str) -> dict:
    """Every topic of the year's layout for Nederland (``NL00``, first, as CBS writes it), the gemeente, its wijken
    and buurten; the figures of the value model agree with the boundary files."""
    properties = data_properties(year)
    topics = [p for p in properties if p["Type"] == "Topic"]
    soort = {"land": "Land", "gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}
    cells = _cells(layout, model, year)
    regions = [("land", "NL00", "Nederland", None)] + [(level, code, GEMEENTENAAM, (region_cells, buurt))
                                                        for level, code, _, _, region_cells, buurt
                                                        in _regions(layout, year)]
    rows = []
    for level, code, naam, members in regions:
        if members is None:
            subset, figures = _nederland(year)
            changed = False
        else:
            region_cells, buurt = members
            subset, figures = _subset(cells, list(region_cells)), _figures(model, year, region_cells, level)
            if year == UNPUBLISHED_YEAR:
                figures = {**figures, **dict.fromkeys(INCOME)}
            changed = buurt is not None and buurt.changed
        values = demo_kerncijfers.region_figures(properties, subset, figures, level,
                                                 unpublished=year == UNPUBLISHED_YEAR)
        row = {"ID": len(rows), "WijkenEnBuurten": code.ljust(10)}
        for topic in topics:
            key, stem = topic["Key"], demo_kerncijfers.key_stem(topic["Key"])
            if stem == "Gemeentenaam":
                row[key] = naam.ljust(40)
            elif stem == "SoortRegio":
                row[key] = soort[level].ljust(10)
            elif stem == "Codering":
                row[key] = code.ljust(20)
            elif stem == "IndelingswijzigingGemeenteWijkBuurt":
                row[key] = None if level == "land" else ("3" if changed else "1")
            elif stem == "MeestVoorkomendePostcode":
                row[key] = None if level == "land" else f"0{900 + zlib.crc32(code.encode()) % 99:03d}"
            elif stem in MODEL_STEMS:
                row[key] = figures[MODEL_STEMS[stem]]
            else:
                row[key] = values.get(key)
        rows.append(row)
    return {"odata.metadata": f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata"
                              "#Cbs.OData.WebAPI.TypedDataSet", "value": rows}


def write_kerncijfers(layout: Layout, model: Model, out: Path) -> list[Path]:
    folder = out / "kerncijfers"
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    paths = []
    for year in YEARS:
        table = catalog.kerncijfers_table(year)
        # DataProperties in the service's envelope, readable; the rows compact, as the service sends them
        for name, content, indent, end in (("DataProperties", demo_kerncijfers.envelope(table, data_properties(year)), 2, ""),
                                           ("TypedDataSet", typed_dataset(layout, model, year, table), None, "\n")):
            path = folder / f"{table}_{name}.json"
            path.write_text(json.dumps(content, indent=indent) + end, encoding="utf-8")
            paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------ health

def _health_rows(rng, layout: Layout, model: Model):
    """One row per wave and region: the RIVM 50120NED export (18+, point estimates)."""
    n = len(layout.cells)
    adults = model.inwoners[YEARS[0]] * 0.8 + 1.0   # weights; the water cell keeps a token weight
    lonely_effect = np.array(WIJK_LONELINESS)[np.array(layout.wijk_of)] + rng.normal(0, 1.5, n)
    deprivation = model.deprivation
    regions = [("Land", "NL01", "Nederland", None)]
    regions += [(level.capitalize(), code, GEMEENTENAAM, cells)
                for level, code, _, _, cells, _ in _regions(layout, YEARS[0])]
    for p, wave in enumerate(HEALTH_WAVES):
        lonely, severe, hardship = NATIONAL[wave]
        drift = 1 + rng.normal(0, 0.02, len(HEALTH_COLUMNS))
        noise = rng.normal(0, 0.8, (len(HEALTH_COLUMNS), n))
        estimates = {}   # key -> (national value, value per cell); absent = not estimated
        for k, (key, national, slope) in enumerate(HEALTH_COLUMNS):
            if key == "Eenzaam_28":
                estimates[key] = lonely, lonely + lonely_effect + 1.2 * deprivation + noise[k]
            elif key == "ErnstigZeerErnstigEenzaam_29":
                estimates[key] = severe, severe + 0.35 * lonely_effect + 0.8 * deprivation + 0.5 * noise[k]
            elif key == "MoeiteMetRondkomen_38":
                estimates[key] = hardship, hardship + 2.2 * deprivation + noise[k]
            elif national is not None:
                estimates[key] = national * drift[k], national * drift[k] + slope * deprivation + noise[k]
        for r, (soort, code, naam, cells) in enumerate(regions):
            values = []
            for key, *_ in HEALTH_COLUMNS:
                if key not in estimates:
                    values.append("")
                    continue
                national, per_cell = estimates[key]
                value = national if cells is None else np.average(per_cell[list(cells)], weights=adults[list(cells)])
                values.append(f"{min(max(float(value), 0.1), 99.9):8.1f}")
            yield [str((p * len(regions) + r) * 3 + 2), "20300", "MW00000", code.ljust(10), f"{wave}JJ00",
                   naam.ljust(40), soort.ljust(10), code.ljust(20), *values]


def _health_rows_65plus(rng, adult_rows: list[list[str]]):
    """The same waves and regions for 65 jaar of ouder (``Leeftijd`` 80200), each with its 95 % interval: three
    ``Marges`` rows per region (value, lower and upper bound), as a full 50120NED download has them."""
    for number, row in enumerate(adult_rows):
        values = row[8:]
        half = HALF_WIDTH[row[6].strip()] * (1 + 0.2 * rng.random())
        shifted = [None if cell == "" else min(max(float(cell) + AGE_65_EFFECT.get(key, 0.0) + rng.normal(0, 0.6),
                                                    0.1), 99.9)
                   for (key, *_), cell in zip(HEALTH_COLUMNS, values)]
        for offset, (margin, side) in enumerate((("MW00000", 0), ("MOG0095", -1), ("MBG0095", 1))):
            cells = ["" if value is None else f"{min(max(value + side * half, 0.1), 99.9):8.1f}" for value in shifted]
            yield [str(number * 3 + offset), "80200", margin, *row[3:8], *cells]


def write_health(rng, layout: Layout, model: Model, out: Path) -> list[Path]:
    """One export per age group: 18+ (point estimates, as the real export in ../shared) and 65+ (with margins).

    Waves before 2021 use the 2021 indeling; the 2022 wave that of 2022 (the same one here). The 65+ figures
    come from the 18+ ones and a generator of their own, so adding them changed no 18+ figure.
    """
    folder = out / "gezondheid"
    folder.mkdir(parents=True, exist_ok=True)
    adults = list(_health_rows(rng, layout, model))
    older = list(_health_rows_65plus(np.random.default_rng([SEED, 65]), adults))
    paths = []
    for name, rows in (("18plus", adults), ("65plus", older)):
        path = folder / f"{HEALTH_TABLE}_gezondheid_wijk_buurt_{name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)   # comma-separated, CRLF line ends, as the shared export
            writer.writerow(HEALTH_HEADER)
            writer.writerows(rows)
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------ entry points

def generate(out: Path = DEFAULT_OUT) -> list[Path]:
    """Write every demo input into ``out``; returns the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    layout = _layout(rng)
    model = _model(rng, layout)
    paths = write_boundaries(layout, model, out)
    paths += write_kerncijfers(layout, model, out)
    paths += write_health(rng, layout, model, out)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_inputs", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path.stat().st_size:>9,d}  {path}")


if __name__ == "__main__":
    main()
