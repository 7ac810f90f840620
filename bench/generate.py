"""A synthetic Netherlands at buurt level, in the formats of the real sources: the input of ``make bench``.

``python -m bench.generate --out DIR [--seed N]`` writes, at full scale, about 342 gemeenten, 3,300 wijken and
14,800 buurten with ~180 vertices per buurt (2.7 M in all), and for them::

    wijkenbuurten_2024.gpkg             layers gemeenten/wijken/buurten, EPSG:28992, snake_case kerncijfers
    kerncijfers/<table>_DataProperties.json, <table>_TypedDataSet.json     2023, 2024: every topic
    reference-9/kerncijfers/…           2020 … 2024: six figures (with the health file's three: 9 indicators)
    gezondheid/50120NED_gezondheid_wijk_buurt_18plus.csv                   waves 2012 … 2024
    initiatieven.csv                    2,000 initiatives (lon/lat, RD or a buurtcode)
    wijkagenda.xlsx                     500 agenda items and their progress

the same layout as ``data/demo/``, so :func:`etl.demo.demo_files` lists them.

The geometry: gemeente outlines (the real ones in ``../shared/cbs/boundaries`` when present, repaired into a
valid coverage with ``shapely.coverage_clean``; else Voronoi cells of a blob the size of NL) are split into
Voronoi cells with seeds proportional to population and area. All edges are noded nationally, densified with
one global spacing and bent by a smooth warp that is a pure function of position, so neighbours keep identical
shared edges (``shapely.coverage_is_valid`` holds). Wijken are groups of ~4–5 neighbouring buurten within a
gemeente; a gemeente is the union of its buurten. Everything comes from one seeded ``numpy.random.Generator``.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from scipy.cluster.vq import kmeans2
from shapely.geometry import MultiPolygon

from etl.catalog import load_catalog
from geo.join import rd_to_lonlat
from bench import catalogue
from tools import demo_inputs

CRS = "EPSG:28992"
SEED = 2024
INDELING = 2024
KERNCIJFER_YEARS = (2020, 2021, 2022, 2023, 2024)   # of the value model, and of the 9-indicator reference
CATALOGUE_YEARS = (2023, 2024)                      # every topic of the real layout (bench/catalogue.py)
REFERENCE = "reference-9"                           # the folder of the 9-indicator reference's kerncijfers
HEALTH_WAVES = (2012, 2016, 2020, 2022, 2024)
NATIONAL = dict(gemeenten=342, buurten=14_800, initiatives=2_000, agenda=500)
BUURTEN_PER_WIJK = 4.5
VERTICES_PER_BUURT = 180
WARP_M = 22.0                    # how far the warp moves a point at most (metres)
NL_AREA_KM2 = 35_000.0
SHARED_GEMEENTEN = Path("cbs") / "boundaries" / "gemeenten_2023_pdok_wfs_simplified.geojson"
NOT_PUBLISHED, SUPPRESSED = -99995, -99997


def shared_gemeenten_path(repo: Path = Path(__file__).resolve().parents[1]) -> Path:
    """Where the real (simplified) gemeente outlines live, beside the repository."""
    return Path(repo).parent / "shared" / SHARED_GEMEENTEN


# --------------------------------------------------------------------------------------------- geometry

@dataclass(frozen=True)
class Gemeenten:
    codes: list[str]
    names: list[str]
    inwoners: np.ndarray
    geometry: np.ndarray          # valid coverage, EPSG:28992


@dataclass(frozen=True)
class Buurten:
    """The finest level: one row per buurt, in code order."""
    code: list[str]
    name: list[str]
    wijk: np.ndarray              # index into Wijken
    geometry: np.ndarray
    weight: np.ndarray            # share of its gemeente's inhabitants


@dataclass(frozen=True)
class Wijken:
    code: list[str]
    name: list[str]
    gemeente: np.ndarray          # index into Gemeenten


def real_gemeenten(path: Path, count: int | None = None) -> Gemeenten:
    """The shared PDOK gemeenten, repaired into a valid coverage; ``count`` nearest to the first, if given."""
    frame = gpd.read_file(path).to_crs(CRS).sort_values("gemeentecode", ignore_index=True)
    frame = frame[frame.aantalInwoners.fillna(0) > 0].reset_index(drop=True)   # not GM0998 Buitenland
    if count is not None:
        centre = frame.geometry.iloc[0].representative_point()
        frame = frame.iloc[np.argsort(frame.geometry.representative_point().distance(centre))[:count]]
        frame = frame.sort_values("gemeentecode", ignore_index=True)
    geometry = shapely.make_valid(frame.geometry.values)
    geometry = shapely.coverage_clean(geometry, gap_width=300.0, snapping_distance=1.0)
    return Gemeenten(list(frame.gemeentecode), list(frame.gemeentenaam),
                     frame.aantalInwoners.to_numpy(dtype=float), _polygonal(geometry))


def synthetic_gemeenten(rng, count: int) -> Gemeenten:
    """Voronoi gemeenten in an irregular blob of ``count``/342 of the Dutch land area."""
    radius = math.sqrt(NL_AREA_KM2 * 1e6 * count / NATIONAL["gemeenten"] / math.pi)
    centre = np.array([155_000.0, 463_000.0])
    angles = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    r = radius * (1 + 0.12 * np.sin(3 * angles + 0.7) + 0.07 * np.cos(5 * angles + 1.9))
    outline = shapely.Polygon(centre + np.column_stack([r * np.cos(angles), r * np.sin(angles)]))
    seeds = _lloyd(_uniform_points(rng, outline, count), outline, rounds=3)
    cells = _voronoi_in(seeds, outline)
    inwoners = np.round(np.exp(rng.normal(np.log(30_000), 0.8, count)))
    codes = [f"GM{9000 - count + i:04d}" for i in range(count)]
    return Gemeenten(codes, [f"Benchstad {i + 1}" for i in range(count)], inwoners, _polygonal(cells))


def _polygonal(geometry: np.ndarray) -> np.ndarray:
    """Only the polygon parts (cleaning and clipping can leave lines or points on touching borders)."""
    out = []
    for geom in geometry:
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if len(parts) > 1 else parts[0])
    return np.array(out, dtype=object)


def _uniform_points(rng, polygon, n: int, bias=None) -> np.ndarray:
    """``n`` random points inside ``polygon``; ``bias(x, y)`` in (0, 1] thins them out where it is small."""
    xmin, ymin, xmax, ymax = polygon.bounds
    shapely.prepare(polygon)
    found = np.empty((0, 2))
    while len(found) < n:
        xy = rng.uniform((xmin, ymin), (xmax, ymax), (max(64, 4 * n), 2))
        keep = shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])
        if bias is not None:
            keep &= rng.random(len(xy)) < bias(xy[:, 0], xy[:, 1])
        found = np.vstack([found, xy[keep]])
    return found[:n]


def _voronoi_in(seeds: np.ndarray, polygon) -> np.ndarray:
    """Voronoi cells of ``seeds`` clipped to ``polygon``, in seed order."""
    if len(seeds) == 1:
        return np.array([polygon], dtype=object)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=polygon.buffer(1000),
                                                       ordered=True))
    return shapely.intersection(cells, polygon)


def _lloyd(seeds: np.ndarray, polygon, rounds: int) -> np.ndarray:
    """Even seeds out a little: move each to the centroid of its cell when that lies inside the polygon."""
    for _ in range(rounds):
        centroids = shapely.get_coordinates(shapely.centroid(_voronoi_in(seeds, polygon)))
        if len(centroids) != len(seeds):
            break
        inside = shapely.contains_xy(polygon, centroids[:, 0], centroids[:, 1])
        seeds = np.where(inside[:, None], centroids, seeds)
    return seeds


def buurt_counts(gemeenten: Gemeenten, total: int) -> np.ndarray:
    """Buurten per gemeente in proportion to inhabitants and area (largest remainders; at least 2)."""
    area = shapely.area(gemeenten.geometry)
    share = 0.6 * gemeenten.inwoners / gemeenten.inwoners.sum() + 0.4 * area / area.sum()
    exact = share * total
    counts = np.maximum(np.floor(exact).astype(int), 2)
    remainder = total - counts.sum()
    if remainder > 0:
        counts[np.argsort(-(exact - np.floor(exact)))[:remainder]] += 1
    return counts


def _seeds(rng, polygon, n: int) -> np.ndarray:
    """Buurt seeds, denser towards the gemeente's centre, evened out by two Lloyd rounds."""
    core = shapely.get_coordinates(shapely.point_on_surface(polygon))[0]
    scale = math.sqrt(polygon.area) / 2.5

    def bias(x, y):
        return 0.15 + 0.85 * np.exp(-np.hypot(x - core[0], y - core[1]) / scale)

    return _lloyd(_uniform_points(rng, polygon, n, bias), polygon, rounds=2)


