"""The benchmark generator, at a tiny scale: a valid coverage, CBS codes, and files the real ETL loads."""
from __future__ import annotations

import json
import re

import geopandas as gpd
import pytest
import shapely

from bench.generate import REFERENCE, generate
from etl import jobs
from etl.demo import demo_files
from etl.store import open_working


@pytest.fixture(scope="module", params=["synthetic", "shared"])
def tiny(request, tmp_path_factory, shared_cbs_optional):
    if request.param == "shared" and shared_cbs_optional is None:
        pytest.skip("real gemeente outlines not found in ../shared")
    out = tmp_path_factory.mktemp(f"bench-{request.param}")
    outlines = shared_cbs_optional if request.param == "shared" else out / "no-outlines.geojson"
    return out, generate(out, seed=7, scale=0.5, gemeenten=3, outlines=outlines, progress=lambda m: None)


@pytest.fixture(scope="module")
def shared_cbs_optional():
    from bench.generate import shared_gemeenten_path

    path = shared_gemeenten_path()
    return path if path.is_file() else None


def test_buurten_form_a_valid_coverage_with_realistic_detail(tiny):
    _, result = tiny
    geometry = result["buurt_geometry"]
    assert shapely.coverage_is_valid(geometry)
    assert shapely.is_valid(geometry).all()
    assert 120 <= result["vertices"] / result["buurten"] <= 240


def test_counts_and_codes(tiny):
    out, result = tiny
    assert result["gemeenten"] == 3 and 55 <= result["buurten"] <= 75
    assert result["buurten"] / 6 <= result["wijken"] <= result["buurten"] / 3
    layers = {layer: gpd.read_file(out / "wijkenbuurten_2024.gpkg", layer=layer)
              for layer in ("gemeenten", "wijken", "buurten")}
    assert all(re.fullmatch(r"GM\d{4}", c) for c in layers["gemeenten"].gemeentecode)
    assert all(re.fullmatch(r"WK\d{6}", c) for c in layers["wijken"].wijkcode)
    buurten = layers["buurten"]
    assert all(re.fullmatch(r"BU\d{8}", c) for c in buurten.buurtcode)
    assert (buurten.buurtcode.str[2:8] == buurten.wijkcode.str[2:]).all()
    assert buurten.buurtcode.is_unique and len(buurten) == result["buurten"]


def test_same_seed_same_geometry(tiny, tmp_path):
    out, result = tiny
    again = generate(tmp_path, seed=7, scale=0.5, gemeenten=3, outlines=result["paths"][0].parent / "x"
                     if "no-outlines" in str(out) else None, progress=lambda m: None)
    if "no-outlines" in str(out):
        assert shapely.equals_exact(again["buurt_geometry"], result["buurt_geometry"], 0).all()


def test_files_load_through_the_etl_jobs(tmp_path_factory, tmp_path):
    """Every kind of file through its job (one kerncijfers year of the two, to stay fast)."""
    out = tmp_path_factory.mktemp("bench-etl")
    result = generate(out, seed=3, scale=0.3, gemeenten=2, outlines=out / "none", progress=lambda m: None)
    files = demo_files(out)
    assert len(files["kerncijfers"]) == 2
    assert len(list((out / REFERENCE / "kerncijfers").glob("*_TypedDataSet.json"))) == 5
    jobs.load_boundaries(tmp_path, file=files["boundaries"][0])
    jobs.load_initiatives(tmp_path, file=files["initiatives"][0])
    jobs.load_agenda(tmp_path, file=files["agenda"][0])
    jobs.load_kerncijfers(tmp_path, file=files["kerncijfers"][0])
    jobs.load_health(tmp_path, file=files["health"][0])
    con = open_working(tmp_path)
    try:
        regions = dict(con.execute("SELECT level, count(*) FROM regions GROUP BY level").fetchall())
        years = [y for (y,) in con.execute("SELECT DISTINCT year FROM observations "
                                           "WHERE indicator_id = 'laag_inkomen' ORDER BY year").fetchall()]
        topics = con.execute("SELECT count(DISTINCT indicator_id) FROM observations WHERE year = 2023 "
                             "AND level = 'buurt'").fetchone()[0]
        lonely = con.execute("SELECT count(DISTINCT year) FROM observations WHERE indicator_id = 'eenzaam' "
                             "AND level = 'buurt'").fetchone()[0]
        initiatives = con.execute("SELECT count(*) FROM initiatives").fetchone()[0]
        failed = con.execute("SELECT count(*) FROM etl_runs WHERE status <> 'ok'").fetchone()[0]
    finally:
        con.close()
    assert regions == {"gemeente": 2, "wijk": result["wijken"], "buurt": result["buurten"]}
    assert years == [2023, 2024]   # the 2023 table and the boundary file's own year
    assert topics >= 100           # the full catalogue, not the six figures of the value model
    assert lonely == 5 and initiatives >= 10 and failed == 0


def test_full_catalogue_adds_up_and_agrees_with_the_boundary_file(tiny):
    """Counts of a gemeente are the sum of its buurten (before CBS's rounding to 5), averages lie between its
    buurten's, and the value model's figures are the boundary file's."""
    out, _ = tiny
    table = json.loads((out / "kerncijfers" / "85984NED_TypedDataSet.json").read_text())["value"]
    layout = json.loads((out / "kerncijfers" / "85984NED_DataProperties.json").read_text())["value"]
    numeric = {p["Key"] for p in layout if p["Type"] == "Topic" and p.get("Datatype") != "String"}
    assert numeric <= set(table[0])
    filled = {key for key in numeric if any(row[key] is not None for row in table)}
    assert len(filled) >= len(numeric) - 3           # Dekkingspercentage and the like may stay empty
    gemeente = next(row for row in table if row["SoortRegio_2"].strip() == "Gemeente")
    code = gemeente["Codering_3"].strip()
    buurten = [row for row in table if row["SoortRegio_2"].strip() == "Buurt" and row["Codering_3"][2:6] == code[2:]]
    woningen = sum(row["Woningvoorraad_35"] for row in buurten)
    assert abs(woningen - gemeente["Woningvoorraad_35"]) <= 3 * len(buurten)
    wozs = [row["GemiddeldeWOZWaardeVanWoningen_39"] for row in buurten if row["GemiddeldeWOZWaardeVanWoningen_39"]]
    assert min(wozs) <= gemeente["GemiddeldeWOZWaardeVanWoningen_39"] <= max(wozs)
    boundary = gpd.read_file(out / "wijkenbuurten_2024.gpkg", layer="gemeenten").set_index("gemeentecode")
    assert gemeente["AantalInwoners_5"] == boundary.loc[code, "aantal_inwoners"]
