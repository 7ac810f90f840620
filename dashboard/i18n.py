"""The dashboard's words, Dutch first, English available."""
from __future__ import annotations

LANGUAGES = ("nl", "en")

TEXT = {
    "title": {"nl": "wijkbeeld", "en": "wijkbeeld"},
    "tagline": {"nl": "Eén beeld van de wijk", "en": "One picture of the neighbourhood"},
    "theme": {"nl": "Thema", "en": "Theme"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "year": {"nl": "Jaar", "en": "Year"},
    "level": {"nl": "Niveau", "en": "Level"},
    "scheme": {"nl": "Klassenindeling", "en": "Classification"},
    "k": {"nl": "Aantal klassen", "en": "Number of classes"},
    "fixed": {"nl": "Zelfde klassen voor alle jaren", "en": "Same classes for all years"},
    "search": {"nl": "Zoek gemeente, wijk of buurt", "en": "Find a gemeente, wijk or buurt"},
    "search_placeholder": {"nl": "naam of code…", "en": "name or code…"},
    "language": {"nl": "English", "en": "Nederlands"},
    "profile_hint": {"nl": "Klik op een gebied voor zijn profiel.", "en": "Click an area to see its profile."},
    "trend": {"nl": "Verloop", "en": "Trend"},
    "compare": {"nl": "Vergeleken met", "en": "Compared with"},
    "source": {"nl": "Bron", "en": "Source"},
    "suppressed": {"nl": "geheim (te weinig inwoners)", "en": "suppressed (too few inhabitants)"},
    "missing": {"nl": "geen gegevens", "en": "no data"},
    "estimate": {"nl": "modelschatting", "en": "model estimate"},
    "margin": {"nl": "marge", "en": "margin"},
    "code_change": {"nl": "Let op: deze reeks loopt over een indelingswijziging (code of grens veranderd); "
                          "jaren zijn niet zonder meer vergelijkbaar.",
                    "en": "Note: this series crosses a boundary or code change; years are not directly comparable."},
    "no_trend": {"nl": "Geen reeks: dit gebied heeft maar één jaar met cijfers.",
                 "en": "No series: this area has figures for one year only."},
    "nederland": {"nl": "Nederland", "en": "The Netherlands"},
    "fictional": {"nl": "Voorbeeldstad is een fictieve gemeente: de cijfers in de demo zijn gegenereerd.",
                  "en": "Voorbeeldstad is a fictional municipality: the demo figures are generated."},
    "attribution": {"nl": "Bron: CBS, Kadaster (CC BY 4.0); Gezondheidsmonitor Volwassenen en Ouderen, GGD'en, CBS en RIVM.",
                    "en": "Source: CBS, Kadaster (CC BY 4.0); Gezondheidsmonitor Volwassenen en Ouderen, GGD'en, CBS and RIVM."},
    "not_published": {"nl": "Er is nog niets gepubliceerd.", "en": "Nothing has been published yet."},
    "legend": {"nl": "Legenda", "en": "Legend"},
    "initiatives": {"nl": "Initiatieven", "en": "Initiatives"},
    "downloads": {"nl": "Downloads en controle", "en": "Downloads and checks"},
    "export_csv": {"nl": "Kaart als CSV", "en": "Map as CSV"},
    "export_geojson": {"nl": "Kaart als GeoJSON", "en": "Map as GeoJSON"},
    "export_profile": {"nl": "Profiel als CSV", "en": "Profile as CSV"},
    "quality": {"nl": "Datakwaliteit", "en": "Data quality"},
    "map_layer": {"nl": "Kaartlaag", "en": "Map layer"},
    "indicator_layer": {"nl": "Indicator", "en": "Indicator"},
    "agenda_layer": {"nl": "Voortgang wijkagenda", "en": "Wijkagenda progress"},
    "initiative_themes": {"nl": "Thema's van initiatieven", "en": "Initiative themes"},
    "initiative_statuses": {"nl": "Status", "en": "Status"},
    "organisation": {"nl": "Organisatie", "en": "Organisation"},
    "period": {"nl": "Periode", "en": "Period"},
}

# The themes of etl/indicators.toml, in its order (the published `themes` table holds the same).
THEMES = {"armoede": {"nl": "Armoede", "en": "Poverty"}, "energie": {"nl": "Energie", "en": "Energy"},
          "eenzaamheid": {"nl": "Eenzaamheid", "en": "Loneliness"}, "gezondheid": {"nl": "Gezondheid", "en": "Health"},
          "wonen": {"nl": "Wonen", "en": "Housing"}, "jeugd_zorg": {"nl": "Jeugd en zorg", "en": "Youth and care"},
          "bevolking": {"nl": "Bevolking", "en": "Population"},
          "voorzieningen": {"nl": "Voorzieningen", "en": "Amenities"},
          "overig": {"nl": "Overige cijfers", "en": "Other figures"}}
LEVELS = {"gemeente": {"nl": "Gemeente", "en": "Municipality"}, "wijk": {"nl": "Wijk", "en": "District (wijk)"},
          "buurt": {"nl": "Buurt", "en": "Neighbourhood (buurt)"}, "land": {"nl": "Nederland", "en": "Netherlands"}}
INITIATIVE_THEMES = {
    "armoede": {"nl": "Armoede", "en": "Poverty"}, "energie": {"nl": "Energie", "en": "Energy"},
    "eenzaamheid": {"nl": "Eenzaamheid", "en": "Loneliness"}, "bevolking": {"nl": "Bevolking", "en": "Population"},
    "wonen": {"nl": "Wonen", "en": "Housing"}, "veiligheid": {"nl": "Veiligheid", "en": "Safety"},
    "groen": {"nl": "Groen", "en": "Green space"}, "ontmoeting": {"nl": "Ontmoeting", "en": "Meeting"},
    "gezondheid": {"nl": "Gezondheid", "en": "Health"}, "jeugd": {"nl": "Jeugd", "en": "Youth"},
    "overig": {"nl": "Overig", "en": "Other"},
}
STATUSES = {"idee": {"nl": "idee", "en": "idea"}, "gepland": {"nl": "gepland", "en": "planned"},
            "loopt": {"nl": "loopt", "en": "running"}, "afgerond": {"nl": "afgerond", "en": "done"},
            "gestopt": {"nl": "gestopt", "en": "stopped"}}
SCHEMES = {"quantiles": {"nl": "Kwantielen (even veel gebieden per klasse)", "en": "Quantiles (equal counts)"},
           "natural_breaks": {"nl": "Natuurlijke grenzen (Jenks)", "en": "Natural breaks (Jenks)"},
           "equal_interval": {"nl": "Gelijke intervallen", "en": "Equal intervals"}}


def t(key: str, lang: str) -> str:
    return TEXT[key][lang if lang in LANGUAGES else "nl"]


def label(table: dict, key: str, lang: str) -> str:
    entry = table.get(key)
    return entry[lang if lang in LANGUAGES else "nl"] if entry else key


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """A figure as people in that language write it: 1.234,5 in Dutch, 1,234.5 in English."""
    if value is None:
        return "–"
    decimals = 0 if float(value).is_integer() and abs(value) >= 100 else decimals
    text = f"{value:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text
