"""The demo's *Kerncijfers wijken en buurten*: the real layout of CBS's tables, every topic filled with fiction.

The layout is that of the real ``DataProperties`` of 85984NED (Kerncijfers wijken en buurten 2024; CBS metadata,
CC BY 4.0), kept as the demo's own 2024 file in the OData envelope the service sends (``data/demo/kerncijfers/``):
every topic group, topic, title, unit and description. The
tables of earlier years reuse it the way CBS's own tables differ: electricity *use* instead of *delivery* until
2023, two migratieachtergrond topics until 2022, no *Nieuwbouw niet-woningen* before 2024, so the key suffixes
move from year to year (``HuishoudensMetEenLaagInkomen_90`` in 2021, ``_88`` in 2023, ``_89`` in 2024).

Every numeric topic gets a plausible fictional value per region from a small model per 'cell' (the ~50 land cells
that make up the buurten), aggregated as CBS aggregates: counts add up, shares and averages are weighted, densities
divide by land area. Each topic draws its own noise from a seed made of its key stem, so the figures do not depend
on the order of the topics. Nothing here is a CBS figure.
"""
from __future__ import annotations

import copy
import json
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LAYOUT = Path(__file__).resolve().parents[1] / "data" / "demo" / "kerncijfers" / "85984NED_DataProperties.json"
SEED = 9999
# How urban each wijk of tools/demo_inputs.WIJKEN is (1 centre … 0 countryside).
URBAN = (1.0, 0.8, 0.5, 0.35, 0.65, 0.0)
NEDERLAND = {"inwoners": 17_942_942, "huishoudens": 8_335_000, "land_ha": 3_367_100, "water_ha": 787_200,
             "deprivation": 0.0, "urban": 0.55, "gas": 1020, "elektriciteit": 2810, "laag_inkomen": 8.3,
             "sociaal_minimum": 5.6}
# Groups whose figures of the newest table are not yet published (null in the TypedDataSet).
UNPUBLISHED_GROUPS = ("Inkomen", "Sociale zekerheid", "Arbeid")
INCOME_GROUPS = ("Inkomen",)            # shares published from 100 households on
ENERGY_GROUPS = ("Energie",)            # from 50 households on
MIGRATIE = (   # older tables: migratieachtergrond, after the herkomst topics
    {"title": "Westers totaal", "stem": "WestersTotaal"}, {"title": "Niet-westers totaal", "stem": "NietWestersTotaal"})
MIGRATIE_UNTIL = 2022
NEW_IN_2024 = "NieuwbouwNietWoningen"
ELECTRICITY = ("Gemiddelde elektriciteitslevering", "Gemiddeld elektriciteitsverbruik",
               "GemiddeldeElektriciteitslevering", "GemiddeldElektriciteitsverbruik")


def real_layout() -> list[dict]:
    payload = json.loads(LAYOUT.read_text(encoding="utf-8"))
    return payload["value"] if isinstance(payload, dict) else payload


def envelope(table: str, properties: list[dict]) -> dict:
    """DataProperties as CBS's ODataApi answers them."""
    return {"odata.metadata": f"https://opendata.cbs.nl/ODataApi/OData/{table}/$metadata"
                              "#Cbs.OData.WebAPI.DataProperty", "value": properties}


def key_stem(key: str) -> str:
    return key.rsplit("_", 1)[0] if key.rsplit("_", 1)[-1].isdigit() else key


# --------------------------------------------------------------------------------------------- layout per year

