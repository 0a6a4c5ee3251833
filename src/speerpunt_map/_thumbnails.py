"""Small pictures of the maps for the index: an inline SVG written straight from a map's layers.

A thumbnail shows what the map shows, without a browser or a figure library: the Flanders
outline and the scope's outline (the province; the provinces on an overview), the regions of
the actors in their opaque region fills, the zones in their zone fills, the links as lines
(dashed when organisational) and the points as dots, all in the map's actor colours
(:func:`speerpunt_map.style.style_for`, :func:`~speerpunt_map.style.region_fill`,
:func:`~speerpunt_map.style.zone_fill`).

Each geometry is moved into pixels once (an affine transform: longitude scaled by the cosine of
the middle latitude), clipped to the picture, simplified to ¾ pixel and written with whole
pixel numbers, so a thumbnail takes a few KB and a few milliseconds; the same layers give the
same bytes. The SVG holds no text from the tables: only numbers and ``#RRGGBB`` colours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from markupsafe import Markup
from shapely import affinity
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from ._types import FLANDERS
from .style import Style, region_fill, style_for, zone_fill

if TYPE_CHECKING:
    from .atlas import MapLayers

__all__ = ["HEIGHT", "WIDTH", "failed_thumbnail", "thumbnail_svg"]

#: The size of a thumbnail in pixels (its ``viewBox``; the page may scale it).
WIDTH, HEIGHT = 200, 130
_PAD = 4
# Three quarters of a pixel: what a thumbnail cannot show anyway.
_TOLERANCE = 0.75
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_FALLBACK = "#7F7F7F"

Bounds = tuple[float, float, float, float]


def _colour(value: str) -> str:
    """A colour fit for an attribute: ``#RRGGBB`` as given, grey otherwise."""
    return value if _COLOUR.fullmatch(value) else _FALLBACK


def _base_areas(layers: MapLayers) -> tuple[list[Any], list[Any]]:
    """The Flanders outline(s), and the scope's outline (the provinces on an overview)."""
    areas = layers.boundaries.areas
    ids, levels = areas["id"].to_numpy(), areas["level"].to_numpy()
    geometries = areas.geometry.to_numpy()
    if layers.spec.scope == FLANDERS:
        scope_mask = levels == "province"
    else:
        scope = layers.resources.vocabulary.scopes.get(layers.spec.scope)
        scope_mask = ids == (scope.region if scope is not None else FLANDERS)
    return list(geometries[levels == "flanders"]), list(geometries[scope_mask])


def _frame(layers: MapLayers, flanders: list[Any], scope: list[Any]) -> Bounds:
    """West, south, east, north the thumbnail shows: the scope's region, points and zones
    (as the page opens on them); links may leave the picture."""
    boxes = [shapely.total_bounds(scope or flanders)] + [
        f.total_bounds for f in (layers.points, layers.zones) if len(f)]
    finite = [b for b in boxes if all(math.isfinite(v) for v in b)] or [(2.5, 50.6, 6.0, 51.5)]
    return (min(b[0] for b in finite), min(b[1] for b in finite),
            max(b[2] for b in finite), max(b[3] for b in finite))


def _transform(frame: Bounds) -> list[float]:
    """The affine matrix (shapely's ``[a, b, d, e, xoff, yoff]``) from degrees to pixels,
    fitting ``frame`` into the picture, centred, north up."""
    west, south, east, north = frame
    shrink = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * shrink, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = min((WIDTH - 2 * _PAD) / span_x, (HEIGHT - 2 * _PAD) / span_y)
    offset_x = (WIDTH - span_x * scale) / 2
    offset_y = (HEIGHT - span_y * scale) / 2
    return [shrink * scale, 0.0, 0.0, -scale,
            offset_x - west * shrink * scale, offset_y + north * scale]


def _pixels(geometries: list[BaseGeometry | None], matrix: list[float]) -> list[Any]:
    """Geometries in pixels, clipped to the picture (with a margin) and simplified; one
    vectorised pass over all of them."""
    if not geometries:
        return []
    array = np.empty(len(geometries), dtype=object)
    array[:] = geometries
    a, _, _, e, x_off, y_off = matrix
    moved = shapely.transform(array, lambda xy: xy * (a, e) + (x_off, y_off))
    clipped = shapely.clip_by_rect(moved, -2, -2, WIDTH + 2, HEIGHT + 2)
    return list(shapely.simplify(clipped, _TOLERANCE, preserve_topology=False))


def _path(coords: Any, closed: bool) -> str:
    """Coordinates as whole pixels, without repeats, as ``M x y l dx dy …`` (relative:
    shorter), ``z`` for a ring; empty when too few points are left."""
    pixels = np.rint(np.asarray(coords)[:, :2]).astype(np.int64)
    if len(pixels) > 1:
        keep = np.ones(len(pixels), dtype=bool)
        keep[1:] = (np.diff(pixels, axis=0) != 0).any(axis=1)
        pixels = pixels[keep]
    if closed and len(pixels) > 1 and (pixels[0] == pixels[-1]).all():
        pixels = pixels[:-1]
    if len(pixels) < (3 if closed else 2):
        return ""
    steps = " ".join(map(str, np.diff(pixels, axis=0).ravel().tolist()))
    return f"M{pixels[0, 0]} {pixels[0, 1]}l{steps}" + ("z" if closed else "")


def _parts(geometry: BaseGeometry) -> Iterator[BaseGeometry]:
    """The simple parts of a geometry (a collection's members, a multi-part's parts)."""
    if hasattr(geometry, "geoms"):
        for part in geometry.geoms:
            yield from _parts(part)
    else:
        yield geometry


