"""The dashboard's one text layer: every word a person reads, and numbers and dates as people write them.

The words live in ``dashboard/words.toml``, each in Dutch (the default) and English; ``t("group.key", lang)``
returns one, ``label("group", value, lang)`` names a value from the data (a theme, status or level). Numbers,
percentages and dates are formatted by Babel for ``nl_NL`` and ``en``. A figure with its unit and status is
formatted in one place only: :mod:`dashboard.present.figure`.

The statuses and initiative themes are those declared in ``etl/wijkagenda_columns.toml``; the indicator themes
those of ``etl/catalog.py``.
"""
from __future__ import annotations

import string
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from etl.catalog import THEMES as INDICATOR_THEMES
from etl.sources.spreadsheet import columns_config

LANGUAGES = ("nl", "en")
LOCALES = {"nl": "nl_NL", "en": "en"}
WORDS_PATH = Path(__file__).with_name("words.toml")

STATUSES: tuple[str, ...] = tuple(columns_config()["statuses"])
INITIATIVE_THEMES: tuple[str, ...] = tuple(columns_config()["themes"])
__all__ = ["INDICATOR_THEMES", "INITIATIVE_THEMES", "LANGUAGES", "STATUSES", "date_text", "label", "language",
           "number", "percent", "t"]


def language(lang) -> str:
    """``en`` for English, else ``nl``: whatever a URL or a browser sent."""
    return lang if lang in LANGUAGES else "nl"


def load_words(path: Path = WORDS_PATH) -> dict[str, dict[str, str]]:
    """The catalogue as ``{"group.key": {"nl": …, "en": …}}``.

    Raises ``ValueError`` naming a word that lacks a language or whose languages use other placeholders.
    """
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix: str, table: dict) -> None:
        if set(table) & set(LANGUAGES):
            if set(table) != set(LANGUAGES) or not all(isinstance(table[k], str) and table[k] for k in LANGUAGES):
                raise ValueError(f"{path.name}: {prefix} needs exactly a non-empty nl and en, has {sorted(table)}")
            fields = {lang: _fields(table[lang]) for lang in LANGUAGES}
            if fields["nl"] != fields["en"]:
                raise ValueError(f"{path.name}: {prefix} uses {sorted(fields['nl'])} in nl, "
                                 f"{sorted(fields['en'])} in en")
            flat[prefix] = dict(table)
            return
        for key, value in table.items():
            if not isinstance(value, dict):
                raise ValueError(f"{path.name}: {prefix}.{key} is not a word (a table with nl and en)")
            walk(f"{prefix}.{key}" if prefix else key, value)

    with open(path, "rb") as handle:
        walk("", tomllib.load(handle))
    return flat


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@cache
def words() -> dict[str, dict[str, str]]:
    return load_words()


def t(key: str, lang: str, **values) -> str:
    """The word ``key`` in ``lang``, its placeholders filled in; a key not in the catalogue is a ``KeyError``.

    >>> t("figure.margin", "nl", low="45,1", high="50,2")
    'marge 45,1–50,2'
    """
    text = words()[key][language(lang)]
    return text.format(**values) if values else text


def label(group: str, value, lang: str) -> str:
    """The word for a value from the data, or the value itself when the catalogue has none.

    >>> label("status", "loopt", "en"), label("theme", "iets nieuws", "en")
    ('running', 'iets nieuws')
    """
    entry = words().get(f"{group}.{value}")
    return entry[language(lang)] if entry else ("" if value is None else str(value))


def number(value: float, lang: str, decimals: int = 1) -> str:
    """A number as people in that language write it.

    >>> number(1234.5, "nl"), number(1234.5, "en"), number(13085, "nl", 0)
    ('1.234,5', '1,234.5', '13.085')
    """
    pattern = "#,##0." + "0" * decimals if decimals > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES[language(lang)])


def percent(points: float, lang: str, decimals: int = 0) -> str:
    """A percentage given in points (``12.5`` is twelve and a half per cent).

    >>> percent(12.5, "nl", 1), percent(37.5, "en")
    ('12,5%', '38%')
    """
    pattern = "#,##0." + "0" * decimals + "%" if decimals > 0 else "#,##0%"
    return format_percent(points / 100, format=pattern, locale=LOCALES[language(lang)])


def date_text(day: date | None, lang: str) -> str:
    """``30 jun 2026`` / ``30 Jun 2026``; an en dash when there is no date.

    >>> date_text(date(2026, 6, 30), "nl"), date_text(None, "en")
    ('30 jun 2026', '–')
    """
    if day is None:
        return "–"
    return format_date(day, "d MMM y", locale=LOCALES[language(lang)])
