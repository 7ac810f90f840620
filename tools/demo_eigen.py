"""Generate the demo's own figures of Voorbeeldstad (fictief): the template for ``wijkbeeld etl eigen``.

Writes ``data/demo/eigen_cijfers.xlsx``: sheet ``cijfers`` (one row per region and year, one column per indicator)
and sheet ``indicatoren`` (the declaration: label, unit, theme, source, public or not, direction). A bewonersenquête
per wijk every two years, registrations per buurt or wijk every year; one indicator is internal (not public)::

    python -m tools.demo_eigen [--out data/demo]

Deterministic (fixed seed and timestamps: the same bytes on every run); every figure and source is made up.
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import geopandas as gpd
import numpy as np

from tools.demo_wijkagenda import DEFAULT_OUT, FIXED_TIME, _fixed_zip

SEED = 4242
GEMEENTE = "GM9999"
ENQUETE = "Bewonersenquête Voorbeeldstad (fictief)"
# code, label, unit, theme, source, public, direction, description, decimals, featured,
# (level, years), (base, per unit of deprivation, noise), wide-open range
DECLARATION = (
    ("veilig", "Voelt zich veilig in de eigen buurt", "%", "wonen", ENQUETE, True, "hoger is beter",
     "Aandeel bewoners van 18 jaar en ouder dat zich (bijna) altijd veilig voelt in de eigen buurt.", 0, True,
     ("wijk", (2021, 2023)), (82.0, -3.0, 2.0), (40, 99)),
    ("rapportcijfer_buurt", "Rapportcijfer voor de eigen buurt", "rapportcijfer (1-10)", "wonen", ENQUETE, True,
     "hoger is beter", "Gemiddeld rapportcijfer dat bewoners hun buurt geven als plek om te wonen.", 1, False,
     ("wijk", (2021, 2023)), (7.4, -0.25, 0.15), (4, 9.5)),
    ("contact_buren", "Heeft regelmatig contact met buren", "%", "eenzaamheid", ENQUETE, True, "hoger is beter",
     "Aandeel bewoners dat minstens eens per week een praatje maakt met buren.", 0, False,
     ("wijk", (2021, 2023)), (61.0, -2.5, 2.5), (20, 95)),
    ("meldingen_overlast", "Meldingen van woonoverlast", "per 1.000 inwoners", "wonen",
     "Meldingenregistratie gemeente Voorbeeldstad (fictief)", True, "lager is beter",
     "Meldingen van geluids-, stank- en burenoverlast bij gemeente en wijkagent, per 1.000 inwoners.", 1, False,
     ("buurt", (2022, 2023, 2024)), (6.5, 1.8, 1.5), (0, 40)),
    ("schuldhulp_aanmeldingen", "Aanmeldingen bij schuldhulpverlening", "per 1.000 huishoudens", "armoede",
     "Registratie schuldhulpverlening Voorbeeldstad (fictief)", False, "neutraal",
     "Nieuwe aanmeldingen per 1.000 huishoudens; intern: kleine aantallen zijn herleidbaar.", 1, False,
     ("wijk", (2022, 2023, 2024)), (9.0, 2.5, 1.0), (0, 60)),
    ("energiecoach_bezoeken", "Huisbezoeken van energiecoaches", "aantal", "energie",
     "Energieloket Voorbeeldstad (fictief)", True, "neutraal",
     "Huisbezoeken van de vrijwillige energiecoaches in het jaar.", 0, False,
     ("wijk", (2023, 2024)), (40.0, 12.0, 10.0), (0, 500)),
)
# per wijk (WK999900 … WK999905): deprivation, as in tools/demo_inputs (low income per wijk)
DEPRIVATION = (1.0, 2.0, -0.25, -0.75, 1.5, -1.1)


def regions(demo_dir: Path, year: int, level: str) -> list[str]:
    """The codes of one level in the demo indeling of a year (buurten from the boundary file)."""
    if level == "wijk":
        return [f"WK{GEMEENTE[2:]}{n:02d}" for n in range(len(DEPRIVATION))]
    buurten = gpd.read_file(Path(demo_dir) / f"wijkenbuurten_{year}.gpkg", layer="buurten", ignore_geometry=True)
    land = buurten[(buurten["water"] == "NEE")]
    return sorted(set(land["buurtcode"]))


def figure_rows(demo_dir: Path) -> list[list]:
    """Rows of the figures sheet: the gemeente and its wijken (or buurten) per year, a column per indicator."""
    rng = np.random.default_rng(SEED)
    values: dict[tuple[str, int], dict] = {}
    for code, *_, (level, years), (base, slope, noise), (low, high) in DECLARATION:
        for year in years:
            for region in regions(demo_dir, year, level):
                wijk = int(region[6:8])
                value = base + slope * DEPRIVATION[wijk] + rng.normal(0, noise) + 0.3 * slope * (year - 2022)
                values.setdefault((region, year), {})[code] = float(np.clip(value, low, high))
            wijken = [values[(w, year)][code] for w in regions(demo_dir, year, "wijk") if (w, year) in values
                      and code in values[(w, year)]]
            if wijken and level == "wijk":
                total = float(np.sum(wijken)) if code == "energiecoach_bezoeken" else float(np.mean(wijken))
                values.setdefault((GEMEENTE, year), {})[code] = total
    rows = []
    for (region, year), figures in sorted(values.items(), key=lambda item: (item[0][1], len(item[0][0]),
                                                                              item[0][0])):
        row = [region, _name(region), year]
        for code, _, _, _, _, _, _, _, decimals, *_ in DECLARATION:
            value = figures.get(code)
            row.append(None if value is None else (round(value) if decimals == 0 else round(value, decimals)))
        rows.append(row)
    return rows


def _name(code: str) -> str:
    from tools.demo_inputs import GEMEENTENAAM, WIJKEN

    if code == GEMEENTE:
        return GEMEENTENAAM
    if code.startswith("WK"):
        return WIJKEN[int(code[6:8])][0]
    return ""


def write_eigen(out: Path, demo_dir: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    figures = workbook.active
    figures.title = "cijfers"
    figures.append(["code", "naam", "jaar", *(entry[0] for entry in DECLARATION)])
    for row in figure_rows(demo_dir):
        figures.append(row)
    declaration = workbook.create_sheet("indicatoren")
    declaration.append(["code", "label", "eenheid", "thema", "bron", "openbaar", "richting", "omschrijving",
                        "decimalen", "uitgelicht"])
    for code, label, unit, theme, source, public, direction, description, decimals, featured, *_ in DECLARATION:
        declaration.append([code, label, unit, theme, source, "ja" if public else "nee", direction, description,
                            decimals, "ja" if featured else "nee"])
    for sheet in (figures, declaration):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    workbook.properties.creator = "wijkbeeld demo"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = Path(out) / "eigen_cijfers.xlsx"
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def generate(out: Path = DEFAULT_OUT, demo_dir: Path | None = None) -> list[Path]:
    """Write ``eigen_cijfers.xlsx`` into ``out`` (buurten read from the boundary files in ``demo_dir``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return [write_eigen(out, Path(demo_dir or out))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_eigen", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    demo_dir = args.out if (args.out / "wijkenbuurten_2024.gpkg").exists() else DEFAULT_OUT
    for path in generate(args.out, demo_dir=demo_dir):
        print(f"{path.stat().st_size:>9,d}  {path}")


if __name__ == "__main__":
    main()
