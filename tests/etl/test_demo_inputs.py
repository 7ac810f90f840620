"""The embedded demo inputs: shapes and formats of the real sources, consistent values, reproducible bytes."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from etl.catalog import load_catalog
from etl.codes import normalise_code
from tools import demo_inputs

YEARS = (2021, 2022, 2023, 2024)
TABLES = {2021: "85039NED", 2022: "85318NED", 2023: "85618NED", 2024: "85984NED"}
COMMITTED = Path(__file__).resolve().parents[2] / "data" / "demo"
# The column layout of the real RIVM 50120NED export (2020, 18+), key for key.
RIVM_HEADER = [
    "ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1", "SoortRegio_2", "Codering_3",
    "ErvarenGezondheidGoedZeerGoed_4", "VoldoetAanBeweegrichtlijn_5", "WekelijkseSporters_6", "Ondergewicht_7",
    "NormaalGewicht_8", "Overgewicht_9", "ErnstigOvergewicht_10", "Roker_11", "VoldoetAanAlcoholRichtlijn_12",
    "Drinker_13", "ZwareDrinker_14", "OvermatigeDrinker_15", "EenOfMeerLangdurigeAandoeningen_16",
    "BeperktVanwegeGezondheid_17", "ErnstigBeperktVanwegeGezondheid_18", "LangdurigeZiekteEnBeperkt_19",
    "EenOfMeerLichamelijkeBeperkingen_20", "BeperkingInHoren_21", "BeperkingInZien_22", "BeperkingInBewegen_23",
    "MatigHoogRisicoOpAngstOfDepressie_24", "HoogRisicoOpAngstOfDepressie_25", "HeelVeelStressInAfgelopen4Weken_26",
    "MatigVeelRegieOverEigenLeven_27", "Eenzaam_28", "ErnstigZeerErnstigEenzaam_29", "EmotioneelEenzaam_30",
    "SociaalEenzaam_31", "Mantelzorger_32", "Vrijwilligerswerk_33", "LopenEnOfFietsenNaarSchoolOfWerk_34",
    "LopenNaarSchoolOfWerk_35", "FietsenNaarSchoolOfWerk_36", "ErnstigeGeluidhinderDoorBuren_37",
    "MoeiteMetRondkomen_38",
]
HEALTH_CSV = "gezondheid/50120NED_gezondheid_wijk_buurt_18plus.csv"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo_inputs.generate(out)
    return out


def layer(demo: Path, year: int, name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(demo / f"wijkenbuurten_{year}.gpkg", layer=name)


def land_buurten(buurten: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Without the separate water part that repeats a buurt's code."""
    return buurten[~((buurten.water == "JA") & buurten.buurtcode.duplicated(keep=False))]


def typed_dataset(demo: Path, year: int) -> dict:
    return json.loads((demo / "kerncijfers" / f"{TABLES[year]}_TypedDataSet.json").read_text(encoding="utf-8"))


def data_properties(demo: Path, year: int) -> list[dict]:
    """The rows of a DataProperties file (written in the OData envelope the service sends)."""
    return json.loads((demo / "kerncijfers" / f"{TABLES[year]}_DataProperties.json").read_text(encoding="utf-8"))["value"]


def health_rows(demo: Path) -> list[dict]:
    with open(demo / HEALTH_CSV, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def text_files(folder: Path) -> list[Path]:
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.suffix in (".json", ".csv"))


