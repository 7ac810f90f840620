"""PDOK and the two CBS OData services as a local test server answers them, from recorded responses.

The answers are built at test time from the repo's demo inputs (``data/demo``: the Wijk- en buurtkaart
GeoPackages, the kerncijfers tables in the OData envelope with their DataProperties, the 50120NED export), at the
paths the real services use. The TypedDataSet feeds page with ``odata.nextLink`` and ``$skiptoken`` and filter
their rows on the ``startswith(WijkenEnBuurten,'…')`` clauses of ``$filter``, as the CBS service does.
"""
from __future__ import annotations

import csv
import json
import re
import urllib.parse
from pathlib import Path

from etl.catalog import load_catalog

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
HEALTH_TABLE = "50120NED"
NOT_NUMERIC = ("ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1", "SoortRegio_2",
               "Codering_3")


def serve_cbs(server, monkeypatch, years: list[int], page_size: int = 25, extra_rows: dict | None = None) -> None:
    """Point wijkbeeld at ``server`` and serve the demo's boundaries and kerncijfers of ``years`` and 50120NED.

    ``extra_rows``: table id → rows served beside the demo's (another gemeente, to see the filter work).
    """
    catalog = load_catalog()
    monkeypatch.setenv("WIJKBEELD_CBS_ODATA_URL", server.base)
    monkeypatch.setenv("WIJKBEELD_CBS_DATADERDEN_URL", server.base)
    monkeypatch.setenv("WIJKBEELD_PDOK_URL",
                       server.base + "/cbs/wijkenbuurten/{year}/atom/downloads/wijkenbuurten_{year}{suffix}.gpkg")
    for year in years:
        server.route(f"/cbs/wijkenbuurten/{year}/atom/downloads/wijkenbuurten_{year}.gpkg",
                     (DEMO / f"wijkenbuurten_{year}.gpkg").read_bytes())
        table = catalog.kerncijfers_table(year)
        server.route(f"/ODataApi/odata/{table}/DataProperties",
                     (DEMO / "kerncijfers" / f"{table}_DataProperties.json").read_bytes())
        recorded = json.loads((DEMO / "kerncijfers" / f"{table}_TypedDataSet.json").read_text())
        rows = recorded["value"] + (extra_rows or {}).get(table, [])
        serve_feed(server, f"/ODataFeed/odata/{table}/TypedDataSet", rows, page_size, recorded["odata.metadata"])
    header, rows = health_rows()
    server.route(f"/ODataApi/odata/{HEALTH_TABLE}/DataProperties", health_data_properties(header, catalog))
    serve_feed(server, f"/ODataFeed/odata/{HEALTH_TABLE}/TypedDataSet", rows, page_size,
               f"https://dataderden.cbs.nl/ODataFeed/OData/{HEALTH_TABLE}/$metadata#Cbs.OData.WebAPI.TypedDataSet")


def serve_feed(server, path: str, rows: list[dict], page_size: int, metadata: str) -> None:
    def answer(path_with_query: str):
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path_with_query).query)
        prefixes = re.findall(r"startswith\(WijkenEnBuurten,'([^']*)'\)", query.get("$filter", [""])[0])
        chosen = [row for row in rows if not prefixes or row["WijkenEnBuurten"].strip().startswith(tuple(prefixes))]
        start = int(query.get("$skiptoken", ["0"])[0])
        body = {"odata.metadata": metadata, "value": chosen[start:start + page_size]}
        if start + page_size < len(chosen):
            rest = {key: value[0] for key, value in query.items() if key != "$skiptoken"}
            body["odata.nextLink"] = (f"{server.base}{path}?{urllib.parse.urlencode(rest, safe='$,')}"
                                      f"&$skiptoken={start + page_size}")
        return 200, json.dumps(body).encode()

    server.answer(path, answer)


def health_rows(paths: list[Path] | None = None) -> tuple[list[str], list[dict]]:
    """50120NED exports (by default the demo's, 18+ and 65+) as TypedDataSet rows: the dimensions as the service
    pads them, numbers as numbers, no figure as null."""
    rows, header = [], []
    for path in paths or sorted((DEMO / "gezondheid").glob(f"{HEALTH_TABLE}_*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames)
            for row in reader:
                rows.append({key: (cell if key in NOT_NUMERIC[1:] else _number(cell)) for key, cell in row.items()})
    for number, row in enumerate(rows):
        row["ID"] = number
    return header, rows


def _number(cell: str):
    cell = cell.strip()
    return float(cell) if cell not in ("", ".") else None


def health_data_properties(header: list[str], catalog) -> dict:
    """DataProperties in the service's shape: the dimensions, then each column a topic titled as CBS titles it."""
    properties = [{"odata.type": f"Cbs.OData.{kind}", "ID": number, "Position": number, "ParentID": None,
                   "Type": kind, "Key": key, "Title": key, "Description": None}
                  for number, (kind, key) in enumerate([("Dimension", "Leeftijd"), ("Dimension", "Marges"),
                                                        ("GeoDimension", "WijkenEnBuurten"),
                                                        ("TimeDimension", "Perioden")])]
    for key in header:
        if key in NOT_NUMERIC[:5]:
            continue
        topic = catalog.declared_topic("gezondheid", key)
        number = len(properties)
        properties.append({"odata.type": "Cbs.OData.Topic", "ID": number, "Position": number, "ParentID": None,
                           "Type": "Topic", "Key": key, "Title": topic.title, "Description": topic.description,
                           "Datatype": "String" if key in NOT_NUMERIC else "Double", "Unit": topic.unit or "%",
                           "Decimals": 1, "Default": "Missing", "PresentationType": "Relative"})
    metadata = f"https://dataderden.cbs.nl/ODataApi/OData/{HEALTH_TABLE}/$metadata#Cbs.OData.WebAPI.DataProperties"
    return {"odata.metadata": metadata, "value": properties}
