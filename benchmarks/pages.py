"""The four things the benchmark writes for one synthetic map (:class:`generate.Frames`).

* :func:`our_page` — our offline page. Today the only way in for one's own GeoDataFrames is
  :func:`speerpunt_map.interactive.html_from_layers` with a :class:`speerpunt_map.MapLayers`
  whose frames carry the internal columns; :func:`layers_from_frames` builds one. When the
  package gets a public ``map_from_frames(points=, zones=, links=)``, replace the body of
  :func:`our_page` with it: nothing else here knows how our page is made.
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
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from generate import Frames

__all__ = ["canvas_page", "explore_page", "floor_geojson", "layers_from_frames",
           "leaflet_bytes", "our_page"]

PROPERTIES = ("name", "actor", "remark")


# -- ours ------------------------------------------------------------------------------------
def our_page(frames: Frames) -> str:
    """Our offline page of the three layers (swap for ``map_from_frames`` when it exists)."""
    from speerpunt_map.interactive import html_from_layers

    return html_from_layers(layers_from_frames(frames))


@cache
def _context() -> tuple[Any, Any]:
    """The shipped resources and boundaries (loaded once; not part of a build's time)."""
    from speerpunt_map import Resources, load_boundaries

    return Resources.load(), load_boundaries()


def layers_from_frames(frames: Frames) -> Any:
    """A :class:`speerpunt_map.MapLayers` (a Flanders map) of frames with name/actor/remark.

    Adds the columns the renderer reads (``speerpunt_map.geometry`` and
    ``speerpunt_map.description``): row origin, kind, number and label, actor ids, years,
    source, and for zones a place id, for links a type and the names of both ends. Actor names
    are looked up in the shipped vocabulary; the map's actors are the ones the rows name.
    """
    from speerpunt_map import MapLayers, MapSpec

    resources_, boundaries = _context()
    vocabulary = resources_.vocabulary
    names = pd.concat([f["actor"] for f in (frames.points, frames.zones, frames.links)])
    actors = {name: vocabulary.actor(name) for name in names.unique()}
    unknown = [name for name, actor in actors.items() if actor is None]
    if unknown:
        raise ValueError(f"actors not in the vocabulary: {unknown[:5]}")
    sector = vocabulary.sectors[sorted(vocabulary.sectors)[0]]
    spec = MapSpec(id="vlaanderen/benchmark", scope="vlaanderen", sector=sector,
                   sector_as_printed="", actors=tuple(sorted(set(actors.values()),
                                                             key=lambda a: a.id)),
                   table=Path("benchmark.xlsx"), title="Benchmark")
    row = 2

    def internal(frame: gpd.GeoDataFrame, kind: str) -> gpd.GeoDataFrame:
        nonlocal row
        count = len(frame)
        ids = frame["actor"].map(lambda name: actors[name].id)
        out = gpd.GeoDataFrame({
            "map_id": spec.id, "file": "benchmark.xlsx",
            "row": np.arange(row, row + count, dtype="int64"), "kind": kind,
            "number": pd.array(np.arange(1, count + 1) if kind == "point" else [pd.NA] * count,
                               dtype="Int64"),
            "name": frame["name"].to_numpy(), "remark": frame["remark"].to_numpy(),
            "source_actor": frame["actor"].to_numpy(), "source_document": "",
            "source_as_printed": "", "actor_id": ids.to_numpy(),
            "actor_ids": [(a,) for a in ids], "years": [()] * count,
        }, geometry=frame.geometry.to_numpy(), crs="EPSG:4326")
        row += count
        return out

    points = internal(frames.points, "point")
    points["label"] = [str(n) for n in points["number"]]
    zones = internal(frames.zones, "zone")
    zones["place_id"] = [f"zone-{i}" for i in range(len(zones))]
    links = internal(frames.links, "link")
    links["link_type"] = np.where(np.arange(len(links)) % 2, "organisation", "infrastructure")
    links["from_name"] = [f"start {i + 1}" for i in range(len(links))]
    links["to_name"] = [f"end {i + 1}" for i in range(len(links))]
    regions = gpd.GeoDataFrame(
        pd.DataFrame(columns=["actor_id", "name", "kind", "region", "approximate",
                              "geometry_method", "geometry"]), geometry="geometry",
        crs="EPSG:4326")
    return MapLayers(spec=spec, points=points, zones=zones, links=links, regions=regions,
                     boundaries=boundaries, resources=resources_)


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
