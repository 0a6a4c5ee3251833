"""Leaflet's files, and the compact encodings of coordinates that the map's script decodes.

Leaflet 1.9.4 comes from the installed ``django-js-lib-leaflet`` package (BSD 2-Clause), its
images inlined as data URIs, so a page opens offline as one file; ``--online`` links the same
version from a CDN instead.

Coordinates travel as flat lists of integer deltas (``x0, y0, dx1, dy1, …``: longitude and
latitude in units of ``1 / scale`` degrees), about a third of the size of plain GeoJSON:

* features (points, links, zones of one's own frames): :data:`FEATURE_SCALE`, 1e-5° (≈ 1 m);
* shared boundary areas (base layers, actors' regions, the atlas's zones), which are
  simplified to 30–100 m anyway: :data:`AREA_SCALE`, 1e-4° (≈ 10 m).

An area is a list of polygons, a polygon a list of rings, a ring one delta list (repeated
points dropped). ``spmArea`` and ``spmCoords`` in ``templates/map.html.j2`` decode them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import shapely

__all__ = ["AREA_SCALE", "CDN_CSS", "CDN_JS", "FEATURE_SCALE", "Area", "cdn_assets",
           "encode_area", "encode_lines", "encode_points", "encode_ring", "encoded_area",
           "leaflet_assets"]

CDN_JS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"
CDN_CSS = "https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"
#: Units per degree of feature coordinates: 1e-5° (about 1 m in Flanders).
FEATURE_SCALE = 10**5
#: Units per degree of the shared, simplified boundary areas: 1e-4° (about 10 m).
AREA_SCALE = 10**4

#: An encoded area: polygons → rings → ``[x0, y0, dx1, dy1, …]``.
Area = list[list[list[int]]]


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS from the installed package, images inlined as data URIs.

    Returns
    -------
    tuple of str
        The script and the style sheet.

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


@cache
def cdn_assets() -> tuple[tuple[str, str], tuple[str, str]]:
    """The CDN URLs of Leaflet's script and style sheet, each with its ``integrity`` value.

    The hashes (SHA-384, as Subresource Integrity writes them) are those of the files shipped
    for offline pages: the same release as the CDN URLs name, byte for byte (the SHA-256 of
    both equal the ones Leaflet publishes for 1.9.4). A browser refuses a CDN file that
    differs.

    Raises
    ------
    RuntimeError
        When the shipped Leaflet is another version than the CDN URLs name.
    """
    static = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    script = (static / "leaflet.js").read_bytes()
    css = (static / "leaflet.css").read_bytes()
    shipped = re.search(rb"Leaflet (\d+\.\d+\.\d+)", script[:300])
    for url in (CDN_JS, CDN_CSS):
        named = re.search(r"leaflet@([\d.]+)/", url)
        if not shipped or not named or named.group(1) != shipped.group(1).decode():
            raise RuntimeError(f"{url} names another Leaflet than the one shipped "
                               f"({shipped.group(1).decode() if shipped else 'unknown'})")

    def integrity(data: bytes) -> str:
        return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")

    return (CDN_JS, integrity(script)), (CDN_CSS, integrity(css))


def _units(coordinates: Any, scale: int) -> np.ndarray:
    """``(n, 2)`` longitude/latitude pairs as integers of ``1 / scale`` degrees."""
    array = np.asarray(coordinates, dtype=float).reshape(-1, 2)
    return np.round(array * scale).astype(np.int64)


def _deltas(units: np.ndarray) -> np.ndarray:
    return np.vstack([units[:1], np.diff(units, axis=0)]) if len(units) else units


def encode_ring(ring: Any, scale: int = AREA_SCALE) -> list[int]:
    """A ring or line as ``[x0, y0, dx1, dy1, …]`` in ``1 / scale`` degrees, repeated points
    dropped.

    Examples
    --------
    >>> encode_ring([(4.40001, 51.2), (4.40001, 51.2), (4.41, 51.21)])
    [44000, 512000, 100, 100]
    """
    units = _units(np.asarray(ring, dtype=float)[:, :2], scale)
    deltas = _deltas(units)
    keep = np.any(deltas != 0, axis=1)
    if len(keep):
        keep[0] = True
    return list(deltas[keep].ravel().tolist())


def _polygons(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    """The polygons of a polygonal geometry (or of the polygonal parts of a collection)."""
    if isinstance(geometry, shapely.Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, shapely.MultiPolygon):
        return [p for p in geometry.geoms if not p.is_empty]
    if isinstance(geometry, shapely.GeometryCollection):  # its polygonal parts
        return [p for part in geometry.geoms
                if isinstance(part, shapely.Polygon | shapely.MultiPolygon
                              | shapely.GeometryCollection) for p in _polygons(part)]
    raise ValueError(f"cannot draw a {type(geometry).__name__} as an area")


def encode_area(geometry: shapely.Geometry, scale: int = FEATURE_SCALE) -> Area:
    """A polygonal geometry as polygons of encoded rings (see :func:`encode_ring`).

    Raises
    ------
    ValueError
        For a geometry that is not polygonal.

    Examples
    --------
    >>> encode_area(shapely.box(4.0, 51.0, 4.1, 51.1), scale=10)
    [[[41, 510, 0, 1, -1, 0, 0, -1, 1, 0]]]
    """
    return [[encode_ring(polygon.exterior.coords, scale),
             *(encode_ring(ring.coords, scale) for ring in polygon.interiors)]
            for polygon in _polygons(geometry)]


@lru_cache(maxsize=512)
def encoded_area(geometry: shapely.Geometry, tolerance: float) -> Area:
    """A shared area simplified by ``tolerance`` degrees and encoded at :data:`AREA_SCALE`.

    The same boundaries serve every map of a build, and simplifying them is most of the time
    a map takes: hence the cache.
    """
    simple = shapely.simplify(geometry, tolerance, preserve_topology=True)
    return encode_area(simple, AREA_SCALE)


def encode_points(points: Sequence[shapely.Geometry]) -> list[int]:
    """Points as one delta list ``[x0, y0, dx1, dy1, …]`` at :data:`FEATURE_SCALE` (each point
    kept, also where it repeats the one before).

    Examples
    --------
    >>> encode_points([shapely.Point(4.4, 51.2), shapely.Point(4.40001, 51.2)])
    [440000, 5120000, 1, 0]
    """
    xy = shapely.get_coordinates(np.asarray(points, dtype=object))
    return list(_deltas(_units(xy, FEATURE_SCALE)).ravel().tolist())


def encode_lines(lines: Sequence[shapely.Geometry]) -> tuple[list[int], list[int | list[int]]]:
    """Lines as one delta list over all their vertices (repeated vertices dropped) and each
    line's vertex count; a multi-line's count is the list of its parts' counts.

    Returns
    -------
    tuple
        The deltas at :data:`FEATURE_SCALE`, and the counts.

    Examples
    --------
    >>> encode_lines([shapely.LineString([(4, 51), (4, 51), (4.00001, 51)])])
    ([400000, 5100000, 1, 0], [2])
    """
    geometries = np.asarray(lines, dtype=object)
    if not len(geometries):
        return [], []
    # Every part of every line, its vertices, and which part each vertex belongs to.
    pieces, owner = shapely.get_parts(geometries, return_index=True)
    xy, piece = shapely.get_coordinates(pieces, return_index=True)
    units = _units(xy, FEATURE_SCALE)
    keep = np.ones(len(units), dtype=bool)
    keep[1:] = np.any(np.diff(units, axis=0) != 0, axis=1) | (np.diff(piece) != 0)
    sizes = np.bincount(piece[keep], minlength=len(pieces)).tolist()
    per_line: list[list[int]] = [[] for _ in range(len(geometries))]
    for size, line in zip(sizes, owner.tolist(), strict=True):
        per_line[line].append(size)
    counts: list[int | list[int]] = [c[0] if len(c) == 1 else c for c in per_line]
    return list(_deltas(units[keep]).ravel().tolist()), counts
