"""The map of the printable figure: drawn in Belgian Lambert 72 (EPSG:31370), so the scale
bar is true.

The layers are converted once and thinned for print (:func:`project`); :func:`draw_map` draws,
bottom to top, the sea, land and the actors' regions and zones (opaque fills, larger areas
first, so what is drawn is the legend's swatch), rivers, the coastline and national borders
(:mod:`._static_base`), the administrative borders, the links as arrows with a symbol at each
end, the points as numbered circles and the zones' letter badges (moved apart on the page where
they would overlap, with a leader to their place), then the names of cities, link ends,
countries, regions, the sea and rivers, none covering another or a symbol
(:mod:`._static_names`), a metric scale bar and a north arrow, on matplotlib's object interface
only. The view covers every link end the base map covers; a link to a place beyond it (Parijs)
ends at the frame with the place's name there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from shapely.geometry import LineString, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import orient

from ._page_data import zone_letter
from ._static_base import MetricBase, draw_lines, draw_sea, metric_basemap
from ._static_labels import End, link_ends, names_in_view
from ._static_legend import DASH, LINK_WIDTH_PT, RESOC_DASH, draw_text, ink, mark_of, widest
from ._static_names import place_markers, place_names
from ._types import FLANDERS
from .atlas import MapLayers
from .boundaries import METRIC_CRS
from .style import Labels, Style, region_fill, zone_fill

SIMPLIFY_M = 50.0  # boundary detail kept in print, in metres
Extent = tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
# Features outside the scope (links abroad) may widen the view by at most this share of the
# scope's larger side: a province map reaches Lille or Eindhoven, an overview stays on Flanders.
_REACH = {"province": 0.35, "overview": 0.04}


def _metric(frame: gpd.GeoDataFrame, tolerance_deg: float = 0.0) -> gpd.GeoDataFrame:
    """A layer in EPSG:31370, thinned first by ``tolerance_deg`` (an empty one stays empty)."""
    if not len(frame):
        return frame.set_crs(METRIC_CRS, allow_override=True)
    if tolerance_deg:
        frame = frame.set_geometry(frame.geometry.simplify(tolerance_deg,
                                                           preserve_topology=False))
    return frame.to_crs(METRIC_CRS)


@dataclass(frozen=True)
class Projected:
    """A map's layers in EPSG:31370, simplified for print, and the area the map must show."""

    base: gpd.GeoDataFrame
    regions: list[tuple[str, shapely.Geometry]]  # (actor id, outline)
    zones: gpd.GeoDataFrame
    links: gpd.GeoDataFrame
    points: gpd.GeoDataFrame
    view: Extent
    ends: list[End]
    basemap: MetricBase


def project(layers: MapLayers) -> Projected:
    """Convert once to EPSG:31370; thin the outlines first (about 20 m), most of the work."""
    areas = layers.boundaries.areas
    base = _metric(areas.loc[areas["level"].isin(("belgium", "flanders", "province", "resoc")),
                             ["id", "level", "geometry"]], 0.0002)
    base = base.set_geometry(base.simplify(SIMPLIFY_M, preserve_topology=False))
    outlines = dict(zip(base["id"], base.geometry, strict=True))
    regions = [(r.actor_id, outlines[r.region]) for r in layers.regions.itertuples()
               if r.region in outlines]
    rest = layers.regions[~layers.regions["region"].isin(outlines)]
    regions += list(zip(rest["actor_id"], _metric(rest, 0.0002).geometry, strict=True))
    zones, links, points = (_metric(layers.zones, 0.0001), _metric(layers.links),
                            _metric(layers.points))
    basemap = metric_basemap(layers.resources.geodata)
    ends = link_ends(layers, links, basemap)
    return Projected(base, regions, zones, links, points,
                     _view(layers, base, [points, zones, links], ends), ends, basemap)


def _view(layers: MapLayers, base: gpd.GeoDataFrame, frames: list[gpd.GeoDataFrame],
          ends: list[End]) -> Extent:
    """The scope's area plus the map's features within reach and every link end the base map
    covers, with a little air around."""
    overview = layers.spec.scope == FLANDERS
    scope = layers.resources.vocabulary.scopes.get(layers.spec.scope)
    region = "vlaanderen" if overview or scope is None else scope.region
    core = base.loc[base["id"] == region, "geometry"]
    if core.empty:
        core = base.loc[base["id"] == "vlaanderen", "geometry"]
    xmin, ymin, xmax, ymax = core.total_bounds
    reach = _REACH["overview" if overview else "province"] * max(xmax - xmin, ymax - ymin)
    for frame in frames:
        if len(frame):
            fx0, fy0, fx1, fy1 = frame.total_bounds
            xmin, ymin = max(min(xmin, fx0), xmin - reach), max(min(ymin, fy0), ymin - reach)
            xmax, ymax = min(max(xmax, fx1), xmax + reach), min(max(ymax, fy1), ymax + reach)
    for end in ends:
        if end.covered:
            xmin, ymin = min(xmin, end.x), min(ymin, end.y)
            xmax, ymax = max(xmax, end.x), max(ymax, end.y)
    pad = 0.03 * max(xmax - xmin, ymax - ymin)
    return float(xmin - pad), float(ymin - pad), float(xmax + pad), float(ymax + pad)


