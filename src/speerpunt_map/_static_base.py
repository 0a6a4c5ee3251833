"""The orienting base map of the printable figure, in Belgian Lambert 72 (EPSG:31370).

The shipped GSHHG derivation (:func:`speerpunt_map.basemap.load_basemap`) is projected once per
process (:func:`metric_basemap`) and drawn under and over the map's own areas
(:func:`draw_sea`, :func:`draw_lines`), in the page's order and colours: the sea under
everything, then land and the actors' regions, then rivers, the coastline and the national
borders, then the map's features and the names.

GSHHG's lines are not the NGI outline of Belgium the map draws (the Belgian coast lies a median
0.65 km, at most 2 km, from it; see ``geodata/basemap/README.md``). So the figure fills the
strip between the two coasts with sea, draws GSHHG's coastline only outside Belgium, and of the
national borders only the one Belgium's outline does not have (Germany–Netherlands).

Where a neighbouring country is in view is read from the same data (:func:`country_spots`): a
land point outside Belgium belongs to France when the Belgian–French border is the nearest
border, else to Germany or the Netherlands by the side of the German–Dutch border it lies on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient

from .basemap import BaseLabel, load_basemap
from .boundaries import METRIC_CRS

SEA = "#D4E4F1"  # the page's sea, coast and river colours
WATER_LINE = "#6D9CC4"
BORDER = "#707070"
BORDER_DASH = (0.0, (5.0, 2.0, 1.5, 2.0))
_COAST_GAP_M = 2500.0  # the largest distance of GSHHG's Belgian coast from the NGI outline
_OPEN_SEA_M = 50_000.0  # the Belgian coast lies within this of the sea's label anchor
Extent = tuple[float, float, float, float]


@dataclass(frozen=True)
class MetricBase:
    """The base map in EPSG:31370: layers, the named borders, and label anchors in metres."""

    sea: BaseGeometry
    rivers: BaseGeometry
    minor_rivers: BaseGeometry
    coastline: BaseGeometry
    borders: dict[str, BaseGeometry]  # countries ("BE-NL", …) → line
    labels: tuple[tuple[BaseLabel, float, float], ...]
    lonlat_box: Extent


def _features(path: Path) -> list[tuple[dict[str, str], BaseGeometry]]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    return [(f["properties"], shapely.geometry.shape(f["geometry"]))
            for f in collection["features"]]


def _to_metric(geometries: list[BaseGeometry]) -> list[BaseGeometry]:
    if not geometries:
        return []
    return list(gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs(METRIC_CRS))


@cache
def metric_basemap(geodata: Path | None) -> MetricBase:
    """The base map of a geodata folder (the shipped one for ``None``; see
    :func:`~speerpunt_map.basemap.load_basemap`) projected to EPSG:31370, once per process."""
    basemap = load_basemap(geodata)
    folder = basemap.folder
    rivers = _features(folder / "rivers.geojson")
    borders = _features(folder / "borders.geojson")
    named = [g for p, g in rivers if p.get("kind") == "river"]
    minor = [g for p, g in rivers if p.get("kind") != "river"]
    layers = _to_metric([basemap.layers["sea"], basemap.layers["coastline"],
                         shapely.union_all(named), shapely.union_all(minor)])
    lines = dict(zip([p.get("countries", "") for p, _ in borders],
                     _to_metric([g for _, g in borders]), strict=True))
    anchors = shapely.get_coordinates(
        _to_metric([shapely.Point(b.lon, b.lat) for b in basemap.labels]))
    labels = tuple((b, float(xy[0]), float(xy[1]))
                   for b, xy in zip(basemap.labels, anchors, strict=True))
    lon = [b.lon for b in basemap.labels]
    lat = [b.lat for b in basemap.labels]
    box = shapely.union_all(list(basemap.layers.values())).bounds
    lonlat = (min(box[0], *lon), min(box[1], *lat), max(box[2], *lon), max(box[3], *lat))
    return MetricBase(layers[0], layers[2], layers[3], layers[1], lines, labels, lonlat)


def in_base_box(base: MetricBase, lon: float, lat: float) -> bool:
    """Whether a WGS84 position lies in the box the base map covers."""
    west, south, east, north = base.lonlat_box
    return west <= lon <= east and south <= lat <= north


def drawn_sea(base: MetricBase, belgium: BaseGeometry | None, extent: Extent) -> BaseGeometry:
    """The sea in view, with the strip between GSHHG's and the NGI's Belgian coast filled."""
    sea = shapely.clip_by_rect(base.sea, *extent)
    if belgium is None or sea.is_empty:
        return sea
    near = shapely.intersection(shapely.buffer(sea, _COAST_GAP_M),
                                shapely.buffer(belgium, _COAST_GAP_M))
    # Only along the North Sea coast: not around the Westerschelde, where the strip would be
    # Dutch land.
    anchors = [(x, y) for label, x, y in base.labels if label.kind == "sea"]
    if anchors:
        near = shapely.intersection(near, shapely.buffer(shapely.Point(anchors[0]),
                                                         _OPEN_SEA_M))
    return shapely.union(sea, shapely.difference(near, belgium))


def _patch(geometry: BaseGeometry) -> MplPath | None:
    rings = []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        polygon = orient(polygon)
        rings.append(MplPath(np.asarray(polygon.exterior.coords)[:, :2], closed=True))
        rings += [MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in polygon.interiors]
    return MplPath.make_compound_path(*rings) if rings else None


def draw_sea(ax: Axes, base: MetricBase, belgium: BaseGeometry | None, extent: Extent) -> None:
    """The sea, filled, no outline, under everything else."""
    path = _patch(drawn_sea(base, belgium, extent))
    if path is not None:
        ax.add_artist(PathPatch(path, facecolor=SEA, edgecolor="none", zorder=0.2))


def _lines(ax: Axes, geometry: BaseGeometry, extent: Extent, **options: object) -> None:
    for part in shapely.get_parts(shapely.clip_by_rect(geometry, *extent)):
        if part.geom_type == "LineString" and not part.is_empty:
            xy = np.asarray(part.coords)
            ax.add_artist(Line2D(xy[:, 0], xy[:, 1], **options))  # type: ignore[arg-type]
        elif part.geom_type in ("MultiLineString", "GeometryCollection"):
            _lines(ax, part, extent, **options)


def draw_lines(ax: Axes, base: MetricBase, belgium: BaseGeometry | None,
               extent: Extent) -> None:
    """Rivers, the coastline outside Belgium and the German–Dutch border, over the regions."""
    _lines(ax, base.minor_rivers, extent, color=WATER_LINE, linewidth=0.6, zorder=2.5,
           solid_capstyle="round")
    _lines(ax, base.rivers, extent, color=WATER_LINE, linewidth=1.0, zorder=2.5,
           solid_capstyle="round")
    coast = base.coastline
    if belgium is not None:
        coast = shapely.difference(coast, shapely.buffer(belgium, _COAST_GAP_M))
    _lines(ax, coast, extent, color=WATER_LINE, linewidth=0.7, zorder=2.6)
    for countries, line in base.borders.items():
        if not countries.startswith("BE"):  # Belgium's own borders are the NGI outline
            _lines(ax, line, extent, color=BORDER, linewidth=0.8, linestyle=BORDER_DASH,
                   zorder=2.7)


def _west_crossings(points: np.ndarray, line: BaseGeometry) -> np.ndarray:
    """How often a ray from each point due west crosses ``line``."""
    counts = np.zeros(len(points), dtype=int)
    for part in shapely.get_parts(line):
        xy = np.asarray(part.coords)[:, :2]
        (x0, y0), (x1, y1) = xy[:-1].T, xy[1:].T
        px, py = points[:, 0:1], points[:, 1:2]
        spans = (y0 <= py) != (y1 <= py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        counts += np.sum(spans & (x_at < px), axis=1)
    return counts


def _grid(extent: Extent, across: int) -> np.ndarray:
    """Points of a regular grid over the view, ``across`` columns (n × 2)."""
    xmin, ymin, xmax, ymax = extent
    xs = np.linspace(xmin, xmax, across + 2)[1:-1]
    ys = np.linspace(ymin, ymax, round(across * (ymax - ymin) / (xmax - xmin)) + 2)[1:-1]
    return np.array([(x, y) for y in ys for x in xs]).reshape(-1, 2)


def sea_spots(base: MetricBase, belgium: BaseGeometry | None, extent: Extent,
              anchor: tuple[float, float], within: float = _OPEN_SEA_M,
              grid: int = 28) -> list[tuple[float, float, float]]:
    """Spots (x, y, clearance) of the open sea in view, roomiest first: within ``within``
    metres of the sea's label anchor, so an estuary (the Westerschelde) is not named so."""
    xy = _grid(extent, grid)
    sea = drawn_sea(base, belgium, extent)
    if sea.is_empty or not len(xy):
        return []
    points = shapely.points(xy)
    xmin, ymin, xmax, ymax = extent
    near = np.hypot(xy[:, 0] - anchor[0], xy[:, 1] - anchor[1]) <= within
    keep = shapely.contains(sea, points) & near
    edge = np.minimum.reduce([xy[:, 0] - xmin, xmax - xy[:, 0], xy[:, 1] - ymin,
                              ymax - xy[:, 1]])
    clearance = np.minimum(edge, shapely.distance(sea.boundary, points))
    spots = [(float(xy[i, 0]), float(xy[i, 1]), float(clearance[i]))
             for i in np.flatnonzero(keep)]
    return sorted(spots, key=lambda spot: (-spot[2], spot[0], spot[1]))


