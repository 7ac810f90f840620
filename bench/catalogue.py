"""The full catalogue of *Kerncijfers wijken en buurten* for the national benchmark: every topic of the real
85984NED layout (``tools/demo_kerncijfers.py``, the demo's own file), for every gemeente, wijk and buurt.

The demo fills each topic per region from its ~50 cells; here every buurt is a cell, so each topic is computed
once for all buurten and aggregated to wijken and gemeenten with ``numpy.bincount``, by the same rules as the
demo (:data:`tools.demo_kerncijfers.TOPICS`: counts add up, shares and averages are weighted, densities divide by
land area; rounding and suppression as the DataProperties and CBS say). The figures of the bench's value model
(inhabitants, households, income, energy) come from :class:`bench.generate.Figures`, so they agree with the
boundary file. Rows are written one at a time: a national year is ~18,500 rows of ~130 topics.
"""
from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np

from tools import demo_inputs
from tools import demo_kerncijfers as demo

LEVELS = ("gemeente", "wijk", "buurt")
SOORT = {"gemeente": "Gemeente", "wijk": "Wijk", "buurt": "Buurt"}
WATER_SHARE = 0.05         # of a buurt's area


def urban_of(inwoners: np.ndarray, land_ha: np.ndarray) -> np.ndarray:
    """How urban a buurt is (0 … 1) from its density: 100 inhabitants per km² or fewer is 0, 10,000 or more 1."""
    density = inwoners / np.maximum(land_ha / 100, 1e-6)
    return np.clip((np.log10(np.maximum(density, 1.0)) - 2) / 2, 0, 1)


def buurt_cells(inwoners: np.ndarray, huishoudens: np.ndarray, deprivation: np.ndarray, area_ha: np.ndarray,
                year: int) -> demo.Cells:
    land = area_ha * (1 - WATER_SHARE)
    return demo.Cells(inwoners, huishoudens, deprivation, urban_of(inwoners, land), land, area_ha * WATER_SHARE,
                      year)


def aggregate(kind, values: np.ndarray, cells: demo.Cells, group: np.ndarray, size: int) -> np.ndarray:
    """Every region's figure from its cells' values (NaN where it has none), as
    :func:`tools.demo_kerncijfers.aggregate` does for one region."""
    total = np.bincount(group, values, size)
    if kind == "sum":
        return total
    if kind == "density":
        land_km2 = np.bincount(group, cells.land_ha, size) / 100
        return np.where(land_km2 > 0, total / np.maximum(land_km2, 1e-12), np.nan)
    weights = getattr(cells, kind[1])
    weight = np.bincount(group, weights, size)
    return np.where(weight > 0, np.bincount(group, values * weights, size) / np.maximum(weight, 1e-12), np.nan)


def level_figures(layout: list[dict], cells: demo.Cells, group: np.ndarray, size: int, totals: dict, level: str,
                  unpublished: bool = False) -> dict[str, list]:
    """``{key: [value or None per region]}`` of every numeric topic the demo's value model does not fill:
    :func:`tools.demo_kerncijfers.region_figures` for all regions of a level at once. ``totals``: the regions'
    ``gas`` and ``elektriciteit`` (NaN where not published)."""
    households = np.bincount(group, cells.huishoudens, size)
    inhabitants = np.bincount(group, cells.inwoners, size)
    out = {}
    for prop in layout:
        if prop["Type"] != "Topic" or prop.get("Datatype") == "String":
            continue
        stem, path = demo.key_stem(prop["Key"]), demo.group_path(layout, prop)
        topic = demo.TOPICS.get(f"{stem}@{path[-1]}") or demo.TOPICS.get(stem)
        if topic is not None:
            value = aggregate(topic[0], np.asarray(topic[1](cells, stem), dtype=float), cells, group, size)
        elif stem in demo.ENERGY_FACTORS:
            gas = "Gemiddeld aardgasverbruik" in path
            total = np.asarray(totals["gas" if gas else "elektriciteit"], dtype=float)
            wobble = 1 + 0.01 * (zlib.crc32(stem.encode()) % 7 - 3)
            value = total * demo.ENERGY_FACTORS[stem][1 if gas else 0] * wobble
        else:
            continue
        counted = topic is not None and topic[0] == "sum"
        hidden = np.isnan(value) | (unpublished and path[0] in demo.UNPUBLISHED_GROUPS)
        if path[0] in demo.INCOME_GROUPS and not counted:
            hidden |= households < 100
        if path[0] in demo.ENERGY_GROUPS:
            hidden |= households < 50
        if path[0] != "Oppervlakte" and not counted:
            hidden |= inhabitants == 0
        value = np.nan_to_num(value)
        if counted and level != "gemeente" and prop["Unit"] == "aantal":
            value = 5 * np.round(value / 5)
        if prop.get("Datatype") == "Long":
            cells_out = np.round(value).astype(np.int64).tolist()
        else:
            cells_out = np.round(value, int(prop.get("Decimals") or 0)).tolist()
        out[prop["Key"]] = [None if h else v for h, v in zip(hidden.tolist(), cells_out)]
    return out


