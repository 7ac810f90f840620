"""A region's figures told in short sentences, for residents ("Mijn buurt"). Plain data, no Dash, no Flask.

The sentences are words like any other (``[plain]`` in ``dashboard/words.toml``); their numbers are written by
Babel (:func:`dashboard.text.number`) and any other figure by :mod:`dashboard.present.figure`.

>>> sentence("laag_inkomen", 14.2, {"gemeente": 12.6, "nederland": 13.0}, "%", False, "nl")
'14 van de 100 huishoudens hebben een laag inkomen. In de gemeente 13, in Nederland 13.'
>>> sentence("aardgas", 1180.0, {"gemeente": 1010.0}, "m³", False, "en")
'A home uses 1,180 m³ of natural gas a year on average. In the municipality 1,010.'
>>> sentence("iets_anders", 3.25, {"gemeente": 2.5}, "ha", True, "nl", "Groen")
'Groen: 3,2 ha. In de gemeente 2,5 ha. Dit is een schatting.'
"""
from __future__ import annotations

from dashboard.present.figure import quantity_text
from dashboard.text import number, t

# one sentence per indicator, in the words a resident uses; {v} is the figure as written for that unit
SENTENCES = {"inwoners": "plain.inwoners", "huishoudens": "plain.huishoudens", "laag_inkomen": "plain.laag_inkomen",
             "sociaal_minimum": "plain.sociaal_minimum", "moeite_rondkomen": "plain.moeite_rondkomen",
             "aardgas": "plain.aardgas", "elektriciteit": "plain.elektriciteit", "eenzaam": "plain.eenzaam",
             "ernstig_eenzaam": "plain.ernstig_eenzaam"}
GENERIC = "plain.generic"
COMPARED = {"gemeente": "plain.in_gemeente", "nederland": "plain.in_nederland"}
ESTIMATE = "plain.estimate"
# units the sentences write out themselves ("14 van de 100", "1.180 m³"): rounded to whole persons, households
WHOLE = ("%", "aantal", "m³", "kWh")


def figure(value: float, unit: str, lang: str, own_sentence: bool = True) -> str:
    """In an indicator's own sentence a whole number ('14' of 100, '1.180' m³); else the figure with its unit,
    as everywhere (:func:`quantity_text`)."""
    if own_sentence and unit in WHOLE:
        return number(float(round(value)), lang, decimals=0)
    return quantity_text(value, unit, lang)


def sentence(indicator_id: str, value: float, compared: dict[str, float | None], unit: str, estimate: bool,
             lang: str, label: str = "") -> str:
    """The figure in a sentence, then the gemeente and the Netherlands (not for counts: a total is no comparison)."""
    own = indicator_id in SENTENCES
    key = SENTENCES.get(indicator_id, GENERIC)
    text = t(key, lang, v=figure(value, unit, lang, own), **({} if own else {"label": label}))
    others = [t(COMPARED[k], lang, v=figure(v, unit, lang, own)) for k, v in compared.items()
              if v is not None and unit != "aantal"]
    if others:
        joined = ", ".join(others)
        text += " " + joined[0].upper() + joined[1:] + "."
    if estimate:
        text += " " + t(ESTIMATE, lang)
    return text