class TestBoundaries:
    @pytest.mark.parametrize("year", YEARS)
    def test_layers_crs_and_counts(self, demo, year):
        assert set(pyogrio.list_layers(demo / f"wijkenbuurten_{year}.gpkg")[:, 0]) == {"gemeenten", "wijken", "buurten"}
        gemeenten, wijken, buurten = (layer(demo, year, n) for n in ("gemeenten", "wijken", "buurten"))
        for frame in (gemeenten, wijken, buurten):
            assert frame.crs.to_epsg() == 28992
            assert set(frame.geom_type) == {"MultiPolygon"}
            assert frame.is_valid.all()
            assert (frame.jaar == year).all()
        assert gemeenten.gemeentecode.tolist() == ["GM9999"]
        assert gemeenten.jrstatcode.tolist() == [f"{year}GM9999"]
        assert "fictief" in gemeenten.gemeentenaam.iloc[0]
        assert wijken.wijkcode.tolist() == [f"WK9999{n:02d}" for n in range(6)]
        assert 40 <= buurten.buurtcode.nunique() <= 60
        assert buurten.buurtcode.str.fullmatch(r"BU9999\d{4}").all()
        assert (buurten.wijkcode == "WK" + buurten.buurtcode.str[2:8]).all()
        assert (buurten.jrstatcode == f"{year}" + buurten.buurtcode).all()
        xmin, ymin, xmax, ymax = gemeenten.total_bounds
        assert 150000 <= xmin < xmax <= 162000 and 450000 <= ymin < ymax <= 462000

    @pytest.mark.parametrize("year", YEARS)
    def test_buurten_are_a_coverage_of_the_wijken_and_the_gemeente(self, demo, year):
        gemeenten, wijken, buurten = (layer(demo, year, n) for n in ("gemeenten", "wijken", "buurten"))
        assert shapely.coverage_is_valid(land_buurten(buurten).geometry.values)
        assert shapely.coverage_is_valid(wijken.geometry.values)
        assert abs(buurten.area.sum() - gemeenten.area.sum()) < 1
        for wijk in wijken.itertuples():
            own = buurten[buurten.wijkcode == wijk.wijkcode]
            assert abs(own.area.sum() - wijk.geometry.area) < 1
            assert len(wijk.geometry.geoms) == 1        # wijken are contiguous
        vertices = shapely.get_num_coordinates(land_buurten(buurten).geometry.values)
        assert 25 <= vertices.min() and vertices.max() <= 150

    def test_water_buurt_and_repeated_water_part(self, demo):
        buurten = layer(demo, 2024, "buurten")
        water_only = buurten[buurten.buurtcode.str.endswith("99")]
        assert len(water_only) == 1 and water_only.water.iloc[0] == "JA"
        assert water_only.aantal_inwoners.iloc[0] == 0
        repeated = buurten[buurten.buurtcode.duplicated(keep=False)]
        assert repeated.buurtcode.nunique() == 1 and sorted(repeated.water) == ["JA", "NEE"]

    def test_split_from_2022_to_2023(self, demo):
        old, new = layer(demo, 2022, "buurten"), layer(demo, 2023, "buurten")
        gone = set(old.buurtcode) - set(new.buurtcode)
        added = set(new.buurtcode) - set(old.buurtcode)
        assert len(gone) == 1 and len(added) == 2
        before = old[old.buurtcode.isin(gone)]
        after = new[new.buurtcode.isin(added)]
        assert set(after.wijkcode) == set(before.wijkcode)
        assert (after.indelingswijziging_wijken_en_buurten == 3).all()
        assert shapely.union_all(after.geometry.values).symmetric_difference(before.geometry.iloc[0]).area < 1
        assert abs(after.aantal_inwoners.sum() - before.aantal_inwoners.iloc[0]) < 200
        assert set(layer(demo, 2024, "buurten").buurtcode) == set(new.buurtcode)

    def test_sentinels(self, demo):
        latest = layer(demo, 2024, "buurten")
        for column in ("percentage_huishoudens_met_laag_inkomen", "gemiddeld_gasverbruik_totaal",
                       "gemiddeld_elektriciteitsverbruik_totaal"):
            assert (latest[column] == -99995).all()
        buurten = land_buurten(layer(demo, 2023, "buurten"))
        assert (buurten.percentage_huishoudens_met_laag_inkomen == -99997).any()
        published = buurten[buurten.percentage_huishoudens_met_laag_inkomen > 0]
        assert published.percentage_huishoudens_met_laag_inkomen.between(3, 25).all()
        assert buurten.aantal_inwoners[buurten.water == "NEE"].between(50, 4000).all()
        gas = {y: layer(demo, y, "gemeenten").gemiddeld_gasverbruik_totaal.iloc[0] for y in (2021, 2022, 2023)}
        assert gas[2021] > gas[2022] > gas[2023]


