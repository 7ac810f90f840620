"""Coverage-preserving simplification: neighbours keep one shared border."""
from __future__ import annotations

import numpy as np
import shapely

# Tolerance in metres (EPSG:28992) per level: invisible at the zoom each level is looked at.
TOLERANCE_M = {"buurt": 10.0, "wijk": 20.0, "gemeente": 50.0}
# A coarser copy of the buurten for the whole country on screen (zoom ≤ 10, ~150 m a pixel): a quarter of the
# vertices, so the national map draws sooner; every buurt is still there to hover and click.
OVERVIEW_TOLERANCE_M = {"buurt": 50.0}


def simplify_coverage(geometries: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify polygons that tile an area without opening gaps or overlaps between them.

    Falls back to per-polygon topology-preserving simplification for inputs that are no
    valid coverage (e.g. already-simplified files with slivers), and never returns an empty
    geometry for a non-empty input.
    """
    geometries = np.asarray(geometries, dtype=object)
    if len(geometries) == 0:
        return geometries
    try:
        simplified = shapely.coverage_simplify(geometries, tolerance)
    except shapely.errors.GEOSException:
        simplified = shapely.simplify(geometries, tolerance, preserve_topology=True)
    lost = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
    simplified[lost] = shapely.make_valid(shapely.simplify(geometries[lost], tolerance / 4, preserve_topology=True))
    return simplified