def warp(xy: np.ndarray) -> np.ndarray:
    """A smooth displacement that depends on position only: a shared vertex moves the same way for both sides.

    The largest gradient is well below 1, so the warp folds nothing over (a valid coverage stays valid).
    """
    x, y = xy[:, 0], xy[:, 1]
    dx = 0.55 * np.sin(x / 173.0 + y / 331.0) + 0.3 * np.sin(y / 97.0 - x / 149.0 + 1.3) + 0.15 * np.sin(x / 71.0)
    dy = 0.55 * np.cos(y / 191.0 - x / 283.0) + 0.3 * np.sin(x / 103.0 + y / 139.0 + 0.4) + 0.15 * np.cos(y / 67.0)
    return np.round(xy + WARP_M * np.column_stack([dx, dy]), 2)


def subdivide(rng, gemeenten: Gemeenten, n_buurten: int, vertices_per_buurt: int = VERTICES_PER_BUURT):
    """Buurt geometries of every gemeente as one national coverage: ``(cell geometries, gemeente per cell)``."""
    counts = buurt_counts(gemeenten, n_buurten)
    cells, owner = [], []
    for g, (polygon, n) in enumerate(zip(gemeenten.geometry, counts)):
        pieces = _voronoi_in(_seeds(rng, polygon, n), polygon)
        cells.extend(pieces)
        owner.extend([g] * len(pieces))
    cells = np.array(cells, dtype=object)
    # node every edge once, nationally, on a centimetre grid; then one spacing for all of them
    network = shapely.unary_union(shapely.boundary(cells), grid_size=0.01)
    chains = shapely.get_parts(shapely.line_merge(network))
    spacing = 2 * shapely.length(chains).sum() / (vertices_per_buurt * len(cells))
    faces = shapely.get_parts(shapely.polygonize(shapely.segmentize(chains, spacing)))
    # each straight face lies inside exactly one cell; gaps the cleaning left belong to none and are dropped
    tree = shapely.STRtree(cells)
    face_index, cell_index = tree.query(shapely.point_on_surface(faces), predicate="within")
    face_index, first = np.unique(face_index, return_index=True)
    cell_index = cell_index[first]
    bent = shapely.transform(faces[face_index], warp)
    order = np.argsort(cell_index, kind="stable")
    geometry = np.empty(len(cells), dtype=object)
    for cell, group in _groups(cell_index[order], bent[order]):
        geometry[cell] = group[0] if len(group) == 1 else shapely.coverage_union_all(group)
    present = np.array([g is not None for g in geometry])
    return geometry[present], np.array(owner)[present]