def _area_data(geometry: BaseGeometry) -> str:
    rings = []
    for part in _parts(geometry):
        if not isinstance(part, Polygon):
            continue
        rings += [_path(ring.coords, True) for ring in (part.exterior, *part.interiors)]
    return "".join(rings)


def _line_data(geometry: BaseGeometry) -> str:
    lines = []
    for part in _parts(geometry):
        if part.geom_type == "LineString":
            lines.append(_path(part.coords, False))
    return "".join(lines)


#: One shape to draw: its geometry (degrees), ``area``, ``line`` or ``dot``, its attributes.
Shape = tuple[BaseGeometry | None, str, str]


def _base(layers: MapLayers, flanders: list[Any], scope: list[Any]) -> list[Shape]:
    """Flanders, filled light; the scope's outline (the provinces on an overview)."""
    base = layers.resources.palette["base"]
    fill = f'fill="#F4F4F4" stroke="{_colour(base["flanders"])}" stroke-width="1"'
    line = f'fill="none" stroke="{_colour(base["province"])}" stroke-width=".8"'
    return [(g, "area", fill) for g in flanders] + [(g, "area", line) for g in scope]


def _features(layers: MapLayers, style: Style) -> list[Shape]:
    """Regions, zones, links and points, in the page's drawing order."""
    shapes: list[Shape] = []
    for actor, geometry in zip(layers.regions["actor_id"], layers.regions.geometry, strict=True):
        colour = _colour(style.colour(actor))
        shapes.append((geometry, "area", f'fill="{_colour(region_fill(colour))}" '
                                         f'stroke="{colour}" stroke-width=".6"'))
    for actor, geometry in zip(layers.zones["actor_id"], layers.zones.geometry, strict=True):
        colour = _colour(style.colour(actor))
        shapes.append((geometry, "area", f'fill="{_colour(zone_fill(colour))}" '
                                         f'stroke="{colour}" stroke-width=".8"'))
    links = layers.links
    for actor, kind, geometry in zip(links["actor_id"], links["link_type"], links.geometry,
                                     strict=True):
        dash = ' stroke-dasharray="3 2"' if kind == "organisation" else ""
        shapes.append((geometry, "line", f'fill="none" stroke="{_colour(style.colour(actor))}" '
                                         f'stroke-width="1.4"{dash}'))
    for actor, geometry in zip(layers.points["actor_id"], layers.points.geometry, strict=True):
        shapes.append((geometry, "dot", f'r="2.5" fill="{_colour(style.colour(actor))}" '
                                        'stroke="#FFFFFF" stroke-width=".7"'))
    return shapes


def _dot(geometry: BaseGeometry | None, matrix: list[float]) -> tuple[int, int] | None:
    """A point's pixel, if it lies in the picture."""
    if geometry is None or geometry.is_empty:
        return None
    x, y = affinity.affine_transform(geometry.representative_point(), matrix).coords[0]
    return (round(x), round(y)) if 0 <= x <= WIDTH and 0 <= y <= HEIGHT else None


def _draw(shapes: list[Shape], matrix: list[float]) -> Iterator[str]:
    """The SVG elements of the shapes, in their order (empty ones left out)."""
    drawn = iter(_pixels([g for g, kind, _ in shapes if kind != "dot"], matrix))
    for geometry, kind, attributes in shapes:
        if kind == "dot":
            pixel = _dot(geometry, matrix)
            if pixel is not None:
                yield f'<circle cx="{pixel[0]}" cy="{pixel[1]}" {attributes}/>'
            continue
        moved = next(drawn)
        if moved is None or moved.is_empty:
            continue
        data = _area_data(moved) if kind == "area" else _line_data(moved)
        if data:
            yield f'<path d="{data}" {attributes}/>'


def _svg(shapes: Iterable[str]) -> Markup:
    body = "".join(s for s in shapes if s)
    return Markup(f'<svg class="spm-thumb" xmlns="http://www.w3.org/2000/svg" '
                  f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
                  f'aria-hidden="true" focusable="false" fill-rule="evenodd" '
                  f'stroke-linejoin="round" stroke-linecap="round">{body}</svg>')


def thumbnail_svg(layers: MapLayers) -> Markup:
    """A small picture of a map, as inline SVG markup.

    Parameters
    ----------
    layers
        A map's layers (:meth:`speerpunt_map.Atlas.map` or
        :meth:`~speerpunt_map.Atlas.overview`).

    Returns
    -------
    markupsafe.Markup
        ``<svg class="spm-thumb" …>`` of :data:`WIDTH` × :data:`HEIGHT` pixels: whole-pixel
        numbers and colours only, the same bytes for the same layers.
    """
    spec = layers.spec
    style = style_for(spec.actors, overview=spec.scope == FLANDERS,
                      palette=layers.resources.palette)
    flanders, scope = _base_areas(layers)
    matrix = _transform(_frame(layers, flanders, scope))
    return _svg(_draw([*_base(layers, flanders, scope), *_features(layers, style)], matrix))


def failed_thumbnail() -> Markup:
    """The picture of a map that could not be made: an empty frame, crossed out."""
    return _svg([f'<rect x="1" y="1" width="{WIDTH - 2}" height="{HEIGHT - 2}" fill="#FBEAEA" '
                 'stroke="#B00020" stroke-width="1.5"/>',
                 f'<path d="M1 1L{WIDTH - 1} {HEIGHT - 1}M{WIDTH - 1} 1L1 {HEIGHT - 1}" '
                 'stroke="#B00020" stroke-width="1.5"/>'])
