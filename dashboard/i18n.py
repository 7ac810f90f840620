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

    # the wijkagenda's edit pages (dashboard/editing/)
    "wa_pages": {"nl": "Wijkagenda bijhouden", "en": "Keep the wijkagenda up to date"},
    "wa_open": {"nl": "Wijkagenda bijwerken", "en": "Update the wijkagenda"},
    "wa_view": {"nl": "Wijkagenda en historie", "en": "Wijkagenda and history"},
    "wa_of": {"nl": "Wijkagenda van {name}", "en": "Wijkagenda of {name}"},
    "wa_wijken": {"nl": "Wijken", "en": "Wijken"},
    "wa_back_map": {"nl": "Terug naar de kaart", "en": "Back to the map"},
    "wa_back_wijk": {"nl": "Terug naar de wijkagenda", "en": "Back to the wijkagenda"},
    "wa_new_item": {"nl": "Nieuw punt", "en": "New item"},
    "wa_new_sub": {"nl": "Nieuw subpunt", "en": "New sub-item"},
    "wa_edit": {"nl": "Bekijken en bewerken", "en": "View and edit"},
    "wa_item": {"nl": "Agendapunt", "en": "Agenda item"},
    "wa_fields": {"nl": "Gegevens", "en": "Details"},
    "wa_save": {"nl": "Opslaan", "en": "Save"},
    "wa_saved": {"nl": "Opgeslagen. Over hoogstens een minuut staat het op de kaart.",
                 "en": "Saved. It is on the map within a minute."},
    "wa_nothing": {"nl": "Er was niets veranderd.", "en": "Nothing had changed."},
    "wa_problems": {"nl": "Niet opgeslagen: verbeter eerst", "en": "Not saved: first correct"},
    "wa_stale": {"nl": "Niet opgeslagen: {who} heeft dit punt intussen gewijzigd ({at}). Hieronder staat de "
                       "nieuwe stand met jouw invoer; sla opnieuw op om die te vervangen.",
                 "en": "Not saved: {who} changed this item meanwhile ({at}). Below is the new state with your input; "
                       "save again to replace it."},
    "wa_updates": {"nl": "Voortgang", "en": "Progress"},
    "wa_add_update": {"nl": "Voortgang toevoegen", "en": "Add progress"},
    "wa_correct": {"nl": "Corrigeren", "en": "Correct"},
    "wa_correcting": {"nl": "Correctie van de voortgang van {date}: de oude blijft in de historie.",
                      "en": "Correction of the progress of {date}: the old one stays in the history."},
    "wa_no_updates": {"nl": "Nog geen voortgang gemeld.", "en": "No progress reported yet."},
    "wa_public_update": {"nl": "Openbaar", "en": "Public"},
    "wa_public_all": {"nl": "ja: voortgang en notitie op de openbare kaart",
                      "en": "yes: progress and note on the public map"},
    "wa_public_progress": {"nl": "alleen de voortgang (notitie intern)", "en": "only the progress (note internal)"},
    "wa_public_none": {"nl": "nee: alleen voor medewerkers", "en": "no: staff only"},
    "wa_initiatives": {"nl": "Initiatieven die dit punt dienen", "en": "Initiatives serving this item"},
    "wa_no_initiatives": {"nl": "Er zijn geen initiatieven in deze wijk.", "en": "There are no initiatives in this wijk."},
    "wa_serves": {"nl": "Dient", "en": "Serves"},
    "wa_history": {"nl": "Historie", "en": "History"},
    "wa_history_csv": {"nl": "Historie als CSV", "en": "History as CSV"},
    "wa_when": {"nl": "Wanneer", "en": "When"},
    "wa_who": {"nl": "Wie", "en": "Who"},
    "wa_what": {"nl": "Wat", "en": "What"},
    "wa_before": {"nl": "Was", "en": "Before"},
    "wa_after": {"nl": "Werd", "en": "After"},
    "wa_download": {"nl": "Downloaden als spreadsheet (.xlsx)", "en": "Download as a spreadsheet (.xlsx)"},
    "wa_import": {"nl": "Spreadsheet inlezen", "en": "Import a spreadsheet"},
    "wa_import_help": {"nl": "Een .xlsx (tabbladen agenda en voortgang) of .csv, zoals de download. Het bestand wordt "
                             "de agenda van {scope}: punten die er niet in staan verdwijnen (hun historie blijft). "
                             "Bij een probleem wordt niets ingelezen.",
                       "en": "An .xlsx (sheets agenda and voortgang) or .csv, like the download. The file becomes the "
                             "agenda of {scope}: items not in it go (their history stays). With any problem nothing "
                             "is imported."},
    "wa_file": {"nl": "Bestand", "en": "File"},
    "wa_empty_ok": {"nl": "leegmaken: een bestand zonder rijen mag de agenda leegmaken",
                    "en": "empty: a file without rows may empty the agenda"},
    "wa_replace": {"nl": "vervangen: het bestand wint van wijzigingen in wijkbeeld sinds de download",
                   "en": "replace: the file wins over changes made in wijkbeeld since the download"},
    "wa_imported": {"nl": "Ingelezen", "en": "Imported"},
    "wa_refused": {"nl": "Niets ingelezen", "en": "Nothing imported"},
    "wa_all": {"nl": "alle wijken", "en": "all wijken"},
    "wa_roles": {"nl": "Rollen", "en": "Roles"},
    "wa_roles_help": {"nl": "Per gebruiker: viewer, editor of beheerder, voor een wijk (WK…), een gemeente (GM…) of "
                            "alles (*), zoals editor=WK999901,WK999902 viewer=*. Je kunt rollen geven en afnemen "
                            "binnen {scopes}.",
                      "en": "Per user: viewer, editor or beheerder, for a wijk (WK…), a gemeente (GM…) or everything "
                            "(*), as editor=WK999901,WK999902 viewer=*. You may give and take roles within {scopes}."},
    "wa_roles_oidc": {"nl": "Rollen komen uit de claim {claim} van de single sign-on; beheer ze daar.",
                      "en": "Roles come from the single sign-on's claim {claim}; manage them there."},
    "wa_user": {"nl": "Gebruiker", "en": "User"},
    "wa_forbidden": {"nl": "Niet toegestaan", "en": "Not allowed"},
    "wa_id_hint": {"nl": "een kenmerk dat nog niet bestaat", "en": "an id not in use"},}

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


