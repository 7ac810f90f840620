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
    "search_address": {"nl": "Zoek adres, postcode, buurt of wijk", "en": "Find an address, postcode, buurt or wijk"},
    "search_address_placeholder": {"nl": "adres, postcode, naam of code…", "en": "address, postcode, name or code…"},
    "address_unavailable": {"nl": "Adres zoeken is nu niet beschikbaar; zoeken op naam of code van een gebied werkt wel.",
                            "en": "Address search is not available now; finding an area by name or code still works."},
    "address_outside": {"nl": "{place} ligt niet in een buurt op deze kaart.",
                        "en": "{place} is not in a buurt on this map."},
    "address_found": {"nl": "{place} ligt in buurt {buurt}.", "en": "{place} is in buurt {buurt}."},
    "address_kind": {"nl": "adres", "en": "address"},
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
    "map_settings": {"nl": "Kaartinstellingen", "en": "Map settings"},
    "profile": {"nl": "Profiel", "en": "Profile"},
    "area": {"nl": "Gebied", "en": "Area"},
    "figure": {"nl": "Cijfer", "en": "Figure"},
    "class": {"nl": "Klasse", "en": "Class"},
    "sort_by": {"nl": "sorteer op", "en": "sort by"},
    "show_profile": {"nl": "toon profiel", "en": "show profile"},
    "table_title": {"nl": "Kaart als tabel", "en": "Map as a table"},
    "table_hint": {"nl": "Alle gebieden op de kaart met hun cijfer en klasse. Kies een gebied voor zijn profiel.",
                   "en": "Every area on the map with its figure and class. Choose an area for its profile."},
    "dropdown_search": {"nl": "Zoeken", "en": "Search"},
    "dropdown_clear_search": {"nl": "Zoektekst wissen", "en": "Clear search"},
    "dropdown_clear_selection": {"nl": "Keuze wissen", "en": "Clear selection"},
    "dropdown_no_options_found": {"nl": "Niets gevonden", "en": "Nothing found"},
    "panel_close": {"nl": "Terug naar de kaart", "en": "Back to the map"},
    "table_hint_static": {"nl": "Elke buurt met zijn cijfers en klasse (het nieuwste jaar). Sorteer met de knoppen "
                                "boven de kolommen.",
                          "en": "Every buurt with its figures and class (the newest year). Sort with the buttons above "
                                "the columns."},
    "profile_close": {"nl": "Sluit profiel", "en": "Close profile"},
    # "Mijn buurt" (dashboard/residents.py)
    "mb_title": {"nl": "Mijn buurt", "en": "My neighbourhood"},
    "mb_link": {"nl": "In gewone woorden: mijn buurt", "en": "In plain words: my neighbourhood"},
    "mb_on_map": {"nl": "Bekijk op de kaart", "en": "See it on the map"},
    "mb_where": {"nl": "{level} {code} in de gemeente {gemeente}.", "en": "{level} {code} in the municipality {gemeente}."},
    "mb_in_wijk": {"nl": "Hoort bij de wijk {wijk}.", "en": "Part of the wijk {wijk}."},
    "mb_intro": {"nl": "Zo staat het ervoor, vergeleken met de gemeente en heel Nederland. Elk cijfer is het "
                       "nieuwste dat er is; het jaar en de bron staan erbij.",
                 "en": "How it is doing, compared with the municipality and the whole of the Netherlands. Each figure "
                       "is the newest there is; its year and source are given."},
    "mb_initiatives": {"nl": "Wat er gebeurt: initiatieven", "en": "What is happening: initiatives"},
    "mb_join": {"nl": "Meedoen? Neem contact op met {organisation}.",
                "en": "Want to join? Contact {organisation}."},
    "mb_no_initiatives": {"nl": "Er staan hier geen openbare initiatieven.", "en": "No public initiatives here."},
    "mb_agenda": {"nl": "Wat de wijkagenda van plan is", "en": "What the wijkagenda plans"},
    "mb_progress": {"nl": "{p}% klaar", "en": "{p}% done"},
    "mb_due": {"nl": "klaar op {due}", "en": "due {due}"},
    "mb_no_agenda": {"nl": "Er is geen openbare wijkagenda voor deze wijk.", "en": "There is no public wijkagenda for this wijk."},
    # the accessibility statement (dashboard/residents.py)
    "a11y_link": {"nl": "Toegankelijkheid", "en": "Accessibility"},
    "a11y_title": {"nl": "Toegankelijkheid", "en": "Accessibility"},
    "a11y_nav": {"nl": "Navigatie", "en": "Navigation"},
    "a11y_back": {"nl": "Terug naar de kaart", "en": "Back to the map"},
    "a11y_level": {"nl": "Wij willen dat iedereen deze website kan gebruiken. De openbare kaart en de pagina's "
                         "erbij zijn gemaakt om te voldoen aan {level}. Elke versie wordt getest, onder meer met een "
                         "automatische controle (axe-core) van kleurcontrast, namen en opbouw, en met alleen het "
                         "toetsenbord.",
                   "en": "We want everyone to be able to use this website. The public map and its pages are made "
                         "to meet {level}. Every version is tested, among others with an automated check (axe-core) "
                         "of colour contrast, names and structure, and with the keyboard alone."},
    "a11y_how_title": {"nl": "Wat u kunt doen", "en": "What you can do"},
    "a11y_keyboard": {"nl": "Alles werkt met het toetsenbord: zoeken, een gebied kiezen, het profiel openen en "
                            "weer sluiten.",
                      "en": "Everything works with the keyboard: searching, choosing an area, opening and "
                            "closing its profile."},
    "a11y_table": {"nl": "Onder de kaart staat een tabel met dezelfde cijfers: elk gebied met zijn cijfer en "
                         "klasse, te sorteren.",
                   "en": "Below the map a table holds the same figures: every area with its figure and class, "
                         "sortable."},
    "a11y_phone": {"nl": "De kaart werkt ook op een telefoon, en met vergroting tot 200%.",
                   "en": "The map works on a phone too, and zoomed to 200%."},
    "a11y_report_title": {"nl": "Een probleem melden", "en": "Report a problem"},
    "a11y_report": {"nl": "Lukt iets niet, of is iets slecht te lezen of te bedienen? Meld het via",
                    "en": "Is something not working, hard to read or hard to use? Tell us at"},
    "a11y_report_gemeente": {"nl": "Lukt iets niet, of is iets slecht te lezen of te bedienen? Meld het bij de "
                                   "gemeente die deze kaart publiceert.",
                             "en": "Is something not working, hard to read or hard to use? Tell the municipality "
                                   "that publishes this map."},
}

THEMES = {"armoede": {"nl": "Armoede", "en": "Poverty"}, "energie": {"nl": "Energie", "en": "Energy"},
          "eenzaamheid": {"nl": "Eenzaamheid", "en": "Loneliness"}, "bevolking": {"nl": "Bevolking", "en": "Population"}}
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
