"""Leaflet's files, and the compact encoding of areas the map's script decodes.

Leaflet 1.9.4 comes from the installed ``django-js-lib-leaflet`` package (BSD 2-Clause), its
images inlined as data URIs, so a page opens offline as one file; ``--online`` links the same
version from a CDN instead. Areas travel as rings of integer deltas in units of 1e-4°
(:func:`encode_ring`), a third of the size of plain GeoJSON; ``spmDecode`` in
``templates/map.html.j2`` turns them back into coordinates.
"""

from __future__ import annotations

import base64
import re
from functools import cache, lru_cache
from importlib import resources
from typing import Any, cast

import numpy as np
import shapely

__all__ = ["CDN_CSS", "CDN_JS", "DECIMALS", "encode", "encode_ring", "encoded_area",
           "leaflet_assets"]

CDN_JS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
CDN_CSS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"
# Coordinates are rounded to what the zooms of a Flanders map need (1e-4° ≈ 10 m).
DECIMALS = 4


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed package, images inlined as data URIs.

    Raises
    ------
    RuntimeError
        When the files hold a closing ``</script`` or ``</style`` (they could not be inlined).
    """
    static = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    script = (static / "leaflet.js").read_text(encoding="utf-8")
    script = re.sub(r"//# sourceMappingURL=\S+\s*$", "", script)
    css = (static / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = (static / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode('ascii')})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    if "</script" in script.lower() or "</style" in css.lower():
        raise RuntimeError("the Leaflet assets cannot be inlined safely")
    return script, css


@lru_cache(maxsize=512)
def encoded_area(geometry: shapely.Geometry, tolerance: float) -> dict[str, Any]:
    """An area simplified and encoded; the same boundaries serve every map of a build, and
    simplifying them is most of the time a map takes."""
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    return encode(cast(Any, simple).__geo_interface__)


def encode_ring(ring: Any) -> str:
    """A ring as ``"x0,y0,dx1,dy1,…"`` in units of 1e-4° (repeated points dropped)."""
    units = np.round(np.asarray(ring, dtype=float)[:, :2] * 10**DECIMALS).astype(np.int64)
    deltas = np.vstack([units[:1], np.diff(units, axis=0)])
    keep = np.any(deltas != 0, axis=1)
    keep[0] = True
    return ",".join(str(v) for v in deltas[keep].ravel())


def encode(geojson: dict[str, Any]) -> dict[str, Any]:
    """A polygonal GeoJSON geometry with its rings encoded by :func:`encode_ring`.

    Raises
    ------
    ValueError
        For a geometry that is not polygonal.
    """
    if geojson["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [encode_ring(r) for r in geojson["coordinates"]]}
    if geojson["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[encode_ring(r) for r in polygon]
                                for polygon in geojson["coordinates"]]}
    if geojson["type"] == "GeometryCollection":
        parts = [encode(g) for g in geojson["geometries"] if "Polygon" in g["type"]]
        return {"type": "GeometryCollection", "geometries": parts}
    raise ValueError(f"cannot store a {geojson['type']} as an area")
