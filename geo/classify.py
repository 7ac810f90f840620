"""Class breaks for choropleths (a string-keyed façade over mapclassify) and colour-blind-safe palettes."""
from __future__ import annotations

import threading
import warnings

import mapclassify
import numpy as np

SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
K_RANGE = range(3, 8)
# Our names → mapclassify's. Natural breaks are Fisher-Jenks (optimal), not mapclassify's k-means "natural_breaks".
MAPCLASSIFY_SCHEMES = {"quantiles": "quantiles", "natural_breaks": "fisher_jenks", "equal_interval": "equal_interval"}
# Fisher-Jenks is exact but quadratic (pure Python without numba: ~3 s for 1,500 values): above this many
# values mapclassify's FisherJenksSampled classifies a sample of this size, which keeps a national repaint
# well under a second (14,800 buurten, k=7: ~0.55 s).
EXACT_LIMIT = 400
SAMPLE_SEED = 0

# ColorBrewer sequential schemes that ColorBrewer marks colour-blind safe, light to dark.
PALETTES = {
    "YlGnBu": {
        3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
        4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
        5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
        6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
        7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
    },
    "YlOrBr": {
        3: ["#fff7bc", "#fec44f", "#d95f0e"],
        4: ["#ffffd4", "#fed98e", "#fe9929", "#cc4c02"],
        5: ["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"],
        6: ["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#d95f0e", "#993404"],
        7: ["#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"],
    },
}
DEFAULT_PALETTE = "YlGnBu"


def class_breaks(values, scheme: str = "quantiles", k: int = 5) -> list[float]:
    """Upper bounds of each class (the last is the maximum), as mapclassify computes them.

    Fewer classes come back when the values have fewer distinct numbers than ``k``.

    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "equal_interval", 3)
    [4.0, 7.0, 10.0]
    >>> class_breaks([5, 5, 5], "quantiles", 5)
    [5.0]
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme {scheme!r} is not one of {SCHEMES}")
    if k not in K_RANGE:
        raise ValueError(f"k={k!r} is not in {K_RANGE.start}..{K_RANGE.stop - 1}")
    data = _as_array(values)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return []
    distinct = np.unique(data)
    if distinct.size <= k:
        return [float(v) for v in distinct]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # "Numba not installed"
        if scheme == "natural_breaks" and data.size > EXACT_LIMIT:
            classifier = _fisher_jenks_sampled(data, k)
        else:
            classifier = mapclassify.classify(data, MAPCLASSIFY_SCHEMES[scheme], k=k)
    return sorted({float(b) for b in classifier.bins})


_GLOBAL_RANDOM_STATE = threading.Lock()


def _fisher_jenks_sampled(data: np.ndarray, k: int) -> mapclassify.FisherJenksSampled:
    """FisherJenksSampled on EXACT_LIMIT values (with the minimum and maximum), the same sample every time.

    It draws its sample from numpy's global random state: that is seeded for the draw and put back after,
    under a lock, so the same values give the same legend in every worker and on every repaint.
    """
    with _GLOBAL_RANDOM_STATE:
        state = np.random.get_state()
        np.random.seed(SAMPLE_SEED)
        try:
            return mapclassify.FisherJenksSampled(data, k=k, pct=EXACT_LIMIT / data.size, truncate=False)
        finally:
            np.random.set_state(state)


def classify(values, breaks: list[float]) -> list[int | None]:
    """Class index of each value (None where the value is None), by upper bounds as class_breaks gives them.

    >>> classify([1, 4.5, None, 10], [4.0, 7.0, 10.0])
    [0, 1, None, 2]
    """
    data = _as_array(values)
    if not breaks:
        return [None] * len(data)
    classes = np.searchsorted(np.asarray(breaks[:-1], dtype=float), data, side="left").tolist()
    return [None if missing else c for c, missing in zip(classes, np.isnan(data).tolist())]


def _as_array(values) -> np.ndarray:
    """Floats, with None (and anything not finite) as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def palette(k: int, name: str = DEFAULT_PALETTE) -> list[str]:
    """``k`` colours, light to dark; raises ValueError on an unknown palette."""
    if name not in PALETTES:
        raise ValueError(f"palette {name!r} is not one of {tuple(PALETTES)}")
    k = min(max(k, 1), 7)
    return PALETTES[name][k][:k] if k >= 3 else PALETTES[name][3][:k]
