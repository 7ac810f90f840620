"""etl/catalog.py and etl/indicators.toml: identity of series, curation on top of the sources' metadata."""
from __future__ import annotations

import json
import tomllib

import pytest

from etl.catalog import CATALOG_PATH, load_catalog, parse_catalog
from etl.topics import Topic, slug, topics_of
from etl.sources.health import export_topics

CURATED = {"inwoners", "huishoudens", "laag_inkomen", "sociaal_minimum", "moeite_rondkomen", "aardgas",
           "elektriciteit", "eenzaam", "ernstig_eenzaam"}
RIVM_HEADER = ["ID", "Leeftijd", "Marges", "WijkenEnBuurten", "Perioden", "Gemeentenaam_1", "SoortRegio_2",
               "Codering_3", "Roker_11", "Eenzaam_28", "MoeiteMetRondkomen_38", "Mantelzorger_32"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def toml() -> dict:
    with open(CATALOG_PATH, "rb") as handle:
        return tomllib.load(handle)


def row(indicator_id, source="kerncijfers", title=None, group=None, age_group=None, **more):
    return {"id": indicator_id, "source": source, "title": title, "cbs_group": group, "unit": more.pop("unit", "%"),
            "age_group": age_group, "cbs_description": more.pop("cbs_description", None), **more}


class TestTheToml:
    def test_the_curated_ids_are_kept(self, catalog):
        assert {i.id for i in catalog.indicators} == CURATED

    def test_the_themes_of_the_opgaven_in_order(self, catalog):
        assert [t.id for t in catalog.themes] == ["armoede", "energie", "eenzaamheid", "gezondheid", "wonen",
                                                  "jeugd_zorg", "bevolking", "voorzieningen", "overig"]

    @pytest.mark.shared
    def test_every_featured_and_directed_id_is_a_series_of_the_real_tables(self, shared_cbs, catalog):
        properties = json.loads((shared_cbs / "odata" / "85984NED_DataProperties.json").read_text("utf-8"))
        kerncijfers = {catalog.series_id("kerncijfers", t) for t in topics_of(properties, catalog, "kerncijfers")}
        header = (shared_cbs / "health" / "rivm_50120NED_gezondheid_wijk_buurt_2020_18plus.csv") \
            .read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        rivm = {indicator_id for indicator_id, _ in export_topics(header, catalog)}
        rivm |= {catalog.with_age_group(i, code) for i in rivm for code in catalog.age_groups()}
        known = kerncijfers | rivm
        assert catalog.featured_ids() - known == set()
        assert set(catalog.directions) - known == set()

    def test_a_curated_id_holds_no_dot(self):
        data = toml()
        data["indicator"][0]["id"] = "bevolking.inwoners"
        with pytest.raises(ValueError, match="dot"):
            parse_catalog(data)

    def test_an_unknown_theme_is_named(self):
        data = toml()
        data["indicator"][0]["theme"] = "sport"
        with pytest.raises(ValueError, match="sport"):
            parse_catalog(data)

    def test_the_fallback_theme_is_required(self):
        data = toml()
        data["theme"] = [t for t in data["theme"] if t["id"] != "overig"]
        with pytest.raises(ValueError, match="overig"):
            parse_catalog(data)

    def test_a_bad_direction_is_named(self):
        data = toml()
        data["directions"]["sideways"] = ["x.y"]
        with pytest.raises(ValueError, match="sideways"):
            parse_catalog(data)


class TestIdentity:
    def test_slug(self):
        assert slug("Personenauto's; brandstof benzine") == "personenautos_brandstof_benzine"
        assert slug("Twee-onder-één-kap-woning") == "twee_onder_een_kap_woning"

    def test_group_path_and_title(self, catalog):
        gas = Topic("Appartement_62", "Appartement", ("Energie", "Gemiddeld aardgasverbruik", "Naar woningtype"))
        assert catalog.series_id("kerncijfers", gas) == "energie.gemiddeld_aardgasverbruik.naar_woningtype.appartement"

    def test_a_renamed_group_is_the_same_series(self, catalog):
        old = Topic("Appartement_48", "Appartement", ("Energie", "Gemiddeld elektriciteitsverbruik", "Naar woningtype"))
        new = Topic("Appartement_54", "Appartement", ("Energie", "Gemiddelde elektriciteitslevering", "Naar woningtype"))
        assert catalog.series_id("kerncijfers", old) == catalog.series_id("kerncijfers", new)

    def test_a_renamed_title_is_the_same_series(self, catalog):
        old = Topic("GemiddeldElektriciteitsverbruikTotaal_47", "Gemiddeld elektriciteitsverbruik totaal",
                    ("Energie", "Gemiddeld elektriciteitsverbruik"))
        assert catalog.series_id("kerncijfers", old) == "elektriciteit"
        assert catalog.canonical_path(old.path) == ("Energie", "Gemiddelde elektriciteitslevering",
                                                    "Gemiddelde elektriciteitslevering totaal")

    def test_a_topic_at_the_root_is_prefixed_with_its_source(self, catalog):
        assert catalog.series_id("kerncijfers", Topic("Motorfietsen_116", "Motorfietsen")) == \
            "kerncijfers.motorfietsen"

    def test_rivm_by_key_stem_and_age_group(self, catalog):
        assert catalog.stem_series_id("gezondheid", "Roker_11") == "gezondheid.roker"
        assert catalog.stem_series_id("gezondheid", "Eenzaam_27") == "eenzaam"
        assert catalog.with_age_group("eenzaam", "20300") == "eenzaam"
        assert catalog.with_age_group("eenzaam", "80200") == "eenzaam_65plus"
        assert catalog.with_age_group("gezondheid.roker", "53115") == "gezondheid.roker_18_64"

    def test_rivm_export_topics_are_titled_and_grouped(self, catalog):
        topics = dict(export_topics(RIVM_HEADER, catalog))
        assert set(topics) == {"gezondheid.roker", "eenzaam", "moeite_rondkomen", "gezondheid.mantelzorger"}
        roker = topics["gezondheid.roker"]
        assert (roker.title, roker.group, roker.unit, roker.decimals) == ("Roker", ("Leefstijl",), "%", 1)

    def test_an_undeclared_rivm_column_is_titled_after_its_key(self, catalog):
        topic = catalog.declared_topic("gezondheid", "GoedeSlaap_40")
        assert (topic.title, topic.group) == ("Goede slaap", ())


class TestCurate:
    def test_curated_labels_theme_direction_and_featured(self, catalog):
        (eenzaam,) = catalog.curate([row("eenzaam", "gezondheid", "Eenzaam", "Eenzaamheid", "18+")])
        assert (eenzaam["label_nl"], eenzaam["label_en"], eenzaam["theme"], eenzaam["direction"]) == \
            ("Eenzaam", "Lonely", "eenzaamheid", "lower_is_better")
        assert eenzaam["featured"] is True and eenzaam["public"] is True
        assert eenzaam["attribution"] is None    # CBS and RIVM figures are named by their source

    def test_another_age_group_is_named_in_the_label(self, catalog):
        (older,) = catalog.curate([row("eenzaam_65plus", "gezondheid", "Eenzaam", "Eenzaamheid", "65+",
                                       cbs_description="Score 3 of hoger.")])
        assert (older["label_nl"], older["label_en"]) == ("Eenzaam (65 jaar of ouder)", "Lonely (65 years and older)")
        assert older["theme"] == "eenzaamheid" and older["direction"] == "lower_is_better"
        assert older["description"] == "Score 3 of hoger."   # not the curated text, which speaks of 18+
        assert older["featured"] is True

    def test_repeated_titles_are_told_apart_by_their_group(self, catalog):
        rows = catalog.curate([
            row("energie.a.naar_woningtype.appartement", title="Appartement", unit="kWh",
                group="Energie > Gemiddelde elektriciteitslevering > Naar woningtype"),
            row("energie.b.naar_woningtype.appartement", title="Appartement", unit="m³",
                group="Energie > Gemiddeld aardgasverbruik > Naar woningtype"),
            row("wonen_en_vastgoed.woningvoorraad", title="Woningvoorraad", group="Wonen en vastgoed")])
        assert [r["label_nl"] for r in rows] == ["Appartement (Gemiddelde elektriciteitslevering)",
                                                 "Appartement (Gemiddeld aardgasverbruik)", "Woningvoorraad"]
        assert [r["theme"] for r in rows] == ["energie", "energie", "wonen"]

    def test_themes_from_groups_source_and_fallback(self, catalog):
        rows = catalog.curate([row("x.a", title="A", group="Nabijheid voorzieningen > Basisonderwijs"),
                               row("gezondheid.x", "gezondheid", title="X", group="Iets nieuws", age_group="18+"),
                               row("x.b", title="B", group="Iets nieuws")])
        assert [r["theme"] for r in rows] == ["voorzieningen", "gezondheid", "overig"]
        assert [r["direction"] for r in rows] == ["neutral"] * 3

    def test_directions_of_the_toml(self, catalog):
        (roker, older) = catalog.curate([row("gezondheid.roker", "gezondheid", "Roker", "Leefstijl", "18+"),
                                         row("gezondheid.roker_65plus", "gezondheid", "Roker", "Leefstijl", "65+")])
        assert roker["direction"] == older["direction"] == "lower_is_better"
        assert roker["featured"] and not older["featured"]

    def test_own_figures_keep_their_declaration(self, catalog):
        (own,) = catalog.curate([row("eigen.veiligheid", "eigen", "Veilig", label_nl="Voelt zich veilig",
                                     label_en="Feels safe", theme="wonen", direction="higher_is_better",
                                     public=False, attribution="Bron: Veiligheidsmonitor")])
        assert (own["label_nl"], own["theme"], own["direction"], own["public"], own["attribution"]) == \
            ("Voelt zich veilig", "wonen", "higher_is_better", False, "Bron: Veiligheidsmonitor")
