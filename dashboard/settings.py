"""Settings from the environment, with defaults that work offline."""
from __future__ import annotations

import os

BASEMAPS = {
    name: f"https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/{name}/EPSG:3857/{{z}}/{{x}}/{{y}}.png"
    for name in ("grijs", "pastel", "standaard")
}
BASEMAP_ATTRIBUTION = "Kaartgegevens © Kadaster"


def basemap_url() -> str | None:
    """``WIJKBEELD_BASEMAP``: grijs (default), pastel, standaard, none, or a tile URL template."""
    choice = os.environ.get("WIJKBEELD_BASEMAP", "grijs").strip()
    if choice.lower() in ("none", "off", ""):
        return None
    return BASEMAPS.get(choice, choice if "{z}" in choice else BASEMAPS["grijs"])