def country_spots(base: MetricBase, belgium: BaseGeometry | None, extent: Extent,
                  grid: int = 28) -> dict[str, list[tuple[float, float, float]]]:
    """Per neighbouring country in view: spots (x, y, clearance in metres), roomiest first.

    The spots are points of a grid over the view that lie on land outside Belgium; the
    clearance is the distance to the nearest border, coast or edge of the view.
    """
    xy = _grid(extent, grid)
    if belgium is None or not len(xy):
        return {}
    xmin, ymin, xmax, ymax = extent
    points = shapely.points(xy)
    sea = drawn_sea(base, belgium, extent)
    land = ~shapely.contains(sea, points) & ~shapely.contains(belgium, points)
    names = list(base.borders)
    distance = np.array([shapely.distance(base.borders[n], points) for n in names])
    nearest = np.array(names)[np.argmin(distance, axis=0)]
    dutch_german = base.borders.get("DE-NL")
    crossings = (_west_crossings(xy, dutch_german) if dutch_german is not None
                 else np.zeros(len(xy), dtype=int))
    edge = np.minimum.reduce([xy[:, 0] - xmin, xmax - xy[:, 0], xy[:, 1] - ymin,
                              ymax - xy[:, 1]])
    walls = [shapely.union_all(list(base.borders.values())), belgium.boundary]
    walls += [] if sea.is_empty else [sea.boundary]
    clearance = np.minimum(edge, np.min([shapely.distance(w, points) for w in walls], axis=0))
    spots: dict[str, list[tuple[float, float, float]]] = {}
    for i in np.flatnonzero(land):
        if nearest[i] == "BE-FR":
            country = "frankrijk"
        else:
            country = "duitsland" if crossings[i] % 2 else "nederland"
        spots.setdefault(country, []).append((float(xy[i, 0]), float(xy[i, 1]),
                                              float(clearance[i])))
    return {c: sorted(s, key=lambda spot: (-spot[2], spot[0], spot[1]))
            for c, s in sorted(spots.items())}