def fit(view: Extent, aspect: float) -> Extent:
    """Widen the short side of ``view`` so that it has the frame's ``aspect`` (width/height)."""
    xmin, ymin, xmax, ymax = view
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        grow = (height * aspect - width) / 2
        return xmin - grow, ymin, xmax + grow, ymax
    grow = (width / aspect - height) / 2
    return xmin, ymin - grow, xmax, ymax + grow


# -- the map ----------------------------------------------------------------------------------
def _add(ax: Axes, artist: Artist) -> None:
    """Add an artist to the map without autoscaling (the view is set once, by hand)."""
    ax.add_artist(artist)


def _area(ax: Axes, geometry: shapely.Geometry, **options: Any) -> None:
    """Draw the polygons of a geometry (holes kept) as one patch."""
    rings = []
    for polygon in shapely.get_parts(geometry):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue  # a line or point left over by a repair has no area to draw
        polygon = orient(polygon)
        rings.append(MplPath(np.asarray(polygon.exterior.coords)[:, :2], closed=True))
        rings += [MplPath(np.asarray(r.coords)[:, :2], closed=True) for r in polygon.interiors]
    if rings:
        _add(ax, PathPatch(MplPath.make_compound_path(*rings), **options))


def _arrow(ax: Axes, line: shapely.Geometry, extent: Extent, colour: str, *, width: float,
           dash: Any = "-", head_at: float = 2 / 3, zorder: float = 4) -> None:
    """A line clipped to the view, with an arrowhead pointing from start to end.

    The head sits ``head_at`` along the visible part: two thirds, as on the interactive map,
    clear of the markers at the ends; 1 puts it at the end (where a line leaves the map).
    """
    visible = shapely.get_parts(shapely.intersection(line, box(*extent)))
    parts = [p for p in visible if p.geom_type == "LineString" and p.length > 0]
    for part in parts:
        xy = np.asarray(part.coords)
        _add(ax, Line2D(xy[:, 0], xy[:, 1], color=colour, linewidth=width, linestyle=dash,
                        solid_capstyle="round", zorder=zorder))
    if parts:
        longest = max(parts, key=lambda p: p.length)
        at = longest.interpolate(head_at * longest.length)
        before = longest.interpolate(max(0.0, head_at * longest.length - 1.0))
        _add(ax, FancyArrowPatch((before.x, before.y), (at.x, at.y), arrowstyle="-|>",
                                 mutation_scale=13 * min(1.0, width / LINK_WIDTH_PT),
                                 shrinkA=0, shrinkB=0, color=colour, linewidth=0,
                                 zorder=zorder + 0.5))


def draw_map(ax: Axes, projected: Projected, style: Style, frame_in: tuple[float, float], *,
             labels: Labels) -> list[Text]:
    """Draw the map in ``ax``, a frame of ``frame_in`` (width, height) inches on the page.

    Everything of the module's list, in its order; the words (the north arrow's letter, the
    names' language, "off the map") from ``labels``. Returns the placed names.
    """
    extent = fit(projected.view, frame_in[0] / frame_in[1])
    scale = frame_in[0] * 72 / (extent[2] - extent[0])  # points on the page per metre
    ax.set(xlim=(extent[0], extent[2]), ylim=(extent[1], extent[3]), xticks=[], yticks=[],
           facecolor="#F3F3F3")
    ax.set_aspect("equal", adjustable="datalim")
    for spine in ax.spines.values():
        spine.set(color="#666666", linewidth=0.6)
    base = projected.base
    belgium = _level(base, "belgium")
    draw_sea(ax, projected.basemap, belgium, extent)
    _areas(ax, projected, style)
    draw_lines(ax, projected.basemap, belgium, extent)
    borders = (("belgium", "#999999", 0.6, (0, (1.5, 1.5))),
               ("resoc", style.base["resoc"], 0.5, RESOC_DASH),
               ("province", style.base["province"], 0.8, "-"),
               ("flanders", style.base["flanders"], 1.2, "-"))
    for level, colour, width, dash in borders:
        for geometry in base.loc[base["level"] == level, "geometry"]:
            _area(ax, geometry, facecolor="none", edgecolor=colour, linewidth=width,
                  linestyle=dash, zorder=3)
    length = _scale_length(extent)
    frame_pt = (frame_in[0] * 72, frame_in[1] * 72)
    keep_out = [(0.0, 0.0, 36 + length * scale, 34.0),  # the scale bar and the north arrow
                (frame_pt[0] - 28, frame_pt[1] - 46, frame_pt[0], frame_pt[1])]
    obstacles = _links(ax, projected, style, extent, scale)
    obstacles += _markers(ax, projected, style, extent, scale, keep_out)
    _scale_bar(ax, extent, scale, length)
    _north_arrow(ax, extent, scale, labels("north"))
    obstacles += [(x0 / scale + extent[0], y0 / scale + extent[1], x1 / scale + extent[0],
                   y1 / scale + extent[1]) for x0, y0, x1, y1 in keep_out]
    ax.apply_aspect()
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    names, dots = names_in_view(projected.basemap, belgium, projected.ends, extent, scale,
                                labels)
    for x, y in dots:
        _add(ax, Line2D([x], [y], marker="o", markersize=3.6, markerfacecolor="#333333",
                        markeredgecolor="#FFFFFF", markeredgewidth=0.6, linestyle="none",
                        zorder=5.2, label="city"))
    obstacles += [(x - 1.8 / scale, y - 1.8 / scale, x + 1.8 / scale, y + 1.8 / scale)
                  for x, y in dots]
    crowded = len(names) > 40  # an overview: somewhat smaller names
    return place_names(ax, renderer, names, [_display(ax, b) for b in obstacles],
                       scale=0.88 if crowded else 1.0)