def data_properties(year: int) -> list[dict]:
    """The DataProperties of the year's table: the real 2024 layout, as the tables of earlier years differ from it."""
    layout = copy.deepcopy(real_layout())
    layout[0]["MapYear"] = year
    if year == 2024:
        return layout
    out, number = [], 0
    next_id = max(p["ID"] for p in layout) + 1
    for prop in layout:
        if prop["Type"] == "Topic" and key_stem(prop["Key"]) == NEW_IN_2024:
            continue
        if year <= 2023:
            for new, old in zip(ELECTRICITY[::2], ELECTRICITY[1::2]):
                prop["Title"] = prop["Title"].replace(new, old)
                prop["Key"] = prop["Key"].replace(new, old)
                if prop.get("Description"):
                    prop["Description"] = prop["Description"].replace(new.lower(), old.lower())
        if prop["Type"] == "Topic":
            number += 1
            prop["Key"], prop["Position"] = f"{key_stem(prop['Key'])}_{number}", number
        out.append(prop)
        if year <= MIGRATIE_UNTIL and prop["Type"] == "Topic" and prop["Key"].startswith("BuitenEuropa_") \
                and prop["ParentID"] == _group_id(layout, "Geboren buiten Nederland"):
            group = {"odata.type": "Cbs.OData.TopicGroup", "ID": next_id, "Position": None,
                     "ParentID": _group_id(layout, "Bevolking"), "Type": "TopicGroup", "Key": "",
                     "Title": "Migratieachtergrond", "Description": "Indeling naar migratieachtergrond, zoals CBS "
                     "die tot en met 2022 publiceerde; vervangen door de indeling naar herkomst."}
            out.append(group)
            for offset, topic in enumerate(MIGRATIE, start=1):
                number += 1
                out.append({"odata.type": "Cbs.OData.Topic", "ID": next_id + offset, "Position": number,
                            "ParentID": next_id, "Type": "Topic", "Key": f"{topic['stem']}_{number}",
                            "Title": topic["title"], "Description": None, "Datatype": "Long", "Unit": "aantal",
                            "Decimals": 0, "Default": "Impossible", "PresentationType": "Absolute"})
    return out


def _group_id(layout: list[dict], title: str) -> int:
    return next(p["ID"] for p in layout if p["Type"] == "TopicGroup" and p["Title"] == title)


def group_path(layout: list[dict], prop: dict) -> tuple[str, ...]:
    by_id = {p["ID"]: p for p in layout}
    path, parent = [], prop.get("ParentID")
    while parent is not None:
        path.insert(0, by_id[parent]["Title"])
        parent = by_id[parent].get("ParentID")
    return tuple(path)


# --------------------------------------------------------------------------------------------- the cells

@dataclass(frozen=True)
class Cells:
    """Per-cell arrays of one year (or one 'cell' for Nederland)."""

    inwoners: np.ndarray
    huishoudens: np.ndarray
    deprivation: np.ndarray     # about -1.5 … 4: more low incomes, more of everything that comes with them
    urban: np.ndarray           # 0 … 1
    land_ha: np.ndarray
    water_ha: np.ndarray
    year: int

    @property
    def woningen(self) -> np.ndarray:
        return self.huishoudens * 1.04


def _noise(stem: str, n: int, year: int, sd: float = 1.0) -> np.ndarray:
    """Noise of one topic per cell: mostly fixed per cell, a little per year; the same for every run."""
    rng = np.random.default_rng([SEED, zlib.crc32(stem.encode())])
    fixed = rng.normal(0, 1, n)
    yearly = np.random.default_rng([SEED, zlib.crc32(stem.encode()), year]).normal(0, 0.3, n)
    return sd * (fixed + yearly)


def _share(c: Cells, stem: str, base: float, dep: float = 0.0, urban: float = 0.0, sd: float = 1.0,
           low: float = 0.0, high: float = 100.0, trend: float = 0.0) -> np.ndarray:
    value = base + dep * c.deprivation + urban * (c.urban - 0.5) + trend * (c.year - 2021)
    return np.clip(value + _noise(stem, len(c.inwoners), c.year, sd), low, high)


