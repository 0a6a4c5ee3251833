"""The base layers of a page: our boundaries, the orienting base map and its names.

A page reads without tiles: the Flanders, province and RESOC outlines come from the page's
:class:`~speerpunt_map._elements.GeoStore`; the North Sea, coast, rivers, national borders and
place names from :mod:`speerpunt_map.basemap`, cut to the map's surroundings and sent with the
page's data (``base`` and ``names``, at 1e-4°). The page's script draws them in their own panes:
the sea under everything, the lines above the map's areas, the names above the lines, placed
so that they cover neither each other nor the map's symbols.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import folium
import shapely

from ._elements import GeoStore, MapRoot, StoredAreas
from ._leaflet import AREA_SCALE, encode_area, encode_ring
from ._types import Language
from .basemap import load_basemap

if TYPE_CHECKING:
    from .interactive import MapContent

__all__ = ["BASEMAP_BOX", "BASE_TOLERANCE", "base_layers", "basemap_payload"]

#: The box the base map covers (west, south, east, north; geodata/basemap/README.md).
BASEMAP_BOX = (2.3, 50.4, 6.5, 51.95)

#: Boundaries are simplified to about 100 m on a page.
BASE_TOLERANCE = 0.001
#: How far around the map's extent the base map reaches, as a share of the extent's size
#: (the view is wider or taller than the extent when the screen's shape differs).
_MARGIN = 2.0
#: Base-map lines are simplified to about 150 m (as derived) and sent at 1e-4°.
_LINE_TOLERANCE = 0.0015


def _lines(geometry: shapely.Geometry) -> list[list[int]]:
    parts = getattr(geometry, "geoms", [geometry])
    out = []
    for part in parts:
        if isinstance(part, shapely.LineString) and not part.is_empty:
            simple = shapely.simplify(part, _LINE_TOLERANCE)
            ring = encode_ring(simple.coords, AREA_SCALE)
            if len(ring) >= 4:
                out.append(ring)
    return out


def basemap_payload(content: MapContent) -> dict[str, Any]:
    """The base map of a page, cut to the surroundings of its extent.

    Returns
    -------
    dict
        ``base``: ``sea`` (an encoded area), ``coast``, ``rivers``, ``borders`` (lists of
        encoded lines); ``names``: ``[text, kind, lat, lng, name in the other language]`` per
        label (cities first).
    """
    west, south, east, north = content.extent
    dx, dy = (east - west) * _MARGIN + 0.05, (north - south) * _MARGIN + 0.05
    bounds = (west - dx, south - dy, east + dx, north + dy)
    base = load_basemap(content.geodata)
    layers = base.clipped(bounds)
    out: dict[str, Any] = {}
    if "sea" in layers:
        out["sea"] = encode_area(layers["sea"], AREA_SCALE)
    for key, kind in (("coast", "coastline"), ("rivers", "rivers"), ("borders", "borders")):
        if kind in layers:
            out[key] = _lines(layers[kind])
    other: Language = "nl" if content.language == "en" else "en"
    names = [[label.name(content.language), label.kind, round(label.lat, 4),
              round(label.lon, 4), label.name(other)] for label in base.labels_in(bounds)]
    return {"base": out, "names": names}


def base_layers(m: MapRoot, store: GeoStore, content: MapContent
                ) -> tuple[list[tuple[str, folium.FeatureGroup]], list[dict[str, Any]]]:
    """The base layers' groups (the panel switches them) and the panel's entries.

    The base map's groups are filled by the page's script from the data; our boundaries are
    drawn from the store.
    """
    t = content.labels
    bases: list[tuple[str, folium.FeatureGroup]] = []
    info: list[dict[str, Any]] = []

    def group(key: str, label: str) -> folium.FeatureGroup:
        feature_group = folium.FeatureGroup(name=t(label), control=False)
        feature_group.add_to(m)
        bases.append((key, feature_group))
        info.append({"key": key, "label": t(label), "on": True})
        return feature_group

    if content.online:
        folium.TileLayer("OpenStreetMap").add_to(group("tiles", "tiles"))
    if content.basemap:
        for key, label in (("sea", "base_sea"), ("rivers", "base_rivers"),
                           ("borders", "base_borders")):
            group(key, label)
    if content.boundaries is not None:
        colours = content.base_colours
        styles = {
            "flanders": ({"color": colours["flanders"], "weight": 2.5, "fill": False},
                         ["flanders"], "flanders"),
            "provinces": ({"color": colours["province"], "weight": 1.5, "fill": False},
                          ["province"], "provinces"),
            "resoc": ({"color": colours["resoc"], "weight": 1, "dashArray": "4 4",
                       "fill": False}, ["resoc"], "resoc_regions"),
        }
        areas = content.boundaries.areas
        for key, (line, levels, label) in styles.items():
            keys = [store.put(r.id, r.geometry, BASE_TOLERANCE)
                    for r in areas[areas["level"].isin(levels)].itertuples()]
            group(key, label).add_child(StoredAreas(store, keys, line))
    if content.basemap:
        group("names", "base_names")
    return bases, info