def _level(base: gpd.GeoDataFrame, level: str) -> BaseGeometry | None:
    shapes = base.loc[base["level"] == level, "geometry"]
    return shapely.union_all(list(shapes)) if len(shapes) else None


def _display(ax: Axes, data_box: Extent) -> Extent:
    """A box in data units as display pixels."""
    (x0, y0), (x1, y1) = ax.transData.transform([data_box[:2], data_box[2:]])
    return float(min(x0, x1)), float(min(y0, y1)), float(max(x0, x1)), float(max(y0, y1))


def _areas(ax: Axes, projected: Projected, style: Style) -> None:
    """Flanders white; the actors' regions, then the zones, each larger first, opaque."""
    for geometry in projected.base.loc[projected.base["level"] == "flanders", "geometry"]:
        _area(ax, geometry, facecolor="#FFFFFF", edgecolor="none", zorder=0.5)
    regions = sorted(projected.regions, key=lambda r: -float(shapely.area(r[1])))
    for i, (actor_id, geometry) in enumerate(regions):
        colour = style.colour(actor_id)
        _area(ax, geometry, facecolor=region_fill(colour), edgecolor=colour, linewidth=0.6,
              zorder=1 + i / 1000)
    zones = projected.zones
    order = sorted(range(len(zones)), key=lambda i: -float(shapely.area(zones.geometry.iloc[i])))
    for rank, i in enumerate(order):
        colour = style.colour(zones["actor_id"].iloc[i])
        _area(ax, zones.geometry.iloc[i], facecolor=zone_fill(colour), edgecolor=colour,
              linewidth=0.9, zorder=2 + rank / 1000)


def _links(ax: Axes, projected: Projected, style: Style, extent: Extent,
           scale: float) -> list[Extent]:
    """The links as arrows, a symbol at each end in view; returns the symbols' boxes."""
    boxes: list[Extent] = []
    view = box(*extent)
    ends = iter(projected.ends)
    for row in projected.links.itertuples():
        colour = style.colour(row.actor_id)
        geometry = row.geometry
        if geometry is None or geometry.is_empty:
            continue
        start, end = next(ends), next(ends)
        _arrow(ax, geometry, extent, colour, width=LINK_WIDTH_PT,
               dash=DASH if row.link_type == "organisation" else "-",
               head_at=2 / 3 if view.contains(shapely.Point(end.x, end.y)) else 1.0)
        for at in (start, end):
            if view.contains(shapely.Point(at.x, at.y)):
                _add(ax, Line2D([at.x], [at.y], marker="o", markersize=5.0,
                                markerfacecolor="#FFFFFF", markeredgecolor=colour,
                                markeredgewidth=1.3, linestyle="none", zorder=5,
                                label="link-end"))
                r = 3.2 / scale
                boxes.append((at.x - r, at.y - r, at.x + r, at.y + r))
    return boxes


