"""The view in the URL: parse a query string into a checked ViewState, and back.

Everything that arrives from the browser is checked against what is published; anything
unknown falls back to a default, so a crafted URL can only ever select something that exists.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from urllib.parse import parse_qs

from dashboard.text import LANGUAGES
from dashboard.urls import VIEW_KEYS, view_query
from geo.classify import K_RANGE, SCHEMES

LEVELS = ("gemeente", "wijk", "buurt")
CODE = re.compile(r"(GM[0-9]{4}|WK[0-9]{6}|BU[0-9]{8})")
DEFAULT_THEME, DEFAULT_INDICATOR, DEFAULT_LEVEL = "armoede", "laag_inkomen", "buurt"

LAYERS = ("indicator", "agenda")


@dataclass(frozen=True)
class Available:
    """What is published: indicator id → theme, and (indicator, level) → years with figures."""

    themes: dict[str, str]
    years: dict[tuple[str, str], list[int]]

    def indicators_of(self, theme: str) -> list[str]:
        return [i for i, th in self.themes.items() if th == theme]

    def years_of(self, indicator: str, level: str) -> list[int]:
        return self.years.get((indicator, level), [])


@dataclass(frozen=True)
class ViewState:
    theme: str
    indicator: str
    year: int | None
    level: str
    scheme: str = "quantiles"
    k: int = 5
    fixed: bool = False
    region: str | None = None
    lat: float | None = None
    lon: float | None = None
    zoom: int | None = None
    lang: str = "nl"
    layer: str = "indicator"

    def to_query(self) -> str:
        return view_query({k: _text(v) for k, v in asdict(self).items()
                           if v is not None and v is not False and (k, v) != ("layer", "indicator")})

    def with_(self, **changes) -> "ViewState":
        return replace(self, **changes)


def _text(value) -> str:
    return "1" if value is True else str(value)


def parse_state(query: str | dict, available: Available) -> ViewState:
    """A checked state from a query string (``?thema=…``) or dict; unknown values become defaults."""
    if isinstance(query, dict):
        raw = {k: str(v) for k, v in query.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    else:
        raw = {k: v[-1] for k, v in parse_qs(query.lstrip("?") if isinstance(query, str) else "").items()}
    get = lambda field: raw.get(VIEW_KEYS[field])  # noqa: E731

    indicator = get("indicator")
    if indicator not in available.themes:
        theme = get("theme") if get("theme") in set(available.themes.values()) else None
        candidates = available.indicators_of(theme) if theme else []
        indicator = candidates[0] if candidates else (
            DEFAULT_INDICATOR if DEFAULT_INDICATOR in available.themes else next(iter(available.themes), None))
    theme = available.themes.get(indicator, DEFAULT_THEME)
    level = get("level") if get("level") in LEVELS else DEFAULT_LEVEL
    years = available.years_of(indicator, level)
    year = _int(get("year"))
    if year not in years:
        year = years[-1] if years else None
    region = get("region") if is_code(get("region")) else None
    return ViewState(
        theme=theme, indicator=indicator, year=year, level=level,
        scheme=get("scheme") if get("scheme") in SCHEMES else "quantiles",
        k=_int(get("k")) if _int(get("k")) in K_RANGE else 5,
        fixed=get("fixed") in ("1", "true", "ja"),
        region=region,
        lat=_float(get("lat"), 50.5, 54.0), lon=_float(get("lon"), 3.0, 7.5),
        zoom=_int(get("zoom")) if _int(get("zoom")) in range(6, 19) else None,
        lang=get("lang") if get("lang") in LANGUAGES else "nl",
        layer=get("layer") if get("layer") in LAYERS else "indicator",
    )


def is_code(value) -> bool:
    """A CBS gemeente, wijk or buurt code, exactly (no padding, no other digits than 0-9)."""
    return isinstance(value, str) and CODE.fullmatch(value) is not None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return round(number, 5) if low <= number <= high else None