# Each topic (by key stem, or ``stem@group`` where a title repeats): (how regions aggregate it, its per-cell
# values from the cells and the stem, which seeds its noise). Aggregation: "sum" adds counts;
# ("mean", weights) weighs by inwoners, huishoudens or woningen; "density" divides a count by the land area.
def _topics():
    def persons(share):      # a count of persons from a share of the inhabitants (%)
        return lambda c, s: c.inwoners * share(c, s) / 100

    def young(c, s):
        return _share(c, s, 15.5, dep=0.8, urban=-4, sd=1.2, low=5, high=30)

    def old(c, s):
        return _share(c, s, 20.5, dep=-0.6, urban=-6, sd=1.5, low=6, high=40, trend=0.3)

    def herkomst(c):
        nl = _share(c, "Herkomst", 76, dep=-4, urban=-14, sd=2.0, low=35, high=97)
        europe = (100 - nl) * 0.42
        return nl, europe, 100 - nl - europe

    def koop(c, s):
        return _share(c, "Koopwoningen", 58, dep=-6, urban=-22, sd=3.0, low=10, high=95)

    def corporatie(c, s):
        return np.clip((100 - koop(c, s) - 1) * (0.62 + 0.05 * c.deprivation), 0, 100)

    def eengezins(c, s):
        return _share(c, "PercentageEengezinswoning", 66, dep=-3, urban=-50, sd=4.0, low=5, high=99)

    def sub(share_of, fraction, stem):   # part of another share
        return lambda c, s: share_of(c, stem) * np.clip(fraction + 0.02 * _noise(s, len(c.inwoners), c.year),
                                                        0.01, 0.99)

    income = lambda base, dep, urban=0.0, sd=0.8: lambda c, s: _share(  # noqa: E731
        c, s, base, dep=dep, urban=urban, sd=sd, low=5, high=200, trend=0.6)
    km = lambda base, rural: lambda c, s: np.clip(  # noqa: E731
        base + rural * (1 - c.urban) + 0.08 * _noise(s, len(c.inwoners), c.year), 0.1, 20)
    per_inw = lambda rate, dep=0.0, urban=0.0: lambda c, s: c.inwoners * np.clip(  # noqa: E731
        rate * (1 + dep * c.deprivation + urban * (c.urban - 0.5) + 0.08 * _noise(s, len(c.inwoners), c.year)),
        0, None)
    mean_inw = ("mean", "inwoners")
    mean_hh = ("mean", "huishoudens")
    mean_won = ("mean", "woningen")
    return {
        # Bevolking
        "Mannen": ("sum", persons(lambda c, s: _share(c, s, 49.6, sd=0.4, low=45, high=55))),
        "Vrouwen": ("sum", lambda c, s: c.inwoners * (1 - _share(c, "Mannen", 49.6, sd=0.4, low=45, high=55) / 100)),
        "k_0Tot15Jaar": ("sum", persons(young)),
        "k_15Tot25Jaar": ("sum", persons(lambda c, s: _share(c, s, 12, urban=6, sd=1.0, low=4, high=30))),
        "k_25Tot45Jaar": ("sum", persons(lambda c, s: _share(c, s, 25, urban=8, sd=1.5, low=10, high=45))),
        "k_45Tot65Jaar": ("sum", persons(lambda c, s: 100 - young(c, "k_0Tot15Jaar") - old(c, "k_65JaarOfOuder")
                                         - _share(c, "k_15Tot25Jaar", 12, urban=6, sd=1.0, low=4, high=30)
                                         - _share(c, "k_25Tot45Jaar", 25, urban=8, sd=1.5, low=10, high=45))),
        "k_65JaarOfOuder": ("sum", persons(old)),
        "Ongehuwd": ("sum", persons(lambda c, s: _share(c, s, 48, urban=10, sd=1.5, low=25, high=75))),
        "Gehuwd": ("sum", persons(lambda c, s: _share(c, s, 37, dep=-2, urban=-10, sd=1.5, low=15, high=60))),
        "Gescheiden": ("sum", persons(lambda c, s: _share(c, s, 8, dep=0.8, sd=0.6, low=2, high=16))),
        "Verweduwd": ("sum", persons(lambda c, s: _share(c, s, 5, urban=-1, sd=0.5, low=1, high=12))),
        # herkomst: the same titles under three groups (by herkomstland, and split by country of birth)
        "Nederland@Herkomstland": ("sum", lambda c, s: c.inwoners * herkomst(c)[0] / 100),
        "EuropaExclusiefNederland@Herkomstland": ("sum", lambda c, s: c.inwoners * herkomst(c)[1] / 100),
        "BuitenEuropa@Herkomstland": ("sum", lambda c, s: c.inwoners * herkomst(c)[2] / 100),
        "Nederland@Geboren in Nederland": ("sum", lambda c, s: c.inwoners * herkomst(c)[0] / 100),
        "EuropaExclusiefNederland@Geboren in Nederland": ("sum", lambda c, s: c.inwoners * herkomst(c)[1] * 0.38
                                                          / 100),
        "BuitenEuropa@Geboren in Nederland": ("sum", lambda c, s: c.inwoners * herkomst(c)[2] * 0.45 / 100),
        "EuropaExclusiefNederland@Geboren buiten Nederland": ("sum", lambda c, s: c.inwoners * herkomst(c)[1]
                                                              * 0.62 / 100),
        "BuitenEuropa@Geboren buiten Nederland": ("sum", lambda c, s: c.inwoners * herkomst(c)[2] * 0.55 / 100),
        "WestersTotaal": ("sum", lambda c, s: c.inwoners * herkomst(c)[1] / 100 * 1.1),
        "NietWestersTotaal": ("sum", lambda c, s: c.inwoners * herkomst(c)[2] / 100 * 0.95),
        "GeboorteTotaal": ("sum", per_inw(0.0098, dep=0.05, urban=0.1)),
        "GeboorteRelatief": (mean_inw, lambda c, s: _share(c, s, 9.8, dep=0.5, urban=1.0, sd=0.8, low=2, high=20)),
        "SterfteTotaal": ("sum", per_inw(0.0095, urban=-0.2)),
        "SterfteRelatief": (mean_inw, lambda c, s: _share(c, s, 9.5, urban=-2.0, sd=0.8, low=2, high=25)),
        "Eenpersoonshuishoudens": ("sum", lambda c, s: c.huishoudens * _share(
            c, s, 39, dep=2, urban=24, sd=2.0, low=10, high=80) / 100),
        "HuishoudensZonderKinderen": ("sum", lambda c, s: c.huishoudens * _share(
            c, s, 28, urban=-4, sd=1.5, low=10, high=45) / 100),
        "HuishoudensMetKinderen": ("sum", lambda c, s: c.huishoudens * np.clip(100 - _share(
            c, "Eenpersoonshuishoudens", 39, dep=2, urban=24, sd=2.0, low=10, high=80) - _share(
            c, "HuishoudensZonderKinderen", 28, urban=-4, sd=1.5, low=10, high=45), 3, 80) / 100),
        "GemiddeldeHuishoudensgrootte": (mean_hh, lambda c, s: c.inwoners / np.maximum(c.huishoudens, 1e-9)),
        "Bevolkingsdichtheid": ("density", lambda c, s: c.inwoners),
        # Wonen en vastgoed
        "Woningvoorraad": ("sum", lambda c, s: c.woningen),
        "NieuwbouwWoningen": ("sum", lambda c, s: c.woningen * np.clip(
            0.009 + 0.004 * _noise(s, len(c.inwoners), c.year), 0, 0.05)),
        "NietWoningvoorraad": ("sum", lambda c, s: c.woningen * (0.03 + 0.12 * c.urban)),
        "NieuwbouwNietWoningen": ("sum", lambda c, s: c.woningen * (0.001 + 0.002 * c.urban)),
        "GemiddeldeWOZWaardeVanWoningen": (mean_won, lambda c, s: np.clip(
            (285 - 28 * c.deprivation + 40 * (1 - c.urban) + 12 * _noise(s, len(c.inwoners), c.year))
            * 1.06 ** (c.year - 2021), 120, 900)),
        "PercentageEengezinswoning": (mean_won, eengezins),
        "PercentageTussenwoningEengezins": (mean_won, sub(eengezins, 0.45, "PercentageEengezinswoning")),
        "PercentageHoekwoningEengezins": (mean_won, sub(eengezins, 0.22, "PercentageEengezinswoning")),
        "PercentageTweeOnderEenKapWoningEe": (mean_won, sub(eengezins, 0.17, "PercentageEengezinswoning")),
        "PercentageVrijstaandeWoningEengezins": (mean_won, sub(eengezins, 0.16, "PercentageEengezinswoning")),
        "PercentageMeergezinswoning": (mean_won, lambda c, s: 100 - eengezins(c, s)),
        "OnbewoondeWoningen": (mean_won, lambda c, s: _share(c, s, 4.2, urban=1.5, sd=0.8, low=0.5, high=15)),
        "Koopwoningen": (mean_won, koop),
        "HuurwoningenTotaal": (mean_won, lambda c, s: 100 - koop(c, s) - 1),
        "InBezitWoningcorporatie": (mean_won, corporatie),
        "InBezitOverigeVerhuurders": (mean_won, lambda c, s: np.clip(100 - koop(c, s) - 1 - corporatie(c, s), 0,
                                                                     100)),
        "BouwjaarMeerDanTienJaarGeleden": (mean_won, lambda c, s: 100 - _share(
            c, "BouwjaarAfgelopenTienJaar", 8, sd=3.0, low=0, high=40)),
        "BouwjaarAfgelopenTienJaar": (mean_won, lambda c, s: _share(c, s, 8, sd=3.0, low=0, high=40)),
        # Energie: the totals come from the demo's value model; these are parts of them
        "PercentageWoningenMetStadsverwarming": (mean_won, lambda c, s: _share(
            c, s, 4, urban=12, sd=2.0, low=0, high=60)),
        # Onderwijs
        "LeerlingenPo": ("sum", per_inw(0.083, dep=0.05, urban=-0.2)),
        "LeerlingenVoInclVavo": ("sum", per_inw(0.058, urban=-0.1)),
        "StudentenMboExclExtranei": ("sum", per_inw(0.029, dep=0.15)),
        "StudentenHbo": ("sum", per_inw(0.028, dep=-0.1, urban=0.3)),
        "StudentenWo": ("sum", per_inw(0.019, dep=-0.2, urban=0.6)),
        "BasisonderwijsVmboMbo1": ("sum", per_inw(0.18, dep=0.15, urban=-0.1)),
        "HavoVwoMbo24": ("sum", per_inw(0.29)),
        "HboWo": ("sum", per_inw(0.24, dep=-0.15, urban=0.3)),
        # Arbeid
        "Nettoarbeidsparticipatie": (mean_inw, lambda c, s: _share(c, s, 69, dep=-2.5, sd=1.5, low=40, high=85)),
        "PercentageWerknemers": (mean_inw, lambda c, s: _share(c, s, 84, urban=2, sd=1.5, low=60, high=97)),
        "PercentageZelfstandigen": (mean_inw, lambda c, s: 100 - _share(
            c, "PercentageWerknemers", 84, urban=2, sd=1.5, low=60, high=97)),
        # Inkomen
        "AantalInkomensontvangers": ("sum", per_inw(0.79, urban=0.05)),
        "GemiddeldInkomenPerInkomensontvanger": (mean_inw, income(37.5, -3.5)),
        "GemiddeldInkomenPerInwoner": (mean_inw, income(30.5, -3.0, urban=2)),
        "k_40PersonenMetLaagsteInkomen": (mean_inw, lambda c, s: _share(c, s, 40, dep=6, sd=2.0, low=10, high=80)),
        "k_20PersonenMetHoogsteInkomen": (mean_inw, lambda c, s: _share(c, s, 20, dep=-4, sd=1.5, low=2, high=55)),
        "GemGestandaardiseerdInkomenVanHuish": (mean_hh, income(33.0, -3.2)),
        "k_40HuishoudensMetLaagsteInkomen": (mean_hh, lambda c, s: _share(c, s, 40, dep=6.5, urban=4, sd=2.0,
                                                                          low=10, high=80)),
        "k_20HuishoudensMetHoogsteInkomen": (mean_hh, lambda c, s: _share(c, s, 20, dep=-4, sd=1.5, low=2,
                                                                          high=55)),
        "HuishoudensTot110VanSociaalMinimum": (mean_hh, lambda c, s: _share(c, s, 7.9, dep=2.2, urban=1.5, sd=0.6,
                                                                            low=1, high=30)),
        "HuishoudensTot120VanSociaalMinimum": (mean_hh, lambda c, s: _share(c, s, 10.6, dep=2.9, urban=2.0, sd=0.7,
                                                                            low=1.5, high=35)),
        "MediaanVermogenVanParticuliereHuish": (mean_hh, lambda c, s: _share(c, s, 125, dep=-30, urban=-40, sd=10,
                                                                             low=2, high=600, trend=5)),
        # Sociale zekerheid
        "PersonenPerSoortUitkeringBijstand": ("sum", per_inw(0.021, dep=0.45)),
        "PersonenPerSoortUitkeringAO": ("sum", per_inw(0.046, dep=0.15)),
        "PersonenPerSoortUitkeringWW": ("sum", per_inw(0.011, dep=0.1)),
        "PersonenPerSoortUitkeringAOW": ("sum", persons(old)),
        # Zorg
        "JongerenMetJeugdzorgInNatura": ("sum", lambda c, s: c.inwoners * young(c, "k_0Tot15Jaar") / 100 * 1.5
                                         * _share(c, "PercentageJongerenMetJeugdzorg", 9.5, dep=1.5, sd=1.0,
                                                  low=2, high=25) / 100),
        "PercentageJongerenMetJeugdzorg": (mean_inw, lambda c, s: _share(c, s, 9.5, dep=1.5, sd=1.0, low=2,
                                                                         high=25)),
        "WmoClienten": ("sum", lambda c, s: c.inwoners * _share(c, "WmoClientenRelatief", 72, dep=8, urban=-10,
                                                                sd=6, low=20, high=200) / 1000),
        "WmoClientenRelatief": (mean_inw, lambda c, s: _share(c, s, 72, dep=8, urban=-10, sd=6, low=20, high=200)),
        # Bedrijfsvestigingen
        "BedrijfsvestigingenTotaal": ("sum", per_inw(0.13, urban=0.8)),
        "ALandbouwBosbouwEnVisserij": ("sum", per_inw(0.004, urban=-1.8)),
        "BFNijverheidEnEnergie": ("sum", per_inw(0.009)),
        "GIHandelEnHoreca": ("sum", per_inw(0.027, urban=0.9)),
        "HJVervoerInformatieEnCommunicatie": ("sum", per_inw(0.011, urban=0.4)),
        "KLFinancieleDienstenOnroerendGoed": ("sum", per_inw(0.007, urban=0.6)),
        "MNZakelijkeDienstverlening": ("sum", per_inw(0.034, urban=0.5)),
        "OQOverheidOnderwijsEnZorg": ("sum", per_inw(0.021, urban=0.3)),
        "RUCultuurRecreatieOverigeDiensten": ("sum", per_inw(0.017, urban=0.4)),
        # Motorvoertuigen
        "PersonenautoSTotaal": ("sum", lambda c, s: c.huishoudens * _share(
            c, "PersonenautoSPerHuishouden", 1.05, dep=-0.06, urban=-0.6, sd=0.05, low=0.3, high=2.5)),
        "PersonenautoSBrandstofBenzine": ("sum", lambda c, s: c.huishoudens * 0.78 * _share(
            c, "PersonenautoSPerHuishouden", 1.05, dep=-0.06, urban=-0.6, sd=0.05, low=0.3, high=2.5)),
        "PersonenautoSOverigeBrandstof": ("sum", lambda c, s: c.huishoudens * 0.22 * _share(
            c, "PersonenautoSPerHuishouden", 1.05, dep=-0.06, urban=-0.6, sd=0.05, low=0.3, high=2.5)),
        "PersonenautoSPerHuishouden": (mean_hh, lambda c, s: _share(c, s, 1.05, dep=-0.06, urban=-0.6, sd=0.05,
                                                                    low=0.3, high=2.5)),
        "PersonenautoSNaarOppervlakte": ("density", lambda c, s: c.huishoudens * _share(
            c, "PersonenautoSPerHuishouden", 1.05, dep=-0.06, urban=-0.6, sd=0.05, low=0.3, high=2.5)),
        "Motorfietsen": ("sum", per_inw(0.038, urban=-0.3)),
        # Nabijheid voorzieningen (km, and schools within 3 km)
        "AfstandTotHuisartsenpraktijk": (mean_inw, km(0.6, 2.6)),
        "AfstandTotGroteSupermarkt": (mean_inw, km(0.6, 3.2)),
        "AfstandTotKinderdagverblijf": (mean_inw, km(0.5, 2.2)),
        "AfstandTotSchool": (mean_inw, km(0.5, 2.0)),
        "ScholenBinnen3Km": (mean_inw, lambda c, s: np.clip(2 + 11 * c.urban + 0.5 * _noise(
            s, len(c.inwoners), c.year), 0.5, 30)),
        # Oppervlakte (ha) and Stedelijkheid
        "OppervlakteTotaal": ("sum", lambda c, s: c.land_ha + c.water_ha),
        "OppervlakteLand": ("sum", lambda c, s: c.land_ha),
        "OppervlakteWater": ("sum", lambda c, s: c.water_ha),
        "Dekkingspercentage": (mean_inw, lambda c, s: np.full(len(c.inwoners), 1.0)),
        "MateVanStedelijkheid": (mean_inw, lambda c, s: 1 + 4 * (1 - c.urban)),
        "Omgevingsadressendichtheid": (mean_inw, lambda c, s: np.clip(
            350 + 2600 * c.urban + 60 * _noise(s, len(c.inwoners), c.year), 50, 6000)),
    }


