"""The four things the benchmark writes for one synthetic map (:class:`generate.Frames`).

* :func:`our_page` — our offline page, by the public :func:`speerpunt_map.map_from_frames`
  (the way in for one's own GeoDataFrames) with its defaults: nothing else here knows how our
  page is made.
* :func:`explore_page` — ``GeoDataFrame.explore()`` of the same three layers on one map, with a
  ``folium.LayerControl`` (so that a layer can be switched off, as on ours) and no background
  tiles (ours has none either; tiles would need the network).
* :func:`floor_geojson` — the floor: one compact GeoJSON ``FeatureCollection`` of the same
  features and properties, 5 decimals, ``json.dumps``.
* :func:`canvas_page` — a minimal page: the same features as one GeoJSON layer per kind on
  ``L.canvas()``, no popups, Leaflet 1.9.4 inlined from the same package ours inlines it from
  (``django-js-lib-leaflet``), one check box to switch the points off and on.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from generate import Frames

__all__ = ["canvas_page", "explore_page", "floor_geojson", "leaflet_bytes", "our_page"]

PROPERTIES = ("name", "actor", "remark")


# -- ours ------------------------------------------------------------------------------------
def our_page(frames: Frames) -> str:
    """Our offline page of the three layers: :func:`speerpunt_map.map_from_frames`, as a user
    with GeoDataFrames calls it (its defaults: the ``name`` column names a feature, ``actor``
    colours it, the popup and the table show ``remark``, the base layers are drawn)."""
    from speerpunt_map import map_from_frames
    from speerpunt_map.interactive import html_from_map

    return html_from_map(map_from_frames(frames.points, frames.zones, frames.links,
                                         title="Benchmark"))


# -- explore() ---------------------------------------------------------------------------------
def explore_page(frames: Frames) -> str:
    """``explore()`` of zones, links and points on one map, with a layer control."""
    m = frames.zones.explore(name="zones", tiles=None)
    frames.links.explore(m=m, name="links")
    frames.points.explore(m=m, name="points")
    folium.LayerControl().add_to(m)
    return m.get_root().render()


# -- the floor -------------------------------------------------------------------------------
def _coordinates(geometry: np.ndarray) -> list[Any]:
    """GeoJSON coordinates of points, lines or polygons, rounded to 5 decimals."""
    kinds = set(shapely.get_type_id(geometry).tolist())
    if kinds <= {0}:
        return np.round(shapely.get_coordinates(geometry), 5).tolist()
    if kinds <= {1}:
        flat = np.round(shapely.get_coordinates(geometry), 5).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(geometry))
        return [flat[a:b] for a, b in zip(np.r_[0, ends[:-1]], ends, strict=True)]
    if kinds <= {3}:
        rings, owner = shapely.get_rings(geometry, return_index=True)
        flat = np.round(shapely.get_coordinates(rings), 5).tolist()
        ends = np.cumsum(shapely.get_num_coordinates(rings))
        out: list[list[Any]] = [[] for _ in geometry]
        for ring, a, b in zip(owner.tolist(), np.r_[0, ends[:-1]], ends, strict=True):
            out[ring].append(flat[a:b])
        return out
    raise ValueError(f"geometry types {kinds}: expected points, lines or polygons only")


def _collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    geometry = frame.geometry.to_numpy()
    kind = {0: "Point", 1: "LineString", 3: "Polygon"}[int(shapely.get_type_id(geometry[0]))] \
        if len(frame) else "Point"
    columns = [frame[c].tolist() for c in PROPERTIES]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": dict(zip(PROPERTIES, values, strict=True)),
         "geometry": {"type": kind, "coordinates": coords}}
        for coords, *values in zip(_coordinates(geometry), *columns, strict=True)]}


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def floor_geojson(frames: Frames) -> str:
    """All features in one compact FeatureCollection (name, actor, remark; 5 decimals)."""
    parts = [_collection(f) for f in (frames.zones, frames.links, frames.points)]
    return _dumps({"type": "FeatureCollection",
                   "features": [feature for part in parts for feature in part["features"]]})


# -- the canvas page -------------------------------------------------------------------------
@cache
def _leaflet() -> tuple[str, str]:
    """Leaflet 1.9.4's script and style sheet from ``django-js-lib-leaflet``."""
    static = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    script = (static / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S+\s*$", "", script)
    return script, (static / "leaflet.css").read_text(encoding="utf-8")


_CANVAS = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>canvas baseline</title>
<style>__CSS__</style>
<script>__JS__</script>
<style>html, body { height: 100%; margin: 0; } #map { position: absolute; inset: 0; }
#switch { position: absolute; z-index: 1000; top: 8px; right: 8px; background: #fff;
  padding: 4px 8px; font: 14px sans-serif; }</style>
</head>
<body>
<div id="map"></div>
<label id="switch"><input type="checkbox" id="toggle-points" checked> points</label>
<script>
(function () {
var data = __DATA__;
var renderer = L.canvas();
var map = L.map("map", {renderer: renderer});
map.fitBounds([[50.68, 2.54], [51.51, 5.92]]);
var layers = {
  zones: L.geoJSON(data.zones, {renderer: renderer,
    style: {color: "#0072B2", weight: 2, fillOpacity: 0.25}}),
  links: L.geoJSON(data.links, {renderer: renderer, style: {color: "#D55E00", weight: 3}}),
  points: L.geoJSON(data.points, {pointToLayer: function (feature, latlng) {
    return L.circleMarker(latlng, {renderer: renderer, radius: 5, color: "#fff", weight: 1.5,
                                   fillColor: "#009E73", fillOpacity: 1});
  }})
};
layers.zones.addTo(map); layers.links.addTo(map); layers.points.addTo(map);
document.getElementById("toggle-points").addEventListener("change", function (event) {
  if (event.target.checked) { map.addLayer(layers.points); }
  else { map.removeLayer(layers.points); }
});
})();
</script>
</body>
</html>
"""


def canvas_page(frames: Frames) -> str:
    """The minimal canvas page of the three layers."""
    script, css = _leaflet()
    data = _dumps({"zones": _collection(frames.zones), "links": _collection(frames.links),
                   "points": _collection(frames.points)}).replace("</", "<\\/")
    # str.replace, not a template engine: the pieces hold braces and dollar signs.
    return (_CANVAS.replace("__CSS__", css).replace("__JS__", script)
            .replace("__DATA__", data))


# -- what Leaflet weighs in a page -----------------------------------------------------------
def leaflet_bytes(page: str) -> int:
    """The UTF-8 bytes of the inlined Leaflet in a page (its script and its style sheet)."""
    total = 0
    for tag in ("script", "style"):
        for match in re.finditer(rf"<{tag}[^>]*>(.*?)</{tag}>", page, re.S):
            body = match.group(1)
            if ('"1.9.4"' in body and "noConflict" in body) or "/* required styles */" in body:
                total += len(match.group(0).encode())
    return total