# The fields of a wijkagenda item and of a progress update, as the edit pages and the history name them.
AGENDA_FIELDS = {
    "id": {"nl": "Kenmerk", "en": "Id"}, "wijk_code": {"nl": "Wijk", "en": "Wijk"},
    "title": {"nl": "Titel", "en": "Title"}, "description": {"nl": "Omschrijving", "en": "Description"},
    "theme": {"nl": "Thema", "en": "Theme"}, "owner": {"nl": "Eigenaar", "en": "Owner"},
    "status": {"nl": "Status", "en": "Status"}, "progress": {"nl": "Voortgang (%)", "en": "Progress (%)"},
    "start": {"nl": "Startdatum", "en": "Start"}, "due": {"nl": "Deadline", "en": "Due"},
    "parent_id": {"nl": "Onderdeel van", "en": "Part of"}, "indicator_id": {"nl": "Indicator", "en": "Indicator"},
    "baseline_year": {"nl": "Basisjaar", "en": "Baseline year"}, "direction": {"nl": "Richting", "en": "Direction"},
    "target": {"nl": "Doel", "en": "Target"}, "public": {"nl": "Openbaar", "en": "Public"},
    "note": {"nl": "Notitie (intern)", "en": "Note (internal)"}, "date": {"nl": "Datum", "en": "Date"},
    "note_public": {"nl": "Notitie openbaar", "en": "Note public"}, "update": {"nl": "Voortgang", "en": "Progress"},
    "initiatives": {"nl": "Initiatieven", "en": "Initiatives"},
}
AGENDA_ACTIONS = {
    "item_added": {"nl": "punt toegevoegd", "en": "item added"},
    "item_changed": {"nl": "punt gewijzigd", "en": "item changed"},
    "item_removed": {"nl": "punt verwijderd", "en": "item removed"},
    "update_added": {"nl": "voortgang toegevoegd", "en": "progress added"},
    "update_corrected": {"nl": "voortgang gecorrigeerd", "en": "progress corrected"},
    "update_withdrawn": {"nl": "voortgang ingetrokken", "en": "progress withdrawn"},
    "links_changed": {"nl": "initiatieven gekoppeld", "en": "initiatives linked"},
    "import": {"nl": "spreadsheet ingelezen", "en": "spreadsheet imported"},
    "roles": {"nl": "rollen gewijzigd", "en": "roles changed"},
}
