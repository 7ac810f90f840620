"""The catalogue as the published demo files hold it: what the dashboard's indicator finder will browse."""
from __future__ import annotations

import pytest

from dashboard import views
from dashboard.db import PublishedData, open_read_only
from dashboard.state import ViewState

THEMES = ["armoede", "energie", "eenzaamheid", "gezondheid", "wonen", "jeugd_zorg", "bevolking", "voorzieningen",
          "overig"]


@pytest.fixture(scope="module")
def staff(demo_data_dir):
    con = open_read_only(demo_data_dir / "published" / "staff.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def public(demo_data_dir):
    con = open_read_only(demo_data_dir / "published" / "public.duckdb")
    yield con
    con.close()


def rows(con, query: str, params=()) -> list[dict]:
    result = con.execute(query, list(params))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


class TestIndicators:
    def test_over_a_hundred_indicators_with_figures(self, staff):
        with_figures = staff.execute("SELECT count(DISTINCT indicator_id) FROM observations "
                                     "WHERE value IS NOT NULL").fetchone()[0]
        assert with_figures > 100

    def test_the_themes_in_order_each_with_featured_indicators(self, staff, public):
        assert [r[0] for r in staff.execute("SELECT id FROM themes ORDER BY position").fetchall()] == THEMES
        assert public.execute("SELECT count(*) FROM themes").fetchone()[0] == len(THEMES)
        featured = dict(staff.execute("SELECT theme, count(*) FILTER (WHERE featured) FROM indicators "
                                      "GROUP BY theme").fetchall())
        assert all(featured.get(theme, 0) >= 2 for theme in THEMES[:-1]), featured

    def test_cbs_topics_carry_their_metadata(self, staff):
        kerncijfers = rows(staff, "SELECT * FROM indicators WHERE source = 'kerncijfers' AND cbs_group IS NOT NULL")
        assert len(kerncijfers) >= 120
        for row in kerncijfers:
            assert row["title"] and row["unit"] and row["decimals"] is not None, row["id"]
            assert row["source_table"] == ("85318NED" if row["cbs_group"].startswith("Bevolking > Migratie")
                                           else "85984NED"), row["id"]
            assert row["attribution"] is None   # named by its source, in the published sources table
        woz = next(r for r in kerncijfers if r["id"] == "wonen_en_vastgoed.gemiddelde_woz_waarde_van_woningen")
        assert (woz["label_nl"], woz["unit"], woz["theme"], woz["cbs_group"]) == \
            ("Gemiddelde WOZ-waarde van woningen", "x 1 000 euro", "wonen", "Wonen en vastgoed")
        assert woz["cbs_description"] and woz["description"] == woz["cbs_description"]

    def test_repeated_titles_are_labelled_apart(self, staff):
        labels = dict(staff.execute("SELECT id, label_nl FROM indicators WHERE title = 'Appartement'").fetchall())
        assert labels == {
            "energie.gemiddelde_elektriciteitslevering.naar_woningtype.appartement":
                "Appartement (Gemiddelde elektriciteitslevering)",
            "energie.gemiddeld_aardgasverbruik.naar_woningtype.appartement": "Appartement (Gemiddeld aardgasverbruik)"}

    def test_the_renamed_electricity_is_one_series_over_the_years(self, staff):
        for indicator in ("elektriciteit", "energie.gemiddelde_elektriciteitslevering.naar_woningtype.appartement"):
            years = [y for (y,) in staff.execute("SELECT DISTINCT year FROM observations WHERE indicator_id = ? "
                                                 "AND source_table LIKE '%NED' ORDER BY year", [indicator]).fetchall()]
            assert years == [2021, 2022, 2023, 2024], indicator

    def test_every_rivm_topic_per_age_group_with_margins(self, staff):
        ages = dict(staff.execute("SELECT age_group, count(*) FROM indicators WHERE source = 'gezondheid' "
                                  "GROUP BY ALL").fetchall())
        assert ages == {"18+": 35, "65+": 35}
        older = rows(staff, "SELECT * FROM observations WHERE indicator_id = 'eenzaam_65plus' AND code = 'WK999900' "
                            "ORDER BY year")
        assert [r["year"] for r in older] == [2012, 2016, 2020, 2022]
        assert all(r["lower"] < r["value"] < r["upper"] and r["age_group"] == "65+" for r in older)
        label = staff.execute("SELECT label_nl FROM indicators WHERE id = 'eenzaam_65plus'").fetchone()[0]
        assert label == "Eenzaam (65 jaar of ouder)"

    def test_the_curated_ids_keep_working(self, staff):
        curated = {"inwoners", "huishoudens", "laag_inkomen", "sociaal_minimum", "moeite_rondkomen", "aardgas",
                   "elektriciteit", "eenzaam", "ernstig_eenzaam"}
        found = dict(staff.execute("SELECT id, label_nl FROM indicators WHERE list_contains(?, id)",
                                   [sorted(curated)]).fetchall())
        assert set(found) == curated and found["laag_inkomen"] == "Huishoudens met een laag inkomen"
        linked = {r[0] for r in staff.execute("SELECT DISTINCT indicator_id FROM agenda_items "
                                              "WHERE indicator_id IS NOT NULL").fetchall()}
        assert linked and linked <= set(found)


class TestNederland:
    @pytest.mark.parametrize("indicator, table", [("inwoners", "85984NED"), ("eenzaam", "50120NED"),
                                                  ("eenzaam_65plus", "50120NED"),
                                                  ("zorg.percentage_jongeren_met_jeugdzorg", "85618NED")])
    def test_the_nl_row_of_each_table_is_published(self, staff, public, indicator, table):
        for con in (staff, public):
            found = con.execute("SELECT level, count(*) FROM observations WHERE code = 'NL00' AND indicator_id = ? "
                                "AND source_table = ? AND value IS NOT NULL GROUP BY level", [indicator, table])
            assert found.fetchall() == [("land", 1 if table != "50120NED" else 4)]

    def test_a_profile_compares_with_nederland(self, demo_data_dir):
        data = PublishedData(demo_data_dir, "public")
        compared = {r["code"]: r["level"] for r in data.rows("compare_values", ("aardgas", 2023,
                                                                                ["WK999900", "GM9999", "NL00"]))}
        assert compared == {"WK999900": "wijk", "GM9999": "gemeente", "NL00": "land"}


class TestStoredOnce:
    def test_figures_are_long_one_row_per_indicator_year_level_and_region(self, staff):
        duplicates = staff.execute("SELECT count(*) FROM (SELECT indicator_id, year, level, code FROM observations "
                                   "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
        assert duplicates == 0
        # no table per view or per indicator: figures live in observations only
        columns = staff.execute("SELECT table_name, count(*) FROM information_schema.columns GROUP BY ALL").fetchall()
        assert all(count < 25 for _, count in columns), columns
        with_values = {t for (t,) in staff.execute("SELECT DISTINCT table_name FROM information_schema.columns "
                                                   "WHERE column_name = 'value'").fetchall()}
        assert with_values == {"observations", "meta"}

    def test_the_dashboard_lists_featured_indicators_first_in_each_theme(self, demo_data_dir):
        listed = views.indicators(PublishedData(demo_data_dir, "staff"))
        for theme in THEMES:
            flags = [i["featured"] for i in listed if i["theme"] == theme]
            assert flags == sorted(flags, reverse=True), theme


class TestOwnFigures:
    def test_an_own_figure_on_the_map_names_its_own_source(self, demo_data_dir):
        data = PublishedData(demo_data_dir, "public")
        state = ViewState(theme="wonen", indicator="eigen.veilig", year=2023, level="wijk")
        _, hideout, legend = views.map_view(data, state)
        assert "Bron: Bewonersenquête Voorbeeldstad (fictief), 2023" in str(legend)
        assert hideout["classes"]

    def test_the_own_figure_that_is_not_public_is_staff_only(self, demo_data_dir):
        staff, public = (views.indicators(PublishedData(demo_data_dir, audience)) for audience in ("staff", "public"))
        own = {i["id"] for i in staff if i["source"] == "eigen"}
        assert "eigen.schuldhulp_aanmeldingen" in own
        assert {i["id"] for i in public if i["source"] == "eigen"} == own - {"eigen.schuldhulp_aanmeldingen"}


class TestPaintsKept:
    def test_the_memo_keeps_a_paint_of_every_figure_year_and_level_at_once(self, demo_data_dir):
        """A worker computes a paint once and keeps it: a round of every view of the whole catalogue (as the
        bench's load test makes) must not push out the paints of its start, or every paint is computed each time."""
        data = PublishedData(demo_data_dir, "public")
        views_of_all = [ViewState(theme=i["theme"], indicator=i["id"], year=year, level=level)
                        for i in views.indicators(data) for level in ("gemeente", "wijk", "buurt")
                        for year in views.indicator_years(data, i["id"])]
        for state in views_of_all:
            views.map_view(data, state)
        kept = [value for key, value in data._paints.items() if key[1][0] == "paint"]
        assert len(kept) == len(views_of_all) > 500
        # what a paint keeps: the classes as one string, the legend and its few colours; no list per region
        assert all(len(value["class_string"]) < 10_000 and len(value["colours"]) <= 7 for value in kept)
        assert {key for value in kept for key in value} == {"class_string", "legend", "colours", "missing",
                                                             "suppressed", "estimate"}