def _model_column(values: np.ndarray, integer: bool) -> list:
    return [None if np.isnan(v) else (int(v) if integer else float(v)) for v in values.tolist()]


def write_typed_dataset(path: Path, table: str, layout: list[dict], regions: dict, columns: dict) -> Path:
    """A TypedDataSet in the service's envelope, one row per line of JSON, gemeenten, wijken, then buurten.

    ``regions``: level -> (codes, gemeente names); ``columns``: level -> {key: values}, the numeric topics."""
    topics = [p for p in layout if p["Type"] == "Topic"]
    row_id = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"odata.metadata":' + json.dumps(f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata"
                                                       "#Cbs.OData.WebAPI.TypedDataSet") + ',"value":[')
        for level in LEVELS:
            codes, gemeente_names = regions[level]
            figures = columns[level]
            for i, code in enumerate(codes):
                row = {"ID": row_id, "WijkenEnBuurten": code.ljust(10)}
                for topic in topics:
                    key, stem = topic["Key"], demo.key_stem(topic["Key"])
                    if stem == "Gemeentenaam":
                        row[key] = gemeente_names[i].ljust(40)
                    elif stem == "SoortRegio":
                        row[key] = SOORT[level].ljust(10)
                    elif stem == "Codering":
                        row[key] = code.ljust(20)
                    elif stem == "IndelingswijzigingGemeenteWijkBuurt":
                        row[key] = "1"
                    elif stem == "MeestVoorkomendePostcode":
                        row[key] = f"{1000 + zlib.crc32(code.encode()) % 9000:04d}"
                    elif key in figures:
                        row[key] = figures[key][i]
                    else:
                        row[key] = None
                handle.write(("," if row_id else "") + json.dumps(row, separators=(",", ":")))
                row_id += 1
        handle.write("]}\n")
    return path


def full_catalogue(figures, buurt_model: dict, deprivation: np.ndarray, area_ha: np.ndarray,
                   groups: dict[str, np.ndarray], years, folder: Path, table_of) -> list[Path]:
    """DataProperties and TypedDataSet of every topic for ``years`` (``buurt_model[year]``: the buurten's
    unrounded inhabitants and households; ``groups``: level -> region index of every buurt)."""
    folder.mkdir(parents=True, exist_ok=True)
    regions = {level: (figures.codes[level], figures.gemeente_name[level]) for level in LEVELS}
    paths = []
    for year in years:
        table = table_of(year)
        layout = demo_inputs.data_properties(year)
        keys = {demo.key_stem(p["Key"]): p["Key"] for p in layout if p["Type"] == "Topic"}
        cells = buurt_cells(buurt_model[year]["inwoners"], buurt_model[year]["huishoudens"], deprivation, area_ha,
                            year)
        columns = {}
        for level in LEVELS:
            size = len(figures.codes[level])
            totals = {name: figures.values[level, year, name] for name in ("gas", "elektriciteit")}
            columns[level] = level_figures(layout, cells, groups[level], size, totals, level)
            for stem, name in demo_inputs.MODEL_STEMS.items():
                if stem in keys:
                    columns[level][keys[stem]] = _model_column(figures.values[level, year, name],
                                                               integer=name not in ("laag_inkomen", "sociaal_minimum"))
        properties = folder / f"{table}_DataProperties.json"
        properties.write_text(json.dumps(demo.envelope(table, layout), separators=(",", ":")) + "\n", encoding="utf-8")
        paths += [properties, write_typed_dataset(folder / f"{table}_TypedDataSet.json", table, layout, regions,
                                                  columns)]
    return paths