class TestKerncijfers:
    @pytest.mark.parametrize("year", YEARS)
    def test_envelope_and_padding(self, demo, year):
        data = typed_dataset(demo, year)
        assert list(data) == ["odata.metadata", "value"]
        assert data["odata.metadata"] == (f"https://opendata.cbs.nl/ODataApi/OData/{TABLES[year]}/$metadata"
                                          "#Cbs.OData.WebAPI.TypedDataSet")
        assert load_catalog().kerncijfers_table(year) == TABLES[year]
        rows = data["value"]
        assert [r["ID"] for r in rows] == list(range(len(rows)))
        for row in rows:
            assert len(row["WijkenEnBuurten"]) == 10 and len(row["Codering_3"]) == 20
            assert len(row["Gemeentenaam_1"]) == 40 and len(row["SoortRegio_2"]) == 10
            assert row["SoortRegio_2"].strip() in ("Land", "Gemeente", "Wijk", "Buurt")
        assert [r["WijkenEnBuurten"] for r in rows[:3]] == ["NL00      ", "GM9999    ", "WK999900  "]
        assert rows[0]["SoortRegio_2"].strip() == "Land" and rows[0]["Gemeentenaam_1"].strip() == "Nederland"
        assert any(None in r.values() for r in rows)

    @pytest.mark.parametrize("year", YEARS)
    def test_data_properties_resolve_through_the_catalog(self, demo, year):
        properties = data_properties(demo, year)
        assert properties[0]["Type"] == "GeoDetail" and properties[0]["MapYear"] == year
        topics = {p["Key"]: p for p in properties if p["Type"] == "Topic"}
        groups = {p["ID"] for p in properties if p["Type"] == "TopicGroup"}
        assert all(p["ParentID"] in groups for p in topics.values())
        assert len(topics) >= 127 and len(groups) >= 43     # the complete layout of the real tables
        catalog = load_catalog()
        resolved = {catalog.resolve_title(p["Title"], "kerncijfers").id: key for key, p in topics.items()
                    if catalog.resolve_title(p["Title"], "kerncijfers")}
        assert set(resolved) == {"inwoners", "huishoudens", "laag_inkomen", "sociaal_minimum", "aardgas",
                                 "elektriciteit"}
        power = topics[resolved["elektriciteit"]]["Title"]
        assert power == ("Gemiddelde elektriciteitslevering totaal" if year == 2024
                         else "Gemiddeld elektriciteitsverbruik totaal")
        rows = typed_dataset(demo, year)["value"]
        assert set(rows[0]) == {"ID", "WijkenEnBuurten", *topics}
        if year == 2024:
            for key in (resolved["laag_inkomen"], resolved["sociaal_minimum"]):
                assert all(r[key] is None for r in rows)

    def test_suffixes_move_between_years(self, demo):
        keys = [{p["Key"] for p in data_properties(demo, y)} for y in YEARS]
        assert "HuishoudensMetEenLaagInkomen_89" in keys[-1] and "GemiddeldeElektriciteitsleveringTotaal_53" in keys[-1]
        assert len({frozenset(k) for k in keys}) > 2

    @pytest.mark.shared
    def test_the_2024_layout_is_cbs_own(self, demo, shared_cbs):
        """The DataProperties of 85984NED hold CBS's real layout (../shared), in the service's envelope."""
        real = json.loads((shared_cbs / "odata" / "85984NED_DataProperties.json").read_text(encoding="utf-8"))
        assert data_properties(demo, 2024) == real

    @pytest.mark.parametrize("year", YEARS)
    def test_every_numeric_topic_is_filled(self, demo, year):
        properties = data_properties(demo, year)
        numeric = [p["Key"] for p in properties if p["Type"] == "Topic" and p["Datatype"] != "String"]
        rows = typed_dataset(demo, year)["value"]
        gemeente = next(r for r in rows if r["WijkenEnBuurten"].strip() == "GM9999")
        empty = {key for key in numeric if gemeente[key] is None}
        if year == 2024:   # the newest table: income, benefits and labour not yet published
            assert empty and all(k.startswith(("Nettoarbeids", "Percentage", "Aantal", "Gem", "k_", "Huish",
                                               "Mediaan", "Personen")) for k in empty)
        else:
            assert empty == set()
        buurten = [r for r in rows if r["WijkenEnBuurten"].startswith("BU")]
        assert sum(r[numeric[-1]] is not None for r in buurten) > 40

    def test_older_tables_differ_as_cbs_tables_do(self, demo):
        titles = {y: {p["Title"] for p in data_properties(demo, y) if p["Type"] == "Topic"} for y in YEARS}
        assert "Niet-westers totaal" in titles[2021] and "Niet-westers totaal" not in titles[2023]
        assert "Nieuwbouw niet-woningen" in titles[2024] and "Nieuwbouw niet-woningen" not in titles[2023]

    @pytest.mark.parametrize("year", YEARS)
    def test_agrees_with_the_boundary_file(self, demo, year):
        rows = {normalise_code(r["WijkenEnBuurten"]): r for r in typed_dataset(demo, year)["value"]}
        keys = {p["Title"]: p["Key"] for p in data_properties(demo, year) if p["Type"] == "Topic"}
        frames = [layer(demo, year, "gemeenten").rename(columns={"gemeentecode": "code"}),
                  layer(demo, year, "wijken").rename(columns={"wijkcode": "code"}),
                  land_buurten(layer(demo, year, "buurten")).rename(columns={"buurtcode": "code"})]
        codes = [c for f in frames for c in f.code]
        assert sorted(codes) == sorted(set(rows) - {"NL00"})
        for frame in frames:
            for feature in frame.itertuples():
                row = rows[feature.code]
                assert row["AantalInwoners_5"] == feature.aantal_inwoners
                assert row[keys["Huishoudens totaal"]] == feature.aantal_huishoudens
                odata = row[keys["Huishoudens met een laag inkomen"]]
                gpkg = feature.percentage_huishoudens_met_laag_inkomen
                if year < 2024:
                    assert (odata is None) == (gpkg < -99990)
                    if odata is not None:
                        assert odata == pytest.approx(gpkg)