def _groups(keys: np.ndarray, values: np.ndarray):
    """``(key, values)`` runs of sorted ``keys``."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    for start, end in zip(starts, np.r_[starts[1:], len(keys)]):
        yield keys[start], list(values[start:end])


def divide(rng, gemeenten: Gemeenten, geometry: np.ndarray, owner: np.ndarray) -> tuple[Wijken, Buurten]:
    """Group each gemeente's cells into wijken of ~4–5 neighbours; codes numbered north to south."""
    centres = shapely.get_coordinates(shapely.point_on_surface(geometry))
    wijk_code, wijk_name, wijk_gemeente = [], [], []
    rows = []   # (buurt code, name, wijk index, geometry index)
    for g, gm in enumerate(gemeenten.codes):
        members = np.flatnonzero(owner == g)
        k = int(np.clip(round(len(members) / BUURTEN_PER_WIJK), 1, 100))
        if k == 1:
            labels = np.zeros(len(members), dtype=int)
        else:
            _, labels = kmeans2(centres[members], k, minit="++", seed=rng, iter=20)
        groups = [members[labels == label] for label in np.unique(labels)]
        groups.sort(key=lambda m: (-centres[m, 1].mean(), centres[m, 0].mean()))
        if len(groups) > 100 or any(len(m) > 100 for m in groups):
            raise ValueError(f"{gm}: more than 100 wijken or buurten per wijk do not fit CBS codes")
        for number, group in enumerate(groups):
            wijk = len(wijk_code)
            wijk_code.append(f"WK{gm[2:]}{number:02d}")
            wijk_name.append(f"{gemeenten.names[g]} wijk {number + 1}")
            wijk_gemeente.append(g)
            group = sorted(group, key=lambda i: (-centres[i, 1], centres[i, 0]))
            for b, index in enumerate(group):
                rows.append((f"BU{gm[2:]}{number:02d}{b:02d}", f"{wijk_name[-1]} buurt {b + 1}", wijk, index))
    rows.sort()
    weight = np.exp(rng.normal(0, 0.5, len(rows)))
    wijken = Wijken(wijk_code, wijk_name, np.array(wijk_gemeente))
    buurt_wijk = np.array([r[2] for r in rows])
    per_gemeente = np.bincount(wijken.gemeente[buurt_wijk], weights=weight, minlength=len(gemeenten.codes))
    buurten = Buurten([r[0] for r in rows], [r[1] for r in rows], buurt_wijk,
                      geometry[[r[3] for r in rows]], weight / per_gemeente[wijken.gemeente[buurt_wijk]])
    return wijken, buurten


