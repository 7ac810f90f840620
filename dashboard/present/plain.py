"""A region's figures told in short sentences, for residents ("Mijn buurt"). Plain data, no Dash, no Flask.

>>> sentence("laag_inkomen", 14.2, {"gemeente": 12.6, "nederland": 13.0}, "%", False, "nl")
'14 van de 100 huishoudens hebben een laag inkomen. In de gemeente 13, in Nederland 13.'
>>> sentence("aardgas", 1180.0, {"gemeente": 1010.0}, "m³", False, "en")
'A home uses 1,180 m³ of natural gas a year on average. In the municipality 1,010.'
"""
from __future__ import annotations

from dashboard.i18n import number

# one sentence per indicator, in the words a resident uses; {v} is the figure as written for that unit
SENTENCES = {
    "inwoners": {"nl": "Er wonen {v} mensen.", "en": "{v} people live here."},
    "huishoudens": {"nl": "Er zijn {v} huishoudens.", "en": "There are {v} households."},
    "laag_inkomen": {"nl": "{v} van de 100 huishoudens hebben een laag inkomen.",
                     "en": "{v} in 100 households have a low income."},
    "sociaal_minimum": {"nl": "{v} van de 100 huishoudens leven onder of rond het sociaal minimum.",
                        "en": "{v} in 100 households live on or below the social minimum."},
    "moeite_rondkomen": {"nl": "{v} van de 100 volwassenen hebben moeite met rondkomen.",
                         "en": "{v} in 100 adults find it hard to make ends meet."},
    "aardgas": {"nl": "Een woning gebruikt gemiddeld {v} m³ aardgas per jaar.",
                "en": "A home uses {v} m³ of natural gas a year on average."},
    "elektriciteit": {"nl": "Een woning gebruikt gemiddeld {v} kWh stroom per jaar.",
                      "en": "A home uses {v} kWh of electricity a year on average."},
    "eenzaam": {"nl": "{v} van de 100 volwassenen voelen zich eenzaam.", "en": "{v} in 100 adults feel lonely."},
    "ernstig_eenzaam": {"nl": "{v} van de 100 volwassenen voelen zich ernstig eenzaam.",
                        "en": "{v} in 100 adults feel severely lonely."},
}
GENERIC = {"nl": "{label}: {v}.", "en": "{label}: {v}."}
COMPARED = {"gemeente": {"nl": "in de gemeente {v}", "en": "in the municipality {v}"},
            "nederland": {"nl": "in Nederland {v}", "en": "in the Netherlands {v}"}}
ESTIMATE = {"nl": "Dit is een schatting.", "en": "This is an estimate."}


def figure(value: float, unit: str, lang: str) -> str:
    """Whole numbers: '14' (of 100), '1.180' (m³); shares are rounded to whole persons or households."""
    return number(float(round(value)), lang, decimals=0) if unit in ("%", "aantal", "m³", "kWh") \
        else number(value, lang)


def sentence(indicator_id: str, value: float, compared: dict[str, float | None], unit: str, estimate: bool,
             lang: str, label: str = "") -> str:
    """The figure in a sentence, then the gemeente and the Netherlands (not for counts: a total is no comparison)."""
    template = SENTENCES.get(indicator_id, GENERIC)[lang]
    text = template.format(v=figure(value, unit, lang), label=label)
    others = [COMPARED[k][lang].format(v=figure(v, unit, lang)) for k, v in compared.items()
              if v is not None and unit != "aantal"]
    if others:
        joined = ", ".join(others)
        text += " " + joined[0].upper() + joined[1:] + "."
    if estimate:
        text += " " + ESTIMATE[lang]
    return text