class TestHealth:
    def test_layout_of_the_real_export(self, demo):
        with open(demo / HEALTH_CSV, encoding="utf-8", newline="") as handle:
            raw = handle.read()
        assert raw.splitlines()[0].split(",") == RIVM_HEADER
        assert "\r\n" in raw and not raw.startswith("\ufeff")
        rows = health_rows(demo)
        assert {r["Perioden"] for r in rows} == {"2012JJ00", "2016JJ00", "2020JJ00", "2022JJ00"}
        assert {r["Leeftijd"] for r in rows} == {"20300"} and {r["Marges"] for r in rows} == {"MW00000"}
        ids = [int(r["ID"]) for r in rows]
        assert all(b - a == 3 for a, b in zip(ids, ids[1:]))
        for row in rows:
            assert len(row["WijkenEnBuurten"]) == 10 and len(row["Codering_3"]) == 20
            assert len(row["Gemeentenaam_1"]) == 40 and len(row["SoortRegio_2"]) == 10
            assert re.fullmatch(r" *\d+\.\d", row["Eenzaam_28"]) and len(row["Eenzaam_28"]) == 8
            assert row["LopenNaarSchoolOfWerk_35"] == ""
        national = [r for r in rows if r["WijkenEnBuurten"].strip() == "NL01" and r["Perioden"] == "2020JJ00"]
        assert float(national[0]["Eenzaam_28"]) == 47.0

    def test_65_plus_with_margins(self, demo):
        with open(demo / HEALTH_CSV.replace("18plus", "65plus"), encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == RIVM_HEADER
        assert {r["Leeftijd"] for r in rows} == {"80200"}
        assert [r["Marges"] for r in rows[:3]] == ["MW00000", "MOG0095", "MBG0095"]
        adults = {(r["WijkenEnBuurten"], r["Perioden"]): r for r in health_rows(demo)}
        assert len(rows) == 3 * len(adults)
        for value, lower, upper in zip(rows[::3], rows[1::3], rows[2::3]):
            assert float(lower["Eenzaam_28"]) < float(value["Eenzaam_28"]) < float(upper["Eenzaam_28"])
        older = {(r["WijkenEnBuurten"], r["Perioden"]): r for r in rows[::3]}
        key = ("GM9999    ", "2020JJ00")
        assert float(older[key]["EenOfMeerLangdurigeAandoeningen_16"]) > \
            float(adults[key]["EenOfMeerLangdurigeAandoeningen_16"]) + 15

    @pytest.mark.parametrize("wave, indeling", [(2012, 2021), (2020, 2021), (2022, 2022)])
    def test_each_wave_uses_its_indeling(self, demo, wave, indeling):
        codes = {r["WijkenEnBuurten"].strip() for r in health_rows(demo) if r["Perioden"] == f"{wave}JJ00"}
        buurten = set(layer(demo, indeling, "buurten").buurtcode)
        wijken = set(layer(demo, indeling, "wijken").wijkcode)
        assert codes == {"NL01", "GM9999"} | wijken | buurten


class TestReproducible:
    def test_two_runs_give_the_same_bytes(self, demo, tmp_path):
        demo_inputs.generate(tmp_path)
        assert text_files(tmp_path) == text_files(demo)
        for name in text_files(demo):
            assert (tmp_path / name).read_bytes() == (demo / name).read_bytes(), name

    def test_committed_own_figures_are_what_the_generator_makes(self, tmp_path):
        """Regenerate with ``python -m tools.demo_eigen`` when this fails."""
        from tools import demo_eigen

        (made,) = demo_eigen.generate(tmp_path, demo_dir=COMMITTED)
        assert made.read_bytes() == (COMMITTED / "eigen_cijfers.xlsx").read_bytes()

    def test_committed_files_are_what_the_generator_makes(self, demo):
        """Regenerate with ``python -m tools.demo_inputs`` when this fails."""
        for name in text_files(demo):   # other examples may live next to them; only these are generated
            assert (COMMITTED / name).read_bytes() == (demo / name).read_bytes(), name
        for year in YEARS:
            assert (COMMITTED / f"wijkenbuurten_{year}.gpkg").is_file()

    def test_demo_folder_is_small(self):
        assert sum(p.stat().st_size for p in COMMITTED.rglob("*") if p.is_file()) < 3_000_000