TOPICS = _topics()
ENERGY_FACTORS = {   # a woningtype or ownership relative to the region's average
    "Appartement": (0.72, 0.62), "Tussenwoning": (0.96, 0.90), "Hoekwoning": (1.05, 1.06),
    "TweeOnderEenKapWoning": (1.20, 1.26), "VrijstaandeWoning": (1.45, 1.62), "Huurwoning": (0.86, 0.82),
    "EigenWoning": (1.14, 1.16)}


def aggregate(kind, values: np.ndarray, cells: Cells) -> float | None:
    """One region's figure from its cells' values, as CBS aggregates such a topic."""
    if kind == "sum":
        return float(values.sum())
    if kind == "density":
        land_km2 = cells.land_ha.sum() / 100
        return float(values.sum() / land_km2) if land_km2 > 0 else None
    weights = getattr(cells, kind[1])
    return float(np.average(values, weights=weights)) if weights.sum() > 0 else None


def region_figures(layout: list[dict], cells: Cells, totals: dict, level: str, unpublished: bool) -> dict:
    """``{key: value}`` of every numeric topic but the ones of the demo's value model (``totals``: the region's
    ``gas`` and ``elektriciteit``, for the use per woningtype), rounded as the DataProperties say; None where CBS
    would publish nothing (too few households, not yet published, no inhabitants)."""
    out = {}
    households = float(cells.huishoudens.sum())
    inhabitants = float(cells.inwoners.sum())
    for prop in layout:
        if prop["Type"] != "Topic" or prop.get("Datatype") == "String":
            continue
        stem, path = key_stem(prop["Key"]), group_path(layout, prop)
        topic = TOPICS.get(f"{stem}@{path[-1]}") or TOPICS.get(stem)
        if topic is not None:
            value = aggregate(topic[0], np.asarray(topic[1](cells, stem), dtype=float), cells)
        elif stem in ENERGY_FACTORS:
            value = _energy(stem, path, totals)
        else:
            continue    # a figure of the value model (inhabitants, households, income, energy totals)
        if value is None or (unpublished and path[0] in UNPUBLISHED_GROUPS):
            out[prop["Key"]] = None
            continue
        counted = topic is not None and topic[0] == "sum"
        if (path[0] in INCOME_GROUPS and not counted and households < 100) or \
                (path[0] in ENERGY_GROUPS and households < 50) or \
                (inhabitants == 0 and path[0] not in ("Oppervlakte",) and not counted):
            out[prop["Key"]] = None
            continue
        if counted and level != "gemeente" and prop["Unit"] == "aantal":
            value = 5 * round(value / 5)
        decimals = int(prop.get("Decimals") or 0)
        out[prop["Key"]] = int(round(value)) if prop.get("Datatype") == "Long" else round(value, decimals)
    return out


def _energy(stem: str, path: tuple[str, ...], totals: dict) -> float | None:
    """Use per woningtype or ownership: the region's average times a factor (and a fixed small wobble)."""
    gas = "Gemiddeld aardgasverbruik" in path
    total = totals.get("gas" if gas else "elektriciteit")
    if total is None:
        return None
    return total * ENERGY_FACTORS[stem][1 if gas else 0] * (1 + 0.01 * (zlib.crc32(stem.encode()) % 7 - 3))