# ------------------------------------------------------------------------------------------ value model

@dataclass(frozen=True)
class Figures:
    """Per level (gemeente, wijk, buurt) and year: codes and the published value of each figure (NaN: none)."""
    codes: dict           # level -> list of codes
    names: dict           # level -> list of names
    gemeente_name: dict   # level -> list of gemeente names
    values: dict          # (level, year, figure) -> np.ndarray
    buurt_inwoners: np.ndarray
    buurt_model: dict     # year -> {"inwoners", "huishoudens"}: the buurten's unrounded figures
    deprivation: np.ndarray   # per buurt
    groups: dict          # level -> region index of every buurt


FIGURES = ("inwoners", "huishoudens", "laag_inkomen", "sociaal_minimum", "gas", "elektriciteit")


def model(rng, gemeenten: Gemeenten, wijken: Wijken, buurten: Buurten) -> Figures:
    """One value model for all files, so the same figure agrees wherever it appears."""
    n = len(buurten.code)
    wijk_gm = wijken.gemeente
    gm_of = wijk_gm[buurten.wijk]
    gm_effect = rng.normal(0, 1, len(gemeenten.codes))
    wijk_effect = rng.normal(0, 0.7, len(wijken.code))
    deprivation = gm_effect[gm_of] + wijk_effect[buurten.wijk] + rng.normal(0, 0.5, n)
    base = gemeenten.inwoners[gm_of] * buurten.weight
    growth = rng.normal(0.005, 0.01, n)
    size = np.clip(2.15 + 0.25 * rng.normal(0, 1, n) - 0.1 * deprivation, 1.4, 3.2)
    laag, minimum = np.clip(8 + 3 * deprivation, 2, 30), np.clip(6 + 2 * deprivation, 1.5, 20)
    gas, power = 1150 * np.exp(rng.normal(0, 0.15, n)), 2800 * np.exp(rng.normal(0, 0.1, n))
    buurt = {}
    for t, year in enumerate(KERNCIJFER_YEARS):
        inwoners = base * (1 + growth) ** t
        buurt[year] = {"inwoners": inwoners, "huishoudens": inwoners / size,
                       "laag_inkomen": np.clip(laag + rng.normal(0, 0.4, n) - 0.2 * t, 1, 35),
                       "sociaal_minimum": np.clip(minimum + rng.normal(0, 0.3, n), 1, 25),
                       "gas": gas * (0.95 ** t) * np.exp(rng.normal(0, 0.02, n)),
                       "elektriciteit": power * (0.98 ** t) * np.exp(rng.normal(0, 0.02, n))}
    groups = {"buurt": np.arange(n), "wijk": buurten.wijk, "gemeente": gm_of}
    sizes = {"buurt": n, "wijk": len(wijken.code), "gemeente": len(gemeenten.codes)}
    values = {}
    for level, group in groups.items():
        for year in KERNCIJFER_YEARS:
            b = buurt[year]
            inwoners = np.bincount(group, b["inwoners"], sizes[level])
            huishoudens = np.bincount(group, b["huishoudens"], sizes[level])
            count = np.round if level == "gemeente" else (lambda v: 5 * np.round(v / 5))
            values[level, year, "inwoners"] = count(inwoners)
            values[level, year, "huishoudens"] = count(huishoudens)
            for name in FIGURES[2:]:
                mean = np.bincount(group, b[name] * b["huishoudens"], sizes[level]) / np.maximum(huishoudens, 1e-9)
                threshold = 100 if name in ("laag_inkomen", "sociaal_minimum") else 50
                rounded = np.round(mean, 1) if name in ("laag_inkomen", "sociaal_minimum") else 10 * np.round(mean / 10)
                values[level, year, name] = np.where(huishoudens < threshold, np.nan, rounded)
    gm_names = np.array(gemeenten.names)
    return Figures(
        codes={"gemeente": gemeenten.codes, "wijk": wijken.code, "buurt": buurten.code},
        names={"gemeente": gemeenten.names, "wijk": wijken.name, "buurt": buurten.name},
        gemeente_name={"gemeente": gemeenten.names, "wijk": list(gm_names[wijk_gm]), "buurt": list(gm_names[gm_of])},
        values=values, buurt_inwoners=buurt[INDELING]["inwoners"], buurt_model=buurt, deprivation=deprivation,
        groups=groups)


