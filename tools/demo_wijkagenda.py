"""Generate the demo initiatives and wijkagenda of Voorbeeldstad (fictief): the templates a gemeente copies.

Writes, next to the demo boundaries (whose buurten of the newest year place the points)::

    data/demo/initiatieven.csv    ;-separated, decimal commas, UTF-8 with BOM, dates dd-mm-jjjj
    data/demo/wijkagenda.xlsx     sheet "agenda" (items) and sheet "voortgang" (progress updates)

    python -m tools.demo_wijkagenda [--out data/demo]

Deterministic: a fixed seed, and the workbook is written with fixed timestamps, so two runs give the same bytes.
Everything is made up; names of people, e-mail addresses (@voorbeeldstad.example) and phone numbers are fictional.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.join import rd_to_lonlat

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "demo"
SEED = 2024
INDELING = 2024
FIXED_TIME = datetime(2024, 1, 1)
GM = "9999"

# wijk (0–5), name, theme, status, organisation, start, end, description, public, where
# where: "lonlat" | "rd" | "buurt" | "wijk" (the location as the row gives it)
INITIATIVES = (
    (0, "Buurtkamer De Waag", "ontmoeting", "loopt", "Stichting Welzijn Voorbeeldstad", "2023-09-01", None,
     "Inloop met koffie, krant en spreekuur van de wijkcoach, elke werkdag van 10 tot 16 uur.", True, "lonlat"),
    (0, "Repair Café Binnenstad", "ontmoeting", "loopt", "Vrijwilligers Repair Café", "2022-03-05", None,
     "Elke eerste zaterdag van de maand samen spullen repareren in het buurthuis.", True, "rd"),
    (0, "Energiecoaches aan huis", "energie", "loopt", "Energieloket Voorbeeldstad", "2024-01-15", "2025-12-31",
     "Vrijwillige energiecoaches geven gratis advies en plaatsen radiatorfolie en tochtstrips.", True, "buurt"),
    (0, "Geveltuinen Boterstraat", "groen", "afgerond", "Bewonerscommissie Boterstraat", "2023-04-01",
     "2023-10-31", "Bewoners leggen samen met de gemeente geveltuinen aan.", True, "lonlat"),
    (1, "Schuldhulp op de Kade", "armoede", "loopt", "Humanitas Voorbeeldstad", "2023-01-09", None,
     "Wekelijks spreekuur voor hulp bij post, geldzaken en schulden.", True, "lonlat"),
    (1, "Havenmaaltijd", "eenzaamheid", "loopt", "Stichting De Ankerplaats", "2022-10-01", None,
     "Samen eten voor 3 euro, iedere donderdag, voor wie niet graag alleen eet.", True, "rd"),
    (1, "Vroegsignalering huurachterstand", "armoede", "loopt", "Woonstichting Havenstad", "2024-02-01",
     "2026-01-31", "Corporatie en gemeente benaderen huurders bij de eerste gemiste huur.", False, "wijk"),
    (1, "Speeltuin Dokken vernieuwd", "jeugd", "gepland", "Speeltuinvereniging De Dokken", "2025-04-01",
     "2025-09-30", "Nieuwe toestellen en een watertafel, ontworpen met kinderen uit de buurt.", True, "buurt"),
    (1, "Wijkteam-overleg casuïstiek", "gezondheid", "loopt", "Sociaal Wijkteam Oude Haven", "2021-06-01", None,
     "Tweewekelijks overleg van wijkteam, huisarts en wijkagent over zorgen achter de voordeur.", False, "lonlat"),
    (2, "Zonnedaken Molenkwartier", "energie", "loopt", "Energiecoöperatie De Wieken", "2023-05-01",
     "2026-12-31", "Collectieve inkoop van zonnepanelen voor rijtjeswoningen.", True, "rd"),
    (2, "Molenfeest", "ontmoeting", "afgerond", "Buurtvereniging De Korenmolen", "2024-06-15", "2024-06-16",
     "Jaarlijks buurtfeest rond de korenmolen met rommelmarkt.", True, "lonlat"),
    (2, "Warmtenet verkenning", "energie", "idee", "Gemeente Voorbeeldstad", None, None,
     "Onderzoek naar een wijkwarmtenet op restwarmte van de maalderij.", False, "wijk"),
    (2, "Taalcafé De Wieken", "ontmoeting", "loopt", "Bibliotheek Voorbeeldstad", "2023-09-12", None,
     "Nederlands oefenen in een ontspannen sfeer, dinsdagmiddag.", True, "buurt"),
    (3, "Natuurspeelplaats Broekpolder", "groen", "afgerond", "IVN Voorbeeldstad", "2022-03-01", "2022-11-30",
     "Een speelplek met wilgenhutten, water en zand.", True, "lonlat"),
    (3, "Klushulp voor ouderen", "wonen", "loopt", "Stichting Handen Uit De Mouwen", "2023-02-01", None,
     "Vrijwilligers doen kleine klussen in huis voor ouderen met een kleine beurs.", True, "rd"),
    (3, "Wandelgroep Elzenhof", "gezondheid", "loopt", "Fysiotherapie Het Broek", "2024-03-04", None,
     "Elke maandagochtend een uur wandelen, ook met rollator.", True, "lonlat"),
    (3, "Buurtpreventie-app", "veiligheid", "gestopt", "Bewonersgroep Kievitsweide", "2021-05-01", "2023-12-31",
     "WhatsApp-buurtpreventie; gestopt na het vertrek van de beheerders.", False, "buurt"),
    (4, "Voedselbank uitgiftepunt Noord", "armoede", "loopt", "Voedselbank Voorbeeldstad", "2022-01-10", None,
     "Uitgiftepunt op vrijdag in het wijkcentrum.", True, "lonlat"),
    (4, "Huiskamer Vogelbuurt", "eenzaamheid", "loopt", "Stichting Welzijn Voorbeeldstad", "2023-11-01", None,
     "Een huiskamer voor ouderen die weinig mensen zien; met vervoer op afroep.", True, "rd"),
    (4, "Jongerenwerk Spreeuwenpark", "jeugd", "loopt", "JongerenWerk Voorbeeldstad", "2024-01-08", None,
     "Straatcoaches en een inloop in de container bij het sportveld.", True, "lonlat"),
    (4, "Achterpadenaanpak", "veiligheid", "gepland", "Woonstichting Havenstad", "2025-03-01", "2025-12-31",
     "Verlichting en poorten in de achterpaden van de Vogelbuurt.", False, "buurt"),
    (4, "Isolatieaanpak huurwoningen Noord", "energie", "loopt", "Woonstichting Havenstad", "2024-05-01",
     "2027-06-30", "Na-isolatie van 320 huurwoningen met bewonersbegeleiding.", True, "wijk"),
    (5, "Dorpsbus Buitengebied", "bevolking", "loopt", "Vereniging Dorpsbelang Buitengebied", "2021-09-01", None,
     "Vrijwilligers rijden bewoners zonder auto naar de huisarts en de supermarkt.", True, "lonlat"),
    (5, "Erfbezoeken eenzaamheid", "eenzaamheid", "loopt", "Vrouwen van Nu afdeling Buitengebied", "2024-04-01",
     None, "Bezoekjes aan alleenstaande ouderen op de boerderijen.", False, "rd"),
    (5, "Bloemrijke bermen", "groen", "idee", "Agrarisch Natuurcollectief", None, None,
     "Bermen langs de Oude Dijk ecologisch maaien en inzaaien.", True, "buurt"),
)
PEOPLE = ("Fatima el Amrani", "Jan de Vries", "Sanne Bakker", "Mohamed Yilmaz", "Anouk Jansen", "Pieter Visser",
          "Eva de Boer", "Kees Mulder", "Noor Hendriks", "Daan Smit", "Lotte Meijer", "Ricardo Santos")

# id, wijk, title, theme, owner, status, progress, start, due, parent, indicator, baseline year, direction,
# target, public, description, note
AGENDA = (
    ("WA-01", 1, "Armoedeaanpak Oude Haven", "armoede", "Gemeente Voorbeeldstad", "loopt", 45, "2022-01-01",
     "2026-12-31", None, "laag_inkomen", 2021, "omlaag", 14.0, True,
     "Minder huishoudens met een laag inkomen door vroegsignalering, schuldhulp en werk.",
     "Budget 2025 nog niet vastgesteld; afhankelijk van voorjaarsnota."),
    ("WA-02", 1, "Vroegsignalering schulden", "armoede", "Sociaal Wijkteam Oude Haven", "loopt", 60,
     "2022-03-01", "2025-12-31", "WA-01", "moeite_rondkomen", 2022, None, 12.0, True,
     "Signalen van corporatie, energie- en zorgverzekeraar binnen twee weken opvolgen.",
     "Privacytoets signalenpilot loopt nog bij de FG."),
    ("WA-03", 1, "Toeslagen en regelingen: bereik vergroten", "armoede", "Humanitas Voorbeeldstad", "afgerond",
     100, "2022-04-01", "2024-06-30", "WA-01", None, None, None, None, True,
     "Huis-aan-huisactie 'Geld terug' en spreekuren in de buurtkamer.", None),
    ("WA-04", 0, "Minder eenzaamheid onder ouderen", "eenzaamheid", "Stichting Welzijn Voorbeeldstad", "loopt",
     35, "2023-01-01", "2026-06-30", None, "eenzaam", 2022, "omlaag", 45.0, True,
     "Meer ontmoetingsplekken en vervoer; ouderen die alleen wonen worden thuis bezocht.",
     "Signaal huisartsen: wachtlijst ouderenwerk loopt op."),
    ("WA-05", 0, "Buurtkamer uitbreiden naar zaterdag", "ontmoeting", "Stichting Welzijn Voorbeeldstad",
     "gepland", 10, "2025-01-01", "2025-09-30", "WA-04", None, None, None, None, True,
     "Openstelling op zaterdag met vrijwilligers.", "Vrijwilligers nog niet rond."),
    ("WA-06", 2, "Aardgasvrij Molenkwartier", "energie", "Gemeente Voorbeeldstad", "loopt", 25, "2022-06-01",
     "2030-12-31", None, "aardgas", 2021, "omlaag", 900.0, True,
     "Van isoleren naar een warmtenet; bewoners beslissen mee in de warmtegroep.",
     "Wethouder wil besluit warmtenet voor de zomer; netbeheerder nog terughoudend."),
    ("WA-07", 2, "Isolatie-acties koopwoningen", "energie", "Energieloket Voorbeeldstad", "loopt", 55,
     "2023-02-01", "2025-12-31", "WA-06", "elektriciteit", 2022, "omlaag", 2600.0, True,
     "Collectieve inkoop spouwmuurisolatie en vloerisolatie.", None),
    ("WA-08", 2, "Warmtenet haalbaarheidsstudie", "energie", "Gemeente Voorbeeldstad", "idee", 0, None, None,
     "WA-06", None, None, None, None, False, "Studie naar een warmtenet op restwarmte.",
     "Offertes twee bureaus opgevraagd; niet extern communiceren vóór collegebesluit."),
    ("WA-09", 3, "Groene schoolpleinen Het Broek", "groen", "Basisschool De Wilgen", "afgerond", 100,
     "2022-09-01", "2023-10-31", None, None, None, None, None, True,
     "Twee schoolpleinen vergroend en na schooltijd open als speelplek.", None),
    ("WA-10", 3, "Woningen voor starters", "wonen", "Gemeente Voorbeeldstad", "gestopt", 15, "2022-01-01",
     "2024-12-31", None, "inwoners", 2022, "omhoog", 5200.0, False,
     "Tijdelijke woningen voor starters op de Broekweg.",
     "Gestopt: grond bleek vervuild; herstart onderzoeken in 2026."),
    ("WA-11", 4, "Veilige Vogelbuurt", "veiligheid", "Wijkagent en Woonstichting Havenstad", "loopt", 50,
     "2023-06-01", "2025-12-31", None, None, None, None, None, True,
     "Verlichting, schouwen met bewoners en aanpak van overlastlocaties.",
     "Twee panden in onderzoek bij de Bibob-coördinator."),
    ("WA-12", 4, "Armoede onder gezinnen Vogelbuurt-Noord", "armoede", "JongerenWerk Voorbeeldstad", "loopt", 30,
     "2023-09-01", "2026-08-31", None, "sociaal_minimum", 2022, "omlaag", 11.0, True,
     "Gratis sport en cultuur voor kinderen en een kledingbank op school.", None),
    ("WA-13", 4, "Ontmoetingsplein Merelhof", "ontmoeting", "Gemeente Voorbeeldstad", "gepland", 5, "2025-03-01",
     "2026-03-31", "WA-11", None, None, None, None, True, "Het plein herinrichten met bewoners.", None),
    ("WA-14", 5, "Bereikbaarheid zorg Buitengebied", "gezondheid", "Vereniging Dorpsbelang Buitengebied",
     "loopt", 70, "2022-02-01", "2025-06-30", None, "ernstig_eenzaam", 2021, None, 9.0, True,
     "Dorpsbus, beeldbellen met de huisarts en een zorgsteunpunt in het dorpshuis.", None),
    ("WA-15", 5, "Glasvezel en digitale hulp", "overig", "Gemeente Voorbeeldstad", "afgerond", 100, "2021-05-01",
     "2023-12-31", None, None, None, None, None, False, "Digitale hulp voor ouderen na de aanleg van glasvezel.",
     "Evaluatie intern; subsidie provincie verantwoord."),
)
UPDATE_NOTES = ("Stand van zaken besproken in het wijkoverleg.", "Eerste resultaten gedeeld met bewoners.",
                "Planning bijgesteld na overleg met partners.", "Vrijwilligers geworven en ingewerkt.",
                "Tussenrapportage aan de wijkwethouder.", "Subsidie toegekend.")


def demo_buurten(demo_dir: Path) -> gpd.GeoDataFrame:
    """The land buurten of the newest demo indeling, one row per code."""
    buurten = gpd.read_file(demo_dir / f"wijkenbuurten_{INDELING}.gpkg", layer="buurten")
    buurten = buurten[buurten["water"].str.upper() != "JA"]
    return buurten.dissolve("buurtcode", as_index=False, sort=True)


def _point_in(polygon, rng) -> shapely.Point:
    """A point well inside ``polygon`` (50 m from its border where possible)."""
    inner = polygon.buffer(-50)
    target = inner if not inner.is_empty else polygon
    xmin, ymin, xmax, ymax = target.bounds
    for _ in range(1000):
        point = shapely.Point(rng.uniform(xmin, xmax), rng.uniform(ymin, ymax))
        if target.contains(point):
            return point
    return shapely.point_on_surface(polygon)


def _comma(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def _dmy(text: str | None) -> str:
    return "" if not text else date.fromisoformat(text).strftime("%d-%m-%Y")


def initiatives_rows(buurten: gpd.GeoDataFrame) -> list[list[str]]:
    rng = np.random.default_rng(SEED)
    header = ["id", "naam", "omschrijving", "thema", "status", "organisatie", "startdatum", "einddatum",
              "lengtegraad", "breedtegraad", "rd_x", "rd_y", "buurtcode", "wijkcode", "openbaar", "contactpersoon",
              "email", "telefoon"]
    rows = [header]
    per_wijk: dict[int, int] = {}
    for number, (wijk, name, theme, status, organisation, start, end, text, public, where) \
            in enumerate(INITIATIVES, 1):
        wijkcode = f"WK{GM}{wijk:02d}"
        candidates = buurten[buurten["wijkcode"] == wijkcode].reset_index(drop=True)
        buurt = candidates.iloc[(per_wijk.get(wijk, 0) * 3 + number) % len(candidates)]
        per_wijk[wijk] = per_wijk.get(wijk, 0) + 1
        point = _point_in(buurt.geometry, rng)
        lon, lat = rd_to_lonlat([point.x], [point.y])
        location = {"lonlat": [_comma(lon[0], 6), _comma(lat[0], 6), "", "", "", ""],
                    "rd": ["", "", _comma(point.x, 2), _comma(point.y, 2), "", ""],
                    "buurt": ["", "", "", "", buurt.buurtcode, ""],
                    "wijk": ["", "", "", "", "", wijkcode]}[where]
        person = PEOPLE[number % len(PEOPLE)]
        mail = person.lower().replace(" ", ".")
        rows.append([f"INI-{number:03d}", name, text, theme, status, organisation, _dmy(start), _dmy(end),
                     *location, "ja" if public else "nee", person, f"{mail}@voorbeeldstad.example",
                     f"06-{10_000_000 + number * 7_654_321 % 89_999_999:08d}"])
    return rows


def write_initiatives(buurten: gpd.GeoDataFrame, out: Path) -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=";", lineterminator="\r\n").writerows(initiatives_rows(buurten))
    path = out / "initiatieven.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return path


def agenda_updates() -> list[list]:
    """Progress updates: for every started item a few dated steps ending at its current progress."""
    rng = np.random.default_rng(SEED + 1)
    today = date(2025, 5, 1)
    updates = []
    for item_id, _, _, _, _, status, progress, start, due, *_ in AGENDA:
        if start is None or status == "idee":
            continue
        begin = date.fromisoformat(start)
        end = min(date.fromisoformat(due), today) if due else today
        if end <= begin:
            end = begin + timedelta(days=30)
        steps = 2 if status == "gepland" else 3 if progress < 50 else 4
        days = sorted(int(d) for d in rng.choice(np.arange(1, (end - begin).days + 1), steps, replace=False))
        values = sorted(int(v) for v in rng.integers(0, max(progress, 1), steps - 1)) + [progress]
        for step, (offset, value) in enumerate(zip(days, values)):
            last = step == steps - 1
            state = status if last else ("gepland" if step == 0 and status == "gepland" else "loopt")
            if last and status == "afgerond":
                value = 100
            note = UPDATE_NOTES[int(rng.integers(len(UPDATE_NOTES)))]
            updates.append([item_id, begin + timedelta(days=offset), value, state, note])
    return updates


def write_agenda(out: Path) -> Path:
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    items = workbook.active
    items.title = "agenda"
    items.append(["id", "wijkcode", "titel", "omschrijving", "thema", "eigenaar", "status", "voortgang (%)",
                  "startdatum", "deadline", "bovenliggend", "indicator", "basisjaar", "richting", "doel",
                  "openbaar", "notitie"])
    for (item_id, wijk, title, theme, owner, status, progress, start, due, parent, indicator, baseline, direction,
         target, public, description, note) in AGENDA:
        items.append([item_id, f"WK{GM}{wijk:02d}", title, description, theme, owner, status, progress,
                      date.fromisoformat(start) if start else None, date.fromisoformat(due) if due else None,
                      parent, indicator, baseline, direction, target, "ja" if public else "nee", note])
    updates = workbook.create_sheet("voortgang")
    updates.append(["id", "datum", "voortgang (%)", "status", "notitie"])
    for row in agenda_updates():
        updates.append(row)
    for sheet in (items, updates):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (date, datetime)):
                    cell.number_format = "DD-MM-YYYY"
    workbook.properties.creator = "wijkbeeld demo"
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = out / "wijkagenda.xlsx"
    path.write_bytes(_fixed_zip(buffer.getvalue()))
    return path


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed member timestamps, so the workbook's bytes do not depend on the clock."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":   # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", content)
            target.writestr(fixed, content)
    return out.getvalue()


def generate(out: Path = DEFAULT_OUT, demo_dir: Path | None = None) -> list[Path]:
    """Write ``initiatieven.csv`` and ``wijkagenda.xlsx`` into ``out`` (boundaries read from ``demo_dir``)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    buurten = demo_buurten(Path(demo_dir or out))
    return [write_initiatives(buurten, out), write_agenda(out)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_wijkagenda", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    for path in generate(args.out, demo_dir=DEFAULT_OUT if not (args.out / f"wijkenbuurten_{INDELING}.gpkg")
                         .exists() else args.out):
        print(f"{path.stat().st_size:>9,d}  {path}")


if __name__ == "__main__":
    main()