def _markers(ax: Axes, projected: Projected, style: Style, extent: Extent, scale: float,
             keep_out: list[Extent]) -> list[Extent]:
    """Points (numbered circles) and zones (lettered squares), spread on the page so that
    none covers another, a leader to the true place; returns their boxes."""
    points, zones = projected.points, projected.zones
    marks = [mark_of(p) for p in points.itertuples()]
    letters = [zone_letter(i) for i in range(len(zones))]
    mark_size = 7.0 if max(map(len, marks + letters), default=0) <= 2 else 5.5
    diameter = max(1.8 * mark_size, widest(marks + letters, mark_size, bold=True)
                   + 0.45 * mark_size)
    inside = [shapely.point_on_surface(g) for g in zones.geometry]
    true_xy = np.array([(g.x, g.y) for g in [*points.geometry, *inside]]).reshape(-1, 2)
    colours = [style.colour(a) for a in [*points["actor_id"], *zones["actor_id"]]]
    origin = np.array([extent[0], extent[1]])
    frame_pt = ((extent[2] - extent[0]) * scale, (extent[3] - extent[1]) * scale)
    placed = place_markers((true_xy - origin) * scale, diameter, frame_pt,
                            keep_out) / scale + origin
    moved = np.hypot(*(placed - true_xy).T) * scale > 1.0
    boxes: list[Extent] = []
    r = (diameter / 2 + 1) / scale
    for i, ((x, y), (tx, ty), shifted) in enumerate(zip(placed, true_xy, moved, strict=True)):
        zone = i >= len(marks)
        if shifted:  # a thin leader from the marker to its place (an arrow if off the map)
            _arrow(ax, LineString([(x, y), (tx, ty)]), extent, "#333333", width=0.7,
                   head_at=1.0, zorder=5.5)
        if zone:
            fill = zone_fill(colours[i])
            _add(ax, Line2D([x], [y], marker="s", markersize=diameter * 0.92,
                            markerfacecolor=fill, markeredgecolor=colours[i],
                            markeredgewidth=1.4, linestyle="none", zorder=6,
                            label="marker-zone"))
            draw_text(ax, x, y, letters[i - len(marks)], fontsize=mark_size, fontweight="bold",
                      color="#1B1B1B", ha="center", va="center_baseline", zorder=7)
        else:
            _add(ax, Line2D([x], [y], marker="o", markersize=diameter,
                            markerfacecolor=colours[i], markeredgecolor="#FFFFFF",
                            markeredgewidth=0.9, linestyle="none", zorder=6,
                            label="marker-point"))
            if marks[i]:
                draw_text(ax, x, y, marks[i], fontsize=mark_size, fontweight="bold",
                          color=ink(colours[i]), ha="center", va="center_baseline", zorder=7)
        boxes.append((x - r, y - r, x + r, y + r))
    return boxes


def _scale_length(extent: Extent) -> float:
    """A round length (1, 2 or 5 × 10ⁿ m) of about a fifth of the view's width."""
    target = (extent[2] - extent[0]) / 5
    unit = 10 ** math.floor(math.log10(target))
    return float(max(m * unit for m in (1, 2, 5) if m * unit <= target))


def _scale_bar(ax: Axes, extent: Extent, scale: float, length: float) -> None:
    """A true scale bar of four blocks at the lower left; ``scale`` in points per metre."""
    xmin, ymin = extent[:2]
    pt = 1 / scale  # one point on the page, in metres
    x0, y0, bar = xmin + 14 * pt, ymin + 12 * pt, 4 * pt
    _add(ax, Rectangle((x0 - 8 * pt, y0 - 6 * pt), length + 30 * pt, 26 * pt,
                       facecolor="#FFFFFF", alpha=0.85, edgecolor="none", zorder=8))
    for i in range(4):
        _add(ax, Rectangle((x0 + i * length / 4, y0), length / 4, bar, linewidth=0.6,
                           facecolor="#222222" if i % 2 == 0 else "#FFFFFF",
                           edgecolor="#222222", zorder=9))
    for value in (0, length / 2, length):
        draw_text(ax, x0 + value, y0 + bar + 2 * pt, f"{value / 1000:g}", fontsize=7,
                  ha="center", va="bottom", zorder=9)
    draw_text(ax, x0 + length + 5 * pt, y0 - 1 * pt, "km", fontsize=7, va="bottom", zorder=9)


def _north_arrow(ax: Axes, extent: Extent, scale: float, label: str) -> None:
    """A north arrow at the upper right: grid north of Lambert 72, within 1.2° of true north."""
    _, _, xmax, ymax = extent
    pt = 1 / scale
    x, y, size, half = xmax - 16 * pt, ymax - 40 * pt, 22 * pt, 7 * pt
    tip, left, right, notch = (x, y + size), (x - half, y), (x + half, y), (x, y + size * 0.3)
    _add(ax, Polygon([tip, left, notch], closed=True, facecolor="#222222",
                     edgecolor="#222222", linewidth=0.6, zorder=9))
    _add(ax, Polygon([tip, notch, right], closed=True, facecolor="#FFFFFF",
                     edgecolor="#222222", linewidth=0.6, zorder=9))
    draw_text(ax, x, y + size + 2 * pt, label, fontsize=9, fontweight="bold", ha="center",
              va="bottom", zorder=9)