# ------------------------------------------------------------------------------------------ writers

def write_boundaries(gemeenten, wijken, buurten, figures: Figures, out: Path) -> Path:
    """The Wijk- en buurtkaart of the indeling year, with its snake_case kerncijfers."""
    path = out / f"wijkenbuurten_{INDELING}.gpkg"
    path.unlink(missing_ok=True)
    wijk_geometry = _unions(buurten.geometry, buurten.wijk, len(wijken.code))
    gm_geometry = _unions(wijk_geometry, wijken.gemeente, len(gemeenten.codes))
    parents = {"buurt": {"wijkcode": [wijken.code[w] for w in buurten.wijk]}, "wijk": {}, "gemeente": {}}
    for layer, level, key, geometry in (("gemeenten", "gemeente", "gemeente", gm_geometry),
                                        ("wijken", "wijk", "wijk", wijk_geometry),
                                        ("buurten", "buurt", "buurt", buurten.geometry)):
        codes = figures.codes[level]
        columns = {f"{key}code": codes, f"{key}naam": figures.names[level], **parents[level]}
        if level != "gemeente":
            columns |= {"gemeentecode": ["GM" + c[2:6] for c in codes], "gemeentenaam": figures.gemeente_name[level]}
        columns |= {"indelingswijziging_wijken_en_buurten": 1, "water": "NEE"}
        for figure, column in zip(FIGURES, demo_inputs.KERNCIJFER_COLUMNS):
            value = figures.values[level, INDELING, figure]
            columns[column] = np.where(np.isnan(value), SUPPRESSED, value)
        columns |= {"jrstatcode": [f"{INDELING}{c}" for c in codes], "jaar": INDELING}
        frame = gpd.GeoDataFrame(columns, geometry=[_multi(g) for g in geometry], crs=CRS)
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio",
                      layer_options={"GEOMETRY_NAME": "geom", "FID": "fid"})
    return path


def _unions(geometry: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    order = np.argsort(group, kind="stable")
    out = np.empty(n, dtype=object)
    for key, parts in _groups(group[order], geometry[order]):
        out[key] = shapely.coverage_union_all(parts)
    return out


def _multi(geometry):
    return MultiPolygon([geometry]) if geometry.geom_type == "Polygon" else geometry


def data_properties(year: int) -> list[dict]:
    """The demo's DataProperties of the year; a year the demo lacks gets the nearest one's, suffixes shifted."""
    if year in demo_inputs.YEARS:
        return demo_inputs.data_properties(year)
    known = min(demo_inputs.YEARS, key=lambda y: abs(y - year))
    shift = year - known
    properties = json.loads(json.dumps(demo_inputs.data_properties(known)).replace(str(known), str(year)))
    for prop in properties:
        if prop.get("Type") == "Topic" and prop["Key"].rsplit("_", 1)[-1].isdigit() and prop["Position"] > 4:
            stem, number = prop["Key"].rsplit("_", 1)
            prop["Key"] = f"{stem}_{int(number) + shift}"
            prop["Position"] = int(number) + shift
    return properties


def _odata_keys(properties: list[dict]) -> dict[str, str]:
    """Figure -> OData key, found by title the way the ETL resolves them."""
    by_title = {p["Title"].lower(): p["Key"] for p in properties if p.get("Type") == "Topic"}
    wanted = {"inwoners": "aantal inwoners", "huishoudens": "huishoudens totaal",
              "laag_inkomen": "huishoudens met een laag inkomen", "sociaal_minimum": "huish. onder of rond sociaal minimum",
              "gas": "gemiddeld aardgasverbruik totaal"}
    keys = {figure: by_title[title] for figure, title in wanted.items()}
    keys["elektriciteit"] = next(k for t, k in by_title.items() if t.startswith("gemiddeld") and "elektriciteit" in t)
    return keys


def write_kerncijfers(figures: Figures, folder: Path) -> list[Path]:
    """The six figures of the value model for 2020 … 2024 (the 9-indicator reference, with the health file)."""
    folder.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog()
    soort = {"gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}
    paths = []
    for year in KERNCIJFER_YEARS:
        table = catalog.kerncijfers_table(year)
        properties = data_properties(year)
        keys = _odata_keys(properties)
        rows = []
        for level in ("gemeente", "wijk", "buurt"):
            columns = {keys[f]: _cells(figures.values[level, year, f], integer=f not in ("laag_inkomen", "sociaal_minimum"))
                       for f in FIGURES}
            for i, code in enumerate(figures.codes[level]):
                rows.append({"ID": len(rows), "WijkenEnBuurten": code.ljust(10),
                             "Gemeentenaam_1": figures.gemeente_name[level][i].ljust(40),
                             "SoortRegio_2": soort[level].ljust(10), "Codering_3": code.ljust(20),
                             "IndelingswijzigingGemeenteWijkBuurt_4": "1",
                             **{key: column[i] for key, column in columns.items()}})
        dataset = {"odata.metadata": f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata"
                                     "#Cbs.OData.WebAPI.TypedDataSet", "value": rows}
        for name, content in (("DataProperties", properties), ("TypedDataSet", dataset)):
            path = folder / f"{table}_{name}.json"
            path.write_text(json.dumps(content, separators=(",", ":")) + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def _cells(values: np.ndarray, integer: bool) -> list:
    return [None if math.isnan(v) else (int(v) if integer else float(v)) for v in values.tolist()]


def write_health(rng, figures: Figures, out: Path) -> Path:
    """The RIVM 50120NED export: per wave, NL and every region, point estimates for 18+."""
    folder = out / "gezondheid"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{demo_inputs.HEALTH_TABLE}_gezondheid_wijk_buurt_18plus.csv"
    levels = ("gemeente", "wijk", "buurt")
    n = len(figures.codes["buurt"])
    # deprivation per region, from the income figures of the indeling year
    deprivation = {lv: np.nan_to_num((figures.values[lv, INDELING, "laag_inkomen"] - 8) / 3) for lv in levels}
    national = dict(demo_inputs.NATIONAL)
    national[2024] = (49.5, 12.6, 15.1)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(demo_inputs.HEALTH_HEADER)
        row_id = 0
        for wave in HEALTH_WAVES:
            lonely, severe, hardship = national[wave]
            regions = [("Land", ["NL01"], ["Nederland"], {key: np.array([nat if nat is not None else 0.0])
                                                          for key, nat, _ in demo_inputs.HEALTH_COLUMNS})]
            for lv in levels:
                d = deprivation[lv]
                noise = lambda: rng.normal(0, 0.8, len(d))  # noqa: E731
                estimates = {}
                for key, nat, slope in demo_inputs.HEALTH_COLUMNS:
                    if key == "Eenzaam_28":
                        estimates[key] = lonely + 1.5 * d + noise()
                    elif key == "ErnstigZeerErnstigEenzaam_29":
                        estimates[key] = severe + 0.8 * d + 0.5 * noise()
                    elif key == "MoeiteMetRondkomen_38":
                        estimates[key] = hardship + 2.2 * d + noise()
                    elif nat is not None:
                        estimates[key] = nat + slope * d + noise()
                regions.append((lv.capitalize(), figures.codes[lv], figures.gemeente_name[lv], estimates))
            regions[0][3].update({"Eenzaam_28": np.array([lonely]), "ErnstigZeerErnstigEenzaam_29": np.array([severe]),
                                  "MoeiteMetRondkomen_38": np.array([hardship])})
            for soort, codes, gm_names, estimates in regions:
                cells = [[f"{min(max(v, 0.1), 99.9):8.1f}" for v in estimates[key].tolist()] if key in estimates
                         else None for key, *_ in demo_inputs.HEALTH_COLUMNS]
                for i, code in enumerate(codes):
                    writer.writerow([str(row_id * 3 + 2), "20300", "MW00000", code.ljust(10), f"{wave}JJ00",
                                     gm_names[i].ljust(40), soort.ljust(10), code.ljust(20),
                                     *(c[i] if c is not None else "" for c in cells)])
                    row_id += 1
    del n
    return path


THEMES = ("armoede", "energie", "eenzaamheid", "bevolking", "wonen", "veiligheid", "groen", "ontmoeting",
          "gezondheid", "jeugd", "overig")
STATUSES = ("idee", "gepland", "loopt", "loopt", "loopt", "afgerond", "gestopt")
INITIATIVE_HEADER = ["id", "naam", "omschrijving", "thema", "status", "organisatie", "startdatum", "einddatum",
                     "lengtegraad", "breedtegraad", "rd_x", "rd_y", "buurtcode", "wijkcode", "openbaar",
                     "contactpersoon", "email", "telefoon"]


def _comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def write_initiatives(rng, buurten: Buurten, wijken: Wijken, figures: Figures, count: int, out: Path) -> Path:
    """Initiatives in the demo's template (``;``, decimal commas, BOM), placed in populous buurten."""
    p = figures.buurt_inwoners / figures.buurt_inwoners.sum()
    chosen = rng.choice(len(buurten.code), size=count, p=p)
    points = shapely.get_coordinates(shapely.point_on_surface(buurten.geometry[chosen]))
    lon, lat = rd_to_lonlat(points[:, 0], points[:, 1])
    rows = [INITIATIVE_HEADER]
    for i, b in enumerate(chosen):
        where = ("lonlat", "rd", "buurt", "wijk")[int(rng.choice(4, p=[0.5, 0.3, 0.15, 0.05]))]
        location = {"lonlat": [_comma(lon[i], 6), _comma(lat[i], 6), "", "", "", ""],
                    "rd": ["", "", _comma(points[i, 0], 2), _comma(points[i, 1], 2), "", ""],
                    "buurt": ["", "", "", "", buurten.code[b], ""],
                    "wijk": ["", "", "", "", "", wijken.code[buurten.wijk[b]]]}[where]
        start = date(2020, 1, 1) + timedelta(days=int(rng.integers(0, 1800)))
        end = start + timedelta(days=int(rng.integers(60, 1500))) if rng.random() < 0.6 else None
        theme = THEMES[int(rng.integers(len(THEMES)))]
        rows.append([f"INI-{i + 1:05d}", f"Initiatief {i + 1} ({theme})", f"Een {theme}-initiatief in {buurten.name[b]}.",
                     theme, STATUSES[int(rng.integers(len(STATUSES)))], f"Stichting Bench {i % 97 + 1}",
                     start.strftime("%d-%m-%Y"), end.strftime("%d-%m-%Y") if end else "", *location,
                     "ja" if rng.random() < 0.8 else "nee", f"Contact {i + 1}", f"contact{i + 1}@bench.example",
                     f"06-{10_000_000 + i:08d}"])
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = out / "initiatieven.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return path


AGENDA_INDICATORS = ("laag_inkomen", "sociaal_minimum", "aardgas", "elektriciteit", "eenzaam", None, None)


def write_agenda(rng, wijken: Wijken, count: int, out: Path) -> Path:
    """A wijkagenda workbook in the demo's template: sheet ``agenda`` and sheet ``voortgang``."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    items = workbook.create_sheet("agenda")
    items.append(["id", "wijkcode", "titel", "omschrijving", "thema", "eigenaar", "status", "voortgang (%)",
                  "startdatum", "deadline", "bovenliggend", "indicator", "basisjaar", "richting", "doel",
                  "openbaar", "notitie"])
    updates = workbook.create_sheet("voortgang")
    updates.append(["id", "datum", "voortgang (%)", "status", "notitie"])
    for i in range(count):
        item = f"WA-{i + 1:04d}"
        wijk = wijken.code[int(rng.integers(len(wijken.code)))]
        status = STATUSES[int(rng.integers(1, len(STATUSES)))]
        progress = 100 if status == "afgerond" else int(rng.integers(0, 95))
        start = date(2021, 1, 1) + timedelta(days=int(rng.integers(0, 1200)))
        due = start + timedelta(days=int(rng.integers(180, 1800)))
        indicator = AGENDA_INDICATORS[int(rng.integers(len(AGENDA_INDICATORS)))]
        items.append([item, wijk, f"Agendapunt {i + 1}", "Een punt van de wijkagenda.",
                      THEMES[int(rng.integers(len(THEMES)))], "Gemeente", status, progress, start, due, None,
                      indicator, 2021 if indicator else None, "omlaag" if indicator else None,
                      None, "ja" if rng.random() < 0.8 else "nee", None])
        for step in range(1, 4):
            updates.append([item, start + timedelta(days=60 * step), progress * step // 3,
                            status if step == 3 else "loopt", f"Stap {step}."])
    path = out / "wijkagenda.xlsx"
    workbook.save(path)
    return path


# ------------------------------------------------------------------------------------------ entry point

def generate(out: Path, seed: int = SEED, scale: float = 1.0, gemeenten: int | None = None,
             outlines: Path | None = None, progress=print) -> dict:
    """Write the whole benchmark input into ``out``; returns counts, timings and the paths written.

    ``scale`` multiplies the number of buurten (and initiatives and agenda items) per gemeente; ``gemeenten``
    limits the number of gemeenten (``None``: 342, or all of the real outlines). ``outlines``: the real
    gemeenten GeoJSON to subdivide (default: the shared one, when it exists; pass a missing path to generate).
    """
    import time

    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    outlines = shared_gemeenten_path() if outlines is None else Path(outlines)
    if outlines.is_file():
        gm = real_gemeenten(outlines, gemeenten)
    else:
        gm = synthetic_gemeenten(rng, gemeenten or NATIONAL["gemeenten"])
    share = len(gm.codes) / NATIONAL["gemeenten"]
    n_buurten = max(2 * len(gm.codes), round(NATIONAL["buurten"] * share * scale))
    geometry, owner = subdivide(rng, gm, n_buurten)
    wijken, buurten = divide(rng, gm, geometry, owner)
    figures = model(rng, gm, wijken, buurten)
    progress(f"bench generate: {len(gm.codes)} gemeenten, {len(wijken.code)} wijken, {len(buurten.code)} buurten, "
             f"{int(shapely.get_num_coordinates(buurten.geometry).sum()):,} buurt vertices "
             f"({time.perf_counter() - started:.1f} s)")
    paths = [write_boundaries(gm, wijken, buurten, figures, out)]
    paths += catalogue.full_catalogue(figures, figures.buurt_model, figures.deprivation,
                                      shapely.area(buurten.geometry) / 10_000, figures.groups, CATALOGUE_YEARS,
                                      out / "kerncijfers", load_catalog().kerncijfers_table)
    paths += write_kerncijfers(figures, out / REFERENCE / "kerncijfers")
    paths.append(write_health(rng, figures, out))
    paths.append(write_initiatives(rng, buurten, wijken, figures, max(10, round(NATIONAL["initiatives"] * share * scale)), out))
    paths.append(write_agenda(rng, wijken, max(5, round(NATIONAL["agenda"] * share * scale)), out))
    seconds = time.perf_counter() - started
    progress(f"bench generate: wrote {len(paths)} files to {out} in {seconds:.1f} s")
    return {"gemeenten": len(gm.codes), "wijken": len(wijken.code), "buurten": len(buurten.code),
            "vertices": int(shapely.get_num_coordinates(buurten.geometry).sum()), "seconds": seconds,
            "paths": paths, "buurt_geometry": buurten.geometry, "buurt_codes": buurten.code}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    generate(args.out, seed=args.seed, progress=lambda message: print(message, file=sys.stderr, flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
